/* fuzz/smtp_addr.c — MAIL/RCPT path parsing; asserts that an accepted
 * address holds no control byte, fits SMTPADDR_MAX and is NUL-ended. */
#include <stdint.h>
#include <stdlib.h>
#include "../qmail-smtpd/smtp_addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct smtpaddr a = {{0}, 0, 0};
  int r = smtpaddr_parse(&a, (const char *)data, size);
  if (r < 0) abort();
  if (r == 1) {
    size_t i, dl;
    if (a.addr.len > SMTPADDR_MAX || a.rest > size) abort();
    if (a.addr.s[a.addr.len] != 0) abort();
    for (i = 0; i < a.addr.len; ++i) {
      unsigned char c = (unsigned char)a.addr.s[i];
      if (c < 0x20 || c == 0x7f) abort();
    }
    if (a.utf8 && !smtpaddr_utf8_ok(a.addr.s, a.addr.len)) abort();
    (void)smtpaddr_domain(a.addr.s, a.addr.len, &dl);
    if (dl > a.addr.len) abort();
  }
  smtpaddr_free(&a);
  return 0;
}
