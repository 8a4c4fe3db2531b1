/* qmail-smtpd/smtp_cmd.c — SMTP command lines (see smtp_cmd.h).
 *
 * Invariants: a line buffer never holds more than its maximum; after an
 * overlong line every byte up to its LF is dropped, so the reader stays
 * in step with the client and replies once per line.
 *
 * SECURITY: parses bytes straight from the network before any
 * authentication. Everything is bounded by the caller's maximum; no
 * byte value is special except LF (line end) and CR before it; NUL and
 * other control bytes pass through to the command handlers, which
 * reject them where they matter (addresses). */
#include "byte.h"
#include "scan.h"
#include "smtp_cmd.h"

enum { ST_LINE = 0, ST_DISCARD = 1, ST_FRESH = 2 };

void smtpline_init(struct smtpline *l, size_t max)
{
  l->line.s = 0; l->line.len = 0; l->line.a = 0;
  l->max = max < 16 ? 16 : max;
  l->count = 0;
  l->state = ST_FRESH;
}

void smtpline_free(struct smtpline *l)
{
  stralloc_free(&l->line);
}

int smtpline_feed(struct smtpline *l, const char *in, size_t n, size_t *used)
{
  size_t i;
  if (l->state == ST_FRESH) {
    l->line.len = 0;
    l->count = 0;
    l->state = ST_LINE;
  }
  for (i = 0; i < n; ++i) {
    char c = in[i];
    ++l->count;
    if (c == '\n') {
      *used = i + 1;
      if (l->state == ST_DISCARD) {
        l->state = ST_FRESH;
        l->line.len = 0;
        return SMTPLINE_TOOLONG;
      }
      if (l->line.len && l->line.s[l->line.len - 1] == '\r') --l->line.len;
      l->state = ST_FRESH;
      return SMTPLINE_DONE;
    }
    if (l->state == ST_DISCARD) continue;
    /* count + 1: the LF still to come is part of the line's size */
    if (l->count + 1 > l->max) {
      l->state = ST_DISCARD;
      l->line.len = 0;
      continue;
    }
    if (!stralloc_append(&l->line, &c)) { *used = i; return -1; }
  }
  *used = n;
  return SMTPLINE_MORE;
}

void smtpcmd_split(const char *line, size_t len, struct smtpcmd *c)
{
  size_t i = byte_chr(line, len, ' ');
  c->verb = line;
  c->verblen = i;
  while (i < len && line[i] == ' ') ++i;
  while (len > i && line[len - 1] == ' ') --len;
  c->arg = line + i;
  c->arglen = len - i;
}

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

int smtpcmd_is(const char *s, size_t len, const char *w)
{
  size_t i;
  for (i = 0; i < len; ++i)
    if (!w[i] || lower(s[i]) != lower(w[i])) return 0;
  return w[len] == '\0';
}

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

int smtpcmd_number(const char *s, size_t len, unsigned long *out)
{
  unsigned long v;
  /* libowfat's scan_ulongn takes digits only and stops before an
   * overflow, so "all of it consumed" is the whole check */
  if (!len || len > 20 || scan_ulongn(s, len, &v) != len) return 0;
  *out = v;
  return 1;
}

int smtpcmd_bdat(const char *arg, size_t len, unsigned long *size, int *last)
{
  size_t i = byte_chr(arg, len, ' ');
  size_t j = i;
  if (!smtpcmd_number(arg, i, size)) return 0;
  while (j < len && arg[j] == ' ') ++j;
  if (j == len) { *last = 0; return 1; }
  if (!smtpcmd_is(arg + j, len - j, "last")) return 0;
  *last = 1;
  return 1;
}
