/* vdeliver/qqenv_test.c — the qmail-queue envelope parser. */
#include <string.h>
#include "../tests/check.h"
#include "qqenv.h"

static int p(struct qqenv *e, const char *b, size_t n) { return qqenv_parse(e, b, n); }

int main(void)
{
  struct qqenv e = {0};
  static char big[2100];
  CHECK(p(&e, "Fa@b\0Tc@d\0Te@f\0\0", 17) == QQENV_OK);
  CHECK_SA(e.sender, "a@b");
  CHECK(e.nrcpt == 2);
  CHECK(e.used == 16);
  CHECK(!memcmp(e.rcpts.s, "c@d\0e@f\0", 8) && e.rcpts.len == 8);
  CHECK(p(&e, "F\0\0", 3) == QQENV_OK);
  CHECK(e.sender.len == 0 && e.nrcpt == 0);
  CHECK(p(&e, "F\0Tx@y\0\0trailing", 16) == QQENV_OK);
  CHECK(e.used == 8);
  /* incomplete at every cut */
  {
    const char *full = "Fa@b\0Tc@d\0\0";
    size_t n;
    for (n = 0; n < 11; ++n) CHECK(p(&e, full, n) == QQENV_MORE);
  }
  CHECK(p(&e, "Xa\0\0", 4) == QQENV_BAD);
  CHECK(p(&e, "Fa\0Xb\0\0", 7) == QQENV_BAD);
  CHECK(p(&e, "Fa\0T\0\0", 6) == QQENV_OK);   /* empty recipient: parsed, refused later */
  big[0] = 'F';
  memset(big + 1, 'a', 1003);
  big[1004] = '\0'; big[1005] = '\0';
  CHECK(p(&e, big, 1006) == QQENV_OK);
  memset(big + 1, 'a', 1004);
  big[1005] = '\0'; big[1006] = '\0';
  CHECK(p(&e, big, 1007) == QQENV_TOOLONG);
  CHECK(p(&e, big, 1005) == QQENV_TOOLONG);    /* too long even before its NUL */
  qqenv_free(&e);
  return check_done();
}
