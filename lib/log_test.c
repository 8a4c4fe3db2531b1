/* lib/log_test.c — escaping of untrusted values in log lines. */
#include "../tests/check.h"
#include "log.h"
#include "stralloc.h"

int main(void)
{
  stralloc sa = {0};
  CHECK(log_escape(&sa, "bob@example.org", 15) == 1);
  CHECK_SA(sa, "bob@example.org");
  sa.len = 0;
  CHECK(log_escape(&sa, "a b\r\nuser=x\\\x80", 13) == 1);
  CHECK_SA(sa, "a\\x20b\\x0d\\x0auser=x\\x5c\\x80");
  stralloc_free(&sa);
  return check_done();
}
