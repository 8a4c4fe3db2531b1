/* lib/atomicfile.c — lock + temporary + fsync + rename (see atomicfile.h).
 *
 * Invariant: F is replaced only by a fully written and fsynced file, and
 * only while the lock is held; on any failure F is left as it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomicfile.h"
#include "fmt.h"
#include "sa.h"

static void af_reset(struct atomicfile *af)
{
  stralloc_free(&af->path);
  stralloc_free(&af->tmp);
  af->lockfd = -1;
  af->fd = -1;
}

int af_begin(struct atomicfile *af, const char *path, const char *lockpath, int mode)
{
  stralloc lock = {0};
  int saved;
  af->path.s = 0; af->path.len = af->path.a = 0;
  af->tmp.s = 0; af->tmp.len = af->tmp.a = 0;
  af->lockfd = af->fd = -1;
  if (lockpath) {
    if (!stralloc_copys(&lock, lockpath)) goto nomem;
  } else if (!stralloc_copys(&lock, path) || !stralloc_cats(&lock, ".lock")) {
    goto nomem;
  }
  if (!sa_cstr(&lock)) goto nomem;
  if (!stralloc_copys(&af->path, path) || !sa_cstr(&af->path)) goto nomem;
  if (!stralloc_copy(&af->tmp, &af->path) || !stralloc_append(&af->tmp, ".")
      || !sa_catulong(&af->tmp, (unsigned long)getpid()) || !sa_cstr(&af->tmp)) goto nomem;
  af->lockfd = open(lock.s, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (af->lockfd < 0) goto fail;
  while (flock(af->lockfd, LOCK_EX) < 0)
    if (errno != EINTR) goto fail;
  unlink(af->tmp.s);
  af->fd = open(af->tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, mode);
  if (af->fd < 0) goto fail;
  fchmod(af->fd, mode); /* the umask must not narrow the mode */
  stralloc_free(&lock);
  return 1;
nomem:
  errno = ENOMEM;
fail:
  saved = errno;
  if (af->lockfd >= 0) close(af->lockfd);
  af_reset(af);
  stralloc_free(&lock);
  errno = saved;
  return -1;
}

int af_write(struct atomicfile *af, const char *buf, size_t len)
{
  while (len) {
    ssize_t w = write(af->fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    len -= (size_t)w;
  }
  return 1;
}

int af_chown(struct atomicfile *af, uid_t uid, gid_t gid)
{
  return fchown(af->fd, uid, gid) == 0 ? 1 : -1;
}

int af_fsync_dir(const char *path)
{
  stralloc dir = {0};
  size_t slash;
  int fd, r;
  if (!stralloc_copys(&dir, path)) { errno = ENOMEM; return -1; }
  slash = dir.len;
  while (slash > 0 && dir.s[slash - 1] != '/') --slash;
  if (slash == 0) { if (!stralloc_copys(&dir, ".")) { errno = ENOMEM; return -1; } }
  else dir.len = slash;
  if (!sa_cstr(&dir)) { stralloc_free(&dir); errno = ENOMEM; return -1; }
  fd = open(dir.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  stralloc_free(&dir);
  if (fd < 0) return -1;
  r = fsync(fd);
  if (r < 0 && (errno == EINVAL || errno == EROFS)) r = 0; /* not syncable */
  close(fd);
  return r == 0 ? 1 : -1;
}

int af_commit(struct atomicfile *af)
{
  int saved;
  if (fsync(af->fd) < 0) goto fail;
  if (close(af->fd) < 0) { af->fd = -1; goto fail; }
  af->fd = -1;
  if (rename(af->tmp.s, af->path.s) < 0) goto fail;
  if (af_fsync_dir(af->path.s) < 0) { saved = errno; close(af->lockfd); af_reset(af); errno = saved; return -1; }
  close(af->lockfd);
  af_reset(af);
  return 1;
fail:
  saved = errno;
  af_abort(af);
  errno = saved;
  return -1;
}

void af_abort(struct atomicfile *af)
{
  int saved = errno;
  if (af->fd >= 0) close(af->fd);
  if (af->tmp.s) unlink(af->tmp.s);
  if (af->lockfd >= 0) close(af->lockfd);
  af_reset(af);
  errno = saved;
}

int af_readfile(stralloc *out, const char *path)
{
  char buf[8192];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  out->len = 0;
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      { int saved = errno; close(fd); errno = saved; }
      return -1;
    }
    if (r == 0) break;
    if (!stralloc_catb(out, buf, (size_t)r)) { close(fd); errno = ENOMEM; return -1; }
  }
  close(fd);
  return 1;
}
