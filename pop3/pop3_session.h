/* pop3/pop3_session.h — qmail-pop3d's TRANSACTION and UPDATE states
 * (RFC 1939) on one scanned maildrop: a command table, replies with
 * qmail-pop3d's texts, pipelined input, buffered output. */
#ifndef QV_POP3_SESSION_H
#define QV_POP3_SESSION_H
#include "pop3_mbox.h"

/* Buffered, timed network I/O on two descriptors. */
struct pop3io {
  int in, out;
  unsigned int timeout;   /* seconds per read or write (alarm) */
  char *obuf;             /* output buffer, POP3IO_OBUF bytes */
  size_t olen;
  char ibuf[4096];
  size_t ipos, ilen;
};

/* Prepares io on fds in/out with the given timeout; installs the SIGALRM
 * handler that ends the process (status 0, nothing applied) when a read
 * or write takes longer, and ignores SIGPIPE. 1, or 0 on ENOMEM. */
int pop3io_init(struct pop3io *io, int in, int out, unsigned int timeout);

/* Queues (s, n) / a C string for the client. 1, or 0 when a write
 * failed (the client is gone). */
int pop3io_put(struct pop3io *io, const char *s, size_t n);
int pop3io_puts(struct pop3io *io, const char *s);
int pop3io_flush(struct pop3io *io);

/* Frees the output buffer (unsent bytes are dropped). */
void pop3io_free(struct pop3io *io);

/* Runs the session on mb after the greeting: reads commands until QUIT
 * (deletions applied), EOF or a timeout (nothing applied), or 20
 * consecutive unusable commands. Returns the exit status: 0 after QUIT,
 * EOF or a vanished client; 111 after a temporary failure that ended the
 * session (out of memory, a message unreadable mid-transfer). */
int pop3sess_run(struct pop3io *io, struct pop3mbox *mb);

#endif
