/* fuzz/vpasswd.c — the vpasswd line parser on arbitrary bytes: it must
 * not crash, and a record it accepts and vpw_validate passes must
 * format back to a line that parses to the same record. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stralloc.h"
#include "vpasswd.h"

static int same(const stralloc *a, const stralloc *b)
{
  return a->len == b->len && (a->len == 0 || !memcmp(a->s, b->s, a->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct vqpasswd a, b;
  stralloc out = {0};
  vpw_init(&a);
  vpw_init(&b);
  if (vpw_parse_line(&a, (const char *)data, size) == 1 && vpw_validate(&a) == 0) {
    if (!vpw_fmt_line(&out, &a)) abort();
    if (vpw_parse_line(&b, out.s, out.len) != 1) abort();
    if (!same(&a.name, &b.name) || !same(&a.passwd, &b.passwd) ||
        !same(&a.gecos, &b.gecos) || !same(&a.dir, &b.dir) ||
        !same(&a.quota, &b.quota) || a.uid != b.uid || a.gid != b.gid ||
        a.has_clear != b.has_clear || (a.has_clear && !same(&a.clear, &b.clear)))
      abort();
  }
  vpw_free(&a);
  vpw_free(&b);
  stralloc_free(&out);
  return 0;
}
