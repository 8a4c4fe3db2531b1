/* pop3/popup_session.h — the POP3 AUTHORIZATION state of qmail-popup:
 * greeting, CAPA, USER/PASS, APOP, AUTH PLAIN and LOGIN (RFC 5034),
 * STLS (RFC 2595), NOOP, QUIT; credentials go to a checkpassword program
 * (vchkpw) on fd 3, which on success execs qmail-pop3d for the rest of
 * the session. */
#ifndef QV_POPUP_SESSION_H
#define QV_POPUP_SESSION_H
#include "stralloc.h"

struct popup_config {
  const char *host;            /* argv[1]: the name in the APOP timestamp */
  char *const *child;          /* checkpassword argv (argv[0] a path), NULL-ended */
  unsigned long authfailmax;   /* control/authfailmax: failures before close, 0 none */
  unsigned long timeout;       /* control/timeoutpop3d: seconds per line read or
                                  reply written, and for the whole login */
  int forcetls;                /* env FORCETLS != "0": no plaintext auth before TLS */
  int disabletls;              /* env DISABLETLS == "1": never offer STLS */
  const char *ip;              /* TCPREMOTEIP, for the log ("unknown" if unset) */
};

/* Defaults: authfailmax 3, timeout 1200 s (qmail-popup's 20 minutes). */
#define POPUP_AUTHFAILMAX 3
#define POPUP_TIMEOUT 1200
/* The AUTHORIZATION state as a whole may last timeoutpop3d seconds, but
 * at least this many (failure delays of up to 16 s count too). */
#define POPUP_LOGINTIME 60

/* Fills c from control files (authfailmax, timeoutpop3d) and the
 * environment (FORCETLS, DISABLETLS, TCPREMOTEIP); host and child are the
 * caller's. 0, or -1 with errno when a control file exists but cannot be
 * read or holds no number. */
int popup_config_load(struct popup_config *c);

/* Serves one connection on fds 0 (in) and 1 (out). Returns the exit code
 * for main: 0 after QUIT or after the child served the session (its exit
 * status otherwise), 1 after too many failed logins or an unusable
 * checkpassword outcome, 111 on a temporary failure (timeout, I/O error,
 * out of memory, checkpassword's 111). */
int popup_run(const struct popup_config *c);

/* The APOP timestamp "<pid.unixtime@host>" into out (NUL-terminated).
 * 1, or 0 on ENOMEM. */
int popup_timestamp(stralloc *out, unsigned long pid, unsigned long t,
                    const char *host);

#endif
