/* pop3/pop3_msg.c — a stored message as POP3 sends it (see pop3_msg.h).
 *
 * Invariants: each input byte produces at most two output bytes (LF ->
 * CRLF, a leading '.' -> ".."), so a caller's 2n buffer always suffices;
 * x->octets counts exactly the bytes written except stuffing dots.
 *
 * SECURITY: the message is mail from anyone. No byte is interpreted
 * except LF, CR before it, and '.' at a line start; NUL and 8-bit bytes
 * pass through unchanged. The only state is a few counters. */
#include <string.h>
#include "pop3_msg.h"

void pop3xf_init(struct pop3xf *x, int top, unsigned long lines)
{
  x->octets = 0;
  x->body = lines;
  x->top = top;
  x->done = 0;
  x->bol = 1;
  x->cr = 0;
  x->inhdr = 1;
  x->lineb = 0;
}

size_t pop3xf_feed(struct pop3xf *x, const char *in, size_t n, char *out)
{
  const char *p = in, *end = in + n;
  char *o = out;
  while (p < end && !x->done) {
    const char *nl;
    size_t len;
    if (x->bol) {
      if (*p == '.' && out) *o++ = '.';
      x->bol = 0;
    }
    nl = memchr(p, '\n', (size_t)(end - p));
    len = (size_t)((nl ? nl : end) - p);
    if (len) {
      if (out) { memcpy(o, p, len); o += len; }
      x->octets += len;
      x->lineb += len;
      x->cr = p[len - 1] == '\r';
      p += len;
    }
    if (!nl) break;
    ++p;
    if (!x->cr) { if (out) *o++ = '\r'; ++x->octets; }
    if (out) *o++ = '\n';
    ++x->octets;
    if (x->inhdr) {
      if (x->lineb == 0 || (x->lineb == 1 && x->cr)) {
        x->inhdr = 0;
        if (x->top && !x->body) x->done = 1;
      }
    } else if (x->top && !--x->body)
      x->done = 1;
    x->bol = 1;
    x->cr = 0;
    x->lineb = 0;
  }
  return out ? (size_t)(o - out) : 0;
}

size_t pop3xf_end(struct pop3xf *x, char *out)
{
  size_t k = 0;
  if (x->done || x->bol) return 0;
  if (!x->cr) { if (out) out[k] = '\r'; ++k; }
  if (out) out[k] = '\n';
  ++k;
  x->octets += k;
  x->bol = 1;
  return k;
}
