/* pop3/popup_session.c — qmail-popup's AUTHORIZATION state (see
 * popup_session.h).
 *
 * One session struct per connection; commands are dispatched from a
 * table that carries the policy (plaintext credentials need TLS or
 * FORCETLS=0); handlers do only their verb. Credentials are handed to
 * the checkpassword program through lib/checkpw.h: on success it has
 * served the whole session (qmail-pop3d), so this program just exits.
 * A refused login costs a growing delay (cpw_fail_delay) and at most
 * authfailmax refusals are allowed per connection. qmail-popup itself
 * writes no auth-fail line: vchkpw logs exactly one per refusal (with
 * the remote IP and the user), so fail2ban counts each failure once.
 *
 * Invariants: nothing is read from fd 0 beyond the current line (see
 * popup_io.h), so the child and the TLS helper see the client's later
 * bytes; every buffer that held a password is wiped after use.
 *
 * SECURITY: runs unprivileged before authentication and parses
 * untrusted network input: lines are bounded by pop3_cmd (255 octets;
 * SASL continuation lines SASL_LINEMAX); base64 is decoded strictly by
 * lib/sasl; no password or AUTH payload is ever logged; a client that
 * keeps sending bad commands is disconnected. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "checkpw.h"
#include "control.h"
#include "fmt.h"
#include "log.h"
#include "cmdword.h"
#include "linein.h"
#include "pop3_cmd.h"
#include "popup_io.h"
#include "popup_session.h"
#include "sa.h"
#include "sasl.h"
#include "tlsreq.h"

/* Replies. qmail-popup's texts where it has them; RFC 2449/3206
 * response codes in brackets (advertised as RESP-CODES). */
static const char R_GREETING_PRE[] = "+OK ";
static const char R_PLUSOK[] = "+OK \r\n";
static const char R_SYNTAX[] = "-ERR syntax error\r\n";
static const char R_AUTHFIRST[] = "-ERR authorization first\r\n";
static const char R_WANTUSER[] = "-ERR USER first\r\n";
static const char R_PLAINTEXT[] =
  "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections\r\n";
static const char R_AUTHFAIL[] = "-ERR [AUTH] authorization failed\r\n";
static const char R_AUTHFAIL_PERM[] = "-ERR authorization failed\r\n";
static const char R_TOOMANY[] = "-ERR [AUTH] too many authentication failures\r\n";
static const char R_TEMP[] = "-ERR [SYS/TEMP] temporary failure, try again later\r\n";
static const char R_CRASHED[] = "-ERR [SYS/TEMP] aack, child crashed\r\n";
static const char R_NOPIPE[] = "-ERR [SYS/TEMP] unable to open pipe\r\n";
static const char R_NOWRITE[] = "-ERR [SYS/TEMP] unable to write pipe\r\n";
static const char R_NOFORK[] = "-ERR [SYS/TEMP] unable to fork\r\n";
static const char R_NOEXEC[] = "-ERR [SYS/TEMP] unable to run checkpassword\r\n";
static const char R_NOMEM[] = "-ERR [SYS/TEMP] out of memory\r\n";
static const char R_TOOLONG[] = "-ERR line too long\r\n";
static const char R_BADBYTE[] = "-ERR syntax error (NUL byte)\r\n";
static const char R_TOOMANYBAD[] = "-ERR too many bad commands\r\n";
static const char R_CAPA_HEAD[] = "+OK Capability list follows\r\n"
  "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nEXPIRE NEVER\r\n";
static const char R_CAPA_PLAIN[] = "USER\r\nSASL PLAIN LOGIN\r\n";
static const char R_CAPA_STLS[] = "STLS\r\n";
static const char R_END[] = ".\r\n";
static const char R_MECHS[] = "+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n";
static const char R_BADMECH[] = "-ERR [AUTH] unsupported authentication mechanism\r\n";
static const char R_CANCEL[] = "-ERR [AUTH] authentication cancelled\r\n";
static const char R_BADB64[] = "-ERR [AUTH] malformed authentication data\r\n";
static const char R_EMPTYCHAL[] = "+ \r\n";
static const char R_STLS_GO[] = "+OK Begin TLS negotiation\r\n";
static const char R_STLS_NO[] = "-ERR STLS not available\r\n";
static const char R_STLS_ACTIVE[] = "-ERR TLS already active\r\n";

