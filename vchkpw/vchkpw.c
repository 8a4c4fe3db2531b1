/* vchkpw/vchkpw.c — checkpassword for vpopmail domains (vchkpw(8)).
 *
 *   vchkpw prog [args]
 * reads login\0password\0extra\0 (at most 512 bytes) from fd 3,
 * authenticates against users/cdb + the domain's vpasswd.cdb (chkpw.c),
 * and on success sets up the account and execs prog. Exit codes are
 * listed in chkpw.h and man/vchkpw.8.
 *
 * SECURITY: installed setuid to the mail-store user so that it can read
 * password hashes that protocol programs must not see. Consequences:
 * paths.h ignores QMAILDIR/VPOPMAILDIR when AT_SECURE; the environment
 * passed on is sanitised (loader and libc variables removed, and the
 * path overrides when secure); fd 3 is read with a fixed bound; the
 * password is wiped right after use and never logged. For every service
 * but SMTP the process drops to the domain's uid/gid in one place
 * (drop_privileges) and checks the drop cannot be undone before it
 * touches the user's home or runs prog. For SMTP it drops back to the
 * caller's own real ids before running prog, so a protocol parser never
 * gains the mail-store id through AUTH. As with every checkpassword
 * program, prog is chosen by the caller and runs with the account's ids
 * only after a successful login. */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "chkpw.h"
#include "control.h"
#include "leakcheck.h"
#include "log.h"
#include "maildir.h"
#include "paths.h"
#include "pwhash.h"
#include "sa.h"
#include "vauth.h"

extern char **environ;

static char input[CHKPW_INPUT_MAX + 1];
static size_t inputlen;

static void wipe_input(void) { explicit_bzero(input, sizeof input); }

static void __attribute__((noreturn)) die(int code)
{
  wipe_input();
  leakcheck();
  _exit(code);
}

static void __attribute__((noreturn)) die_fail(int code, const char *svc, const char *ip,
                                              const char *user, const char *reason)
{
  log_event("warn", "auth-fail", "service", svc, "ip", ip, "user", user,
            "reason", reason, (char *)0);
  die(code);
}

static void __attribute__((noreturn)) die_nomem(void)
{
  log_event("error", "out-of-memory", (char *)0);
  die(CHKPW_TEMP);
}

/* Reads fd 3 to EOF into input. 0, or CHKPW_MISUSE. */
static int read_fd3(void)
{
  for (;;) {
    ssize_t r = read(3, input + inputlen, sizeof input - inputlen);
    if (r == 0) break;
    if (r < 0) {
      if (errno == EINTR) continue;
      return CHKPW_MISUSE;
    }
    inputlen += (size_t)r;
    if (inputlen > CHKPW_INPUT_MAX) return CHKPW_MISUSE;
  }
  close(3);
  return 0;
}

/* Drops to uid/gid for good. 0, CHKPW_SETGID or CHKPW_SETUID. */
static int drop_privileges(uid_t uid, gid_t gid)
{
  uid_t ru, eu, su;
  gid_t rg, eg, sg;

  /* Run setuid by root (real uid 0): become root again so the group can
   * be set too; the final setresuid drops everything. */
  if (getuid() == 0 && geteuid() != 0 && seteuid(0) == -1) return CHKPW_SETUID;
  if (geteuid() == 0 && setgroups(1, &gid) == -1) return CHKPW_SETGID;
  if (setresgid(gid, gid, gid) == -1) return CHKPW_SETGID;
  if (setresuid(uid, uid, uid) == -1) return CHKPW_SETUID;
  if (getresgid(&rg, &eg, &sg) == -1 || rg != gid || eg != gid || sg != gid) return CHKPW_SETGID;
  if (getresuid(&ru, &eu, &su) == -1 || ru != uid || eu != uid || su != uid) return CHKPW_SETUID;
  if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) return CHKPW_SETUID;
  return 0;
}

