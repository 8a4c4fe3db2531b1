/* lib/tlsreq_test.c — the control-socket records, fd passing, and
 * tlsreq_starttls against a fake helper. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "fdpass.h"
#include "tlsreq.h"
#include "../tests/check.h"

static void put(char *dst, const char *src)
{
  memcpy(dst, src, strlen(src) + 1);
}

static void records(void)
{
  static struct tlsreq_info a, b;
  char buf[TLSREQ_RECMAX];
  size_t n;
  put(a.protocol, "TLSv1.3");
  put(a.cipher, "TLS_AES_256_GCM_SHA384");
  put(a.sni, "mail.example.test");
  a.dn[0] = 0;
  n = tlsreq_encode(buf, 1, &a);
  CHECK(n == 1 + 4 * 2 + 7 + 22 + 17);
  CHECK(tlsreq_decode(&b, buf, n) == 1);
  CHECK(!strcmp(b.protocol, "TLSv1.3"));
  CHECK(!strcmp(b.cipher, "TLS_AES_256_GCM_SHA384"));
  CHECK(!strcmp(b.sni, "mail.example.test"));
  CHECK(!strcmp(b.dn, ""));
  /* malformed: short, trailing byte, bad status, NUL in a field */
  CHECK(tlsreq_decode(&b, buf, n - 1) == -1 && errno == EPROTO);
  buf[n] = 'x';
  CHECK(tlsreq_decode(&b, buf, n + 1) == -1);
  buf[0] = 'Q';
  CHECK(tlsreq_decode(&b, buf, n) == -1);
  buf[0] = 'K';
  buf[5] = 0;
  CHECK(tlsreq_decode(&b, buf, n) == -1);
  CHECK(tlsreq_decode(&b, buf, 0) == -1);
  /* failure record */
  n = tlsreq_encode(buf, 0, &a);
  CHECK(tlsreq_decode(&b, buf, n) == 0);
  /* 'K' without a protocol is malformed */
  a.protocol[0] = 0;
  n = tlsreq_encode(buf, 1, &a);
  CHECK(tlsreq_decode(&b, buf, n) == -1);
  /* over-long fields are cut */
  memset(a.dn, 'x', TLSREQ_FIELDMAX);
  a.dn[TLSREQ_FIELDMAX] = 0;
  put(a.protocol, "TLSv1.2");
  n = tlsreq_encode(buf, 1, &a);
  CHECK(n <= TLSREQ_RECMAX);
  CHECK(tlsreq_decode(&b, buf, n) == 1 && strlen(b.dn) == TLSREQ_FIELDMAX);
}

/* A fake helper: takes the "network" fd, answers with a record and a
 * plaintext socket whose other end echoes "ok" after reading "ping". */
static void starttls(int answer_ok)
{
  int ctl[2], net[2], save0 = dup(0), save1 = dup(1), st;
  char num[16];
  pid_t pid;
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ctl) == 0);
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, net) == 0);
  pid = fork();
  if (pid == 0) {
    static struct tlsreq_info in;
    char buf[TLSREQ_RECMAX];
    int fd = -1, pv[2];
    size_t n;
    close(ctl[0]);
    if (fdpass_recv(ctl[1], buf, sizeof buf, &fd) != 1 || buf[0] != 'S' || fd < 0) _exit(2);
    put(in.protocol, "TLSv1.3");
    put(in.cipher, "TLS_AES_128_GCM_SHA256");
    put(in.sni, "");
    put(in.dn, "CN=client");
    n = tlsreq_encode(buf, answer_ok, &in);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pv) == -1) _exit(3);
    if (!fdpass_send(ctl[1], buf, n, answer_ok ? pv[1] : -1)) _exit(4);
    close(pv[1]);
    if (answer_ok) {
      if (read(pv[0], buf, 4) != 4 || memcmp(buf, "ping", 4)) _exit(5);
      if (write(pv[0], "ok", 2) != 2) _exit(6);
    }
    _exit(0);
  }
  close(ctl[1]);
  dup2(net[0], 0);
  dup2(net[0], 1);
  close(net[0]);
  num[snprintf(num, sizeof num, "%d", ctl[0])] = 0;
  setenv("QVTLSCTL", num, 1);
  unsetenv("SSL_PROTOCOL");
  CHECK(tlsreq_offerable() == 1);
  CHECK(tlsreq_active() == 0);
  if (answer_ok) {
    char buf[2];
    CHECK(tlsreq_starttls() == 1);
    CHECK(tlsreq_active() == 1);
    CHECK(tlsreq_offerable() == 0);
    CHECK(getenv("QVTLSCTL") == 0);
    CHECK(!strcmp(getenv("SSL_CIPHER"), "TLS_AES_128_GCM_SHA256"));
    CHECK(!strcmp(getenv("SSL_CLIENT_S_DN"), "CN=client"));
    CHECK(!strcmp(getenv("SSL_TLS_SNI"), ""));
    CHECK(write(1, "ping", 4) == 4);
    CHECK(read(0, buf, 2) == 2 && !memcmp(buf, "ok", 2));
    /* the "network" socket is no longer held here: its peer sees EOF
     * once the helper closed its copy */
    CHECK(read(net[1], buf, 1) == 0);
  } else {
    CHECK(tlsreq_starttls() == 0 && errno == ECONNABORTED);
    CHECK(getenv("QVTLSCTL") == 0);
    CHECK(tlsreq_offerable() == 0);
  }
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  close(net[1]);
  dup2(save0, 0); dup2(save1, 1); close(save0); close(save1);
  unsetenv("SSL_PROTOCOL");
}

int main(void)
{
  records();
  unsetenv("QVTLSCTL");
  CHECK(tlsreq_offerable() == 0);
  setenv("QVTLSCTL", "1x", 1);
  CHECK(tlsreq_offerable() == 0);
  setenv("QVTLSCTL", "999", 1);
  CHECK(tlsreq_offerable() == 0);
  CHECK(tlsreq_starttls() == 0);
  starttls(1);
  starttls(0);
  return check_done();
}
