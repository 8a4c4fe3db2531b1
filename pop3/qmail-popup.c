/* pop3/qmail-popup.c — main: the POP3 server before authentication.
 *
 *   qmail-popup hostname checkpassword subprogram...
 * e.g. qmail-popup mail.example.org /home/vpopmail/bin/vchkpw
 *      qmail-pop3d Maildir
 * Drops root if started as root, loads the control files, finds the
 * checkpassword program and serves the client on fds 0/1
 * (popup_session.c).
 *
 * SECURITY: normally started by tcpserver or qvtcpserver already as an
 * unprivileged id (-u/-g). A vpopmail site's old run script starts it
 * as root (vchkpw used to need that); then, before anything else, it
 * becomes the conf-users parser user and nofiles group (read from
 * /etc/passwd and /etc/group: the program is static, so no NSS), drops
 * supplementary groups and checks root cannot be regained; if that
 * fails it refuses to run. So no network byte is ever parsed with
 * root's rights. Only the checkpassword program (setuid vchkpw) ever
 * sees a password hash. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conf.h"
#include "log.h"
#include "popup_session.h"
#include "sa.h"

static int say(const char *s)
{
  return (int)write(1, s, strlen(s));
}

/* Run as root: become CONF_PARSER_USER / CONF_NOFILES_GROUP for good.
 * 1 done; 0 when the user or group is missing or a step failed. */
static int drop_root(void)
{
  struct passwd *pw;
  struct group *gr;
  uid_t uid, ru, eu, su;
  gid_t gid, rg, eg, sg;

  /* lib/etcpw.c through --wrap (pop3/build.mk): /etc/passwd and
   * /etc/group, no NSS in the static program */
  pw = getpwnam(CONF_PARSER_USER);
  if (!pw) { errno = ENOENT; return 0; }
  uid = pw->pw_uid;
  gr = getgrnam(CONF_NOFILES_GROUP);
  if (!gr) { errno = ENOENT; return 0; }
  gid = gr->gr_gid;
  if (uid == 0 || gid == 0) { errno = ENOENT; return 0; }
  if (setgroups(1, &gid) == -1) return 0;
  if (setresgid(gid, gid, gid) == -1 || setresuid(uid, uid, uid) == -1) return 0;
  if (getresuid(&ru, &eu, &su) == -1 || ru != uid || eu != uid || su != uid) return 0;
  if (getresgid(&rg, &eg, &sg) == -1 || rg != gid || eg != gid || sg != gid) return 0;
  if (setuid(0) != -1 || seteuid(0) != -1) { errno = EPERM; return 0; }
  return 1;
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
  if ((getuid() == 0 || geteuid() == 0) && !drop_root()) {
    log_event("fatal", "running-as-root", "msg", "cannot become " CONF_PARSER_USER ":" CONF_NOFILES_GROUP,
              "error", strerror(errno), (char *)0);
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
