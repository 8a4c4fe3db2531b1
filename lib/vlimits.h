/* lib/vlimits.h — vpopmail's domain limits: <domaindir>/.qmailadmin-limits
 * and VPOPMAILDIR/etc/vlimits.default (prefix limits_).
 *
 * Text, one setting per line: a key, then its value after spaces, tabs
 * or ':'; '#' starts a comment line; unknown keys are ignored; boolean
 * keys are set by mere presence; numbers read leniently (no digits = 0).
 * Keys: maxpopaccounts maxaliases
 * maxforwards maxautoresponders maxmailinglists (-1 = unlimited), quota
 * (domain quota in MB), maxmsgcount, default_quota (new-user quota in
 * bytes), default_maxmsgcount, booleans disable_pop disable_imap
 * disable_dialup disable_password_changing disable_external_relay
 * disable_smtp disable_webmail disable_spamassassin delete_spam
 * disable_maildrop, permission masks perm_account perm_alias
 * perm_forward perm_autoresponder perm_maillist perm_quota
 * perm_defaultquota (deny bits: LIMITS_DENY_*; perm_maillist packs
 * list | users << 3 | moderators << 6).
 *
 * The user flag bits the domain booleans map to are VPW_* in vpasswd.h.
 *
 * (Named vlimits.h, not limits.h: with -Ilib a lib/limits.h would shadow
 * the system <limits.h> for every file. The symbol prefix is limits_.) */
#ifndef QV_VLIMITS_H
#define QV_VLIMITS_H
#include <sys/types.h>
#include "stralloc.h"

#define LIMITS_DENY_CREATE 1
#define LIMITS_DENY_MODIFY 2
#define LIMITS_DENY_DELETE 4
#define LIMITS_DENY_ALL 7

#define LIMITS_FILE ".qmailadmin-limits"
#define LIMITS_DEFAULT_FILE "etc/vlimits.default"  /* under VPOPMAILDIR */

struct vlimits {
  long maxpopaccounts, maxaliases, maxforwards, maxautoresponders,
       maxmailinglists;                 /* -1 = unlimited */
  unsigned long diskquota;              /* key "quota", MB, 0 = none */
  unsigned long maxmsgcount;            /* 0 = none */
  unsigned long long defaultquota;      /* bytes, 0 = none */
  unsigned long defaultmaxmsgcount;     /* 0 = none */
  int disable_pop, disable_imap, disable_dialup, disable_passwordchanging,
      disable_webmail, disable_relay, disable_smtp, disable_spamassassin,
      delete_spam, disable_maildrop;    /* 0 / 1 */
  int perm_account, perm_alias, perm_forward, perm_autoresponder,
      perm_maillist, perm_maillist_users, perm_maillist_moderators,
      perm_quota, perm_defaultquota;    /* LIMITS_DENY_* bits, 0..7 */
};

/* Built-in defaults: every max -1, quotas and counts 0, no booleans, no
 * deny bits. */
void limits_defaults(struct vlimits *l);

/* Parses a file image (lines end at '\n' or '\r') on top of the
 * defaults, as vpopmail does: a key followed by a separator and no
 * digits reads as 0, a numeric key without any separator is ignored,
 * perm values are masked to 3 bits, numbers saturate. Untrusted input;
 * always succeeds (returns 1). */
int limits_parse(struct vlimits *l, const char *buf, size_t len);

/* Replaces out with vmoddomlimits' layout: "key: value" lines for every
 * numeric key, then the booleans that are set, then the perm lines.
 * 1, or 0 on ENOMEM. */
int limits_format(stralloc *out, const struct vlimits *l);

/* Reads one limits file. 1 read, 0 missing (*l = defaults), -1 errno. */
int limits_read_file(const char *path, struct vlimits *l);

/* The limits in effect for a domain: domaindir/.qmailadmin-limits, else
 * VPOPMAILDIR/etc/vlimits.default, else the built-in defaults (5.6.13:
 * a missing default file is not an error). domaindir may be NULL (only
 * the default file). Returns 2 (domain file), 1 (vlimits.default), 0
 * (built-in), or -1 with errno when a file exists but cannot be read. */
int limits_read(const char *domaindir, struct vlimits *l);

/* Writes path atomically (atomicfile; mode 0600, owned uid/gid,
 * (uid_t)-1: leave). 1 or -1 errno. */
int limits_write(const char *path, const struct vlimits *l, uid_t uid, gid_t gid);

/* Removes domaindir/.qmailadmin-limits. 1 removed, 0 was not there,
 * -1 errno. */
int limits_delete(const char *domaindir);

/* The user flag bits (VPW_NO_POP, ...) the domain's booleans imply:
 * pop 0x02, imap 0x08, smtp 0x800, webmail 0x04, external relay 0x20,
 * password changing 0x01, dialup 0x40, spamassassin 0x4000, delete_spam
 * 0x8000, maildrop 0x40000. */
unsigned long limits_flag_mask(const struct vlimits *l);

#endif
