/* lib/cdbmap.c — cdb lookups and atomic cdb rebuilds (see cdbmap.h).
 *
 * SECURITY: a cdb file may be corrupt or truncated; libowfat's reader
 * bounds every read by the file size and reports an error, which is
 * passed up as -1 (never as "not found"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomicfile.h"
#include "cdbmap.h"
#include "sa.h"

int cdbmap_open(struct cdbmap *m, const char *path)
{
  m->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (m->fd < 0) return errno == ENOENT ? 0 : -1;
  /* cdb_init starts with cdb_free, which munmaps c->map: on an
   * uninitialised struct that is a random munmap (it unmapped the stack
   * now and then). */
  memset(&m->c, 0, sizeof m->c);
  cdb_init(&m->c, m->fd);
  return 1;
}

static int fetch_value(struct cdbmap *m, int found, stralloc *value)
{
  uint32 len;
  if (found < 0) { if (!errno) errno = EIO; return -1; }
  if (found == 0) return 0;
  len = cdb_datalen(&m->c);
  if (!stralloc_ready(value, len + 1)) { errno = ENOMEM; return -1; }
  if (cdb_read(&m->c, (unsigned char *)value->s, len, cdb_datapos(&m->c)) < 0) {
    if (!errno) errno = EIO;
    return -1;
  }
  value->len = len;
  value->s[len] = '\0';
  return 1;
}

int cdbmap_find(struct cdbmap *m, const char *key, size_t klen, stralloc *value)
{
  errno = 0;
  cdb_findstart(&m->c);
  return fetch_value(m, cdb_findnext(&m->c, (const unsigned char *)key, klen), value);
}

int cdbmap_findnext(struct cdbmap *m, const char *key, size_t klen, stralloc *value)
{
  errno = 0;
  return fetch_value(m, cdb_findnext(&m->c, (const unsigned char *)key, klen), value);
}

void cdbmap_close(struct cdbmap *m)
{
  if (m->fd >= 0) {
    cdb_free(&m->c);
    close(m->fd);
  }
  m->fd = -1;
}

int cdbmap_open_store(struct cdbmap *m, const char *path, int missing_ok)
{
  int r = cdbmap_open(m, path);
  if (r == 0 && !missing_ok) {
    errno = ENOENT;
    return -1;
  }
  return r;
}

/* cdbmap_lookup keeps the last few files open and mapped: qmail-queue
 * and qmail-rcptcheck look users/cdb and vpasswd.cdb up several times
 * per message or recipient, and open + fstat + mmap + munmap + close
 * each time was most of their file-system calls. Before a cached map is
 * used, a stat of the path must show the same file (device, inode, size,
 * mtime, ctime): a cdb rebuilt and renamed into place, rewritten or
 * truncated in place is opened afresh, so a long-lived process never
 * answers from a replaced file. The descriptors are close-on-exec. */
#define CACHE_N 4
static struct cached {
  stralloc path;      /* NUL-terminated; len 0 = a free slot */
  struct cdbmap m;
  struct stat st;
  unsigned long used;
} cache[CACHE_N];
static unsigned long cache_clock;

