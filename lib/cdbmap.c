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

int cdbmap_lookup(const char *path, const char *key, size_t klen, stralloc *value, int missing_ok)
{
  struct cdbmap m;
  int r = cdbmap_open_store(&m, path, missing_ok);
  if (r <= 0) return r;
  r = cdbmap_find(&m, key, klen, value);
  { int saved = errno; cdbmap_close(&m); errno = saved; }
  return r;
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

/* libowfat's cdb_make_finish frees the hash table but not the list of
 * hash/position blocks; free them so a long-lived writer does not leak. */
static void free_hplist(struct cdb_make *cm)
{
  struct cdb_hplist *x = cm->head;
  while (x) {
    struct cdb_hplist *next = x->next;
    free(x);
    x = next;
  }
  cm->head = 0;
}

int cdbmap_write_commit(struct cdbmap_writer *w)
{
  int saved;
  int r = cdb_make_finish(&w->cm);
  free_hplist(&w->cm);
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
    free_hplist(&w->cm);
    close(w->fd);
  }
  if (w->tmp.s) unlink(w->tmp.s);
  w->fd = -1;
  stralloc_free(&w->path);
  stralloc_free(&w->tmp);
  errno = saved;
}
