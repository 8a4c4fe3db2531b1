/* qmail-smtpd/qmail-rcptcheck.c — the privileged recipient lookup
 * helper of qmail-smtpd (see qmail-rcptcheck(8), rcpt_proto.h,
 * rcpt_answer.h).
 *
 * qmail-smtpd starts it once per session on a socketpair (fd 0 reads
 * requests, fd 1 writes replies). It answers each request with one
 * reply, in order, until end of file (exit 0). A malformed request is
 * fatal (exit 100): qmail-smtpd never sends one, so it means a bug or a
 * hostile caller, and the helper does not try to resynchronise.
 *
 * SECURITY: installed setuid to the mail-store id (mode 6711, like
 * qmail-queue) and executable by anyone, so it trusts nothing from its
 * caller except the records: the real ids are set to the effective ones,
 * the environment is replaced by PATH alone when setuid (paths.h then
 * ignores QMAILDIR/VPOPMAILDIR), umask 077, argv is ignored, fds 0-2 are
 * kept open. Each request is bounded (2-byte length, at most
 * RCPTP_REQMAX bytes) and validated before use. The answers say only
 * whether an address would be delivered — what a delivery attempt would
 * reveal anyway — never a password, a path or a quota figure; the text
 * is the delivery module's reason, sent for qmail-smtpd's log. Started
 * as root without the setuid bit it switches to the mail-store ids
 * first; it never runs a lookup as root. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "paths.h"
#include "privdrop.h"
#include "rcpt_answer.h"
#include "rcpt_proto.h"
#include "sa.h"

static void __attribute__((noreturn)) die(int code, const char *event, const char *why)
{
  log_event(code ? "fatal" : "info", event, "reason", why, (char *)0);
  _exit(code);
}

static void fds_open(void)
{
  int fd;
  while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2) ;
  if (fd > 2) close(fd);
}

static void privileges(void)
{
  switch (privdrop_mailstore()) {
  case PRIVDROP_OK: return;
  case PRIVDROP_NOUSER: die(111, "setup", "no mail-store user");
  case PRIVDROP_SETGROUPS: die(111, "setup", "setgroups failed");
  case PRIVDROP_SETIDS: die(111, "setup", "cannot set ids");
  case PRIVDROP_ROOT: die(111, "setup", "refusing to run as root");
  case PRIVDROP_NOMEM: die(111, "setup", "out of memory");
  }
  die(111, "setup", "privilege drop");
}

/* Reads exactly n bytes from fd 0. 1, 0 at end of file before the first
 * byte, -1 on a read error or a short record. */
static int readn(char *b, size_t n)
{
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(0, b + got, n - got);
    if (r == -1) { if (errno == EINTR) continue; return -1; }
    if (r == 0) return got ? -1 : 0;
    got += (size_t)r;
  }
  return 1;
}

static int writeall(const char *s, size_t n)
{
  while (n) {
    ssize_t w = write(1, s, n);
    if (w == -1) { if (errno == EINTR) continue; return -1; }
    s += w; n -= (size_t)w;
  }
  return 0;
}

int main(void)
{
  char len[2], req[RCPTP_REQMAX];
  stralloc why = {0}, out = {0};
  const char *a;
  size_t n, alen;
  int mode, pct, st, r;

  fds_open();
  log_init("qmail-rcptcheck");
  signal(SIGPIPE, SIG_IGN);
  privileges();
  umask(077);
  for (;;) {
    r = readn(len, 2);
    if (r == 0) break;
    if (r == -1) die(100, "protocol", "short or unreadable record");
    n = ((size_t)(unsigned char)len[0] << 8) | (unsigned char)len[1];
    if (!rcptp_req_len_ok(n)) die(100, "protocol", "bad record length");
    if (readn(req, n) != 1) die(100, "protocol", "short record");
    if (!rcptp_req_parse(req, n, &mode, &pct, &a, &alen)) die(100, "protocol", "malformed record");
    st = rcpta_judge(mode, pct, a, alen, &why);
    out.len = 0;
    if (!rcptp_reply_put(&out, st, why.s ? why.s : "", why.len)) die(111, "reply", "out of memory");
    if (writeall(out.s, out.len) == -1) die(111, "reply", "write failed");
  }
  stralloc_free(&why);
  stralloc_free(&out);
  return 0;
}
