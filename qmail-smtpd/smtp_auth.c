/* qmail-smtpd/smtp_auth.c — SMTP AUTH parsers (see smtp_auth.h).
 *
 * Invariants: an exchange ends (CHECK, CANCELED, MALFORMED, UNKNOWN)
 * with step 0; user and secret are only meaningful after CHECK; every
 * string that held a password is wiped by smtpauth_clear, which the
 * session calls after each exchange whatever its result.
 *
 * SECURITY: every byte here comes from the network before
 * authentication. Base64 is decoded by lib/sasl.c with explicit
 * lengths; decoded user names and passwords holding a NUL are refused
 * (they could not be passed on fd 3 unambiguously); nothing is logged
 * here, so no secret can reach a log. */
#include <errno.h>
#include <string.h>
#include "byte.h"
#include "case.h"
#include "str.h"
#include "sa.h"
#include "sasl.h"
#include "smtp_auth.h"

enum { STEP_DONE = 0, STEP_LOGIN_USER, STEP_LOGIN_PASS, STEP_PLAIN, STEP_CRAM };

static int is_word(const char *s, size_t len, const char *w)
{
  size_t n = str_len(w);
  return len == n && !case_diffb(s, n, w);
}

void smtpauth_policy(struct smtpauth_policy *p, const char *v, int havecheck)
{
  p->mechs = SMTPAUTH_LOGIN | SMTPAUTH_PLAIN;
  p->required = 0;
  p->cram = 0;
  if (!v || !havecheck) { p->mechs = 0; return; }
  if (*v == '!') { p->required = 1; ++v; }
  if (!p->required && (!str_diff(v, "-") || !str_diff(v, "0"))) { p->mechs = 0; return; }
  if (is_word(v, str_len(v), "+cram")) {
    p->mechs |= SMTPAUTH_CRAM;
    p->cram = 1;
  } else if (is_word(v, str_len(v), "cram")) {
    p->mechs = SMTPAUTH_CRAM;
    p->cram = 1;
  }
}

const char *smtpauth_mechname(int mech)
{
  switch (mech) {
    case SMTPAUTH_LOGIN: return "LOGIN";
    case SMTPAUTH_PLAIN: return "PLAIN";
    case SMTPAUTH_CRAM: return "CRAM-MD5";
  }
  return "-";
}

int smtpauth_mechlist(stralloc *out, int mechs)
{
  static const int order[] = { SMTPAUTH_LOGIN, SMTPAUTH_PLAIN, SMTPAUTH_CRAM };
  size_t i;
  int first = 1;
  for (i = 0; i < sizeof order / sizeof order[0]; ++i) {
    if (!(mechs & order[i])) continue;
    if (!first && !stralloc_cats(out, " ")) return 0;
    if (!stralloc_cats(out, smtpauth_mechname(order[i]))) return 0;
    first = 0;
  }
  return 1;
}

static int end(struct smtpauth *a, int r)
{
  a->step = STEP_DONE;
  return r;
}

/* tmp = base64 decoding of (s, len); the "*" line cancels. Returns -2
 * when decoded, else the result to end the exchange with. */
static int decode(struct smtpauth *a, const char *s, size_t len)
{
  if (len == 1 && s[0] == '*') return end(a, SMTPAUTH_CANCELED);
  if (!sasl_b64_decode(&a->tmp, s, len))
    return end(a, errno == ENOMEM ? SMTPAUTH_NOMEM : SMTPAUTH_MALFORMED);
  return -2;
}

/* Copies tmp to dst as a non-empty, NUL-free, NUL-terminated string. */
static int take(struct smtpauth *a, stralloc *dst)
{
  if (!a->tmp.len || byte_chr(a->tmp.s, a->tmp.len, 0) != a->tmp.len)
    return end(a, SMTPAUTH_MALFORMED);
  if (!stralloc_copy(dst, &a->tmp) || !sa_cstr(dst)) return end(a, SMTPAUTH_NOMEM);
  return -2;
}

static int prompt(struct smtpauth *a, int step, const char *b64)
{
  a->step = step;
  if (!stralloc_copys(&a->prompt, b64)) return end(a, SMTPAUTH_NOMEM);
  return SMTPAUTH_CHALLENGE;
}

static int plain(struct smtpauth *a)
{
  if (!sasl_plain_split(a->tmp.s, a->tmp.len, &a->user, &a->secret))
    return end(a, errno == ENOMEM ? SMTPAUTH_NOMEM : SMTPAUTH_MALFORMED);
  return end(a, SMTPAUTH_CHECK);
}

static int cram(struct smtpauth *a)
{
  if (!sasl_cram_split(a->tmp.s, a->tmp.len, &a->user, &a->secret))
    return end(a, errno == ENOMEM ? SMTPAUTH_NOMEM : SMTPAUTH_MALFORMED);
  return end(a, SMTPAUTH_CHECK);
}

