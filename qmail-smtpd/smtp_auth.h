/* qmail-smtpd/smtp_auth.h — SMTP AUTH (RFC 4954) as qmail's smtp-auth
 * patch does it, as pure parsers: the SMTPAUTH policy, the SASL
 * exchange (PLAIN, LOGIN, CRAM-MD5) as a state machine, MAIL's AUTH=
 * parameter (xtext) and the FORCEAUTHMAILFROM "own address" rule.
 *
 * No I/O and no globals: the session (smtp_session.c) writes the
 * replies, reads the client's lines and runs the checkpassword program
 * (lib/checkpw.h) when the exchange says SMTPAUTH_CHECK. */
#ifndef QV_SMTP_AUTH_H
#define QV_SMTP_AUTH_H
#include <stddef.h>
#include "stralloc.h"

/* Mechanism bits. */
#define SMTPAUTH_LOGIN 1
#define SMTPAUTH_PLAIN 2
#define SMTPAUTH_CRAM 4

struct smtpauth_policy {
  int mechs;      /* offered mechanisms; 0: AUTH disabled */
  int required;   /* "!" forms: MAIL before AUTH gets 530 */
  int cram;       /* the CRAM family is on: checkpassword always gets a
                     third field (empty for LOGIN/PLAIN), as the patch */
};

/* The SMTPAUTH environment value (NULL: unset), case-insensitive:
 * unset, "-" or "0": off; "+cram": LOGIN PLAIN CRAM-MD5; "cram":
 * CRAM-MD5 only; "!", "!cram", "!+cram": the same offers, required;
 * anything else (e.g. ""): LOGIN PLAIN. havecheck 0 (qmail-smtpd was
 * started without a checkpassword argv) turns AUTH off too. */
void smtpauth_policy(struct smtpauth_policy *p, const char *value, int havecheck);

/* Appends the mechanism list as EHLO shows it after "AUTH ", e.g.
 * "LOGIN PLAIN CRAM-MD5". 1, or 0 on ENOMEM. */
int smtpauth_mechlist(stralloc *out, int mechs);

/* Results of the exchange. */
enum smtpauth_result {
  SMTPAUTH_NOMEM = -1,
  SMTPAUTH_CHALLENGE = 0,   /* reply "334 " + a->prompt, feed the next line */
  SMTPAUTH_CHECK,           /* a->user, a->secret (and a->extra) are ready */
  SMTPAUTH_CANCELED,        /* client sent "*": 501 canceled */
  SMTPAUTH_MALFORMED,       /* bad base64, empty user or password: 501 */
  SMTPAUTH_UNKNOWN          /* mechanism unknown or not offered: 504 */
};

struct smtpauth {
  int mech;         /* SMTPAUTH_* of the exchange under way */
  int step;         /* internal */
  stralloc user;    /* authcid, NUL-terminated (sa_cstr sense) */
  stralloc secret;  /* password, or the CRAM-MD5 hex digest */
  stralloc extra;   /* the CRAM-MD5 challenge, else empty */
  stralloc prompt;  /* base64 text of the next 334 line */
  stralloc tmp;     /* decoded client data */
};

/* Starts an exchange from AUTH's argument (arg, len): "MECH" or "MECH
 * initial-response" (case-insensitive mechanism; "=" is an empty
 * initial response). mechs: the offered set. host: the name in a
 * CRAM-MD5 challenge ("<pid.time@host>"). a may hold an earlier
 * exchange; its strings are reused. */
int smtpauth_begin(struct smtpauth *a, int mechs, const char *arg, size_t len,
                   const char *host);

/* Feeds the client's next line (without CRLF) after a CHALLENGE. */
int smtpauth_next(struct smtpauth *a, const char *line, size_t len);

/* The mechanism's name ("LOGIN", "PLAIN", "CRAM-MD5"). */
const char *smtpauth_mechname(int mech);

/* Wipes every secret the exchange held (call after each exchange). */
void smtpauth_clear(struct smtpauth *a);
/* Wipes and frees everything. */
void smtpauth_free(struct smtpauth *a);

/* MAIL's AUTH=<xtext> value (RFC 4954 section 5): out = the decoded
 * mailbox ("+HH" hex escapes decoded; "<>" gives "<>"). 1 ok; 0 with
 * errno EINVAL when malformed (bad escape, a decoded byte outside
 * printable ASCII, empty), ENOMEM. NUL-terminated. */
int smtpauth_xtext(stralloc *out, const char *s, size_t len);

/* FORCEAUTHMAILFROM: is the envelope sender (sender, slen) one of the
 * authenticated user's own addresses? "Own" means: the same local part
 * (ASCII case-insensitive) and a domain that is the user's domain or
 * resolves (through resolve, e.g. users/cdb via lib/assign.h) to the
 * same real domain, so user@alias-domain counts. user is the login as
 * given to AUTH; a login without '@' is in defaultdomain (may be NULL
 * or ""). resolve(arg, domain, len, real) sets real (lower-case) and
 * returns 1, 0 for an unknown domain, -1 on a temporary error; resolve
 * may be NULL (no alias domains). Returns 1 own, 0 not own (also the
 * null sender), -1 temporary failure. */
typedef int (*smtpauth_resolve_fn)(void *arg, const char *domain, size_t len,
                                   stralloc *real);
int smtpauth_own_sender(const char *sender, size_t slen, const char *user,
                        size_t ulen, const char *defaultdomain,
                        smtpauth_resolve_fn resolve, void *arg);

#endif
