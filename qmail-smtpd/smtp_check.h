/* qmail-smtpd/smtp_check.h — envelope policy lookups.
 *
 * Lists are as lib/control.h's ctl_readlist returns them: lines each
 * followed by '\0'. Matching is ASCII case-insensitive (qmail's
 * constmap is). Pure except smtpchk_rcpthosts, which reads the cdb. */
#ifndef QV_SMTP_CHECK_H
#define QV_SMTP_CHECK_H
#include <stddef.h>
#include "stralloc.h"

/* badmailfrom / badrcptto: 1 when addr matches a line of list: the
 * exact address, "@domain" (the address's domain), or ".domain" (any
 * domain ending in ".domain", notqmail's wildcard form). The null
 * address never matches. */
int smtpchk_addrlist(const stralloc *list, const char *addr, size_t len);

/* badhelo: 1 when host equals a line, or ends with a ".domain" line. */
int smtpchk_hostlist(const stralloc *list, const char *host, size_t len);

/* qmail's rcpthosts test: 1 when addr has no '@' or its domain (or a
 * ".suffix" of it) is in list or in the cdb at mrhpath (NULL: none;
 * a missing file is no match). 0 when not allowed. -1 with errno when
 * the cdb cannot be read. */
int smtpchk_rcpthosts(const stralloc *list, const char *mrhpath, const char *addr, size_t len);

#endif
