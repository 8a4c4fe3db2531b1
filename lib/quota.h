/* lib/quota.h — vpopmail quota strings and the Maildir++ maildirsize
 * file (prefix quota_).
 *
 * Quota strings are stored in vpasswd field 7: "NOQUOTA", "" (no limit),
 * "<bytes>S", "<count>C" or "<bytes>S,<count>C". maildirsize lives in the
 * Maildir: line 1 the quota spec, then "<bytes> <count>" deltas (may be
 * negative) whose sum is the usage. It is thrown away and recomputed when
 * it is >= 5120 bytes or its mtime is older than 15 minutes.
 *
 * "maildir" arguments name the Maildir itself (".../user/Maildir"); when
 * it holds a "maildirfolder" file (a Maildir++ subfolder) its parent is
 * used. uid/gid (uid_t)-1 / (gid_t)-1 mean "do not chown". */
#ifndef QV_QUOTA_H
#define QV_QUOTA_H
#include <stddef.h>
#include <sys/types.h>
#include "stralloc.h"

/* vpopmail's format_maildirquota: "NOQUOTA" stays; parts split on ',';
 * a part ending in 'C' is a message count; otherwise an optional trailing
 * S/s then B/b is dropped, the leading integer is taken (so 1.5M is 1M)
 * and a trailing M/m multiplies by 1048576, K/k by 1024. Output
 * "<b>S", "<c>C", "<b>S,<c>C", or "" when both are zero.
 * 50M -> 52428800S, 10MB -> 10485760S, 1000KB -> 1024000S,
 * 1000C,10MBS -> 10485760S,1000C.
 * out is replaced and NUL-terminated. Returns 1, 0 when the input is not
 * a quota (no leading digits in a part, empty, a NUL byte, overflow;
 * errno EINVAL), -1 on ENOMEM. Callers must test == 1. */
int quota_normalize(stralloc *out, const char *in, size_t len);

/* Parses a stored spec. *bytes / *count get the limits, 0 meaning "no
 * limit on that dimension"; "NOQUOTA" and "" give 0/0. Also accepts what
 * Maildir++ writers produce ("0S", "100S,5C", "5C", parts in any order).
 * Returns 1, or 0 when malformed (errno EINVAL; *bytes = *count = 0). */
int quota_parse(const char *spec, size_t len,
                unsigned long long *bytes, unsigned long long *count);

/* 1 when the spec sets any limit (quota_parse ok and not 0/0), else 0. */
int quota_has_limit(const char *spec, size_t len);

/* Current usage of maildir. Reads maildirsize; when it is missing,
 * unparsable, >= 5120 bytes or older than 15 minutes, recomputes usage
 * by walking new/ and cur/ of the Maildir and of every ".name" subfolder
 * except .Trash (skipping dot files and messages flagged T; size from
 * ",S=<n>" in the name, else stat) and rewrites maildirsize (built in
 * Maildir/tmp, renamed into place, chowned uid/gid) with first line spec,
 * or the old first line when spec is NULL (a file whose first line sets
 * the same limits as spec, spelt differently, is kept). With spec NULL
 * and no old file nothing is written. A negative sum reads as 0.
 * Returns 1, or -1 with errno (an I/O error is never "empty"). */
int quota_mds_read(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                   unsigned long long *bytes, unsigned long long *count);

/* Appends one delta line "<bytes> <count>\n" to an existing maildirsize
 * (O_APPEND, one write). 1 appended, 0 no maildirsize (nothing done),
 * -1 with errno. */
int quota_mds_add(const char *maildir, long long bytes, long long count);

/* After a quota change: removes maildirsize and, unless spec is
 * "NOQUOTA" or "" (or 0/0), recreates it with spec and the current usage
 * (owned uid/gid). 1, or -1 with errno (0 if spec does not parse, EINVAL). */
int quota_mds_set(const char *maildir, const char *spec, uid_t uid, gid_t gid);

/* Would a message of msgsize bytes put maildir over spec? *over = 1 when
 * usage + msgsize > byte limit or count + 1 > count limit, else 0. With
 * no limit *over = 0 and nothing is read. spec NULL: the first line of
 * maildirsize (vdelivermail's fallback; no file = no limit). Returns 1,
 * or -1 with errno (*over is then 1, never "under quota" on error; an
 * unparsable spec is EINVAL). */
int quota_check(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                unsigned long long msgsize, int *over);

/* vuserinfo's usage percentage: max(bytes %, count %) of the limits,
 * rounded down (may exceed 100); 0 with no limit. spec as quota_check.
 * 1 or -1 errno. */
int quota_percent(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                  int *percent);

#endif
