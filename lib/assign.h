/* lib/assign.h — qmail's users/assign and users/cdb as vpopmail keeps them.
 *
 * A vpopmail domain is one assign line
 *   +<domain>-:<real>:<uid>:<gid>:<realdir>:-::
 * (an alias domain names its real domain and the real domain's dir).
 * Lookups read only the compiled QMAILDIR/users/cdb (qmail-newu's
 * format: key "!<domain>-", value "real\0uid\0gid\0dir\0-\0"), as
 * vpopmail and qmail-lspawn do; assign is only read to rewrite it.
 *
 * The sorted-line machinery is shared with qmailctl (rcpthosts,
 * morercpthosts, virtualdomains): vpopmail keeps those files sorted by a
 * key derived from the domain, the last two labels first
 * (mail.example.com -> example.com.mail). */
#ifndef QV_ASSIGN_H
#define QV_ASSIGN_H
#include <stddef.h>
#include "stralloc.h"

struct vdomain {
  stralloc name;        /* the domain looked up, lower-case, NUL-terminated */
  stralloc real;        /* the real domain (== name unless an alias) */
  unsigned long uid, gid;
  stralloc dir;         /* the real domain's directory, NUL-terminated */
  int is_alias;         /* 1 when name != real */
};

/* Frees the strings of d (d may be zero-initialised or already freed). */
void assign_free(struct vdomain *d);

/* Looks (domain, len) up (case-insensitively) in QMAILDIR/users/cdb.
 * 1 found (d filled), 0 not found, -1 with errno: ENOENT when users/cdb
 * does not exist, EACCES when it cannot be read, EINVAL for a record
 * that is not in vpopmail's shape (fewer than 4 fields, bad uid/gid).
 * Callers that add domains may treat ENOENT as "no domains yet"; an
 * authenticating caller must treat every -1 as a temporary failure. */
int assign_lookup(struct vdomain *d, const char *domain, size_t len);

/* --- sorted line files (shared with qmailctl) --- */

/* File types for the sort key, as vpopmail's extract_domain. */
#define ASSIGN_FT_PLAIN 0   /* key from the text before the first ':' */
#define ASSIGN_FT_ASSIGN 1  /* "+dom-:..." : skip '+', drop the last char
                               before ':'; the file ends with a "." line */

/* key = vpopmail's sort key of a line: the domain part split on '.'
 * (empty labels dropped, at most 10 labels), the last two labels first,
 * then the others in order, joined with '.'. Not NUL-terminated.
 * 1, or 0 on ENOMEM. */
int assign_sortkey(stralloc *key, const char *line, size_t len, int ftype);

/* Pure sorted insert: out = the lines of (text, tlen) with (line, llen)
 * inserted before the first line whose key is greater (else at the end);
 * for ASSIGN_FT_ASSIGN the "." line is dropped and re-added last. When
 * the existing lines were out of order *resorted is set to 1 and out is
 * fully re-sorted by key (stable), else 0. Every line in out ends with
 * '\n'. 1, or 0 on ENOMEM. */
int assign_lines_insert(stralloc *out, const char *text, size_t tlen,
                        const char *line, size_t llen, int ftype, int *resorted);

/* Pure removal: out = (text, tlen) without the lines equal to (line,
 * llen) (prefix != 0: lines starting with it). Returns the number of
 * lines removed, or -1 on ENOMEM. Lines in out end with '\n'. */
long assign_lines_remove(stralloc *out, const char *text, size_t tlen,
                         const char *line, size_t llen, int prefix);

/* Rewrites file path with line inserted (assign_lines_insert) under the
 * atomicfile.h protocol, mode 0644. Lines with the same key are replaced
 * first (the key: the text up to and including the first ':' when line
 * has one, e.g. "+dom-:" or "dom:", else the whole line), so adding an
 * entry twice leaves one line. A missing file is created (for
 * ASSIGN_FT_ASSIGN as "line\n.\n"). On a re-sort prints vpopmail's
 * "NOTICE: Out of order entries found in <path>\n   Sorting...\n\n" on
 * stderr. 0, or -1 with errno. */
int assign_file_insert(const char *path, const char *line, size_t llen, int ftype);

/* Rewrites path without the matching lines (assign_lines_remove), mode
 * 0644. Returns the number removed (0: file unchanged, also when it does
 * not exist), or -1 with errno. */
long assign_file_remove(const char *path, const char *line, size_t llen, int prefix);

/* --- users/assign --- */

/* Adds "+<domain>-:<real>:<uid>:<gid>:<dir>:-::" to QMAILDIR/users/assign
 * (sorted, creating the file and users/ when missing), then runs
 * assign_newu. real == domain for a real domain. 0, or -1 with errno. */
int assign_add(const char *domain, const char *real, unsigned long uid,
               unsigned long gid, const char *dir);

/* Removes the "+<domain>-:" line(s) from users/assign, then runs
 * assign_newu. 1 removed, 0 there was none (newu still run), -1 errno. */
int assign_remove(const char *domain);

/* qmail-newu in C: compiles QMAILDIR/users/assign into users/cdb
 * (users/cdb.tmp + rename, 0644). 0, or -1 with errno (EINVAL: a line
 * qmail-newu would refuse; users/cdb is then unchanged). */
int assign_newu(void);

/* The parser behind assign_newu, pure (for tests and fuzzing): calls
 * emit(arg, key, klen, val, vlen) for every record qmail-newu writes, in
 * order, ending with the empty-key wildcard-characters record. Returns 0,
 * -1 with errno EINVAL on a format error (qmail-newu's "unable to parse":
 * a line without ':' or with ':' first, fewer than 7 ':', a NUL byte, a
 * missing final "." line), or emit's -1. */
int assign_newu_parse(const char *text, size_t len,
                      int (*emit)(void *arg, const char *k, size_t kl,
                                  const char *v, size_t vl),
                      void *arg);

/* Parses one assign line (without '\n') in vpopmail's shape into d
 * ("+<domain>-:real:uid:gid:dir:..."). 1 it is a vpopmail domain line
 * (starts with '+', ends its name with '-', name contains '.'), 0 it is
 * some other line, -1 ENOMEM. */
int assign_parse_line(struct vdomain *d, const char *line, size_t len);

/* Calls fn for every vpopmail domain line of users/assign in file order
 * (aliases included; other lines skipped). Stops when fn returns
 * non-zero and returns that value. 0 when all were visited, -1 with errno
 * (ENOENT: no users/assign). */
int assign_list(int (*fn)(const struct vdomain *d, void *arg), void *arg);

#endif
