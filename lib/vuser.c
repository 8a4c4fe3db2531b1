/* lib/vuser.c — vpopmail's user administration (see vuser.h).
 *
 * Invariants: a user exists iff its vpasswd record exists; the home
 * directory is created before the record and removed after it, so a
 * failed add leaves no record and a failed delete leaves the mailbox.
 * Hash buckets come from lib/dirhash.c (vpopmail's .dir-control
 * odometer, byte-compatible), so trees written by vpopmail and by qvmail
 * interleave; freed buckets go to .dir_control_free (5.6). Quota
 * strings and maildirsize are lib/quota.c's, limits lib/vlimits.c's.
 * Passwords are hashed with lib/pwhash.c and wiped after use; the clear
 * copy is stored only when control/clearpasswords is on.
 *
 * SECURITY: runs as root or the mail-store id on behalf of an
 * administrator. User names are checked against vpopmail's character
 * set (no '/', no leading '.'), so a home path can never leave the
 * domain directory. The tree removal uses openat/unlinkat with
 * O_NOFOLLOW and never follows symlinks out of the user's home. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "byte.h"
#include "scan.h"
#include "str.h"
#include "assign.h"
#include "atomicfile.h"
#include "control.h"
#include "maildir.h"
#include "paths.h"
#include "pwhash.h"
#include "sa.h"
#include "quota.h"
#include "dirhash.h"
#include "vaddr.h"
#include "vlimits.h"
#include "vauth.h"
#include "verror.h"
#include "vuser.h"

/* ---------------- names and addresses ---------------- */

int vuser_valid_name(const char *s, size_t len)
{
  /* vpopmail's set minus '/': a name is a path component here */
  return vaddr_user_ok(s, len) && byte_chr(s, len, '/') == len;
}

int vuser_parse_address(stralloc *user, stralloc *domain, int *defaulted, const char *addr)
{
  size_t len = str_len(addr);
  int r = vaddr_parse(user, domain, addr, len);
  *defaulted = byte_chr(addr, len, '@') == len && byte_chr(addr, len, '%') == len
               && byte_chr(addr, len, '/') == len;
  if (r) return r;
  if (domain->len == 0) { *defaulted = -1; return VA_ILLEGAL_USERNAME; }
  return 0;
}

int vuser_find_domain(struct vdomain *d, const char *domain)
{
  int r = assign_lookup(d, domain, str_len(domain));
  if (r < 0 && errno == ENOENT) return 0;
  return r;
}

/* ---------------- knobs, ids, paths ---------------- */

int vuser_clear_enabled(void)
{
  int v = 0;
  if (ctl_readflag(&v, "clearpasswords", 0) < 0) return -1;
  return v;
}

static int uid_ok(const struct vdomain *d)
{
  uid_t e = geteuid();
  return e == 0 || (unsigned long)e == d->uid;
}

static void own(const char *path, const struct vdomain *d)
{
  if (geteuid() == 0 && chown(path, (uid_t)d->uid, (gid_t)d->gid) < 0) { /* best effort */ }
}

static int dpath(stralloc *out, const struct vdomain *d, const char *rel)
{
  return stralloc_copyb(out, d->dir.s, d->dir.len) && stralloc_append(out, "/")
         && stralloc_cats(out, rel) && sa_cstr(out);
}

int vuser_lookup(struct vqpasswd *pw, const char *user, const struct vdomain *d)
{
  int r = vauth_getpw(pw, user, d);
  if (r < 0 && errno == ENOENT && !str_diff(vauth_backend(), "cdb")) {
    if (vauth_rebuild(d) != 0) { if (!errno) errno = EIO; return -1; }
    r = vauth_getpw(pw, user, d);
  }
  return r;
}

/* ---------------- tree removal ---------------- */

