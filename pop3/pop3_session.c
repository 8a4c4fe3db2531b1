/* pop3/pop3_session.c — qmail-pop3d's command loop (see pop3_session.h).
 *
 * Invariants: one reply per command line, in order (pipelining: output
 * is flushed only when no further input is buffered); message numbers
 * are fixed for the session; nothing on disk changes before QUIT; EOF
 * or a timeout ends the session with nothing applied. Message bodies go
 * out through pop3_msg's converter in 32 KB reads and writes of up to
 * 68 KB, so
 * memory does not depend on message size.
 *
 * SECURITY: runs as the mail-store id after vchkpw; every command byte
 * comes from the authenticated client. Lines are bounded (pop3_cmd,
 * 255 octets); message numbers are parsed whole with overflow checks
 * and range-checked before use; the only files touched are the
 * maildrop's own (pop3_mbox). Twenty unusable lines in a row end the
 * session. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fmt.h"
#include "log.h"
#include "cmdword.h"
#include "linein.h"
#include "pop3_cmd.h"
#include "pop3_msg.h"
#include "pop3_session.h"

#define READBUF POP3MBOX_BUFSIZE
#define POP3IO_OBUF (2 * READBUF + 4096)
#define MAXBAD 20

/* replies (qmail-pop3d's texts; RFC 2449/3206 response codes added
 * where a failure is the server's, not the client's) */
static const char REPLY_OK[] = "+OK \r\n";
static const char REPLY_SYNTAX[] = "-ERR syntax error\r\n";
static const char REPLY_UNIMPL[] = "-ERR unimplemented\r\n";
static const char REPLY_DELETED[] = "-ERR already deleted\r\n";
static const char REPLY_NOZERO[] = "-ERR messages are counted from 1\r\n";
static const char REPLY_TOOBIG[] = "-ERR not that many messages\r\n";
static const char REPLY_NOSUCH[] = "-ERR unable to open that message\r\n";
static const char REPLY_NOSUCH_TEMP[] = "-ERR [SYS/TEMP] unable to open that message\r\n";
static const char REPLY_NOUNLINK[] = "-ERR [SYS/TEMP] unable to unlink all deleted messages\r\n";
static const char REPLY_NOMEM[] = "-ERR [SYS/TEMP] out of memory\r\n";
static const char REPLY_TOOLONG[] = "-ERR line too long\r\n";
static const char REPLY_TOOMANY[] = "-ERR too many bad commands\r\n";
static const char REPLY_CAPA[] =
  "+OK Capability list follows\r\n"
  "TOP\r\n"
  "UIDL\r\n"
  "RESP-CODES\r\n"
  "PIPELINING\r\n"
  "EXPIRE NEVER\r\n"
  ".\r\n";

/* --- I/O ------------------------------------------------------------- */

static void on_alarm(int sig)
{
  static const char msg[] = "qmail-pop3d: info: timeout\n";
  (void)sig;
  if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
  _exit(0);
}

int pop3io_init(struct pop3io *io, int in, int out, unsigned int timeout)
{
  struct sigaction sa;
  io->in = in;
  io->out = out;
  io->timeout = timeout ? timeout : 1;
  io->olen = 0;
  io->ipos = io->ilen = 0;
  io->obuf = malloc(POP3IO_OBUF);
  if (!io->obuf) { errno = ENOMEM; return 0; }
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, 0);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, 0);
  return 1;
}

int pop3io_flush(struct pop3io *io)
{
  size_t off = 0;
  while (off < io->olen) {
    ssize_t w;
    alarm(io->timeout);
    w = write(io->out, io->obuf + off, io->olen - off);
    alarm(0);
    if (w == -1 && errno == EINTR) continue;
    if (w <= 0) { io->olen = 0; return 0; }
    off += (size_t)w;
  }
  io->olen = 0;
  return 1;
}

void pop3io_free(struct pop3io *io)
{
  free(io->obuf);
  io->obuf = 0;
  io->olen = 0;
}

int pop3io_put(struct pop3io *io, const char *s, size_t n)
{
  while (n) {
    size_t room = POP3IO_OBUF - io->olen, k = n < room ? n : room;
    memcpy(io->obuf + io->olen, s, k);
    io->olen += k;
    s += k;
    n -= k;
    if (io->olen == POP3IO_OBUF && !pop3io_flush(io)) return 0;
  }
  return 1;
}

int pop3io_puts(struct pop3io *io, const char *s)
{
  return pop3io_put(io, s, strlen(s));
}

