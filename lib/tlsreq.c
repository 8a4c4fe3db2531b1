/* lib/tlsreq.c — a protocol program's side of the TLS stage, and the
 * record format both sides of the control socket use (see tlsreq.h).
 *
 * Invariants: after tlsreq_starttls returns 1 the process holds no
 * descriptor of the network socket (fds 0 and 1 are the plaintext
 * socket to the helper) and no control socket; whatever happens, the
 * control socket is closed and QVTLSCTL unset once STARTTLS was tried,
 * so it cannot be tried twice.
 *
 * SECURITY: the records come from our own helper (qvtls), not from the
 * network; still every length is checked and a malformed record is an
 * error, never a partial success. Field values are exported as
 * environment variables only; they contain no NUL by construction. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "fdpass.h"
#include "scan.h"
#include "tlsreq.h"

/* The control socket's fd from QVTLSCTL, or -1. */
static int ctlfd(void)
{
  const char *v = getenv("QVTLSCTL");
  unsigned long u;
  size_t n;
  struct stat st;
  if (!v || !*v) return -1;
  n = scan_ulong(v, &u);
  if (!n || v[n] || u < 3 || u > 65535) return -1;
  if (fstat((int)u, &st) == -1 || !S_ISSOCK(st.st_mode)) return -1;
  return (int)u;
}

int tlsreq_active(void)
{
  const char *v = getenv("SSL_PROTOCOL");
  return v && *v;
}

int tlsreq_offerable(void)
{
  return !tlsreq_active() && ctlfd() >= 0;
}

static size_t putfield(char *p, const char *s)
{
  size_t n = strlen(s);
  if (n > TLSREQ_FIELDMAX) n = TLSREQ_FIELDMAX;
  p[0] = (char)(n >> 8);
  p[1] = (char)(n & 0xff);
  memcpy(p + 2, s, n);
  return n + 2;
}

size_t tlsreq_encode(char *buf, int ok, const struct tlsreq_info *info)
{
  size_t len = 1;
  buf[0] = ok ? 'K' : 'Z';
  len += putfield(buf + len, info->protocol);
  len += putfield(buf + len, info->cipher);
  len += putfield(buf + len, info->sni);
  len += putfield(buf + len, info->dn);
  return len;
}

static int getfield(char *out, const char *buf, size_t len, size_t *pos)
{
  size_t n;
  if (len - *pos < 2) return 0;
  n = ((size_t)(unsigned char)buf[*pos] << 8) | (unsigned char)buf[*pos + 1];
  *pos += 2;
  if (n > TLSREQ_FIELDMAX || len - *pos < n) return 0;
  if (memchr(buf + *pos, 0, n)) return 0;
  memcpy(out, buf + *pos, n);
  out[n] = 0;
  *pos += n;
  return 1;
}

int tlsreq_decode(struct tlsreq_info *info, const char *buf, size_t len)
{
  size_t pos = 1;
  if (!len || (buf[0] != 'K' && buf[0] != 'Z')) goto bad;
  if (!getfield(info->protocol, buf, len, &pos) || !getfield(info->cipher, buf, len, &pos)
      || !getfield(info->sni, buf, len, &pos) || !getfield(info->dn, buf, len, &pos)
      || pos != len)
    goto bad;
  if (buf[0] == 'Z') return 0;
  if (!info->protocol[0]) goto bad;   /* "TLS up" must name the protocol */
  return 1;
bad:
  errno = EPROTO;
  return -1;
}

int tlsreq_setenv(const struct tlsreq_info *info)
{
  if (setenv("SSL_PROTOCOL", info->protocol, 1) == -1
      || setenv("SSL_CIPHER", info->cipher, 1) == -1
      || setenv("SSL_TLS_SNI", info->sni, 1) == -1
      || setenv("SSL_CLIENT_S_DN", info->dn, 1) == -1
      || unsetenv("QVTLSCTL") == -1)
    return 0;
  return 1;
}

int tlsreq_starttls(void)
{
  int sock = ctlfd(), plain = -1, e;
  char buf[TLSREQ_RECMAX];
  static struct tlsreq_info info;
  long n;

  if (sock < 0) { errno = ENOTSOCK; unsetenv("QVTLSCTL"); return 0; }
  if (!fdpass_send(sock, "S", 1, 0)) goto fail;
  /* the network socket now belongs to the helper: drop every copy here */
  close(0);
  close(1);
  n = fdpass_recv(sock, buf, sizeof buf, &plain);
  if (n < 0) goto fail;
  if (n == 0) { errno = ECONNRESET; goto fail; }
  switch (tlsreq_decode(&info, buf, (size_t)n)) {
    case 1: break;
    case 0: errno = ECONNABORTED; goto fail;
    default: goto fail;
  }
  if (plain < 0) { errno = EPROTO; goto fail; }
  /* fds 0 and 1 are closed, so plain may itself be 0 or 1 */
  if ((plain != 0 && dup2(plain, 0) == -1) || (plain != 1 && dup2(plain, 1) == -1)) goto fail;
  if (plain > 1) close(plain);
  plain = -1;
  /* the plaintext socket is inherited by what we exec */
  fcntl(0, F_SETFD, 0);
  fcntl(1, F_SETFD, 0);
  close(sock);
  if (!tlsreq_setenv(&info)) return 0;
  return 1;
fail:
  e = errno;
  if (plain >= 0) close(plain);
  close(sock);
  unsetenv("QVTLSCTL");
  errno = e;
  return 0;
}
