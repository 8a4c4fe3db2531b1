/* lib/cmdword.c — verb/argument split and case-insensitive verb compare
 * (see cmdword.h).
 *
 * Invariants: every result is a view into the caller's line, never
 * outside (line, len).
 *
 * SECURITY: reads command lines straight from the network before
 * authentication; it only reads within (line, len) and treats every
 * byte value alike except ' ' (separator) and A-Z (folded to a-z). The
 * compared word w is the program's own constant. */
#include "byte.h"
#include "cmdword.h"
#include "scan.h"

void cmdword_split(const char *line, size_t len, int flags, struct cmdword *c)
{
  size_t i = byte_chr(line, len, ' ');
  c->verb = line;
  c->verblen = i;
  while (i < len && line[i] == ' ') ++i;
  if (flags & CMDWORD_TRIM)
    while (len > i && line[len - 1] == ' ') --len;
  c->arg = line + i;
  c->arglen = len - i;
}

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

int cmdword_is(const char *s, size_t len, const char *w)
{
  size_t i;
  for (i = 0; i < len; ++i)
    if (!w[i] || lower(s[i]) != lower(w[i])) return 0;
  return w[len] == '\0';
}

int cmdword_number(const char *s, size_t len, unsigned long *out)
{
  unsigned long v;
  /* libowfat's scan_ulongn takes digits only and stops before an
   * overflow, so "all of it consumed" is the whole check */
  if (!len || len > 20 || scan_ulongn(s, len, &v) != len) return 0;
  *out = v;
  return 1;
}
