/* lib/vauth_cdb.c — the "cdb" user-store backend: vpopmail's per-domain
 * <domaindir>/vpasswd text file and its compiled vpasswd.cdb.
 *
 * Invariants: lookups read only vpasswd.cdb (a missing or unreadable cdb
 * is a temporary error, never "no such user"); every write holds an
 * exclusive flock on <domaindir>/.vpasswd.lock across read-modify-write,
 * keeps the lines sorted by user name as vpopmail inserts them (other
 * lines are copied byte for byte), writes vpasswd.<pid> and renames it
 * over vpasswd, and rebuilds vpasswd.cdb (vpasswd.cdb.tmp + rename)
 * from the new text before the lock is released. Both files are 0600
 * (they hold password hashes) and owned by the domain's uid/gid when
 * written by root. A write by anyone but root or the domain's uid is
 * refused with VA_BAD_UID, as vpopmail does.
 *
 * Adding a user whose name sorts after every line appends to the text
 * in memory instead of copying it; the cdb is still rebuilt in full, so
 * its semantics never change.
 *
 * SECURITY: vpasswd may have been edited by hand: lines are parsed by
 * lib/vpasswd.c (fuzzed); malformed lines are skipped when listing and
 * copied unchanged when rewriting. lastauth is opened with O_NOFOLLOW
 * so a user cannot redirect the write through a symlink in his home. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buffer.h"
#include "byte.h"
#include "str.h"
#include "assign.h"
#include "atomicfile.h"
#include "cdbmap.h"
#include "sa.h"
#include "verror.h"
#include "vauth.h"

static int dpath(stralloc *out, const struct vdomain *d, const char *file)
{
  if (!stralloc_copyb(out, d->dir.s, d->dir.len)) return 0;
  if (!stralloc_append(out, "/")) return 0;
  if (!stralloc_cats(out, file)) return 0;
  return sa_cstr(out);
}

static int uid_ok(const struct vdomain *d)
{
  uid_t e = geteuid();
  return e == 0 || (unsigned long)e == d->uid;
}

static int read_all(stralloc *out, const char *path);

/* Length up to the next '\n' (or len): memchr, not byte_chr's byte
 * loop, since every write scans megabytes at 10,000 users. */
static size_t line_len(const char *s, size_t len)
{
  const char *nl = len ? memchr(s, '\n', len) : 0;
  return nl ? (size_t)(nl - s) : len;
}

#define BIGBUF (1024 * 1024)
static char *big;

/* Compiles (text, len) into <dir>/vpasswd.cdb. 1 or -1 with errno. */
static int write_cdb(const struct vdomain *d, const char *text, size_t len)
{
  struct cdbmap_writer w;
  stralloc path = {0};
  size_t pos = 0;
  if (!dpath(&path, d, "vpasswd.cdb")) { errno = ENOMEM; return -1; }
  if (cdbmap_write_begin(&w, path.s, 0) < 0) { stralloc_free(&path); return -1; }
  stralloc_free(&path);
  if (fchmod(w.fd, 0600) < 0) goto fail;
  /* one large buffer instead of cdb_make's 8 KB: a 10,000-user domain's
   * cdb is ~2 MB, written in a couple of write(2)s, not 250 */
  if (!big) big = malloc(BIGBUF);
  if (big) buffer_init(&w.cm.b, (ssize_t (*)())write, w.fd, big, BIGBUF);
  if (geteuid() == 0 && fchown(w.fd, (uid_t)d->uid, (gid_t)d->gid) < 0) goto fail;
  while (pos < len) {
    size_t e = pos + line_len(text + pos, len - pos);
    size_t n = vpw_line_name(text + pos, e - pos);
    if (n > 0 && pos + n < e)
      if (cdbmap_write_add(&w, text + pos, n, text + pos + n + 1, e - pos - n - 1) < 0)
        goto fail;
    pos = e + 1;
  }
  /* cdbmap_write_commit without its directory fsync: vpasswd's rename
   * in the same directory follows and af_commit fsyncs the directory
   * once for both (one fsync less per write) */
  if (cdb_make_finish(&w.cm) < 0) { cdbmap_write_free(&w); goto fail; }
  cdbmap_write_free(&w);
  if (fsync(w.fd) < 0) goto fail;
  if (close(w.fd) < 0) { w.fd = -1; goto fail; }
  w.fd = -1;
  if (rename(w.tmp.s, w.path.s) < 0) goto fail;
  stralloc_free(&w.path);
  stralloc_free(&w.tmp);
  return 1;
fail:
  { int saved = errno; cdbmap_write_abort(&w); errno = saved; }
  return -1;
}

