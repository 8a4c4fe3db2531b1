/* lib/fdpass.h — passing a file descriptor with bytes over a Unix
 * socket (SCM_RIGHTS), prefix fdpass_. Used by the TLS stage's control
 * socket (tlsreq.h, SOCK_SEQPACKET: one record per call) and by
 * qmail-smtpd's queue requests to qmail-rcptcheck (SOCK_STREAM: the
 * descriptor rides on the first bytes of a request). */
#ifndef QV_FDPASS_H
#define QV_FDPASS_H
#include <stddef.h>

/* One sendmsg of (buf, len) with fd attached (fd -1: none). 1 when all
 * len bytes went out; 0 with errno (EPROTO: only part of them went out,
 * possible on a stream socket; the descriptor then went with that part). */
int fdpass_send(int sock, const char *buf, size_t len, int fd);

/* One recvmsg of at most max bytes into buf; *fd gets the descriptor
 * that came with them (close-on-exec) or -1. Returns the length, 0 at
 * end of file, or -1 with errno; EPROTO when a record was longer than
 * max (a datagram or SOCK_SEQPACKET socket), the control data was cut,
 * or more than one descriptor came — every descriptor that came is then
 * closed. */
long fdpass_recv(int sock, char *buf, size_t max, int *fd);

#endif
