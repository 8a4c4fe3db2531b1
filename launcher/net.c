/* launcher/net.c — listening sockets and address text (see net.h).
 *
 * SECURITY: runs as root before the privilege drop (binding); parses
 * only the command line. Addresses of peers come from the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "ip4.h"
#include "ip6.h"
#include "scan.h"
#include "net.h"

static const unsigned char v4mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

int net_parse_host(const char *host, int force, int *families,
                   unsigned char ip4[4], unsigned char ip6[16])
{
  memset(ip4, 0, 4);
  memset(ip6, 0, 16);
  if (!*host || !strcmp(host, "0") || !strcmp(host, "::")) {
    *families = force == 4 ? NET_V4 : force == 6 ? NET_V6 : NET_V4 | NET_V6;
    return 1;
  }
  if (inet_pton(AF_INET, host, ip4) == 1) {
    if (force == 6) { errno = EINVAL; return 0; }
    *families = NET_V4;
    return 1;
  }
  if (inet_pton(AF_INET6, host, ip6) == 1) {
    if (force == 4) { errno = EINVAL; return 0; }
    if (!memcmp(ip6, v4mapped, 12)) {       /* ::ffff:a.b.c.d = IPv4 */
      memcpy(ip4, ip6 + 12, 4);
      *families = NET_V4;
      return 1;
    }
    *families = NET_V6;
    return 1;
  }
  errno = EINVAL;
  return 0;
}

int net_parse_port(const char *s, unsigned short *port)
{
  unsigned long u;
  size_t n = scan_ulong(s, &u);
  if (n && !s[n]) {
    if (u > 65535) return 0;
    *port = (unsigned short)u;
    return 1;
  }
  {
    struct servent *se = getservbyname(s, "tcp");
    if (!se) return 0;
    *port = ntohs((unsigned short)se->s_port);
  }
  return 1;
}

static int net_setup(int fd, const struct sockaddr *sa, socklen_t len, int backlog)
{
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1) return -1;
  if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) return -1;
  if (bind(fd, sa, len) == -1) return -1;
  if (listen(fd, backlog) == -1) return -1;
  return fd;
}

static int net_fail(int fd)
{
  int e = errno;
  close(fd);
  errno = e;
  return -1;
}

int net_listen4(const unsigned char ip[4], unsigned short port, int backlog)
{
  struct sockaddr_in sin;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1) return -1;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  memcpy(&sin.sin_addr, ip, 4);
  if (net_setup(fd, (struct sockaddr *)&sin, sizeof sin, backlog) == -1) return net_fail(fd);
  return fd;
}

int net_listen6(const unsigned char ip[16], unsigned short port, int backlog)
{
  struct sockaddr_in6 sin6;
  int one = 1;
  int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1) return -1;
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) == -1) return net_fail(fd);
  memset(&sin6, 0, sizeof sin6);
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(port);
  memcpy(&sin6.sin6_addr, ip, 16);
  if (net_setup(fd, (struct sockaddr *)&sin6, sizeof sin6, backlog) == -1) return net_fail(fd);
  return fd;
}

size_t net_addr(const struct sockaddr_storage *sa, unsigned char ip[16],
                char text[NET_IPTEXT], unsigned short *port, int *is6)
{
  size_t n;
  if (sa->ss_family == AF_INET6) {
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
    memcpy(ip, &s6->sin6_addr, 16);
    *port = ntohs(s6->sin6_port);
  } else {
    const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
    memcpy(ip, v4mapped, 12);
    memcpy(ip + 12, &s4->sin_addr, 4);
    *port = ntohs(s4->sin_port);
  }
  *is6 = memcmp(ip, v4mapped, 12) != 0;
  if (*is6) n = fmt_ip6c(text, (const char *)ip);
  else n = fmt_ip4(text, (const char *)ip + 12);
  text[n] = '\0';
  return n;
}

size_t net_text6(const unsigned char ip[16], char text[NET_IPTEXT])
{
  size_t n = fmt_ip6(text, (const char *)ip);
  text[n] = '\0';
  return n;
}
