/* lib/checkpw.h — calling a checkpassword program (vchkpw) from a
 * protocol program: qmail-smtpd's AUTH, qmail-popup, the IMAP pre-auth.
 *
 * The interface is DJB's: the child gets "user\0secret\0[extra\0]" on
 * fd 3 (a pipe, closed after writing), inherits fds 0, 1, 2 and the
 * environment as they are, and exits 0 (accepted; for POP3/IMAP it has
 * exec'd the post-auth program, which served the whole session), 111
 * (temporary failure) or anything else (refused).
 *
 * SECURITY: the secret is written once into the pipe and never logged;
 * the caller wipes its own copies. The child's environment is the
 * caller's: set what the child should see (e.g. TCPREMOTEINFO) before
 * calling, and nothing secret. */
#ifndef QV_CHECKPW_H
#define QV_CHECKPW_H
#include <stddef.h>

enum cpw_result {
  CPW_OK = 0,       /* child exited 0 */
  CPW_REFUSED,      /* child exited non-zero, not 111 */
  CPW_TEMP,         /* child exited 111 */
  CPW_CRASHED,      /* child died by a signal */
  CPW_NOPIPE,       /* pipe() failed (errno) */
  CPW_NOFORK,       /* fork() failed (errno) */
  CPW_NOWRITE,      /* writing fd 3 failed (errno) */
  CPW_NOEXEC        /* the child could not exec argv[0] (exit 111 from a
                       child that never ran; reported as such) */
};

struct cpw_request {
  const char *user;   size_t userlen;
  const char *secret; size_t secretlen;
  const char *extra;  size_t extralen;  /* timestamp / CRAM challenge */
  int send_extra;     /* 0: send only two fields (plain SMTPAUTH) */
};

/* Forks, runs argv (argv[0] a path, argv NULL-terminated) with fd 3 the
 * read end of a pipe carrying the request, writes it, waits for the
 * child. *exitcode (may be NULL) gets the child's exit status, or the
 * signal number for CPW_CRASHED. SIGPIPE while writing is not fatal to
 * the caller. A user or secret holding a NUL is refused as CPW_REFUSED
 * without running anything. */
enum cpw_result cpw_run(char *const argv[], const struct cpw_request *req,
                        int *exitcode);

/* Seconds to wait after the n-th failed authentication of a connection
 * (n >= 1): 2, 4, 8, capped at 16 — the growing delay every protocol
 * program applies. */
unsigned cpw_fail_delay(unsigned n);

#endif