/* mkdir -p path with mode 0750. 0 or -1. */
static int make_dirs(stralloc *path)
{
  size_t i;
  for (i = 1; i <= path->len; ++i) {
    if (i < path->len && path->s[i] != '/') continue;
    path->s[i] = '\0';
    if (mkdir(path->s, 0750) == -1 && errno != EEXIST) {
      if (i < path->len) path->s[i] = '/';
      return -1;
    }
    if (i < path->len) path->s[i] = '/';
  }
  return sa_cstr(path) ? 0 : -1;
}

/* chdir home (creating it when missing), make sure Maildir exists. */
static int setup_home(stralloc *home)
{
  struct stat st;
  stralloc md = {0};

  if (!home->len) return CHKPW_HOME;
  if (stat(home->s, &st) == -1) {
    if (errno != ENOENT) return CHKPW_HOME;
    if (make_dirs(home) == -1) return CHKPW_HOME;
  }
  if (chdir(home->s) == -1) return CHKPW_HOME;
  if (stat("Maildir/new", &st) == 0 && S_ISDIR(st.st_mode)) return 0;
  if (!paths_join(&md, home->s, "Maildir")) die_nomem();
  if (maildir_make(md.s, (uid_t)-1, (gid_t)-1) == -1) { stralloc_free(&md); return CHKPW_MAILDIR; }
  stralloc_free(&md);
  return 0;
}

/* Environment variables never passed on: dynamic loader, libc and shell
 * hooks. QMAILDIR/VPOPMAILDIR too when running setuid. */
static const char *const unsafe_prefix[] = { "LD_", "MALLOC_", "GLIBC_", 0 };
static const char *const unsafe_name[] = {
  "GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH",
  "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR",
  "TZDIR", "IFS", "ENV", "BASH_ENV", "PERL5LIB", "PERL5OPT", "PYTHONPATH",
  "PYTHONHOME", "CDPATH", 0
};

static void sanitise_env(void)
{
  size_t i, j;
  int again = 1;
  while (again) {
    again = 0;
    for (i = 0; environ && environ[i]; ++i) {
      const char *e = environ[i];
      const char *eq = strchr(e, '=');
      size_t nl = eq ? (size_t)(eq - e) : strlen(e);
      int drop = 0;
      for (j = 0; unsafe_prefix[j]; ++j)
        if (!strncmp(e, unsafe_prefix[j], strlen(unsafe_prefix[j]))) drop = 1;
      for (j = 0; unsafe_name[j]; ++j)
        if (nl == strlen(unsafe_name[j]) && !strncmp(e, unsafe_name[j], nl)) drop = 1;
      if (paths_secure() && ((nl == 8 && !strncmp(e, "QMAILDIR", 8))
                             || (nl == 11 && !strncmp(e, "VPOPMAILDIR", 11))))
        drop = 1;
      if (drop) {
        stralloc n = {0};
        if (!stralloc_copyb(&n, e, nl) || !sa_cstr(&n)) die_nomem();
        unsetenv(n.s);
        stralloc_free(&n);
        again = 1;
        break;
      }
    }
  }
}

static void set_env(const char *name, const char *value)
{
  if (setenv(name, value, 1) == -1) die_nomem();
}

static void maybe_rehash(struct chkpw_result *r, const struct chkpw_creds *c)
{
  int on = 0, scheme;
  stralloc h = {0};
  int rc;

  if (strcmp(r->mech, "PLAIN")) return;
  if (ctl_readflag(&on, "rehashonlogin", 0) < 0 || !on) return;
  if (pw_default_scheme(&scheme) != 1) return;
  if (!pw_needs_rehash(r->pw.passwd.s, r->pw.passwd.len, scheme)) return;
  if (!pw_hash(&h, c->pass, c->passlen, scheme)) {
    log_event("warn", "rehash-failed", "user", r->addr.s, (char *)0);
    return;
  }
  if (!stralloc_copy(&r->pw.passwd, &h)) { sa_wipe(&h); return; }
  sa_wipe(&h);
  rc = vauth_setpw(&r->pw, &r->dom);
  if (rc) log_event("warn", "rehash-failed", "user", r->addr.s, (char *)0);
  else log_event("info", "rehashed", "user", r->addr.s, (char *)0);
}

