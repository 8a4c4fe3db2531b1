/* lib/atomicfile.h — vpopmail's rewrite protocol for shared text files.
 *
 * To replace a file F: take an exclusive flock on a lock file (F.lock by
 * default, created 0600), write the new contents to a temporary F.<pid>,
 * fsync it, rename it over F, fsync the directory, release the lock.
 * Readers never see a partial file; two writers serialise on the lock.
 * A read-modify-write holds the lock across the read: call af_begin
 * first, read F, then write. */
#ifndef QV_ATOMICFILE_H
#define QV_ATOMICFILE_H
#include <sys/types.h>
#include "stralloc.h"

struct atomicfile {
  stralloc path;   /* F, NUL-terminated */
  stralloc tmp;    /* F.<pid>, NUL-terminated */
  int lockfd;      /* -1 when not locked */
  int fd;          /* the temporary file, -1 when none */
};

/* Locks and opens the temporary file with the given mode. lockpath NULL
 * means path ".lock". Returns 1, or -1 with errno (nothing left behind). */
int af_begin(struct atomicfile *af, const char *path, const char *lockpath, int mode);

/* Appends to the temporary file. 1, or -1 with errno. */
int af_write(struct atomicfile *af, const char *buf, size_t len);

/* fchown of the temporary file (used when root writes on behalf of the
 * mail-store id). 1 or -1. */
int af_chown(struct atomicfile *af, uid_t uid, gid_t gid);

/* fsync, close, rename over path, fsync the directory, unlock, free.
 * 1, or -1 with errno (the temporary file is removed; F is unchanged). */
int af_commit(struct atomicfile *af);

/* Removes the temporary file, unlocks, frees. Safe after a failed call. */
void af_abort(struct atomicfile *af);

/* Reads a whole file into out (out is replaced). 1, 0 if it does not
 * exist (out empty), -1 with errno. */
int af_readfile(stralloc *out, const char *path);

/* fsync the directory that holds path (or path itself if it is a
 * directory name ending in '/'). 1 or -1. */
int af_fsync_dir(const char *path);

#endif
