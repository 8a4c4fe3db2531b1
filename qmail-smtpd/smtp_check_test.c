/* qmail-smtpd/smtp_check_test.c — badmailfrom forms and rcpthosts. */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "../tests/check.h"
#include "cdbmap.h"
#include "smtp_check.h"

static stralloc list;

static void setlist(const char *s, size_t len)
{
  stralloc_copyb(&list, s, len);
}
#define SET(s) setlist(s, sizeof(s) - 1)
#define A(s) smtpchk_addrlist(&list, s, strlen(s))
#define R(s, p) smtpchk_rcpthosts(&list, p, s, strlen(s))

int main(void)
{
  char dir[] = "/tmp/smtpchkXXXXXX";
  char path[64];
  struct cdbmap_writer w;

  SET("spam@Bad.example\0@evil.example\0.wild.example\0#c\0");
  CHECK(A("spam@bad.example"));
  CHECK(A("SPAM@bad.EXAMPLE"));
  CHECK(!A("spam2@bad.example"));
  CHECK(A("x@evil.example"));
  CHECK(A("x@EVIL.example"));
  CHECK(!A("x@sub.evil.example"));     /* @domain is exact */
  CHECK(A("x@a.wild.example"));
  CHECK(A("x@a.b.wild.example"));
  CHECK(!A("x@wild.example"));          /* .domain: subdomains only */
  CHECK(!A("x@notwild.example"));
  CHECK(!A(""));
  CHECK(!A("evil.example"));
  SET("bare\0.dyn.example\0");
  CHECK(smtpchk_hostlist(&list, "BARE", 4));
  CHECK(smtpchk_hostlist(&list, "h1.dyn.example", 14));
  CHECK(!smtpchk_hostlist(&list, "bare.example", 12));

  SET("example.org\0.sub.example.net\0");
  CHECK(R("u@example.org", 0) == 1);
  CHECK(R("u@EXAMPLE.ORG", 0) == 1);
  CHECK(R("u@x.example.org", 0) == 0);
  CHECK(R("u@a.sub.example.net", 0) == 1);
  CHECK(R("u@sub.example.net", 0) == 0);
  CHECK(R("postmaster", 0) == 1);
  CHECK(R("u@other.example", 0) == 0);
  CHECK(R("u@", 0) == 0);

  CHECK(mkdtemp(dir) != 0);
  memcpy(path, dir, sizeof dir - 1);
  memcpy(path + sizeof dir - 1, "/m.cdb", 7);
  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  CHECK(cdbmap_write_add(&w, "more.example", 12, "", 0) == 1);
  CHECK(cdbmap_write_add(&w, ".deep.example", 13, "", 0) == 1);
  CHECK(cdbmap_write_commit(&w) == 1);
  CHECK(R("u@more.example", path) == 1);
  CHECK(R("u@MORE.example", path) == 1);
  CHECK(R("u@a.deep.example", path) == 1);
  CHECK(R("u@deep.example", path) == 0);
  CHECK(R("u@example.org", path) == 1);
  CHECK(R("u@none.example", "/nonexistent/m.cdb") == 0);
  unlink(path);
  rmdir(dir);
  stralloc_free(&list);
  return check_done();
}
