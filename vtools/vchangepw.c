/* vtools/vchangepw.c — vpopmail's vchangepw: interactive self-service
 * password change (meant as the login shell of a dedicated account,
 * man vchangepw). Asks for the address and the old password, then the
 * new one twice.
 *
 * SECURITY: reads untrusted input from the terminal; every line has a
 * fixed maximum. The old password is verified with pw_verify and wiped;
 * failures are logged without the password. Exit 3 on failed
 * authentication, as vpopmail. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "log.h"
#include "pwhash.h"
#include "sa.h"
#include "usertool.h"

#define LINE_MAX_LEN 256

/* One line from fd 0 (echo off when quiet and a tty); 1 ok, 0 EOF,
 * -1 too long. */
static int read_line(stralloc *out, int quiet)
{
  struct termios saved, q;
  int tty = quiet && tcgetattr(0, &saved) == 0;
  int ret = 1;
  char c;
  ssize_t r;
  if (tty) { q = saved; q.c_lflag &= ~(tcflag_t)ECHO; tcsetattr(0, TCSAFLUSH, &q); }
  out->len = 0;
  for (;;) {
    r = read(0, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) { if (out->len == 0) ret = 0; break; }
    if (c == '\n') break;
    if (out->len >= LINE_MAX_LEN) { ret = -1; break; }
    if (!stralloc_append(out, &c)) { ret = 0; break; }
  }
  if (tty) { tcsetattr(0, TCSAFLUSH, &saved); fputs("\n", stdout); }
  if (out->len && out->s[out->len - 1] == '\r') --out->len;
  if (!sa_cstr(out)) ret = 0;
  return ret;
}

static void auth_failed(const char *email, const char *why)
{
  puts("Error: authentication failed!");
  log_event("warn", "auth-fail", "user", email, "reason", why, (char *)0);
  fflush(stdout);
  _exit(3);
}

int main(void)
{
  stralloc email = {0}, user = {0}, domain = {0}, old = {0}, pass = {0};
  struct vdomain d = {0};
  struct vqpasswd pw;
  unsigned long eff;
  int r;

  vtool_init("vchangepw");
  ut_open();
  fputs("Please enter the email address: ", stdout);
  fflush(stdout);
  r = read_line(&email, 0);
  if (r <= 0) {
    puts(r == 0 ? "\n" : "\nError: email address too long");
    stralloc_free(&email);
    return r == 0 ? 0 : 3;
  }
  puts(email.s);
  if (ut_parse(&user, &domain, email.s) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);

  fputs("Enter old password: ", stdout);
  fflush(stdout);
  r = read_line(&old, 1);
  if (r < 0) {
    puts("Error: password too long.");
    log_event("warn", "password-too-long", "user", email.s, (char *)0);
    sa_wipe(&old);
    ut_free(&user, &domain, &d);
    stralloc_free(&email);
    return 3;
  }
  vpw_init(&pw);
  if (!ut_domain(&d, domain.s)) auth_failed(email.s, "no-such-domain");
  r = vuser_lookup(&pw, user.s, &d);
  if (r < 0) vtool_die_temp("unable to read vpasswd.cdb");
  if (r == 0) auth_failed(email.s, "no-such-user");
  r = pw_verify(pw.passwd.s ? pw.passwd.s : "", pw.passwd.len, old.s, old.len);
  sa_wipe(&old);
  if (r < 0) vtool_die_temp("password check");
  if (r == 0) auth_failed(email.s, "wrong-password");

  if (!vtool_prompt_password(&pass, email.s) || pass.len == 0) {
    r = 3;
    goto out;
  }
  /* vpopmail's vpasswd(): a user who may not change it is "illegal" */
  r = vuser_flags(&eff, 0, &pw, &d);
  if (!r && (eff & VPW_NO_PASSWD_CHNG)) r = VA_ILLEGAL_USERNAME;
  if (!r) r = vuser_setpass(&d, user.s, pass.s);
  if (r) {
    printf("Error: %s\n", verror_text(r));
    log_event("warn", "password-change-failed", "user", email.s, "error", verror_text(r), (char *)0);
    fflush(stdout);
    r = 256 + r;
    goto out;
  }
  printf("Password successfully changed.\n");
  log_event("info", "password-changed", "user", email.s, (char *)0);
out:
  sa_wipe(&pass);
  vpw_free(&pw);
  ut_free(&user, &domain, &d);
  stralloc_free(&email);
  return r;
}
