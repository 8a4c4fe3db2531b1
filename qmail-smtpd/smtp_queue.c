/* qmail-smtpd/smtp_queue.c — the qmail-queue client (see smtp_queue.h).
 *
 * Invariant: an envelope is written only by smtpq_close, after the
 * whole message; every other way out closes the pipes (or the memory
 * file) first, so a rejected or broken message can never be queued.
 *
 * SECURITY: the child gets only fds 0, 1, 6 (and 2) from us; the program
 * path comes from the environment set by the administrator
 * (QMAILQUEUE) or the compiled qmail home. The memory file handed to
 * the helper is sealed first, so its bytes are final; it is ours and
 * holds only this message. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "smtp_queue.h"

extern char **environ;

static int writeall(int fd, const char *s, size_t n)
{
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    s += w; n -= (size_t)w;
  }
  return 0;
}

/* The child is started with posix_spawn (glibc: clone with CLONE_VM |
 * CLONE_VFORK), not fork: qmail-smtpd's page tables are not copied and
 * no copy-on-write faults follow, which was a tenth of qmail-smtpd's CPU
 * per message. The pipes are close-on-exec; only the dup2 copies on 0,
 * 1 and 6 reach the program, with SIGPIPE back to its default. */
static int spawn(struct smtpq *q)
{
  int pm[2], pe[2], px[2];
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  sigset_t def;
  char *argv[2];
  int r;

  if (pipe2(pm, O_CLOEXEC) == -1) return -1;
  if (pipe2(pe, O_CLOEXEC) == -1) { close(pm[0]); close(pm[1]); return -1; }
  if (pipe2(px, O_CLOEXEC) == -1) {
    close(pm[0]); close(pm[1]); close(pe[0]); close(pe[1]);
    return -1;
  }
  /* 0 and 1 are the client's, so no pipe end is 0 or 1: the dup2s in
   * this order never clobber an end still to be moved (an end on 6 is
   * moved to 0 or 1 before 6 is replaced). */
  r = posix_spawn_file_actions_init(&fa);
  if (!r) {
    if (!(r = posix_spawn_file_actions_adddup2(&fa, pm[0], 0))
        && !(r = posix_spawn_file_actions_adddup2(&fa, pe[0], 1)))
      r = posix_spawn_file_actions_adddup2(&fa, px[1], 6);
    if (!r && !(r = posix_spawnattr_init(&at))) {
      sigemptyset(&def);
      sigaddset(&def, SIGPIPE);
      if (!(r = posix_spawnattr_setsigdefault(&at, &def))
          && !(r = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF))) {
        argv[0] = (char *)q->prog;
        argv[1] = 0;
        r = posix_spawn(&q->pid, q->prog, &fa, &at, argv, environ);
      }
      posix_spawnattr_destroy(&at);
    }
    posix_spawn_file_actions_destroy(&fa);
  }
  close(pm[0]); close(pe[0]); close(px[1]);
  q->fdm = pm[1];
  q->fde = pe[1];
  q->fderr = px[0];
  if (r == EAGAIN || r == ENOMEM) {
    close(pm[1]); close(pe[1]); close(px[0]);
    q->fdm = q->fde = q->fderr = -1;
    errno = r;
    return -1;
  }
  if (r) q->pid = 0;   /* could not exec: the writes fail, close says 120 */
  return 1;
}

