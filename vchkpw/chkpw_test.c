/* vchkpw/chkpw_test.c — the pure parts of vchkpw: fd 3 record, service
 * classification, IP cleaning, login splitting, limits flags. */
#include <stdlib.h>
#include <string.h>
#include "../tests/check.h"
#include "chkpw.h"
#include "vpasswd.h"

static int parse(const char *buf, size_t len, struct chkpw_creds *c)
{
  return chkpw_parse_input(c, buf, len);
}

static void input(void)
{
  struct chkpw_creds c;
  CHECK(parse("bob\0pw\0ts\0", 10, &c) == CHKPW_OK);
  CHECK_STR(c.login, c.loginlen, "bob");
  CHECK_STR(c.pass, c.passlen, "pw");
  CHECK_STR(c.extra, c.extralen, "ts");
  CHECK(parse("bob\0pw\0", 7, &c) == CHKPW_OK && c.extralen == 0);
  CHECK(parse("bob\0pw\0ts", 9, &c) == CHKPW_OK);
  CHECK_STR(c.extra, c.extralen, "ts");
  CHECK(parse("bob\0pw", 6, &c) == CHKPW_MISUSE);
  CHECK(parse("bob", 3, &c) == CHKPW_MISUSE);
  CHECK(parse("", 0, &c) == CHKPW_MISUSE);
  CHECK(parse("\0pw\0", 4, &c) == CHKPW_NOLOGIN);
  CHECK(parse("bob\0\0", 5, &c) == CHKPW_NOPASS);
}

static void service(void)
{
  const char wm[] = "127.0.0.1\0::1\0";
  size_t wl = sizeof wm - 1;
  CHECK(chkpw_service(0, "25", "qmail-pop3d", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service(0, "465", "x", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service(0, "587", "x", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service(0, "110", "x", 0, 0, 0) == SVC_POP3);
  CHECK(chkpw_service(0, "995", "x", 0, 0, 0) == SVC_POP3);
  CHECK(chkpw_service(0, "143", "x", 0, 0, 0) == SVC_IMAP);
  CHECK(chkpw_service(0, "993", "x", 0, 0, 0) == SVC_IMAP);
  CHECK(chkpw_service(0, "10025", "/bin/true", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service(0, 0, "/usr/bin/true", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service(0, "10143", "qmail-imapd", 0, 0, 0) == SVC_IMAP);
  CHECK(chkpw_service(0, "10110", "qmail-pop3d", 0, 0, 0) == SVC_POP3);
  /* 127.0.0.1 is webmail only when listed */
  CHECK(chkpw_service(0, "110", "x", "127.0.0.1", 0, 0) == SVC_POP3);
  CHECK(chkpw_service(0, "110", "x", "127.0.0.1", wm, wl) == SVC_WEBMAIL);
  CHECK(chkpw_service(0, "143", "x", "::1", wm, wl) == SVC_WEBMAIL);
  CHECK(chkpw_service(0, "143", "x", "127.0.0.10", wm, wl) == SVC_IMAP);
  CHECK(chkpw_service(0, "25", "x", "127.0.0.1", wm, wl) == SVC_SMTP);
  /* override */
  CHECK(chkpw_service("imap", "25", "true", 0, 0, 0) == SVC_IMAP);
  CHECK(chkpw_service("webmail", "25", "true", 0, 0, 0) == SVC_WEBMAIL);
  CHECK(chkpw_service("pop3", "143", "x", 0, 0, 0) == SVC_POP3);
  CHECK(chkpw_service("smtp", "143", "x", 0, 0, 0) == SVC_SMTP);
  CHECK(chkpw_service("bogus", "143", "x", 0, 0, 0) == SVC_IMAP);
  CHECK(!strcmp(chkpw_service_name(SVC_WEBMAIL), "webmail"));
}

static void ip(void)
{
  stralloc s = {0};
  CHECK(chkpw_clean_ip(&s, "::ffff:192.0.2.7") && !strcmp(s.s, "192.0.2.7"));
  CHECK(chkpw_clean_ip(&s, "2001:db8::1") && !strcmp(s.s, "2001:db8::1"));
  CHECK(chkpw_clean_ip(&s, 0) && !strcmp(s.s, "unknown"));
  stralloc_free(&s);
}

static int split(stralloc *u, stralloc *d, const char *l, const char *def)
{
  if (def) setenv("VPOPMAIL_DOMAIN", def, 1);
  else unsetenv("VPOPMAIL_DOMAIN");
  return chkpw_split_login(u, d, l, strlen(l));
}

static void login(void)
{
  stralloc u = {0}, d = {0};
#define SPLIT(l, def) split(&u, &d, l, def)
  CHECK(SPLIT("Bob@Example.COM", 0) == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "example.com");
  CHECK(u.s[u.len] == '\0' && d.s[d.len] == '\0');
  CHECK(SPLIT("bob%ex.org", 0) == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "ex.org");
  CHECK(SPLIT("bob/ex.org", 0) == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "ex.org");
  CHECK(SPLIT("a%b@ex.org", 0) == CHKPW_BADCHARS);   /* '@' wins, '%' in user */
  CHECK(SPLIT("bob", "def.org") == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "def.org");
  CHECK(SPLIT("bob", 0) == 0 && d.len == 0);
  CHECK(SPLIT("first.last-x_y+z@ex.org", 0) == 0);
  CHECK(SPLIT("b ob@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob:x@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob@ex..org/x", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob@ex_org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob@ex.org\n", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("o'brien+x/y@ex.org", 0) == 0);   /* vpopmail's user set */
  CHECK_SA(u, "o'brien+x/y");
  CHECK(SPLIT("bob(x)@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob<x>@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("abcdefghijklmnopqrstuvwxyz012345@ex.org", 0) == 0);
  CHECK(SPLIT("abcdefghijklmnopqrstuvwxyz0123456@ex.org", 0) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob@a@b", 0) == CHKPW_BADCHARS);
  CHECK(chkpw_split_login(&u, &d, "bob\x80@ex.org", 11) == CHKPW_BADCHARS);
  CHECK(chkpw_split_login(&u, &d, "bob\0@ex.org", 11) == CHKPW_BADCHARS);
  CHECK(SPLIT("bob@", "def.org") == 0);
  CHECK_SA(d, "def.org");
#undef SPLIT
  stralloc_free(&u);
  stralloc_free(&d);
}

static void limits(void)
{
  CHECK(chkpw_denied(VPW_NO_POP, SVC_POP3) == 1);
  CHECK(chkpw_denied(VPW_NO_POP, SVC_IMAP) == 0);
  CHECK(chkpw_denied(VPW_NO_IMAP, SVC_IMAP) == 1);
  CHECK(chkpw_denied(VPW_NO_SMTP, SVC_SMTP) == 1);
  CHECK(chkpw_denied(VPW_NO_WEBMAIL, SVC_WEBMAIL) == 1);
  CHECK(chkpw_denied(VPW_NO_WEBMAIL, SVC_POP3) == 0);
  CHECK(chkpw_denied(0, SVC_SMTP) == 0);
}

int main(void)
{
  setenv("VPOPMAILDIR", "/nonexistent", 1);
  input();
  service();
  ip();
  login();
  limits();
  return check_done();
}
