/* pop3/qmail-pop3d.c — POP3 after authentication (qmail-pop3d(8)).
 *
 * Run by vchkpw (or any checkpassword) as "qmail-pop3d Maildir" with the
 * user's ids and the user's home as working directory; fd 0/1 are the
 * client. Refuses uid 0, enters the Maildir, cleans tmp/, scans the
 * maildrop, answers +OK (the reply to PASS/APOP/AUTH) and runs the
 * session (pop3_session.c).
 *
 * Exit status: 0 after a session or after an -ERR that ended it (as
 * qmail-pop3d, so qmail-popup adds nothing); 1 when run as uid 0
 * (nothing sent: it looks like a failed login); 111 after a temporary
 * failure.
 *
 * SECURITY: runs as the mail-store id on input from an authenticated
 * client; it holds no secret, reads only control/timeoutpop3d and the
 * user's Maildir, and never runs as root. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "control.h"
#include "log.h"
#include "pop3_mbox.h"
#include "pop3_session.h"

#define TIMEOUT_DEFAULT 1200

static void reply(const char *s)
{
  size_t n = 0;
  while (s[n]) ++n;
  if (write(1, s, n) < 0) { /* the client is gone */ }
}

int main(int argc, char **argv)
{
  struct pop3mbox mb;
  struct pop3io io;
  unsigned long timeout;
  int status;

  log_init("qmail-pop3d");
  if (getuid() == 0 || geteuid() == 0) {
    log_event("fatal", "invoked-as-root", (char *)0);
    return 1;
  }
  {
    /* A message ends with a partial segment; with Nagle on (tcpserver's
     * default, -d) it waits for the client's delayed ACK, about 40 ms per
     * RETR. Not a socket (a pipe in tests, qvtls's socketpair): no-op. */
    int one = 1;
    (void)setsockopt(1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (argc < 2 || !argv[1][0] || chdir(argv[1]) == -1) {
    log_event("warn", "no-maildir", "user", getenv("USER"), (char *)0);
    reply("-ERR this user has no $HOME/Maildir\r\n");
    return 0;
  }
  if (ctl_readint(&timeout, "timeoutpop3d", TIMEOUT_DEFAULT) == -1) {
    /* a control file that exists but cannot be read is never the default */
    log_event("warn", "control-unreadable", "file", "timeoutpop3d", (char *)0);
    reply("-ERR [SYS/TEMP] unable to read controls\r\n");
    return 111;
  }
  if (!timeout) timeout = TIMEOUT_DEFAULT;
  if (timeout > 86400) timeout = 86400;
  pop3mbox_cleantmp(time(0));
  if (pop3mbox_scan(&mb) == -1) {
    int err = errno;
    log_event("warn", "scan-failed", "user", getenv("USER"),
              "error", err == ENOENT || err == ENOTDIR ? "missing" :
                       err == EACCES ? "permission" : "temporary", (char *)0);
    if (err == ENOENT || err == ENOTDIR)
      reply("-ERR this user has no $HOME/Maildir\r\n");
    else if (err == EACCES)
      reply("-ERR [SYS/PERM] unable to scan $HOME/Maildir\r\n");
    else {
      reply("-ERR [SYS/TEMP] unable to scan $HOME/Maildir\r\n");
      return 111;
    }
    return 0;
  }
  if (!pop3io_init(&io, 0, 1, (unsigned int)timeout)) {
    reply("-ERR [SYS/TEMP] out of memory\r\n");
    return 111;
  }
  if (!pop3io_puts(&io, "+OK \r\n")) status = 0;
  else status = pop3sess_run(&io, &mb);
  pop3io_free(&io);
  pop3mbox_free(&mb);
  return status;
}
