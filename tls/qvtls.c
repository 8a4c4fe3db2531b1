/* tls/qvtls.c — the TLS stage: qvtls [-i] [-u uid] [-g gid] [-U]
 * [-k user] [-d certdir] prog...
 *
 * Runs per connection between the launcher (tcpserver or qvtcpserver,
 * fds 0/1 = the client socket) and a protocol program. It forks: the
 * child is the protocol chain, which drops to the -u/-g ids at once and
 * execs prog; the parent is the TLS helper, which drops to its own id
 * (-k, default conf-users' qvtls user; when not started as root, the ids
 * it was started with) before it reads a certificate or key, and then
 *   -i (implicit TLS, ports 465/993/995): does the handshake on the
 *     client socket, sends the facts over the control socket (the chain
 *     sets SSL_* and execs prog on a plaintext socketpair) and relays;
 *   otherwise (STARTTLS): the chain gets the client socket and
 *     QVTLSCTL=<fd>; when prog asks (tlsreq_starttls), the helper takes
 *     the client socket over SCM_RIGHTS, handshakes, returns a plaintext
 *     socket plus the facts, and relays. With no default certificate
 *     (DIR/default/fullchain.pem) STARTTLS is not offered: prog is
 *     exec'd directly.
 * The helper exits when both directions are finished, with prog's exit
 * status, so the launcher's accounting covers the whole connection.
 *
 * SECURITY: started as root (or as the id that owns the keys). The
 * chain never holds a key and never runs as the helper's id; the helper
 * never runs as root and never execs anything. Neither reads a network
 * byte before it has dropped privileges. The control socket carries our
 * own fixed records (tlsreq.h); a malformed one ends the connection. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <getopt.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "fmt.h"
#include "scan.h"
#include "conf.h"
#include "fdpass.h"
#include "log.h"
#include "sa.h"
#include "tlsconf.h"
#include "tlsreq.h"
#include "tlsserver.h"

#define USAGE "qvtls [-i] [-u uid] [-g gid] [-U] [-k user] [-d certdir] prog..."

static const char *remoteip;

static void die(const char *event, const char *what) __attribute__((noreturn));
static void die(const char *event, const char *what)
{
  log_event("fatal", event, "arg", what, "error", errno ? strerror(errno) : "-", (char *)0);
  _exit(111);
}

static void die_usage(void) __attribute__((noreturn));
static void die_usage(void)
{
  log_event("fatal", "usage", "usage", USAGE, (char *)0);
  _exit(100);
}

/* A number, or a name looked up with getpwnam / getgrnam. */
static unsigned long userid(const char *s, int group)
{
  unsigned long u;
  size_t n = scan_ulong(s, &u);
  if (n && !s[n]) return u;
  errno = 0;
  if (group) {
    struct group *g = getgrnam(s);
    if (!g) die("no-such-group", s);
    return g->gr_gid;
  } else {
    struct passwd *p = getpwnam(s);
    if (!p) die("no-such-user", s);
    return p->pw_uid;
  }
}

/* Becomes uid/gid for good; verifies that root cannot be regained. */
static void become(uid_t uid, gid_t gid, const char *who)
{
  if (setgroups(1, &gid) == -1 && geteuid() == 0) die("setgroups", who);
  if (setgid(gid) == -1 || setuid(uid) == -1) die("drop-privileges", who);
  if (uid != 0 && (setuid(0) == 0 || geteuid() == 0 || getuid() == 0)) {
    errno = EPERM;
    die("drop-privileges", who);
  }
}

static int child_status(pid_t pid)
{
  int st;
  while (waitpid(pid, &st, 0) == -1)
    if (errno != EINTR) return 111;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 111;
}

static void devnull(int fd)
{
  int n = open("/dev/null", O_RDWR);
  if (n == -1) die("open", "/dev/null");
  if (n != fd) { dup2(n, fd); close(n); }
}

static void handshake_failed(struct tlss *t, int ctl, const char *why)
{
  static struct tlsreq_info none;
  char rec[TLSREQ_RECMAX];
  log_event("warn", "tls-handshake-fail", "ip", remoteip, "reason", why, (char *)0);
  fdpass_send(ctl, rec, tlsreq_encode(rec, 0, &none), -1);
}

/* The helper's work once the network socket is known. plainfd is the
 * helper's end of the plaintext socketpair; give (-1 in implicit mode)
 * is the end handed to the chain with the record. 1 when TLS is up. */
static int serve(const struct tlsconf *c, int net, int ctl, int plainfd, int give)
{
  static struct tlsreq_info info;
  char rec[TLSREQ_RECMAX];
  const char *why = "";
  struct tlss *t = tlss_new(c, net, &why);
  if (!t) { handshake_failed(0, ctl, why); return 0; }
  if (!tlss_handshake(t, &why)) { handshake_failed(t, ctl, why); return 0; }
  tlss_info(t, &info);
  if (!fdpass_send(ctl, rec, tlsreq_encode(rec, 1, &info), give)) die("control-socket", "send");
  if (give >= 0) close(give);
  close(ctl);
  log_event("info", "tls", "ip", remoteip, "protocol", info.protocol, "cipher", info.cipher,
            "sni", info.sni[0] ? info.sni : "-", (char *)0);
  tlss_relay(t, plainfd);
  return 1;
}

