/* qmail-smtpd/rcpt_proto.h — the records qmail-smtpd and
 * qmail-rcptcheck(8) exchange over their socketpair (prefix rcptp_).
 *
 * Request (qmail-smtpd -> helper):
 *   2 bytes  big-endian length N, 3 <= N <= RCPTP_REQMAX
 *   1 byte   mode: RCPTP_ALWAYS ('A') judge every local domain,
 *            RCPTP_DOMAIN ('D') only domains whose .qmail-default
 *            bounces unknown users (chkuser's CHKUSER_START=DOMAIN)
 *   1 byte   chkuser's CHKUSER_MBXQUOTA, 0-255: a mailbox with a quota
 *            that is at least this percent full is RCPTP_FULL; 0 off
 *   N-2      the address local@domain: at least one '@', not first or
 *            last; no control byte (below 0x20, 0x7f); at most RCPTP_ADDRMAX
 * Reply (helper -> qmail-smtpd):
 *   1 byte   status (RCPTP_OK ...)
 *   1 byte   text length T <= RCPTP_TEXTMAX
 *   T bytes  the delivery module's reason, printable ASCII (for the log)
 *
 * Queue request (qmail-smtpd -> helper), when qmail-smtpd hands a whole
 * message to the helper's queue step instead of running qmail-queue:
 *   2 bytes  length 5
 *   1 byte   RCPTP_QUEUE ('Q')
 *   4 bytes  big-endian envelope length L, 2 <= L <= RCPTP_ENVMAX
 *   L bytes  the qmail-queue envelope "F<sender>\0T<rcpt>\0...\0"
 * with the message attached to the first byte as one file descriptor
 * (SCM_RIGHTS): a memory file (memfd) sealed against writing, growing
 * and shrinking, so its bytes cannot change once handed over.
 * Queue reply (helper -> qmail-smtpd):
 *   1 byte   RCPTP_QUEUED ('E')
 *   1 byte   the queue step's exit code (qmail-queue(8)), or the signal
 *   1 byte   0: exited with that code; 1: killed by that signal
 *   4 bytes  big-endian pid of the process that ran the queue step
 *   2 bytes  big-endian text length T <= RCPTP_QTEXTMAX
 *   T bytes  the custom error "D..." / "Z..." (exit 82 only), printable
 * Anything else is malformed: the helper exits on a malformed request,
 * qmail-smtpd treats a malformed reply as a dead helper (451). */
#ifndef QV_RCPT_PROTO_H
#define QV_RCPT_PROTO_H
#include <stddef.h>
#include "stralloc.h"

#define RCPTP_ADDRMAX 900   /* = SMTPADDR_MAX */
#define RCPTP_REQMAX (2 + RCPTP_ADDRMAX)
#define RCPTP_TEXTMAX 200

#define RCPTP_ALWAYS 'A'
#define RCPTP_DOMAIN 'D'
#define RCPTP_QUEUE  'Q'

#define RCPTP_QREQLEN 5                 /* body length of a queue request */
#define RCPTP_QREQHEAD (2 + RCPTP_QREQLEN) /* its bytes before the envelope */
#define RCPTP_ENVMAX (16UL * 1024 * 1024) /* longest envelope handed over */
#define RCPTP_QUEUED 'E'                /* status of a queue reply */
#define RCPTP_QREPLYHEAD 9              /* queue reply bytes before the text */
#define RCPTP_QTEXTMAX 1000

#define RCPTP_OK        'K'  /* vdeliver would deliver (or delete) */
#define RCPTP_NOMAILBOX 'N'  /* permanent refusal: 550 5.1.1 */
#define RCPTP_FULL      'Q'  /* over quota: 552 5.2.2 */
#define RCPTP_TEMP      'T'  /* temporary failure: 451 4.3.0 */
#define RCPTP_NOTJUDGED 'X'  /* not a local domain, or not checked (mode D) */

/* Is (a, len) an acceptable address for a request? 1 yes, 0 no. */
int rcptp_addr_ok(const char *a, size_t len);

/* Appends the request for mode, the full percent (0 off; above 255 is
 * sent as 255) and (a, len) to out. 1; 0 with errno EINVAL (bad mode or
 * address) or ENOMEM. */
int rcptp_req_put(stralloc *out, int mode, unsigned long fullpct, const char *a, size_t len);

/* Parses the request body (after the length bytes; (b, n) with n the
 * announced length). 1 with *mode, *fullpct, *a, *alen pointing into b;
 * 0 when malformed. */
int rcptp_req_parse(const char *b, size_t n, int *mode, int *fullpct, const char **a, size_t *alen);

/* Is n an acceptable request length? 1 yes, 0 no. */
int rcptp_req_len_ok(size_t n);

/* Appends a reply: status plus text (t, tlen), cut at RCPTP_TEXTMAX
 * bytes and at the first newline, other control bytes dropped. 1, or 0
 * on ENOMEM. */
int rcptp_reply_put(stralloc *out, int status, const char *t, size_t tlen);

/* Is c a valid reply status? 1 yes, 0 no. */
int rcptp_status_ok(int c);

/* Appends the 7 bytes of a queue request (length, 'Q', envelope length)
 * announcing an envelope of envlen bytes. 1; 0 with errno EINVAL
 * (envlen out of bounds) or ENOMEM. */
int rcptp_qreq_put(stralloc *out, size_t envlen);

/* Parses a queue request body (b, n). 1 with *envlen; 0 when malformed. */
int rcptp_qreq_parse(const char *b, size_t n, size_t *envlen);

/* Appends a queue reply: exit code or signal (0-255), signalled (0 or
 * 1), pid, and the text (t, tlen) cut at RCPTP_QTEXTMAX bytes and at the
 * first newline, other control bytes dropped. 1, or 0 on ENOMEM. */
int rcptp_qreply_put(stralloc *out, int code, int signalled, unsigned long pid,
                     const char *t, size_t tlen);

/* Parses the RCPTP_QREPLYHEAD bytes of a queue reply. 1 with *code,
 * *signalled, *pid and *tlen (the text bytes that follow); 0 when
 * malformed. */
int rcptp_qreply_head(const char *h, int *code, int *signalled, unsigned long *pid,
                      size_t *tlen);

#endif
