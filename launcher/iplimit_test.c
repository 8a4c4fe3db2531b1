/* launcher/iplimit_test.c — per-IP and global accounting of running
 * children (launcher/iplimit.c). */
#include "../tests/check.h"
#include "iplimit.h"

int main(void)
{
  struct iplimit t;
  unsigned char a[16] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff,127,0,0,1 };
  unsigned char b[16] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff,127,0,0,9 };
  unsigned char six[16] = { [15] = 1 };
  unsigned char out[16];

  CHECK(iplimit_init(&t, 4));
  CHECK(iplimit_total(&t) == 0);
  CHECK(iplimit_count(&t, a) == 0);
  CHECK(iplimit_add(&t, 100, a));
  CHECK(iplimit_add(&t, 101, a));
  CHECK(iplimit_add(&t, 102, b));
  CHECK(iplimit_count(&t, a) == 2);
  CHECK(iplimit_count(&t, b) == 1);
  CHECK(iplimit_count(&t, six) == 0);
  CHECK(iplimit_add(&t, 103, six));
  CHECK(iplimit_total(&t) == 4);
  CHECK(!iplimit_add(&t, 104, six));        /* full: cap is the global limit */
  CHECK(iplimit_total(&t) == 4);
  CHECK(iplimit_remove(&t, 101, out));
  CHECK(!memcmp(out, a, 16));
  CHECK(iplimit_count(&t, a) == 1);
  CHECK(!iplimit_remove(&t, 101, out));      /* already gone */
  CHECK(!iplimit_remove(&t, 999, 0));        /* unknown pid (not ours) */
  CHECK(iplimit_total(&t) == 3);
  CHECK(iplimit_add(&t, 105, b));            /* freed slot reused */
  CHECK(iplimit_count(&t, b) == 2);
  CHECK(!iplimit_add(&t, 0, b));
  CHECK(iplimit_remove(&t, 100, 0) && iplimit_remove(&t, 102, 0)
        && iplimit_remove(&t, 103, 0) && iplimit_remove(&t, 105, 0));
  CHECK(iplimit_total(&t) == 0);
  CHECK(iplimit_count(&t, a) == 0 && iplimit_count(&t, b) == 0);
  iplimit_free(&t);
  return check_done();
}