/* An edit computes the new text from the old one. It returns 0, or a
 * VA_* code that aborts the write. */
typedef int (*edit_fn)(stralloc *out, stralloc *old, void *arg);

static int modify(const struct vdomain *d, edit_fn edit, void *arg)
{
  struct atomicfile af;
  stralloc path = {0}, lock = {0}, old = {0}, out = {0};
  int r, ret = VA_COULD_NOT_UPDATE_FILE;

  if (!uid_ok(d)) return VA_BAD_UID;
  if (!dpath(&path, d, "vpasswd") || !dpath(&lock, d, ".vpasswd.lock")) {
    errno = ENOMEM; ret = VA_MEMORY_ALLOC_ERR; goto done;
  }
  if (af_begin(&af, path.s, lock.s, 0600) < 0) goto done;
  if (read_all(&old, path.s) < 0) { af_abort(&af); goto done; }
  if (old.len && old.s[old.len - 1] != '\n' && !stralloc_append(&old, "\n")) {
    af_abort(&af); errno = ENOMEM; ret = VA_MEMORY_ALLOC_ERR; goto done;
  }
  r = edit(&out, &old, arg);
  if (r != 0) { af_abort(&af); ret = r; goto done; }
  if (af_write(&af, out.s, out.len) < 0) { af_abort(&af); goto done; }
  if (geteuid() == 0 && af_chown(&af, (uid_t)d->uid, (gid_t)d->gid) < 0) {
    af_abort(&af); goto done;
  }
  if (write_cdb(d, out.s, out.len) < 0) { af_abort(&af); goto done; }
  if (af_commit(&af) < 0) {
    /* best effort: make the cdb match whatever vpasswd now holds */
    int saved = errno;
    if (af_readfile(&old, path.s) >= 0) write_cdb(d, old.s, old.len);
    errno = saved;
    goto done;
  }
  ret = 0;
done:
  { int saved = errno;
    stralloc_free(&path); stralloc_free(&lock);
    sa_wipe(&old); sa_wipe(&out);
    errno = saved; }
  return ret;
}

/* The whole file in one read when its size is known (vpasswd grows to
 * megabytes; af_readfile reads 8 KB at a time). 1, 0 missing, -1. */
static int read_all(stralloc *out, const char *path)
{
  struct stat st;
  size_t got = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  out->len = 0;
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  if (fstat(fd, &st) < 0) goto fail;
  if (!stralloc_ready(out, (size_t)st.st_size + 1)) { errno = ENOMEM; goto fail; }
  for (;;) {
    ssize_t r;
    if (got == out->a) {
      if (!stralloc_readyplus(out, 65536)) { errno = ENOMEM; goto fail; }
    }
    r = read(fd, out->s + got, out->a - got);
    if (r < 0) { if (errno == EINTR) continue; goto fail; }
    if (r == 0) break;
    got += (size_t)r;
    out->len = got;
  }
  close(fd);
  return 1;
fail:
  { int saved = errno; close(fd); errno = saved; }
  return -1;
}

