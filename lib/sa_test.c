/* lib/sa_test.c — the stralloc helpers. */
#include "../tests/check.h"
#include "sa.h"

int main(void)
{
  stralloc sa = {0};
  CHECK(stralloc_copys(&sa, "abc") && sa_cstr(&sa));
  CHECK(sa.len == 3 && sa.s[3] == '\0');
  CHECK(sa_copyb_lower(&sa, "MiXeD@Example.ORG", 17) == 1);
  CHECK_SA(sa, "mixed@example.org");
  CHECK(sa.s[sa.len] == '\0');
  sa.len = 0;
  CHECK(sa_catulong(&sa, 0) && sa_catulong(&sa, 4294967295UL));
  CHECK_SA(sa, "04294967295");
  sa_wipe(&sa);
  CHECK(sa.s == 0 && sa.len == 0);
  return check_done();
}
