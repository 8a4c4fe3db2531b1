/* fuzz/tlsname.c — tlsconf_name, the check on the SNI name a client
 * sends: whatever it accepts is one safe path component. */
#include <stdint.h>
#include <string.h>
#include "../tls/tlsconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc out = {0};
  if (tlsconf_name(&out, (const char *)data, size) == 1) {
    size_t i;
    if (!out.len || out.len > TLSCONF_NAMEMAX || out.s[out.len] || out.s[0] == '.') __builtin_trap();
    for (i = 0; i < out.len; ++i)
      if (out.s[i] == '/' || (out.s[i] == '.' && out.s[i + 1] == '.')) __builtin_trap();
  }
  stralloc_free(&out);
  return 0;
}
