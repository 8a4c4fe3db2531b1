/* vdeliver/qq_ids.c — getpwnam/getgrnam for the static qmail-queue:
 * the mail-store user and group read straight from /etc/passwd and
 * /etc/group.
 *
 * qmail-queue is linked statically (vdeliver/build.mk): a process is
 * started for every message, and the dynamic loader's work was a fifth
 * of its CPU. glibc's getpwnam in a static program loads NSS modules at
 * run time (and the linker warns about it), so the link maps getpwnam
 * and getgrnam here with -Wl,--wrap. The only caller is
 * paths_mailstore_ids, reached when qmail-queue is started as root
 * without its setuid bit outside a sandbox; the mail-store user must
 * then be in /etc/passwd (vpopmail's user always is in practice), as
 * qmail-queue(8) says.
 *
 * SECURITY: runs before the privilege drop, possibly as root. Reads only
 * the two system files (fgetpwent/fgetgrent parse them); the names
 * looked up are the compiled CONF_MAILSTORE_USER/GROUP. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

struct passwd *__wrap_getpwnam(const char *name);
struct group *__wrap_getgrnam(const char *name);

struct passwd *__wrap_getpwnam(const char *name)
{
  FILE *f = fopen("/etc/passwd", "re");
  struct passwd *p;
  if (!f) return 0;
  errno = 0;
  while ((p = fgetpwent(f)) && strcmp(p->pw_name, name)) ;
  if (!p && errno == ENOENT) errno = 0;   /* end of file: not found */
  fclose(f);
  return p;   /* fgetpwent's static storage outlives the FILE */
}

struct group *__wrap_getgrnam(const char *name)
{
  FILE *f = fopen("/etc/group", "re");
  struct group *g;
  if (!f) return 0;
  errno = 0;
  while ((g = fgetgrent(f)) && strcmp(g->gr_name, name)) ;
  if (!g && errno == ENOENT) errno = 0;
  fclose(f);
  return g;
}
