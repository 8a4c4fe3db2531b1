/* qmail-smtpd/smtp_cmd.c — SMTP command arguments (see smtp_cmd.h).
 *
 * SECURITY: parses arguments straight from the network before any
 * authentication. Everything works on views within the caller's line;
 * ESMTP parameters are refused unless they are printable ASCII. */
#include "byte.h"
#include "cmdword.h"
#include "smtp_cmd.h"

int smtpcmd_param(const char **p, size_t *len, struct smtpparam *out)
{
  const char *s = *p;
  size_t n = *len, i, eq;
  while (n && *s == ' ') { ++s; --n; }
  if (!n) { *p = s; *len = 0; return 0; }
  i = byte_chr(s, n, ' ');
  eq = byte_chr(s, i, '=');
  if (!eq) return -1;
  {
    size_t k;
    for (k = 0; k < i; ++k) {
      unsigned char c = (unsigned char)s[k];
      if (c < 0x21 || c > 0x7e) return -1;
    }
  }
  out->key = s;
  out->keylen = eq;
  if (eq < i) {
    out->val = s + eq + 1;
    out->vallen = i - eq - 1;
  } else {
    out->val = 0;
    out->vallen = 0;
  }
  *p = s + i;
  *len = n - i;
  return 1;
}

int smtpcmd_bdat(const char *arg, size_t len, unsigned long *size, int *last)
{
  size_t i = byte_chr(arg, len, ' ');
  size_t j = i;
  if (!cmdword_number(arg, i, size)) return 0;
  while (j < len && arg[j] == ' ') ++j;
  if (j == len) { *last = 0; return 1; }
  if (!cmdword_is(arg + j, len - j, "last")) return 0;
  *last = 1;
  return 1;
}
