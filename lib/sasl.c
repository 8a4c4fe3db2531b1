/* lib/sasl.c — SASL PLAIN / LOGIN / CRAM-MD5 server helpers (see sasl.h).
 *
 * Invariants: every function replaces (never appends to) its outputs and
 * leaves them NUL-terminated in the sa_cstr sense; nothing here does I/O.
 *
 * SECURITY: all input is unauthenticated network data. The base64
 * decoder is strict (RFC 4648 alphabet, mandatory padding, no
 * whitespace, no data after padding, zero pad bits), so one encoded
 * string has exactly one meaning. Lengths are checked before every
 * index; decoded output is never longer than 3/4 of the input. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fmt.h"
#include "sa.h"
#include "sasl.h"

static const char b64chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64value(unsigned char c)
{
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int sasl_b64_decode(stralloc *out, const char *s, size_t len)
{
  size_t i, pad = 0;
  out->len = 0;
  if (len == 1 && s[0] == '=') return sa_cstr(out);
  if (len % 4) { errno = EINVAL; return 0; }
  if (len && s[len - 1] == '=') ++pad;
  if (len > 1 && s[len - 2] == '=') ++pad;
  if (!stralloc_ready(out, len / 4 * 3 + 1)) return 0;
  for (i = 0; i < len; i += 4) {
    int v[4], k, last = (i + 4 == len);
    unsigned long group;
    for (k = 0; k < 4; ++k) {
      if (last && k >= 4 - (int)pad) { v[k] = 0; continue; }
      v[k] = b64value((unsigned char)s[i + k]);
      if (v[k] < 0) { errno = EINVAL; out->len = 0; return 0; }
    }
    group = ((unsigned long)v[0] << 18) | ((unsigned long)v[1] << 12) |
            ((unsigned long)v[2] << 6) | (unsigned long)v[3];
    if (last && pad == 2 && (group & 0xffff)) { errno = EINVAL; out->len = 0; return 0; }
    if (last && pad == 1 && (group & 0xff)) { errno = EINVAL; out->len = 0; return 0; }
    out->s[out->len++] = (char)(group >> 16);
    if (!(last && pad == 2)) out->s[out->len++] = (char)(group >> 8);
    if (!(last && pad >= 1)) out->s[out->len++] = (char)group;
  }
  return sa_cstr(out);
}

int sasl_b64_encode(stralloc *out, const char *s, size_t len)
{
  size_t i;
  out->len = 0;
  if (!stralloc_ready(out, (len + 2) / 3 * 4 + 1)) return 0;
  for (i = 0; i < len; i += 3) {
    unsigned long group = (unsigned long)(unsigned char)s[i] << 16;
    size_t left = len - i;
    if (left > 1) group |= (unsigned long)(unsigned char)s[i + 1] << 8;
    if (left > 2) group |= (unsigned char)s[i + 2];
    out->s[out->len++] = b64chars[(group >> 18) & 63];
    out->s[out->len++] = b64chars[(group >> 12) & 63];
    out->s[out->len++] = left > 1 ? b64chars[(group >> 6) & 63] : '=';
    out->s[out->len++] = left > 2 ? b64chars[group & 63] : '=';
  }
  return sa_cstr(out);
}

int sasl_plain_split(const char *s, size_t len, stralloc *user, stralloc *pass)
{
  const char *first = memchr(s, '\0', len), *second;
  size_t rest, ulen;
  user->len = pass->len = 0;
  if (!first) { errno = EINVAL; return 0; }
  rest = len - (size_t)(first + 1 - s);
  second = memchr(first + 1, '\0', rest);
  if (!second) { errno = EINVAL; return 0; }
  ulen = (size_t)(second - (first + 1));
  rest = len - (size_t)(second + 1 - s);
  if (!ulen || !rest || memchr(second + 1, '\0', rest)) { errno = EINVAL; return 0; }
  if (!stralloc_copyb(user, first + 1, ulen) || !sa_cstr(user)) return 0;
  if (!stralloc_copyb(pass, second + 1, rest) || !sa_cstr(pass)) return 0;
  return 1;
}

int sasl_cram_challenge(stralloc *out, const char *host)
{
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  out->len = 0;
  /* pid and seconds as qmail's patch; nanoseconds make two challenges
   * of one process in one second differ. */
  return stralloc_copys(out, "<") && sa_catulong(out, (unsigned long)getpid()) &&
         stralloc_cats(out, ".") && sa_catulong(out, (unsigned long)now.tv_sec) &&
         stralloc_cats(out, ".") && sa_catulong(out, (unsigned long)now.tv_nsec) &&
         stralloc_cats(out, "@") && stralloc_cats(out, host) &&
         stralloc_cats(out, ">") && sa_cstr(out);
}

int sasl_cram_split(const char *s, size_t len, stralloc *user, stralloc *digest)
{
  size_t sp = len, i;
  user->len = digest->len = 0;
  while (sp > 0 && s[sp - 1] != ' ') --sp;
  if (sp < 2 || len - sp != 32) { errno = EINVAL; return 0; }
  if (memchr(s, '\0', len)) { errno = EINVAL; return 0; }
  for (i = sp; i < len; ++i)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
      errno = EINVAL; return 0;
    }
  if (!stralloc_copyb(user, s, sp - 1) || !sa_cstr(user)) return 0;
  if (!stralloc_copyb(digest, s + sp, 32) || !sa_cstr(digest)) return 0;
  return 1;
}
