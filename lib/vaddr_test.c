/* lib/vaddr_test.c — parse_email separators, default domain, char sets,
 * length limits. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "vaddr.h"
#include "verror.h"

static stralloc u, d;

static int parse(const char *s)
{
  return vaddr_parse(&u, &d, s, strlen(s));
}

int main(void)
{
  char tmpl[] = "/tmp/vaddr_test.XXXXXX";
  char *dir = mkdtemp(tmpl);
  char path[256], longu[64], longd[128];
  FILE *f;

  CHECK(dir != 0);
  setenv("VPOPMAILDIR", dir, 1);
  unsetenv("VPOPMAIL_DOMAIN");

  CHECK(parse("Bob@Example.COM") == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "example.com");
  CHECK(u.s[u.len] == '\0' && d.s[d.len] == '\0');
  CHECK(parse("bob%ex.com") == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "ex.com");
  CHECK(parse("bob/ex.com") == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "ex.com");
  /* '@' wins over an earlier '%' or '/' */
  CHECK(parse("a%b@ex.com") == VA_ILLEGAL_USERNAME);  /* '%' not a user char */
  CHECK(parse("a/b@ex.com") == 0);
  CHECK_SA(u, "a/b"); CHECK_SA(d, "ex.com");
  /* '%' wins over an earlier '/' */
  CHECK(parse("a/b%ex.com") == 0);
  CHECK_SA(u, "a/b"); CHECK_SA(d, "ex.com");
  /* second '@' lands in the domain and is illegal there */
  CHECK(parse("a@b@ex.com") == VA_ILLEGAL_USERNAME);
  CHECK(parse("a@ex_com") == VA_ILLEGAL_USERNAME);
  CHECK(parse("a b@ex.com") == VA_ILLEGAL_USERNAME);
  CHECK(parse("a\"b@ex.com") == VA_ILLEGAL_USERNAME);
  CHECK(parse("!#$&'*+-./0189=?AZ^_`az{|}~@a-z.0") == 0);
  CHECK_SA(u, "!#$&'*+-./0189=?az^_`az{|}~");
  CHECK(vaddr_parse(&u, &d, "a\0b@ex.com", 10) == VA_ILLEGAL_USERNAME);
  CHECK(vaddr_parse(&u, &d, "ab@ex\0com", 9) == VA_ILLEGAL_USERNAME);

  /* no domain, no default */
  CHECK(parse("bob") == 0);
  CHECK_SA(u, "bob"); CHECK_SA(d, "");
  CHECK(d.s[d.len] == '\0');
  CHECK(parse("bob@") == 0);
  CHECK_SA(d, "");
  CHECK(parse("") == 0);
  CHECK_SA(u, ""); CHECK_SA(d, "");

  /* etc/defaultdomain: first line, lower-cased, blanks trimmed */
  snprintf(path, sizeof path, "%s/etc", dir);
  CHECK(mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/etc/defaultdomain", dir);
  f = fopen(path, "w");
  CHECK(f != 0);
  fputs("Default.ORG \r\nsecond.org\n", f);
  fclose(f);
  CHECK(parse("bob") == 0);
  CHECK_SA(d, "default.org");
  CHECK(parse("bob@other.org") == 0);
  CHECK_SA(d, "other.org");
  /* environment wins */
  setenv("VPOPMAIL_DOMAIN", "Env.Example", 1);
  CHECK(parse("bob") == 0);
  CHECK_SA(d, "env.example");
  setenv("VPOPMAIL_DOMAIN", "bad/domain", 1);
  CHECK(parse("bob") == VA_ILLEGAL_USERNAME);
  unsetenv("VPOPMAIL_DOMAIN");
  /* an unreadable defaultdomain is a temporary error, not "no domain" */
  if (geteuid() != 0) {
    CHECK(chmod(path, 0) == 0);
    CHECK(parse("bob") == VA_MEMORY_ALLOC_ERR);
    CHECK(chmod(path, 0600) == 0);
  }
  unlink(path);
  snprintf(path, sizeof path, "%s/etc", dir);
  rmdir(path);
  rmdir(dir);

  /* length limits: exactly 32 / 96 are fine */
  memset(longu, 'a', 33); longu[33] = '\0';
  memset(longd, 'b', 97); longd[97] = '\0';
  snprintf(path, sizeof path, "%.32s@ex.com", longu);
  CHECK(parse(path) == 0);
  snprintf(path, sizeof path, "%.33s@ex.com", longu);
  CHECK(parse(path) == VA_USER_NAME_TOO_LONG);
  snprintf(path, sizeof path, "a@%.96s", longd);
  CHECK(parse(path) == 0);
  snprintf(path, sizeof path, "a@%.97s", longd);
  CHECK(parse(path) == VA_DOMAIN_NAME_TOO_LONG);
  /* characters are checked before lengths (vpopmail's order) */
  snprintf(path, sizeof path, "%.33s@ex_com", longu);
  CHECK(parse(path) == VA_ILLEGAL_USERNAME);

  CHECK(vaddr_user_ok("", 0) == 1);
  CHECK(vaddr_user_ok("a:b", 3) == 0);
  CHECK(vaddr_user_ok("a,b", 3) == 0);
  CHECK(vaddr_user_ok("a[b]", 4) == 0);
  CHECK(vaddr_user_ok("a\\b", 3) == 0);
  CHECK(vaddr_user_ok("\xc3\xa9", 2) == 0);
  CHECK(vaddr_domain_ok("Ex-1.com", 8) == 1);
  CHECK(vaddr_domain_ok("ex.com.", 7) == 1);
  CHECK(vaddr_domain_ok("ex com", 6) == 0);
  CHECK(vaddr_domain_ok("ex/com", 6) == 0);

  CHECK(vaddr_newdomain_ok("a.b", 3) == 1);
  CHECK(vaddr_newdomain_ok("ab", 2) == 0);
  CHECK(vaddr_newdomain_ok("-ab.com", 7) == 0);
  CHECK(vaddr_newdomain_ok("ab.com-", 7) == 0);
  CHECK(vaddr_newdomain_ok("a-b.com", 7) == 1);
  CHECK(vaddr_newdomain_ok("a_b.com", 7) == 0);
  CHECK(vaddr_newdomain_ok(longd, 96) == 1);
  CHECK(vaddr_newdomain_ok(longd, 97) == 0);

  stralloc_free(&u);
  stralloc_free(&d);
  return check_done();
}