int smtpauth_begin(struct smtpauth *a, int mechs, const char *arg, size_t len,
                   const char *host)
{
  size_t sp = byte_chr(arg, len, ' ');
  const char *ir = 0;
  size_t irlen = 0;
  int r;

  smtpauth_clear(a);
  a->mech = 0;
  if (sp < len) {
    ir = arg + sp + 1;
    irlen = len - sp - 1;
    while (irlen && *ir == ' ') { ++ir; --irlen; }
    while (irlen && ir[irlen - 1] == ' ') --irlen;
    if (!irlen) ir = 0;
  }
  if (is_word(arg, sp, "login")) a->mech = SMTPAUTH_LOGIN;
  else if (is_word(arg, sp, "plain")) a->mech = SMTPAUTH_PLAIN;
  else if (is_word(arg, sp, "cram-md5")) a->mech = SMTPAUTH_CRAM;
  if (!(a->mech & mechs)) return end(a, SMTPAUTH_UNKNOWN);
  if (ir && byte_chr(ir, irlen, ' ') != irlen) return end(a, SMTPAUTH_MALFORMED);

  switch (a->mech) {
    case SMTPAUTH_LOGIN:
      if (!ir) return prompt(a, STEP_LOGIN_USER, SASL_LOGIN_USER_PROMPT);
      if ((r = decode(a, ir, irlen)) != -2) return r;
      if ((r = take(a, &a->user)) != -2) return r;
      return prompt(a, STEP_LOGIN_PASS, SASL_LOGIN_PASS_PROMPT);
    case SMTPAUTH_PLAIN:
      if (!ir) return prompt(a, STEP_PLAIN, "");
      if ((r = decode(a, ir, irlen)) != -2) return r;
      return plain(a);
    default: /* CRAM-MD5 takes no initial response */
      if (ir) return end(a, SMTPAUTH_MALFORMED);
      if (!sasl_cram_challenge(&a->extra, host)
          || !sasl_b64_encode(&a->prompt, a->extra.s, a->extra.len))
        return end(a, SMTPAUTH_NOMEM);
      a->step = STEP_CRAM;
      return SMTPAUTH_CHALLENGE;
  }
}

int smtpauth_next(struct smtpauth *a, const char *line, size_t len)
{
  int r;
  if (a->step == STEP_DONE) return end(a, SMTPAUTH_MALFORMED);
  if ((r = decode(a, line, len)) != -2) return r;
  switch (a->step) {
    case STEP_LOGIN_USER:
      if ((r = take(a, &a->user)) != -2) return r;
      return prompt(a, STEP_LOGIN_PASS, SASL_LOGIN_PASS_PROMPT);
    case STEP_LOGIN_PASS:
      if ((r = take(a, &a->secret)) != -2) return r;
      return end(a, SMTPAUTH_CHECK);
    case STEP_PLAIN:
      return plain(a);
    default:
      return cram(a);
  }
}

void smtpauth_clear(struct smtpauth *a)
{
  /* zero-filled, not freed: the next exchange reuses the buffers */
  if (a->secret.s) byte_zero(a->secret.s, a->secret.a);
  if (a->tmp.s) byte_zero(a->tmp.s, a->tmp.a);
  a->secret.len = 0;
  a->tmp.len = 0;
  a->user.len = 0;
  a->extra.len = 0;
  a->prompt.len = 0;
  a->step = STEP_DONE;
}

void smtpauth_free(struct smtpauth *a)
{
  sa_wipe(&a->secret);
  sa_wipe(&a->tmp);
  sa_wipe(&a->user);
  stralloc_free(&a->extra);
  stralloc_free(&a->prompt);
  a->step = STEP_DONE;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;   /* RFC 3461 xtext: upper-case hex only */
}

int smtpauth_xtext(stralloc *out, const char *s, size_t len)
{
  size_t i;
  out->len = 0;
  if (!len) { errno = EINVAL; return 0; }
  for (i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c == '+') {
      int h, l;
      if (i + 2 >= len) { errno = EINVAL; return 0; }
      h = hexval(s[i + 1]);
      l = hexval(s[i + 2]);
      if (h < 0 || l < 0) { errno = EINVAL; return 0; }
      c = (unsigned char)(h * 16 + l);
      i += 2;
    } else if (c == '=') {
      errno = EINVAL;   /* '=' must be written +3D */
      return 0;
    }
    if (c < 0x21 || c > 0x7e) { errno = EINVAL; return 0; }
    if (!stralloc_append(out, (const char *)&c)) return 0;
  }
  return sa_cstr(out);
}

/* Splits an address at its last '@', or a login as vpopmail does (the
 * first '@', else the first '%'; a login with neither is in defdom).
 * Lower-cases into local and domain. */
static int split(const char *s, size_t len, int login, stralloc *local,
                 stralloc *domain, const char *defdom)
{
  size_t at = login ? byte_chr(s, len, '@') : byte_rchr(s, len, '@');
  if (login && at == len) at = byte_chr(s, len, '%');
  if (!sa_copyb_lower(local, s, at)) return 0;
  if (at < len) return sa_copyb_lower(domain, s + at + 1, len - at - 1);
  if (!login) { domain->len = 0; return 1; }
  return sa_copyb_lower(domain, defdom ? defdom : "", defdom ? str_len(defdom) : 0);
}

int smtpauth_own_sender(const char *sender, size_t slen, const char *user,
                        size_t ulen, const char *defaultdomain,
                        smtpauth_resolve_fn resolve, void *arg)
{
  stralloc sl = {0}, sd = {0}, ul = {0}, ud = {0}, sr = {0}, ur = {0};
  int r = 0, k;

  if (!slen) return 0;
  if (!split(sender, slen, 0, &sl, &sd, 0) || !split(user, ulen, 1, &ul, &ud, defaultdomain)) {
    r = -1;
    goto out;
  }
  if (!sd.len || !ud.len || sl.len != ul.len || byte_diff(sl.s, sl.len, ul.s)) goto out;
  if (sd.len == ud.len && !byte_diff(sd.s, sd.len, ud.s)) { r = 1; goto out; }
  if (!resolve) goto out;
  k = resolve(arg, sd.s, sd.len, &sr);
  if (k <= 0) { r = k; goto out; }
  k = resolve(arg, ud.s, ud.len, &ur);
  if (k <= 0) { r = k; goto out; }
  r = sr.len == ur.len && !byte_diff(sr.s, sr.len, ur.s);
out:
  stralloc_free(&sl); stralloc_free(&sd); stralloc_free(&ul);
  stralloc_free(&ud); stralloc_free(&sr); stralloc_free(&ur);
  return r;
}