/* Disconnect after this many unknown or malformed commands (Dovecot's
 * POP3 uses 20 too). */
#define POPUP_BADMAX 20

/* checkpassword exit codes that mean "these credentials were refused"
 * (DJB's 1; vpopmail's service denied, bad auth, empty login, empty
 * password, no stored hash, bad characters). Only after these may the
 * client try again: any other status may come from a child that already
 * ran qmail-pop3d, so the connection is then closed as qmail-popup
 * always did. */
static int refusal_code(int code)
{
  return code == 0 || code == 1 || code == 3 || code == 12 || code == 13 ||
         code == 15 || code == 20;
}

struct session {
  const struct popup_config *c;
  struct linein in;
  stralloc ts;          /* the APOP timestamp of the greeting */
  stralloc user;        /* from USER, NUL-terminated */
  int have_user;
  unsigned failures;    /* refused logins on this connection */
  unsigned bad;         /* bad commands */
  int done;             /* 1: leave the loop and exit with code */
  int code;
  time_t deadline;      /* the whole AUTHORIZATION state ends here */
};

/* Seconds the next read may take: timeoutpop3d, but never past the
 * session's login deadline (so a client sending a byte now and then
 * cannot hold a connection slot forever before logging in). 0 when the
 * deadline has passed. */
static unsigned long read_timeout(const struct session *s)
{
  time_t now = time(0);
  unsigned long left = s->deadline > now ? (unsigned long)(s->deadline - now) : 0;
  return left < s->c->timeout ? left : s->c->timeout;
}

/* ---- output */

static void finish(struct session *s, int code)
{
  s->done = 1;
  s->code = code;
}

static void say(struct session *s, const char *r)
{
  if (!pio_write(1, r, strlen(r), s->c->timeout)) finish(s, s->code ? s->code : 0);
}

static void wipe_line(struct session *s)
{
  if (s->in.line.s) explicit_bzero(s->in.line.s, s->in.line.a);
  s->in.line.len = 0;
}

static int plaintext_ok(const struct session *s)
{
  return tlsreq_active() || !s->c->forcetls;
}

static int stls_offered(const struct session *s)
{
  return !s->c->disabletls && tlsreq_offerable();
}

static void bad_command(struct session *s, const char *r)
{
  say(s, r);
  if (++s->bad >= POPUP_BADMAX && !s->done) {
    say(s, R_TOOMANYBAD);
    log_event("warn", "too-many-bad-commands", "ip", s->c->ip, (char *)0);
    finish(s, 1);
  }
}

/* ---- checkpassword */

/* Runs the checkpassword program with user\0secret\0extra\0 and acts on
 * the outcome: exit (served or fatal), or a refusal reply after the
 * growing delay. */
static void try_login(struct session *s, const char *user, size_t ulen,
                      const char *secret, size_t slen, const char *extra, size_t elen)
{
  struct cpw_request rq;
  enum cpw_result r;
  int code = 0;
  char num[24];

  rq.user = user; rq.userlen = ulen;
  rq.secret = secret; rq.secretlen = slen;
  rq.extra = extra; rq.extralen = elen;
  rq.send_extra = 1;
  r = cpw_run(s->c->child, &rq, &code);
  switch (r) {
    case CPW_OK:
      finish(s, 0);
      return;
    case CPW_TEMP:
      say(s, R_TEMP);
      finish(s, 111);
      return;
    case CPW_CRASHED:
      num[fmt_ulong(num, (unsigned long)code)] = '\0';
      log_event("error", "child-crashed", "ip", s->c->ip, "signal", num, (char *)0);
      say(s, R_CRASHED);
      finish(s, 111);
      return;
    case CPW_NOEXEC:
      log_event("error", "exec-failed", "prog", s->c->child[0], "error", strerror(errno), (char *)0);
      say(s, R_NOEXEC);
      finish(s, 111);
      return;
    case CPW_NOPIPE:
      log_event("error", "pipe-failed", "error", strerror(errno), (char *)0);
      say(s, R_NOPIPE);
      finish(s, 111);
      return;
    case CPW_NOFORK:
      log_event("error", "fork-failed", "error", strerror(errno), (char *)0);
      say(s, R_NOFORK);
      finish(s, 111);
      return;
    case CPW_NOWRITE:
      log_event("error", "pipe-write-failed", "error", strerror(errno), (char *)0);
      say(s, R_NOWRITE);
      finish(s, 111);
      return;
    case CPW_REFUSED:
      break;
  }
  ++s->failures;
  sleep(cpw_fail_delay(s->failures));
  if (!refusal_code(code)) {
    /* not a plain refusal: maybe the child already served a session */
    say(s, R_AUTHFAIL_PERM);
    finish(s, 1);
    return;
  }
  if (s->c->authfailmax && s->failures >= s->c->authfailmax) {
    num[fmt_ulong(num, s->failures)] = '\0';
    log_event("warn", "auth-limit", "ip", s->c->ip, "failures", num, (char *)0);
    say(s, R_TOOMANY);
    finish(s, 1);
    return;
  }
  say(s, R_AUTHFAIL);
}

