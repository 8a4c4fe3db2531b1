/* vchkpw/chkpw.c — vchkpw's decision logic (see chkpw.h): parse the
 * checkpassword input, classify the service, split and validate the
 * login, resolve domain and user, check the password and the disable
 * bits. No I/O beyond reading the stores and limits files; no exits.
 *
 * Invariants: a store that cannot be read (users/cdb, vpasswd.cdb,
 * limits) is CHKPW_TEMP, never "unknown user"; every failure sets a
 * reason for the single log line main writes; the order is
 * user -> stored hash -> password -> disable bits, so an unauthenticated
 * client learns nothing about an account's flags.
 *
 * SECURITY: the credentials come from the network through the protocol
 * program; they are bounded by CHKPW_INPUT_MAX, never copied into fixed
 * buffers, never logged (only the login, escaped by log_event), and the
 * password view is wiped by main after use. This code runs with the
 * mail-store id (setuid) so it can read vpasswd.cdb. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "chkpw.h"
#include "control.h"
#include "paths.h"
#include "pwhash.h"
#include "sa.h"
#include "vaddr.h"
#include "vauth.h"
#include "vlimits.h"
#include "verror.h"
#include "atomicfile.h"


const char *chkpw_service_name(enum chkpw_service s)
{
  switch (s) {
  case SVC_SMTP: return "smtp";
  case SVC_POP3: return "pop3";
  case SVC_IMAP: return "imap";
  case SVC_WEBMAIL: return "webmail";
  }
  return "pop3";
}

int chkpw_parse_input(struct chkpw_creds *c, const char *buf, size_t len)
{
  const char *z;
  size_t pos;

  memset(c, 0, sizeof *c);
  z = memchr(buf, 0, len);
  if (!z) return CHKPW_MISUSE;
  c->login = buf;
  c->loginlen = (size_t)(z - buf);
  pos = c->loginlen + 1;
  z = memchr(buf + pos, 0, len - pos);
  if (!z) return CHKPW_MISUSE;
  c->pass = buf + pos;
  c->passlen = (size_t)(z - c->pass);
  pos += c->passlen + 1;
  c->extra = buf + pos;
  z = memchr(buf + pos, 0, len - pos);
  c->extralen = z ? (size_t)(z - c->extra) : len - pos;
  if (!c->loginlen) return CHKPW_NOLOGIN;
  if (!c->passlen) return CHKPW_NOPASS;
  return CHKPW_OK;
}

static int streq(const char *a, const char *b) { return a && !strcmp(a, b); }

enum chkpw_service chkpw_service(const char *override, const char *localport,
                                 const char *prog, const char *ip,
                                 const char *webmailips, size_t wlen)
{
  enum chkpw_service s;
  size_t i;

  if (streq(override, "smtp")) return SVC_SMTP;
  if (streq(override, "pop3")) return SVC_POP3;
  if (streq(override, "imap")) return SVC_IMAP;
  if (streq(override, "webmail")) return SVC_WEBMAIL;

  if (streq(localport, "25") || streq(localport, "465") || streq(localport, "587"))
    return SVC_SMTP;
  if (streq(localport, "110") || streq(localport, "995")) s = SVC_POP3;
  else if (streq(localport, "143") || streq(localport, "993")) s = SVC_IMAP;
  else if (prog && strstr(prog, "true")) return SVC_SMTP;
  else if (prog && strstr(prog, "imap")) s = SVC_IMAP;
  else s = SVC_POP3;

  if (!ip) return s;
  for (i = 0; i < wlen; ) {
    const char *e = memchr(webmailips + i, 0, wlen - i);
    size_t l = e ? (size_t)(e - webmailips - i) : wlen - i;
    if (l == strlen(ip) && !memcmp(webmailips + i, ip, l)) return SVC_WEBMAIL;
    i += l + 1;
  }
  return s;
}

int chkpw_clean_ip(stralloc *out, const char *ip)
{
  if (!ip || !*ip) ip = "unknown";
  if (!strncmp(ip, "::ffff:", 7) || !strncmp(ip, "::FFFF:", 7)) ip += 7;
  return stralloc_copys(out, ip) && sa_cstr(out);
}

int chkpw_split_login(stralloc *user, stralloc *domain, const char *login, size_t len)
{
  if (memchr(login, 0, len)) return CHKPW_BADCHARS;
  switch (vaddr_parse(user, domain, login, len)) {
  case VA_SUCCESS: return user->len ? 0 : CHKPW_BADCHARS;
  case VA_MEMORY_ALLOC_ERR: return CHKPW_TEMP;
  default: return CHKPW_BADCHARS;
  }
}

int chkpw_domain_flags(unsigned long *mask, const char *domdir)
{
  struct vlimits l;
  *mask = 0;
  if (limits_read(domdir, &l) < 0) return -1;
  *mask = limits_flag_mask(&l);
  return 0;
}

int chkpw_denied(unsigned long flags, enum chkpw_service s)
{
  switch (s) {
  case SVC_SMTP: return (flags & VPW_NO_SMTP) != 0;
  case SVC_POP3: return (flags & VPW_NO_POP) != 0;
  case SVC_IMAP: return (flags & VPW_NO_IMAP) != 0;
  case SVC_WEBMAIL: return (flags & VPW_NO_WEBMAIL) != 0;
  }
  return 1;
}

void chkpw_result_free(struct chkpw_result *r)
{
  assign_free(&r->dom);
  vpw_free(&r->pw);
  stralloc_free(&r->user);
  stralloc_free(&r->domain);
  stralloc_free(&r->addr);
}

/* Spends about the time of a real SHA-512-crypt check, so that "no such
 * user" and "wrong password" are not told apart by timing. */
