/* lib/vauth.c — backend selection and dispatch of the user store.
 *
 * The backend is read once per process from control/vauthbackend
 * ("cdb" when missing or empty). Unknown names fail with
 * EPROTONOSUPPORT so a site that asked for MySQL never silently runs on
 * the cdb files. */
#include <errno.h>
#include "byte.h"
#include "control.h"
#include "verror.h"
#include "vauth.h"

static const struct vauth_ops *ops;

void vauth_use(const struct vauth_ops *o) { ops = o; }

const char *vauth_backend(void) { return ops ? ops->name : "none"; }

int vauth_open(void)
{
  stralloc v = {0};
  int r;
  if (ops) return 0;
  r = ctl_readline(&v, "vauthbackend", "cdb");
  if (r < 0) { stralloc_free(&v); return -1; }
  if (v.len == 0 || (v.len == 3 && byte_equal(v.s, 3, "cdb"))) {
    ops = &vauth_cdb_ops;
    stralloc_free(&v);
    return 0;
  }
  stralloc_free(&v);
  errno = EPROTONOSUPPORT;
  return -1;
}

#define OPEN_OR(fail) do { if (vauth_open() < 0) return (fail); } while (0)

int vauth_getpw(struct vqpasswd *pw, const char *user, const struct vdomain *d)
{
  OPEN_OR(-1);
  return ops->getpw(pw, user, d);
}

int vauth_adduser(const struct vqpasswd *pw, const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->adduser(pw, d);
}

int vauth_deluser(const char *user, const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->deluser(user, d);
}

int vauth_setpw(const struct vqpasswd *pw, const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->setpw(pw, d);
}

int vauth_listusers(const struct vdomain *d, vauth_user_fn fn, void *arg)
{
  OPEN_OR(-1);
  return ops->listusers(d, fn, arg);
}

int vauth_adddomain(const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->adddomain(d);
}

int vauth_deldomain(const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->deldomain(d);
}

int vauth_setlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                      const char *ip, unsigned long when)
{
  OPEN_OR(-1);
  return ops->setlastauth(pw, d, ip, when);
}

int vauth_getlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                      stralloc *ip, unsigned long *when)
{
  OPEN_OR(-1);
  return ops->getlastauth(pw, d, ip, when);
}

int vauth_rebuild(const struct vdomain *d)
{
  OPEN_OR(VA_NO_AUTH_CONNECTION);
  return ops->rebuild(d);
}
