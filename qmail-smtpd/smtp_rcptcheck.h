/* qmail-smtpd/smtp_rcptcheck.h — recipient validation at RCPT (the
 * chkuser hook).
 *
 * qmail-smtpd runs unprivileged and holds no secret, so it may not open
 * the user store (vpasswd.cdb holds password hashes). A recipient check
 * therefore goes through a function pointer the program sets up once:
 * today the only one is smtprcpt_accept_all (every recipient of an
 * rcpthosts domain is accepted and a bounce is generated at delivery,
 * as stock qmail does). A validator reading a secret-free recipient map
 * or asking a privileged lookup helper plugs in here. */
#ifndef QV_SMTP_RCPTCHECK_H
#define QV_SMTP_RCPTCHECK_H
#include <stddef.h>

enum {
  SMTPRCPT_OK = 1,         /* deliverable (or not ours to judge) */
  SMTPRCPT_NOMAILBOX = 0,  /* 550 5.1.1 no mailbox here by that name */
  SMTPRCPT_FULL = 2,       /* 552 5.2.2 mailbox full */
  SMTPRCPT_TEMP = -1       /* 451 4.3.0 try again later */
};

/* addr is NUL-terminated, free of control bytes, domain not rewritten
 * by RELAYCLIENT. Returns an SMTPRCPT_* value. */
typedef int (*smtprcpt_fn)(void *ctx, const char *addr, size_t len);

int smtprcpt_accept_all(void *ctx, const char *addr, size_t len);

#endif
