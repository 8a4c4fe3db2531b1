/* lib/control.h — qmail control files under QMAILDIR/control.
 *
 * Semantics as qmail's control.c: a missing file means "use the
 * default"; trailing spaces, tabs and CR are removed from each line;
 * ctl_readlist drops empty lines and lines starting with '#'.
 * CTL_ME as a default stands for the first line of control/me (qmail's
 * "me-derived" defaults: helohost, smtpgreeting, localiphost, ...).
 *
 * Return values: 1 the file was read, 0 it does not exist (the default
 * was used), -1 error with errno set (a file that exists but cannot be
 * read is an error, never a silent default). */
#ifndef QV_CONTROL_H
#define QV_CONTROL_H
#include "stralloc.h"

extern const char CTL_ME[];

/* out = QMAILDIR/control/name, NUL-terminated. 1, or 0 on ENOMEM. */
int ctl_path(stralloc *out, const char *name);

/* First line of the file, trailing blanks removed, not NUL-terminated.
 * Missing file: out = def (CTL_ME: the first line of control/me; if me
 * is missing too, 0 is returned with out empty); def NULL: out empty. */
int ctl_readline(stralloc *out, const char *name, const char *def);

/* First line as an unsigned decimal number (the whole line must be
 * digits, else -1 with errno EINVAL). Missing file: *out = def. */
int ctl_readint(unsigned long *out, const char *name, unsigned long def);

/* Every non-empty, non-comment line, trailing blanks removed, each
 * followed by '\0' in out. Missing file: out empty (CTL_ME as def: the
 * me line alone). */
int ctl_readlist(stralloc *out, const char *name, const char *def);

/* Same parsers on a buffer already in memory (for tests and fuzzing):
 * the file text is (buf, len). 1, or 0 on ENOMEM. */
int ctl_parse_line(stralloc *out, const char *buf, size_t len);
int ctl_parse_list(stralloc *out, const char *buf, size_t len);

/* A boolean knob: 1 when the file exists and its first line is a
 * non-zero number or "yes"/"on"/"true", else 0; def when missing.
 * -1 on a read error. */
int ctl_readflag(int *out, const char *name, int def);

#endif
