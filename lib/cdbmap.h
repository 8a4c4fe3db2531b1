/* lib/cdbmap.h — reading and writing D. J. Bernstein's cdb files.
 *
 * A thin layer over libowfat's cdb/cdb_make (the format tcprules,
 * qmail-newu and vpopmail write). Writers build PATH.tmp (or a given
 * temporary name), fsync it and rename it over PATH. */
#ifndef QV_CDBMAP_H
#define QV_CDBMAP_H
#include "stralloc.h"
#include "cdb.h"
#include "cdb_make.h"

struct cdbmap {
  struct cdb c;
  int fd;          /* -1 when closed */
};

/* Opens path for lookups. 1, 0 if it does not exist, -1 with errno. */
int cdbmap_open(struct cdbmap *m, const char *path);

/* First value of key into value (replaced). 1 found, 0 not found,
 * -1 with errno (read error or a corrupt file). */
int cdbmap_find(struct cdbmap *m, const char *key, size_t klen, stralloc *value);

/* Next value of the same key after cdbmap_find (multi-valued keys, as
 * tcprules never writes but qmail-newu can). 1, 0 no more, -1. */
int cdbmap_findnext(struct cdbmap *m, const char *key, size_t klen, stralloc *value);

void cdbmap_close(struct cdbmap *m);

/* cdbmap_open for a store that must exist: 1 open, 0 missing and
 * missing_ok, -1 with errno (ENOENT when missing and !missing_ok). */
int cdbmap_open_store(struct cdbmap *m, const char *path, int missing_ok);

/* Open + find in one call. 1, 0 (no such key, or no such file
 * when missing_ok), -1 with errno (no such file when !missing_ok is
 * ENOENT: a store that cannot be read is never "not found"). The last
 * few files stay open and mapped (close-on-exec) for the next lookup;
 * each lookup stats the path first and reopens a file that was replaced,
 * rewritten or removed, so answers always come from the current file. */
int cdbmap_lookup(const char *path, const char *key, size_t klen, stralloc *value, int missing_ok);

struct cdbmap_writer {
  struct cdb_make cm;
  stralloc path;   /* NUL-terminated */
  stralloc tmp;    /* NUL-terminated */
  int fd;
};

/* Starts PATH's replacement (tmppath NULL: PATH ".tmp"), mode 0644 unless
 * changed with fchmod on w->fd. 1 or -1 with errno. */
int cdbmap_write_begin(struct cdbmap_writer *w, const char *path, const char *tmppath);
int cdbmap_write_add(struct cdbmap_writer *w, const char *key, size_t klen, const char *val, size_t vlen);
/* Finishes, fsyncs, renames. 1 or -1 with errno (temporary removed). */
int cdbmap_write_commit(struct cdbmap_writer *w);
void cdbmap_write_abort(struct cdbmap_writer *w);
/* Frees cdb_make's in-memory tables (commit and abort do it): for a
 * caller that runs cdb_make_finish itself. Safe to call twice. */
void cdbmap_write_free(struct cdbmap_writer *w);

#endif
