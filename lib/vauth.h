/* lib/vauth.h — the user store behind vpopmail's domains.
 *
 * One interface, several backends behind a vtable (struct vauth_ops):
 * "cdb" (vpopmail's per-domain vpasswd + vpasswd.cdb, lib/vauth_cdb.c)
 * today; "mysql" (vpopmail's single `vpopmail` table) is a later issue
 * and plugs in through the same table. The backend is chosen by the
 * knob control/vauthbackend (first line; missing = "cdb"); any other
 * value makes vauth_open fail with errno EPROTONOSUPPORT.
 *
 * Every operation takes the domain as resolved from users/assign
 * (struct vdomain, lib/assign.h: name, real, uid, gid, dir). Return
 * conventions:
 *   lookups   1 found, 0 not found, -1 temporary error with errno (an
 *             unreadable store is never "not found");
 *   writes    0, or a VA_* code (lib/verror.h) with errno set when the
 *             cause was a system error (VA_COULD_NOT_UPDATE_FILE,
 *             VA_MEMORY_ALLOC_ERR). */
#ifndef QV_VAUTH_H
#define QV_VAUTH_H
#include "stralloc.h"
#include "vpasswd.h"

struct vdomain;

/* Called once per user by vauth_listusers, in store order (cdb: vpasswd
 * file order). Return 0 to go on, anything else stops the walk and is
 * returned by vauth_listusers. */
typedef int (*vauth_user_fn)(const struct vqpasswd *pw, void *arg);

struct vauth_ops {
  const char *name;
  int (*getpw)(struct vqpasswd *pw, const char *user, const struct vdomain *d);
  int (*adduser)(const struct vqpasswd *pw, const struct vdomain *d);
  int (*deluser)(const char *user, const struct vdomain *d);
  int (*setpw)(const struct vqpasswd *pw, const struct vdomain *d);
  int (*listusers)(const struct vdomain *d, vauth_user_fn fn, void *arg);
  int (*adddomain)(const struct vdomain *d);
  int (*deldomain)(const struct vdomain *d);
  int (*setlastauth)(const struct vqpasswd *pw, const struct vdomain *d,
                     const char *ip, unsigned long when);
  int (*getlastauth)(const struct vqpasswd *pw, const struct vdomain *d,
                     stralloc *ip, unsigned long *when);
  int (*rebuild)(const struct vdomain *d);
};

extern const struct vauth_ops vauth_cdb_ops;

/* Selects the backend from control/vauthbackend (idempotent; the other
 * functions call it). 0, or -1 with errno (EPROTONOSUPPORT for an
 * unknown backend, or the control file's read error). */
int vauth_open(void);
/* The backend in use ("cdb"), after a successful vauth_open. */
const char *vauth_backend(void);
/* Forces a backend (tests; a future vconvert). */
void vauth_use(const struct vauth_ops *ops);

/* Looks user (lower-case local part) up in domain d; pw is replaced.
 * cdb: reads ONLY <d->dir>/vpasswd.cdb; a missing or unreadable cdb is
 * -1 (errno), never a fallback to vpasswd. Used by vchkpw. */
int vauth_getpw(struct vqpasswd *pw, const char *user, const struct vdomain *d);

/* Inserts a new record (already validated; pw->name is the key).
 * 0, VA_USERNAME_EXISTS, VA_ILLEGAL_USERNAME (cdb: the name "vpasswd"),
 * VA_COULD_NOT_UPDATE_FILE, VA_MEMORY_ALLOC_ERR. cdb: locks
 * <dir>/.vpasswd.lock, inserts the line sorted by name, rewrites vpasswd
 * atomically and rebuilds vpasswd.cdb, both owned by d's uid/gid. */
int vauth_adduser(const struct vqpasswd *pw, const struct vdomain *d);
/* Removes user. 0, VA_USER_DOES_NOT_EXIST, VA_COULD_NOT_UPDATE_FILE, ... */
int vauth_deluser(const char *user, const struct vdomain *d);
/* Replaces the whole record named pw->name. 0, VA_USER_DOES_NOT_EXIST, ... */
int vauth_setpw(const struct vqpasswd *pw, const struct vdomain *d);
/* Walks every user. 0 when done, fn's non-zero value, or -1 with errno.
 * cdb: reads vpasswd itself (file order); malformed lines are skipped. */
int vauth_listusers(const struct vdomain *d, vauth_user_fn fn, void *arg);

/* Backend side of vadddomain / vdeldomain (cdb: creates an empty vpasswd
 * and vpasswd.cdb in d->dir / nothing to do, the tree is removed by the
 * caller). 0 or a VA_* code. */
int vauth_adddomain(const struct vdomain *d);
int vauth_deldomain(const struct vdomain *d);

/* Records a successful login (vpopmail's auth logging). cdb: writes ip
 * to <pw->dir>/lastauth and sets its mtime to when. 0 or -1 (errno). */
int vauth_setlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                      const char *ip, unsigned long when);
/* Reads it back: 1 (ip replaced, not NUL-terminated; *when), 0 no
 * record (ip empty, *when 0), -1 with errno. */
int vauth_getlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                      stralloc *ip, unsigned long *when);

/* vmkpasswd: rebuilds vpasswd.cdb from vpasswd under the lock. 0 or a
 * VA_* code. Admin write paths also call it when vpasswd.cdb is missing. */
int vauth_rebuild(const struct vdomain *d);

#endif
