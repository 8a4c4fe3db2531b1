/* lib/vuser.c — vpopmail's user administration (see vuser.h).
 *
 * Invariants: a user exists iff its vpasswd record exists; the home
 * directory is created before the record and removed after it, so a
 * failed add leaves no record and a failed delete leaves the mailbox.
 * Hash buckets follow vpopmail's .dir-control odometer exactly
 * (<domaindir>/.dir-control, 8 lines) so trees written by vpopmail and
 * by qvmail interleave; freed buckets go to .dir_control_free (5.6).
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
#include "vauth.h"
#include "verror.h"
#include "vuser.h"

/* ---------------- names and addresses ---------------- */

int vuser_valid_name(const char *s, size_t len)
{
  size_t i;
  for (i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    if (c && str_chr("!#$&'*+-.=?^_`{|}~", c) < 18) continue;
    return 0;
  }
  return 1;
}

static int valid_domain(const char *s, size_t len)
{
  size_t i;
  for (i = 0; i < len; ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

int vuser_parse_address(stralloc *user, stralloc *domain, int *defaulted, const char *addr)
{
  size_t len = str_len(addr), at;
  stralloc low = {0};
  int ret = 0;
  *defaulted = 0;
  if (!sa_copyb_lower(&low, addr, len)) return VA_MEMORY_ALLOC_ERR;
  at = byte_chr(low.s, len, '@');
  if (at == len) at = byte_chr(low.s, len, '%');
  if (at == len) at = byte_chr(low.s, len, '/');
  if (!stralloc_copyb(user, low.s, at) || !sa_cstr(user)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (at < len) {
    if (!stralloc_copyb(domain, low.s + at + 1, len - at - 1)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  } else {
    const char *env = getenv("VPOPMAIL_DOMAIN");
    *defaulted = 1;
    if (env && *env) {
      if (!sa_copyb_lower(domain, env, str_len(env))) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
    } else {
      stralloc path = {0}, text = {0};
      int r = paths_vpopmail(&path, "etc/defaultdomain") ? af_readfile(&text, path.s) : -1;
      domain->len = 0;
      if (r > 0) {
        size_t n = byte_chr(text.s, text.len, '\n');
        while (n && (text.s[n - 1] == ' ' || text.s[n - 1] == '\t' || text.s[n - 1] == '\r')) --n;
        if (!sa_copyb_lower(domain, text.s, n)) ret = VA_MEMORY_ALLOC_ERR;
      }
      stralloc_free(&path); stralloc_free(&text);
      if (ret) goto done;
    }
    if (domain->len == 0) *defaulted = -1;
  }
  if (!sa_cstr(domain)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (!vuser_valid_name(user->s, user->len) || !valid_domain(domain->s, domain->len)
      || *defaulted == -1) { ret = VA_ILLEGAL_USERNAME; goto done; }
  if (user->len > VPW_MAX_NAME) { ret = VA_USER_NAME_TOO_LONG; goto done; }
  if (domain->len > VPW_MAX_DOMAIN) { ret = VA_DOMAIN_NAME_TOO_LONG; goto done; }
done:
  stralloc_free(&low);
  return ret;
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

/* ---------------- .dir-control (vpopmail's bucket odometer) ---------------- */

static const char dirlist[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct vdir {
  unsigned long cur_users;
  unsigned long level_cur, level_max;
  unsigned long start[3], end[3], mod[3], index[3];
  stralloc the_dir;
};

static void vdir_default(struct vdir *v)
{
  int i;
  v->cur_users = 0; v->level_cur = 0; v->level_max = 3;
  for (i = 0; i < 3; ++i) { v->start[i] = 0; v->end[i] = 61; v->mod[i] = 2 * i; v->index[i] = 0; }
  v->the_dir.len = 0;
}

static size_t scan_num(const char *s, size_t len, unsigned long *n)
{
  size_t i = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= len) return 0;
  {
    size_t k = scan_ulong(s + i, n);
    if (!k || i + k > len) return 0;
    return i + k;
  }
}

static void vdir_parse(struct vdir *v, const char *t, size_t len)
{
  size_t pos = 0, lineno = 0;
  vdir_default(v);
  while (pos < len && lineno < 8) {
    size_t e = pos + byte_chr(t + pos, len - pos, '\n');
    const char *l = t + pos;
    size_t ll = e - pos, k;
    unsigned long *tri = 0;
    int i;
    switch (lineno) {
    case 0: scan_num(l, ll, &v->cur_users); break;
    case 1: scan_num(l, ll, &v->level_cur); break;
    case 2: scan_num(l, ll, &v->level_max); break;
    case 3: tri = v->start; break;
    case 4: tri = v->end; break;
    case 5: tri = v->mod; break;
    case 6: tri = v->index; break;
    case 7: stralloc_copyb(&v->the_dir, l, ll); break;
    }
    if (tri)
      for (i = 0; i < 3; ++i) {
        k = scan_num(l, ll, &tri[i]);
        if (!k) break;
        l += k; ll -= k;
      }
    pos = e + 1; ++lineno;
  }
  if (v->level_cur > 2) v->level_cur = 2;
  for (pos = 0; pos < 3; ++pos) {
    if (v->end[pos] > 61) v->end[pos] = 61;
    if (v->index[pos] > 61) v->index[pos] = 61;
    if (v->start[pos] > 61) v->start[pos] = 61;
  }
}

static int vdir_fmt(stralloc *o, const struct vdir *v)
{
  const unsigned long *tri[4];
  int i, j;
  tri[0] = v->start; tri[1] = v->end; tri[2] = v->mod; tri[3] = v->index;
  o->len = 0;
  if (!sa_catulong(o, v->cur_users) || !stralloc_append(o, "\n")) return 0;
  if (!sa_catulong(o, v->level_cur) || !stralloc_append(o, "\n")) return 0;
  if (!sa_catulong(o, v->level_max) || !stralloc_append(o, "\n")) return 0;
  for (j = 0; j < 4; ++j) {
    for (i = 0; i < 3; ++i)
      if (!sa_catulong(o, tri[j][i]) || !stralloc_append(o, i < 2 ? " " : "\n")) return 0;
  }
  return stralloc_catb(o, v->the_dir.s, v->the_dir.len) && stralloc_append(o, "\n");
}

static int vdir_build(struct vdir *v)
{
  unsigned long i;
  v->the_dir.len = 0;
  for (i = 0; i <= v->level_cur; ++i) {
    if (i && !stralloc_append(&v->the_dir, "/")) return 0;
    if (!stralloc_append(&v->the_dir, &dirlist[v->index[i]])) return 0;
  }
  return 1;
}

/* The next bucket: an odometer over level_cur+1 characters. */
static int vdir_advance(struct vdir *v)
{
  long lv;
  if (v->the_dir.len == 0) {
    v->level_cur = 0;
    v->index[0] = v->start[0];
    return vdir_build(v);
  }
  for (lv = (long)v->level_cur; lv >= 0; --lv) {
    if (v->index[lv] < v->end[lv]) { ++v->index[lv]; return vdir_build(v); }
    v->index[lv] = v->start[lv];
  }
  if (v->level_cur + 1 < v->level_max && v->level_cur < 2) ++v->level_cur;
  for (lv = 0; lv < 3; ++lv) v->index[lv] = v->start[lv];
  return vdir_build(v);
}

/* Allocates a bucket (relative dir, "" for the domain dir itself). */
static int bucket_alloc(stralloc *bucket, const struct vdomain *d)
{
  struct atomicfile af;
  struct vdir v = {0};
  stralloc path = {0}, text = {0}, fpath = {0}, ftext = {0}, out = {0};
  int ret = -1, from_free = 0;
  size_t pos = 0;

  if (!dpath(&path, d, ".dir-control") || !dpath(&fpath, d, ".dir_control_free")) { errno = ENOMEM; goto done; }
  if (af_begin(&af, path.s, 0, 0600) < 0) goto done;
  if (af_readfile(&text, path.s) < 0) { af_abort(&af); goto done; }
  vdir_parse(&v, text.s, text.len);
  bucket->len = 0;
  /* a freed bucket first (5.6's .dir_control_free) */
  if (af_readfile(&ftext, fpath.s) > 0) {
    while (pos < ftext.len) {
      size_t e = pos + byte_chr(ftext.s + pos, ftext.len - pos, '\n');
      if (e > pos && ftext.s[pos] != '#') {
        if (!stralloc_copyb(bucket, ftext.s + pos, e - pos)) { af_abort(&af); errno = ENOMEM; goto done; }
        if (!stralloc_copyb(&out, ftext.s, pos) || (e < ftext.len && !stralloc_catb(&out, ftext.s + e + 1, ftext.len - e - 1))) {
          af_abort(&af); errno = ENOMEM; goto done;
        }
        from_free = 1;
        break;
      }
      pos = e + 1;
    }
  }
  ++v.cur_users;
  if (!from_free) {
    if (v.cur_users % 100 == 0 && !vdir_advance(&v)) { af_abort(&af); errno = ENOMEM; goto done; }
    if (!stralloc_copy(bucket, &v.the_dir)) { af_abort(&af); errno = ENOMEM; goto done; }
  }
  if (!vdir_fmt(&text, &v) || af_write(&af, text.s, text.len) < 0) { af_abort(&af); goto done; }
  if (geteuid() == 0) af_chown(&af, (uid_t)d->uid, (gid_t)d->gid);
  if (from_free) {
    struct atomicfile ff;
    if (af_begin(&ff, fpath.s, 0, 0600) < 0) { af_abort(&af); goto done; }
    if (af_write(&ff, out.s, out.len) < 0 || af_commit(&ff) < 0) { af_abort(&ff); af_abort(&af); goto done; }
  }
  if (af_commit(&af) < 0) goto done;
  ret = 0;
done:
  stralloc_free(&path); stralloc_free(&text); stralloc_free(&fpath);
  stralloc_free(&ftext); stralloc_free(&out); stralloc_free(&v.the_dir);
  if (ret == 0 && !sa_cstr(bucket)) { errno = ENOMEM; ret = -1; }
  return ret;
}

/* Gives a bucket back: cur_users - 1, the bucket appended to
 * .dir_control_free (not for the domain dir itself). */
static int bucket_release(const struct vdomain *d, const char *bucket, size_t blen)
{
  struct atomicfile af;
  struct vdir v = {0};
  stralloc path = {0}, text = {0};
  int ret = -1;
  if (!dpath(&path, d, ".dir-control")) { errno = ENOMEM; goto done; }
  if (af_begin(&af, path.s, 0, 0600) < 0) goto done;
  if (af_readfile(&text, path.s) < 0) { af_abort(&af); goto done; }
  vdir_parse(&v, text.s, text.len);
  if (v.cur_users) --v.cur_users;
  if (!vdir_fmt(&text, &v) || af_write(&af, text.s, text.len) < 0) { af_abort(&af); goto done; }
  if (geteuid() == 0) af_chown(&af, (uid_t)d->uid, (gid_t)d->gid);
  if (blen) {
    stralloc fpath = {0}, line = {0};
    int fd;
    if (!dpath(&fpath, d, ".dir_control_free") || !stralloc_copyb(&line, bucket, blen)
        || !stralloc_append(&line, "\n")) { af_abort(&af); errno = ENOMEM; goto done; }
    fd = open(fpath.s, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
      if (write(fd, line.s, line.len) < 0) { /* counted below by fsync */ }
      if (geteuid() == 0 && fchown(fd, (uid_t)d->uid, (gid_t)d->gid) < 0) { }
      fsync(fd);
      close(fd);
    }
    stralloc_free(&fpath); stralloc_free(&line);
  }
  if (af_commit(&af) < 0) goto done;
  ret = 0;
done:
  stralloc_free(&path); stralloc_free(&text); stralloc_free(&v.the_dir);
  return ret;
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

/* ---------------- quotas ---------------- */

static unsigned long long lead_num(const char *s, size_t len)
{
  size_t i = 0;
  unsigned long long n = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') {
    unsigned dg = (unsigned)(s[i] - '0');
    n = n > (~0ULL - dg) / 10 ? ~0ULL : n * 10 + dg;   /* saturates */
    ++i;
  }
  return n;
}

int vuser_quota_normalize(stralloc *out, const char *q, size_t len)
{
  unsigned long long bytes = 0, count = 0;
  size_t pos = 0;
  char buf[40];
  out->len = 0;
  if (len == 7 && byte_equal(q, 7, "NOQUOTA")) return stralloc_copys(out, "NOQUOTA");
  while (pos <= len) {
    size_t e = pos + byte_chr(q + pos, len - pos, ',');
    const char *p = q + pos;
    size_t pl = e - pos;
    if (pl && p[pl - 1] == 'C') {
      count = lead_num(p, pl - 1);
    } else if (pl) {
      unsigned long long mult = 1;
      if (pl && (p[pl - 1] == 'S' || p[pl - 1] == 's')) --pl;
      if (pl && (p[pl - 1] == 'B' || p[pl - 1] == 'b')) --pl;
      if (pl && (p[pl - 1] == 'M' || p[pl - 1] == 'm')) mult = 1048576ULL;
      else if (pl && (p[pl - 1] == 'K' || p[pl - 1] == 'k')) mult = 1024ULL;
      bytes = lead_num(p, pl);
      bytes = bytes > ~0ULL / mult ? ~0ULL : bytes * mult;
    }
    pos = e + 1;
  }
  if (bytes) {
    snprintf(buf, sizeof buf, "%lluS", bytes);
    if (!stralloc_cats(out, buf)) return 0;
  }
  if (count) {
    snprintf(buf, sizeof buf, "%s%lluC", bytes ? "," : "", count);
    if (!stralloc_cats(out, buf)) return 0;
  }
  return 1;
}

static void quota_limits(const char *q, size_t len, unsigned long long *bytes, unsigned long long *count)
{
  size_t pos = 0;
  *bytes = *count = 0;
  if (len == 7 && byte_equal(q, 7, "NOQUOTA")) return;
  while (pos < len) {
    size_t e = pos + byte_chr(q + pos, len - pos, ',');
    if (e > pos && q[e - 1] == 'C') *count = lead_num(q + pos, e - pos - 1);
    else if (e > pos && q[e - 1] == 'S') *bytes = lead_num(q + pos, e - pos - 1);
    else if (e > pos) *bytes = lead_num(q + pos, e - pos);
    pos = e + 1;
  }
}

static int walk_dir(const char *path, unsigned long long *bytes, unsigned long *count)
{
  DIR *dir = opendir(path);
  struct dirent *de;
  stralloc f = {0};
  if (!dir) return errno == ENOENT ? 0 : -1;
  while ((de = readdir(dir))) {
    const char *n = de->d_name;
    size_t nl = str_len(n), k;
    const char *flags;
    size_t flen;
    unsigned long sz = 0;
    if (n[0] == '.') continue;
    if (maildir_flags(n, nl, &flags, &flen) && byte_chr(flags, flen, 'T') < flen) continue;
    { const char *sp = strstr(n, ",S="); k = sp ? (size_t)(sp - n) : nl; }
    if (k < nl && scan_ulong(n + k + 3, &sz) > 0) {
      *bytes += sz;
    } else {
      struct stat st;
      if (!stralloc_copys(&f, path) || !stralloc_append(&f, "/") || !stralloc_cats(&f, n) || !sa_cstr(&f)) continue;
      if (stat(f.s, &st) == 0) *bytes += (unsigned long long)st.st_size;
    }
    ++*count;
  }
  closedir(dir);
  stralloc_free(&f);
  return 0;
}

static int walk_maildir(const char *md, unsigned long long *bytes, unsigned long *count)
{
  stralloc p = {0};
  DIR *dir;
  struct dirent *de;
  static const char *const sub[2] = { "/new", "/cur" };
  int i;
  *bytes = 0; *count = 0;
  for (i = 0; i < 2; ++i) {
    if (!stralloc_copys(&p, md) || !stralloc_cats(&p, sub[i]) || !sa_cstr(&p)) { errno = ENOMEM; return -1; }
    if (walk_dir(p.s, bytes, count) < 0) { stralloc_free(&p); return -1; }
  }
  dir = opendir(md);
  if (dir) {
    while ((de = readdir(dir))) {
      if (de->d_name[0] != '.' || !str_diff(de->d_name, ".") || !str_diff(de->d_name, "..")
          || !str_diff(de->d_name, ".Trash")) continue;
      for (i = 0; i < 2; ++i) {
        if (!stralloc_copys(&p, md) || !stralloc_append(&p, "/") || !stralloc_cats(&p, de->d_name)
            || !stralloc_cats(&p, sub[i]) || !sa_cstr(&p)) continue;
        walk_dir(p.s, bytes, count);
      }
    }
    closedir(dir);
  }
  stralloc_free(&p);
  return 1;
}

int vuser_usage(const char *home, unsigned long long *bytes, unsigned long *count)
{
  stralloc p = {0}, t = {0};
  int r;
  *bytes = 0; *count = 0;
  if (!stralloc_copys(&p, home) || !stralloc_cats(&p, "/Maildir/maildirsize") || !sa_cstr(&p)) {
    errno = ENOMEM; return -1;
  }
  r = af_readfile(&t, p.s);
  if (r > 0) {
    size_t pos = byte_chr(t.s, t.len, '\n') + 1;
    long long b = 0, c = 0;
    while (pos < t.len) {
      size_t e = pos + byte_chr(t.s + pos, t.len - pos, '\n');
      long v1 = 0, v2 = 0;
      size_t k = pos;
      while (k < e && t.s[k] == ' ') ++k;
      k += scan_long(t.s + k, &v1);
      while (k < e && t.s[k] == ' ') ++k;
      scan_long(t.s + k, &v2);
      b += v1; c += v2;
      pos = e + 1;
    }
    *bytes = b > 0 ? (unsigned long long)b : 0;
    *count = c > 0 ? (unsigned long)c : 0;
    r = 1;
  } else if (r == 0) {
    p.len -= str_len("/maildirsize");
    if (!sa_cstr(&p)) { errno = ENOMEM; r = -1; }
    else r = walk_maildir(p.s, bytes, count);
  }
  stralloc_free(&p); stralloc_free(&t);
  return r;
}

int vuser_usage_percent(const char *quota, size_t qlen, const char *home)
{
  unsigned long long qb, qc, b;
  unsigned long c;
  int ps = 0, pc = 0;
  quota_limits(quota, qlen, &qb, &qc);
  if (!qb && !qc) return -1;
  if (vuser_usage(home, &b, &c) < 0) return 0;
  if (qb) ps = (int)(b * 100 / qb);
  if (qc) pc = (int)((unsigned long long)c * 100 / qc);
  return ps > pc ? ps : pc;
}

int vuser_maildirsize(const char *home, const char *quota, size_t qlen,
                      unsigned long uid, unsigned long gid)
{
  stralloc p = {0}, md = {0}, t = {0};
  unsigned long long qb, qc, b;
  unsigned long c;
  int fd, ret = -1;
  char buf[64];
  if (!stralloc_copys(&md, home) || !stralloc_cats(&md, "/Maildir") || !sa_cstr(&md)
      || !stralloc_copy(&p, &md) || !stralloc_cats(&p, "/maildirsize") || !sa_cstr(&p)) {
    errno = ENOMEM; goto done;
  }
  if (unlink(p.s) < 0 && errno != ENOENT) goto done;
  quota_limits(quota, qlen, &qb, &qc);
  if (!qb && !qc) { ret = 0; goto done; }
  if (walk_maildir(md.s, &b, &c) < 0) goto done;
  snprintf(buf, sizeof buf, "%llu %lu\n", b, c);
  if (!stralloc_copyb(&t, quota, qlen) || !stralloc_append(&t, "\n") || !stralloc_cats(&t, buf)) {
    errno = ENOMEM; goto done;
  }
  fd = open(p.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) goto done;
  if (write(fd, t.s, t.len) != (ssize_t)t.len) { int e = errno; close(fd); errno = e; goto done; }
  if (geteuid() == 0 && fchown(fd, (uid_t)uid, (gid_t)gid) < 0) { }
  if (close(fd) < 0) goto done;
  ret = 0;
done:
  { int e = errno; stralloc_free(&p); stralloc_free(&md); stralloc_free(&t); errno = e; }
  return ret;
}

/* ---------------- domain limits (the parts users need) ---------------- */

struct ulimits {
  unsigned long long default_quota;
  unsigned long default_maxmsgcount;
  unsigned long flags;   /* disable_* as user flag bits */
};

static const struct { const char *key; unsigned long bit; } limit_flags[] = {
  { "disable_pop", VPW_NO_POP }, { "disable_imap", VPW_NO_IMAP },
  { "disable_smtp", VPW_NO_SMTP }, { "disable_webmail", VPW_NO_WEBMAIL },
  { "disable_external_relay", VPW_NO_RELAY },
  { "disable_password_changing", VPW_NO_PASSWD_CHNG },
  { "disable_dialup", VPW_NO_DIALUP }, { "disable_spamassassin", VPW_NO_SPAMASSASSIN },
  { "delete_spam", VPW_DELETE_SPAM }, { "disable_maildrop", VPW_NO_MAILDROP },
};

/* 1 read, 0 no limits file anywhere (5.6: not an error), -1 errno. */
static int read_limits(struct ulimits *l, const struct vdomain *d)
{
  stralloc p = {0}, t = {0};
  size_t pos = 0, i;
  int r;
  byte_zero(l, sizeof *l);
  if (!dpath(&p, d, ".qmailadmin-limits")) { errno = ENOMEM; return -1; }
  r = af_readfile(&t, p.s);
  if (r == 0) {
    if (!paths_vpopmail(&p, "etc/vlimits.default")) { errno = ENOMEM; return -1; }
    r = af_readfile(&t, p.s);
  }
  stralloc_free(&p);
  if (r <= 0) { stralloc_free(&t); return r; }
  while (pos < t.len) {
    size_t e = pos + byte_chr(t.s + pos, t.len - pos, '\n');
    size_t k = pos, ke;
    while (k < e && (t.s[k] == ' ' || t.s[k] == '\t')) ++k;
    ke = k;
    while (ke < e && t.s[ke] != ' ' && t.s[ke] != '\t' && t.s[ke] != ':' && t.s[ke] != '\r') ++ke;
    if (ke > k && t.s[k] != '#') {
      size_t v = ke;
      unsigned long n = 0;
      while (v < e && (t.s[v] == ' ' || t.s[v] == '\t' || t.s[v] == ':')) ++v;
      scan_ulong(t.s + v, &n);
      if (ke - k == 13 && byte_equal(t.s + k, 13, "default_quota")) l->default_quota = lead_num(t.s + v, e - v);
      else if (ke - k == 19 && byte_equal(t.s + k, 19, "default_maxmsgcount")) l->default_maxmsgcount = n;
      else
        for (i = 0; i < sizeof limit_flags / sizeof limit_flags[0]; ++i)
          if (ke - k == str_len(limit_flags[i].key) && byte_equal(t.s + k, ke - k, limit_flags[i].key)) {
            /* vmoddomlimits writes booleans as "key" or "key: 1" */
            if (v >= e || n) l->flags |= limit_flags[i].bit;
          }
    }
    pos = e + 1;
  }
  stralloc_free(&t);
  return 1;
}

int vuser_flags(unsigned long *eff, unsigned long *fromdomain,
                const struct vqpasswd *pw, const struct vdomain *d)
{
  struct ulimits l;
  *eff = pw->gid;
  if (fromdomain) *fromdomain = 0;
  if (pw->gid & VPW_V_OVERRIDE) return 0;
  if (read_limits(&l, d) < 0) return VA_CANNOT_READ_LIMITS;
  *eff = pw->gid | l.flags;
  if (fromdomain) *fromdomain = l.flags & ~pw->gid;
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
  struct ulimits lim;
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
  if (read_limits(&lim, d) < 0) { ret = VA_CANNOT_READ_LIMITS; goto done; }
  {
    char qb[64];
    if (lim.default_quota && lim.default_maxmsgcount)
      snprintf(qb, sizeof qb, "%lluS,%luC", lim.default_quota, lim.default_maxmsgcount);
    else if (lim.default_quota)
      snprintf(qb, sizeof qb, "%lluS", lim.default_quota);
    else if (lim.default_maxmsgcount)
      snprintf(qb, sizeof qb, "%luC", lim.default_maxmsgcount);
    else
      snprintf(qb, sizeof qb, "NOQUOTA");
    if (!stralloc_copys(&pw.quota, qb)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  }

  /* bucket and home */
  if (bucket_alloc(&bucket, d) < 0) { ret = VA_COULD_NOT_UPDATE_FILE; goto done; }
  have_bucket = 1;
  if (!stralloc_copyb(&home, d->dir.s, d->dir.len) || !stralloc_append(&home, "/")) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
  if (bucket.len) {
    size_t i, start = home.len;
    if (!stralloc_catb(&home, bucket.s, bucket.len)) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
    /* create each level of the bucket (0750, domain owner) */
    for (i = start; i <= home.len; ++i)
      if (i == home.len || home.s[i] == '/') {
        char c = home.s[i];
        home.s[i] = 0;
        if (mkdir(home.s, 0750) == 0) own(home.s, d);
        else if (errno != EEXIST) { home.s[i] = c; ret = VA_BAD_U_DIR; goto done; }
        home.s[i] = c;
        if (i == home.len) break;
      }
    if (!stralloc_append(&home, "/")) { ret = VA_MEMORY_ALLOC_ERR; goto done; }
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
    vuser_maildirsize(home.s, pw.quota.s, pw.quota.len, d->uid, d->gid);
  vauth_setlastauth(&pw, d, "0.0.0.0", (unsigned long)time(0));
done:
  if (ret) {
    int e = errno;
    if (made_home) rmtree(home.s);
    if (have_bucket) bucket_release(d, bucket.s, 0);
    errno = e;
  }
  { int e = errno;
    vpw_free(&pw); vpw_free(&old);
    stralloc_free(&u); stralloc_free(&bucket); stralloc_free(&home); stralloc_free(&md);
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
    bucket_release(d, rel, k ? k - 1 : 0);
  } else {
    bucket_release(d, "", 0);
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
  if (!vuser_quota_normalize(&q, quota, str_len(quota))) return VA_MEMORY_ALLOC_ERR;
  if (q.len > VPW_MAX_QUOTA) ret = VA_QUOTA_TOO_LONG;
  else if (!stralloc_copy(&pw->quota, &q)) ret = VA_MEMORY_ALLOC_ERR;
  stralloc_free(&q);
  return ret;
}

static void rebuild_maildirsize(const struct vqpasswd *pw, const struct vdomain *d)
{
  stralloc h = {0};
  if (stralloc_copy(&h, &pw->dir) && sa_cstr(&h))
    vuser_maildirsize(h.s, pw->quota.s, pw->quota.len, d->uid, d->gid);
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
