/* launcher/server.c — the accept loop (see server.h).
 *
 * Invariants: the parent never reads a byte from a client; each accepted
 * fd is either handed to a child, or refused (one non-blocking write of
 * the refusal line, then close) within the same loop iteration, so an
 * excess client never hangs. The child table (iplimit) is only changed
 * in the loop, never in a signal handler; handlers only write a byte to
 * the self-pipe. Resource exhaustion (EMFILE, ENFILE, ENOBUFS, ENOMEM on
 * accept, EAGAIN/ENOMEM on fork) is logged and followed by a one-second
 * pause in accepting; children are still reaped during the pause.
 *
 * SECURITY: the parent runs with the -u/-g ids (dropped in
 * server_droppriv before server_run when asked). Values from the rules
 * CDB are the administrator's; client addresses come from the kernel and
 * are logged through log_event, which escapes them. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "fmt.h"
#include "scan.h"
#include "stralloc.h"
#include "log.h"
#include "sa.h"
#include "net.h"
#include "rules.h"
#include "iplimit.h"
#include "server.h"

#define ACCEPT_BATCH 32
#define BACKOFF_MS 1000

/* errno as its symbolic name (EMFILE), one token for log lines. */
static const char *errname(int e)
{
  const char *n = strerrorname_np(e);
  return n ? n : "unknown";
}

static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t got_term;

int server_droppriv(uid_t uid, gid_t gid)
{
  uid_t r, e, s;
  gid_t rg, eg, sg;
  if (setgroups(1, &gid) == -1) return 0;
  if (setgid(gid) == -1) return 0;
  if (setuid(uid) == -1) return 0;
  if (getresuid(&r, &e, &s) == -1 || getresgid(&rg, &eg, &sg) == -1) return 0;
  if (r != uid || e != uid || s != uid || rg != gid || eg != gid || sg != gid) {
    errno = EPERM;
    return 0;
  }
  if (uid != 0 && setuid(0) != -1) {
    errno = EPERM;
    return 0;
  }
  return 1;
}

static void on_signal(int sig)
{
  int e = errno;
  char c = sig == SIGTERM ? 't' : 'c';
  if (sig == SIGTERM) got_term = 1;
  if (write(sigpipe_fd[1], &c, 1) == -1) { /* pipe full: a wakeup is pending */ }
  errno = e;
}

static int setup_signals(void)
{
  struct sigaction sa;
  if (pipe2(sigpipe_fd, O_NONBLOCK | O_CLOEXEC) == -1) return 0;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_NOCLDSTOP;
  if (sigaction(SIGCHLD, &sa, 0) == -1) return 0;
  sa.sa_flags = 0;
  if (sigaction(SIGTERM, &sa, 0) == -1) return 0;
  sa.sa_handler = SIG_IGN;
  if (sigaction(SIGPIPE, &sa, 0) == -1) return 0;
  return 1;
}

static void restore_signals(void)
{
  signal(SIGCHLD, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
}

static long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fmt_num(char buf[FMT_ULONG], unsigned long n)
{
  buf[fmt_ulong(buf, n)] = '\0';
}

static void log_errno(const struct server_conf *c, const char *event, int err)
{
  if (c->verbosity >= 1) log_event("warn", event, "error", errname(err), (char *)0);
}

static void reap(const struct server_conf *c, struct iplimit *kids)
{
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    char p[FMT_ULONG], s[FMT_ULONG];
    iplimit_remove(kids, pid, 0);
    if (c->verbosity < 2) continue;
    fmt_num(p, (unsigned long)pid);
    if (WIFSIGNALED(st)) {
      fmt_num(s, (unsigned long)WTERMSIG(st));
      log_event("info", "end", "pid", p, "signal", s, (char *)0);
    } else {
      fmt_num(s, (unsigned long)WEXITSTATUS(st));
      log_event("info", "end", "pid", p, "status", s, (char *)0);
    }
  }
}

/* One write without blocking, then close: the client is never kept. */
static void refuse(int fd, const char *msg, size_t len)
{
  if (len) {
    stralloc line = {0};
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (stralloc_copyb(&line, msg, len) && stralloc_cats(&line, "\r\n")) {
      if (write(fd, line.s, line.len) == -1) { /* the client is gone: nothing to tell */ }
    }
    stralloc_free(&line);
    shutdown(fd, SHUT_WR);
  }
  close(fd);
}

static int setenv_num(const char *name, unsigned long n)
{
  char buf[FMT_ULONG];
  fmt_num(buf, n);
  return setenv(name, buf, 1) == 0;
}

struct conn {
  int fd;
  unsigned char rip[16];
  char ripx[NET_IPTEXT], lipx[NET_IPTEXT];
  char rip6x[NET_IPTEXT], lip6x[NET_IPTEXT];   /* TCP6* forms */
  unsigned short rport, lport;
  int r6, l6;
};

