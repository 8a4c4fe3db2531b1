/* vdeliver/qmail-queue.c — qvmail's qmail-queue: the qmail-queue(8)
 * interface (message on fd 0, envelope on fd 1) delivering recipients of
 * vpopmail domains straight into their Maildirs.
 *
 * It reads the whole message into an anonymous file (a memory file up
 * to 1 MB, then on the store's disk; nothing survives a crash), then the
 * envelope (bounded), and hands both to the queue step (qqdeliver.h:
 * recipients checked, a dry run, then each copy fsynced), so that exit 0
 * means "every copy is on disk" and any other exit means "nothing was
 * acknowledged". qmail-smtpd normally runs the same queue step inside
 * qmail-rcptcheck(8) without an exec per message; this program serves
 * QMAILQUEUE, qmail-inject, large messages and every other caller.
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
#include "leakcheck.h"
#include "log.h"
#include "paths.h"
#include "privdrop.h"
#include "qqdeliver.h"
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
 * qmail-queue filters open it), write the queue step's "D<text>"
 * (permanent) or "Z<text>" (temporary) there and exit 82, so the SMTP
 * reply carries vpopmail's reason (554 user is over quota). Without that
 * pipe, or without a text, the plain exit code is used. */
static void __attribute__((noreturn)) finish(int code, const char *text)
{
  struct stat st;
  if (code && *text && fstat(6, &st) == 0 && S_ISFIFO(st.st_mode)
      && dlv_write_all(6, text, str_len(text)) == 0)
    code = 82;   /* the queue step logged the refusal */
  leakcheck();
  _exit(code);
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
    if (rc != QQENV_MORE)
      die(qqd_envelope_code(rc), "envelope", rc == QQENV_TOOLONG ? "address too long" :
          rc == QQENV_TOOMANY ? "too many recipients" : rc == QQENV_NOMEM ? "out of memory" :
          "format error");
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
  char text[QQD_TEXTMAX];
  int fd, code;

  fds_open();
  log_init("qmail-queue");
  signal(SIGALRM, timeout);
  alarm(86400);
  signal(SIGPIPE, SIG_IGN);
  privileges();
  umask(077);

  fd = read_message();
  read_envelope(&e);
  code = qqd_deliver(fd, &e, text);
  qqenv_free(&e);
  close(fd);
  finish(code, text);
}
