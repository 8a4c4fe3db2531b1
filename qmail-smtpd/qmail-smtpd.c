/* qmail-smtpd/qmail-smtpd.c — main: refuses root, loads the
 * configuration, serves the client on fds 0/1 (UCSPI).
 *
 *   qmail-smtpd [checkpassword subprogram...]
 * The optional argv is the smtp-auth patch's: with it (and SMTPAUTH
 * set) AUTH runs "checkpassword subprogram..." per attempt, e.g.
 * qmail-smtpd /home/vpopmail/bin/vchkpw /bin/true.
 *
 * SECURITY: started by tcpserver or the qvmail launcher already as an
 * unprivileged id (-u/-g); it never gains privilege and refuses to run
 * as root, so no network byte is ever parsed with root's rights. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "smtp_session.h"

static int say(const char *s)
{
  return (int)write(1, s, strlen(s));
}

int main(int argc, char **argv)
{
  struct smtpd_config c;
  log_init("qmail-smtpd");
  signal(SIGPIPE, SIG_IGN);
  if (getuid() == 0 || geteuid() == 0) {
    log_event("fatal", "running-as-root", (char *)0);
    say("421 refusing to run as root (#4.3.0)\r\n");
    return 111;
  }
  if (smtpd_config_load(&c) < 0) {
    log_event("fatal", "control-read", "error", strerror(errno), (char *)0);
    say("421 unable to read controls (#4.3.0)\r\n");
    return 111;
  }
  smtpd_config_auth(&c, argc > 1 ? argv + 1 : 0);
  return smtpd_run(&c, 0, 1);
}
