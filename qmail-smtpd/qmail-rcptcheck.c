/* qmail-smtpd/qmail-rcptcheck.c — the privileged helper of qmail-smtpd:
 * recipient lookups and the local queue step (see qmail-rcptcheck(8),
 * rcpt_proto.h, rcpt_answer.h, qqdeliver.h).
 *
 * qmail-smtpd starts it once per session on a socketpair (fd 0 reads
 * requests, fd 1 writes replies). It answers each request with one
 * reply, in order, until end of file (exit 0). A malformed request is
 * fatal (exit 100): qmail-smtpd never sends one, so it means a bug or a
 * hostile caller, and the helper does not try to resynchronise.
 *
 * A queue request carries a whole message (a sealed memory file) and
 * its envelope: the helper runs exactly qmail-queue's queue step
 * (qqdeliver.h; its log lines say qmail-queue) and replies with the
 * code qmail-queue would have exited with (82 with the custom error
 * text). This replaces a fork + exec of qmail-queue per message: no
 * process, no program load, no C library start-up, no pipe copy of the
 * message, and the user store's CDB files stay open between messages.
 * On the 2-core development VM a fork + exit alone cost about 0.4 ms of
 * CPU per message, so the step runs in this process; the queue step
 * frees what it allocates per message, a crash or the 24-hour alarm
 * (exit 52) ends this helper, and qmail-smtpd then answers 451 and
 * starts a new one for the next message.
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
 * first; it never runs a lookup as root. A queue request gives it no
 * more than running qmail-queue (setuid, executable by anyone) gives
 * the same caller: the envelope is bounded (RCPTP_ENVMAX) and parsed by
 * qqenv.c; the message descriptor must be a regular file sealed against
 * writing, growing and shrinking (so it cannot change under the
 * delivery, and reading it cannot block or fault), and it is only read
 * with pread; a descriptor arriving with any other record is fatal. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../vdeliver/deliver.h"
#include "../vdeliver/qqdeliver.h"
#include "../vdeliver/qqenv.h"
#include "fdpass.h"
#include "log.h"
#include "paths.h"
#include "privdrop.h"
#include "rcpt_answer.h"
#include "rcpt_proto.h"
#include "sa.h"
#include "str.h"

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

/* Reads exactly n bytes from fd 0. A descriptor passed with them
 * (fdpass.h; fd 0 may also be a pipe, which passes none) is stored in
 * *fd when fd is not NULL and *fd is -1; any other passed descriptor is
 * closed and makes the read fail. 1, 0 at end of file before the first
 * byte, -1 on a read error, a short record or an unwanted descriptor. */
static int readn(char *b, size_t n, int *fd)
{
  size_t got = 0;
  while (got < n) {
    int f = -1;
    long r = fdpass_recv(0, b + got, n - got, &f);
    if (r == -1 && errno == ENOTSOCK)   /* a pipe (tests, by hand): no descriptors */
      r = read(0, b + got, n - got);
    if (r == -1) { if (errno == EINTR) continue; return -1; }
    if (f != -1) {
      if (!fd || *fd != -1) { close(f); return -1; }
      *fd = f;
    }
    if (r == 0) return got ? -1 : 0;
    got += (size_t)r;
  }
  return 1;
}

/* Is fd a memory file sealed against writing, growing and shrinking? */
static int sealed(int fd)
{
  struct stat st;
  int seals = fcntl(fd, F_GET_SEALS);
  int need = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK;
  return seals != -1 && (seals & need) == need && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void queue_timeout(int sig)
{
  (void)sig;
  _exit(52);
}

/* Runs one queue request: reads the envelope, runs qmail-queue's queue
 * step on the message (logging as qmail-queue) and writes the reply.
 * 0, or -1 when the reply cannot be written (qmail-smtpd is gone). */
static int queue(int msgfd, size_t envlen, stralloc *out)
{
  stralloc env = {0};
  struct qqenv e = {0};
  char text[QQD_TEXTMAX];
  int rc, code;

  if (!stralloc_ready(&env, envlen)) die(111, "queue", "out of memory");
  if (readn(env.s, envlen, 0) != 1) die(100, "protocol", "short envelope");
  env.len = envlen;
  log_init("qmail-queue");
  text[0] = 0;
  rc = qqenv_parse(&e, env.s, env.len);
  if (rc == QQENV_MORE) rc = QQENV_BAD;
  if (rc != QQENV_OK) {
    log_event("warn", "envelope", "reason", "malformed envelope", (char *)0);
    code = qqd_envelope_code(rc);
  } else if (!sealed(msgfd)) {
    log_event("warn", "message", "reason", "message is not a sealed memory file", (char *)0);
    code = 81;
  } else {
    alarm(86400);
    code = qqd_deliver(msgfd, &e, text);
    alarm(0);
  }
  log_init("qmail-rcptcheck");
  qqenv_free(&e);
  stralloc_free(&env);
  close(msgfd);
  out->len = 0;
  if (!rcptp_qreply_put(out, code && *text ? 82 : code, 0, (unsigned long)getpid(),
                        text, code ? str_len(text) : 0))
    die(111, "reply", "out of memory");
  return dlv_write_all(1, out->s, out->len);
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
  signal(SIGALRM, queue_timeout);
  for (;;) {
    int msgfd = -1;
    size_t envlen;
    r = readn(len, 2, &msgfd);
    if (r == 0) break;
    if (r == -1) die(100, "protocol", "short or unreadable record");
    n = ((size_t)(unsigned char)len[0] << 8) | (unsigned char)len[1];
    if (!rcptp_req_len_ok(n)) die(100, "protocol", "bad record length");
    if (readn(req, n, 0) != 1) die(100, "protocol", "short record");
    if (req[0] == RCPTP_QUEUE) {
      if (!rcptp_qreq_parse(req, n, &envlen)) die(100, "protocol", "malformed queue record");
      if (msgfd == -1) die(100, "protocol", "queue record without a message");
      if (queue(msgfd, envlen, &out) == -1) die(111, "reply", "write failed");
      continue;
    }
    if (msgfd != -1) die(100, "protocol", "descriptor with a lookup record");
    if (!rcptp_req_parse(req, n, &mode, &pct, &a, &alen)) die(100, "protocol", "malformed record");
    st = rcpta_judge(mode, pct, a, alen, &why);
    out.len = 0;
    if (!rcptp_reply_put(&out, st, why.s ? why.s : "", why.len)) die(111, "reply", "out of memory");
    if (dlv_write_all(1, out.s, out.len) == -1) die(111, "reply", "write failed");
  }
  stralloc_free(&why);
  stralloc_free(&out);
  return 0;
}