int smtpq_open(struct smtpq *q, const char *prog, struct smtprcpt_helper *helper)
{
  q->fdm = q->fde = q->fderr = q->memfd = -1;
  q->err = 0;
  q->buflen = 0;
  q->pid = -1;
  q->memlen = 0;
  q->prog = prog;
  q->helper = helper;
  if (helper) {
    q->memfd = memfd_create("qmail-smtpd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (q->memfd != -1) return 1;
  }
  return spawn(q);
}

/* The message outgrew the memory file: start the queue program and
 * give it the bytes so far. Any failure sets q->err (the message is then
 * refused temporarily at the end). */
static void to_program(struct smtpq *q)
{
  char b[65536];
  off_t off = 0;
  int fd = q->memfd;
  q->memfd = -1;
  if (spawn(q) == -1) {
    q->pid = 0;
    q->err = 1;
  } else {
    while (!q->err && (unsigned long)off < q->memlen) {
      ssize_t r = pread(fd, b, sizeof b, off);
      if (r == -1 && errno == EINTR) continue;
      if (r <= 0 || writeall(q->fdm, b, (size_t)r)) q->err = 1;
      else off += r;
    }
  }
  close(fd);
}

static void flushbuf(struct smtpq *q)
{
  if (q->buflen && !q->err) {
    if (q->memfd != -1 && q->memlen + q->buflen > SMTPQ_MEM_MAX) to_program(q);
    if (q->memfd != -1) {
      if (writeall(q->memfd, q->buf, q->buflen)) q->err = 1;
      else q->memlen += q->buflen;
    } else if (!q->err && writeall(q->fdm, q->buf, q->buflen)) q->err = 1;
  }
  q->buflen = 0;
}

void smtpq_put(struct smtpq *q, const char *s, size_t n)
{
  while (n) {
    size_t k = sizeof q->buf - q->buflen;
    if (k > n) k = n;
    for (size_t i = 0; i < k; ++i) q->buf[q->buflen + i] = s[i];
    q->buflen += k; s += k; n -= k;
    if (q->buflen == sizeof q->buf) flushbuf(q);
  }
}

static int reap(struct smtpq *q, int *wstat)
{
  pid_t r;
  if (q->pid == 0) { *wstat = 120 << 8; return 1; }   /* W_EXITCODE(120, 0) */
  do r = waitpid(q->pid, wstat, 0); while (r == -1 && errno == EINTR);
  return r == q->pid;
}

static void closeerr(struct smtpq *q)
{
  if (q->fderr != -1) close(q->fderr);
  q->fderr = -1;
}

/* Reads "D<text>" / "Z<text>" from the program's fd 6 (it has exited,
 * so the read ends at EOF). Control bytes end the text. 1 when valid. */
static int readerr(struct smtpq *q)
{
  size_t len = 0, i;
  ssize_t r;
  while (len < sizeof q->errtext - 1) {
    r = read(q->fderr, q->errtext + len, sizeof q->errtext - 1 - len);
    if (r < 0) { if (errno == EINTR) continue; break; }
    if (r == 0) break;
    len += (size_t)r;
  }
  closeerr(q);
  for (i = 0; i < len; ++i)
    if ((unsigned char)q->errtext[i] < 0x20 || q->errtext[i] == 0x7f) break;
  q->errtext[i] = 0;
  return i > 1 && (q->errtext[0] == 'D' || q->errtext[0] == 'Z');
}

/* Helper mode: seal the memory file, hand it over, map the status. */
static const char *close_helper(struct smtpq *q, const char *env, size_t envlen)
{
  struct smtprcpt_qresult r;
  int fd = q->memfd, wstat;
  q->memfd = -1;
  q->pid = 0;
  if (q->err) { close(fd); return smtpq_status_text(0, 1); }
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) == -1
      || smtprcpt_queue(q->helper, fd, env, envlen, &r) == -1) {
    close(fd);
    return "Zunable to reach the queue helper (#4.3.0)";
  }
  close(fd);
  q->pid = (pid_t)r.pid;
  wstat = r.signalled ? W_EXITCODE(0, r.code & 0x7f) : W_EXITCODE(r.code & 0xff, 0);
  if (!r.signalled && r.code == 82 && (r.text[0] == 'D' || r.text[0] == 'Z') && r.text[1]) {
    size_t i;
    for (i = 0; r.text[i] && i < sizeof q->errtext - 1; ++i) q->errtext[i] = r.text[i];
    q->errtext[i] = 0;
    return q->errtext;
  }
  return smtpq_status_text(wstat, 0);
}

const char *smtpq_close(struct smtpq *q, const char *env, size_t envlen)
{
  int wstat;
  flushbuf(q);
  if (q->memfd != -1) return close_helper(q, env, envlen);
  if (q->fdm != -1) close(q->fdm);
  q->fdm = -1;
  if (!q->err && writeall(q->fde, env, envlen)) q->err = 1;
  close(q->fde); q->fde = -1;
  if (!reap(q, &wstat)) { closeerr(q); return "Zqq waitpid surprise (#4.3.0)"; }
  if (WIFEXITED(wstat) && WEXITSTATUS(wstat) == 82 && readerr(q)) return q->errtext;
  closeerr(q);
  return smtpq_status_text(wstat, q->err);
}

void smtpq_abort(struct smtpq *q)
{
  int wstat;
  if (q->memfd != -1) {
    close(q->memfd);
    q->memfd = -1;
    q->buflen = 0;
    return;
  }
  if (q->fdm != -1) close(q->fdm);
  if (q->fde != -1) close(q->fde);
  q->fdm = q->fde = -1;
  q->buflen = 0;
  (void)reap(q, &wstat);
  closeerr(q);
}

const char *smtpq_status_text(int wstat, int writeerr)
{
  int code;
  if (!WIFEXITED(wstat)) return "Zqq crashed (#4.3.0)";
  code = WEXITSTATUS(wstat);
  switch (code) {
    case 115: /* compatibility */
    case 11: return "Denvelope address too long for qq (#5.1.3)";
    case 31: return "Dmail server permanently rejected message (#5.3.0)";
    case 51: return "Zqq out of memory (#4.3.0)";
    case 52: return "Zqq timeout (#4.3.0)";
    case 53: return "Zqq write error or disk full (#4.3.0)";
    case 0: if (!writeerr) return "";
      /* fall through */
    case 54: return "Zqq read error (#4.3.0)";
    case 55: return "Zqq unable to read configuration (#4.3.0)";
    case 56: return "Zqq trouble making network connection (#4.3.0)";
    case 61: return "Zqq trouble in home directory (#4.3.0)";
    case 63: case 64: case 65: case 66:
    case 62: return "Zqq trouble creating files in queue (#4.3.0)";
    case 71: return "Zmail server temporarily rejected message (#4.3.0)";
    case 72: return "Zconnection to mail server timed out (#4.4.1)";
    case 73: return "Zconnection to mail server rejected (#4.4.1)";
    case 74: return "Zcommunication with mail server failed (#4.4.2)";
    case 91: /* fall through */
    case 81: return "Zqq internal bug (#4.3.0)";
    case 120: return "Zunable to exec qq (#4.3.0)";
    default:
      if (code >= 11 && code <= 40) return "Dqq permanent problem (#5.3.0)";
      return "Zqq temporary problem (#4.3.0)";
  }
}
