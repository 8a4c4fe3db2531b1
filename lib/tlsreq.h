/* lib/tlsreq.h — a protocol program's side of the TLS stage (qvtls).
 *
 * Environment contract, set by qvtls (see qvtls(8)):
 *   QVTLSCTL=<fd>  a UNIX socket to this connection's TLS helper. Present
 *                  only while STARTTLS/STLS is possible; without it a
 *                  protocol program does not offer STARTTLS.
 *   SSL_PROTOCOL   e.g. "TLSv1.3"; set (non-empty) once TLS is up. With
 *                  implicit TLS (465/993/995) it is set before the
 *                  protocol program starts.
 *   SSL_CIPHER     e.g. "TLS_AES_256_GCM_SHA384".
 *   SSL_TLS_SNI    the server name the client asked for ("" if none).
 *   SSL_CLIENT_S_DN the client certificate's subject ("" if none).
 * Anything the program execs (vchkpw, qmail-pop3d, qmail-queue) inherits
 * these, as it would under ucspi-ssl's sslserver.
 *
 * SECURITY: STARTTLS is race-free by construction: the caller discards
 * every byte it has buffered beyond the STARTTLS command line, writes its
 * "go ahead" reply, then calls tlsreq_starttls, which hands the network
 * socket itself to the helper. Bytes the client pipelined are still in
 * the kernel and are read by the helper as (bad) handshake data, so they
 * can never reach the protocol parser. */
#ifndef QV_TLSREQ_H
#define QV_TLSREQ_H
#include "stralloc.h"

/* 1 when STARTTLS may be offered: QVTLSCTL names an open socket and TLS
 * is not yet active. */
int tlsreq_offerable(void);

/* 1 when the session is already encrypted (SSL_PROTOCOL non-empty). */
int tlsreq_active(void);

/* Hands the network socket (fd 0, which is also fd 1 under UCSPI) to the
 * helper, waits for the handshake, then makes fds 0 and 1 the plaintext
 * socket, closes the control socket, unsets QVTLSCTL and sets the SSL_*
 * variables above in environ. Returns 1 on success. Returns 0 with errno
 * on failure: the handshake failed or the helper is gone; the client
 * connection is then unusable and the caller logs and exits (nothing can
 * be written to the client in plaintext any more). */
int tlsreq_starttls(void);

/* ---- the wire between qvtls and tlsreq (additions; both sides use
 * these, nobody else needs them) ----
 * The control socket is an AF_UNIX SOCK_SEQPACKET pair: one message is
 * one record, fixed layout, and a malformed record is fatal.
 *   program -> helper: "S" with the network socket attached (SCM_RIGHTS).
 *   helper -> program: status byte 'K' (TLS is up) or 'Z' (the handshake
 *     failed), then four fields, each a 2-byte big-endian length and that
 *     many bytes, no NUL among them: protocol, cipher, SNI name, client
 *     subject DN. In STARTTLS mode a 'K' record carries the plaintext
 *     socket (SCM_RIGHTS); in implicit mode it carries none. */
#define TLSREQ_FIELDMAX 1024
#define TLSREQ_RECMAX (1 + 4 * (2 + TLSREQ_FIELDMAX))

struct tlsreq_info {
  char protocol[TLSREQ_FIELDMAX + 1]; /* each NUL-terminated */
  char cipher[TLSREQ_FIELDMAX + 1];
  char sni[TLSREQ_FIELDMAX + 1];
  char dn[TLSREQ_FIELDMAX + 1];
};

/* Writes the record for (ok, info) into buf (at least TLSREQ_RECMAX
 * bytes); fields longer than TLSREQ_FIELDMAX are cut. Returns its length. */
size_t tlsreq_encode(char *buf, int ok, const struct tlsreq_info *info);

/* Parses a record. Returns 1 ('K', info filled), 0 ('Z'), or -1 with
 * errno EPROTO when it is malformed (wrong status, short, trailing
 * bytes, a NUL inside a field). Pure: no I/O. */
int tlsreq_decode(struct tlsreq_info *info, const char *buf, size_t len);

/* Sets SSL_PROTOCOL, SSL_CIPHER, SSL_TLS_SNI, SSL_CLIENT_S_DN from info
 * and unsets QVTLSCTL. 1, or 0 with errno (ENOMEM). */
int tlsreq_setenv(const struct tlsreq_info *info);

#endif
