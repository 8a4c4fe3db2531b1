/* lib/vuser.h — vpopmail's user administration (vadduser, vdeluser,
 * vpasswd, vmoduser, vsetuserquota) on top of the user store (vauth.h).
 *
 * Every operation returns 0 or a VA_* code (lib/verror.h); a system
 * error also leaves errno set. user is the local part; it is
 * lower-cased here. The domain is as resolved from users/assign
 * (struct vdomain, lib/assign.h). New files and directories belong to
 * the domain's uid/gid, directories 0750, files 0600.
 *
 * Knob: control/clearpasswords (default 0): when 1, a clear copy of
 * every password set through this module is stored (vpasswd's 8th
 * field), as vpopmail's --enable-clear-passwd builds do. */
#ifndef QV_VUSER_H
#define QV_VUSER_H
#include "stralloc.h"
#include "vpasswd.h"

struct vdomain;

/* flags of vuser_add */
#define VUSER_CRYPTED 1  /* pass is a hash, stored unchanged (-e); no clear copy */
#define VUSER_NOPASS  2  /* empty hash field (-n): the user cannot log in */

/* Adds user@d: validates the name (vpopmail's user characters, length,
 * no 1-character names, not "vpasswd"), allocates a hash bucket
 * (.dir-control), creates <bucket>/<user>/Maildir/{cur,new,tmp}, hashes
 * pass with the default scheme, stores the record (uid 1, gid 0, gecos
 * default = user, quota from the domain limits' default_quota /
 * default_maxmsgcount else NOQUOTA) and a lastauth record with IP
 * 0.0.0.0. gecos NULL = user; ':' is removed from it.
 * 0, VA_ILLEGAL_USERNAME, VA_USERNAME_EXISTS, VA_USER_NAME_TOO_LONG,
 * VA_PASSWD_TOO_LONG, VA_GECOS_TOO_LONG, VA_DIR_TOO_LONG,
 * VA_EXIST_U_DIR, VA_BAD_U_DIR, VA_SUBDIR_CREATION, VA_CRYPT_FAILED,
 * VA_COULD_NOT_UPDATE_FILE, VA_MEMORY_ALLOC_ERR. */
int vuser_add(const struct vdomain *d, const char *user, const char *pass,
              const char *gecos, int flags);

/* Deletes user@d: refuses the catch-all named in .qmail-default
 * (VA_CANNOT_DELETE_CATCHALL), removes the record, gives the bucket
 * back (.dir_control_free) and removes the home tree.
 * 0, VA_USER_DOES_NOT_EXIST, VA_CANNOT_DELETE_CATCHALL, ... */
int vuser_del(const struct vdomain *d, const char *user);

/* Sets a new password (hash with the default scheme; clear copy when
 * control/clearpasswords is 1, else the clear field is emptied).
 * 0, VA_USER_DOES_NOT_EXIST, VA_PASSWD_TOO_LONG, VA_CRYPT_FAILED, ... */
int vuser_setpass(const struct vdomain *d, const char *user, const char *pass);

/* Normalises quota (quota_normalize), stores it and rebuilds the user's
 * maildirsize (removed; recreated with current usage unless NOQUOTA).
 * 0, VA_USER_DOES_NOT_EXIST, VA_QUOTA_TOO_LONG, ... */
int vuser_setquota(const struct vdomain *d, const char *user, const char *quota);

/* vmoduser's changes, applied in one record write. NULL fields are left
 * alone. */
struct vuser_mod {
  const char *gecos;       /* -c */
  const char *hash;        /* -e: stored unchanged, clear copy untouched */
  const char *clear;       /* -C: hashed, clear copy as vuser_setpass */
  const char *dir;         /* -D: pw_dir only, nothing is moved */
  const char *quota;       /* -q: as vuser_setquota */
  int clear_flags;         /* -x: flags = 0 before set_flags */
  unsigned long set_flags; /* OR-ed into the flags */
};
int vuser_mod(const struct vdomain *d, const char *user, const struct vuser_mod *m);

/* Effective flags: pw->gid plus the domain-wide limits' disable_* bits
 * unless pw has VPW_V_OVERRIDE. *fromdomain (may be NULL) gets the bits
 * that come only from the domain. 0, or VA_CANNOT_READ_LIMITS. */
int vuser_flags(unsigned long *eff, unsigned long *fromdomain,
                const struct vqpasswd *pw, const struct vdomain *d);

/* The clear-password knob (control/clearpasswords): 1 or 0; -1 on a
 * read error. */
int vuser_clear_enabled(void);

/* --- helpers shared by the tools --- */

/* vpopmail's parse_email (vaddr_parse): lower-cases addr and splits it
 * at the first '@', else '%', else '/'. Without a domain part the domain
 * is $VPOPMAIL_DOMAIN, else the first line of VPOPMAILDIR/etc/defaultdomain
 * (*defaulted = 1). user and domain are NUL-terminated. 0, or
 * VA_ILLEGAL_USERNAME (bad user characters or no domain at all:
 * *defaulted = -1 then), VA_USER_NAME_TOO_LONG, VA_DOMAIN_NAME_TOO_LONG. */
int vuser_parse_address(stralloc *user, stralloc *domain, int *defaulted, const char *addr);

/* Looks domain up in users/cdb (assign_lookup). 1 found, 0 no such
 * domain (also when users/cdb does not exist yet), -1 with errno. */
int vuser_find_domain(struct vdomain *d, const char *domain);

/* 1 when (s, len) contains only vpopmail's user-name characters, '/'
 * excepted (a user name is a directory name). */
int vuser_valid_name(const char *s, size_t len);

/* Admin lookup: vauth_getpw, but a missing vpasswd.cdb is first rebuilt
 * from vpasswd (vpopmail's lazy rebuild; admin paths only, never vchkpw).
 * 1, 0, -1 with errno. */
int vuser_lookup(struct vqpasswd *pw, const char *user, const struct vdomain *d);

#endif
