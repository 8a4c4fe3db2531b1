/* fuzz/qqenv.c — the qmail-queue envelope parser on arbitrary bytes. */
#include <stdint.h>
#include <string.h>
#include "../vdeliver/qqenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct qqenv e = {0};
  int r = qqenv_parse(&e, (const char *)data, size);
  if (r == QQENV_OK) {
    size_t i, n = 0;
    if (e.used > size || e.sender.len > QQENV_ADDR_MAX) __builtin_trap();
    for (i = 0; i < e.rcpts.len; ++i) if (!e.rcpts.s[i]) ++n;
    if (n != e.nrcpt) __builtin_trap();
  }
  qqenv_free(&e);
  return 0;
}
