/* lib/maildir.h — Maildir primitives (prefix maildir_).
 *
 * Delivery follows the Maildir protocol: create tmp/<unique> with O_EXCL
 * (0600), write, fsync, link it to new/<unique>,S=<size> (rename when the
 * file system cannot link), fsync new/, unlink the tmp name, fsync tmp/.
 * A reader of new/ therefore never sees a partial message.
 *
 * Unique names are qmail 1.03's modern form
 *   <sec>.M<usec>P<pid>Q<n>.<host>
 * (n counts deliveries within this process, so one process delivering
 * twice in the same microsecond still gets two names; '/' and ':' in the
 * host name are written as \057 and \072 as the Maildir spec asks).
 * vdelivermail used <sec>.<pid>.<host>, which collides within a second;
 * readers treat the name as opaque, so the longer form is compatible.
 *
 * Info part: "<unique>[,S=<size>[,W=<crlfsize>]]:2,<FLAGS>" with FLAGS sorted ASCII and
 * unique (D draft, F flagged, P passed, R replied, S seen, T trashed). */
#ifndef QV_MAILDIR_H
#define QV_MAILDIR_H
#include <stddef.h>
#include <sys/types.h>
#include "stralloc.h"

/* Creates dir and dir/cur, dir/new, dir/tmp with mode 0750 (existing
 * directories are fine) and, when running as root or when uid/gid
 * differ from the process's own ids, chowns each created directory.
 * uid (uid_t)-1 / gid (gid_t)-1 leave that id alone. 1, or -1 errno. */
int maildir_make(const char *dir, uid_t uid, gid_t gid);

/* Appends a fresh unique base name (see above) to out. 1 or 0 (ENOMEM). */
int maildir_uniq(stralloc *out);

struct maildir_tmp {
  int fd;          /* open for writing after maildir_tmp_open, else -1 */
  stralloc dir;    /* the Maildir, NUL-terminated, no trailing '/' */
  stralloc name;   /* the unique base name, NUL-terminated */
  stralloc path;   /* dir/tmp/name, NUL-terminated */
};

/* Creates a new message file in maildir/tmp (O_EXCL, 0600; a name
 * collision retries with a new name a few times). Initialise t to all
 * zero first (or reuse after commit/abort). 1, or -1 with errno. */
int maildir_tmp_open(struct maildir_tmp *t, const char *maildir);

/* Finishes a message whose t->fd has size bytes written: fsync, close,
 * link into new/<name>,S=<size>, fsync new/, unlink tmp, fsync tmp/.
 * newpath (may be NULL) receives the full path in new/, NUL-terminated.
 * 1, or -1 with errno (the tmp file is removed; nothing is in new/;
 * EDQUOT/ENOSPC from fsync are passed through). Frees t's memory. */
int maildir_tmp_commit(struct maildir_tmp *t, unsigned long size, stralloc *newpath);

/* ",W=<n>": the message's size with every line ending in CRLF (Dovecot's
 * "virtual size"; POP3 LIST/STAT and IMAP RFC822.SIZE without reading the
 * file). Feed the message's bytes in order to a zeroed struct. */
struct maildir_vsize {
  unsigned long long bytes;   /* bytes fed */
  unsigned long long bare;    /* LFs not preceded by CR */
  char last;                  /* the last byte fed */
};
void maildir_vsize_feed(struct maildir_vsize *v, const char *s, size_t n);

/* The W value: bytes + bare LFs; -1 when the message is not empty and
 * does not end in LF (readers would disagree on its last line; no W). */
long long maildir_vsize_get(const struct maildir_vsize *v);

/* maildir_tmp_commit with ",S=<size>,W=<vsize>" in the name (",S="
 * alone when vsize < 0). */
int maildir_tmp_commit_w(struct maildir_tmp *t, unsigned long size, long long vsize,
                         stralloc *newpath);

/* Closes and unlinks the tmp file and frees t's memory. Safe to call
 * on a zero-initialised struct, after a failed open or commit, and more
 * than once (it only closes a descriptor maildir_tmp_open returned). */
void maildir_tmp_abort(struct maildir_tmp *t);

/* The flags of a file name (name, len) with an info part ":2,FLAGS":
 * *flags and *flen point into name. Returns 1 when the name carries ":2,",
 * 0 otherwise (*flags = name + len, *flen = 0). */
int maildir_flags(const char *name, size_t len, const char **flags, size_t *flen);

/* 1 when flag (e.g. 'S') is among the flags of name, else 0. */
int maildir_has_flag(const char *name, size_t len, char flag);

/* newname = the part of name before ':' + ":2," + flags sorted and made
 * unique (only bytes 0x21..0x7e other than ':' and '/' are kept).
 * newname is replaced and NUL-terminated. 1 or 0 (ENOMEM). */
int maildir_set_flags(stralloc *newname, const char *name, size_t len,
                      const char *flags, size_t flen);

/* Length of the part of name before the first ':' (qmail-pop3d's UIDL
 * is this prefix; the ",S=" size stays part of it). */
size_t maildir_uidl(const char *name, size_t len);

#endif
