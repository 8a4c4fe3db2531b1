/* fuzz/smtp_cmd.c — SMTP command lines as qmail-smtpd reads them:
 * lib/linein (flags 0), lib/cmdword (CMDWORD_TRIM), ESMTP params, BDAT
 * arguments. The input is fed in slices whose sizes come from the
 * input itself; invariants are asserted with abort(). */
#include <stdint.h>
#include <stdlib.h>
#include "linein.h"
#include "cmdword.h"
#include "../qmail-smtpd/smtp_cmd.h"
#include "../qmail-smtpd/smtp_addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct linein l;
  struct smtpaddr a = {{0}, 0, 0};
  size_t max, off = 1, step = 1;
  if (size < 1) return 0;
  max = 16 + data[0] * 4;
  linein_init(&l, max, 0);
  while (off < size) {
    size_t used, n = size - off;
    int r;
    if (n > step) n = step;
    step = step * 3 % 17 + 1;
    r = linein_feed(&l, (const char *)data + off, n, &used);
    if (r < 0) abort();
    if (used > n || (r == LINEIN_MORE && used != n)) abort();
    if (l.line.len > max) abort();
    off += used;
    if (r == LINEIN_DONE) {
      struct cmdword c;
      struct smtpparam p;
      const char *s;
      size_t len;
      unsigned long num;
      int last, k = 0;
      cmdword_split(l.line.s, l.line.len, CMDWORD_TRIM, &c);
      if (c.verblen + c.arglen > l.line.len) abort();
      if (smtpaddr_parse(&a, c.arg, c.arglen) == 1) {
        if (a.rest > c.arglen) abort();
        s = c.arg + a.rest;
        len = c.arglen - a.rest;
        while (smtpcmd_param(&s, &len, &p) == 1 && ++k < 1000)
          if (p.keylen == 0) abort();
      }
      (void)smtpcmd_bdat(c.arg, c.arglen, &num, &last);
      (void)cmdword_is(c.verb, c.verblen, "ehlo");
    }
  }
  linein_free(&l);
  smtpaddr_free(&a);
  return 0;
}
