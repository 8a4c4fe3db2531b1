/* tls/tlsconf.h — qvtls's knobs and the pure helpers around them: SNI
 * name checking and the certificate paths of a Let's Encrypt-style
 * directory (DIR/<name>/fullchain.pem + privkey.pem, DIR/default/).
 * No OpenSSL calls here (only its version constants). */
#ifndef QV_TLSCONF_H
#define QV_TLSCONF_H
#include "stralloc.h"

/* Modern defaults (Mozilla "intermediate" without DHE). */
#define TLSCONF_CIPHERS "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define TLSCONF_SUITES "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
#define TLSCONF_NAMEMAX 253

struct tlsconf {
  stralloc certdir;        /* NUL-terminated, no trailing '/' */
  stralloc ciphers;        /* TLS 1.2 and lower, OpenSSL list; NUL-terminated */
  stralloc suites;         /* TLS 1.3 suites; NUL-terminated */
  int minversion;          /* TLS1_2_VERSION, ... */
  unsigned long timeout;   /* handshake and linger, seconds */
  stralloc clientca;       /* QMAILDIR/control/clientca.pem; NUL-terminated */
};

/* Reads the knobs from QMAILDIR/control: tlscertdir (default
 * QMAILDIR/control/tls; certdir, when not NULL, wins), tlsserverciphers
 * (lines joined with ':'), tlsserverciphersuites (likewise),
 * tlsminversion, timeouttls (default 60). c is overwritten: it must not
 * hold a loaded configuration (tlsconf_free it first). 1, or -1 with
 * errno (a knob exists but cannot be read, EINVAL: a bad value, ENOMEM);
 * on -1 nothing stays allocated. */
int tlsconf_load(struct tlsconf *c, const char *certdir);

/* Frees what tlsconf_load allocated; c is left zeroed. */
void tlsconf_free(struct tlsconf *c);

/* "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (case-insensitive) as
 * OpenSSL's version number, or 0. */
int tlsconf_version(const char *s, size_t len);

/* Checks an SNI host name (1..253 bytes of letters, digits, '-', '_'
 * and '.', no empty label) and copies it lower-cased into out,
 * NUL-terminated. 1 when valid, 0 when not (out untouched), -1 ENOMEM. */
int tlsconf_name(stralloc *out, const char *s, size_t len);

/* chain = DIR/name/fullchain.pem, key = DIR/name/privkey.pem, both
 * NUL-terminated; name must have passed tlsconf_name (or be "default").
 * 1, or 0 on ENOMEM. */
int tlsconf_paths(stralloc *chain, stralloc *key, const char *dir, const char *name);

#endif
