/* fuzz/dotqmail.c — qmail-local's .qmail rules and vdelivermail's header
 * checks on arbitrary bytes: .qmail lines, vdelivermail lines, Maildir
 * paths, header blocks and extensions. */
#include <stdint.h>
#include <string.h>
#include "../vdeliver/dotqmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  stralloc a = {0}, b = {0};
  const char *arg;
  size_t alen, hl;
  int n, r;

  r = dq_line(s, size, &arg, &alen);
  if (arg < s || arg + alen > s + size) __builtin_trap();
  if (r == DQ_PROG && dq_vdm_line(arg, alen, &a) == 1 && a.len > alen) __builtin_trap();
  if (dq_path_addr(&a, s, size) == 1 && a.len && a.s[a.len] != '\0') __builtin_trap();
  hl = dq_header_len(s, size);
  if (hl > size) __builtin_trap();
  (void)dq_loop_hit(s, size, "a@b", 3);
  if (size < 300 && dq_valid_user(s, size)) {
    for (n = 0; (r = dq_candidate(&a, &b, s, size, n)) == 1; ++n) {
      if (memchr(a.s, '/', a.len) || memchr(a.s, '.', a.len) != a.s) __builtin_trap();
      if (b.len > size) __builtin_trap();
    }
    if (r != 0 || n > (int)size + 2) __builtin_trap();
  }
  stralloc_free(&a);
  stralloc_free(&b);
  return 0;
}