static int name_cmp(const char *a, size_t al, const char *b, size_t bl)
{
  size_t n = al < bl ? al : bl;
  int c = n ? byte_diff(a, n, b) : 0;
  if (c) return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

struct edit_add { const struct vqpasswd *pw; };

static int edit_add(stralloc *out, stralloc *old, void *arg)
{
  const struct vqpasswd *pw = ((struct edit_add *)arg)->pw;
  size_t pos = 0, at = old->len;
  stralloc line = {0};
  int ret = 0;
  if (!vpw_fmt_line(&line, pw)) return VA_MEMORY_ALLOC_ERR;
  /* vpopmail's insert: before the first line whose name is greater
   * (in a hand-edited, unsorted file too); refuse a duplicate anywhere */
  while (pos < old->len) {
    size_t e = pos + line_len(old->s + pos, old->len - pos);
    size_t n = vpw_line_name(old->s + pos, e - pos);
    int c = name_cmp(pw->name.s, pw->name.len, old->s + pos, n);
    if (c == 0) { ret = VA_USERNAME_EXISTS; goto done; }
    if (c < 0 && at == old->len) at = pos;
    pos = e + 1;
  }
  if (at == old->len) {
    /* appending: take old's buffer over instead of copying it */
    *out = *old; old->s = 0; old->len = old->a = 0;
    if (!stralloc_catb(out, line.s, line.len)) ret = VA_MEMORY_ALLOC_ERR;
  } else if (!stralloc_ready(out, old->len + line.len)) {
    ret = VA_MEMORY_ALLOC_ERR;
  } else {
    memcpy(out->s, old->s, at);
    memcpy(out->s + at, line.s, line.len);
    memcpy(out->s + at + line.len, old->s + at, old->len - at);
    out->len = old->len + line.len;
  }
done:
  sa_wipe(&line);
  return ret;
}

/* Replace (line != NULL) or remove the line named (name, nlen). */
struct edit_repl { const char *name; size_t nlen; const stralloc *line; };

static int edit_repl(stralloc *out, stralloc *old, void *arg)
{
  struct edit_repl *a = arg;
  size_t pos = 0;
  int found = 0;
  if (!stralloc_ready(out, old->len + (a->line ? a->line->len : 0))) return VA_MEMORY_ALLOC_ERR;
  out->len = 0;
  while (pos < old->len) {
    size_t e = pos + line_len(old->s + pos, old->len - pos);
    size_t n = vpw_line_name(old->s + pos, e - pos);
    if (n == a->nlen && pos + n < e && byte_equal(old->s + pos, n, a->name)) {
      found = 1;
      if (a->line && !stralloc_catb(out, a->line->s, a->line->len)) return VA_MEMORY_ALLOC_ERR;
    } else if (!stralloc_catb(out, old->s + pos, e + 1 - pos)) {
      return VA_MEMORY_ALLOC_ERR;
    }
    pos = e + 1;
  }
  return found ? 0 : VA_USER_DOES_NOT_EXIST;
}

static int edit_same(stralloc *out, stralloc *old, void *arg)
{
  *out = *old; old->s = 0; old->len = old->a = 0;
  return 0;
}

static int cdb_getpw(struct vqpasswd *pw, const char *user, const struct vdomain *d)
{
  stralloc path = {0}, val = {0};
  size_t ulen = str_len(user);
  int r;
  if (!dpath(&path, d, "vpasswd.cdb")) { errno = ENOMEM; return -1; }
  r = cdbmap_lookup(path.s, user, ulen, &val, 0);
  stralloc_free(&path);
  if (r == 1) {
    r = vpw_parse_value(pw, user, ulen, val.s, val.len);
    if (r == 0) { errno = EINVAL; r = -1; }
  }
  { int saved = errno; sa_wipe(&val); errno = saved; }
  return r;
}

static int cdb_adduser(const struct vqpasswd *pw, const struct vdomain *d)
{
  struct edit_add a;
  int r = vpw_validate(pw);
  if (r) return r;
  if (pw->name.len == 7 && byte_equal(pw->name.s, 7, "vpasswd")) return VA_ILLEGAL_USERNAME;
  a.pw = pw;
  return modify(d, edit_add, &a);
}

static int cdb_deluser(const char *user, const struct vdomain *d)
{
  struct edit_repl a;
  a.name = user; a.nlen = str_len(user); a.line = 0;
  if (a.nlen == 0) return VA_USER_DOES_NOT_EXIST;
  return modify(d, edit_repl, &a);
}

static int cdb_setpw(const struct vqpasswd *pw, const struct vdomain *d)
{
  struct edit_repl a;
  stralloc line = {0};
  int r = vpw_validate(pw);
  if (r) return r;
  if (!vpw_fmt_line(&line, pw)) return VA_MEMORY_ALLOC_ERR;
  a.name = pw->name.s; a.nlen = pw->name.len; a.line = &line;
  r = modify(d, edit_repl, &a);
  { int saved = errno; sa_wipe(&line); errno = saved; }
  return r;
}

static int cdb_listusers(const struct vdomain *d, vauth_user_fn fn, void *arg)
{
  stralloc path = {0}, text = {0};
  struct vqpasswd pw;
  size_t pos = 0;
  int r;
  if (!dpath(&path, d, "vpasswd")) { errno = ENOMEM; return -1; }
  r = read_all(&text, path.s);
  stralloc_free(&path);
  if (r <= 0) return r;
  vpw_init(&pw);
  r = 0;
  while (pos < text.len) {
    size_t e = pos + line_len(text.s + pos, text.len - pos);
    int p = vpw_parse_line(&pw, text.s + pos, e - pos);
    if (p < 0) { r = -1; break; }
    if (p == 1 && (r = fn(&pw, arg)) != 0) break;
    pos = e + 1;
  }
  { int saved = errno; vpw_free(&pw); sa_wipe(&text); errno = saved; }
  return r;
}

static int cdb_rebuild(const struct vdomain *d)
{
  return modify(d, edit_same, 0);
}

static int cdb_adddomain(const struct vdomain *d)
{
  stralloc path = {0};
  struct stat st;
  int r;
  if (!dpath(&path, d, "vpasswd.cdb")) return VA_MEMORY_ALLOC_ERR;
  r = stat(path.s, &st);
  stralloc_free(&path);
  if (r == 0) return 0;
  return cdb_rebuild(d);
}

static int cdb_deldomain(const struct vdomain *d)
{
  return 0;
}

static int home_path(stralloc *out, const struct vqpasswd *pw, const char *file)
{
  if (!stralloc_copyb(out, pw->dir.s, pw->dir.len)) return 0;
  if (!stralloc_append(out, "/") || !stralloc_cats(out, file)) return 0;
  return sa_cstr(out);
}

static int cdb_setlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                           const char *ip, unsigned long when)
{
  stralloc path = {0};
  struct timespec ts[2];
  int fd, saved;
  size_t len = str_len(ip);
  if (!home_path(&path, pw, "lastauth")) { errno = ENOMEM; return -1; }
  fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  stralloc_free(&path);
  if (fd < 0) return -1;
  if (write(fd, ip, len) != (ssize_t)len) goto fail;
  if (geteuid() == 0 && fchown(fd, (uid_t)d->uid, (gid_t)d->gid) < 0) goto fail;
  ts[0].tv_sec = ts[1].tv_sec = (time_t)when;
  ts[0].tv_nsec = ts[1].tv_nsec = 0;
  if (futimens(fd, ts) < 0) goto fail;
  if (close(fd) < 0) return -1;
  return 0;
fail:
  saved = errno; close(fd); errno = saved;
  return -1;
}