int main(int argc, char **argv)
{
  int opt, implicit = 0, have_uid = 0, have_gid = 0, ctl[2], plain[2] = { -1, -1 };
  unsigned long uid = 0, gid = 0;
  const char *keyuser = CONF_TLS_USER, *certdir = 0;
  uid_t huid;
  gid_t hgid;
  struct tlsconf c;
  stralloc path = {0}, key = {0};
  struct stat st;
  pid_t pid;

  log_init("qvtls");
  signal(SIGPIPE, SIG_IGN);
  while ((opt = getopt(argc, argv, "+iu:g:Uk:d:")) != -1) {
    switch (opt) {
      case 'i': implicit = 1; break;
      case 'u': uid = userid(optarg, 0); have_uid = 1; break;
      case 'g': gid = userid(optarg, 1); have_gid = 1; break;
      case 'U': {
        const char *u = getenv("UID"), *g = getenv("GID");
        if (!u || !g) die_usage();
        uid = userid(u, 0); gid = userid(g, 1); have_uid = have_gid = 1;
        break;
      }
      case 'k': keyuser = optarg; break;
      case 'd': certdir = optarg; break;
      default: die_usage();
    }
  }
  argv += optind;
  if (!*argv) die_usage();
  remoteip = getenv("TCPREMOTEIP");
  if (!remoteip) remoteip = "unknown";
  /* whatever came in, the chain's SSL_* are ours to set */
  unsetenv("SSL_PROTOCOL"); unsetenv("SSL_CIPHER"); unsetenv("SSL_TLS_SNI");
  unsetenv("SSL_CLIENT_S_DN"); unsetenv("QVTLSCTL");
  if (tlsconf_load(&c, certdir) < 0) die("control-read", "tls knobs");

  /* the helper's ids: never root */
  huid = geteuid();
  hgid = getegid();
  if (huid == 0) {
    struct passwd *p;
    errno = 0;
    p = getpwnam(keyuser);
    if (!p) die("no-such-user", keyuser);
    if (p->pw_uid == 0) { errno = EPERM; die("helper-is-root", keyuser); }
    huid = p->pw_uid;
    hgid = p->pw_gid;
  }
  if (!have_gid) gid = getegid();
  if (!have_uid) uid = geteuid();
  /* no protocol parser runs as root: -u is required when started as root */
  if (uid == 0) { errno = EPERM; die("chain-is-root", "use -u and -g"); }

  if (!implicit) {
    if (!tlsconf_paths(&path, &key, c.certdir.s, "default")) die("out-of-memory", "paths");
    if (stat(path.s, &st) == -1) {
      /* nothing to offer: no helper, no QVTLSCTL */
      become((uid_t)uid, (gid_t)gid, "chain");
      execvp(*argv, argv);
      die("exec", *argv);
    }
  }

  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) == -1) die("socketpair", "control");
  if (implicit && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, plain) == -1)
    die("socketpair", "plaintext");
  pid = fork();
  if (pid == -1) die("fork", "chain");

  if (pid == 0) {
    /* the protocol chain */
    char num[FMT_ULONG + 1];
    close(ctl[0]);
    become((uid_t)uid, (gid_t)gid, "chain");
    if (implicit) {
      static struct tlsreq_info info;
      char rec[TLSREQ_RECMAX];
      int fd;
      long n;
      close(plain[0]);
      close(0);
      close(1);
      n = fdpass_recv(ctl[1], rec, sizeof rec, &fd);
      if (fd >= 0) close(fd);
      if (n <= 0) _exit(111);
      if (tlsreq_decode(&info, rec, (size_t)n) != 1) _exit(111);
      if (!tlsreq_setenv(&info)) die("out-of-memory", "env");
      if (dup2(plain[1], 0) == -1 || dup2(plain[1], 1) == -1) die("dup2", "plaintext");
      close(plain[1]);
      close(ctl[1]);
    } else {
      num[fmt_ulong(num, (unsigned long)ctl[1])] = 0;
      if (fcntl(ctl[1], F_SETFD, 0) == -1) die("fcntl", "control");
      if (setenv("QVTLSCTL", num, 1) == -1) die("out-of-memory", "env");
    }
    execvp(*argv, argv);
    die("exec", *argv);
  }

  /* the TLS helper */
  close(ctl[1]);
  if (implicit) {
    close(plain[1]);
    devnull(1);
    become(huid, hgid, "helper");
    serve(&c, 0, ctl[0], plain[0], -1);
  } else {
    char rec[TLSREQ_RECMAX];
    int net = -1;
    long n;
    devnull(0);
    devnull(1);
    become(huid, hgid, "helper");
    n = fdpass_recv(ctl[0], rec, sizeof rec, &net);
    if (n > 0) {
      if (n != 1 || rec[0] != 'S' || net < 0) {
        errno = EPROTO;
        die("control-socket", "bad request");
      }
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, plain) == -1) die("socketpair", "plaintext");
      serve(&c, net, ctl[0], plain[0], plain[1]);
    }
  }
  tlsconf_free(&c);
  stralloc_free(&path);
  stralloc_free(&key);
  return child_status(pid);
}
