/* pop3/pop3_cmd.c — POP3 command arguments (see pop3_cmd.h).
 *
 * SECURITY: parses arguments straight from the network, before
 * authentication in qmail-popup and as the mail-store id in
 * qmail-pop3d. Everything works on views within the caller's line. */
#include "byte.h"
#include "pop3_cmd.h"

int pop3cmd_word(const char **p, size_t *len, const char **w, size_t *wlen)
{
  const char *s = *p;
  size_t n = *len, i;
  while (n && *s == ' ') { ++s; --n; }
  if (!n) { *p = s; *len = 0; return 0; }
  i = byte_chr(s, n, ' ');
  *w = s;
  *wlen = i;
  *p = s + i;
  *len = n - i;
  return 1;
}

