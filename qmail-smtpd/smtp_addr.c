/* qmail-smtpd/smtp_addr.c — MAIL/RCPT paths (see smtp_addr.h).
 *
 * Invariant: a parsed address holds no byte below 0x20 and no DEL and
 * is at most SMTPADDR_MAX bytes, so it can be written to qmail-queue's
 * NUL-separated envelope and into logs (escaped) safely.
 *
 * SECURITY: parses untrusted network input; all scanning is bounded by
 * the argument's length, nothing is NUL-terminated on input. */
#include "byte.h"
#include "sa.h"
#include "smtp_addr.h"

void smtpaddr_free(struct smtpaddr *a)
{
  stralloc_free(&a->addr);
}

int smtpaddr_parse(struct smtpaddr *a, const char *arg, size_t len)
{
  size_t i, start;
  char terminator = '>';
  int esc = 0, quoted = 0;

  a->addr.len = 0;
  a->utf8 = 0;
  i = byte_chr(arg, len, '<');
  if (i < len) {
    start = i + 1;
  } else {
    /* "MAIL FROM:addr": qmail takes the text after ':' up to a space */
    terminator = ' ';
    start = byte_chr(arg, len, ':');
    if (start < len) ++start;   /* no ':' at all: empty, as qmail */
    while (start < len && arg[start] == ' ') ++start;
  }
  /* source route "@a,@b:" is dropped, as in qmail */
  if (start < len && arg[start] == '@') {
    while (start < len)
      if (arg[start++] == ':') break;
  }
  for (i = start; i < len; ++i) {
    char c = arg[i];
    unsigned char u = (unsigned char)c;
    if (u < 0x20 || u == 0x7f) return 0;
    if (esc) {
      esc = 0;
    } else {
      if (!quoted && c == terminator) { ++i; break; }
      if (c == '\\') { esc = 1; continue; }
      if (c == '"') { quoted = !quoted; continue; }
    }
    if (u >= 0x80) a->utf8 = 1;
    if (a->addr.len >= SMTPADDR_MAX) return 0;
    if (!stralloc_append(&a->addr, &c)) return -1;
  }
  a->rest = i;
  if (!sa_cstr(&a->addr)) return -1;
  if (a->utf8 && !smtpaddr_utf8_ok(a->addr.s, a->addr.len)) return 0;
  return 1;
}

const char *smtpaddr_domain(const char *addr, size_t len, size_t *dlen)
{
  size_t i = byte_rchr(addr, len, '@');
  if (i == len) { *dlen = 0; return addr + len; }
  *dlen = len - i - 1;
  return addr + i + 1;
}

int smtpaddr_utf8_ok(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    unsigned long cp;
    size_t n, k;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
    else return 0;
    if (len - i <= n) return 0;
    for (k = 1; k <= n; ++k) {
      unsigned char d = (unsigned char)s[i + k];
      if ((d & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
    if (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
    i += n + 1;
  }
  return 1;
}
