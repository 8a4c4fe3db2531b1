/* launcher/rules.h — tcprules CDB lookup for qvtcpserver.
 *
 * The CDB is what ucspi-tcp's tcprules writes: key = address text, value =
 * NUL-terminated items, "D" for deny and "+VAR=value" per variable (an
 * allow rule has no "D"). The lookup follows tcpserver (IPv6 patch): the
 * exact IP, then every prefix of it ending at '.' or ':', longest first,
 * then the empty key. Host-name (=host) and ident (info@ip) keys are never
 * tried: qvtcpserver does no DNS and no ident lookups. */
#ifndef QV_RULES_H
#define QV_RULES_H
#include <stddef.h>
#include "stralloc.h"
#include "cdbmap.h"

#define RULES_MAXKEYS 48

/* The key lengths to try for ip (ip, iplen), in order, into lens (room
 * for RULES_MAXKEYS). Each key is the first lens[i] bytes of ip; the last
 * is 0 (the empty key). Returns how many. Pure. */
size_t rules_keys(const char *ip, size_t iplen, size_t *lens);

/* Looks ip up in m following rules_keys. 1 with the rule's value in
 * value, 0 when no key matches (connection allowed, no variables), -1
 * with errno on a read error. */
int rules_find(struct cdbmap *m, const char *ip, size_t iplen, stralloc *value);

/* Opens path and calls rules_find. missing_ok: a missing file counts as
 * "no rule" (tcpserver -X); otherwise it is -1 with errno ENOENT. */
int rules_lookup(const char *path, int missing_ok, const char *ip, size_t iplen, stralloc *value);

/* 1 when the rule value (v, len) contains a "D" item. Pure. */
int rules_denied(const char *v, size_t len);

/* Finds variable name in the rule value; 1 with *val, *vallen pointing
 * into v, 0 when the rule does not set it. Pure. */
int rules_getvar(const char *v, size_t len, const char *name, const char **val, size_t *vallen);

/* Applies every "+VAR=value" item to the environment (setenv; "+VAR"
 * without '=' unsets VAR). Items are taken in order. 1, or 0 on ENOMEM.
 * Meant for the child between fork and exec. */
int rules_setenv(const char *v, size_t len);

#endif
