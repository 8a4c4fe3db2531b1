/* tls/tlsserver.c — qvtls's OpenSSL side (see tlsserver.h).
 *
 * Invariants: one context per connection, so a certificate or key file
 * replaced on disk is served from the next connection on; only the
 * certificate the handshake needs is read (the SNI name's, else the
 * default); both relay buffers are one TLS record (16 KiB) at most.
 *
 * SECURITY: runs in the TLS helper, after it dropped to its own id (the
 * only id that can read the keys) and never as root. The network bytes
 * are parsed by OpenSSL; the SNI name is checked by tlsconf_name before
 * it becomes a path component. Client renegotiation is refused
 * (SSL_OP_NO_RENEGOTIATION), compression is off, and the protocol floor
 * is tlsminversion (TLS 1.2 by default). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "log.h"
#include "tlsserver.h"

#define RELAYBUF 16384

struct tlss {
  const struct tlsconf *c;
  SSL_CTX *ctx;
  SSL *ssl;
  int fd;
  stralloc sni;           /* the checked, lower-cased name asked for; NUL-terminated */
  stralloc chain, key;
};

static const char *sslreason(void)
{
  unsigned long e = ERR_peek_last_error();
  const char *r = e ? ERR_reason_error_string(e) : 0;
  return r ? r : "unknown";
}

/* Loads DIR/name's chain and key into the connection. 1 loaded, 0 no
 * such certificate, -1 present but unusable (logged). */
static int loadcert(struct tlss *t, const char *name)
{
  struct stat st;
  if (!tlsconf_paths(&t->chain, &t->key, t->c->certdir.s, name)) return -1;
  if (access(t->chain.s, F_OK) == -1 && errno == ENOENT) return 0;
  /* a key anyone may read is no secret: refuse it rather than serve it */
  if (stat(t->key.s, &st) == 0 && (st.st_mode & S_IROTH)) {
    log_event("warn", "tls-cert", "name", name, "reason", "privkey.pem readable by others", (char *)0);
    return -1;
  }
  ERR_clear_error();
  if (SSL_use_certificate_chain_file(t->ssl, t->chain.s) != 1
      || SSL_use_PrivateKey_file(t->ssl, t->key.s, SSL_FILETYPE_PEM) != 1
      || SSL_check_private_key(t->ssl) != 1) {
    log_event("warn", "tls-cert", "name", name, "reason", sslreason(), (char *)0);
    return -1;
  }
  return 1;
}