static void child(const struct server_conf *c, const struct conn *k,
                  const int *lfd, size_t nlfd, const stralloc *rule)
{
  size_t i;
  int ok;
  restore_signals();
  for (i = 0; i < nlfd; ++i) close(lfd[i]);
  close(sigpipe_fd[0]);
  close(sigpipe_fd[1]);
  if (dup2(k->fd, 0) == -1 || dup2(k->fd, 1) == -1) _exit(111);
  if (k->fd > 1) close(k->fd);
  if (c->nodelay) {
    int one = 1;
    setsockopt(0, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ok = setenv("PROTO", k->r6 ? "TCP6" : "TCP", 1) == 0
       && setenv("TCPLOCALIP", k->lipx, 1) == 0
       && setenv_num("TCPLOCALPORT", k->lport)
       && setenv("TCPREMOTEIP", k->ripx, 1) == 0
       && setenv_num("TCPREMOTEPORT", k->rport);
  if (ok && c->localname) ok = setenv("TCPLOCALHOST", c->localname, 1) == 0;
  else unsetenv("TCPLOCALHOST");
  unsetenv("TCPREMOTEHOST");
  unsetenv("TCPREMOTEINFO");
  /* the IPv6 patch of tcpserver also sets TCP6* for every client, IPv4
   * ones in ::ffff:a.b.c.d form */
  if (ok)
    ok = setenv("TCP6LOCALIP", k->lip6x, 1) == 0 && setenv_num("TCP6LOCALPORT", k->lport)
         && setenv("TCP6REMOTEIP", k->rip6x, 1) == 0 && setenv_num("TCP6REMOTEPORT", k->rport);
  if (ok && c->localname) ok = setenv("TCP6LOCALHOST", c->localname, 1) == 0;
  else unsetenv("TCP6LOCALHOST");
  unsetenv("TCP6REMOTEHOST");
  unsetenv("TCP6REMOTEINFO");
  if (ok && rule->len) ok = rules_setenv(rule->s, rule->len);
  if (!ok) {
    log_event("warn", "env-failed", "error", errname(errno), (char *)0);
    _exit(111);
  }
  if (c->banner && *c->banner) {
    size_t len = strlen(c->banner), off = 0;
    while (off < len) {
      ssize_t w = write(1, c->banner + off, len - off);
      if (w <= 0) _exit(111);
      off += (size_t)w;
    }
  }
  execvp(c->prog[0], c->prog);
  log_event("fatal", "exec-failed", "prog", c->prog[0], "error", errname(errno), (char *)0);
  _exit(111);
}

/* The limit for this client: MAXCONIP from its rule, else -C. */
static size_t perip_limit(const struct server_conf *c, const stralloc *rule)
{
  const char *v;
  size_t vl;
  unsigned long u;
  if (rule->len && rules_getvar(rule->s, rule->len, "MAXCONIP", &v, &vl)) {
    if (vl && scan_ulong(v, &u) == vl) return u;
    if (c->verbosity >= 1) log_event("warn", "bad-maxconip", (char *)0);
  }
  return c->maxperip;
}

static void refusal_text(const struct server_conf *c, const stralloc *rule,
                         const char **msg, size_t *len)
{
  if (rule->len && rules_getvar(rule->s, rule->len, "REFUSALMSG", msg, len)) return;
  *msg = c->refusal ? c->refusal : "";
  *len = strlen(*msg);
}

/* Handles one accepted fd. Returns 1, or 0 when accepting should pause
 * (resources exhausted). */
static int handle(const struct server_conf *c, struct iplimit *kids, int fd,
                  const struct sockaddr_storage *peer, const int *lfd, size_t nlfd,
                  stralloc *rule)
{
  struct conn k;
  struct sockaddr_storage local;
  socklen_t ll = sizeof local;
  const char *msg;
  size_t msglen, lim;
  char pb[FMT_ULONG];
  unsigned char lip[16];
  pid_t pid;
  int e;

  k.fd = fd;
  net_addr(peer, k.rip, k.ripx, &k.rport, &k.r6);
  if (getsockname(fd, (struct sockaddr *)&local, &ll) == -1) {
    log_errno(c, "getsockname-failed", errno);
    close(fd);
    return 1;
  }
  net_addr(&local, lip, k.lipx, &k.lport, &k.l6);
  net_text6(k.rip, k.rip6x);
  net_text6(lip, k.lip6x);
  fmt_num(pb, k.rport);

  rule->len = 0;
  if (c->rules) {
    int r = rules_lookup(c->rules, c->rules_missing_ok, k.ripx, strlen(k.ripx), rule);
    if (r < 0) {
      e = errno;
      if (c->verbosity >= 1)
        log_event("warn", "rules-unreadable", "file", c->rules, "error", errname(e), "ip", k.ripx, (char *)0);
      rule->len = 0;
      refusal_text(c, rule, &msg, &msglen);
      refuse(fd, msg, msglen);
      return !(e == ENOMEM || e == EMFILE || e == ENFILE);
    }
    if (r == 0) rule->len = 0;
  }
  if (rule->len && rules_denied(rule->s, rule->len)) {
    if (c->verbosity >= 2) log_event("info", "deny", "ip", k.ripx, "port", pb, (char *)0);
    close(fd);
    return 1;
  }
  refusal_text(c, rule, &msg, &msglen);
  if (iplimit_total(kids) >= c->maxconn) {
    if (c->verbosity >= 1) log_event("warn", "refuse", "reason", "limit", "ip", k.ripx, "port", pb, (char *)0);
    refuse(fd, msg, msglen);
    return 1;
  }
  lim = perip_limit(c, rule);
  if (lim && iplimit_count(kids, k.rip) >= lim) {
    if (c->verbosity >= 1) log_event("warn", "refuse", "reason", "per-ip-limit", "ip", k.ripx, "port", pb, (char *)0);
    refuse(fd, msg, msglen);
    return 1;
  }
  pid = fork();
  if (pid == -1) {
    e = errno;
    log_errno(c, "fork-failed", e);
    refuse(fd, msg, msglen);
    return 0;
  }
  if (pid == 0) child(c, &k, lfd, nlfd, rule);
  iplimit_add(kids, pid, k.rip);
  close(fd);
  if (c->verbosity >= 2) {
    char pp[FMT_ULONG];
    fmt_num(pp, (unsigned long)pid);
    log_event("info", "start", "pid", pp, "ip", k.ripx, "port", pb, (char *)0);
  }
  return 1;
}

/* Accepts what is pending on lfd (bounded). 0 when accepting should pause. */
static int accept_some(const struct server_conf *c, struct iplimit *kids, int l,
                       const int *lfd, size_t nlfd, stralloc *rule)
{
  int i;
  for (i = 0; i < ACCEPT_BATCH && !got_term; ++i) {
    struct sockaddr_storage peer;
    socklen_t pl = sizeof peer;
    int fd = accept4(l, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
    if (fd == -1) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return 1;
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
      log_errno(c, "accept-failed", errno);
      return 0;            /* EMFILE, ENFILE, ENOBUFS, ENOMEM, ...: pause */
    }
    if (!handle(c, kids, fd, &peer, lfd, nlfd, rule)) return 0;
  }
  return 1;
}

int server_run(const struct server_conf *c, const int *lfd, size_t nlfd)
{
  struct iplimit kids;
  struct pollfd pfd[1 + SERVER_MAXLISTEN];
  stralloc rule = {0};
  long pause_until = 0;
  size_t i;

  if (!iplimit_init(&kids, c->maxconn)) {
    log_event("fatal", "out-of-memory", (char *)0);
    return 111;
  }
  if (!setup_signals()) {
    log_event("fatal", "signals", "error", errname(errno), (char *)0);
    return 111;
  }
  while (!got_term) {
    size_t n = 1;
    int timeout = -1, r;
    long now;
    reap(c, &kids);
    now = now_ms();
    pfd[0].fd = sigpipe_fd[0];
    pfd[0].events = POLLIN;
    if (pause_until && now < pause_until) {
      timeout = (int)(pause_until - now);
    } else {
      pause_until = 0;
      for (i = 0; i < nlfd; ++i) {
        pfd[n].fd = lfd[i];
        pfd[n].events = POLLIN;
        ++n;
      }
    }
    r = poll(pfd, n, timeout);
    if (r == -1) {
      if (errno == EINTR) continue;
      log_errno(c, "poll-failed", errno);
      pause_until = now_ms() + BACKOFF_MS;
      continue;
    }
    if (pfd[0].revents) {
      char buf[64];
      while (read(sigpipe_fd[0], buf, sizeof buf) > 0) {}
    }
    for (i = 1; i < n && !got_term; ++i) {
      if (!pfd[i].revents) continue;
      if (!accept_some(c, &kids, pfd[i].fd, lfd, nlfd, &rule)) {
        if (c->verbosity >= 1) log_event("warn", "backoff", "ms", "1000", (char *)0);
        pause_until = now_ms() + BACKOFF_MS;
        break;
      }
    }
  }
  for (i = 0; i < nlfd; ++i) close(lfd[i]);
  if (c->verbosity >= 2) log_event("info", "exit", "reason", "sigterm", (char *)0);
  stralloc_free(&rule);
  iplimit_free(&kids);
  return 0;
}
