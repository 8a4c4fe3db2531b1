/* qmail-smtpd/smtp_received.h — the Received: line qmail-smtpd writes.
 *
 *   Received: from REMOTEHOST (HELO HELO) (INFO@REMOTEIP)
 *     by LOCAL with PROTO; D Mon YYYY HH:MM:SS -0000
 *
 * byte for byte as qmail's received.c: "(HELO x)" only when helo is
 * not NULL, "INFO@" only when remoteinfo is not NULL, every field
 * sanitised (bytes other than A-Z a-z 0-9 . @ % + / = : - [ ] become
 * '?', as notqmail), the date in UTC with the day not zero-padded, and
 * LF line endings (the stored form). Pure: no I/O. */
#ifndef QV_SMTP_RECEIVED_H
#define QV_SMTP_RECEIVED_H
#include <time.h>
#include "stralloc.h"

/* Appends the line to out. 1, or 0 on ENOMEM. */
int smtprcvd_line(stralloc *out, const char *remotehost, const char *helo,
                  const char *remoteinfo, const char *remoteip,
                  const char *local, const char *protocol, time_t when);

/* Appends the protocol word of the Received line, as the smtp-auth and
 * qmail-tls patches write it: "SMTP" (qmail's word, also after EHLO),
 * "ESMTPA" after AUTH (RFC 3848), "ESMTPS (<cipher> encrypted)" inside
 * TLS, "ESMTPSA (<cipher> encrypted, authenticated)" for both. cipher
 * NULL: no TLS (an empty cipher prints as "unknown"); its bytes are
 * sanitised like every other field. 1, or 0 on ENOMEM. */
int smtprcvd_protocol(stralloc *out, const char *cipher, int authenticated);

/* Appends qmail's date822fmt form of when (UTC), with no newline. */
int smtprcvd_date(stralloc *out, time_t when);

#endif