static int cdb_getlastauth(const struct vqpasswd *pw, const struct vdomain *d,
                           stralloc *ip, unsigned long *when)
{
  stralloc path = {0};
  struct stat st;
  char buf[128];
  ssize_t r;
  int fd, saved;
  ip->len = 0;
  *when = 0;
  if (!home_path(&path, pw, "lastauth")) { errno = ENOMEM; return -1; }
  fd = open(path.s, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  stralloc_free(&path);
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  if (fstat(fd, &st) < 0) goto fail;
  do r = read(fd, buf, sizeof buf); while (r < 0 && errno == EINTR);
  if (r < 0) goto fail;
  close(fd);
  while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == '\r' || buf[r - 1] == ' ')) --r;
  if (!stralloc_copyb(ip, buf, (size_t)r)) { errno = ENOMEM; return -1; }
  *when = (unsigned long)st.st_mtime;
  return 1;
fail:
  saved = errno; close(fd); errno = saved;
  return -1;
}

const struct vauth_ops vauth_cdb_ops = {
  "cdb",
  cdb_getpw, cdb_adduser, cdb_deluser, cdb_setpw, cdb_listusers,
  cdb_adddomain, cdb_deldomain, cdb_setlastauth, cdb_getlastauth, cdb_rebuild,
};
