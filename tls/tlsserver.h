/* tls/tlsserver.h — every OpenSSL call of qvtls: the per-connection
 * context (certificate chosen by SNI, loaded lazily), the handshake with
 * a deadline, the connection facts for SSL_*, and the relay between the
 * TLS connection and the plaintext socket. */
#ifndef QV_TLSSERVER_H
#define QV_TLSSERVER_H
#include "stralloc.h"
#include "tlsreq.h"
#include "tlsconf.h"

struct tlss;   /* one connection */

/* A server connection on fd with c's versions, ciphers, renegotiation
 * refused, no session cache or tickets; no key is read yet (the
 * certificate is loaded during the handshake, from the SNI name's
 * directory or DIR/default). c must outlive it. NULL with a reason in
 * *why on failure. */
struct tlss *tlss_new(const struct tlsconf *c, int fd, const char **why);

/* Does the server handshake within c->timeout seconds. 1, or 0 with a
 * short reason in *why (an OpenSSL reason string, "timeout", "eof"). */
int tlss_handshake(struct tlss *t, const char **why);

/* The facts for SSL_PROTOCOL, SSL_CIPHER, SSL_TLS_SNI, SSL_CLIENT_S_DN
 * (the subject only for a client certificate that verified against
 * control/clientca.pem). */
void tlss_info(struct tlss *t, struct tlsreq_info *info);

/* Copies bytes both ways until both directions are finished: client
 * EOF or close_notify becomes a write shutdown of plain, EOF on plain a
 * close_notify and a write shutdown of the network socket. Buffers are
 * bounded (one TLS record each way). Once the program has closed, the
 * client gets c->timeout seconds without progress to take the rest and
 * close.
 * Returns when done; errors just end the relay. */
void tlss_relay(struct tlss *t, int plain);

#endif
