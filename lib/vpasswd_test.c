/* lib/vpasswd_test.c — unit tests of the vpasswd codec. */
#include <string.h>
#include "stralloc.h"
#include "verror.h"
#include "vpasswd.h"
#include "../tests/check.h"

static int roundtrip(const char *line)
{
  struct vqpasswd pw;
  stralloc out = {0};
  int ok;
  vpw_init(&pw);
  if (vpw_parse_line(&pw, line, strlen(line)) != 1) return 0;
  if (!vpw_fmt_line(&out, &pw)) return 0;
  ok = out.len == strlen(line) && !memcmp(out.s, line, out.len);
  if (!ok) fprintf(stderr, "roundtrip: %.*s\n", (int)out.len, out.s);
  vpw_free(&pw);
  stralloc_free(&out);
  return ok;
}

int main(void)
{
  struct vqpasswd pw, pw2;
  stralloc out = {0};
  const char *l7 = "bob:$1$abcdefgh$0123456789abcdefghijkl:1:0:Bob:/home/vpopmail/domains/ex.com/bob:NOQUOTA\n";
  const char *l8 = "al:aaXyZ12345678:1:2048:Al Foo:/v/domains/ex.com/0/al:52428800S,1000C:se:cret\n";

  vpw_init(&pw);
  vpw_init(&pw2);
  CHECK(vpw_parse_line(&pw, l7, strlen(l7)) == 1);
  CHECK_SA(pw.name, "bob");
  CHECK_SA(pw.passwd, "$1$abcdefgh$0123456789abcdefghijkl");
  CHECK(pw.uid == 1 && pw.gid == 0);
  CHECK_SA(pw.gecos, "Bob");
  CHECK_SA(pw.dir, "/home/vpopmail/domains/ex.com/bob");
  CHECK_SA(pw.quota, "NOQUOTA");
  CHECK(pw.has_clear == 0 && pw.clear.len == 0);
  CHECK(vpw_validate(&pw) == 0);

  CHECK(vpw_parse_line(&pw, l8, strlen(l8)) == 1);
  CHECK_SA(pw.name, "al");
  CHECK(pw.gid == 2048);
  CHECK_SA(pw.quota, "52428800S,1000C");
  CHECK(pw.has_clear == 1);
  CHECK_SA(pw.clear, "se:cret");       /* a ':' in the clear text: rest of line */
  CHECK(vpw_validate(&pw) == VA_BAD_CHAR);

  CHECK(roundtrip(l7));
  CHECK(roundtrip("x1:pw:1:0:x1:/d/x1:NOQUOTA:\n"));     /* empty 8th field kept */
  CHECK(roundtrip("x2::1:0::/d/x2:\n"));                 /* empty hash/gecos/quota */

  /* cdb value form */
  CHECK(vpw_parse_value(&pw2, "bob", 3, "h:1:0:g:/d:NOQUOTA:clr", 22) == 1);
  CHECK_SA(pw2.clear, "clr");
  stralloc_copys(&out, "");
  CHECK(vpw_fmt_value(&out, &pw2));
  CHECK_SA(out, "h:1:0:g:/d:NOQUOTA:clr");

  /* CRLF tolerated */
  CHECK(vpw_parse_line(&pw, "a:b:1:0:c:/d:NOQUOTA\r\n", 22) == 1);
  CHECK_SA(pw.quota, "NOQUOTA");

  /* malformed */
  CHECK(vpw_parse_line(&pw, "a:b:1:0:c:/d", 12) == 0);  /* 5 colons */
  CHECK(vpw_parse_line(&pw, "abc", 3) == 0);
  CHECK(vpw_parse_line(&pw, "", 0) == 0);
  CHECK(vpw_parse_line(&pw, "a:b:x:0:c:/d:q", 14) == 0);  /* uid not a number */
  CHECK(vpw_parse_line(&pw, "a:b:18446744073709551616:0:c:/d:q", 33) == 0);  /* overflow */
  CHECK(vpw_parse_line(&pw, "a:b:1:-1:c:/d:q", 15) == 0);
  CHECK(vpw_parse_line(&pw, "a:b:99999999999999999999999:0:c:/d:q", 36) == 0);
  CHECK(vpw_parse_line(&pw, "a:b:::c:/d:q", 12) == 1);  /* empty uid/gid = 0 */
  CHECK(pw.uid == 0 && pw.gid == 0);

  CHECK(vpw_line_name("bob:x", 5) == 3);
  CHECK(vpw_line_name("bob", 3) == 3);

  /* validator limits: exactly the limit passes, one more fails */
  vpw_parse_line(&pw, l7, strlen(l7));
  stralloc_copys(&pw.name, "abcdefghijabcdefghijabcdefghij12");
  CHECK(vpw_validate(&pw) == 0);
  stralloc_cats(&pw.name, "x");
  CHECK(vpw_validate(&pw) == VA_USER_NAME_TOO_LONG);
  stralloc_copys(&pw.name, "");
  CHECK(vpw_validate(&pw) == VA_ILLEGAL_USERNAME);
  stralloc_copys(&pw.name, "a:b");
  CHECK(vpw_validate(&pw) == VA_ILLEGAL_USERNAME);
  stralloc_copys(&pw.name, "..");
  CHECK(vpw_validate(&pw) == VA_ILLEGAL_USERNAME);
  stralloc_copys(&pw.name, "bob");
  stralloc_copys(&pw.gecos, "123456789012345678901234567890123456789012345678");
  CHECK(vpw_validate(&pw) == 0);
  stralloc_cats(&pw.gecos, "9");
  CHECK(vpw_validate(&pw) == VA_GECOS_TOO_LONG);
  stralloc_copys(&pw.gecos, "a:b");
  CHECK(vpw_validate(&pw) == VA_BAD_CHAR);
  stralloc_copys(&pw.gecos, "Bob");
  stralloc_copys(&pw.quota, "123456789012345678901");
  CHECK(vpw_validate(&pw) == VA_QUOTA_TOO_LONG);
  stralloc_copys(&pw.quota, "NOQUOTA");
  stralloc_ready(&pw.dir, 200); memset(pw.dir.s, 'd', 161); pw.dir.len = 161;
  CHECK(vpw_validate(&pw) == VA_DIR_TOO_LONG);
  pw.dir.len = 160;
  CHECK(vpw_validate(&pw) == 0);
  stralloc_ready(&pw.passwd, 200); memset(pw.passwd.s, 'p', 129); pw.passwd.len = 129;
  CHECK(vpw_validate(&pw) == VA_PASSWD_TOO_LONG);
  pw.passwd.len = 128;
  CHECK(vpw_validate(&pw) == 0);
  pw.has_clear = 1;
  stralloc_ready(&pw.clear, 200); memset(pw.clear.s, 'c', 129); pw.clear.len = 129;
  CHECK(vpw_validate(&pw) == VA_CLEAR_PASSWD_TOO_LONG);
  pw.clear.len = 3;
  CHECK(vpw_validate(&pw) == 0);
  pw.has_clear = 0;
  stralloc_copys(&pw.clear, "a\nb");       /* ignored without has_clear */
  CHECK(vpw_validate(&pw) == 0);

  CHECK(vpw_copy(&pw2, &pw));
  CHECK(pw2.dir.len == 160 && pw2.uid == pw.uid);

  vpw_free(&pw);
  CHECK(pw.name.s == 0 && pw.passwd.len == 0);
  vpw_free(&pw2);
  stralloc_free(&out);
  return check_done();
}
