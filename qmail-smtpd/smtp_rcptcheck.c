/* qmail-smtpd/smtp_rcptcheck.c — recipient validation through
 * qmail-rcptcheck (see smtp_rcptcheck.h, rcpt_proto.h).
 *
 * Invariant: any doubt is "try later", never "no mailbox": only a reply
 * the helper actually sent can refuse permanently; a helper that cannot
 * be started, dies, stalls or answers out of protocol gives 451.
 *
 * SECURITY: the address comes from the network (bounded, no control
 * bytes, checked again by rcptp_addr_ok before it is sent). The helper
 * is the only privileged party; this side reads users/cdb (no secret)
 * and the helper's bounded replies. The helper's fds are only its end
 * of the socketpair (0 and 1) and our fd 2 for its log: every other fd
 * is close-on-exec, so it never sees the client's connection. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "assign.h"
#include "byte.h"
#include "fdpass.h"
#include "log.h"
#include "rcpt_proto.h"
#include "sa.h"
#include "smtp_rcptcheck.h"

extern char **environ;

int smtprcpt_accept_all(void *ctx, const char *addr, size_t len)
{
  (void)ctx; (void)addr; (void)len;
  return SMTPRCPT_OK;
}

void smtprcpt_helper_close(struct smtprcpt_helper *h)
{
  int st;
  if (h->fd > 0) close(h->fd);
  h->fd = 0;
  if (h->pid > 0) waitpid(h->pid, &st, WNOHANG);
  h->pid = 0;
}

static int start(struct smtprcpt_helper *h)
{
  int sv[2];
  pid_t pid;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) return -1;
  pid = fork();
  if (pid == -1) { close(sv[0]); close(sv[1]); return -1; }
  if (pid == 0) {
    char *argv[2];
    signal(SIGPIPE, SIG_DFL);
    if (dup2(sv[1], 0) == -1 || dup2(sv[1], 1) == -1) _exit(111);
    argv[0] = (char *)h->prog; argv[1] = 0;
    execve(h->prog, argv, environ);
    _exit(111);
  }
  close(sv[1]);
  h->fd = sv[0];
  h->pid = pid;
  return 0;
}

static int sendall(int fd, const char *s, size_t n)
{
  while (n) {
    ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
    if (w == -1) { if (errno == EINTR) continue; return -1; }
    s += w; n -= (size_t)w;
  }
  return 0;
}

/* Reads exactly n bytes within the timeout (seconds; 0: the session's,
 * else 60). 0, or -1. */
static int recvall(struct smtprcpt_helper *h, char *b, size_t n, unsigned long t)
{
  if (!t) t = h->timeout ? h->timeout : 60;
  if (t > 2000000UL) t = 2000000UL;
  while (n) {
    struct pollfd p;
    ssize_t r;
    p.fd = h->fd; p.events = POLLIN; p.revents = 0;
    r = poll(&p, 1, (int)t * 1000);
    if (r == -1 && errno == EINTR) continue;
    if (r <= 0) return -1;
    r = read(h->fd, b, n);
    if (r == -1 && errno == EINTR) continue;
    if (r <= 0) return -1;
    b += r; n -= (size_t)r;
  }
  return 0;
}

/* Asks the helper. RCPTP_* status, or -1 (helper failed); text gets
 * the reason (NUL-terminated). */
static int ask(struct smtprcpt_helper *h, const char *a, size_t len, stralloc *req, char *text)
{
  char hd[2];
  req->len = 0;
  if (!rcptp_req_put(req, h->mode, h->mbxquota, a, len)) return -1;
  if (!h->fd && start(h) == -1) return -1;
  if (sendall(h->fd, req->s, req->len) == -1) return -1;
  if (recvall(h, hd, 2, 0) == -1) return -1;
  if (!rcptp_status_ok(hd[0]) || (unsigned char)hd[1] > RCPTP_TEXTMAX) return -1;
  if (recvall(h, text, (unsigned char)hd[1], 0) == -1) return -1;
  text[(unsigned char)hd[1]] = 0;
  return hd[0];
}

int smtprcpt_helper(void *ctx, const char *addr, size_t len)
{
  struct smtprcpt_helper *h = ctx;
  struct vdomain d = {0};
  stralloc req = {0};
  char text[RCPTP_TEXTMAX + 1];
  const char *ip = h->remoteip ? h->remoteip : "unknown";
  size_t at = byte_rchr(addr, len, '@');
  int r;

  if (at == len || at == 0 || at == len - 1) return SMTPRCPT_OK;  /* not ours to judge */
  r = assign_lookup(&d, addr + at + 1, len - at - 1);
  assign_free(&d);
  if (r == 0 || (r == -1 && errno == ENOENT)) return SMTPRCPT_OK;
  /* found, or users/cdb unreadable here: the helper can read it */
  if (!rcptp_addr_ok(addr, len)) {
    log_event("info", "rcpt-refused", "ip", ip, "rcpt", addr, "reason", "invalid address", (char *)0);
    return SMTPRCPT_NOMAILBOX;
  }
  text[0] = 0;
  r = ask(h, addr, len, &req, text);
  stralloc_free(&req);
  switch (r) {
    case RCPTP_OK: case RCPTP_NOTJUDGED: return SMTPRCPT_OK;
    case RCPTP_NOMAILBOX:
      log_event("info", "rcpt-refused", "ip", ip, "rcpt", addr, "reason", text, (char *)0);
      return SMTPRCPT_NOMAILBOX;
    case RCPTP_FULL:
      log_event("info", "rcpt-full", "ip", ip, "rcpt", addr, "reason", text, (char *)0);
      return SMTPRCPT_FULL;
    case RCPTP_TEMP:
      log_event("warn", "rcpt-deferred", "ip", ip, "rcpt", addr, "reason", text, (char *)0);
      return SMTPRCPT_TEMP;
    default:
      log_event("warn", "rcptcheck-failed", "prog", h->prog, "rcpt", addr,
                "error", errno ? strerror(errno) : "no reply", (char *)0);
      smtprcpt_helper_close(h);
      return SMTPRCPT_TEMP;
  }
}

/* A queue step may run .qmail programs: wait as long as qmail-queue's
 * own alarm allows, plus a minute. */
#define QUEUE_WAIT (86400UL + 60)

int smtprcpt_queue(struct smtprcpt_helper *h, int msgfd, const char *env, size_t envlen,
                   struct smtprcpt_qresult *res)
{
  stralloc req = {0};
  char hd[RCPTP_QREPLYHEAD];
  size_t tlen;
  int ok;
  res->text[0] = 0;
  if (!rcptp_qreq_put(&req, envlen) || !stralloc_catb(&req, env, envlen)) {
    stralloc_free(&req);
    return -1;
  }
  /* the descriptor rides on the request's first bytes, the envelope follows */
  ok = (h->fd || start(h) == 0) && fdpass_send(h->fd, req.s, RCPTP_QREQHEAD, msgfd)
       && sendall(h->fd, req.s + RCPTP_QREQHEAD, req.len - RCPTP_QREQHEAD) == 0
       && recvall(h, hd, sizeof hd, QUEUE_WAIT) == 0
       && rcptp_qreply_head(hd, &res->code, &res->signalled, &res->pid, &tlen)
       && recvall(h, res->text, tlen, QUEUE_WAIT) == 0;
  stralloc_free(&req);
  if (!ok) {
    log_event("warn", "rcptcheck-failed", "prog", h->prog, "request", "queue",
              "error", errno ? strerror(errno) : "no reply", (char *)0);
    smtprcpt_helper_close(h);
    return -1;
  }
  res->text[tlen] = 0;
  return 0;
}
