/* qmail-smtpd/smtp_addr.h — the address of a MAIL FROM / RCPT TO.
 *
 * Parsed the way qmail-smtpd's addrparse does, so that every address
 * qmail accepted is accepted alike: the path is the text after the
 * first '<' up to the matching '>' (or, for "MAIL FROM:addr" without
 * brackets, the text after ':' up to a space); a source route
 * "@a,@b:" is dropped; backslash escapes and double quotes are
 * removed. Unlike qmail, control bytes (NUL, CR, ...) make the address
 * a syntax error: they could not be carried in qmail-queue's envelope.
 * Pure: no I/O, no globals. */
#ifndef QV_SMTP_ADDR_H
#define QV_SMTP_ADDR_H
#include <stddef.h>
#include "stralloc.h"

#define SMTPADDR_MAX 900   /* longer addresses are a syntax error (qmail) */

struct smtpaddr {
  stralloc addr;   /* the address, NUL-terminated (NUL not counted) */
  size_t rest;     /* offset in arg where ESMTP parameters begin */
  int utf8;        /* 1 when the address holds bytes >= 0x80 */
};

/* Parses the argument of MAIL or RCPT (everything after the verb).
 * 1 ok (a->addr may be empty: the null path "<>"), 0 syntax error,
 * -1 ENOMEM. a->addr is reused between calls (free with
 * smtpaddr_free). */
int smtpaddr_parse(struct smtpaddr *a, const char *arg, size_t len);
void smtpaddr_free(struct smtpaddr *a);

/* The domain part (after the last '@') as a view into addr; *len 0
 * and a pointer to the end when there is no '@'. */
const char *smtpaddr_domain(const char *addr, size_t len, size_t *dlen);

/* 1 when (s, len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). */
int smtpaddr_utf8_ok(const char *s, size_t len);

#endif
