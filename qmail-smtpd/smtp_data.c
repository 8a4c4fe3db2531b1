/* qmail-smtpd/smtp_data.c — DATA / BDAT body state machine (see
 * smtp_data.h).
 *
 * Invariants: the only end of DATA is CR LF "." CR LF where the first
 * CR LF is a real one (or the start of data); no byte sequence with a
 * bare LF or a bare CR can end data or put the machine in a state where
 * a later byte is read as a command (SMTP smuggling). Stored output
 * never contains a CR LF pair: line endings are LF, as qmail-queue
 * expects.
 *
 * SECURITY: consumes untrusted network bytes; one byte at a time
 * (inside a body line, a run of bytes that are neither CR nor LF is
 * copied at once: no state changes within such a run), no lookahead
 * beyond the struct's state and the current input, no allocation but
 * the caller's output buffer. */
#include "smtp_data.h"

enum {
  S_BOL,      /* at the start of a line after CRLF (dot-transparent) */
  S_MID,      /* inside a line (or at its start after a bare LF) */
  S_CR,       /* CR seen inside a line */
  S_DOT,      /* "." seen at S_BOL */
  S_DOTCR     /* "." CR seen at S_BOL */
};

void smtpdata_init(struct smtpdata *d, int allow_barelf)
{
  d->state = S_BOL;
  d->allow_barelf = allow_barelf;
  d->inheader = 1;
  d->pos = 0;
  d->maybe_rcvd = d->maybe_dlvd = 1;
  d->size = 0;
  d->hops = 0;
  d->chunk_left = 0;
}

static int lowereq(char c, char w)
{
  if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
  return c == w;
}

/* Appends one stored byte and keeps size and the hop count, as qmail's
 * blast() does on the stored stream. */
static int put(struct smtpdata *d, char c, stralloc *out)
{
  ++d->size;
  if (d->inheader) {
    if (c == '\n') {
      if (d->pos == 0) d->inheader = 0;
      d->pos = 0;
      d->maybe_rcvd = d->maybe_dlvd = 1;
    } else {
      if (d->pos < 9) {
        if (!lowereq(c, "delivered"[d->pos])) d->maybe_dlvd = 0;
        if (d->maybe_dlvd && d->pos == 8) ++d->hops;
        if (d->pos < 8) {
          if (!lowereq(c, "received"[d->pos])) d->maybe_rcvd = 0;
          if (d->maybe_rcvd && d->pos == 7) ++d->hops;
        }
      }
      ++d->pos;
    }
  }
  if (out->len < out->a) {   /* room: no call per byte (a 4 KB message is 4096 of them) */
    out->s[out->len++] = c;
    return 0;
  }
  return stralloc_readyplus(out, 4096) && stralloc_append(out, &c) ? 0 : -1;
}

/* Length of the run at in (at most n bytes) holding neither CR nor LF. */
static size_t plainrun(const char *in, size_t n)
{
  size_t j = 0;
  while (j < n && in[j] != '\r' && in[j] != '\n') ++j;
  return j;
}

/* Appends a run of body bytes (past the header: nothing to count but
 * the size). */
static int putrun(struct smtpdata *d, const char *s, size_t k, stralloc *out)
{
  d->size += k;
  return stralloc_catb(out, s, k) ? 0 : -1;
}

static int barelf(struct smtpdata *d, stralloc *out)
{
  if (!d->allow_barelf) return SMTPDATA_BARELF;
  if (put(d, '\n', out)) return -1;
  d->state = S_MID;   /* no dot transparency after a bare LF */
  return SMTPDATA_MORE;
}

int smtpdata_feed(struct smtpdata *d, const char *in, size_t n, size_t *used, stralloc *out)
{
  size_t i;
  for (i = 0; i < n; ++i) {
    char c = in[i];
    int r = SMTPDATA_MORE;
    *used = i + 1;
    /* inside a body line: the whole run up to the next CR or LF */
    if (!d->inheader && (d->state == S_MID || (d->state == S_BOL && c != '.'))
        && c != '\r' && c != '\n') {
      size_t k = plainrun(in + i, n - i);
      if (putrun(d, in + i, k, out)) return -1;
      d->state = S_MID;
      i += k - 1;
      *used = i + 1;
      continue;
    }
    switch (d->state) {
      case S_BOL:
        if (c == '.') { d->state = S_DOT; break; }
        /* fall through */
      case S_MID:
        if (c == '\r') d->state = S_CR;
        else if (c == '\n') r = barelf(d, out);
        else { d->state = S_MID; if (put(d, c, out)) return -1; }
        break;
      case S_CR:
        if (c != '\n') return SMTPDATA_BARECR;
        if (put(d, '\n', out)) return -1;
        d->state = S_BOL;
        break;
      case S_DOT:
        if (c == '\r') { d->state = S_DOTCR; break; }
        if (c == '\n') {
          /* ".<LF>": never an end of data; kept as a "." line */
          if (!d->allow_barelf) return SMTPDATA_BARELF;
          if (put(d, '.', out)) return -1;
          r = barelf(d, out);
          break;
        }
        /* a leading dot is removed, as qmail does */
        d->state = S_MID;
        if (put(d, c, out)) return -1;
        break;
      case S_DOTCR:
        if (c != '\n') return SMTPDATA_BARECR;
        d->state = S_BOL;
        return SMTPDATA_END;
    }
    if (r != SMTPDATA_MORE) return r;
  }
  *used = n;
  return SMTPDATA_MORE;
}

void smtpdata_chunk(struct smtpdata *d, unsigned long size)
{
  d->chunk_left = size;
  if (d->state != S_CR) d->state = S_MID;
}

int smtpdata_feed_chunk(struct smtpdata *d, const char *in, size_t n, size_t *used, stralloc *out)
{
  size_t i;
  if (n > d->chunk_left) n = (size_t)d->chunk_left;
  for (i = 0; i < n; ++i) {
    char c = in[i];
    if (!d->inheader && d->state != S_CR && c != '\r' && c != '\n') {
      size_t k = plainrun(in + i, n - i);
      if (putrun(d, in + i, k, out)) return -1;
      d->chunk_left -= k;
      i += k - 1;
      *used = i + 1;
      continue;
    }
    --d->chunk_left;
    *used = i + 1;
    if (d->state == S_CR) {
      if (c != '\n') return SMTPDATA_BARECR;
      if (put(d, '\n', out)) return -1;
      d->state = S_MID;
    } else if (c == '\r') {
      d->state = S_CR;
    } else if (c == '\n') {
      int r = barelf(d, out);
      if (r != SMTPDATA_MORE) return r;
    } else {
      if (put(d, c, out)) return -1;
    }
  }
  *used = n;
  return d->chunk_left ? SMTPDATA_MORE : SMTPDATA_END;
}

int smtpdata_chunk_last(struct smtpdata *d)
{
  return d->state == S_CR ? SMTPDATA_BARECR : 1;
}
