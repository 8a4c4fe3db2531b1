/* fuzz/quota.c — quota_normalize and quota_parse on arbitrary bytes:
 * no crash; a normalised quota is a stored spec quota_parse accepts and
 * normalising it again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "quota.h"
#include "stralloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc a = {0}, b = {0};
  unsigned long long bytes, count;
  int r = quota_normalize(&a, (const char *)data, size);
  if (r == 1) {
    if (a.s[a.len]) abort();
    if (quota_parse(a.s, a.len, &bytes, &count) != 1) abort();
    if (quota_normalize(&b, a.s, a.len) != 1) abort();
    if (a.len != b.len || memcmp(a.s, b.s, a.len)) abort();
  } else if (r != 0) abort();
  if (quota_parse((const char *)data, size, &bytes, &count) == 0 && (bytes || count))
    abort();
  stralloc_free(&a);
  stralloc_free(&b);
  return 0;
}
