/* lib/sa.h — small stralloc helpers libowfat lacks.
 *
 * Convention across qvmail: "NUL-terminated" means s[len] == '\0' with the
 * NUL not counted in len (libowfat's stralloc_0 counts it; sa_cstr does
 * not), so a stralloc can be passed to libc and still appended to. */
#ifndef QV_SA_H
#define QV_SA_H
#include <stddef.h>
#include "stralloc.h"

/* Makes sa->s[sa->len] == '\0' without counting it. 1, or 0 on ENOMEM. */
int sa_cstr(stralloc *sa);

/* Copies / appends (s, len) lower-cased (ASCII only). 1 or 0 (ENOMEM). */
int sa_copyb_lower(stralloc *sa, const char *s, size_t len);

/* Appends an unsigned decimal number. 1 or 0. */
int sa_catulong(stralloc *sa, unsigned long n);

/* Overwrites the allocation with zeros and frees it (for secrets). */
void sa_wipe(stralloc *sa);

#endif
