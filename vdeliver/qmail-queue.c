/* vdeliver/qmail-queue.c — qvmail's qmail-queue: the qmail-queue(8)
 * interface (message on fd 0, envelope on fd 1) delivering recipients of
 * vpopmail domains straight into their Maildirs.
 *
 * Order of work, so that exit 0 means "every copy is on disk" and any
 * other exit means "nothing was acknowledged":
 *  1. read the whole message into an anonymous file (a memory file up
 *     to 1 MB, then on the store's disk; nothing survives a crash),
 *     then the envelope (bounded);
 *  2. every recipient must be in a vpopmail domain: a remote recipient
 *     (the outbound queue is a later issue) makes the whole message a
 *     temporary failure, 71, before anything is delivered;
 *  3. a dry run of every delivery (users, .qmail files, loops, quota):
 *     any temporary failure -> 71, any permanent one -> 31 (qmail-queue
 *     cannot bounce; qmail-smtpd then rejects with 554), nothing written;
 *  4. the deliveries, each fsynced (file and new/) before the next; a
 *     failure here (a race with the dry run, a disk error) exits 71 or
 *     31 and copies already made stay (qmail's at-least-once rule: a
 *     retry may duplicate, never lose).
 * A refusal of a recipient is reported with notqmail's custom error
 * (fd 6, exit 82) when the caller provides it, else with the code.
 * Exit codes as qmail-queue(8): 0 ok, 11 address too long, 31 refused,
 * 51 out of memory, 52 timeout (24 h), 53 write error, 54 read error,
 * 55 configuration unreadable, 71 temporary refusal, 81 internal, 91
 * envelope format error.
 *
 * SECURITY: setuid to the mail-store id and run by any local user
 * (qmail-smtpd's qmaild, qmail-inject): the real ids are set to the
 * effective ones, the environment is replaced by PATH alone, paths.h
 * ignores QMAILDIR/VPOPMAILDIR (AT_SECURE), umask 077. Started as root
 * without the setuid bit it switches to the mail-store ids first; it
 * never writes a message as root. The message and envelope are untrusted
 * and bounded (qqenv.h); the message is never parsed beyond its header
 * for the loop check. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include "deliver.h"
#include "log.h"
#include "paths.h"
#include "privdrop.h"
#include "qqenv.h"
#include "sa.h"
#include "str.h"


static void __attribute__((noreturn)) die(int code, const char *event, const char *why)
{
  log_event(code == 0 ? "info" : "warn", event, "reason", why, "exit", code == 31 ? "31" :
            code == 71 ? "71" : code == 11 ? "11" : code == 91 ? "91" : code == 54 ? "54" :
            code == 53 ? "53" : code == 51 ? "51" : code == 55 ? "55" : "other", (char *)0);
  _exit(code);
}

/* notqmail's custom error: when fd 6 is a pipe (qmail-smtpd and the
 * qmail-queue filters open it), write "D<text>" (permanent) or
 * "Z<text>" (temporary), first line only, control bytes dropped, and
 * exit 82, so the SMTP reply carries vpopmail's reason (554 user is over
 * quota). Without that pipe the plain exit code is used. */
static void __attribute__((noreturn)) refuse(int code, const char *event, const char *why,
                                             const char *rcpt, const char *text)
{
  struct stat st;
  char buf[400];
  size_t n = 0, i;
  if (text && *text && fstat(6, &st) == 0 && S_ISFIFO(st.st_mode)) {
    buf[n++] = code == 31 ? 'D' : 'Z';
    if (rcpt) {
      for (i = 0; rcpt[i] && n < 200; ++i)
        if ((unsigned char)rcpt[i] >= 0x20 && rcpt[i] != 0x7f) buf[n++] = rcpt[i];
      buf[n++] = ':'; buf[n++] = ' ';
    }
    for (i = 0; text[i] && text[i] != '\n' && n < sizeof buf - 1; ++i)
      if ((unsigned char)text[i] >= 0x20 && text[i] != 0x7f) buf[n++] = text[i];
    if (dlv_write_all(6, buf, n) == 0) {
      log_event("warn", event, "reason", why, "exit", "82", (char *)0);
      _exit(82);
    }
  }
  die(code, event, why);
}

static void timeout(int sig)
{
  (void)sig;
  _exit(52);
}

/* qmail-queue's exit codes for each failed step of the drop */
static void privileges(void)
{
  switch (privdrop_mailstore()) {
  case PRIVDROP_OK: return;
  case PRIVDROP_NOUSER: die(55, "setup", "no mail-store user");
  case PRIVDROP_SETGROUPS: die(81, "setup", "setgroups failed");
  case PRIVDROP_SETIDS: die(81, "setup", "cannot set ids");
  case PRIVDROP_ROOT: die(81, "setup", "refusing to deliver as root");
  case PRIVDROP_NOMEM: die(51, "setup", "out of memory");
  }
  die(81, "setup", "privilege drop");
}

/* A message up to MEM_MAX bytes is held in a memory file (memfd): no
 * inode on the mail store is allocated and freed per message (on ext4
 * that allocation scans past recently deleted inodes and was a tenth of
 * qmail-queue's CPU time). A larger message moves to an anonymous file
 * in VPOPMAILDIR/domains, so memory use stays bounded. */
#define MEM_MAX (1024 * 1024)

/* Moves the first n bytes of memfd fd into an anonymous file on disk;
 * returns the new fd (the memfd is closed), or -1 with errno. */
