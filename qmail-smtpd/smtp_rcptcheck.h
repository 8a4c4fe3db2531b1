/* qmail-smtpd/smtp_rcptcheck.h — recipient validation at RCPT (the
 * chkuser hook).
 *
 * qmail-smtpd runs unprivileged and holds no secret, so it may not open
 * the user store (vpasswd and vpasswd.cdb hold password hashes and are
 * readable only by the mail-store id). Recipients are therefore checked
 * against a recipient map without secrets, QMAILDIR/users/rcpt.cdb
 * (mode 0644), that qmail-newrcpt(8) compiles from users/assign, the
 * user store and the domains' .qmail files. Keys, all lower-case:
 *   "@domain"       value ""  the domain is checked (its .qmail-default
 *                             bounces unknown users: bounce-no-mailbox)
 *                   value "*" the domain has a catch-all: accept all
 *                   value "=real"  an alias domain of real
 *   "local@domain"  value ""  a user, an alias or a .qmail-local file
 * A domain that is not in the map is not judged (accepted), as chkuser
 * accepts domains that are not vpopmail's. */
#ifndef QV_SMTP_RCPTCHECK_H
#define QV_SMTP_RCPTCHECK_H
#include <stddef.h>

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

/* Looks addr up in the map whose path (NUL-terminated) is ctx. A
 * missing map accepts everything; an unreadable or corrupt one is
 * SMTPRCPT_TEMP. For local part "a-b-c" the keys tried are a-b-c, then
 * a-b and a-b-default, then a and a-default (vpopmail's user-extension
 * and qmail's -default files). */
int smtprcpt_map(void *ctx, const char *addr, size_t len);

#endif