/* 1 bytes read, 0 EOF or error (the session ends), alarm on timeout */
static int fill(struct pop3io *io)
{
  for (;;) {
    ssize_t r;
    alarm(io->timeout);
    r = read(io->in, io->ibuf, sizeof io->ibuf);
    alarm(0);
    if (r == -1 && errno == EINTR) continue;
    if (r <= 0) return 0;
    io->ipos = 0;
    io->ilen = (size_t)r;
    return 1;
  }
}

/* --- the session ------------------------------------------------------ */

struct sess {
  struct pop3io *io;
  struct pop3mbox *mb;
  unsigned long last;   /* LAST: the highest message number DELEted */
  int status;           /* -1 running, else the exit status */
  int ioerr;            /* a write failed: the client is gone */
};

static void put(struct sess *s, const char *str, size_t n)
{
  if (!s->ioerr && !pop3io_put(s->io, str, n)) s->ioerr = 1;
}

static void puts_(struct sess *s, const char *str)
{
  put(s, str, strlen(str));
}

static void putnum(struct sess *s, unsigned long long n)
{
  char buf[FMT_ULONG + 8];
  size_t i = sizeof buf;
  do { buf[--i] = (char)('0' + n % 10); n /= 10; } while (n);
  put(s, buf + i, sizeof buf - i);
}

/* A failure of the store ends the session without applying anything. */
static void fail_temp(struct sess *s, const char *what, int err)
{
  char num[FMT_ULONG];
  num[fmt_ulong(num, (unsigned long)err)] = 0;
  log_event("warn", "store-error", "what", what, "errno", num, (char *)0);
  puts_(s, err == ENOMEM ? REPLY_NOMEM : "-ERR [SYS/TEMP] unable to read the maildrop\r\n");
  s->status = 111;
}

/* Sizes message i. 1 known; 0 gone (the reply was given); -1 the
 * session failed (reply given). */
static int sized(struct sess *s, unsigned int i)
{
  int r = pop3mbox_size(s->mb, i);
  if (r == -1) { fail_temp(s, "size", errno); return -1; }
  return r;
}

enum { ARG_NONE, ARG_MSG, ARG_OPTMSG };

/* Message number from the first word of the argument: the index, or -1
 * with the reply given. */
static long msgno(struct sess *s, const char **arg, size_t *arglen)
{
  const char *w;
  size_t wlen;
  unsigned long u;
  if (!pop3cmd_word(arg, arglen, &w, &wlen) || !cmdword_number(w, wlen, &u)) {
    puts_(s, REPLY_SYNTAX);
    return -1;
  }
  if (!u) { puts_(s, REPLY_NOZERO); return -1; }
  if (u > s->mb->n) { puts_(s, REPLY_TOOBIG); return -1; }
  if (s->mb->m[u - 1].flags & POP3MSG_DELETED) { puts_(s, REPLY_DELETED); return -1; }
  if (s->mb->m[u - 1].flags & POP3MSG_GONE) { puts_(s, REPLY_NOSUCH); return -1; }
  return (long)(u - 1);
}

static int visible(const struct pop3msg *m)
{
  return !(m->flags & (POP3MSG_DELETED | POP3MSG_GONE));
}

static void do_stat(struct sess *s, long i, const char *arg, size_t len)
{
  unsigned long long total = 0;
  unsigned long n = 0;
  unsigned int k;
  for (k = 0; k < s->mb->n; ++k) {
    if (!visible(&s->mb->m[k])) continue;
    if (sized(s, k) == -1) return;
    if (!visible(&s->mb->m[k])) continue;
    total += s->mb->m[k].size;
    ++n;
  }
  puts_(s, "+OK ");
  putnum(s, n);
  put(s, " ", 1);
  putnum(s, total);
  put(s, "\r\n", 2);
}

static void list_line(struct sess *s, unsigned int k, int uidl)
{
  putnum(s, k + 1);
  put(s, " ", 1);
  if (uidl) {
    const char *u;
    size_t ulen = pop3mbox_uidl(s->mb, k, &u);
    put(s, u, ulen);
  } else
    putnum(s, s->mb->m[k].size);
  put(s, "\r\n", 2);
}