static int rm_at(int at, const char *name)
{
  int fd, saved, ret = 0;
  DIR *dir;
  struct dirent *de;
  if (unlinkat(at, name, 0) == 0) return 0;
  if (errno == ENOENT) return 0;
  if (errno != EISDIR && errno != EPERM) return -1;
  fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  dir = fdopendir(fd);
  if (!dir) { saved = errno; close(fd); errno = saved; return -1; }
  while ((de = readdir(dir))) {
    if (!str_diff(de->d_name, ".") || !str_diff(de->d_name, "..")) continue;
    if (rm_at(dirfd(dir), de->d_name) < 0) ret = -1;
  }
  closedir(dir);
  if (unlinkat(at, name, AT_REMOVEDIR) < 0) ret = -1;
  return ret;
}

static int rmtree(const char *path)
{
  return rm_at(AT_FDCWD, path);
}

/* ---------------- domain limits ---------------- */

int vuser_flags(unsigned long *eff, unsigned long *fromdomain,
                const struct vqpasswd *pw, const struct vdomain *d)
{
  struct vlimits l;
  unsigned long mask;
  *eff = pw->gid;
  if (fromdomain) *fromdomain = 0;
  if (pw->gid & VPW_V_OVERRIDE) return 0;
  if (limits_read(d->dir.s, &l) < 0) return VA_CANNOT_READ_LIMITS;
  mask = limits_flag_mask(&l);
  *eff = pw->gid | mask;
  if (fromdomain) *fromdomain = mask & ~pw->gid;
  return 0;
}


/* ---------------- catch-all ---------------- */

/* 1 when .qmail-default delivers the catch-all to user (by path or by
 * user@domain), else 0. */
static int is_catchall(const struct vdomain *d, const struct vqpasswd *pw)
{
  stralloc p = {0}, t = {0}, want = {0};
  size_t pos = 0;
  int hit = 0;
  if (!dpath(&p, d, ".qmail-default")) return 0;
  if (af_readfile(&t, p.s) <= 0) { stralloc_free(&p); return 0; }
  stralloc_copyb(&want, pw->name.s, pw->name.len);
  stralloc_append(&want, "@");
  stralloc_catb(&want, d->real.s, d->real.len);
  while (pos < t.len) {
    size_t e = pos + byte_chr(t.s + pos, t.len - pos, '\n'), k = e;
    while (k > pos && (t.s[k - 1] == ' ' || t.s[k - 1] == '\t' || t.s[k - 1] == '\r')) --k;
    e = k;
    while (k > pos && t.s[k - 1] != ' ' && t.s[k - 1] != '\t') --k;
    if (e > k && byte_chr(t.s + pos, e - pos, 'v') < e - pos) {
      const char *tok = t.s + k;
      size_t tl = e - k;
      while (tl > 1 && tok[tl - 1] == '/') --tl;
      if (tl == want.len && !byte_diff(tok, tl, want.s)) hit = 1;
      if (tl == pw->dir.len && !byte_diff(tok, tl, pw->dir.s)) hit = 1;
      if (tl > d->dir.len + 1 && !byte_diff(tok, d->dir.len, d->dir.s) && tok[d->dir.len] == '/'
          && tl >= pw->name.len + 1 && tok[tl - pw->name.len - 1] == '/'
          && !byte_diff(tok + tl - pw->name.len, pw->name.len, pw->name.s)) hit = 1;
    }
    pos = t.len > e ? byte_chr(t.s + e, t.len - e, '\n') + e + 1 : t.len;
  }
  stralloc_free(&p); stralloc_free(&t); stralloc_free(&want);
  return hit;
}

/* ---------------- operations ---------------- */

/* maildirsize after a quota change (best effort, as vpopmail). */
static void set_mds(const char *home, const stralloc *quota, const struct vdomain *d)
{
  stralloc md = {0}, q = {0};
  if (stralloc_copys(&md, home) && stralloc_cats(&md, "/Maildir") && sa_cstr(&md)
      && stralloc_copy(&q, quota) && sa_cstr(&q))
    quota_mds_set(md.s, q.s, geteuid() == 0 ? (uid_t)d->uid : (uid_t)-1,
                  geteuid() == 0 ? (gid_t)d->gid : (gid_t)-1);
  stralloc_free(&md); stralloc_free(&q);
}

