/* fuzz/tlsreq.c — tlsreq_decode, the control-socket record parser
 * (records come from qvtls, but a malformed one must be refused, never
 * half-read). */
#include <stddef.h>
#include <stdint.h>
#include "tlsreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct tlsreq_info info;
  char buf[TLSREQ_RECMAX];
  int r = tlsreq_decode(&info, (const char *)data, size);
  if (r == 1) {
    /* a parsed record re-encodes to the same bytes */
    size_t n = tlsreq_encode(buf, 1, &info);
    if (n != size) __builtin_trap();
  }
  return 0;
}
