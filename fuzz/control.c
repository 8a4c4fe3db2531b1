/* fuzz/control.c — control-file line and list parsers on arbitrary bytes. */
#include <stdint.h>
#include <string.h>
#include "control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc out = {0};
  size_t i;
  if (ctl_parse_line(&out, (const char *)data, size)) {
    for (i = 0; i < out.len; ++i)
      if (out.s[i] == '\n') __builtin_trap();
    if (out.len && (out.s[out.len - 1] == ' ' || out.s[out.len - 1] == '\t')) __builtin_trap();
  }
  if (ctl_parse_list(&out, (const char *)data, size)) {
    /* every entry is NUL-terminated, non-empty and not a comment */
    size_t start = 0;
    if (out.len && out.s[out.len - 1] != '\0') __builtin_trap();
    for (i = 0; i < out.len; ++i)
      if (out.s[i] == '\0') {
        if (i == start || out.s[start] == '#') __builtin_trap();
        start = i + 1;
      }
  }
  stralloc_free(&out);
  return 0;
}
