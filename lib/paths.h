/* lib/paths.h — where qvmail's trees live.
 *
 * Compile-time defaults come from conf-qmail / conf-vpopmail (build/auto/
 * conf.h). The environment variables QMAILDIR and VPOPMAILDIR override
 * them, except in a setuid/setgid program (getauxval(AT_SECURE) != 0),
 * which always uses the compiled paths.
 *
 * A "sandbox" is a tree chosen through those variables: there the
 * mail-store ids are the invoking user's own uid/gid, so a whole
 * installation works without root. Otherwise they are the conf-users
 * mail-store user and group (vpopmail/vchkpw), looked up by name. */
#ifndef QV_PATHS_H
#define QV_PATHS_H
#include <sys/types.h>
#include "stralloc.h"

/* The qmail home (QMAILDIR) and vpopmail home (VPOPMAILDIR) in effect.
 * Never NULL; the strings live for the life of the process. */
const char *paths_qmaildir(void);
const char *paths_vpopmaildir(void);

/* 1 when QMAILDIR or VPOPMAILDIR comes from the environment (and the
 * program is not setuid), else 0. */
int paths_sandboxed(void);

/* 1 when this process runs with AT_SECURE (setuid/setgid). */
int paths_secure(void);

/* out = base "/" rel, NUL-terminated (the NUL is not counted in len).
 * Returns 1, or 0 on ENOMEM. */
int paths_join(stralloc *out, const char *base, const char *rel);

/* out = QMAILDIR/rel or VPOPMAILDIR/rel, NUL-terminated. 1 or 0 (ENOMEM). */
int paths_qmail(stralloc *out, const char *rel);
int paths_vpopmail(stralloc *out, const char *rel);

/* The mail-store uid/gid: the invoking user's in a sandbox, else the
 * conf-users user and group. Returns 1, or 0 with errno ENOENT when that
 * user or group does not exist. */
int paths_mailstore_ids(uid_t *uid, gid_t *gid);

#endif
