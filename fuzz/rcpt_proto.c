/* fuzz/rcpt_proto.c — qmail-rcptcheck's request parser: an accepted
 * request has a valid mode and an address within the bounds, with no
 * control byte or space; a queue request announces an envelope within
 * bounds; a reply built from any text is bounded; a queue reply head
 * that parses has a bounded text. */
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
  if (rcptp_qreq_parse((const char *)data, size, &al) && (al < 2 || al > RCPTP_ENVMAX)) abort();
  if (size >= RCPTP_QREPLYHEAD) {
    int code, sig;
    unsigned long pid;
    if (rcptp_qreply_head((const char *)data, &code, &sig, &pid, &al)
        && (al > RCPTP_QTEXTMAX || code > 255 || (sig != 0 && sig != 1) || pid > 0xffffffffUL)) abort();
  }
  if (!rcptp_qreply_put(&o, 82, 0, 1, (const char *)data, size)) abort();
  if (o.len < RCPTP_QREPLYHEAD || o.len > RCPTP_QREPLYHEAD + RCPTP_QTEXTMAX) abort();
  o.len = 0;
  if (!rcptp_reply_put(&o, RCPTP_OK, (const char *)data, size)) abort();
  if (o.len < 2 || o.len > 2 + RCPTP_TEXTMAX || (unsigned char)o.s[1] != o.len - 2) abort();
  for (i = 2; i < o.len; ++i)
    if ((unsigned char)o.s[i] < 0x20 || (unsigned char)o.s[i] >= 0x7f) abort();
  stralloc_free(&o);
  return 0;
}