static int same_file(const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size
      && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec
      && a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void cache_drop(struct cached *e)
{
  cdbmap_close(&e->m);
  e->path.len = 0;
}

/* The open map for path (1), 0 when it does not exist, -1 with errno. */
static int cache_get(const char *path, struct cdbmap **mp)
{
  struct cached *e = 0, *lru = &cache[0];
  struct stat st;
  size_t plen = strlen(path), i;
  int r;

  for (i = 0; i < CACHE_N; ++i) {
    struct cached *c = &cache[i];
    if (plen && c->path.len == plen && !memcmp(c->path.s, path, plen)) e = c;
    if (c->used < lru->used) lru = c;
  }
  if (stat(path, &st) == -1) {
    int saved = errno;
    if (e) cache_drop(e);
    errno = saved;
    return errno == ENOENT ? 0 : -1;
  }
  if (e && same_file(&e->st, &st)) {
    e->used = ++cache_clock;
    *mp = &e->m;
    return 1;
  }
  if (!e) e = lru;
  if (e->path.len) cache_drop(e);
  if (!stralloc_copyb(&e->path, path, plen) || !sa_cstr(&e->path)) {
    e->path.len = 0;
    errno = ENOMEM;
    return -1;
  }
  r = cdbmap_open(&e->m, path);
  if (r <= 0) { e->path.len = 0; e->m.fd = -1; return r; }
  if (fstat(e->m.fd, &e->st) == -1) {
    int saved = errno;
    cache_drop(e);
    errno = saved;
    return -1;
  }
  e->used = ++cache_clock;
  *mp = &e->m;
  return 1;
}

int cdbmap_lookup(const char *path, const char *key, size_t klen, stralloc *value, int missing_ok)
{
  struct cdbmap *m;
  int r = cache_get(path, &m);
  if (r == 0 && !missing_ok) { errno = ENOENT; return -1; }
  if (r <= 0) return r;
  return cdbmap_find(m, key, klen, value);
}

int cdbmap_write_begin(struct cdbmap_writer *w, const char *path, const char *tmppath)
{
  w->path.s = w->tmp.s = 0;
  w->path.len = w->path.a = w->tmp.len = w->tmp.a = 0;
  w->fd = -1;
  if (!stralloc_copys(&w->path, path) || !sa_cstr(&w->path)) goto nomem;
  if (tmppath) {
    if (!stralloc_copys(&w->tmp, tmppath)) goto nomem;
  } else if (!stralloc_copy(&w->tmp, &w->path) || !stralloc_cats(&w->tmp, ".tmp")) {
    goto nomem;
  }
  if (!sa_cstr(&w->tmp)) goto nomem;
  w->fd = open(w->tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (w->fd < 0) goto fail;
  fchmod(w->fd, 0644);
  if (cdb_make_start(&w->cm, w->fd) < 0) goto fail;
  return 1;
nomem:
  errno = ENOMEM;
fail:
  cdbmap_write_abort(w);
  return -1;
}

int cdbmap_write_add(struct cdbmap_writer *w, const char *key, size_t klen, const char *val, size_t vlen)
{
  if (cdb_make_add(&w->cm, (const unsigned char *)key, klen, (const unsigned char *)val, vlen) < 0) {
    if (!errno) errno = EIO;
    return -1;
  }
  return 1;
}

/* libowfat's cdb_make (like djb's) frees neither its list of
 * hash/position blocks nor the hash table cdb_make_finish allocates
 * (LeakSanitizer reported both); free them so no writer leaks. */
void cdbmap_write_free(struct cdbmap_writer *w)
{
  struct cdb_hplist *x = w->cm.head;
  while (x) {
    struct cdb_hplist *next = x->next;
    free(x);
    x = next;
  }
  w->cm.head = 0;
  free(w->cm.split);
  w->cm.split = w->cm.hash = 0;
}

int cdbmap_write_commit(struct cdbmap_writer *w)
{
  int saved;
  int r = cdb_make_finish(&w->cm);
  cdbmap_write_free(w);
  if (r < 0) goto fail;
  if (fsync(w->fd) < 0) goto fail;
  if (close(w->fd) < 0) { w->fd = -1; goto fail; }
  w->fd = -1;
  if (rename(w->tmp.s, w->path.s) < 0) goto fail;
  af_fsync_dir(w->path.s);
  stralloc_free(&w->path);
  stralloc_free(&w->tmp);
  return 1;
fail:
  saved = errno;
  cdbmap_write_abort(w);
  errno = saved;
  return -1;
}

void cdbmap_write_abort(struct cdbmap_writer *w)
{
  int saved = errno;
  if (w->fd >= 0) {
    cdbmap_write_free(w);
    close(w->fd);
  }
  if (w->tmp.s) unlink(w->tmp.s);
  w->fd = -1;
  stralloc_free(&w->path);
  stralloc_free(&w->tmp);
  errno = saved;
}
