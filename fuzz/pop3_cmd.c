/* fuzz/pop3_cmd.c — POP3 command lines as qmail-popup and qmail-pop3d
 * read them: lib/linein (LINEIN_NONUL), lib/cmdword (flags 0), words
 * and numbers. The input is fed in slices whose sizes come from the input;
 * the first byte picks the line maximum. Invariants are asserted with
 * abort(). */
#include <stdint.h>
#include <stdlib.h>
#include "linein.h"
#include "cmdword.h"
#include "../pop3/pop3_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct linein l;
  size_t max, off = 1, step = 1;
  if (size < 1) return 0;
  max = data[0] & 1 ? 8 + data[0] * 48 : 255;
  linein_init(&l, max, LINEIN_NONUL);
  while (off < size) {
    size_t used, n = size - off, i;
    int r;
    if (n > step) n = step;
    step = step * 5 % 23 + 1;
    r = linein_feed(&l, (const char *)data + off, n, &used);
    if (r < 0) abort();
    if (used > n || (r == LINEIN_MORE && used != n) || (r != LINEIN_MORE && !used))
      abort();
    if (l.line.len > max) abort();
    off += used;
    if (r != LINEIN_MORE && r != LINEIN_DONE && l.line.len) abort();
    if (r == LINEIN_DONE) {
      struct cmdword c;
      const char *p, *w;
      size_t len, wlen;
      unsigned long num;
      int k = 0;
      for (i = 0; i < l.line.len; ++i)
        if (l.line.s[i] == '\0' || l.line.s[i] == '\n') abort();
      cmdword_split(l.line.s, l.line.len, 0, &c);
      if (c.verblen + c.arglen > l.line.len) abort();
      p = c.arg; len = c.arglen;
      while (pop3cmd_word(&p, &len, &w, &wlen)) {
        if (!wlen || wlen > c.arglen) abort();
        if (cmdword_number(w, wlen, &num) && wlen > 20) abort();
        if (++k > 1000) abort();
      }
      (void)cmdword_is(c.verb, c.verblen, "uidl");
    }
  }
  linein_free(&l);
  return 0;
}
