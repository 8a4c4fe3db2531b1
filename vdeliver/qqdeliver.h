/* vdeliver/qqdeliver.h — qvmail's queue step (prefix qqd_): what
 * qmail-queue does with a message once it holds the whole message and
 * its envelope. Shared by the qmail-queue program (message on fd 0,
 * envelope on fd 1) and by qmail-rcptcheck(8), which runs it for
 * qmail-smtpd's messages in its own process (no exec per message), so
 * it frees everything it allocates.
 *
 * Order of work, so that 0 means "every copy is on disk" and any other
 * code means "nothing was acknowledged":
 *  1. every recipient must be in a vpopmail domain: a remote recipient
 *     (the outbound queue is a later issue) makes the whole message a
 *     temporary failure, 71, before anything is delivered;
 *  2. a dry run of every delivery (users, .qmail files, loops, quota):
 *     any temporary failure -> 71, any permanent one -> 31, nothing
 *     written;
 *  3. the deliveries, each fsynced (file and new/) before the next; a
 *     failure here (a race with the dry run, a disk error) is 71 or 31
 *     and copies already made stay (qmail's at-least-once rule: a retry
 *     may duplicate, never lose).
 * Codes are qmail-queue(8)'s exit codes. Runs with the mail-store ids
 * (the caller has dropped to them) and umask 077. */
#ifndef QV_QQDELIVER_H
#define QV_QQDELIVER_H
#include <stddef.h>
#include "qqenv.h"

/* Custom error texts (notqmail's qmail-queue-custom-error) are at most
 * this long, NUL included. */
#define QQD_TEXTMAX 400

/* Delivers the message in msgfd (seekable, read with pread from offset
 * 0) to every recipient of e. Returns the exit code (0, 31, 51, 54, 55,
 * 71). For a refusal of one recipient, text receives the custom error
 * "D<rcpt>: <reason>" (31) or "Z<rcpt>: <reason>" (71), first line only,
 * control bytes dropped; otherwise text is "". Logs one line per
 * delivered, refused or deferred recipient. */
int qqd_deliver(int msgfd, const struct qqenv *e, char text[QQD_TEXTMAX]);

/* The exit code for a qqenv_parse result other than QQENV_OK and
 * QQENV_MORE: 11 address too long, 31 too many recipients, 91 format
 * error, 51 out of memory. */
int qqd_envelope_code(int parse_result);

#endif
