/* fuzz/sasl.c — the SASL decoders on arbitrary bytes: base64 decoding must
 * round-trip through the encoder, and the PLAIN and CRAM-MD5 splitters
 * must only accept what their contracts allow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sasl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc dec = {0}, enc = {0}, a = {0}, b = {0};
  const char *s = (const char *)data;
  if (sasl_b64_decode(&dec, s, size)) {
    if (dec.s[dec.len] != '\0' || dec.len > size) abort();
    if (!sasl_b64_encode(&enc, dec.s, dec.len)) abort();
    /* strict decoding: one meaning per string ("=" is the empty response) */
    if (!(size == 1 && s[0] == '=') && (enc.len != size || memcmp(enc.s, s, size))) abort();
  }
  if (sasl_plain_split(s, size, &a, &b)) {
    if (!a.len || !b.len || memchr(a.s, '\0', a.len) || memchr(b.s, '\0', b.len)) abort();
    if (a.len + b.len + 2 > size) abort();
  }
  if (sasl_cram_split(s, size, &a, &b)) {
    if (!a.len || b.len != 32 || a.len + 33 != size) abort();
  }
  stralloc_free(&dec); stralloc_free(&enc); stralloc_free(&a); stralloc_free(&b);
  return 0;
}
