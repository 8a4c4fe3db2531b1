/* fuzz/linein.c — lib/linein against a model, and lib/cmdword's split.
 *
 * The first byte picks the maximum and the flags, the second the chunk
 * pattern; the rest is the stream. Each line's result is checked
 * against what the contract says it must be, worked out directly from
 * the whole stream (a line's size counts its LF: too long when over the
 * maximum, else a NUL under LINEIN_NONUL makes it a bad line, else the
 * line is its bytes less one CR before the LF). abort() on a mismatch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "linein.h"
#include "cmdword.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct linein l;
  const char *s;
  size_t len, max, off = 0, start = 0, step;
  int flags;
  if (size < 2) return 0;
  max = (data[0] >> 1) * 3;   /* 0..381: below LINEIN_MINMAX too */
  flags = data[0] & 1 ? LINEIN_NONUL : 0;
  step = data[1] % 37;        /* 0: the whole rest at once */
  s = (const char *)data + 2;
  len = size - 2;
  linein_init(&l, max, flags);
  if (max < LINEIN_MINMAX) max = LINEIN_MINMAX;
  if (l.max != max) abort();
  while (off < len) {
    size_t used, n = len - off, lf, want;
    const char *nl;
    int r, expect;
    if (step && n > step) n = step;
    if (step) step = step * 7 % 31 + 1;
    r = linein_feed(&l, s + off, n, &used);
    if (r < 0 || used > n) abort();
    if (l.line.len >= max || (l.line.s && l.line.a > max)) abort();
    off += used;
    if (r == LINEIN_MORE) {
      if (used != n || memchr(s + off - used, '\n', used)) abort();
      continue;
    }
    /* the model: the line is s[start .. lf], lf the first LF after start */
    nl = memchr(s + start, '\n', len - start);
    if (!nl) abort();
    lf = (size_t)(nl - s);
    if (!used || off != lf + 1) abort();
    if (l.count != lf + 1 - start) abort();
    if (lf + 1 - start > max) expect = LINEIN_TOOLONG;
    else if ((flags & LINEIN_NONUL) && memchr(s + start, '\0', lf - start)) expect = LINEIN_BADBYTE;
    else expect = LINEIN_DONE;
    if (r != expect) abort();
    if (r == LINEIN_DONE) {
      struct cmdword c;
      want = lf - start;
      if (want && s[lf - 1] == '\r') --want;
      if (l.line.len != want || (want && memcmp(l.line.s, s + start, want))) abort();
      cmdword_split(l.line.s, l.line.len, flags ? 0 : CMDWORD_TRIM, &c);
      if (c.verb != l.line.s || c.verblen > l.line.len) abort();
      if (c.arg < c.verb + c.verblen || c.arg + c.arglen > l.line.s + l.line.len) abort();
      if (memchr(c.verb, ' ', c.verblen)) abort();
      if (c.arglen && c.arg[0] == ' ') abort();
      if (!flags && c.arglen && c.arg[c.arglen - 1] == ' ') abort();
      if (cmdword_is(c.verb, c.verblen, "quit") && c.verblen != 4) abort();
    } else if (l.line.len) abort();
    start = off;
  }
  linein_free(&l);
  return 0;
}
