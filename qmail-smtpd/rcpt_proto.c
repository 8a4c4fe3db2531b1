/* qmail-smtpd/rcpt_proto.c — the qmail-smtpd <-> qmail-rcptcheck
 * records (see rcpt_proto.h). Pure: no I/O.
 *
 * SECURITY: the helper parses requests built from network addresses; a
 * request is accepted only when its length, mode byte and every address
 * byte are within the documented bounds, so nothing unbounded or with a
 * control byte reaches the delivery module's lookups. */
#include <errno.h>
#include "byte.h"
#include "rcpt_proto.h"

int rcptp_addr_ok(const char *a, size_t len)
{
  size_t i, at;
  if (len < 3 || len > RCPTP_ADDRMAX) return 0;
  for (i = 0; i < len; ++i)
    if ((unsigned char)a[i] < 0x20 || (unsigned char)a[i] == 0x7f) return 0;
  at = byte_rchr(a, len, '@');
  return at != len && at != 0 && at != len - 1;
}

int rcptp_req_len_ok(size_t n)
{
  return n >= 3 && n <= RCPTP_REQMAX;
}

int rcptp_req_put(stralloc *out, int mode, unsigned long fullpct, const char *a, size_t len)
{
  char h[4];
  if ((mode != RCPTP_ALWAYS && mode != RCPTP_DOMAIN) || !rcptp_addr_ok(a, len)) {
    errno = EINVAL;
    return 0;
  }
  h[0] = (char)((len + 2) >> 8);
  h[1] = (char)((len + 2) & 0xff);
  h[2] = (char)mode;
  h[3] = (char)(fullpct > 255 ? 255 : fullpct);
  if (!stralloc_catb(out, h, 4) || !stralloc_catb(out, a, len)) { errno = ENOMEM; return 0; }
  return 1;
}

int rcptp_req_parse(const char *b, size_t n, int *mode, int *fullpct, const char **a, size_t *alen)
{
  if (!rcptp_req_len_ok(n)) return 0;
  if (b[0] != RCPTP_ALWAYS && b[0] != RCPTP_DOMAIN) return 0;
  if (!rcptp_addr_ok(b + 2, n - 2)) return 0;
  *mode = b[0];
  *fullpct = (unsigned char)b[1];
  *a = b + 2;
  *alen = n - 2;
  return 1;
}

int rcptp_status_ok(int c)
{
  return c == RCPTP_OK || c == RCPTP_NOMAILBOX || c == RCPTP_FULL || c == RCPTP_TEMP ||
         c == RCPTP_NOTJUDGED;
}

int rcptp_reply_put(stralloc *out, int status, const char *t, size_t tlen)
{
  char buf[2 + RCPTP_TEXTMAX];
  size_t i, n = 2;
  for (i = 0; i < tlen && t[i] != '\n' && n < sizeof buf; ++i)
    if ((unsigned char)t[i] >= 0x20 && (unsigned char)t[i] < 0x7f) buf[n++] = t[i];
  buf[0] = (char)status;
  buf[1] = (char)(n - 2);
  if (!stralloc_catb(out, buf, n)) { errno = ENOMEM; return 0; }
  return 1;
}

int rcptp_qreq_put(stralloc *out, size_t envlen)
{
  char h[RCPTP_QREQHEAD];
  if (envlen < 2 || envlen > RCPTP_ENVMAX) { errno = EINVAL; return 0; }
  h[0] = 0;
  h[1] = RCPTP_QREQLEN;
  h[2] = RCPTP_QUEUE;
  h[3] = (char)(envlen >> 24);
  h[4] = (char)(envlen >> 16);
  h[5] = (char)(envlen >> 8);
  h[6] = (char)envlen;
  if (!stralloc_catb(out, h, sizeof h)) { errno = ENOMEM; return 0; }
  return 1;
}

int rcptp_qreq_parse(const char *b, size_t n, size_t *envlen)
{
  size_t l;
  if (n != RCPTP_QREQLEN || b[0] != RCPTP_QUEUE) return 0;
  l = ((size_t)(unsigned char)b[1] << 24) | ((size_t)(unsigned char)b[2] << 16)
      | ((size_t)(unsigned char)b[3] << 8) | (unsigned char)b[4];
  if (l < 2 || l > RCPTP_ENVMAX) return 0;
  *envlen = l;
  return 1;
}

int rcptp_qreply_put(stralloc *out, int code, int signalled, unsigned long pid,
                     const char *t, size_t tlen)
{
  char buf[RCPTP_QREPLYHEAD + RCPTP_QTEXTMAX];
  size_t i, n = RCPTP_QREPLYHEAD;
  for (i = 0; i < tlen && t[i] != '\n' && n < sizeof buf; ++i)
    if ((unsigned char)t[i] >= 0x20 && (unsigned char)t[i] < 0x7f) buf[n++] = t[i];
  buf[0] = RCPTP_QUEUED;
  buf[1] = (char)(code & 0xff);
  buf[2] = (char)(signalled ? 1 : 0);
  buf[3] = (char)(pid >> 24);
  buf[4] = (char)(pid >> 16);
  buf[5] = (char)(pid >> 8);
  buf[6] = (char)pid;
  buf[7] = (char)((n - RCPTP_QREPLYHEAD) >> 8);
  buf[8] = (char)((n - RCPTP_QREPLYHEAD) & 0xff);
  if (!stralloc_catb(out, buf, n)) { errno = ENOMEM; return 0; }
  return 1;
}

int rcptp_qreply_head(const char *h, int *code, int *signalled, unsigned long *pid,
                      size_t *tlen)
{
  size_t t = ((size_t)(unsigned char)h[7] << 8) | (unsigned char)h[8];
  if (h[0] != RCPTP_QUEUED || (h[2] != 0 && h[2] != 1) || t > RCPTP_QTEXTMAX) return 0;
  *code = (unsigned char)h[1];
  *signalled = h[2];
  *pid = ((unsigned long)(unsigned char)h[3] << 24) | ((unsigned long)(unsigned char)h[4] << 16)
         | ((unsigned long)(unsigned char)h[5] << 8) | (unsigned char)h[6];
  *tlen = t;
  return 1;
}
