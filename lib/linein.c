/* lib/linein.c — the bounded, resumable line reader (see linein.h).
 *
 * Invariants: while a line is being read (ST_LINE), l->count <= max - 1
 * and l->line.len <= l->count, so the LF still to come always fits;
 * the buffer is never allocated past max bytes; once a byte would not
 * fit, the line switches to ST_DISCARD and every byte up to its LF is
 * dropped, so each line gets exactly one result. The line buffer is
 * reset lazily (ST_FRESH) so a finished line stays readable until the
 * next call.
 *
 * SECURITY: parses bytes straight from the network before any
 * authentication (qmail-smtpd, qmail-popup) and as the mail-store id
 * (qmail-pop3d). Every byte is bounded by the caller's maximum; the only
 * special bytes are LF, a CR right before it, and NUL when the caller
 * asked for LINEIN_NONUL. Runs of ordinary bytes are copied at once (a
 * 12 KB SASL line is common). */
#include <stdlib.h>
#include "byte.h"
#include "linein.h"

enum { ST_LINE = 0, ST_DISCARD = 1, ST_FRESH = 2 };

void linein_init(struct linein *l, size_t max, int flags)
{
  l->line.s = 0; l->line.len = 0; l->line.a = 0;
  l->count = 0;
  l->flags = flags;
  l->state = ST_FRESH;
  l->bad = 0;
  linein_setmax(l, max);
}

void linein_setmax(struct linein *l, size_t max)
{
  l->max = max < LINEIN_MINMAX ? LINEIN_MINMAX : max;
}

void linein_free(struct linein *l)
{
  stralloc_free(&l->line);
}

/* Makes room for need bytes in l->line without allocating more than
 * l->max (stralloc_ready would add an eighth and 30 bytes). need is at
 * most l->max - 1 here. 1, or 0 on ENOMEM. */
static int reserve(struct linein *l, size_t need)
{
  size_t want;
  char *p;
  if (l->line.s && l->line.a >= need) return 1;
  want = need + (need >> 3) + 30;
  if (want > l->max || want < need) want = l->max;
  p = realloc(l->line.s, want);
  if (!p) return 0;
  l->line.s = p;
  l->line.a = want;
  return 1;
}

int linein_feed(struct linein *l, const char *in, size_t n, size_t *used)
{
  size_t i = 0;
  if (l->state == ST_FRESH) {
    l->line.len = 0;
    l->count = 0;
    l->bad = 0;
    l->state = ST_LINE;
  }
  while (i < n) {
    size_t k, room, run;
    int r;
    if (l->state == ST_DISCARD) {
      k = byte_chr(in + i, n - i, '\n');
      l->count += k;
      i += k;
      if (i == n) break;
      ++l->count;
      *used = i + 1;
      l->line.len = 0;
      l->state = ST_FRESH;
      return LINEIN_TOOLONG;
    }
    /* bytes that may still join the line: the LF needs the last one */
    room = l->count + 1 < l->max ? l->max - 1 - l->count : 0;
    for (k = i; k < n && k - i < room; ++k)
      if (in[k] == '\n' || (in[k] == '\0' && (l->flags & LINEIN_NONUL))) break;
    run = k - i;
    if (run) {
      if (!reserve(l, l->line.len + run)) { *used = i; return -1; }
      byte_copy(l->line.s + l->line.len, run, in + i);
      l->line.len += run;
      l->count += run;
      i = k;
      if (i == n) break;
    }
    ++l->count;
    ++i;
    if (in[k] == '\n') {
      /* count > max only after linein_setmax lowered it mid-line */
      r = l->count > l->max ? LINEIN_TOOLONG : l->bad ? LINEIN_BADBYTE : LINEIN_DONE;
      if (r == LINEIN_DONE) {
        if (l->line.len && l->line.s[l->line.len - 1] == '\r') --l->line.len;
      } else
        l->line.len = 0;
      *used = i;
      l->state = ST_FRESH;
      return r;
    }
    if (l->count >= l->max) {   /* this byte left no room for the LF */
      l->state = ST_DISCARD;
      l->line.len = 0;
      continue;
    }
    l->bad = 1;   /* a NUL under LINEIN_NONUL: counted, not kept */
  }
  *used = n;
  return LINEIN_MORE;
}