static int spill(int fd, off_t n)
{
  char buf[65536];
  off_t off = 0;
  int t = dlv_anon_file();
  if (t == -1) return -1;
  while (off < n) {
    ssize_t r = pread(fd, buf, sizeof buf, off);
    if (r == -1) { if (errno == EINTR) continue; close(t); return -1; }
    if (r == 0) { close(t); errno = EIO; return -1; }
    if (dlv_write_all(t, buf, (size_t)r) == -1) { close(t); return -1; }
    off += r;
  }
  close(fd);
  return t;
}

/* fd 0 into an anonymous file (memory first); returns its fd. */
static int read_message(void)
{
  char buf[65536];
  off_t total = 0;
  int mem = 1;
  int fd = memfd_create("qmail-queue", MFD_CLOEXEC);
  if (fd == -1) { mem = 0; fd = dlv_anon_file(); }
  if (fd == -1) die(53, "message", "cannot create a temporary file");
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n == -1) { if (errno == EINTR) continue; die(54, "message", "read error"); }
    if (n == 0) break;
    if (mem && total + n > MEM_MAX) {
      if ((fd = spill(fd, total)) == -1) die(53, "message", "cannot create a temporary file");
      mem = 0;
    }
    if (dlv_write_all(fd, buf, (size_t)n) == -1) die(53, "message", "write error or disk full");
    total += n;
  }
  return fd;
}

static void read_envelope(struct qqenv *e)
{
  stralloc b = {0};
  size_t max = (QQENV_ADDR_MAX + 2) * (QQENV_RCPT_MAX + 1) + 1;
  for (;;) {
    ssize_t n;
    int rc;
    if (!stralloc_readyplus(&b, 4096)) die(51, "envelope", "out of memory");
    n = read(1, b.s + b.len, 4096);
    if (n == -1) { if (errno == EINTR) continue; die(54, "envelope", "read error"); }
    if (n == 0) die(54, "envelope", "end of envelope before its final NUL");
    b.len += (size_t)n;
    rc = qqenv_parse(e, b.s, b.len);
    if (rc == QQENV_OK) break;
    if (rc == QQENV_TOOLONG) die(11, "envelope", "address too long");
    if (rc == QQENV_TOOMANY) die(31, "envelope", "too many recipients");
    if (rc == QQENV_BAD) die(91, "envelope", "format error");
    if (rc == QQENV_NOMEM) die(51, "envelope", "out of memory");
    if (b.len > max) die(91, "envelope", "too large");
  }
  stralloc_free(&b);
}

/* A setuid program may be started with fd 2 closed: the next file it
 * opens would then receive the log lines. Keep 0-2 open (on /dev/null). */
static void fds_open(void)
{
  int fd;
  while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2) ;
  if (fd > 2) close(fd);
}

int main(void)
{
  struct qqenv e = {0};
  struct dlv_msg m;
  struct dlv_ctx c;
  struct dlv_result r;
  const char *rc;
  size_t i, at;
  int fd, pass;

  fds_open();
  log_init("qmail-queue");
  signal(SIGALRM, timeout);
  alarm(86400);
  signal(SIGPIPE, SIG_IGN);
  privileges();
  umask(077);

  fd = read_message();
  read_envelope(&e);
  if (dlv_msg_init(&m, fd) == -1) die(54, "message", "cannot read the message back");
  if (!dlv_ctx_init(&c, &m, e.sender.s, e.sender.len)) die(51, "setup", "out of memory");

  /* 2: every recipient must be ours */
  for (i = 0; i < e.rcpts.len; i += str_len(e.rcpts.s + i) + 1) {
    rc = e.rcpts.s + i;
    at = str_rchr(rc, '@');
    if (!rc[at]) {
      log_event("warn", "refused", "to", rc, "reason", "recipient without a domain", (char *)0);
      die(31, "refused", "recipient without a domain");
    }
    switch (dlv_domain_local(rc + at + 1, str_len(rc + at + 1))) {
      case -1: die(55, "config", "unable to read users/cdb");
      case 0:
        log_event("warn", "deferred", "to", rc, "reason",
                  "remote recipient: no outbound queue yet", (char *)0);
        refuse(71, "deferred", "remote recipient", rc,
               "remote delivery is not available yet (#4.3.0)");
      default: break;
    }
  }

  /* 3: dry run, 4: delivery */
  dlv_result_init(&r);
  for (pass = 0; pass < 2; ++pass) {
    c.dryrun = pass == 0;
    for (i = 0; i < e.rcpts.len; i += str_len(e.rcpts.s + i) + 1) {
      rc = e.rcpts.s + i;
      dlv_address(&c, rc, str_len(rc), &r);
      if (r.code == DLV_PERM) {
        log_event("warn", "refused", "to", rc, "reason", r.text.s, (char *)0);
        refuse(31, "refused", pass ? "permanent failure during delivery" : "permanent failure",
               rc, r.text.s);
      }
      if (r.code == DLV_TEMP) {
        log_event("warn", "deferred", "to", rc, "reason", r.text.s, (char *)0);
        refuse(71, "deferred", pass ? "temporary failure during delivery" : "temporary failure",
               rc, r.text.s);
      }
      if (pass) log_event("info", "delivered", "to", rc, "from", e.sender.s, (char *)0);
    }
  }
  _exit(0);
}