/* Called once per ClientHello, with or without an SNI extension. */
static int on_servername(SSL *ssl, int *alert, void *arg)
{
  struct tlss *t = arg;
  const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  int r;
  if (name && t->sni.len == 0) {
    r = tlsconf_name(&t->sni, name, strlen(name));
    if (r < 0) { *alert = SSL_AD_INTERNAL_ERROR; return SSL_TLSEXT_ERR_ALERT_FATAL; }
    if (r == 1 && loadcert(t, t->sni.s) == 1) return SSL_TLSEXT_ERR_OK;
  }
  if (loadcert(t, "default") == 1) return SSL_TLSEXT_ERR_OK;
  *alert = SSL_AD_INTERNAL_ERROR;
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/* Accepts whatever the client presents: a client certificate is only
 * reported (when it verified), never required. */
static int on_verify(int ok, X509_STORE_CTX *x)
{
  return 1;
}

static struct tlss *fail(struct tlss *t, const char **why, const char *r)
{
  *why = r;
  if (t->ssl) SSL_free(t->ssl);
  if (t->ctx) SSL_CTX_free(t->ctx);
  free(t);
  return 0;
}

struct tlss *tlss_new(const struct tlsconf *c, int fd, const char **why)
{
  struct tlss *t = calloc(1, sizeof *t);
  SSL_CTX *ctx;
  if (!t) { *why = "out of memory"; return 0; }
  t->c = c;
  t->fd = fd;
  t->ctx = ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return fail(t, why, sslreason());
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET
                      | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  if (SSL_CTX_set_min_proto_version(ctx, c->minversion) != 1
      || SSL_CTX_set_cipher_list(ctx, c->ciphers.s) != 1
      || SSL_CTX_set_ciphersuites(ctx, c->suites.s) != 1)
    return fail(t, why, "bad tlsminversion, tlsserverciphers or tlsserverciphersuites");
  SSL_CTX_set_tlsext_servername_callback(ctx, on_servername);
  SSL_CTX_set_tlsext_servername_arg(ctx, t);
  if (access(c->clientca.s, R_OK) == 0) {
    STACK_OF(X509_NAME) *cas = SSL_load_client_CA_file(c->clientca.s);
    if (!cas || SSL_CTX_load_verify_locations(ctx, c->clientca.s, 0) != 1)
      return fail(t, why, "unusable clientca.pem");
    SSL_CTX_set_client_CA_list(ctx, cas);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
  }
  t->ssl = SSL_new(ctx);
  if (!t->ssl || SSL_set_fd(t->ssl, fd) != 1) return fail(t, why, sslreason());
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  /* whole records go out at once: without this the tail segment of each
   * record waits for the client's delayed ACK (Nagle), ~10x slower */
  {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return t;
}

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tlss_handshake(struct tlss *t, const char **why)
{
  long long deadline = now_ms() + (long long)t->c->timeout * 1000;
  for (;;) {
    struct pollfd p;
    long long left;
    int r, e;
    ERR_clear_error();
    r = SSL_accept(t->ssl);
    if (r == 1) return 1;
    e = SSL_get_error(t->ssl, r);
    if (e == SSL_ERROR_WANT_READ) p.events = POLLIN;
    else if (e == SSL_ERROR_WANT_WRITE) p.events = POLLOUT;
    else if (e == SSL_ERROR_SSL) { *why = sslreason(); return 0; }
    else if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && !ERR_peek_error())) {
      *why = "eof";
      return 0;
    } else { *why = sslreason(); return 0; }
    left = deadline - now_ms();
    if (left <= 0) { *why = "timeout"; return 0; }
    p.fd = t->fd;
    p.revents = 0;
    if (poll(&p, 1, left > 1000000 ? 1000000 : (int)left) < 0 && errno != EINTR) {
      *why = "poll";
      return 0;
    }
  }
}

static void putfield(char *out, const char *s)
{
  size_t n = s ? strlen(s) : 0;
  if (n > TLSREQ_FIELDMAX) n = TLSREQ_FIELDMAX;
  memcpy(out, s ? s : "", n);
  out[n] = 0;
}

void tlss_info(struct tlss *t, struct tlsreq_info *info)
{
  X509 *peer;
  putfield(info->protocol, SSL_get_version(t->ssl));
  putfield(info->cipher, SSL_get_cipher_name(t->ssl));
  putfield(info->sni, t->sni.len ? t->sni.s : "");
  info->dn[0] = 0;
  peer = SSL_get1_peer_certificate(t->ssl);
  if (peer) {
    if (SSL_get_verify_result(t->ssl) == X509_V_OK) {
      /* RFC 2253 form: control and non-ASCII bytes escaped */
      BIO *b = BIO_new(BIO_s_mem());
      if (b) {
        char *p;
        long n;
        X509_NAME_print_ex(b, X509_get_subject_name(peer), 0, XN_FLAG_RFC2253);
        n = BIO_get_mem_data(b, &p);
        if (n > TLSREQ_FIELDMAX) n = TLSREQ_FIELDMAX;
        if (n > 0 && !memchr(p, 0, (size_t)n)) { memcpy(info->dn, p, (size_t)n); info->dn[n] = 0; }
        BIO_free(b);
      }
    }
    X509_free(peer);
  }
}

/* Maps an SSL call's failure: the poll events it waits for, or -1 when
 * the connection is finished (EOF, close_notify or an error). */
static int sslwait(SSL *ssl, int r)
{
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ: return POLLIN;
    case SSL_ERROR_WANT_WRITE: return POLLOUT;
    default: return -1;
  }
}

