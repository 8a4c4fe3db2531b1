/* vdeliver/dotqmail.h — pure helpers for qmail-local's .qmail rules and
 * vdelivermail's header checks (prefix dq_). No I/O; unit-tested and
 * fuzzed.
 *
 * qmail-local's search for the delivery file of an extension EXT in a
 * directory (a vpopmail domain directory for EXT = the local part):
 *   .qmail-EXT, then for every '-' in EXT from the right
 *   .qmail-<EXT up to and including that '-'>default, then .qmail-default;
 * names are lower-cased and '.' is written as ':' (so .qmail-john:doe is
 * john.doe's file). DEFAULT becomes the part of EXT the "default" stood
 * for. */
#ifndef QV_DOTQMAIL_H
#define QV_DOTQMAIL_H
#include <stddef.h>
#include "stralloc.h"

/* Candidate n (0, 1, ...) of the search for (ext, len): name receives
 * the file name (".qmail-...", NUL-terminated), deflt the DEFAULT value
 * (NUL-terminated; empty for n = 0). Returns 1 when candidate n exists,
 * 0 when the list is exhausted, -1 on ENOMEM. */
int dq_candidate(stralloc *name, stralloc *deflt, const char *ext, size_t len, int n);

/* Kinds of .qmail lines. */
#define DQ_SKIP 0   /* empty or a '#' comment */
#define DQ_PROG 1   /* |command: *arg is the command */
#define DQ_FILE 2   /* starts with '/' or '.': *arg is the path */
#define DQ_FWD  3   /* an address, a leading '&' removed: *arg */

/* Classifies one line (no '\n'); trailing blanks and CR are not part of
 * *arg. Returns the kind. */
int dq_line(const char *line, size_t len, const char **arg, size_t *alen);

/* Recognises vpopmail's delivery line "<path/>vdelivermail '' ACTION"
 * (also "vdeliver") in a |command: 1 with action set (quotes removed,
 * NUL-terminated), 0 when the command is something else (including any
 * shell metacharacter, so it must go to /bin/sh), -1 ENOMEM, -2 when it
 * names vdelivermail/vdeliver without exactly two arguments (vpopmail's
 * "invalid syntax in .qmail-default file"). */
int dq_vdm_line(const char *cmd, size_t len, stralloc *action);

/* The address vdelivermail writes into Delivered-To for a Maildir path:
 * the directory name before "/Maildir" @ the nearest ancestor directory
 * whose name contains a '.' (/home/vpopmail/domains/ex.com/0/bob/Maildir/
 * -> bob@ex.com). 1 with addr set (lower-case, NUL-terminated), 0 when it
 * cannot be derived, -1 ENOMEM. */
int dq_path_addr(stralloc *addr, const char *path, size_t len);

/* Loop check: 1 when a header line of (hdr, len) (lines up to the first
 * empty line; the end of the buffer also ends it) equals, ignoring case
 * and trailing blanks, "Delivered-To: " addr. 0 otherwise. */
int dq_loop_hit(const char *hdr, size_t len, const char *addr, size_t alen);

/* Length of the header block of (msg, len): up to and including the
 * first empty line ("\n\n"), or len when there is none. */
size_t dq_header_len(const char *msg, size_t len);

/* Plausibility checks vdelivermail applies to EXT and HOST after
 * lower-casing: a user is 1..255 bytes without '/', NUL, control bytes,
 * and does not start with '.'; a domain is 1..255 bytes of letters,
 * digits, '-', '.', '_' not starting with '.' and without "..". */
int dq_valid_user(const char *s, size_t len);
int dq_valid_domain(const char *s, size_t len);

#endif
