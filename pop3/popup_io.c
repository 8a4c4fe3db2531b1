/* pop3/popup_io.c — exact-line reads and bounded writes for qmail-popup
 * (see popup_io.h).
 *
 * Invariant: pio_getline consumes from the fd exactly the bytes that
 * linein_feed reported as used, so the kernel still holds everything
 * after the current line when the function returns.
 *
 * SECURITY: the input is untrusted network data before authentication.
 * Every read is bounded by the buffer below and the parser's maximum
 * line length; a line over the maximum is skipped by the parser, never
 * stored. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "popup_io.h"

static unsigned long long now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (unsigned long long)t.tv_sec * 1000ULL + (unsigned long long)t.tv_nsec / 1000000ULL;
}

/* Waits until fd is ready for events or the monotonic clock reaches
 * end (ms). 1 ready; 0 with errno ETIMEDOUT; -1 on a poll error. */
static int wait_fd(int fd, short events, unsigned long long end)
{
  struct pollfd p;
  int r;
  p.fd = fd;
  p.events = events;
  for (;;) {
    unsigned long long now = now_ms();
    unsigned long long left = end > now ? end - now : 0;
    int ms = left > 2000000000ULL ? 2000000000 : (int)left;
    if (!ms) { errno = ETIMEDOUT; return 0; }
    p.revents = 0;
    r = poll(&p, 1, ms);
    if (r > 0) return 1;
    if (r == 0) { errno = ETIMEDOUT; return 0; }
    if (errno != EINTR) return -1;
  }
}

/* Consumes exactly n bytes that a peek has shown to be there. */
static int consume(int fd, char *buf, size_t n)
{
  while (n) {
    ssize_t r = recv(fd, buf, n, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) { errno = EPIPE; return -1; }
    n -= (size_t)r;
  }
  return 0;
}

int pio_getline(struct linein *l, int fd, unsigned long timeout)
{
  char buf[512];
  static int notsock;   /* fd 0 is the same object for the whole run */
  unsigned long long end = now_ms() + (unsigned long long)timeout * 1000ULL;

  for (;;) {
    ssize_t n;
    size_t used = 0;
    int r, w = wait_fd(fd, POLLIN, end);
    if (w <= 0) return -1;
    if (!notsock) {
      n = recv(fd, buf, sizeof buf, MSG_PEEK);
      if (n < 0 && errno == ENOTSOCK) { notsock = 1; continue; }
    } else {
      n = read(fd, buf, 1);
    }
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -1;
    }
    if (n == 0) return 0;
    r = linein_feed(l, buf, (size_t)n, &used);
    if (!notsock && consume(fd, buf, used) == -1) return -1;
    if (r < 0) { errno = ENOMEM; return -1; }
    if (r != LINEIN_MORE) return r;
  }
}

int pio_write(int fd, const char *s, size_t len, unsigned long timeout)
{
  unsigned long long end = now_ms() + (unsigned long long)timeout * 1000ULL;
  while (len) {
    ssize_t w;
    int r = wait_fd(fd, POLLOUT, end);
    if (r == 0) return 0;
    if (r < 0) return 0;
    w = write(fd, s, len);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return 0;
    }
    s += w;
    len -= (size_t)w;
  }
  return 1;
}