/* ---- commands (arg is a view into s->in.line) */

static void do_user(struct session *s, const char *arg, size_t len)
{
  if (!len) { say(s, R_SYNTAX); return; }
  if (!stralloc_copyb(&s->user, arg, len) || !sa_cstr(&s->user)) {
    say(s, R_NOMEM); finish(s, 111); return;
  }
  s->have_user = 1;
  say(s, R_PLUSOK);
}

static void forget_user(struct session *s)
{
  if (s->user.s) explicit_bzero(s->user.s, s->user.a);
  s->user.len = 0;
  s->have_user = 0;
}

static void do_pass(struct session *s, const char *arg, size_t len)
{
  if (!s->have_user) { say(s, R_WANTUSER); return; }
  if (!len) { say(s, R_SYNTAX); return; }
  try_login(s, s->user.s, s->user.len, arg, len, s->ts.s, s->ts.len);
  wipe_line(s);
  forget_user(s);
}

static void do_apop(struct session *s, const char *arg, size_t len)
{
  const char *name, *p = arg;
  size_t namelen, n = len;
  if (!pop3cmd_word(&p, &n, &name, &namelen)) { say(s, R_SYNTAX); return; }
  while (n && *p == ' ') { ++p; --n; }
  if (!n) { say(s, R_SYNTAX); return; }
  try_login(s, name, namelen, p, n, s->ts.s, s->ts.len);
  wipe_line(s);
  forget_user(s);
}

/* Reads one SASL client response into out (decoded). 1 ok; 0 when the
 * exchange ended with a reply already sent (cancel, malformed, too
 * long) or the session is finished. */
static int sasl_read(struct session *s, stralloc *out)
{
  int r;
  linein_setmax(&s->in, SASL_LINEMAX + 2);
  r = read_timeout(s) ? pio_getline(&s->in, 0, read_timeout(s)) : (errno = ETIMEDOUT, -1);
  linein_setmax(&s->in, POP3LINE_MAX);
  if (r == 0) { finish(s, 0); return 0; }
  if (r < 0) {
    if (errno == ETIMEDOUT) log_event("info", "timeout", "ip", s->c->ip, (char *)0);
    finish(s, errno == ENOMEM ? 111 : 0);
    return 0;
  }
  if (r != LINEIN_DONE) { bad_command(s, R_TOOLONG); return 0; }
  if (s->in.line.len == 1 && s->in.line.s[0] == '*') { say(s, R_CANCEL); return 0; }
  if (!sasl_b64_decode(out, s->in.line.s, s->in.line.len)) {
    wipe_line(s);
    if (errno == ENOMEM) { say(s, R_NOMEM); finish(s, 111); return 0; }
    bad_command(s, R_BADB64);
    return 0;
  }
  wipe_line(s);
  return 1;
}

