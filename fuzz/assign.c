/* fuzz/assign.c — qmail-newu's assign parser, vpopmail's assign-line
 * parser, the sort key and the sorted insert/remove on arbitrary bytes.
 * Invariants checked: records never exceed the input; a parsed domain
 * line has a NUL-terminated dir; an insert keeps every line and ends
 * assign text with ".\n". */
#include <stdint.h>
#include <string.h>
#include "assign.h"
#include "byte.h"

static size_t total;

static int emit(void *arg, const char *k, size_t kl, const char *v, size_t vl)
{
  size_t max = *(size_t *)arg;
  if (kl > max + 2 || vl > max) __builtin_trap();
  total += kl + vl;
  return 0;
}

static size_t count_lines(const char *s, size_t len)
{
  size_t i, n = 0;
  for (i = 0; i < len; ++i) if (s[i] == '\n') ++n;
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  size_t max = size;
  stralloc out = {0}, key = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  size_t nl = byte_chr(s, size, '\n');
  int resorted;

  total = 0;
  (void)assign_newu_parse(s, size, emit, &max);
  if (assign_parse_line(&d, s, nl) == 1) {
    if (d.dir.s[d.dir.len] != '\0') __builtin_trap();
    if (d.name.len > nl) __builtin_trap();
  }
  if (!assign_sortkey(&key, s, nl, ASSIGN_FT_ASSIGN)) __builtin_trap();
  if (key.len > nl) __builtin_trap();
  /* first line inserted into the rest */
  if (nl < size) {
    const char *rest = s + nl + 1;
    size_t rlen = size - nl - 1;
    if (byte_chr(s, nl, '\n') == nl) {
      size_t before = count_lines(rest, rlen) + (rlen && rest[rlen - 1] != '\n');
      if (assign_lines_insert(&out, rest, rlen, s, nl, ASSIGN_FT_PLAIN, &resorted)) {
        if (count_lines(out.s, out.len) != before + 1) __builtin_trap();
        if (assign_lines_remove(&key, out.s, out.len, s, nl, 0) < 1) __builtin_trap();
      }
      if (assign_lines_insert(&out, rest, rlen, s, nl, ASSIGN_FT_ASSIGN, &resorted))
        if (out.len < 2 || memcmp(out.s + out.len - 2, ".\n", 2)) __builtin_trap();
    }
  }
  assign_free(&d);
  stralloc_free(&out);
  stralloc_free(&key);
  return 0;
}