/* A deleted user's bucket back to .dir-control / .dir_control_free. */
static void release(const struct vdomain *d, const char *bucket, size_t len)
{
  stralloc ctl = {0}, freef = {0};
  if (dpath(&ctl, d, ".dir-control") && dpath(&freef, d, ".dir_control_free"))
    dirhash_release(ctl.s, freef.s, bucket, len);
  stralloc_free(&ctl); stralloc_free(&freef);
}

static int lower_user(stralloc *u, const char *user)
{
  return sa_copyb_lower(u, user, str_len(user));
}

/* Hashes clear into pw (and the clear copy per the knob). 0 or VA code. */
static int set_password(struct vqpasswd *pw, const char *clear)
{
  int scheme, ce;
  size_t len = str_len(clear);
  if (len > VPW_MAX_CLEAR) return VA_PASSWD_TOO_LONG;
  if (pw_default_scheme(&scheme) != 1) return VA_CRYPT_FAILED;
  if (!pw_hash(&pw->passwd, clear, len, scheme)) return VA_CRYPT_FAILED;
  ce = vuser_clear_enabled();
  if (ce < 0) return VA_COULD_NOT_UPDATE_FILE;
  if (ce) {
    pw->has_clear = 1;
    if (!stralloc_copyb(&pw->clear, clear, len)) return VA_MEMORY_ALLOC_ERR;
  } else if (pw->has_clear) {
    pw->clear.len = 0;   /* keep the 8th field's presence, drop a stale copy */
  }
  return 0;
}

static int set_gecos(struct vqpasswd *pw, const char *g)
{
  size_t i, n = str_len(g);
  pw->gecos.len = 0;
  for (i = 0; i < n; ++i)
    if (g[i] != ':' && g[i] != '\n' && g[i] != '\r')
      if (!stralloc_append(&pw->gecos, &g[i])) return 0;
  return 1;
}

