/* qmail-smtpd/smtp_addr_test.c — unit tests for smtp_addr. */
#include <string.h>
#include "../tests/check.h"
#include "smtp_addr.h"

static struct smtpaddr a;

static int parse(const char *arg)
{
  return smtpaddr_parse(&a, arg, strlen(arg));
}

int main(void)
{
  const char *d;
  size_t dl;
  char big[1000];

  CHECK(parse("FROM:<a@b.example>") == 1);
  CHECK_SA(a.addr, "a@b.example");
  CHECK(a.addr.s[a.addr.len] == 0);
  CHECK(a.rest == 18);
  CHECK(parse("FROM:<> SIZE=10") == 1);
  CHECK_SA(a.addr, "");
  CHECK(a.rest == 7);
  CHECK(parse("TO:<@r1,@r2:u@d>") == 1);           /* source route */
  CHECK_SA(a.addr, "u@d");
  CHECK(parse("TO:<\"a b>c\"@d> X=1") == 1);        /* quoted local part */
  CHECK_SA(a.addr, "a b>c@d");
  CHECK(a.rest == 14);
  CHECK(parse("TO:<a\\\"b@d>") == 1);              /* backslash escape */
  CHECK_SA(a.addr, "a\"b@d");
  CHECK(parse("FROM:a@b c") == 1);                  /* no brackets, as qmail */
  CHECK_SA(a.addr, "a@b");
  CHECK(parse("FROM: a@b") == 1);
  CHECK_SA(a.addr, "a@b");
  CHECK(parse("") == 1);
  CHECK_SA(a.addr, "");
  CHECK(parse("TO:<a\001b@d>") == 0);              /* control bytes */
  CHECK(smtpaddr_parse(&a, "TO:<a\0b@d>", 10) == 0);
  CHECK(parse("TO:<a\rb@d>") == 0);
  CHECK(parse("TO:<\xc3\xa9t\xc3\xa9@d>") == 1 && a.utf8);
  CHECK(parse("TO:<a@d>") == 1 && !a.utf8);
  CHECK(parse("TO:<\xc3@d>") == 0);                /* broken UTF-8 */
  memset(big, 'x', sizeof big);
  memcpy(big, "TO:<", 4);
  big[4 + 900] = '>';
  CHECK(smtpaddr_parse(&a, big, 905) == 1 && a.addr.len == 900);
  big[4 + 900] = 'x'; big[4 + 901] = '>';
  CHECK(smtpaddr_parse(&a, big, 906) == 0);

  d = smtpaddr_domain("u@x@D.example", 13, &dl);
  CHECK_STR(d, dl, "D.example");
  d = smtpaddr_domain("postmaster", 10, &dl);
  CHECK(dl == 0);

  CHECK(smtpaddr_utf8_ok("\xe2\x82\xac", 3));
  CHECK(!smtpaddr_utf8_ok("\xc0\xaf", 2));          /* overlong */
  CHECK(!smtpaddr_utf8_ok("\xed\xa0\x80", 3));      /* surrogate */
  CHECK(!smtpaddr_utf8_ok("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
  CHECK(smtpaddr_utf8_ok("\xf0\x9f\x98\x80", 4));
  CHECK(!smtpaddr_utf8_ok("\xe2\x82", 2));
  smtpaddr_free(&a);
  return check_done();
}
