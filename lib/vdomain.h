/* lib/vdomain.h — vpopmail's domain administration (vadddomain,
 * vdeldomain, vaddaliasdomain, vdominfo, vadddomain -e).
 *
 * Every operation returns 0 (VA_SUCCESS) or a negative VA_* code from
 * verror.h; a system error outside vpopmail's table is reported as -1
 * with errno set only where documented below. */
#ifndef QV_VDOMAIN_H
#define QV_VDOMAIN_H
#include <sys/types.h>
#include "stralloc.h"
#include "assign.h"

struct vdomain_opts {
  const char *basedir;  /* NULL: VPOPMAILDIR (the domain goes to
                           <basedir>/domains/[bucket/]<domain>) */
  uid_t uid;            /* owner; see have_ids */
  gid_t gid;
  int have_ids;         /* 0: sandbox -> invoking ids, else
                           paths_mailstore_ids() */
  int bulk;             /* vadddomain -O: no qmail-newmrh, no HUP */
};

/* Adds a real domain: validates the name (VA_INVALID_DOMAIN_NAME,
 * VA_DOMAIN_NAME_TOO_LONG), refuses an existing one
 * (VA_DOMAIN_ALREADY_EXISTS), picks the bucket from the domains
 * .dir-control record, makes the dir 0750, writes .qmail-default
 * (control/qmaildefault: "delete" default, or "bounce-no-mailbox"),
 * adds the assign line + newu, rcpthosts/morercpthosts, virtualdomains,
 * removes it from locals, chowns, tells the user-store backend, HUPs
 * qmail-send. domain is lower-cased. o may be NULL. */
int vdomain_add(const char *domain, const struct vdomain_opts *o);

/* Adds alias as an alias of real (either order accepted as in
 * vaddaliasdomain is the tool's job: here real must exist, alias must
 * not). VA_DOMAIN_DOES_NOT_EXIST, VA_DOMAIN_ALREADY_EXISTS,
 * VA_INVALID_DOMAIN_NAME. */
int vdomain_add_alias(const char *alias, const char *real, int bulk);

/* Alias domains of real (lower-case), each NUL-terminated and followed
 * by '\0' in out (out replaced). 0, or VA_CANNOT_READ_ASSIGN. */
int vdomain_aliases(stralloc *out, const char *real);

/* Deletes domain. An alias: only the alias (control files, assign). A
 * real domain with aliases and !force: returns 1 with the aliases in
 * *aliases (as vdomain_aliases), nothing deleted. Otherwise deletes the
 * aliases (listed in *aliases), the backend data, the tree, the
 * .dir-control count, control files, assign; newu; HUP.
 * VA_DOMAIN_DOES_NOT_EXIST. aliases may be NULL. */
int vdomain_del(const char *domain, int force, stralloc *aliases);

/* Rewrites <domaindir>/.qmail-default for vadddomain -e: target with
 * '@' -> "| <VPOPMAILDIR>/bin/vdelivermail '' <target>", else
 * "... '' <domaindir>/<target>"; chowned to the domain ids. */
int vdomain_set_catchall(const char *domain, const char *target);

/* The .qmail-default line for a new domain ("delete" or
 * "bounce-no-mailbox" action per control/qmaildefault) into out,
 * with '\n', not NUL-terminated. 0 or VA_MEMORY_ALLOC_ERR. */
int vdomain_default_line(stralloc *out, const char *action);

/* The user count vdominfo prints for a real domain (cur_users of its
 * .dir-control record). 0 or a VA code. */
int vdomain_user_count(const struct vdomain *d, unsigned long *count);

/* Writes <dir>/<file> = (text, len), mode 0600, owned by uid/gid when
 * running as root, through <file>.tmp<pid> + rename + directory fsync.
 * 0, or -1 with errno. */
int vdomain_write_dotqmail(const char *dir, const char *file, const char *text,
                           size_t len, uid_t uid, gid_t gid);

/* --- valias, file backend: <domaindir>/.qmail-<alias>, '.' stored as
 * ':' (qmail's convention), one delivery line per line. alias is
 * lower-cased by the caller. --- */

/* Lines of alias@d, each followed by '\0' in out (out replaced).
 * 1 found, 0 no such alias, -1 with errno. */
int vdomain_valias_lines(stralloc *out, const struct vdomain *d, const char *alias);

/* Alias names of d ('.' restored), sorted case-insensitively, each
 * followed by '\0'. .qmail-default is skipped, and symlinks whose name
 * contains "-default" or "-owner" (ezmlm lists). 0, or -1 with errno. */
int vdomain_valias_names(stralloc *out, const struct vdomain *d);

/* Appends line to alias@d's file (created 0600, domain-owned). 0 or -1. */
int vdomain_valias_insert(const struct vdomain *d, const char *alias, const char *line);

/* Removes alias@d's file. 1 removed, 0 there was none, -1 with errno. */
int vdomain_valias_delete(const struct vdomain *d, const char *alias);

#endif