int main(int argc, char **argv)
{
  struct chkpw_creds c;
  struct chkpw_result r;
  stralloc ip = {0}, wm = {0}, home = {0}, md = {0}, quota = {0};
  enum chkpw_service svc;
  const char *svcname;
  int rc;

  log_init("vchkpw");
  memset(&r, 0, sizeof r);
  vpw_init(&r.pw);
  if (argc < 2) {
    log_event("fatal", "usage", "msg", "vchkpw prog [args]", (char *)0);
    die(CHKPW_MISUSE);
  }
  if (read_fd3()) {
    log_event("fatal", "misuse", "msg", "vchkpw is only for talking with qmail-popup and qmail-pop3d", (char *)0);
    die(CHKPW_MISUSE);
  }
  if (!chkpw_clean_ip(&ip, getenv("TCPREMOTEIP") ? getenv("TCPREMOTEIP") : getenv("REMOTE_HOST")))
    die_nomem();
  if (ctl_readlist(&wm, "webmailips", 0) < 0) {
    log_event("error", "control-unreadable", "file", "webmailips", (char *)0);
    die(CHKPW_TEMP);
  }
  svc = chkpw_service(getenv("VCHKPW_SERVICE"), getenv("TCPLOCALPORT"), argv[1], ip.s, wm.s, wm.len);
  svcname = chkpw_service_name(svc);

  rc = chkpw_parse_input(&c, input, inputlen);
  if (rc == CHKPW_MISUSE) die_fail(rc, svcname, ip.s, 0, "malformed-input");
  if (rc == CHKPW_NOLOGIN) die_fail(rc, svcname, ip.s, 0, "empty-login");
  if (rc == CHKPW_NOPASS) {
    stralloc u = {0};
    if (!stralloc_copyb(&u, c.login, c.loginlen) || !sa_cstr(&u)) die_nomem();
    die_fail(rc, svcname, ip.s, u.s, "empty-password");
  }

  rc = chkpw_auth(&r, &c, svc);
  if (rc) die_fail(rc, svcname, ip.s, r.addr.len ? r.addr.s : 0, r.reason);

  if (!stralloc_copy(&home, &r.pw.dir) || !sa_cstr(&home)) die_nomem();
  if (svc != SVC_SMTP) {
    rc = drop_privileges((uid_t)r.dom.uid, (gid_t)r.dom.gid);
    if (rc) die_fail(rc, svcname, ip.s, r.addr.s, rc == CHKPW_SETGID ? "setgid-failed" : "setuid-failed");
    rc = setup_home(&home);
    if (rc) die_fail(rc, svcname, ip.s, r.addr.s, rc == CHKPW_HOME ? "home-failed" : "maildir-failed");
  }

  if (vauth_setlastauth(&r.pw, &r.dom, ip.s, (unsigned long)time(0)) < 0)
    log_event("warn", "lastauth-failed", "user", r.addr.s, (char *)0);
  maybe_rehash(&r, &c);
  if (svc == SVC_SMTP && (getuid() != geteuid() || getgid() != getegid())) {
    /* SMTP AUTH: the caller's program goes on as the caller, not as the
     * mail-store user this setuid program runs as. */
    rc = drop_privileges(getuid(), getgid());
    if (rc) die_fail(rc, svcname, ip.s, r.addr.s, rc == CHKPW_SETGID ? "setgid-failed" : "setuid-failed");
  }

  sanitise_env();
  set_env("USER", r.user.s);
  set_env("HOME", home.s);
  set_env("SHELL", "NOLOGIN");
  set_env("VPOPUSER", c.login);        /* the login exactly as given */
  if (!paths_join(&md, home.s, "Maildir")) die_nomem();
  set_env("MAILDIR", md.s);
  if (!stralloc_copy(&quota, &r.pw.quota) || !sa_cstr(&quota)) die_nomem();
  if (quota.len && strcmp(quota.s, "NOQUOTA")) set_env("MAILDIRQUOTA", quota.s);
  else unsetenv("MAILDIRQUOTA");

  wipe_input();
  chkpw_result_free(&r);
  execvp(argv[1], argv + 1);
  log_event("error", "exec-failed", "prog", argv[1], (char *)0);
  _exit(CHKPW_TEMP);
}
