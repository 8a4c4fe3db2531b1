/* pop3/qmail-popup.c — main: the POP3 server before authentication.
 *
 *   qmail-popup hostname checkpassword subprogram...
 * e.g. qmail-popup mail.example.org /home/vpopmail/bin/vchkpw
 *      qmail-pop3d Maildir
 * Loads the control files, refuses root, finds the checkpassword
 * program and serves the client on fds 0/1 (popup_session.c).
 *
 * SECURITY: started by tcpserver or qvtcpserver already as an
 * unprivileged id (-u/-g); it never gains privilege and refuses to run
 * as root, so no network byte is parsed with root's rights. Only the
 * checkpassword program (setuid vchkpw) ever sees a password hash. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "popup_session.h"
#include "sa.h"

static int say(const char *s)
{
  return (int)write(1, s, strlen(s));
}

/* A checkpassword name without a '/' is looked up in $PATH, as qmail's
 * execvp did; cpw_run wants a path. 1 found (out NUL-terminated), 0 not
 * (errno), -1 out of memory. */
static int find_prog(stralloc *out, const char *name)
{
  const char *path = getenv("PATH");
  if (strchr(name, '/')) return stralloc_copys(out, name) && sa_cstr(out) ? 1 : -1;
  if (!path) path = "/bin:/usr/bin";
  for (;;) {
    const char *colon = strchr(path, ':');
    size_t n = colon ? (size_t)(colon - path) : strlen(path);
    if (!stralloc_copyb(out, n ? path : ".", n ? n : 1) || !stralloc_cats(out, "/") ||
        !stralloc_cats(out, name) || !sa_cstr(out))
      return -1;
    if (access(out->s, X_OK) == 0) return 1;
    if (!colon) break;
    path = colon + 1;
  }
  errno = ENOENT;
  return 0;
}

int main(int argc, char **argv)
{
  struct popup_config c;
  stralloc prog = {0};
  int r;

  log_init("qmail-popup");
  if (argc < 3) {
    log_event("fatal", "usage", "msg", "qmail-popup hostname subprogram", (char *)0);
    say("-ERR usage: popup hostname subprogram\r\n");
    return 1;
  }
  if (getuid() == 0 || geteuid() == 0) {
    log_event("fatal", "running-as-root", (char *)0);
    say("-ERR [SYS/PERM] refusing to run as root\r\n");
    return 111;
  }
  memset(&c, 0, sizeof c);
  if (popup_config_load(&c) < 0) {
    log_event("fatal", "control-read", "error", strerror(errno), (char *)0);
    say("-ERR [SYS/TEMP] unable to read controls\r\n");
    return 111;
  }
  r = find_prog(&prog, argv[2]);
  if (r <= 0) {
    log_event("fatal", "no-checkpassword", "prog", argv[2],
              "error", r < 0 ? "out of memory" : strerror(errno), (char *)0);
    say("-ERR [SYS/TEMP] unable to run checkpassword\r\n");
    return 111;
  }
  argv[2] = prog.s;
  c.host = argv[1];
  c.child = argv + 2;
  return popup_run(&c);
}
