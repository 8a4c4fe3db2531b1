/* lib/fdpass.c — descriptor passing over Unix sockets (see fdpass.h).
 *
 * SECURITY: a receiver accepts at most one descriptor per call and
 * closes any others, so a peer cannot fill its descriptor table; the
 * caller decides whether a descriptor was expected at all. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "fdpass.h"

int fdpass_send(int sock, const char *buf, size_t len, int fd)
{
  struct msghdr m;
  struct iovec iov;
  union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } cm;
  ssize_t w;
  memset(&m, 0, sizeof m);
  iov.iov_base = (void *)buf;
  iov.iov_len = len;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  if (fd >= 0) {
    struct cmsghdr *h;
    memset(&cm, 0, sizeof cm);
    m.msg_control = cm.b;
    m.msg_controllen = sizeof cm.b;
    h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
  }
  do w = sendmsg(sock, &m, MSG_NOSIGNAL);
  while (w == -1 && errno == EINTR);
  if (w == -1) return 0;
  if ((size_t)w != len) { errno = EPROTO; return 0; }
  return 1;
}

long fdpass_recv(int sock, char *buf, size_t max, int *fd)
{
  struct msghdr m;
  struct iovec iov;
  union { struct cmsghdr h; char b[CMSG_SPACE(4 * sizeof(int))]; } cm;
  struct cmsghdr *h;
  ssize_t r;
  int extra = 0;
  *fd = -1;
  memset(&m, 0, sizeof m);
  iov.iov_base = buf;
  iov.iov_len = max;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = cm.b;
  m.msg_controllen = sizeof cm.b;
  do r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
  while (r == -1 && errno == EINTR);
  if (r == -1) return -1;
  for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
    if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
      size_t k, n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (k = 0; k < n; ++k) {
        int got;
        memcpy(&got, CMSG_DATA(h) + k * sizeof(int), sizeof got);
        if (*fd == -1) *fd = got;
        else { close(got); extra = 1; }
      }
    }
  }
  if (extra || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
    errno = EPROTO;
    return -1;
  }
  return (long)r;
}
