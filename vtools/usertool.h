/* vtools/usertool.h — the steps the user tools share: vpopmail's
 * parse_email with its messages, and the domain lookup. Header-only
 * (static functions) so every tool stays one main file. */
#ifndef QV_USERTOOL_H
#define QV_USERTOOL_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "assign.h"
#include "vauth.h"
#include "verror.h"
#include "vtool.h"
#include "vuser.h"

/* Splits addr; on failure prints vpopmail's messages and exits.
 * Returns *defaulted (1 when the domain came from the default). */
static inline int ut_parse(stralloc *user, stralloc *domain, const char *addr)
{
  int def = 0;
  int r = vuser_parse_address(user, domain, &def, addr);
  if (r == VA_MEMORY_ALLOC_ERR) vtool_die_temp("out of memory");
  if (r == VA_ILLEGAL_USERNAME && def != -1) {
    if (!vuser_valid_name(user->s, user->len)) fprintf(stderr, "user invalid %s\n", user->s);
    else fprintf(stderr, "domain invalid %s\n", domain->s);
  }
  if (r && def != -1) vtool_die_code(r);
  return def;
}

/* The backend must open (vpopmail: "Error - <text>. Initial open."). */
static inline void ut_open(void)
{
  if (vauth_open() < 0) {
    fflush(stdout);
    if (errno == EPROTONOSUPPORT)
      fprintf(stderr, "control/vauthbackend names a backend this build does not have "
                      "(only cdb; mysql is coming)\n");
    fprintf(stderr, "Error - %s. Initial open.\n", verror_text(VA_NO_AUTH_CONNECTION));
    exit(256 + VA_NO_AUTH_CONNECTION);
  }
}

/* 1 found, 0 not; a lookup error is temporary (exit 111). */
static inline int ut_domain(struct vdomain *d, const char *domain)
{
  int r = vuser_find_domain(d, domain);
  if (r < 0) vtool_die_temp("unable to read users/cdb");
  return r;
}

/* Frees what ut_parse and ut_domain filled: called before a normal
 * return from main, so every allocation is released. */
static inline void ut_free(stralloc *user, stralloc *domain, struct vdomain *d)
{
  stralloc_free(user);
  stralloc_free(domain);
  assign_free(d);
}

#endif
