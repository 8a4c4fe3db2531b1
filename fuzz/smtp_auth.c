/* fuzz/smtp_auth.c — the SMTP AUTH exchange (PLAIN, LOGIN, CRAM-MD5),
 * MAIL's AUTH= xtext and the own-sender rule. The first byte picks the
 * offered mechanisms; the rest is split at LF: the first line is AUTH's
 * argument, each later one the client's answer to a 334 challenge.
 * Invariants are asserted with abort(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../qmail-smtpd/smtp_auth.h"

static int resolve(void *arg, const char *d, size_t len, stralloc *real)
{
  (void)arg;
  if (len && d[0] == 't') return -1;
  if (len && d[0] == 'u') return 0;
  return stralloc_copyb(real, d + (len > 1), len - (len > 1)) ? 1 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct smtpauth a;
  stralloc x = {0};
  const char *p, *nl;
  size_t left;
  int mechs, r, lines = 0;

  if (size < 1) return 0;
  memset(&a, 0, sizeof a);
  mechs = data[0] & 7;
  p = (const char *)data + 1;
  left = size - 1;
  r = SMTPAUTH_CHALLENGE;
  while (left && r == SMTPAUTH_CHALLENGE) {
    size_t n;
    nl = memchr(p, '\n', left);
    n = nl ? (size_t)(nl - p) : left;
    if (!lines++) r = smtpauth_begin(&a, mechs, p, n, "fuzz.test");
    else r = smtpauth_next(&a, p, n);
    if (r == SMTPAUTH_NOMEM) abort();
    if (r == SMTPAUTH_CHECK) {
      if (!a.user.len || !a.secret.len) abort();
      if (memchr(a.user.s, 0, a.user.len) || memchr(a.secret.s, 0, a.secret.len)) abort();
      if (a.user.s[a.user.len] || a.secret.s[a.secret.len]) abort();
      if (!(a.mech & mechs)) abort();
      if (a.mech == SMTPAUTH_CRAM && a.secret.len != 32) abort();
      (void)smtpauth_own_sender(p, n, a.user.s, a.user.len, "d.test", resolve, 0);
    }
    if (r == SMTPAUTH_CHALLENGE && a.mech != SMTPAUTH_PLAIN && !a.prompt.len) abort();
    if (smtpauth_xtext(&x, p, n)) {
      size_t i;
      if (!x.len || x.s[x.len]) abort();
      for (i = 0; i < x.len; ++i)
        if ((unsigned char)x.s[i] < 0x21 || (unsigned char)x.s[i] > 0x7e) abort();
    }
    (void)smtpauth_own_sender(p, n, p, n, 0, resolve, 0);
    if (!nl) break;
    left -= n + 1;
    p = nl + 1;
  }
  smtpauth_clear(&a);
  smtpauth_free(&a);
  stralloc_free(&x);
  return 0;
}
