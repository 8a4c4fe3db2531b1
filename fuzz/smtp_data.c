/* fuzz/smtp_data.c — the DATA/BDAT body machine. First byte: bit 0 =
 * allow bare LF, bit 1 = BDAT mode. The input is run whole and byte by
 * byte; both runs must agree. Asserted: stored output never holds a CR;
 * DATA ends only right after CR LF "." CR LF (or "." CR LF at the
 * start). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../qmail-smtpd/smtp_data.h"

static int run(const char *s, size_t n, int allow, int bdat, size_t step,
               stralloc *out, size_t *consumed)
{
  struct smtpdata d;
  size_t off = 0;
  int r = SMTPDATA_MORE;
  smtpdata_init(&d, allow);
  while (off < n) {
    size_t used, k = n - off;
    if (k > step) k = step;
    if (bdat) {
      smtpdata_chunk(&d, (unsigned long)k);
      r = smtpdata_feed_chunk(&d, s + off, k, &used, out);
      if (r == SMTPDATA_END) r = SMTPDATA_MORE;
    } else {
      r = smtpdata_feed(&d, s + off, k, &used, out);
    }
    if (r < 0) abort();
    if (used > k) abort();
    off += used;
    if (r != SMTPDATA_MORE) break;
    if (used != k) abort();
  }
  if (d.size != out->len) abort();
  *consumed = off;
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc o1 = {0}, o2 = {0};
  size_t c1, c2;
  int r1, r2, allow, bdat;
  const char *s;
  if (size < 1) return 0;
  allow = data[0] & 1;
  bdat = (data[0] >> 1) & 1;
  s = (const char *)data + 1;
  --size;
  r1 = run(s, size, allow, bdat, size ? size : 1, &o1, &c1);
  r2 = run(s, size, allow, bdat, 1, &o2, &c2);
  if (!bdat && (r1 != r2 || c1 != c2)) abort();
  if (!bdat && (o1.len != o2.len || (o1.len && memcmp(o1.s, o2.s, o1.len)))) abort();
  if (o1.len && memchr(o1.s, '\r', o1.len)) abort();
  if (r1 == SMTPDATA_END) {
    if (c1 == 3) { if (memcmp(s, ".\r\n", 3)) abort(); }
    else if (c1 < 5 || memcmp(s + c1 - 5, "\r\n.\r\n", 5)) abort();
  }
  stralloc_free(&o1);
  stralloc_free(&o2);
  return 0;
}
