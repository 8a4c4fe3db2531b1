/* lib/fdpass_test.c — descriptors over SOCK_SEQPACKET and SOCK_STREAM
 * sockets: one passes, none is fine, two are refused, a record longer
 * than the buffer is an error. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "../tests/check.h"
#include "fdpass.h"

/* Sends (buf, len) with two descriptors attached. */
static int send_two(int sock, const char *buf, size_t len, int a, int b)
{
  struct msghdr m;
  struct iovec iov;
  union { struct cmsghdr h; char c[CMSG_SPACE(2 * sizeof(int))]; } cm;
  struct cmsghdr *h;
  int fds[2];
  fds[0] = a; fds[1] = b;
  memset(&m, 0, sizeof m);
  memset(&cm, 0, sizeof cm);
  iov.iov_base = (void *)buf;
  iov.iov_len = len;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = cm.c;
  m.msg_controllen = sizeof cm.c;
  h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(h), fds, sizeof fds);
  return sendmsg(sock, &m, 0) == (ssize_t)len;
}

int main(void)
{
  int sv[2], pv[2], st[2], got = -2;
  char buf[16];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pv) == 0);
  CHECK(fdpass_send(sv[0], "S", 1, pv[0]) == 1);
  CHECK(fdpass_recv(sv[1], buf, sizeof buf, &got) == 1 && buf[0] == 'S' && got >= 0);
  CHECK(write(got, "hi", 2) == 2);
  CHECK(read(pv[1], buf, 2) == 2 && !memcmp(buf, "hi", 2));
  close(got);
  CHECK(fdpass_send(sv[0], "abc", 3, -1) == 1);
  CHECK(fdpass_recv(sv[1], buf, sizeof buf, &got) == 3 && got == -1);
  /* a record longer than the buffer is an error, not a partial read */
  CHECK(fdpass_send(sv[0], "0123456789abcdefXYZ", 19, -1) == 1);
  CHECK(fdpass_recv(sv[1], buf, sizeof buf, &got) == -1 && errno == EPROTO);
  /* two descriptors: refused, none kept */
  CHECK(send_two(sv[0], "T", 1, pv[0], pv[1]));
  got = -2;
  CHECK(fdpass_recv(sv[1], buf, sizeof buf, &got) == -1 && errno == EPROTO && got == -1);
  close(sv[0]);
  CHECK(fdpass_recv(sv[1], buf, sizeof buf, &got) == 0);
  close(sv[1]);

  /* a stream socket: the descriptor comes with the first bytes read */
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, st) == 0);
  CHECK(fdpass_send(st[0], "\0\5Qabcd", 7, pv[0]) == 1);
  CHECK(fdpass_recv(st[1], buf, 2, &got) == 2 && got >= 0 && !memcmp(buf, "\0\5", 2));
  close(got);
  CHECK(fdpass_recv(st[1], buf, sizeof buf, &got) == 5 && got == -1 && !memcmp(buf, "Qabcd", 5));
  close(st[0]); close(st[1]); close(pv[0]); close(pv[1]);
  return check_done();
}
