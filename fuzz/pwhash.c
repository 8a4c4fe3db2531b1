/* fuzz/pwhash.c — pw_verify's stored-hash parsing ({PREFIX} forms,
 * base64/hex digests, DES) and the APOP/CRAM-MD5 comparators on
 * arbitrary bytes: stored NUL given NUL extra. Stored values containing
 * '$' are skipped: their cost parameters (bcrypt 2^31 rounds) come from
 * the trusted store and would only make the fuzzer slow. */
#include <stdint.h>
#include <string.h>
#include "pwhash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  const char *z1 = memchr(s, 0, size), *z2;
  size_t slen, glen, elen;
  int r;

  if (!z1) return 0;
  slen = (size_t)(z1 - s);
  z2 = memchr(z1 + 1, 0, size - slen - 1);
  glen = z2 ? (size_t)(z2 - z1 - 1) : size - slen - 1;
  elen = z2 ? size - slen - glen - 2 : 0;
  if (!memchr(s, '$', slen)) {
    r = pw_verify(s, slen, z1 + 1, glen);
    if (r < -1 || r > 1) __builtin_trap();
    if (slen == 0 && r != 0) __builtin_trap();
  }
  r = pw_verify_apop(s, slen, z1 + 1, glen, z2 ? z2 + 1 : s, elen);
  if (r < -1 || r > 1) __builtin_trap();
  r = pw_verify_cram(s, slen, z1 + 1, glen, z2 ? z2 + 1 : s, elen);
  if (r < -1 || r > 1) __builtin_trap();
  (void)pw_needs_rehash(s, slen, PW_SHA512);
  return 0;
}
