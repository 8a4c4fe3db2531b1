/* fuzz/pop3_cmd.c — pop3_cmd line assembly, keyword split, words and
 * numbers. The input is fed in slices whose sizes come from the input;
 * the first byte picks the line maximum. Invariants are asserted with
 * abort(). */
#include <stdint.h>
#include <stdlib.h>
#include "../pop3/pop3_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct pop3line l;
  size_t max, off = 1, step = 1;
  if (size < 1) return 0;
  max = data[0] & 1 ? 8 + data[0] * 48 : 255;
  pop3line_init(&l, max);
  while (off < size) {
    size_t used, n = size - off, i;
    int r;
    if (n > step) n = step;
    step = step * 5 % 23 + 1;
    r = pop3line_feed(&l, (const char *)data + off, n, &used);
    if (r < 0) abort();
    if (used > n || (r == POP3LINE_MORE && used != n) || (r != POP3LINE_MORE && !used))
      abort();
    if (l.line.len > max) abort();
    off += used;
    if (r != POP3LINE_MORE && r != POP3LINE_DONE && l.line.len) abort();
    if (r == POP3LINE_DONE) {
      struct pop3cmd c;
      const char *p, *w;
      size_t len, wlen;
      unsigned long num;
      int k = 0;
      for (i = 0; i < l.line.len; ++i)
        if (l.line.s[i] == '\0' || l.line.s[i] == '\n') abort();
      pop3cmd_split(l.line.s, l.line.len, &c);
      if (c.verblen + c.arglen > l.line.len) abort();
      p = c.arg; len = c.arglen;
      while (pop3cmd_word(&p, &len, &w, &wlen)) {
        if (!wlen || wlen > c.arglen) abort();
        if (pop3cmd_number(w, wlen, &num) && wlen > 20) abort();
        if (++k > 1000) abort();
      }
      (void)pop3cmd_is(c.verb, c.verblen, "uidl");
    }
  }
  pop3line_free(&l);
  return 0;
}
