/* qmail-smtpd/rcpt_answer.h — qmail-rcptcheck's judgement of one
 * recipient (prefix rcpta_): "would vdeliver deliver a message to it
 * now?", answered with the delivery module's dry run (deliver.h,
 * ctx->dryrun), the same pass qmail-queue makes before it writes any
 * copy, so RCPT and delivery cannot disagree.
 *
 * Runs with the mail-store id (it reads vpasswd, valiases, .qmail files
 * and maildirsize). Writes nothing except what the dry run itself may
 * write (vpopmail's once-a-day quota warning to an over-quota user). */
#ifndef QV_RCPT_ANSWER_H
#define QV_RCPT_ANSWER_H
#include <stddef.h>
#include "stralloc.h"

/* The one departure from "delivered": an unknown user of a domain
 * whose .qmail-default action is "delete" (vpopmail 5.6's default) is
 * RCPTP_NOMAILBOX — vdeliver would drop the message unread, so refusing
 * it at RCPT loses nothing and tells the sender. */

/* Judges address (a, len) (validated by rcptp_addr_ok; any case) in
 * mode RCPTP_ALWAYS or RCPTP_DOMAIN; fullpct > 0 (chkuser's
 * CHKUSER_MBXQUOTA) also refuses a mailbox with a quota that is at
 * least fullpct percent full, as RCPTP_FULL. Returns an RCPTP_* status:
 *   RCPTP_NOTJUDGED  the domain is not a local (vpopmail) domain, or in
 *                    mode D its .qmail-default has no bounce-no-mailbox;
 *   RCPTP_OK         the dry run delivers (or a program stops it);
 *   RCPTP_FULL       refused because the mailbox is over quota;
 *   RCPTP_NOMAILBOX  any other permanent refusal;
 *   RCPTP_TEMP       a temporary failure (I/O error, ENOMEM, unreadable
 *                    store, a remote forward while there is no outbound
 *                    queue) — never reported as "no mailbox".
 * why receives the reason (NUL-terminated; may be empty). */
int rcpta_judge(int mode, int fullpct, const char *a, size_t len, stralloc *why);

#endif