void tlss_relay(struct tlss *t, int plain)
{
  static char a[RELAYBUF], b[RELAYBUF];   /* a: client -> program, b: program -> client */
  size_t apos = 0, alen = 0, bpos = 0, blen = 0;
  int net_eof = 0, net_dead = 0, plain_eof = 0, plain_dead = 0, plain_shut = 0, closed = 0;
  long long linger_until = 0;

  fcntl(plain, F_SETFL, fcntl(plain, F_GETFL) | O_NONBLOCK);
  for (;;) {
    int progress = 0, netev = 0, plainev = 0, w, in_done, out_done;
    ssize_t k;
    struct pollfd p[2];
    long long left;

    /* client -> a */
    if (!net_eof && !net_dead && !plain_dead && alen == 0) {
      ERR_clear_error();
      w = SSL_read(t->ssl, a, sizeof a);
      if (w > 0) { alen = (size_t)w; apos = 0; progress = 1; }
      else {
        int ev = sslwait(t->ssl, w);
        if (ev < 0) { net_eof = 1; progress = 1; } else netev |= ev;
      }
    }
    /* a -> program */
    if (alen) {
      k = write(plain, a + apos, alen - apos);
      if (k > 0) { apos += (size_t)k; if (apos == alen) alen = 0; progress = 1; }
      else if (k < 0 && (errno == EAGAIN || errno == EINTR)) plainev |= POLLOUT;
      else { plain_dead = 1; alen = 0; progress = 1; }
    }
    if (net_eof && !alen && !plain_shut && !plain_dead) {
      shutdown(plain, SHUT_WR);
      plain_shut = 1;
      progress = 1;
    }
    /* program -> b */
    if (!plain_eof && blen == 0) {
      k = read(plain, b, sizeof b);
      if (k > 0) { blen = (size_t)k; bpos = 0; progress = 1; }
      else if (k < 0 && (errno == EAGAIN || errno == EINTR)) plainev |= POLLIN;
      else { plain_eof = 1; progress = 1; }
    }
    /* b -> client */
    if (blen) {
      if (net_dead) blen = 0;
      else {
        ERR_clear_error();
        w = SSL_write(t->ssl, b + bpos, (int)(blen - bpos));
        if (w > 0) { bpos += (size_t)w; if (bpos == blen) blen = 0; progress = 1; }
        else {
          int ev = sslwait(t->ssl, w);
          if (ev < 0) { net_dead = 1; blen = 0; progress = 1; } else netev |= ev;
        }
      }
    }
    if (plain_eof && !blen && !closed && !net_dead) {
      ERR_clear_error();
      w = SSL_shutdown(t->ssl);
      if (w >= 0) { closed = 1; shutdown(t->fd, SHUT_WR); progress = 1; }
      else {
        int ev = sslwait(t->ssl, w);
        if (ev < 0) { net_dead = 1; progress = 1; } else netev |= ev;
      }
    }
    in_done = net_eof || net_dead || plain_dead;
    out_done = plain_eof && !blen && (closed || net_dead);
    if (in_done && !alen && out_done) return;
    if (progress) { linger_until = 0; continue; }
    /* the program is gone: the client gets timeouttls seconds without
     * progress to take the rest and close (one that stops reading
     * cannot keep the helper forever) */
    if (plain_eof && !linger_until) linger_until = now_ms() + (long long)t->c->timeout * 1000;
    left = -1;
    if (linger_until) {
      left = linger_until - now_ms();
      if (left <= 0) return;
    }
    if (!netev && !plainev) return;   /* nothing to wait for: cannot happen */
    /* a side with nothing to wait for is left out (a hung-up socket
     * would otherwise wake poll at once, again and again) */
    p[0].fd = netev ? t->fd : -1; p[0].events = (short)netev; p[0].revents = 0;
    p[1].fd = plainev ? plain : -1; p[1].events = (short)plainev; p[1].revents = 0;
    if (poll(p, 2, left < 0 ? -1 : left > 1000000 ? 1000000 : (int)left) < 0 && errno != EINTR)
      return;
  }
}
