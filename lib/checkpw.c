/* lib/checkpw.c — run a checkpassword program with the request on fd 3
 * (see checkpw.h).
 *
 * Invariants: the caller's fds and signal dispositions are unchanged on
 * return; the child gets fd 3 = the request pipe and nothing else new;
 * an exec failure is told apart from the program's own exit 111 through
 * a close-on-exec status pipe.
 *
 * SECURITY: the secret travels only through the pipe; the local buffer
 * that assembles the request is wiped before returning. A user or secret
 * holding a NUL would shift the fields checkpassword sees, so such a
 * request is refused here. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "checkpw.h"
#include "sa.h"

static int write_all(int fd, const char *s, size_t len)
{
  while (len) {
    ssize_t w = write(fd, s, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    s += w;
    len -= (size_t)w;
  }
  return 1;
}

static void child(char *const argv[], int reqfd, int statusfd)
{
  int err;
  if (reqfd == 3) {
    if (fcntl(3, F_SETFD, 0) == -1) goto fail;
  } else if (dup2(reqfd, 3) == -1) {
    goto fail;
  } else {
    close(reqfd);
  }
  execv(argv[0], argv);
fail:
  err = errno;
  (void)!write(statusfd, &err, sizeof err);
  _exit(111);
}

enum cpw_result cpw_run(char *const argv[], const struct cpw_request *req, int *exitcode)
{
  int req_pipe[2], status_pipe[2], wstatus = 0, err = 0, saved;
  stralloc msg = {0};
  struct sigaction ignore, old;
  enum cpw_result result;
  pid_t pid;
  ssize_t n;
  int wrote;

  if (exitcode) *exitcode = 0;
  if (memchr(req->user, '\0', req->userlen) || memchr(req->secret, '\0', req->secretlen) ||
      (req->send_extra && req->extra && memchr(req->extra, '\0', req->extralen)))
    return CPW_REFUSED;
  if (!stralloc_copyb(&msg, req->user, req->userlen) || !stralloc_append(&msg, "") ||
      !stralloc_catb(&msg, req->secret, req->secretlen) || !stralloc_append(&msg, "") ||
      (req->send_extra &&
       (!stralloc_catb(&msg, req->extra ? req->extra : "", req->extra ? req->extralen : 0) ||
        !stralloc_append(&msg, "")))) {
    sa_wipe(&msg);
    errno = ENOMEM;
    return CPW_NOPIPE;
  }
  if (pipe2(req_pipe, O_CLOEXEC) == -1) { saved = errno; sa_wipe(&msg); errno = saved; return CPW_NOPIPE; }
  if (pipe2(status_pipe, O_CLOEXEC) == -1) {
    saved = errno;
    close(req_pipe[0]); close(req_pipe[1]); sa_wipe(&msg);
    errno = saved;
    return CPW_NOPIPE;
  }
  pid = fork();
  if (pid == -1) {
    saved = errno;
    close(req_pipe[0]); close(req_pipe[1]); close(status_pipe[0]); close(status_pipe[1]);
    sa_wipe(&msg);
    errno = saved;
    return CPW_NOFORK;
  }
  if (pid == 0) {
    close(req_pipe[1]);
    close(status_pipe[0]);
    child(argv, req_pipe[0], status_pipe[1]);
  }
  close(req_pipe[0]);
  close(status_pipe[1]);

  memset(&ignore, 0, sizeof ignore);
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &old);
  wrote = write_all(req_pipe[1], msg.s, msg.len);
  saved = errno;
  sigaction(SIGPIPE, &old, 0);
  close(req_pipe[1]);
  sa_wipe(&msg);

  do n = read(status_pipe[0], &err, sizeof err); while (n == -1 && errno == EINTR);
  close(status_pipe[0]);
  while (waitpid(pid, &wstatus, 0) == -1)
    if (errno != EINTR) { wstatus = 111 << 8; break; }

  if (n == (ssize_t)sizeof err) {
    if (exitcode) *exitcode = 111;
    errno = err;
    return CPW_NOEXEC;
  }
  if (WIFSIGNALED(wstatus)) {
    if (exitcode) *exitcode = WTERMSIG(wstatus);
    return CPW_CRASHED;
  }
  if (exitcode) *exitcode = WEXITSTATUS(wstatus);
  switch (WEXITSTATUS(wstatus)) {
    case 0: result = CPW_OK; break;
    case 111: result = CPW_TEMP; break;
    default: result = CPW_REFUSED; break;
  }
  /* A child that refused without reading its input is still a refusal;
   * a write failure matters only when the child then claims success. */
  if (!wrote && result == CPW_OK) { errno = saved; return CPW_NOWRITE; }
  return result;
}

unsigned cpw_fail_delay(unsigned n)
{
  if (n == 0) return 0;
  if (n >= 4) return 16;
  return 1u << n;
}
