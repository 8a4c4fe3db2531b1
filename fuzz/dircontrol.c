/* fuzz/dircontrol.c — dirhash_parse on arbitrary bytes: no crash; an
 * accepted record formats to an image that parses back to the same
 * record, and advancing it keeps it valid (the_dir stays a well-formed
 * bucket, so it is always a safe relative path). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dirhash.h"
#include "stralloc.h"

static void roundtrip(const struct dirhash *d)
{
  struct dirhash e;
  stralloc a = {0}, b = {0};
  if (!dirhash_format(&a, d)) abort();
  if (dirhash_parse(&e, a.s, a.len) != 1) abort();
  if (memcmp(d, &e, sizeof e)) abort();
  if (!dirhash_format(&b, &e)) abort();
  if (a.len != b.len || memcmp(a.s, b.s, a.len)) abort();
  if (!dirhash_bucket_ok(d->the_dir, strlen(d->the_dir))) abort();
  stralloc_free(&a);
  stralloc_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct dirhash d;
  int i;
  if (dirhash_parse(&d, (const char *)data, size) != 1) return 0;
  roundtrip(&d);
  for (i = 0; i < 250; ++i) {
    dirhash_next(&d);
    if (d.cur_users % DIRHASH_PER_LEVEL == 0) roundtrip(&d);
  }
  return 0;
}
