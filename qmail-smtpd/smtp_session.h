/* qmail-smtpd/smtp_session.h — one SMTP connection, RFC 5321 with
 * qmail's replies.
 *
 * smtpd_config_load reads the control files and environment once;
 * smtpd_run serves a client on (infd, outfd) until QUIT, EOF, a timeout
 * or a protocol violation, and returns the process exit status. The
 * session reads through a bounded reader (command lines at most
 * smtplinemax bytes) with poll() timeouts, and hands each message to
 * the qmail-queue program. */
#ifndef QV_SMTP_SESSION_H
#define QV_SMTP_SESSION_H
#include "stralloc.h"
#include "smtp_rcptcheck.h"
#include "smtp_auth.h"

struct smtpd_config {
  stralloc greeting;       /* smtpgreeting, else me */
  stralloc localiphost;    /* localiphost, else me */
  stralloc rcpthosts;      /* list; have_rcpthosts 0: file missing */
  int have_rcpthosts;
  stralloc mrhpath;        /* QMAILDIR/control/morercpthosts.cdb */
  stralloc badmailfrom, badrcptto, badhelo;
  unsigned long databytes; /* 0: no limit */
  unsigned long timeout;   /* seconds per read or write */
  unsigned long maxrcpt;   /* 0: no limit */
  unsigned long linemax;   /* command line bytes, CRLF included */
  unsigned long maxerrors; /* protocol errors before 421; 0: no limit */
  unsigned long maxhops;   /* Received/Delivered lines refused (qmail: 100) */
  int allow_barelf;
  const char *relayclient; /* NULL: not set */
  const char *remoteip, *remotehost, *remoteinfo, *local, *localip;
  stralloc queueprog;      /* NUL-terminated */
  smtprcpt_fn rcptcheck;
  void *rcptctx;
  stralloc rcptprog;       /* $QMAILRCPTCHECK or QMAILDIR/bin/qmail-rcptcheck */
  struct smtprcpt_helper rcpthelper;
  struct smtprcpt_helper *queuehelper;  /* QMAILQUEUE unset: &rcpthelper, which runs
                                           the queue step (no exec per message) */
  unsigned long chk_rcptlimit;   /* CHKUSER_RCPTLIMIT: RCPTs per session; 0 none */
  unsigned long chk_wronglimit;  /* CHKUSER_WRONGRCPTLIMIT: refused RCPTs; 0 none */
  unsigned long chk_errdelay;     /* control/chkusererrordelay: ms before a chkuser
                                    refusal; 0 (default) none */
  unsigned long chk_errdelayinc;  /* control/chkusererrordelayincrease: ms added
                                     per further refusal (default 300) */
  /* SMTP AUTH */
  struct smtpauth_policy auth;   /* SMTPAUTH; mechs 0: off */
  char *const *checkargv;        /* checkpassword prog + args (argv[1..]) */
  int forcetls;                  /* FORCETLS not "0": AUTH only inside TLS */
  int forceauthmailfrom;         /* FORCEAUTHMAILFROM: sender must be the user's */
  unsigned long authfailmax;     /* control/authfailmax: failures, then 421; 0 none */
};

/* Fills c from QMAILDIR/control and the environment. 1, or -1 with
 * errno (a control file exists but cannot be read or parsed, ENOMEM,
 * or neither smtpgreeting nor me exists: ENOENT). */
int smtpd_config_load(struct smtpd_config *c);

/* Sets the checkpassword program (qmail-smtpd's argv after its name,
 * NULL-terminated; NULL or empty: none). Without one AUTH is off
 * whatever SMTPAUTH says, as in the smtp-auth patch. */
void smtpd_config_auth(struct smtpd_config *c, char *const *checkargv);

/* Serves one client. Returns the exit status for main: 0 when the
 * session ended (QUIT, EOF, timeout, dropped), 111 on a local failure. */
int smtpd_run(const struct smtpd_config *c, int infd, int outfd);

#endif
