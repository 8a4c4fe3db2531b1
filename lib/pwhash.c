/* lib/pwhash.c — password hashing and verification (see pwhash.h).
 *
 * Invariants: every comparison of a secret-derived value is done with
 * CRYPTO_memcmp over equal lengths; every buffer that held a clear
 * password or a digest of one is wiped (explicit_bzero) before it is
 * freed or goes out of scope; nothing here logs.
 *
 * SECURITY: the stored hash comes from the user store (trusted, but it
 * may be damaged or hand-edited), the password from the network. Both are
 * (ptr, len) views copied into bounded, NUL-terminated buffers before
 * libc sees them; an embedded NUL in a password never matches. A stored
 * string libcrypt does not understand (e.g. "!" or "*" lock markers)
 * is "no match", never an error that could be mistaken for success. */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "control.h"
#include "pwhash.h"
#include "sa.h"

/* Longest password we pass to libcrypt (one less than libxcrypt's
 * CRYPT_MAX_PASSPHRASE_SIZE, for the NUL). */
#define PW_MAX (CRYPT_MAX_PASSPHRASE_SIZE - 1)

static const struct {
  const char *name;
  const char *prefix;   /* crypt_gensalt prefix */
  int scheme;
} schemes[] = {
  { "sha512", "$6$", PW_SHA512 },
  { "yescrypt", "$y$", PW_YESCRYPT },
  { "bcrypt", "$2b$", PW_BCRYPT },
  { "md5", "$1$", PW_MD5 },
  { "sha256", "$5$", PW_SHA256 },
  { "des", "", PW_DES },
};
#define NSCHEMES (sizeof schemes / sizeof schemes[0])

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int eq_nocase(const char *a, size_t alen, const char *b)
{
  size_t i;
  if (alen != strlen(b)) return 0;
  for (i = 0; i < alen; ++i)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
  return 1;
}

int pw_scheme_parse(const char *name, int *scheme)
{
  size_t i;
  for (i = 0; i < NSCHEMES; ++i)
    if (eq_nocase(name, strlen(name), schemes[i].name)) {
      *scheme = schemes[i].scheme;
      return 1;
    }
  errno = EINVAL;
  return 0;
}

int pw_default_scheme(int *scheme)
{
  stralloc sa = {0};
  int r = ctl_readline(&sa, "passwordscheme", "sha512");
  if (r < 0) { stralloc_free(&sa); return -1; }
  if (!sa.len) { *scheme = PW_SHA512; stralloc_free(&sa); return 1; }
  if (!sa_cstr(&sa)) { stralloc_free(&sa); return -1; }
  r = pw_scheme_parse(sa.s, scheme);
  stralloc_free(&sa);
  return r;
}

static const char *scheme_prefix(int scheme)
{
  size_t i;
  for (i = 0; i < NSCHEMES; ++i)
    if (schemes[i].scheme == scheme) return schemes[i].prefix;
  return 0;
}

int pw_hash(stralloc *out, const char *clear, size_t len, int scheme)
{
  const char *prefix = scheme_prefix(scheme);
  char rnd[16];
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data *cd;
  char *h;
  int ok = 0;

  if (!prefix || len > PW_MAX || memchr(clear, 0, len)) { errno = EINVAL; return 0; }
  if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) return 0;
  if (!crypt_gensalt_rn(*prefix ? prefix : "", 0, rnd, sizeof rnd, setting, sizeof setting)) {
    explicit_bzero(rnd, sizeof rnd);
    if (!errno) errno = EINVAL;
    return 0;
  }
  explicit_bzero(rnd, sizeof rnd);
  cd = calloc(1, sizeof *cd);
  if (!cd) return 0;
  memcpy(cd->input, clear, len);
  cd->input[len] = '\0';
  h = crypt_rn(cd->input, setting, cd, sizeof *cd);
  if (h && h[0] != '*') {
    size_t hl = strlen(h);
    if (stralloc_copyb(out, h, hl) && sa_cstr(out)) ok = 1;
  } else if (!errno) {
    errno = EINVAL;
  }
  explicit_bzero(cd, sizeof *cd);
  free(cd);
  return ok;
}