/* The initial response, or a prompt and one client line. */
static int sasl_step(struct session *s, stralloc *out, const stralloc *ir, int have_ir,
                     const char *prompt)
{
  if (have_ir) {
    if (sasl_b64_decode(out, ir->s, ir->len)) return 1;
    if (errno == ENOMEM) { say(s, R_NOMEM); finish(s, 111); return 0; }
    bad_command(s, R_BADB64);
    return 0;
  }
  say(s, prompt);
  if (s->done) return 0;
  return sasl_read(s, out);
}

static void do_auth(struct session *s, const char *arg, size_t len)
{
  const char *mech, *w, *p = arg;
  size_t mechlen, wlen, n = len;
  stralloc ir = {0}, a = {0}, user = {0}, pass = {0};
  int have_ir = 0, plain;

  if (!pop3cmd_word(&p, &n, &mech, &mechlen)) { say(s, R_MECHS); return; }
  if (cmdword_is(mech, mechlen, "PLAIN")) plain = 1;
  else if (cmdword_is(mech, mechlen, "LOGIN")) plain = 0;
  else { bad_command(s, R_BADMECH); return; }
  if (pop3cmd_word(&p, &n, &w, &wlen)) {
    have_ir = 1;
    if (!stralloc_copyb(&ir, w, wlen)) { say(s, R_NOMEM); finish(s, 111); goto out; }
    while (n && *p == ' ') { ++p; --n; }
    if (n) { bad_command(s, R_SYNTAX); goto out; }
  }
  wipe_line(s);

  if (plain) {
    if (!sasl_step(s, &a, &ir, have_ir, R_EMPTYCHAL)) goto out;
    if (!sasl_plain_split(a.s, a.len, &user, &pass)) {
      if (errno == ENOMEM) { say(s, R_NOMEM); finish(s, 111); goto out; }
      bad_command(s, R_BADB64);
      goto out;
    }
  } else {
    if (!sasl_step(s, &user, &ir, have_ir, "+ " SASL_LOGIN_USER_PROMPT "\r\n")) goto out;
    if (!sasl_step(s, &pass, &ir, 0, "+ " SASL_LOGIN_PASS_PROMPT "\r\n")) goto out;
    if (!user.len || !pass.len || memchr(user.s, '\0', user.len) ||
        memchr(pass.s, '\0', pass.len)) {
      bad_command(s, R_BADB64);
      goto out;
    }
  }
  try_login(s, user.s, user.len, pass.s, pass.len, "", 0);
out:
  sa_wipe(&ir);
  sa_wipe(&a);
  sa_wipe(&user);
  sa_wipe(&pass);
  forget_user(s);
}

static void do_capa(struct session *s, const char *arg, size_t len)
{
  stralloc o = {0};
  (void)arg; (void)len;
  if (!stralloc_copys(&o, R_CAPA_HEAD) ||
      (plaintext_ok(s) && !stralloc_cats(&o, R_CAPA_PLAIN)) ||
      (stls_offered(s) && !stralloc_cats(&o, R_CAPA_STLS)) ||
      !stralloc_cats(&o, R_END)) {
    stralloc_free(&o);
    say(s, R_NOMEM);
    finish(s, 111);
    return;
  }
  if (!pio_write(1, o.s, o.len, s->c->timeout)) finish(s, 0);
  stralloc_free(&o);
}

static void do_stls(struct session *s, const char *arg, size_t len)
{
  (void)arg;
  if (len) { bad_command(s, R_SYNTAX); return; }
  if (tlsreq_active()) { bad_command(s, R_STLS_ACTIVE); return; }
  if (!stls_offered(s)) { bad_command(s, R_STLS_NO); return; }
  /* Nothing after this line has been read (popup_io.h): bytes the
   * client pipelined behind STLS go to the TLS helper, not to us. */
  say(s, R_STLS_GO);
  if (s->done) return;
  if (!tlsreq_starttls()) {
    log_event("warn", "tls-failed", "ip", s->c->ip, "error", strerror(errno), (char *)0);
    finish(s, 111);
    return;
  }
  forget_user(s);
  s->bad = 0;
}

static void do_noop(struct session *s, const char *arg, size_t len)
{
  (void)arg; (void)len;
  say(s, R_PLUSOK);
}

