/* qmail-smtpd/smtp_queue.h — client side of the qmail-queue interface.
 *
 * The queue program (QMAILQUEUE, else QMAILDIR/bin/qmail-queue) is run
 * with the message on its fd 0 and the envelope on its fd 1:
 * "F" sender "\0", "T" recipient "\0" ..., "\0". Its exit status is
 * mapped to qmail-smtpd's reply text exactly as qmail's qmail.c does:
 * the result is "" (accepted) or a text whose first letter is 'D'
 * (permanent: 554) or 'Z' (temporary: 451). SIGPIPE must be ignored by
 * the caller so that a queue program that dies early shows as an
 * error, not as a killed qmail-smtpd.
 * Custom errors (notqmail's qmail-queue-custom-error): the program may
 * write "D<text>" or "Z<text>" on its fd 6 and exit 82; that text is
 * then the result.
 *
 * Without an exec per message: given the session's qmail-rcptcheck
 * helper (QMAILQUEUE unset), the message is collected in a memory file
 * (memfd) and, at the end, sealed and handed to the helper, which runs
 * qmail-queue's queue step itself (smtp_rcptcheck.h); the
 * exit status means the same and is mapped by the same table. A
 * message that grows past SMTPQ_MEM_MAX moves to a qmail-queue program
 * started then (its bytes so far copied into the pipe), so a session
 * never holds more than that in memory. A helper that cannot be
 * reached is a temporary failure (451), never a loss. */
#ifndef QV_SMTP_QUEUE_H
#define QV_SMTP_QUEUE_H
#include <stddef.h>
#include <sys/types.h>
#include "smtp_rcptcheck.h"

#define SMTPQ_MEM_MAX (1024UL * 1024)

struct smtpq {
  pid_t pid;      /* the queue program (or the helper's queue child) */
  const char *prog;
  struct smtprcpt_helper *helper;
  int memfd;      /* helper mode: the message so far; -1 otherwise */
  unsigned long memlen;
  int fdm;        /* message pipe, -1 when closed */
  int fde;        /* envelope pipe */
  int fderr;      /* read end of the program's fd 6 (custom error) */
  int err;        /* a write to the queue program failed */
  char errtext[1024];
  size_t buflen;
  char buf[16384];
};

/* Starts a message. With helper NULL, starts prog (NUL-terminated path)
 * with fds 0, 1 and 6 set up; with a helper, collects the message in a
 * memory file (prog is started only if the message outgrows it, or if
 * no memory file can be made). 1, or -1 with errno (pipe/fork failed).
 * An exec failure shows later as exit status 120. */
int smtpq_open(struct smtpq *q, const char *prog, struct smtprcpt_helper *helper);

/* Appends message bytes (buffered; a failure only sets q->err). */
void smtpq_put(struct smtpq *q, const char *s, size_t n);

/* Ends the message, writes the envelope (env, envlen: the whole
 * "F..\0T..\0\0" record), waits and returns the reply text ("" on
 * success). */
const char *smtpq_close(struct smtpq *q, const char *env, size_t envlen);

/* Aborts: closes both pipes without an envelope (qmail-queue then
 * queues nothing) and reaps the child. */
void smtpq_abort(struct smtpq *q);

/* The text for a wait status (pure, qmail's table); writeerr: a write
 * to the queue program failed. */
const char *smtpq_status_text(int wstat, int writeerr);

#endif