/* crypt(given, stored) == stored, constant-time. */
static int verify_crypt(const char *stored, size_t slen, const char *given, size_t glen)
{
  struct crypt_data *cd;
  char *h;
  int r = 0;

  if (!slen || slen >= sizeof cd->setting || glen > PW_MAX) return 0;
  if (memchr(given, 0, glen) || memchr(stored, 0, slen)) return 0;
  cd = calloc(1, sizeof *cd);
  if (!cd) return -1;
  memcpy(cd->input, given, glen);
  cd->input[glen] = '\0';
  memcpy(cd->setting, stored, slen);
  cd->setting[slen] = '\0';
  errno = 0;
  h = crypt_rn(cd->input, cd->setting, cd, sizeof *cd);
  if (h) {
    if (strlen(h) == slen && h[0] != '*' && CRYPTO_memcmp(h, stored, slen) == 0) r = 1;
  } else if (errno == ENOMEM) {
    r = -1;
  }
  explicit_bzero(cd, sizeof *cd);
  free(cd);
  return r;
}

static int verify_clear(const char *stored, size_t slen, const char *given, size_t glen)
{
  /* Lengths are not secret enough to hide here; contents are. */
  if (slen != glen || !slen) return 0;
  return CRYPTO_memcmp(stored, given, slen) == 0;
}