static void do_quit(struct session *s, const char *arg, size_t len)
{
  (void)arg; (void)len;
  say(s, R_PLUSOK);
  finish(s, 0);
}

enum { NEED_PLAINTEXT = 1 };

static const struct popup_cmd {
  const char *verb;
  int flags;
  void (*fn)(struct session *, const char *, size_t);
} cmds[] = {
  { "user", NEED_PLAINTEXT, do_user },
  { "pass", NEED_PLAINTEXT, do_pass },
  { "apop", 0, do_apop },
  { "auth", NEED_PLAINTEXT, do_auth },
  { "capa", 0, do_capa },
  { "stls", 0, do_stls },
  { "noop", 0, do_noop },
  { "quit", 0, do_quit },
  { 0, 0, 0 }
};

static void dispatch(struct session *s)
{
  struct cmdword c;
  const struct popup_cmd *t;
  cmdword_split(s->in.line.s, s->in.line.len, 0, &c);
  for (t = cmds; t->verb; ++t) {
    if (!cmdword_is(c.verb, c.verblen, t->verb)) continue;
    if ((t->flags & NEED_PLAINTEXT) && !plaintext_ok(s)) {
      wipe_line(s);
      forget_user(s);
      bad_command(s, R_PLAINTEXT);
      return;
    }
    t->fn(s, c.arg, c.arglen);
    return;
  }
  bad_command(s, R_AUTHFIRST);
}

int popup_timestamp(stralloc *out, unsigned long pid, unsigned long t, const char *host)
{
  return stralloc_copys(out, "<") && sa_catulong(out, pid) && stralloc_cats(out, ".") &&
         sa_catulong(out, t) && stralloc_cats(out, "@") && stralloc_cats(out, host) &&
         stralloc_cats(out, ">") && sa_cstr(out);
}

int popup_run(const struct popup_config *c)
{
  struct session s;
  stralloc g = {0};

  memset(&s, 0, sizeof s);
  s.c = c;
  s.deadline = time(0) + (time_t)(c->timeout < POPUP_LOGINTIME ? POPUP_LOGINTIME : c->timeout);
  linein_init(&s.in, POP3LINE_MAX, LINEIN_NONUL);
  if (!popup_timestamp(&s.ts, (unsigned long)getpid(), (unsigned long)time(0), c->host) ||
      !stralloc_copys(&g, R_GREETING_PRE) || !stralloc_cat(&g, &s.ts) ||
      !stralloc_cats(&g, "\r\n")) {
    say(&s, R_NOMEM);
    return 111;
  }
  if (!pio_write(1, g.s, g.len, c->timeout)) { stralloc_free(&g); return 0; }
  stralloc_free(&g);

  while (!s.done) {
    int r = read_timeout(&s) ? pio_getline(&s.in, 0, read_timeout(&s)) : (errno = ETIMEDOUT, -1);
    if (r == 0) break;
    if (r < 0) {
      if (errno == ETIMEDOUT) log_event("info", "timeout", "ip", c->ip, (char *)0);
      else if (errno == ENOMEM) { say(&s, R_NOMEM); finish(&s, 111); break; }
      break;
    }
    if (r == LINEIN_TOOLONG) bad_command(&s, R_TOOLONG);
    else if (r == LINEIN_BADBYTE) bad_command(&s, R_BADBYTE);
    else dispatch(&s);
  }
  wipe_line(&s);
  forget_user(&s);
  linein_free(&s.in);
  stralloc_free(&s.user);
  stralloc_free(&s.ts);
  return s.code;
}

int popup_config_load(struct popup_config *c)
{
  const char *e;
  if (ctl_readint(&c->authfailmax, "authfailmax", POPUP_AUTHFAILMAX) < 0) return -1;
  if (ctl_readint(&c->timeout, "timeoutpop3d", POPUP_TIMEOUT) < 0) return -1;
  if (!c->timeout) c->timeout = 1;
  e = getenv("FORCETLS");
  c->forcetls = !(e && !strcmp(e, "0"));
  e = getenv("DISABLETLS");
  c->disabletls = e && !strcmp(e, "1");
  e = getenv("TCPREMOTEIP");
  c->ip = e && *e ? e : "unknown";
  return 0;
}
