/* lib/vaddr.h — vpopmail's address parsing (parse_email) and the
 * user / domain name validators (prefix vaddr_).
 *
 * An address is lower-cased (ASCII) and split at the first '@'; when it
 * has none, at the first '%'; when it has none, at the first '/'. With no
 * separator the whole input is the user and the domain is the default
 * domain: env VPOPMAIL_DOMAIN, else the first line of
 * VPOPMAILDIR/etc/defaultdomain (lower-cased, trailing blanks and CR
 * removed), else empty. */
#ifndef QV_VADDR_H
#define QV_VADDR_H
#include <stddef.h>
#include "stralloc.h"

/* vpopmail's limits: a name may be exactly this long. */
#define VADDR_USER_MAX 32
#define VADDR_DOMAIN_MAX 96

/* Splits (in, len) into user and domain, both lower-cased and
 * NUL-terminated (sa_cstr: the NUL is not counted in len).
 * Returns VA_SUCCESS (0) or a negative VA_* code (lib/verror.h):
 *   VA_ILLEGAL_USERNAME      a byte outside the user set in the user part
 *                            or outside the domain set in the domain part
 *                            (also an invalid default domain, a NUL byte)
 *   VA_USER_NAME_TOO_LONG    user longer than VADDR_USER_MAX
 *   VA_DOMAIN_NAME_TOO_LONG  domain longer than VADDR_DOMAIN_MAX
 *   VA_MEMORY_ALLOC_ERR      ENOMEM, or the defaultdomain file exists but
 *                            cannot be read (errno set; a temporary error)
 * An empty user is not rejected here (callers decide: vadduser refuses
 * 1-character names under users-big-dir). An empty domain with no
 * default leaves domain empty and returns 0 (vadduser then prints "You
 * did not use a full email address"). */
int vaddr_parse(stralloc *user, stralloc *domain, const char *in, size_t len);

/* The default domain (see above) into out, NUL-terminated. 1 found,
 * 0 none (out empty), -1 read error or ENOMEM (errno). Not validated. */
int vaddr_default_domain(stralloc *out);

/* 1 when every byte of (s, len) is in vpopmail's set, else 0. No length
 * check, an empty string is valid.
 * user:   ! # $ & ' * + - . / 0-9 = ? A-Z ^ _ ` a-z { | } ~
 * domain: a-z A-Z 0-9 - . */
int vaddr_user_ok(const char *s, size_t len);
int vaddr_domain_ok(const char *s, size_t len);

/* vadddomain's rule for a new domain: vaddr_domain_ok, 3 <= len <=
 * VADDR_DOMAIN_MAX, and neither first nor last byte is '-'. 1 or 0. */
int vaddr_newdomain_ok(const char *s, size_t len);

#endif