static int unhex(int c)
{
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes canonical base64 into out: padding, when present, completes
 * the last quantum; unused low bits must be zero. 1, or 0 on malformed
 * input (so a damaged digest string never decodes to a valid one). */
static int b64_decode(stralloc *out, const char *s, size_t len)
{
  unsigned long acc = 0;
  int bits = 0;
  size_t i, full = len;
  out->len = 0;
  while (len && s[len - 1] == '=') --len;
  if (full - len > 2 || (full != len && full % 4) || len % 4 == 1) return 0;
  for (i = 0; i < len; ++i) {
    int c = (unsigned char)s[i], v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else return 0;
    acc = (acc << 6) | (unsigned long)v;
    bits += 6;
    if (bits >= 8) {
      char b;
      bits -= 8;
      b = (char)((acc >> bits) & 0xff);
      if (!stralloc_append(out, &b)) return 0;
    }
  }
  return (acc & ((1UL << bits) - 1)) == 0;
}

/* Dovecot digest forms: {SHA} {SSHA} {SHA256} {SSHA256} {SHA512}
 * {SSHA512}: base64 (or hex of exactly the digest length, unsalted) of
 * digest(given || salt) || salt. */
static int verify_digest(const EVP_MD *md, int salted, const char *enc, size_t elen,
                         const char *given, size_t glen)
{
  stralloc raw = {0};
  unsigned char dig[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  size_t mdlen = (size_t)EVP_MD_get_size(md);
  EVP_MD_CTX *ctx;
  int r = 0;

  if (!salted && elen == 2 * mdlen) {
    size_t i;
    int okhex = 1;
    for (i = 0; i < elen; ++i) if (unhex((unsigned char)enc[i]) < 0) okhex = 0;
    if (okhex) {
      if (!stralloc_ready(&raw, mdlen)) return -1;
      for (i = 0; i < mdlen; ++i)
        raw.s[i] = (char)(unhex((unsigned char)enc[2 * i]) * 16 + unhex((unsigned char)enc[2 * i + 1]));
      raw.len = mdlen;
    }
  }
  if (!raw.len && !b64_decode(&raw, enc, elen)) { stralloc_free(&raw); return 0; }
  if (raw.len < mdlen || (!salted && raw.len != mdlen) || (salted && raw.len == mdlen)) {
    sa_wipe(&raw);
    return 0;
  }
  ctx = EVP_MD_CTX_new();
  if (!ctx) { sa_wipe(&raw); return -1; }
  if (EVP_DigestInit_ex(ctx, md, 0) != 1
      || EVP_DigestUpdate(ctx, given, glen) != 1
      || EVP_DigestUpdate(ctx, raw.s + mdlen, raw.len - mdlen) != 1
      || EVP_DigestFinal_ex(ctx, dig, &dlen) != 1 || dlen != mdlen) {
    r = -1;
    errno = EIO;
  } else {
    r = CRYPTO_memcmp(dig, raw.s, mdlen) == 0;
  }
  EVP_MD_CTX_free(ctx);
  explicit_bzero(dig, sizeof dig);
  sa_wipe(&raw);
  return r;
}

int pw_verify(const char *stored, size_t slen, const char *given, size_t glen)
{
  size_t e;
  const char *body;
  size_t blen;
  const char *name;
  size_t nlen;

  if (!slen) return 0;
  if (stored[0] != '{') return verify_crypt(stored, slen, given, glen);
  for (e = 1; e < slen && stored[e] != '}'; ++e) ;
  if (e >= slen) return 0;
  name = stored + 1;
  nlen = e - 1;
  body = stored + e + 1;
  blen = slen - e - 1;
  if (!blen) return 0;
  if (eq_nocase(name, nlen, "CRYPT") || eq_nocase(name, nlen, "MD5-CRYPT")
      || eq_nocase(name, nlen, "SHA256-CRYPT") || eq_nocase(name, nlen, "SHA512-CRYPT")
      || eq_nocase(name, nlen, "BLF-CRYPT"))
    return verify_crypt(body, blen, given, glen);
  if (eq_nocase(name, nlen, "PLAIN") || eq_nocase(name, nlen, "CLEAR")
      || eq_nocase(name, nlen, "CLEARTEXT"))
    return verify_clear(body, blen, given, glen);
  if (eq_nocase(name, nlen, "SHA")) return verify_digest(EVP_sha1(), 0, body, blen, given, glen);
  if (eq_nocase(name, nlen, "SSHA")) return verify_digest(EVP_sha1(), 1, body, blen, given, glen);
  if (eq_nocase(name, nlen, "SHA256")) return verify_digest(EVP_sha256(), 0, body, blen, given, glen);
  if (eq_nocase(name, nlen, "SSHA256")) return verify_digest(EVP_sha256(), 1, body, blen, given, glen);
  if (eq_nocase(name, nlen, "SHA512")) return verify_digest(EVP_sha512(), 0, body, blen, given, glen);
  if (eq_nocase(name, nlen, "SSHA512")) return verify_digest(EVP_sha512(), 1, body, blen, given, glen);
  return 0;
}

/* Compares a 16-byte digest with 32 hex digits, case-insensitively and
 * in constant time. */
static int hex_matches(const unsigned char *dig, const char *hex, size_t hlen)
{
  static const char digits[] = "0123456789abcdef";
  char want[32], got[32];
  size_t i;
  int r;
  if (hlen != 32) return 0;
  for (i = 0; i < 16; ++i) {
    want[2 * i] = digits[dig[i] >> 4];
    want[2 * i + 1] = digits[dig[i] & 15];
  }
  for (i = 0; i < 32; ++i) got[i] = (char)lower((unsigned char)hex[i]);
  r = CRYPTO_memcmp(want, got, 32) == 0;
  explicit_bzero(want, sizeof want);
  explicit_bzero(got, sizeof got);
  return r;
}

int pw_verify_apop(const char *clear, size_t clen, const char *timestamp, size_t tlen,
                   const char *digest_hex, size_t dlen)
{
  unsigned char dig[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_MD_CTX *ctx;
  int r;

  if (!clen) return 0;
  ctx = EVP_MD_CTX_new();
  if (!ctx) return -1;
  if (EVP_DigestInit_ex(ctx, EVP_md5(), 0) != 1
      || EVP_DigestUpdate(ctx, timestamp, tlen) != 1
      || EVP_DigestUpdate(ctx, clear, clen) != 1
      || EVP_DigestFinal_ex(ctx, dig, &n) != 1 || n != 16)
    r = -1;
  else
    r = hex_matches(dig, digest_hex, dlen);
  EVP_MD_CTX_free(ctx);
  explicit_bzero(dig, sizeof dig);
  return r;
}

int pw_verify_cram(const char *clear, size_t clen, const char *challenge, size_t chlen,
                   const char *digest_hex, size_t dlen)
{
  unsigned char dig[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  int r;

  if (!clen) return 0;
  if (!HMAC(EVP_md5(), clear, (int)clen, (const unsigned char *)challenge, chlen, dig, &n)
      || n != 16)
    r = -1;
  else
    r = hex_matches(dig, digest_hex, dlen);
  explicit_bzero(dig, sizeof dig);
  return r;
}

int pw_needs_rehash(const char *stored, size_t slen, int scheme)
{
  const char *prefix = scheme_prefix(scheme);
  size_t pl;
  if (!prefix || !slen) return 1;
  if (scheme == PW_DES) return !(slen == 13 && stored[0] != '$' && stored[0] != '{');
  if (scheme == PW_BCRYPT && slen > 4 && !memcmp(stored, "$2y$", 4)) return 0;
  pl = strlen(prefix);
  return !(slen > pl && !memcmp(stored, prefix, pl));
}