static void listing(struct sess *s, long i, int uidl)
{
  unsigned int k;
  if (i >= 0) {
    if (!uidl) {
      int r = sized(s, (unsigned int)i);
      if (r == -1) return;
      if (r == 0) { puts_(s, REPLY_NOSUCH); return; }
    }
    puts_(s, "+OK ");
    list_line(s, (unsigned int)i, uidl);
    return;
  }
  if (!uidl)   /* size first: a message found gone is left out */
    for (k = 0; k < s->mb->n; ++k)
      if (visible(&s->mb->m[k]) && sized(s, k) == -1) return;
  puts_(s, REPLY_OK);
  for (k = 0; k < s->mb->n; ++k)
    if (visible(&s->mb->m[k])) list_line(s, k, uidl);
  put(s, ".\r\n", 3);
}

static void do_list(struct sess *s, long i, const char *arg, size_t len)
{
  listing(s, i, 0);
}

static void do_uidl(struct sess *s, long i, const char *arg, size_t len)
{
  listing(s, i, 1);
}

/* RETR and TOP: stream the message through the converter */
static void send_msg(struct sess *s, unsigned int i, int top, unsigned long lines)
{
  struct pop3xf x;
  struct pop3io *io = s->io;
  int fd;
  if (!s->mb->buf && !(s->mb->buf = malloc(READBUF))) {
    fail_temp(s, "retr", ENOMEM);
    return;
  }
  fd = pop3mbox_open(s->mb, i);
  if (fd == -1) {
    if (errno == ENOENT) { puts_(s, REPLY_NOSUCH); return; }
    log_event("warn", "open-failed", "file", pop3mbox_path(s->mb, i), (char *)0);
    puts_(s, REPLY_NOSUCH_TEMP);
    return;
  }
  puts_(s, REPLY_OK);
  pop3xf_init(&x, top, lines);
  while (!x.done && !s->ioerr) {
    ssize_t r = read(fd, s->mb->buf, READBUF);
    if (r == -1 && errno == EINTR) continue;
    if (r == -1) {
      /* +OK went out already: end the session, the reply stays short */
      int err = errno;
      close(fd);
      log_event("warn", "read-failed", "file", pop3mbox_path(s->mb, i), (char *)0);
      (void)err;
      s->status = 111;
      return;
    }
    if (r == 0) break;
    if (POP3IO_OBUF - io->olen < 2 * (size_t)r + 8 && !pop3io_flush(io)) {
      s->ioerr = 1;
      break;
    }
    io->olen += pop3xf_feed(&x, s->mb->buf, (size_t)r, io->obuf + io->olen);
  }
  close(fd);
  if (s->ioerr) return;
  if (POP3IO_OBUF - io->olen < 8 && !pop3io_flush(io)) { s->ioerr = 1; return; }
  io->olen += pop3xf_end(&x, io->obuf + io->olen);
  put(s, ".\r\n", 3);
}

static void do_retr(struct sess *s, long i, const char *arg, size_t len)
{
  send_msg(s, (unsigned int)i, 0, 0);
}

static void do_top(struct sess *s, long i, const char *arg, size_t len)
{
  const char *w;
  size_t wlen;
  unsigned long n;
  if (!pop3cmd_word(&arg, &len, &w, &wlen)) {   /* qmail: TOP i = RETR i */
    send_msg(s, (unsigned int)i, 0, 0);
    return;
  }
  if (!cmdword_number(w, wlen, &n)) { puts_(s, REPLY_SYNTAX); return; }
  send_msg(s, (unsigned int)i, 1, n);
}

static void do_dele(struct sess *s, long i, const char *arg, size_t len)
{
  s->mb->m[i].flags |= POP3MSG_DELETED;
  if ((unsigned long)i + 1 > s->last) s->last = (unsigned long)i + 1;
  puts_(s, REPLY_OK);
}

static void do_rset(struct sess *s, long i, const char *arg, size_t len)
{
  unsigned int k;
  for (k = 0; k < s->mb->n; ++k)
    s->mb->m[k].flags &= ~(unsigned int)POP3MSG_DELETED;
  s->last = 0;
  puts_(s, REPLY_OK);
}

static void do_last(struct sess *s, long i, const char *arg, size_t len)
{
  puts_(s, "+OK ");
  putnum(s, s->last);
  put(s, "\r\n", 2);
}

static void do_noop(struct sess *s, long i, const char *arg, size_t len)
{
  puts_(s, REPLY_OK);
}

static void do_capa(struct sess *s, long i, const char *arg, size_t len)
{
  puts_(s, REPLY_CAPA);
}

