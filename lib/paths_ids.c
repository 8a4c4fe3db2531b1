/* lib/paths_ids.c — the mail-store uid/gid (see paths.h).
 *
 * Its own file because getpwnam/getgrnam bring glibc's NSS machinery
 * into a static link; only programs that call paths_mailstore_ids pay
 * for it. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include "conf.h"
#include "paths.h"

int paths_mailstore_ids(uid_t *uid, gid_t *gid)
{
  struct passwd *pw;
  struct group *gr;
  if (paths_sandboxed()) {
    *uid = getuid();
    *gid = getgid();
    return 1;
  }
  errno = 0;
  pw = getpwnam(CONF_MAILSTORE_USER);
  if (!pw) { if (!errno) errno = ENOENT; return 0; }
  errno = 0;
  gr = getgrnam(CONF_MAILSTORE_GROUP);
  if (!gr) { if (!errno) errno = ENOENT; return 0; }
  *uid = pw->pw_uid;
  *gid = gr->gr_gid;
  return 1;
}
