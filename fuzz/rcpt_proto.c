/* fuzz/rcpt_proto.c — qmail-rcptcheck's request parser: an accepted
 * request has a valid mode and an address within the bounds, with no
 * control byte or space; a reply built from any text is bounded. */
#include <stdint.h>
#include <stdlib.h>
#include "../qmail-smtpd/rcpt_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *a;
  size_t al, i;
  int mode, pct;
  stralloc o = {0};
  if (rcptp_req_parse((const char *)data, size, &mode, &pct, &a, &al)) {
    if (mode != RCPTP_ALWAYS && mode != RCPTP_DOMAIN) abort();
    if (pct < 0 || pct > 255) abort();
    if (al + 2 != size || al > RCPTP_ADDRMAX || a != (const char *)data + 2) abort();
    for (i = 0; i < al; ++i)
      if ((unsigned char)a[i] < 0x20 || (unsigned char)a[i] == 0x7f) abort();
  }
  if (!rcptp_reply_put(&o, RCPTP_OK, (const char *)data, size)) abort();
  if (o.len < 2 || o.len > 2 + RCPTP_TEXTMAX || (unsigned char)o.s[1] != o.len - 2) abort();
  for (i = 2; i < o.len; ++i)
    if ((unsigned char)o.s[i] < 0x20 || (unsigned char)o.s[i] >= 0x7f) abort();
  stralloc_free(&o);
  return 0;
}
