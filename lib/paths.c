/* lib/paths.c — QMAILDIR / VPOPMAILDIR resolution (the mail-store ids
 * are in paths_ids.c, so programs that never need them, such as the
 * statically linked qmail-pop3d, do not pull in glibc's NSS).
 *
 * SECURITY: a setuid or setgid program (AT_SECURE) never reads the path
 * variables from its environment, so a caller cannot point vchkpw or
 * qmail-queue at a tree of its own making. */
#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "conf.h"
#include "paths.h"
#include "sa.h"

int paths_secure(void)
{
  return getauxval(AT_SECURE) != 0;
}

static const char *from_env(const char *name, const char *def, int *overridden)
{
  const char *v;
  if (paths_secure()) return def;
  v = getenv(name);
  if (!v || !*v) return def;
  *overridden = 1;
  return v;
}

const char *paths_qmaildir(void)
{
  int o = 0;
  return from_env("QMAILDIR", CONF_QMAILDIR, &o);
}

const char *paths_vpopmaildir(void)
{
  int o = 0;
  return from_env("VPOPMAILDIR", CONF_VPOPMAILDIR, &o);
}

int paths_sandboxed(void)
{
  int o = 0;
  from_env("QMAILDIR", CONF_QMAILDIR, &o);
  from_env("VPOPMAILDIR", CONF_VPOPMAILDIR, &o);
  return o;
}

int paths_join(stralloc *out, const char *base, const char *rel)
{
  if (!stralloc_copys(out, base)) return 0;
  if (*rel) {
    if (out->len && out->s[out->len - 1] != '/' && !stralloc_append(out, "/")) return 0;
    if (!stralloc_cats(out, rel)) return 0;
  }
  return sa_cstr(out);
}

int paths_qmail(stralloc *out, const char *rel)
{
  return paths_join(out, paths_qmaildir(), rel);
}

int paths_vpopmail(stralloc *out, const char *rel)
{
  return paths_join(out, paths_vpopmaildir(), rel);
}
