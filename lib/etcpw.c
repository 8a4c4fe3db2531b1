/* lib/etcpw.c — getpwnam/getgrnam from /etc/passwd and /etc/group for
 * static programs (see etcpw.h for how a program links them in).
 *
 * Used by qmail-queue (started for every message: static, so the
 * dynamic loader's work is gone; its only lookup is paths_mailstore_ids
 * when started as root without its setuid bit outside a sandbox), qvtls
 * (the TLS user) and qmail-popup (qmaild:nofiles when started as root).
 *
 * SECURITY: may run before a privilege drop, as root. Reads only the two
 * system files (fgetpwent/fgetgrent parse them); the names looked up are
 * compiled-in conf-users names. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include "etcpw.h"

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
