/* lib/maildir.c — Maildir primitives (see maildir.h).
 *
 * Invariants: a file appears in new/ only after its data and the tmp
 * file were fsynced, and only under its final name (link(2) is atomic;
 * rename(2) is the fallback where links are not supported). On any
 * failure the tmp file is unlinked and nothing is left in new/. Files
 * are created 0600 with O_EXCL, directories 0750.
 *
 * SECURITY: runs as the mail-store id (or root in admin tools). Names
 * are built only from the clock, the pid, a counter and the host name
 * (with '/' and ':' escaped), so no caller input reaches a path except
 * the Maildir directory itself. Flag strings from clients are filtered
 * to printable bytes other than ':' and '/' before they reach a name. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "maildir.h"
#include "sa.h"

static unsigned long deliveries;

/* chown when root, or when asked for ids other than our own. */
static int fix_owner(const char *path, uid_t uid, gid_t gid)
{
  int want = 0;
  if (geteuid() == 0) want = 1;
  if (uid != (uid_t)-1 && uid != geteuid()) want = 1;
  if (gid != (gid_t)-1 && gid != getegid()) want = 1;
  if (!want || (uid == (uid_t)-1 && gid == (gid_t)-1)) return 0;
  return chown(path, uid, gid);
}

static int make_one(const char *path, uid_t uid, gid_t gid)
{
  if (mkdir(path, 0750) == -1) {
    struct stat st;
    if (errno != EEXIST) return -1;
    if (stat(path, &st) == -1) return -1;
    if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return -1; }
    return 0;
  }
  if (fix_owner(path, uid, gid) == -1) return -1;
  return 0;
}

int maildir_make(const char *dir, uid_t uid, gid_t gid)
{
  static const char *subs[] = { "/tmp", "/new", "/cur" };
  stralloc p = {0};
  size_t i;
  int r = 1;

  if (make_one(dir, uid, gid) == -1) return -1;
  for (i = 0; i < 3; ++i) {
    if (!stralloc_copys(&p, dir) || !stralloc_cats(&p, subs[i]) || !sa_cstr(&p)) { r = -1; break; }
    if (make_one(p.s, uid, gid) == -1) { r = -1; break; }
  }
  stralloc_free(&p);
  return r;
}

int maildir_uniq(stralloc *out)
{
  struct timeval tv;
  char host[256];
  size_t i;

  gettimeofday(&tv, 0);
  if (gethostname(host, sizeof host) == -1) host[0] = '\0';
  host[sizeof host - 1] = '\0';
  if (!host[0]) memcpy(host, "localhost", sizeof "localhost");
  ++deliveries;
  if (!sa_catulong(out, (unsigned long)tv.tv_sec)) return 0;
  if (!stralloc_cats(out, ".M") || !sa_catulong(out, (unsigned long)tv.tv_usec)) return 0;
  if (!stralloc_cats(out, "P") || !sa_catulong(out, (unsigned long)getpid())) return 0;
  if (!stralloc_cats(out, "Q") || !sa_catulong(out, deliveries)) return 0;
  if (!stralloc_cats(out, ".")) return 0;
  for (i = 0; host[i]; ++i) {
    if (host[i] == '/') { if (!stralloc_cats(out, "\\057")) return 0; }
    else if (host[i] == ':') { if (!stralloc_cats(out, "\\072")) return 0; }
    else if (!stralloc_append(out, host + i)) return 0;
  }
  return 1;
}

static void tmp_free(struct maildir_tmp *t)
{
  stralloc_free(&t->dir);
  stralloc_free(&t->name);
  stralloc_free(&t->path);
  t->fd = -1;
}

int maildir_tmp_open(struct maildir_tmp *t, const char *maildir)
{
  int tries;
  size_t dl = strlen(maildir);

  t->fd = -1;
  while (dl > 1 && maildir[dl - 1] == '/') --dl;
  if (!stralloc_copyb(&t->dir, maildir, dl) || !sa_cstr(&t->dir)) goto nomem;
  for (tries = 0; tries < 5; ++tries) {
    t->name.len = 0;
    if (!maildir_uniq(&t->name) || !sa_cstr(&t->name)) goto nomem;
    if (!stralloc_copy(&t->path, &t->dir) || !stralloc_cats(&t->path, "/tmp/")
        || !stralloc_cat(&t->path, &t->name) || !sa_cstr(&t->path)) goto nomem;
    t->fd = open(t->path.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (t->fd != -1) return 1;
    if (errno != EEXIST) break;
  }
  {
    int e = errno;
    tmp_free(t);
    errno = e;
  }
  return -1;
nomem:
  tmp_free(t);
  errno = ENOMEM;
  return -1;
}

static int fsync_path(const char *path)
{
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int r;
  if (fd == -1) return -1;
  r = fsync(fd);
  if (r == -1 && errno == EINVAL) r = 0;   /* file systems without dir fsync */
  close(fd);
  return r;
}

void maildir_vsize_feed(struct maildir_vsize *v, const char *s, size_t n)
{
  const char *p = s, *end = s + n, *nl;
  if (!n) return;
  while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
    char prev = nl > s ? nl[-1] : v->last;   /* last is 0 before any byte */
    if (prev != '\r') ++v->bare;
    p = nl + 1;
  }
  v->bytes += n;
  v->last = s[n - 1];
}

