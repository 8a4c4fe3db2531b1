/* lib/sasl.h — server side of the SASL mechanisms qvmail offers
 * (PLAIN, RFC 4616; LOGIN; CRAM-MD5, RFC 2195), shared by qmail-smtpd,
 * qmail-popup and the IMAP pre-auth program. Pure functions: no I/O, no
 * policy (which mechanism is allowed when is the caller's business).
 *
 * SECURITY: every input here comes from the network before
 * authentication. Decoders never read past (s, len), refuse what is
 * malformed instead of guessing, and never log. Callers must sa_wipe()
 * buffers that held a password. */
#ifndef QV_SASL_H
#define QV_SASL_H
#include <stddef.h>
#include "stralloc.h"

/* Longest base64 line a server reads for one SASL step (RFC 4954 asks
 * for at least 12288 octets). */
#define SASL_LINEMAX 12288

/* Replaces out with the base64 decoding of (s, len). Whitespace is not
 * allowed; padding is required for a length that is not a multiple of 4.
 * 1 ok; 0 with errno EINVAL (malformed) or ENOMEM. "=" alone decodes to
 * the empty string (RFC 4954's empty initial response). */
int sasl_b64_decode(stralloc *out, const char *s, size_t len);

/* Replaces out with the base64 encoding of (s, len). 1, or 0 on ENOMEM. */
int sasl_b64_encode(stralloc *out, const char *s, size_t len);

/* PLAIN: (s, len) is the decoded message "authzid\0authcid\0passwd".
 * Copies authcid to user and passwd to pass (both NUL-terminated in the
 * sa_cstr sense). The authzid is ignored, as the smtp-auth patch does.
 * 1 ok; 0 with errno EINVAL when a NUL is missing, user or password is
 * empty, or either holds a NUL; ENOMEM. */
int sasl_plain_split(const char *s, size_t len, stralloc *user,
                     stralloc *pass);

/* CRAM-MD5: replaces out with a fresh challenge "<pid.unixtime@host>"
 * (the form qmail's smtp-auth patch sends, before base64). 1, or 0. */
int sasl_cram_challenge(stralloc *out, const char *host);

/* CRAM-MD5: (s, len) is the decoded response "user hexdigest". Splits at
 * the LAST space (user names may not hold one, but be strict): user gets
 * the part before, digest the 32 lower-case hex digits after. 1 ok; 0
 * with errno EINVAL when malformed (no space, empty user, digest not 32
 * hex digits); ENOMEM. */
int sasl_cram_split(const char *s, size_t len, stralloc *user,
                    stralloc *digest);

/* The prompts of AUTH LOGIN, already base64 ("Username:", "Password:"). */
#define SASL_LOGIN_USER_PROMPT "VXNlcm5hbWU6"
#define SASL_LOGIN_PASS_PROMPT "UGFzc3dvcmQ6"

#endif
