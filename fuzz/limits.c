/* fuzz/limits.c — limits_parse on arbitrary bytes: no crash, perm
 * fields stay within 3 bits, and the writer's image parses back to the
 * same record and formats to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stralloc.h"
#include "vlimits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct vlimits a, b;
  stralloc x = {0}, y = {0};
  if (limits_parse(&a, (const char *)data, size) != 1) abort();
  if (a.perm_account & ~7 || a.perm_maillist & ~7 || a.perm_maillist_users & ~7 ||
      a.perm_maillist_moderators & ~7 || a.perm_quota & ~7) abort();
  if (!limits_format(&x, &a)) abort();
  if (limits_parse(&b, x.s, x.len) != 1) abort();
  if (memcmp(&a, &b, sizeof a)) abort();
  if (!limits_format(&y, &b)) abort();
  if (x.len != y.len || memcmp(x.s, y.s, x.len)) abort();
  (void)limits_flag_mask(&a);
  stralloc_free(&x);
  stralloc_free(&y);
  return 0;
}
