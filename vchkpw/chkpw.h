/* vchkpw/chkpw.h — the logic of vchkpw (checkpassword for vpopmail
 * domains), separated from main so tests can call it.
 *
 * Exit codes (the checkpassword interface plus vpopmail's own table):
 *   0 never returned here (success execs), 1 service access denied,
 *   3 unknown user or wrong password, 4 setgid failed, 5 setuid failed,
 *   6 Maildir creation failed, 11 read error or misuse, 12 empty login,
 *   13 empty password, 14 home creation failed, 15 empty stored hash,
 *   20 invalid characters in the login, 111 temporary failure. */
#ifndef QV_CHKPW_H
#define QV_CHKPW_H
#include <stddef.h>
#include "stralloc.h"
#include "assign.h"
#include "vpasswd.h"

#define CHKPW_OK          0
#define CHKPW_DENIED      1
#define CHKPW_BADAUTH     3
#define CHKPW_SETGID      4
#define CHKPW_SETUID      5
#define CHKPW_MAILDIR     6
#define CHKPW_MISUSE      11
#define CHKPW_NOLOGIN     12
#define CHKPW_NOPASS      13
#define CHKPW_HOME        14
#define CHKPW_NOHASH      15
#define CHKPW_BADCHARS    20
#define CHKPW_TEMP        111

/* The most fd 3 may carry (DJB's checkpassword reads at most 512). */
#define CHKPW_INPUT_MAX 512

enum chkpw_service { SVC_SMTP, SVC_POP3, SVC_IMAP, SVC_WEBMAIL };

/* "smtp", "pop3", "imap", "webmail". */
const char *chkpw_service_name(enum chkpw_service s);

/* The credentials on fd 3: login\0password\0extra\0 (extra optional,
 * the APOP timestamp or CRAM-MD5 challenge). Views into the caller's
 * buffer. */
struct chkpw_creds {
  const char *login; size_t loginlen;
  const char *pass; size_t passlen;
  const char *extra; size_t extralen;
};

/* Splits buf (len <= CHKPW_INPUT_MAX). 0 ok, CHKPW_MISUSE (no NUL after
 * login or password), CHKPW_NOLOGIN, CHKPW_NOPASS. Pure. */
int chkpw_parse_input(struct chkpw_creds *c, const char *buf, size_t len);

/* The service of this connection. override = $VCHKPW_SERVICE
 * ("smtp"|"pop3"|"imap"|"webmail", wins when valid); else from
 * localport ($TCPLOCALPORT: 25 465 587 smtp, 110 995 pop3, 143 993
 * imap; other or missing: prog (argv[1]) containing "true" smtp,
 * containing "imap" imap, else pop3). A pop3/imap connection from an IP
 * in webmailips (the '\0'-separated list from control/webmailips) is
 * webmail. Pure. */
enum chkpw_service chkpw_service(const char *override, const char *localport,
                                 const char *prog, const char *ip,
                                 const char *webmailips, size_t wlen);

/* out = ip without a leading "::ffff:" (IPv4-mapped), NUL-terminated;
 * NULL ip gives "unknown". 1 or 0 (ENOMEM). */
int chkpw_clean_ip(stralloc *out, const char *ip);

/* Splits a login with vpopmail's parse_email (lib/vaddr.h: lower-cased,
 * the first '@', else '%', else '/'; no domain: $VPOPMAIL_DOMAIN, else
 * VPOPMAILDIR/etc/defaultdomain). user and domain are replaced and
 * NUL-terminated. Returns 0; CHKPW_BADCHARS for an empty user, a NUL
 * byte, a byte outside vpopmail's sets (user: ! # $ & ' * + - . / 0-9 =
 * ? ^ _ ` a-z { | } ~; domain: a-z 0-9 - .), a user longer than 32 or a
 * domain longer than 96 bytes; CHKPW_TEMP when out of memory or the
 * defaultdomain file cannot be read. */
int chkpw_split_login(stralloc *user, stralloc *domain, const char *login, size_t len);

/* The domain's limits (lib/vlimits.h: <domdir>/.qmailadmin-limits, else
 * VPOPMAILDIR/etc/vlimits.default, else none) as user flag bits: pop
 * 0x02, imap 0x08, smtp 0x800, webmail 0x04 and vpopmail's other
 * booleans. 0, or -1 with errno when a file exists but cannot be read. */
int chkpw_domain_flags(unsigned long *mask, const char *domdir);

/* 1 when flags deny service s, else 0. */
int chkpw_denied(unsigned long flags, enum chkpw_service s);

/* The outcome of an authentication. */
struct chkpw_result {
  struct vdomain dom;     /* the domain as resolved by users/cdb */
  struct vqpasswd pw;     /* the user record */
  stralloc user;          /* local part, lower-case, NUL-terminated */
  stralloc domain;        /* domain as given (lower-case), NUL-terminated */
  stralloc addr;          /* user@domain for logs, NUL-terminated */
  unsigned long flags;    /* effective flags (user | domain unless override) */
  const char *mech;       /* "PLAIN", "APOP", "CRAM-MD5" */
  const char *reason;     /* failure reason for the log line, else NULL */
};

void chkpw_result_free(struct chkpw_result *r);

/* Authenticates c for service s: splits the login, resolves the domain
 * (users/cdb), looks the user up (vpasswd.cdb only), checks the password
 * (APOP for pop3 and CRAM-MD5 for smtp when extra is present and a clear
 * password is stored, then crypt / Dovecot forms), then the disable
 * bits. Returns CHKPW_OK with r filled, or an exit code with r->reason
 * set (r->addr set as far as known). Never logs; never prints. */
int chkpw_auth(struct chkpw_result *r, const struct chkpw_creds *c, enum chkpw_service s);

#endif