int vuser_add(const struct vdomain *d, const char *user, const char *pass,
              const char *gecos, int flags)
{
  struct vqpasswd pw, old;
  struct vlimits lim;
  stralloc ctl = {0}, freef = {0};
  stralloc u = {0}, bucket = {0}, home = {0}, md = {0};
  int r, ret = 0, made_home = 0, have_bucket = 0;

  vpw_init(&pw); vpw_init(&old);
  if (!lower_user(&u, user)) return VA_MEMORY_ALLOC_ERR;
  if (u.len < 2 || !vuser_valid_name(u.s, u.len) || u.s[0] == '.'
      || (u.len == 7 && byte_equal(u.s, 7, "vpasswd"))) { ret = VA_ILLEGAL_USERNAME; goto done; }
  if (u.len > VPW_MAX_NAME) { ret = VA_USER_NAME_TOO_LONG; goto done; }
  if (!uid_ok(d)) { ret = VA_BAD_UID; goto done; }
  r = vuser_lookup(&old, u.s, d);
  if (r == 1) { ret = VA_USERNAME_EXISTS; goto done; }
  if (r < 0) { ret = VA_COULD_NOT_UPDATE_FILE; goto done; }

  if (!stralloc_copy(&pw.name, &u)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  pw.uid = 1; pw.gid = 0;
  if (!set_gecos(&pw, gecos ? gecos : u.s)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (flags & VUSER_NOPASS) {
    pw.passwd.len = 0;
  } else if (flags & VUSER_CRYPTED) {
    if (!stralloc_copys(&pw.passwd, pass ? pass : "")) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  } else if ((ret = set_password(&pw, pass ? pass : "")) != 0) {
    goto done;
  }
  if (flags & (VUSER_NOPASS | VUSER_CRYPTED)) {
    r = vuser_clear_enabled();
    if (r < 0) { ret = VA_COULD_NOT_UPDATE_FILE; goto done; }
    pw.has_clear = r;      /* -e / -n: the clear copy is set empty */
    pw.clear.len = 0;
  }
  if (pw.passwd.len > VPW_MAX_PASSWD) { ret = VA_PASSWD_TOO_LONG; goto done; }

  /* quota from the domain limits (vpopmail applies it right after the add) */
  if (limits_read(d->dir.s, &lim) < 0) { ret = VA_CANNOT_READ_LIMITS; goto done; }
  {
    char qb[64];
    if (lim.defaultquota && lim.defaultmaxmsgcount)
      snprintf(qb, sizeof qb, "%lluS,%luC", lim.defaultquota, lim.defaultmaxmsgcount);
    else if (lim.defaultquota)
      snprintf(qb, sizeof qb, "%lluS", lim.defaultquota);
    else if (lim.defaultmaxmsgcount)
      snprintf(qb, sizeof qb, "%luC", lim.defaultmaxmsgcount);
    else
      snprintf(qb, sizeof qb, "NOQUOTA");
    if (!stralloc_copys(&pw.quota, qb)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  }

  /* bucket and home */
  if (!dpath(&ctl, d, ".dir-control") || !dpath(&freef, d, ".dir_control_free")) {
    ret = VA_MEMORY_ALLOC_ERR; goto done;
  }
  /* the bucket directory is created by dirhash_alloc (0750, owner) */
  if (dirhash_alloc(d->dir.s, ctl.s, freef.s, geteuid() == 0 ? (uid_t)d->uid : (uid_t)-1,
                    geteuid() == 0 ? (gid_t)d->gid : (gid_t)-1, &bucket) < 0) {
    ret = VA_COULD_NOT_UPDATE_FILE; goto done;
  }
  have_bucket = 1;
  if (!stralloc_copyb(&home, d->dir.s, d->dir.len) || !stralloc_append(&home, "/")) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (bucket.len && (!stralloc_catb(&home, bucket.s, bucket.len) || !stralloc_append(&home, "/"))) {
    ret = VA_MEMORY_ALLOC_ERR; goto done;
  }
  if (!stralloc_cat(&home, &u) || !sa_cstr(&home)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (home.len > VPW_MAX_DIR) { ret = VA_DIR_TOO_LONG; goto done; }
  if (mkdir(home.s, 0750) < 0) {
    ret = errno == EEXIST ? VA_EXIST_U_DIR : VA_BAD_U_DIR;
    goto done;
  }
  made_home = 1;
  chmod(home.s, 0750);
  own(home.s, d);
  if (!stralloc_copy(&md, &home) || !stralloc_cats(&md, "/Maildir") || !sa_cstr(&md)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (maildir_make(md.s, geteuid() == 0 ? (uid_t)d->uid : (uid_t)-1,
                   geteuid() == 0 ? (gid_t)d->gid : (gid_t)-1) < 0) { ret = VA_SUBDIR_CREATION; goto done; }
  if (!stralloc_copy(&pw.dir, &home)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }

  ret = vauth_adduser(&pw, d);
  if (ret) goto done;
  if (pw.quota.len != 7 || !byte_equal(pw.quota.s, 7, "NOQUOTA"))
    set_mds(home.s, &pw.quota, d);
  vauth_setlastauth(&pw, d, "0.0.0.0", (unsigned long)time(0));
done:
  if (ret) {
    int e = errno;
    if (made_home) rmtree(home.s);
    if (have_bucket) dirhash_release(ctl.s, 0, bucket.s, 0);
    errno = e;
  }
  { int e = errno;
    vpw_free(&pw); vpw_free(&old);
    stralloc_free(&u); stralloc_free(&bucket); stralloc_free(&home); stralloc_free(&md);
    stralloc_free(&ctl); stralloc_free(&freef);
    errno = e; }
  return ret;
}

/* Loads user's record for a change. 0 or VA code. */
static int load(struct vqpasswd *pw, stralloc *u, const struct vdomain *d, const char *user)
{
  int r;
  if (!lower_user(u, user)) return VA_MEMORY_ALLOC_ERR;
  if (!uid_ok(d)) return VA_BAD_UID;
  r = vuser_lookup(pw, u->s, d);
  if (r == 0) return VA_USER_DOES_NOT_EXIST;
  if (r < 0) return VA_COULD_NOT_UPDATE_FILE;
  return 0;
}

int vuser_del(const struct vdomain *d, const char *user)
{
  struct vqpasswd pw;
  stralloc u = {0}, dir = {0};
  int ret;
  vpw_init(&pw);
  ret = load(&pw, &u, d, user);
  if (ret) goto done;
  if (is_catchall(d, &pw)) { ret = VA_CANNOT_DELETE_CATCHALL; goto done; }
  ret = vauth_deluser(u.s, d);
  if (ret) goto done;
  /* bucket = the home's parent relative to the domain dir */
  if (pw.dir.len > d->dir.len + 1 && !byte_diff(pw.dir.s, d->dir.len, d->dir.s)
      && pw.dir.s[d->dir.len] == '/') {
    const char *rel = pw.dir.s + d->dir.len + 1;
    size_t rl = pw.dir.len - d->dir.len - 1, k = rl;
    while (k > 0 && rel[k - 1] != '/') --k;
    release(d, rel, k ? k - 1 : 0);
  } else {
    release(d, "", 0);
  }
  if (stralloc_copy(&dir, &pw.dir) && sa_cstr(&dir) && dir.len > d->dir.len) rmtree(dir.s);
done:
  vpw_free(&pw);
  stralloc_free(&u); stralloc_free(&dir);
  return ret;
}

int vuser_setpass(const struct vdomain *d, const char *user, const char *pass)
{
  struct vqpasswd pw;
  stralloc u = {0};
  int ret;
  vpw_init(&pw);
  ret = load(&pw, &u, d, user);
  if (!ret) ret = set_password(&pw, pass);
  if (!ret) ret = vauth_setpw(&pw, d);
  vpw_free(&pw);
  stralloc_free(&u);
  return ret;
}

static int apply_quota(struct vqpasswd *pw, const char *quota)
{
  stralloc q = {0};
  int ret = 0;
  int r = quota_normalize(&q, quota, str_len(quota));
  if (r < 0) return VA_MEMORY_ALLOC_ERR;
  /* vpopmail stored an empty quota for junk; refusing it is safer */
  if (r == 0 || q.len > VPW_MAX_QUOTA) ret = VA_QUOTA_TOO_LONG;
  else if (!stralloc_copy(&pw->quota, &q)) ret = VA_MEMORY_ALLOC_ERR;
  stralloc_free(&q);
  return ret;
}

static void rebuild_maildirsize(const struct vqpasswd *pw, const struct vdomain *d)
{
  stralloc h = {0};
  if (stralloc_copy(&h, &pw->dir) && sa_cstr(&h))
    set_mds(h.s, &pw->quota, d);
  stralloc_free(&h);
}

int vuser_setquota(const struct vdomain *d, const char *user, const char *quota)
{
  struct vqpasswd pw;
  stralloc u = {0};
  int ret;
  vpw_init(&pw);
  ret = load(&pw, &u, d, user);
  if (!ret) ret = apply_quota(&pw, quota);
  if (!ret) ret = vauth_setpw(&pw, d);
  if (!ret) rebuild_maildirsize(&pw, d);
  vpw_free(&pw);
  stralloc_free(&u);
  return ret;
}

int vuser_mod(const struct vdomain *d, const char *user, const struct vuser_mod *m)
{
  struct vqpasswd pw;
  stralloc u = {0};
  int ret;
  vpw_init(&pw);
  ret = load(&pw, &u, d, user);
  if (ret) goto done;
  if (m->gecos && !set_gecos(&pw, m->gecos)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (m->hash && !stralloc_copys(&pw.passwd, m->hash)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (m->clear && (ret = set_password(&pw, m->clear)) != 0) goto done;
  if (m->dir && !stralloc_copys(&pw.dir, m->dir)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (m->quota && (ret = apply_quota(&pw, m->quota)) != 0) goto done;
  if (m->clear_flags) pw.gid = 0;
  pw.gid |= m->set_flags;
  ret = vauth_setpw(&pw, d);
  if (!ret && m->quota) rebuild_maildirsize(&pw, d);
done:
  vpw_free(&pw);
  stralloc_free(&u);
  return ret;
}
