/* launcher/qvtcpserver.c — a tcpserver-compatible launcher: parses the
 * command line, binds, drops privileges, then runs server_run.
 *
 * SECURITY: started as root to bind low ports; binds first, then drops to
 * the -u/-g (or -U: $UID/$GID) ids in server_droppriv before accepting a
 * single connection. Parses only its command line and environment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <getopt.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "buffer.h"
#include "fmt.h"
#include "scan.h"
#include "log.h"
#include "net.h"
#include "server.h"

#define USAGE "qvtcpserver [-46] [-c limit] [-C per-ip-limit] [-x rules.cdb] [-X] [-B banner] [-m refusal] [-u uid] [-g gid] [-U] [-l localname] [-HhRrPpoOdD] [-v|-q|-Q] [-b backlog] [-1] host port prog..."

/* errno as its symbolic name (EMFILE), one token for log lines. */
static const char *errname(int e)
{
  const char *n = strerrorname_np(e);
  return n ? n : "unknown";
}

static void die_usage(void)
{
  log_event("fatal", "usage", "usage", USAGE, (char *)0);
  _exit(100);
}

static void die_fatal(const char *event, const char *what)
{
  log_event("fatal", event, "arg", what, "error", errname(errno), (char *)0);
  _exit(111);
}

static unsigned long number(const char *s)
{
  unsigned long u;
  size_t n;
  if (!s) die_usage();
  n = scan_ulong(s, &u);
  if (!n || s[n]) die_usage();
  return u;
}

static unsigned short bound_port(int fd)
{
  struct sockaddr_storage ss;
  socklen_t l = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &l) == -1) return 0;
  if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int main(int argc, char **argv)
{
  struct server_conf c;
  int opt, force = 0, families, have_uid = 0, have_gid = 0, print_port = 0;
  int backlog = 20, lfd[SERVER_MAXLISTEN];
  size_t nlfd = 0;
  unsigned long uid = 0, gid = 0;
  unsigned char ip4[4], ip6[16];
  unsigned short port;

  log_init("qvtcpserver");
  memset(&c, 0, sizeof c);
  c.maxconn = 100;
  c.verbosity = 2;
  while ((opt = getopt(argc, argv, "+46c:C:x:XB:m:u:g:Ul:HhRrpPvqQb:oOdDt:1I:")) != -1) {
    switch (opt) {
      case '4': force = 4; break;
      case '6': force = 6; break;
      case 'c': c.maxconn = number(optarg); if (!c.maxconn) die_usage(); break;
      case 'C': c.maxperip = number(optarg); break;
      case 'x': c.rules = optarg; break;
      case 'X': c.rules_missing_ok = 1; break;
      case 'B': c.banner = optarg; break;
      case 'm': c.refusal = optarg; break;
      case 'u': uid = number(optarg); have_uid = 1; break;
      case 'g': gid = number(optarg); have_gid = 1; break;
      case 'U':
        uid = number(getenv("UID")); have_uid = 1;
        gid = number(getenv("GID")); have_gid = 1;
        break;
      case 'l': c.localname = optarg; break;
      case 'v': c.verbosity = 2; break;
      case 'Q': c.verbosity = 1; break;
      case 'q': c.verbosity = 0; break;
      case 'b': backlog = (int)number(optarg); break;
      case 'D': c.nodelay = 1; break;
      case 'd': c.nodelay = 0; break;
      case '1': print_port = 1; break;
      /* accepted for compatibility; qvtcpserver does no DNS, no ident
       * lookups and leaves IP options alone */
      case 'H': case 'h': case 'R': case 'r': case 'p': case 'P':
      case 'o': case 'O': case 't': case 'I': break;
      default: die_usage();
    }
  }
  if (argc - optind < 3) die_usage();
  if (!net_parse_host(argv[optind], force, &families, ip4, ip6)) {
    log_event("fatal", "bad-host", "host", argv[optind], (char *)0);
    _exit(100);
  }
  if (!net_parse_port(argv[optind + 1], &port)) {
    log_event("fatal", "bad-port", "port", argv[optind + 1], (char *)0);
    _exit(100);
  }
  c.prog = argv + optind + 2;

  if (families & NET_V6) {
    lfd[nlfd] = net_listen6(ip6, port, backlog);
    if (lfd[nlfd] == -1) {
      /* "0" on a host without IPv6 still serves IPv4 */
      if (!(families & NET_V4) || errno != EAFNOSUPPORT) die_fatal("bind-failed", argv[optind]);
    } else {
      if (!port) port = bound_port(lfd[nlfd]);
      ++nlfd;
    }
  }
  if (families & NET_V4) {
    lfd[nlfd] = net_listen4(ip4, port, backlog);
    if (lfd[nlfd] == -1) die_fatal("bind-failed", argv[optind]);
    if (!port) port = bound_port(lfd[nlfd]);
    ++nlfd;
  }
  if (have_uid || have_gid) {
    if (!server_droppriv(have_uid ? (uid_t)uid : getuid(), have_gid ? (gid_t)gid : getgid()))
      die_fatal("drop-privileges-failed", have_uid ? "uid" : "gid");
  }
  if (print_port) {
    char buf[FMT_ULONG];
    buffer_put(buffer_1, buf, fmt_ulong(buf, port));
    buffer_puts(buffer_1, "\n");
    buffer_flush(buffer_1);
  }
  return server_run(&c, lfd, nlfd);
}