static void burn_time(const struct chkpw_creds *c)
{
  static const char dummy[] = "$6$qvmaildummysalt$"
    "7u7lGNWW9pmKyYBbYJ6Jh6i2ruj8e.Qfb5jWFzC5XDXwkp22RJs8FI/FZCcvlqZ74LOOE4zjgN.gJJSAWe/Um/";
  (void)pw_verify(dummy, sizeof dummy - 1, c->pass, c->passlen);
}

static int fail(struct chkpw_result *r, int code, const char *reason)
{
  r->reason = reason;
  return code;
}

int chkpw_auth(struct chkpw_result *r, const struct chkpw_creds *c, enum chkpw_service s)
{
  unsigned long dflags = 0;
  int rc, ok = 0;

  r->reason = 0;
  r->mech = "PLAIN";
  rc = chkpw_split_login(&r->user, &r->domain, c->login, c->loginlen);
  if (rc == CHKPW_TEMP) return fail(r, rc, "defaultdomain-unreadable");
  if (rc) {
    /* addr stays the raw login for the log (escaped there). */
    if (!stralloc_copyb(&r->addr, c->login, c->loginlen) || !sa_cstr(&r->addr)) r->addr.len = 0;
    return fail(r, rc, "invalid-characters");
  }
  if (!stralloc_copy(&r->addr, &r->user) || !stralloc_cats(&r->addr, "@")
      || !stralloc_cat(&r->addr, &r->domain) || !sa_cstr(&r->addr))
    return fail(r, CHKPW_TEMP, "out-of-memory");
  if (!r->domain.len) return fail(r, CHKPW_BADAUTH, "no-domain");

  rc = assign_lookup(&r->dom, r->domain.s, r->domain.len);
  if (rc < 0) return fail(r, CHKPW_TEMP, "users-cdb-unreadable");
  if (rc == 0) { burn_time(c); return fail(r, CHKPW_BADAUTH, "unknown-domain"); }

  if (vauth_open() < 0) return fail(r, CHKPW_TEMP, "backend-unavailable");
  rc = vauth_getpw(&r->pw, r->user.s, &r->dom);
  if (rc < 0) return fail(r, CHKPW_TEMP, "user-store-unreadable");
  if (rc == 0) { burn_time(c); return fail(r, CHKPW_BADAUTH, "unknown-user"); }
  if (!r->pw.passwd.len) return fail(r, CHKPW_NOHASH, "no-password-stored");

  /* Challenge-response first when it applies, then crypt (as vpopmail). */
  if (c->extralen && r->pw.has_clear && r->pw.clear.len) {
    if (s == SVC_POP3 || s == SVC_WEBMAIL) {
      rc = pw_verify_apop(r->pw.clear.s, r->pw.clear.len, c->extra, c->extralen, c->pass, c->passlen);
      if (rc < 0) return fail(r, CHKPW_TEMP, "digest-error");
      if (rc == 1) { ok = 1; r->mech = "APOP"; }
    } else if (s == SVC_SMTP) {
      rc = pw_verify_cram(r->pw.clear.s, r->pw.clear.len, c->extra, c->extralen, c->pass, c->passlen);
      if (rc < 0) return fail(r, CHKPW_TEMP, "digest-error");
      if (rc == 1) { ok = 1; r->mech = "CRAM-MD5"; }
    }
  }
  if (!ok) {
    rc = pw_verify(r->pw.passwd.s, r->pw.passwd.len, c->pass, c->passlen);
    if (rc < 0) return fail(r, CHKPW_TEMP, "hash-error");
    if (rc == 0) return fail(r, CHKPW_BADAUTH, "wrong-password");
  }

  r->flags = r->pw.gid;
  if (!(r->pw.gid & VPW_V_OVERRIDE)) {
    if (chkpw_domain_flags(&dflags, r->dom.dir.s) < 0)
      return fail(r, CHKPW_TEMP, "limits-unreadable");
    r->flags |= dflags;
  }
  if (chkpw_denied(r->flags, s)) return fail(r, CHKPW_DENIED, "service-disabled");
  return CHKPW_OK;
}