long long maildir_vsize_get(const struct maildir_vsize *v)
{
  if (v->bytes && v->last != '\n') return -1;
  return (long long)(v->bytes + v->bare);
}

int maildir_tmp_commit(struct maildir_tmp *t, unsigned long size, stralloc *newpath)
{
  return maildir_tmp_commit_w(t, size, -1, newpath);
}

int maildir_tmp_commit_w(struct maildir_tmp *t, unsigned long size, long long vsize,
                         stralloc *newpath)
{
  stralloc np = {0}, dp = {0};
  int e;

  if (t->fd == -1 || !t->path.len) { errno = EBADF; maildir_tmp_abort(t); return -1; }
  if (fsync(t->fd) == -1) goto fail;
  if (close(t->fd) == -1) { t->fd = -1; goto fail; }
  t->fd = -1;
  if (!stralloc_copy(&np, &t->dir) || !stralloc_cats(&np, "/new/")
      || !stralloc_cat(&np, &t->name) || !stralloc_cats(&np, ",S=")
      || !sa_catulong(&np, size)
      || (vsize >= 0 && (!stralloc_cats(&np, ",W=") || !sa_catulong(&np, (unsigned long)vsize)))
      || !sa_cstr(&np)) { errno = ENOMEM; goto fail; }
  if (link(t->path.s, np.s) == -1) {
    if (errno == EEXIST) goto fail;
    /* No hard links here (some network and FAT file systems): rename. */
    if (rename(t->path.s, np.s) == -1) goto fail;
  } else if (unlink(t->path.s) == -1) {
    e = errno;
    unlink(np.s);
    errno = e;
    goto fail;
  }
  if (!stralloc_copy(&dp, &t->dir) || !stralloc_cats(&dp, "/new") || !sa_cstr(&dp)) {
    errno = ENOMEM;
    goto unpublish;
  }
  if (fsync_path(dp.s) == -1) goto unpublish;
  /* tmp/ is not fsynced: the unlink of the temporary name need not be
   * durable (a leftover after a crash is an ordinary stale tmp file). */
  if (newpath && (!stralloc_copy(newpath, &np) || !sa_cstr(newpath))) {
    /* Delivered, but the caller cannot learn where: still success. */
    if (newpath) newpath->len = 0;
  }
  stralloc_free(&np);
  stralloc_free(&dp);
  tmp_free(t);
  return 1;
unpublish:
  e = errno;
  unlink(np.s);
  errno = e;
fail:
  e = errno;
  stralloc_free(&np);
  stralloc_free(&dp);
  maildir_tmp_abort(t);
  errno = e;
  return -1;
}

void maildir_tmp_abort(struct maildir_tmp *t)
{
  int e = errno;
  /* Only a struct that maildir_tmp_open filled owns fd and path (a
   * zero-initialised one has fd 0, which is not ours to close). */
  if (t->path.s && t->path.len) {
    if (t->fd != -1) close(t->fd);
    unlink(t->path.s);
  }
  tmp_free(t);
  errno = e;
}

int maildir_flags(const char *name, size_t len, const char **flags, size_t *flen)
{
  size_t i;
  for (i = 0; i + 2 < len; ++i)
    if (name[i] == ':') {
      if (name[i + 1] == '2' && name[i + 2] == ',') {
        *flags = name + i + 3;
        *flen = len - i - 3;
        return 1;
      }
      break;
    }
  *flags = name + len;
  *flen = 0;
  return 0;
}

int maildir_has_flag(const char *name, size_t len, char flag)
{
  const char *f;
  size_t fl;
  if (!maildir_flags(name, len, &f, &fl)) return 0;
  return memchr(f, flag, fl) != 0;
}

int maildir_set_flags(stralloc *newname, const char *name, size_t len,
                      const char *flags, size_t flen)
{
  unsigned char seen[128];
  size_t base = maildir_uidl(name, len);
  int c;

  memset(seen, 0, sizeof seen);
  for (; flen; --flen, ++flags) {
    c = (unsigned char)*flags;
    if (c > 0x20 && c < 0x7f && c != ':' && c != '/') seen[c] = 1;
  }
  if (!stralloc_copyb(newname, name, base) || !stralloc_cats(newname, ":2,")) return 0;
  for (c = 0x21; c < 0x7f; ++c)
    if (seen[c]) {
      char ch = (char)c;
      if (!stralloc_append(newname, &ch)) return 0;
    }
  return sa_cstr(newname);
}

size_t maildir_uidl(const char *name, size_t len)
{
  const char *c = memchr(name, ':', len);
  return c ? (size_t)(c - name) : len;
}
