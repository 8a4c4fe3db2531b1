/* launcher/server.h — qvtcpserver's accept loop, children and privileges.
 *
 * One process, no threads: poll(2) on the listening sockets and a
 * self-pipe for signals. Per connection: rules lookup, limits, fork, the
 * child sets the UCSPI environment and execs the program on fds 0 and 1. */
#ifndef QV_SERVER_H
#define QV_SERVER_H
#include <stddef.h>
#include <sys/types.h>

#define SERVER_MAXLISTEN 2

struct server_conf {
  size_t maxconn;            /* -c: children at once (default 100) */
  size_t maxperip;           /* -C: children per client IP, 0 = no limit */
  const char *rules;         /* -x: tcprules cdb or NULL */
  int rules_missing_ok;      /* -X */
  const char *banner;        /* -B: written to the client before prog */
  const char *refusal;       /* -m: line written when over a limit (CRLF added) */
  const char *localname;     /* -l: TCPLOCALHOST, NULL = unset */
  int verbosity;             /* 0 -q, 1 -Q (warnings), 2 -v (default: connections) */
  int nodelay;               /* -D */
  char **prog;               /* argv of the program */
};

/* Sets uid/gid (gid first, supplementary groups to gid alone) and checks
 * the change cannot be undone: when uid != 0, setuid(0) must fail and
 * real, effective and saved ids must all be uid/gid. 1, or 0 with errno
 * (EPERM when the check fails). */
int server_droppriv(uid_t uid, gid_t gid);

/* Serves the listening fds until SIGTERM. Returns 0 on a clean SIGTERM
 * exit, 111 on a fatal setup error (logged). */
int server_run(const struct server_conf *conf, const int *lfd, size_t nlfd);

#endif
