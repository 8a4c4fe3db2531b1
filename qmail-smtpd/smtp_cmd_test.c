/* qmail-smtpd/smtp_cmd_test.c — unit tests for smtp_cmd, and for
 * lib/linein and lib/cmdword as qmail-smtpd sets them up (flags 0,
 * CMDWORD_TRIM). */
#include <string.h>
#include "../tests/check.h"
#include "linein.h"
#include "cmdword.h"
#include "smtp_cmd.h"

/* Feeds s one byte at a time; returns the first non-MORE result. */
static int feed_bytes(struct linein *l, const char *s, size_t *consumed)
{
  size_t i, used;
  for (i = 0; s[i]; ++i) {
    int r = linein_feed(l, s + i, 1, &used);
    CHECK(used == 1);
    if (r != LINEIN_MORE) { *consumed = i + 1; return r; }
  }
  *consumed = i;
  return LINEIN_MORE;
}

int main(void)
{
  struct linein l;
  struct cmdword c;
  struct smtpparam p;
  size_t used;
  unsigned long n;
  int last, r;
  char big[600];
  const char *s;
  size_t len;

  linein_init(&l, 512, 0);
  r = linein_feed(&l, "HELO x\r\nMAIL", 12, &used);
  CHECK(r == LINEIN_DONE && used == 8);
  CHECK_SA(l.line, "HELO x");
  r = linein_feed(&l, "MAIL", 4, &used);
  CHECK(r == LINEIN_MORE && used == 4);
  r = linein_feed(&l, " FROM:<>\n", 9, &used);
  CHECK(r == LINEIN_DONE && used == 9);
  CHECK_SA(l.line, "MAIL FROM:<>");   /* bare LF accepted for commands */
  CHECK(feed_bytes(&l, "NOOP\r\r\n", &used) == LINEIN_DONE);
  CHECK_SA(l.line, "NOOP\r");         /* only one CR is removed */

  /* 510 bytes + CRLF = 512: accepted; 511 + CRLF: too long */
  memset(big, 'a', sizeof big);
  big[510] = '\r'; big[511] = '\n';
  r = linein_feed(&l, big, 512, &used);
  CHECK(r == LINEIN_DONE && used == 512 && l.line.len == 510);
  big[510] = 'a'; big[511] = '\r'; big[512] = '\n';
  r = linein_feed(&l, big, 513, &used);
  CHECK(r == LINEIN_TOOLONG && used == 513);
  CHECK(l.line.len == 0 && l.line.a <= 512 + 64);
  r = linein_feed(&l, "QUIT\r\n", 6, &used);
  CHECK(r == LINEIN_DONE);
  CHECK_SA(l.line, "QUIT");
  /* an overlong line split over many calls */
  memset(big, 'b', sizeof big);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE && used == 600);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE);
  CHECK(linein_feed(&l, "x\nRSET\n", 7, &used) == LINEIN_TOOLONG && used == 2);
  CHECK(linein_feed(&l, "RSET\n", 5, &used) == LINEIN_DONE);
  CHECK_SA(l.line, "RSET");
  linein_free(&l);

  cmdword_split("MAIL FROM:<a@b> SIZE=10  ", 25, CMDWORD_TRIM, &c);
  CHECK_STR(c.verb, c.verblen, "MAIL");
  CHECK_STR(c.arg, c.arglen, "FROM:<a@b> SIZE=10");
  cmdword_split("QUIT", 4, CMDWORD_TRIM, &c);
  CHECK_STR(c.verb, c.verblen, "QUIT");
  CHECK(c.arglen == 0);
  cmdword_split("HELO    x", 9, CMDWORD_TRIM, &c);
  CHECK_STR(c.arg, c.arglen, "x");
  CHECK(cmdword_is("eHlO", 4, "ehlo"));
  CHECK(!cmdword_is("ehl", 3, "ehlo"));
  CHECK(!cmdword_is("ehlox", 5, "ehlo"));
  CHECK(!cmdword_is("eh\0o", 4, "ehlo"));

  s = " SIZE=100 BODY=8BITMIME SMTPUTF8";
  len = strlen(s);
  CHECK(smtpcmd_param(&s, &len, &p) == 1);
  CHECK_STR(p.key, p.keylen, "SIZE");
  CHECK_STR(p.val, p.vallen, "100");
  CHECK(smtpcmd_param(&s, &len, &p) == 1);
  CHECK_STR(p.key, p.keylen, "BODY");
  CHECK_STR(p.val, p.vallen, "8BITMIME");
  CHECK(smtpcmd_param(&s, &len, &p) == 1);
  CHECK_STR(p.key, p.keylen, "SMTPUTF8");
  CHECK(p.val == 0);
  CHECK(smtpcmd_param(&s, &len, &p) == 0);
  s = "=x"; len = 2;
  CHECK(smtpcmd_param(&s, &len, &p) == -1);
  s = "A\001=x"; len = 4;
  CHECK(smtpcmd_param(&s, &len, &p) == -1);

  CHECK(smtpcmd_bdat("100", 3, &n, &last) && n == 100 && !last);
  CHECK(smtpcmd_bdat("0 LAST", 6, &n, &last) && n == 0 && last);
  CHECK(smtpcmd_bdat("7  last", 7, &n, &last) && n == 7 && last);
  CHECK(!smtpcmd_bdat("7 lastx", 7, &n, &last));
  CHECK(!smtpcmd_bdat("", 0, &n, &last));
  CHECK(!smtpcmd_bdat("x LAST", 6, &n, &last));
  return check_done();
}
