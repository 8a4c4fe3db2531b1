/* lib/privdrop.c — becoming the mail-store id for good (see privdrop.h).
 *
 * SECURITY: runs with privilege in setuid programs. Every id is set with
 * setre*id(x, x), which also sets the saved id, and the result is checked;
 * the caller's environment is discarded before any library reads it. */
#include <grp.h>
#include <stdlib.h>
#include <unistd.h>
#include "paths.h"
#include "privdrop.h"

enum privdrop_result privdrop_mailstore(void)
{
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (uid == 0 && paths_sandboxed()) return PRIVDROP_OK; /* a sandbox belongs to its user */
  if (uid == 0) {
    if (!paths_mailstore_ids(&uid, &gid)) return PRIVDROP_NOUSER;
    if (setgroups(0, 0) == -1) return PRIVDROP_SETGROUPS;
  }
  if (setregid(gid, gid) == -1 || setreuid(uid, uid) == -1) return PRIVDROP_SETIDS;
  if (geteuid() == 0 || getuid() == 0) return PRIVDROP_ROOT;
  if (paths_secure()) {
    clearenv();
    if (setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1) == -1) return PRIVDROP_NOMEM;
  }
  return PRIVDROP_OK;
}