static void do_quit(struct sess *s, long i, const char *arg, size_t len)
{
  unsigned int failed = 0, k, ndel = 0;
  char a[FMT_ULONG], b[FMT_ULONG];
  for (k = 0; k < s->mb->n; ++k)
    if (s->mb->m[k].flags & POP3MSG_DELETED) ++ndel;
  if (pop3mbox_update(s->mb, &failed) == -1) {
    fail_temp(s, "update", errno);
    return;
  }
  a[fmt_ulong(a, s->mb->n)] = 0;
  b[fmt_ulong(b, ndel)] = 0;
  log_event("info", "quit", "ip", getenv("TCPREMOTEIP"), "user", getenv("USER"),
            "messages", a, "deleted", b, (char *)0);
  if (failed) {
    log_event("warn", "unlink-failed", "ip", getenv("TCPREMOTEIP"), "user", getenv("USER"),
              (char *)0);
    puts_(s, REPLY_NOUNLINK);
  } else
    puts_(s, REPLY_OK);
  s->status = 0;
}

struct command {
  const char *verb;
  int arg;   /* ARG_NONE: arguments ignored, as qmail-pop3d does */
  void (*fn)(struct sess *, long, const char *, size_t);
};

static const struct command commands[] = {
  { "stat", ARG_NONE, do_stat },
  { "list", ARG_OPTMSG, do_list },
  { "uidl", ARG_OPTMSG, do_uidl },
  { "retr", ARG_MSG, do_retr },
  { "top", ARG_MSG, do_top },
  { "dele", ARG_MSG, do_dele },
  { "rset", ARG_NONE, do_rset },
  { "last", ARG_NONE, do_last },
  { "noop", ARG_NONE, do_noop },
  { "capa", ARG_NONE, do_capa },
  { "quit", ARG_NONE, do_quit },
  { 0, 0, 0 }
};

/* One command line. Returns 1 when it was a known command. */
static int dispatch(struct sess *s, const char *line, size_t len)
{
  struct cmdword c;
  const struct command *cmd;
  const char *arg;
  size_t arglen;
  long i = -1;
  cmdword_split(line, len, 0, &c);
  for (cmd = commands; cmd->verb; ++cmd)
    if (cmdword_is(c.verb, c.verblen, cmd->verb)) break;
  if (!cmd->verb) { puts_(s, REPLY_UNIMPL); return 0; }
  arg = c.arg;
  arglen = c.arglen;
  if (cmd->arg == ARG_MSG || (cmd->arg == ARG_OPTMSG && arglen)) {
    const char *p = arg;
    size_t plen = arglen, wlen;
    const char *w;
    if (cmd->arg == ARG_OPTMSG && !pop3cmd_word(&p, &plen, &w, &wlen)) {
      /* only spaces: no argument */
    } else {
      i = msgno(s, &arg, &arglen);
      if (i < 0) return 1;
    }
  }
  cmd->fn(s, i, arg, arglen);
  return 1;
}

int pop3sess_run(struct pop3io *io, struct pop3mbox *mb)
{
  struct linein line;
  struct sess s;
  unsigned int bad = 0;
  s.io = io;
  s.mb = mb;
  s.last = 0;
  s.status = -1;
  s.ioerr = 0;
  linein_init(&line, POP3LINE_MAX, LINEIN_NONUL);
  while (s.status < 0 && !s.ioerr) {
    size_t used;
    int r;
    if (io->ipos == io->ilen) {
      if (!pop3io_flush(io) || !fill(io)) { s.status = 0; break; }
    }
    r = linein_feed(&line, io->ibuf + io->ipos, io->ilen - io->ipos, &used);
    io->ipos += used;
    if (r == LINEIN_MORE) continue;
    if (r == -1) { fail_temp(&s, "input", ENOMEM); break; }
    if (r == LINEIN_DONE && dispatch(&s, line.line.s, line.line.len)) {
      bad = 0;
      continue;
    }
    if (r == LINEIN_TOOLONG) puts_(&s, REPLY_TOOLONG);
    else if (r == LINEIN_BADBYTE) puts_(&s, REPLY_SYNTAX);
    if (++bad >= MAXBAD) {
      puts_(&s, REPLY_TOOMANY);
      log_event("warn", "too-many-bad-commands", "user", getenv("USER"), (char *)0);
      s.status = 0;
    }
  }
  if (!s.ioerr) pop3io_flush(io);
  linein_free(&line);
  return s.status < 0 ? 0 : s.status;
}
