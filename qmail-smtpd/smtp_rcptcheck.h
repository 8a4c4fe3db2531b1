/* qmail-smtpd/smtp_rcptcheck.h — recipient validation at RCPT (the
 * chkuser hook).
 *
 * qmail-smtpd runs unprivileged and holds no secret, so it may not open
 * the user store (vpasswd and vpasswd.cdb hold password hashes and are
 * readable only by the mail-store id). It asks a small privileged
 * helper instead, qmail-rcptcheck(8), started once per session on a
 * socketpair at the first recipient of a local domain; the helper
 * answers with the delivery module's dry run, so the answer is always
 * current (no map to rebuild) and is exactly "would vdeliver deliver".
 * Domains that users/cdb does not list are not judged (accepted here;
 * relay rules were applied before), as chkuser does.
 * The same helper also runs qmail-queue's queue step for whole
 * messages (smtprcpt_queue), so that qmail-smtpd does not start a
 * qmail-queue per message when QMAILQUEUE is unset (smtp_queue.h). */
#ifndef QV_SMTP_RCPTCHECK_H
#define QV_SMTP_RCPTCHECK_H
#include <stddef.h>
#include <sys/types.h>
#include "rcpt_proto.h"
#include "stralloc.h"

enum {
  SMTPRCPT_OK = 1,         /* deliverable (or not ours to judge) */
  SMTPRCPT_NOMAILBOX = 0,  /* 550 5.1.1 no mailbox here by that name */
  SMTPRCPT_FULL = 2,       /* 552 5.2.2 mailbox full */
  SMTPRCPT_TEMP = -1       /* 451 4.3.0 try again later */
};

/* addr is NUL-terminated and free of control bytes. Returns an
 * SMTPRCPT_* value. */
typedef int (*smtprcpt_fn)(void *ctx, const char *addr, size_t len);

/* Accepts everything (stock qmail: unknown users bounce at delivery). */
int smtprcpt_accept_all(void *ctx, const char *addr, size_t len);

/* The helper connection; ctx of smtprcpt_helper. Zero it, then set
 * prog, mode and timeout. */
struct smtprcpt_helper {
  const char *prog;        /* NUL-terminated path of qmail-rcptcheck */
  int mode;                /* RCPTP_ALWAYS or RCPTP_DOMAIN (rcpt_proto.h) */
  unsigned long mbxquota;  /* CHKUSER_MBXQUOTA: refuse a mailbox at least this
                              percent full (552); 0 off */
  unsigned long timeout;   /* seconds to wait for one reply */
  const char *remoteip;    /* for the log; may be NULL */
  int fd;                  /* our end of the socketpair; 0 = not started */
  pid_t pid;
};

/* Judges addr. A domain users/cdb does not list (or no users/cdb) is
 * SMTPRCPT_OK without starting the helper; otherwise the helper is
 * started if needed (argv[0] only, this process's environment) and
 * asked. When the helper cannot be started, dies, times out or sends a
 * malformed reply, the answer is SMTPRCPT_TEMP (never NOMAILBOX) and
 * the next call starts a new one. Refusals are logged. */
int smtprcpt_helper(void *ctx, const char *addr, size_t len);

struct smtprcpt_qresult {
  int code;                /* qmail-queue exit code, or the signal */
  int signalled;           /* 1: the queue step was killed by signal code */
  unsigned long pid;       /* the process that ran it (qmail's "qp") */
  char text[RCPTP_QTEXTMAX + 1];  /* exit 82: the custom error "D..."/"Z...", NUL-terminated */
};

/* Hands a whole message to the helper's queue step: msgfd is a memory
 * file sealed against writing, growing and shrinking (rcpt_proto.h),
 * (env, envlen) the qmail-queue envelope including its final NUL. The
 * helper is started if needed. 0 with *res (the queue step's status),
 * or -1 when the helper could not be started, died or answered out of
 * protocol (logged; the connection is closed, the next call starts a new
 * one): the message may or may not have been delivered, so the caller
 * must answer with a temporary failure. msgfd stays open. */
int smtprcpt_queue(struct smtprcpt_helper *h, int msgfd, const char *env, size_t envlen,
                   struct smtprcpt_qresult *res);

/* Closes the connection (the helper sees end of file and exits) and
 * reaps the helper if it has exited. */
void smtprcpt_helper_close(struct smtprcpt_helper *h);

#endif
