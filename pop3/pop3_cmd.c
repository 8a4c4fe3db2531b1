/* pop3/pop3_cmd.c — POP3 command lines (see pop3_cmd.h).
 *
 * Invariants: a line buffer never holds more than its maximum; after an
 * overlong line or one holding a NUL every byte up to its LF is dropped,
 * so the reader stays in step with the client and answers once per line.
 *
 * SECURITY: parses bytes straight from the network, before
 * authentication in qmail-popup and as the mail-store id in
 * qmail-pop3d. Everything is bounded by the caller's maximum; the only
 * special bytes are LF (line end), CR before it, and NUL (refused, as a
 * C-string consumer such as checkpassword would truncate at it). */
#include "byte.h"
#include "scan.h"
#include "pop3_cmd.h"

enum { ST_LINE = 0, ST_DISCARD = 1, ST_FRESH = 2 };

void pop3line_init(struct pop3line *l, size_t max)
{
  l->line.s = 0; l->line.len = 0; l->line.a = 0;
  l->max = 0;
  l->count = 0;
  l->state = ST_FRESH;
  l->bad = 0;
  pop3line_setmax(l, max);
}

void pop3line_setmax(struct pop3line *l, size_t max)
{
  l->max = max < 8 ? 8 : max;
}

void pop3line_free(struct pop3line *l)
{
  stralloc_free(&l->line);
}

int pop3line_feed(struct pop3line *l, const char *in, size_t n, size_t *used)
{
  size_t i, start;
  if (l->state == ST_FRESH) {
    l->line.len = 0;
    l->count = 0;
    l->bad = 0;
    l->state = ST_LINE;
  }
  /* copy runs of ordinary bytes at once: a 12 KB SASL line is common */
  start = 0;
  for (i = 0; i < n; ++i) {
    char c = in[i];
    if (c != '\n' && c != '\0' && l->state == ST_LINE && l->count + 2 <= l->max) {
      ++l->count;
      continue;
    }
    if (l->state == ST_LINE && i > start
        && !stralloc_catb(&l->line, in + start, i - start)) {
      l->count -= i - start;
      *used = start;
      return -1;
    }
    start = i + 1;
    if (c == '\n') {
      int r = l->state == ST_DISCARD ? POP3LINE_TOOLONG
            : l->bad ? POP3LINE_BADBYTE : POP3LINE_DONE;
      *used = i + 1;
      if (r == POP3LINE_DONE) {
        if (l->line.len && l->line.s[l->line.len - 1] == '\r') --l->line.len;
      } else
        l->line.len = 0;
      l->state = ST_FRESH;
      return r;
    }
    ++l->count;
    if (l->state == ST_DISCARD) continue;
    if (l->count + 1 > l->max) {   /* + 1: the LF still to come */
      l->state = ST_DISCARD;
      l->line.len = 0;
      continue;
    }
    /* here c is NUL: remember it, keep counting the line's length */
    l->bad = 1;
  }
  if (l->state == ST_LINE && n > start
      && !stralloc_catb(&l->line, in + start, n - start)) {
    l->count -= n - start;
    *used = start;
    return -1;
  }
  *used = n;
  return POP3LINE_MORE;
}

void pop3cmd_split(const char *line, size_t len, struct pop3cmd *c)
{
  size_t i = byte_chr(line, len, ' ');
  c->verb = line;
  c->verblen = i;
  while (i < len && line[i] == ' ') ++i;
  c->arg = line + i;
  c->arglen = len - i;
}

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

int pop3cmd_is(const char *s, size_t len, const char *w)
{
  size_t i;
  for (i = 0; i < len; ++i)
    if (!w[i] || lower(s[i]) != lower(w[i])) return 0;
  return w[len] == '\0';
}

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

int pop3cmd_number(const char *s, size_t len, unsigned long *out)
{
  unsigned long v;
  /* libowfat's scan_ulongn takes digits only and stops before an
   * overflow, so "all of it consumed" is the whole check */
  if (!len || len > 20 || scan_ulongn(s, len, &v) != len) return 0;
  *out = v;
  return 1;
}
