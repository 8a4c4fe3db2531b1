/* lib/pwhash.h — password hashing and verification (prefix pw_).
 *
 * Hashing goes through libxcrypt (crypt_gensalt_rn + crypt_rn) with a
 * random salt from getrandom(2). Verification accepts every form a
 * vpopmail store or a Dovecot passdb may hold: the crypt(3) forms DES,
 * $1$, $5$, $6$, $2a$/$2b$/$2y$, $y$, and the Dovecot prefixes {CRYPT}
 * {MD5-CRYPT} {SHA256-CRYPT} {SHA512-CRYPT} {BLF-CRYPT} {SSHA512}
 * {SHA512} {SSHA256} {SHA256} {SSHA} {SHA} {PLAIN} {CLEAR} {CLEARTEXT}
 * (digest forms base64, as Dovecot writes them). Comparisons are
 * constant-time. Clear-text inputs are (ptr, len); a password with an
 * embedded NUL never matches a crypt hash. */
#ifndef QV_PWHASH_H
#define QV_PWHASH_H
#include <stddef.h>
#include "stralloc.h"

#define PW_SHA512   1   /* $6$  (default) */
#define PW_YESCRYPT 2   /* $y$  */
#define PW_BCRYPT   3   /* $2b$ */
#define PW_MD5      4   /* $1$  (vpopmail 5.4's default) */
#define PW_SHA256   5   /* $5$  */
#define PW_DES      6   /* traditional 2-character salt DES */

/* out = crypt(clear, fresh random salt of scheme), NUL-terminated (NUL not
 * counted). Returns 1, or 0 with errno (EINVAL unknown scheme or a clear
 * text containing NUL, ENOMEM, or libcrypt's error). */
int pw_hash(stralloc *out, const char *clear, size_t len, int scheme);

/* Parses a knob value: "sha512" "yescrypt" "bcrypt" "md5" "sha256" "des"
 * (case-insensitive). 1 and *scheme set, or 0 (unknown name, EINVAL). */
int pw_scheme_parse(const char *name, int *scheme);

/* The scheme of the knob QMAILDIR/control/passwordscheme (default sha512).
 * 1 and *scheme set; 0 with errno EINVAL when the knob names no scheme;
 * -1 with errno when the file exists but cannot be read. */
int pw_default_scheme(int *scheme);

/* Checks the password (given, glen) against a stored hash (stored, slen).
 * Returns 1 match, 0 no match (also for an empty stored hash and for an
 * unrecognised {PREFIX}), -1 error with errno (ENOMEM, a digest library
 * failure). Never logs. */
int pw_verify(const char *stored, size_t slen, const char *given, size_t glen);

/* APOP (RFC 1939): 1 when digest_hex is the hex MD5 of timestamp
 * followed by clear (compared case-insensitively, 32 digits), 0 when it
 * is not, -1 on a digest library error. */
int pw_verify_apop(const char *clear, size_t clen, const char *timestamp, size_t tlen,
                   const char *digest_hex, size_t dlen);

/* CRAM-MD5 (RFC 2195): 1 when digest_hex is the hex HMAC-MD5 keyed with
 * clear over challenge, 0 when not, -1 on a library error. */
int pw_verify_cram(const char *clear, size_t clen, const char *challenge, size_t chlen,
                   const char *digest_hex, size_t dlen);

/* 1 when the stored hash is not of scheme (so a successful login should
 * re-hash it with pw_hash), 0 when it already is. Clear and Dovecot
 * digest forms always need a re-hash; the cost parameters inside a
 * matching crypt form are not compared. */
int pw_needs_rehash(const char *stored, size_t slen, int scheme);

#endif
