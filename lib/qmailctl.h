/* lib/qmailctl.h — the qmail control files vpopmail maintains for a
 * domain: rcpthosts, morercpthosts (+ .cdb), virtualdomains, locals; and
 * the SIGHUP that makes qmail-send re-read them.
 *
 * Files are rewritten with the atomicfile.h protocol, mode 0644, kept
 * sorted with assign.h's key (ASSIGN_FT_PLAIN). */
#ifndef QV_QMAILCTL_H
#define QV_QMAILCTL_H
#include <stddef.h>
#include "stralloc.h"

/* vpopmail's threshold: when rcpthosts already has this many lines a new
 * domain goes to morercpthosts. */
#define QCTL_RCPTHOSTS_MAX 50

/* Adds domain to rcpthosts (sorted), or, when rcpthosts has >= 50 lines,
 * to morercpthosts followed by qctl_newmrh unless bulk != 0 (vadddomain
 * -O). 0, or -1 with errno. */
int qctl_rcpthosts_add(const char *domain, int bulk);

/* Removes the exact line domain from rcpthosts; only when it was not
 * there, from morercpthosts (then morercpthosts.cdb is rebuilt, or both
 * files are deleted when morercpthosts becomes empty). 1 removed, 0 it
 * was in neither, -1 with errno. */
int qctl_rcpthosts_remove(const char *domain);

/* qmail-newmrh in C: control/morercpthosts -> control/morercpthosts.cdb
 * (lower-cased lines without trailing blanks, '#' lines skipped, value
 * empty; 0644). 0, or -1 with errno (ENOENT when morercpthosts is
 * missing). */
int qctl_newmrh(void);

/* Adds / removes "<domain>:<domain>" in control/virtualdomains. add: 0
 * or -1; remove: 1 removed, 0 absent, -1 with errno. */
int qctl_virtualdomains_add(const char *domain);
int qctl_virtualdomains_remove(const char *domain);

/* Removes every line equal to domain from control/locals. 1 / 0 / -1. */
int qctl_locals_remove(const char *domain);

/* Number of lines of QMAILDIR/control/<name> (0 when missing), or -1. */
long qctl_count_lines(const char *name);

/* Sends SIGHUP to every running qmail-send: a process found in /proc
 * whose argv[0] basename is exactly "qmail-send" (never supervise,
 * multilog, svscan, nor this process) and whose working directory is
 * under QMAILDIR (qmail-send runs in QMAILDIR/queue; when the cwd cannot
 * be read it is signalled only outside a sandbox). Nothing happens when
 * none runs.
 * Returns the number of processes signalled (>= 0). */
int qctl_hup_qmail_send(void);

/* Pure helper behind qctl_hup_qmail_send (for tests): 1 when the raw
 * /proc/<pid>/cmdline bytes (NUL-separated argv) name qmail-send. */
int qctl_cmdline_is_qmail_send(const char *cmdline, size_t len);

#endif
