/* qmail-smtpd/smtp_session.c — one SMTP connection (see smtp_session.h).
 *
 * Shape: a bounded reader (fill) and a buffered writer (flush, called
 * only when the reader must wait: PIPELINING-friendly, as qmail); a
 * command table that holds the policy (states in which a verb is
 * allowed, whether it needs an argument); handlers that only do their
 * verb; one transaction reset (txreset). Replies are written in their
 * ESMTP form "NNN x.y.z text"; for a client that did not say EHLO the
 * enhanced code is dropped, which gives qmail's exact bytes.
 *
 * Invariants: a message reaches the queue program's envelope pipe only
 * after the whole body was read and accepted; a bare LF or bare CR in
 * the body ends the connection with qmail's 451 (smtp_data.c decides);
 * every wait on the client has the timeoutsmtpd limit.
 *
 * SECURITY: this is the network parser. It runs as an unprivileged id
 * (main refuses root), holds no secret and writes nothing on disk. It
 * reads the client only through fill() into a fixed buffer; command
 * lines are bounded (smtp_cmd.c), addresses are bounded and free of
 * control bytes (smtp_addr.c). The session may end the process (exit)
 * from any handler: it is the program's main-level code.
 *
 * AUTH (smtp_auth.c parses, lib/checkpw.c runs the checkpassword
 * program): SASL lines are read through their own bounded reader
 * (SASL_LINEMAX) and wiped after parsing; the exchange's secrets are
 * wiped after every AUTH; nothing of the payload is logged (vchkpw logs
 * the one auth-fail line per failure, with ip and user). FORCETLS keeps
 * plaintext passwords off unencrypted connections; failures cost a
 * growing delay and at most control/authfailmax per connection. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "byte.h"
#include "case.h"
#include "fmt.h"
#include "leakcheck.h"
#include "str.h"
#include "control.h"
#include "paths.h"
#include "log.h"
#include "sa.h"
#include "linein.h"
#include "cmdword.h"
#include "smtp_cmd.h"
#include "smtp_addr.h"
#include "smtp_data.h"
#include "smtp_queue.h"
#include "rcpt_proto.h"
#include "smtp_check.h"
#include "smtp_received.h"
#include "smtp_auth.h"
#include "assign.h"
#include "checkpw.h"
#include "tlsreq.h"
#include "sasl.h"
#include "vaddr.h"
#include "smtp_session.h"

/* Replies, ESMTP form (the x.y.z after the code is dropped without EHLO). */
static const char R_OKAY[] = "250 2.0.0 ok";
static const char R_MAILOK[] = "250 2.1.0 ok";
static const char R_RCPTOK[] = "250 2.1.5 ok";
static const char R_FLUSHED[] = "250 2.0.0 flushed";
static const char R_VRFY[] = "252 2.1.5 send some mail, i'll try my best";
static const char R_HELP[] = "214 2.0.0 qvmail qmail-smtpd, see qmail-smtpd(8)";
static const char R_GOAHEAD[] = "354 go ahead";
static const char R_SYNTAX[] = "555 5.5.4 syntax error (#5.5.4)";
static const char R_UNIMPL[] = "502 5.5.1 unimplemented (#5.5.1)";
static const char R_TLSREADY[] = "220 2.0.0 ready for tls";
static const char R_TLSPARAM[] = "501 5.5.4 Syntax error (no parameters allowed) (#5.5.4)";
static const char R_TOOLONG[] = "500 5.5.2 line too long (#5.5.2)";
static const char R_MAILFIRST[] = "503 5.5.1 MAIL first (#5.5.1)";
static const char R_RCPTFIRST[] = "503 5.5.1 RCPT first (#5.5.1)";
static const char R_INBDAT[] = "503 5.5.1 BDAT in progress (#5.5.1)";
static const char R_BMF[] = "553 5.7.1 sorry, your envelope sender is in my badmailfrom list (#5.7.1)";
static const char R_BADRCPT[] = "553 5.7.1 sorry, your envelope recipient is in my badrcptto list (#5.7.1)";
static const char R_BADHELO[] = "553 5.7.1 sorry, your HELO host name has been denied (#5.7.1)";
static const char R_NORELAY[] = "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)";
static const char R_NEEDUTF8[] = "553 5.6.7 sorry, a non-ASCII address needs SMTPUTF8 (#5.6.7)";
static const char R_MAXRCPT[] = "452 4.5.3 max rcpt limit exceeded (#4.5.3)";
static const char R_NOMAILBOX[] = "550 5.1.1 sorry, no mailbox here by that name (chkuser)";
static const char R_MBXFULL[] = "552 5.2.2 sorry, recipient mailbox is full (chkuser)";
static const char R_RCPTTEMP[] = "451 4.3.0 system temporary unavailable, try again later (chkuser)";
static const char R_CHKMAXRCPT[] = "550 5.5.3 sorry, reached maximum number of recipients allowed in one session (chkuser)";
static const char R_CHKMAXWRONG[] = "550 5.5.3 sorry, you are violating our security policies (chkuser)";
static const char R_TOOBIG[] = "552 5.3.4 sorry, that message size exceeds my databytes limit (#5.3.4)";
static const char R_HOPS[] = "554 5.4.6 too many hops, this message is looping (#5.4.6)";
static const char R_QQT[] = "451 4.3.0 qqt failure (#4.3.0)";
static const char R_SMTPLF[] = "451 4.5.2 See https://cr.yp.to/docs/smtplf.html.";
static const char R_TIMEOUT[] = "451 4.4.2 timeout (#4.4.2)";
static const char R_CONTROLS[] = "421 4.3.0 unable to read controls (#4.3.0)";
static const char R_ERRORS[] = "421 4.7.0 too many errors, closing connection (#4.7.0)";
static const char R_BDATSYNTAX[] = "501 5.5.4 malformed BDAT, closing connection (#5.5.4)";
/* SMTP AUTH: the smtp-auth patch's texts (qmail.md 2.1) */
static const char R_AUTHOK[] = "235 2.0.0 ok, go ahead (#2.0.0)";
static const char R_AUTHFAIL[] = "535 5.7.1 authentication failed (#5.7.1)";
static const char R_AUTHNA[] = "503 5.3.3 auth not available (#5.3.3)";
static const char R_AUTHAGAIN[] = "503 5.5.0 you're already authenticated (#5.5.0)";
static const char R_AUTHINTX[] = "503 5.5.0 no auth during mail transaction (#5.5.0)";
static const char R_AUTHTYPE[] = "504 5.5.1 auth type unimplemented (#5.5.1)";
static const char R_AUTHCANCEL[] = "501 5.0.0 auth exchange canceled (#5.0.0)";
static const char R_AUTHINPUT[] = "501 5.5.4 malformed auth input (#5.5.4)";
static const char R_AUTHTLS[] = "538 5.3.3 auth not available without TLS (#5.3.3)";
static const char R_AUTHREQ[] = "530 5.7.1 Authorization required (#5.7.1) ";
static const char R_AUTHFROM[] = "503 5.5.1 from and auth not the same (#5.5.1)";
static const char R_AUTHFROMTEMP[] = "451 4.3.0 unable to check the sender, try again later (#4.3.0)";
static const char R_AUTHCHILD[] = "454 4.3.0 oops, problem with child and I can't auth (#4.3.0)";
static const char R_AUTHNOSTART[] = "454 4.3.0 oops, child won't start and I can't auth (#4.3.0)";
static const char R_AUTHNOPIPE[] = "454 4.3.0 oops, unable to open pipe and I can't auth (#4.3.0)";
static const char R_AUTHNOWRITE[] = "454 4.3.0 oops, unable to write pipe and I can't auth (#4.3.0)";
static const char R_AUTHMAX[] = "421 4.7.0 too many authentication failures, closing connection (#4.7.0)";

enum { ST_INIT = 1, ST_MAIL = 2, ST_RCPT = 4, ST_BDAT = 8 };
#define ST_ANY (ST_INIT | ST_MAIL | ST_RCPT | ST_BDAT)
#define ST_IDLE (ST_INIT | ST_MAIL | ST_RCPT)

struct smtpd {
  const struct smtpd_config *c;
  int infd, outfd;
  char in[8192];
  size_t inpos, inlen;
  stralloc out;
  struct linein line;
  int state;
  int esmtp;              /* EHLO seen: enhanced codes in replies */
  unsigned long errors;
  stralloc helo;          /* NUL-terminated */
  int badhelo;
  stralloc env;           /* "F" sender "\0" ("T" rcpt "\0")* */
  unsigned long nrcpt;
  unsigned long chkrcpt, chkwrong;  /* session counts for the chkuser limits */
  unsigned long chkdelays;          /* chkuser refusals delayed so far */
  int badmailfrom, smtputf8;
  struct smtpaddr addr;
  struct smtpq q;
  int qopen;
  struct smtpdata d;
  stralloc body;          /* stored bytes on their way to the queue */
  int toobig;
  /* SMTP AUTH: state survives RSET and HELO/EHLO */
  int authed;
  stralloc authuser;      /* the login as given, NUL-terminated */
  const char *authmech;
  unsigned long authfails;
  struct smtpauth auth;
  struct linein authline;   /* SASL lines: up to SASL_LINEMAX */
  stralloc mailauth;      /* MAIL AUTH=, trusted clients only; per transaction */
  stralloc defdom;        /* default domain for FORCEAUTHMAILFROM, read once */
  int havedefdom;
  stralloc proto;         /* Received's protocol word */
};

static void nomem(struct smtpd *s) __attribute__((noreturn));
static void drop(struct smtpd *s, const char *r, int code) __attribute__((noreturn));

/* ---- output ---- */

static int waitms(const struct smtpd *s)
{
  unsigned long t = s->c->timeout;
  if (t > 2000000UL) t = 2000000UL;   /* poll's int milliseconds */
  return (int)t * 1000;
}

static void leave(struct smtpd *s, int code) __attribute__((noreturn));
static void leave(struct smtpd *s, int code)
{
  if (s->qopen) smtpq_abort(&s->q);
  leakcheck();
  _exit(code);
}

static void flush(struct smtpd *s)
{
  size_t off = 0;
  while (off < s->out.len) {
    struct pollfd p;
    ssize_t w;
    p.fd = s->outfd; p.events = POLLOUT; p.revents = 0;
    if (poll(&p, 1, waitms(s)) <= 0) {
      if (errno == EINTR) continue;
      leave(s, 0);          /* the client does not read: nothing to say */
    }
    w = write(s->outfd, s->out.s + off, s->out.len - off);
    if (w < 0) { if (errno == EINTR || errno == EAGAIN) continue; leave(s, 0); }
    off += (size_t)w;
  }
  s->out.len = 0;
}

static void outs(struct smtpd *s, const char *t)
{
  if (!stralloc_cats(&s->out, t)) nomem(s);
}

/* Length of an enhanced status code "d.d{1,3}.d{1,3} " at p, or 0. */
static size_t enhlen(const char *p)
{
  size_t i = 0, part;
  if (p[0] != '2' && p[0] != '4' && p[0] != '5') return 0;
  if (p[1] != '.') return 0;
  i = 2;
  for (part = 0; part < 2; ++part) {
    size_t start = i;
    while (p[i] >= '0' && p[i] <= '9' && i - start < 3) ++i;
    if (i == start) return 0;
    if (part == 0 && p[i++] != '.') return 0;
  }
  return p[i] == ' ' ? i + 1 : 0;
}

/* Queues one reply line; r is "NNN x.y.z text" or "NNN text". keep:
 * the enhanced code stays even without EHLO (chkuser's replies). */
static void reply_code(struct smtpd *s, const char *r, int keep)
{
  size_t n = str_len(r);
  if (!keep && !s->esmtp && n > 4 && r[3] == ' ') {
    size_t e = enhlen(r + 4);
    if (!stralloc_catb(&s->out, r, 4) || !stralloc_cats(&s->out, r + 4 + e)) nomem(s);
  } else {
    if (!stralloc_catb(&s->out, r, n)) nomem(s);
  }
  outs(s, "\r\n");
}

static void reply(struct smtpd *s, const char *r)
{
  reply_code(s, r, 0);
}

static void drop(struct smtpd *s, const char *r, int code)
{
  reply(s, r);
  flush(s);
  leave(s, code);
}

static void nomem(struct smtpd *s)
{
  /* qmail's reply; it fits in the buffer we already have */
  s->out.len = 0;
  if (stralloc_cats(&s->out, "421 out of memory (#4.3.0)\r\n")) flush(s);
  log_event("fatal", "out-of-memory", (char *)0);
  leave(s, 111);
}

static void error(struct smtpd *s, const char *r)
{
  reply(s, r);
  if (s->c->maxerrors && ++s->errors >= s->c->maxerrors) {
    log_event("warn", "too-many-errors", "ip", s->c->remoteip, (char *)0);
    drop(s, R_ERRORS, 0);
  }
}

/* ---- input ---- */

static void fill(struct smtpd *s)
{
  for (;;) {
    struct pollfd p;
    ssize_t r;
    int k;
    flush(s);
    p.fd = s->infd; p.events = POLLIN; p.revents = 0;
    k = poll(&p, 1, waitms(s));
    if (k < 0) { if (errno == EINTR) continue; leave(s, 0); }
    if (k == 0) {
      log_event("info", "timeout", "ip", s->c->remoteip, (char *)0);
      drop(s, R_TIMEOUT, 0);
    }
    r = read(s->infd, s->in, sizeof s->in);
    if (r < 0) { if (errno == EINTR || errno == EAGAIN) continue; leave(s, 0); }
    if (r == 0) leave(s, 0);   /* EOF: silent, as qmail */
    s->inpos = 0;
    s->inlen = (size_t)r;
    return;
  }
}

/* Reads and throws away n bytes (a refused BDAT chunk). */
static void drain(struct smtpd *s, unsigned long n)
{
  while (n) {
    size_t k;
    if (s->inpos == s->inlen) fill(s);
    k = s->inlen - s->inpos;
    if (k > n) k = (size_t)n;
    s->inpos += k;
    n -= k;
  }
}

/* ---- transaction ---- */

static void txreset(struct smtpd *s)
{
  if (s->qopen) { smtpq_abort(&s->q); s->qopen = 0; }
  s->state = ST_INIT;
  s->env.len = 0;
  s->nrcpt = 0;
  s->badmailfrom = 0;
  s->smtputf8 = 0;
  s->toobig = 0;
  s->mailauth.len = 0;
}

/* RELAYCLIENT's value for this session: AUTH lets the client relay,
 * as the smtp-auth patch does. NULL: no relaying. */
static const char *relayclient(const struct smtpd *s)
{
  if (s->c->relayclient) return s->c->relayclient;
  return s->authed ? "" : 0;
}

/* chkuser's error delay: before a recipient refusal of the check, wait
 * control/chkusererrordelay ms, then that plus chkusererrordelayincrease
 * ms per earlier delayed refusal of the session (chkuser: 1000 + 300),
 * each wait at most the session timeout. Slows down address harvesting;
 * 0 (the default) turns it off. */
static void chk_delay(struct smtpd *s)
{
  const struct smtpd_config *c = s->c;
  unsigned long long ms;
  struct timespec ts;
  if (!c->chk_errdelay) return;
  ms = c->chk_errdelay + (unsigned long long)c->chk_errdelayinc * s->chkdelays++;
  if (ms > (unsigned long long)c->timeout * 1000) ms = (unsigned long long)c->timeout * 1000;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) ;
}

static int queue_start(struct smtpd *s)
{
  const struct smtpd_config *c = s->c;
  if (smtpq_open(&s->q, c->queueprog.s, c->queuehelper) < 0) {
    log_event("warn", "qqt-failure", "prog", c->queueprog.s, "error", strerror(errno), (char *)0);
    return 0;
  }
  s->qopen = 1;
  s->toobig = 0;
  s->body.len = 0;
  s->proto.len = 0;
  if (!smtprcvd_protocol(&s->proto, tlsreq_active() ? getenv("SSL_CIPHER") : 0, s->authed)
      || !sa_cstr(&s->proto)
      || !smtprcvd_line(&s->body, c->remotehost,
                        case_diffs(c->remotehost, s->helo.s) ? s->helo.s : 0,
                        s->authed ? s->authuser.s : c->remoteinfo ? c->remoteinfo :
                        s->mailauth.len ? s->mailauth.s : 0,
                        c->remoteip, c->local, s->proto.s, time(0)))
    nomem(s);
  smtpq_put(&s->q, s->body.s, s->body.len);
  s->body.len = 0;
  smtpdata_init(&s->d, c->allow_barelf);
  return 1;
}

/* Passes the stored bytes in s->body to the queue, unless the message
 * is already over databytes (then it is only counted). */
static void pass(struct smtpd *s)
{
  if (!s->toobig && s->c->databytes && s->d.size > s->c->databytes) s->toobig = 1;
  if (!s->toobig && s->body.len) smtpq_put(&s->q, s->body.s, s->body.len);
  s->body.len = 0;
}

static void queue_reply(struct smtpd *s, const char *text)
{
  /* text: "D..." or "Z..." ending in qmail's "(#x.y.z)" */
  stralloc r = {0};
  const char *p = text + 1;
  size_t n = str_len(p), k;
  if (!stralloc_cats(&r, *text == 'D' ? "554 " : "451 ")) nomem(s);
  for (k = n; k >= 2; --k)
    if (p[k - 2] == '(' && p[k - 1] == '#') break;
  if (k >= 2 && n && p[n - 1] == ')' && n - 1 > k)
    if (!stralloc_catb(&r, p + k, n - 1 - k) || !stralloc_cats(&r, " ")) nomem(s);
  if (!stralloc_cats(&r, p) || !sa_cstr(&r)) nomem(s);
  reply(s, r.s);
  stralloc_free(&r);
}

static void finish(struct smtpd *s)
{
  const char *text;
  char num[40];
  s->qopen = 0;
  if (s->d.hops >= s->c->maxhops) {
    smtpq_abort(&s->q);
    reply(s, R_HOPS);
  } else if (s->toobig) {
    smtpq_abort(&s->q);
    reply(s, R_TOOBIG);
  } else {
    if (!stralloc_catb(&s->env, "", 1)) nomem(s);
    text = smtpq_close(&s->q, s->env.s, s->env.len);
    if (!*text) {
      stralloc r = {0};
      if (!stralloc_cats(&r, "250 2.0.0 ok ") || !sa_catulong(&r, (unsigned long)time(0))
          || !stralloc_cats(&r, " qp ") || !sa_catulong(&r, (unsigned long)s->q.pid)
          || !sa_cstr(&r)) nomem(s);
      reply(s, r.s);
      stralloc_free(&r);
      num[fmt_ulong(num, s->d.size)] = 0;
      log_event("info", "accepted", "ip", s->c->remoteip, "size", num, (char *)0);
    } else {
      queue_reply(s, text);
      log_event("warn", "queue-refused", "ip", s->c->remoteip, "reason", text + 1, (char *)0);
    }
  }
  txreset(s);
}

/* ---- verbs ---- */

static void sethelo(struct smtpd *s, const char *arg, size_t len)
{
  if (!stralloc_copyb(&s->helo, arg, len) || !sa_cstr(&s->helo)) nomem(s);
  s->badhelo = smtpchk_hostlist(&s->c->badhelo, arg, len);
}

static void do_helo(struct smtpd *s, const char *arg, size_t len)
{
  txreset(s);
  s->esmtp = 0;
  outs(s, "250 ");
  outs(s, s->c->greeting.s);
  outs(s, "\r\n");
  sethelo(s, arg, len);
}

/* STARTTLS: the TLS stage gave us a control socket (QVTLSCTL), TLS is
 * not up yet, and DISABLETLS is not "1" (sagredo's knob). */
static int starttls_offered(void)
{
  const char *v = getenv("DISABLETLS");
  return tlsreq_offerable() && !(v && !str_diff(v, "1"));
}

static void do_ehlo(struct smtpd *s, const char *arg, size_t len)
{
  char num[FMT_ULONG + 1];
  txreset(s);
  s->esmtp = 1;
  num[fmt_ulong(num, s->c->databytes)] = 0;
  outs(s, "250-");
  outs(s, s->c->greeting.s);
  outs(s, "\r\n");
  if (starttls_offered()) outs(s, "250-STARTTLS\r\n");
  outs(s, "250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE ");
  outs(s, num);
  outs(s, "\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n");
  if (s->c->auth.mechs && (!s->c->forcetls || tlsreq_active())) {
    stralloc m = {0};
    if (!smtpauth_mechlist(&m, s->c->auth.mechs) || !sa_cstr(&m)) nomem(s);
    outs(s, "250-AUTH ");
    outs(s, m.s);
    outs(s, "\r\n");
    stralloc_free(&m);
  }
  outs(s, "250 CHUNKING\r\n");
  sethelo(s, arg, len);
}

/* Parses the path of MAIL/RCPT into s->addr; 0 after a syntax reply. */
static int getaddr(struct smtpd *s, const char *arg, size_t len)
{
  int r = smtpaddr_parse(&s->addr, arg, len);
  if (r < 0) nomem(s);
  if (!r) { error(s, R_SYNTAX); return 0; }
  return 1;
}

/* FORCEAUTHMAILFROM's alias-domain lookup: users/cdb names the real
 * domain (smtpauth_resolve_fn). */
static int resolve_domain(void *arg, const char *domain, size_t len, stralloc *real)
{
  struct vdomain d;
  int r;
  byte_zero(&d, sizeof d);
  r = assign_lookup(&d, domain, len);
  if (r == 1 && !stralloc_copy(real, &d.real)) r = -1;
  if (r < 0 && errno == ENOENT) r = 0;   /* no users/cdb: no alias domains */
  assign_free(&d);
  return r;
}

static void do_mail(struct smtpd *s, const char *arg, size_t len)
{
  const char *p;
  size_t plen;
  struct smtpparam prm;
  int r, utf8 = 0;
  unsigned long size;

  txreset(s);
  if (!getaddr(s, arg, len)) return;
  p = arg + s->addr.rest;
  plen = len - s->addr.rest;
  while ((r = smtpcmd_param(&p, &plen, &prm)) == 1) {
    if (cmdword_is(prm.key, prm.keylen, "size")) {
      if (!prm.val || !cmdword_number(prm.val, prm.vallen, &size)) { error(s, R_SYNTAX); return; }
      if (s->c->databytes && size > s->c->databytes) { reply(s, R_TOOBIG); return; }
    } else if (cmdword_is(prm.key, prm.keylen, "body")) {
      if (!prm.val || (!cmdword_is(prm.val, prm.vallen, "7bit")
                       && !cmdword_is(prm.val, prm.vallen, "8bitmime"))) {
        error(s, R_SYNTAX);
        return;
      }
    } else if (cmdword_is(prm.key, prm.keylen, "smtputf8")) {
      if (prm.val) { error(s, R_SYNTAX); return; }
      utf8 = 1;
    } else if (cmdword_is(prm.key, prm.keylen, "auth")) {
      /* RFC 4954 5: the original submitter; only a trusted client's
       * (RELAYCLIENT) is kept, for Received when TCPREMOTEINFO is unset */
      if (!prm.val || !smtpauth_xtext(&s->mailauth, prm.val, prm.vallen)) {
        if (errno == ENOMEM) nomem(s);
        s->mailauth.len = 0;
        error(s, R_SYNTAX);
        return;
      }
      if (s->authed || !s->c->relayclient || s->c->remoteinfo) s->mailauth.len = 0;
      else if (s->mailauth.len == 2 && !byte_diff(s->mailauth.s, 2, "<>"))
        if (!stralloc_copys(&s->mailauth, "unknown") || !sa_cstr(&s->mailauth)) nomem(s);
    }
    /* other parameters are ignored, as qmail ignores them all */
  }
  if (r < 0) { error(s, R_SYNTAX); return; }
  if (s->addr.utf8 && !utf8) { reply(s, R_NEEDUTF8); return; }
  if (s->authed && s->c->forceauthmailfrom) {
    r = 1;
    if (!s->havedefdom) {
      /* a login without a domain is in vpopmail's default domain */
      r = vaddr_default_domain(&s->defdom) >= 0 && sa_cstr(&s->defdom) ? 1 : -1;
      s->havedefdom = r > 0;
    }
    if (r > 0)
      r = smtpauth_own_sender(s->addr.addr.s, s->addr.addr.len, s->authuser.s, s->authuser.len,
                              s->defdom.s, resolve_domain, 0);
    if (r < 0) {
      log_event("warn", "sender-check-failed", "ip", s->c->remoteip, "error", strerror(errno), (char *)0);
      reply(s, R_AUTHFROMTEMP);
      return;
    }
    if (!r) {
      log_event("info", "auth-sender-refused", "ip", s->c->remoteip, "user", s->authuser.s,
                "from", s->addr.addr.s, (char *)0);
      error(s, R_AUTHFROM);
      return;
    }
  }
  s->smtputf8 = utf8;
  s->badmailfrom = smtpchk_addrlist(&s->c->badmailfrom, s->addr.addr.s, s->addr.addr.len);
  if (!stralloc_copys(&s->env, "F") || !stralloc_catb(&s->env, s->addr.addr.s, s->addr.addr.len + 1))
    nomem(s);
  s->state = ST_MAIL;
  reply(s, R_MAILOK);
}

/* qmail's localiphost: box@[a.b.c.d] (or [IPv6:...]) naming the
 * address the client connected to becomes box@<localiphost>. */
static void localiphost(struct smtpd *s)
{
  stralloc *a = &s->addr.addr;
  const char *ip = s->c->localip;
  size_t iplen = str_len(ip);
  size_t at = byte_rchr(a->s, a->len, '@');
  const char *d = a->s + at + 1;
  size_t dlen;
  if (at == a->len || !iplen) return;
  dlen = a->len - at - 1;
  if (dlen < 2 || d[0] != '[' || d[dlen - 1] != ']') return;
  ++d; dlen -= 2;
  if (dlen > 5 && !case_diffb(d, 5, "IPv6:")) { d += 5; dlen -= 5; }
  if (dlen != iplen || byte_diff(d, dlen, ip)) return;
  a->len = at + 1;
  if (!stralloc_cat(a, &s->c->localiphost) || !sa_cstr(a)) nomem(s);
}

static void do_rcpt(struct smtpd *s, const char *arg, size_t len)
{
  const struct smtpd_config *c = s->c;
  stralloc *a = &s->addr.addr;
  int r;

  if (!getaddr(s, arg, len)) return;
  if (!a->len) { error(s, R_SYNTAX); return; }
  if (s->addr.utf8 && !s->smtputf8) { reply(s, R_NEEDUTF8); return; }
  if (s->badhelo) { reply(s, R_BADHELO); return; }
  if (s->badmailfrom) { reply(s, R_BMF); return; }
  if (smtpchk_addrlist(&c->badrcptto, a->s, a->len)) { reply(s, R_BADRCPT); return; }
  if (c->maxrcpt && s->nrcpt >= c->maxrcpt) { reply(s, R_MAXRCPT); return; }
  localiphost(s);
  if (relayclient(s)) {
    if (!stralloc_cats(a, relayclient(s)) || !sa_cstr(a)) nomem(s);
  } else {
    /* a missing rcpthosts allows no domain at all (qmail: every domain) */
    r = smtpchk_rcpthosts(&c->rcpthosts, c->have_rcpthosts ? c->mrhpath.s : 0, a->s, a->len);
    if (r < 0) {
      log_event("fatal", "control-read", "file", "morercpthosts.cdb", (char *)0);
      drop(s, R_CONTROLS, 111);
    }
    if (!r) {
      log_event("info", "relay-denied", "ip", c->remoteip, "rcpt", a->s, (char *)0);
      reply(s, R_NORELAY);
      return;
    }
    if (c->rcptcheck != smtprcpt_accept_all) {
      /* chkuser's session limits, counted only while the check is on */
      if (c->chk_wronglimit && s->chkwrong >= c->chk_wronglimit) {
        log_event("info", "rcpt-wronglimit", "ip", c->remoteip, "rcpt", a->s, (char *)0);
        chk_delay(s);
        reply(s, R_CHKMAXWRONG);
        return;
      }
      if (c->chk_rcptlimit && s->chkrcpt >= c->chk_rcptlimit) {
        log_event("info", "rcpt-limit", "ip", c->remoteip, "rcpt", a->s, (char *)0);
        chk_delay(s);
        reply(s, R_CHKMAXRCPT);
        return;
      }
      ++s->chkrcpt;
    }
    r = c->rcptcheck(c->rcptctx, a->s, a->len);
    if (r != SMTPRCPT_OK) {
      if (r == SMTPRCPT_NOMAILBOX) ++s->chkwrong;
      chk_delay(s);
      reply_code(s, r == SMTPRCPT_NOMAILBOX ? R_NOMAILBOX : r == SMTPRCPT_FULL ? R_MBXFULL : R_RCPTTEMP, 1);
      return;
    }
  }
  if (!stralloc_cats(&s->env, "T") || !stralloc_catb(&s->env, a->s, a->len + 1)) nomem(s);
  ++s->nrcpt;
  s->state = ST_RCPT;
  reply(s, R_RCPTOK);
}

static void do_data(struct smtpd *s, const char *arg, size_t len)
{
  if (!queue_start(s)) { reply(s, R_QQT); txreset(s); return; }
  reply(s, R_GOAHEAD);
  for (;;) {
    size_t used;
    int r;
    if (s->inpos == s->inlen) fill(s);
    r = smtpdata_feed(&s->d, s->in + s->inpos, s->inlen - s->inpos, &used, &s->body);
    s->inpos += used;
    if (r < 0) nomem(s);
    pass(s);
    if (r == SMTPDATA_END) break;
    if (r == SMTPDATA_BARELF || r == SMTPDATA_BARECR) {
      log_event("warn", r == SMTPDATA_BARELF ? "bare-lf" : "bare-cr", "ip", s->c->remoteip, (char *)0);
      drop(s, R_SMTPLF, 0);
    }
  }
  finish(s);
}

static void bdat_args(struct smtpd *s, const char *arg, size_t len, unsigned long *n, int *last)
{
  if (!smtpcmd_bdat(arg, len, n, last)) drop(s, R_BDATSYNTAX, 0);
}

static void bdat_refused(struct smtpd *s, const char *arg, size_t len)
{
  unsigned long n;
  int last;
  bdat_args(s, arg, len, &n, &last);
  drain(s, n);
}

static void do_bdat(struct smtpd *s, const char *arg, size_t len)
{
  unsigned long n;
  int last, r = SMTPDATA_END;
  bdat_args(s, arg, len, &n, &last);
  if (s->state != ST_BDAT) {
    if (!queue_start(s)) { drain(s, n); reply(s, R_QQT); txreset(s); return; }
    s->state = ST_BDAT;
  }
  smtpdata_chunk(&s->d, n);
  while (s->d.chunk_left) {
    size_t used;
    if (s->inpos == s->inlen) fill(s);
    r = smtpdata_feed_chunk(&s->d, s->in + s->inpos, s->inlen - s->inpos, &used, &s->body);
    s->inpos += used;
    if (r < 0) nomem(s);
    pass(s);
    if (r == SMTPDATA_BARELF || r == SMTPDATA_BARECR) break;
  }
  if (last && r == SMTPDATA_END && smtpdata_chunk_last(&s->d) != 1) r = SMTPDATA_BARECR;
  if (r == SMTPDATA_BARELF || r == SMTPDATA_BARECR) {
    log_event("warn", r == SMTPDATA_BARELF ? "bare-lf" : "bare-cr", "ip", s->c->remoteip, (char *)0);
    drop(s, R_SMTPLF, 0);
  }
  if (last) finish(s);
  else reply(s, R_OKAY);
}

/* Reads one line of a SASL exchange (at most SASL_LINEMAX bytes). 1 a
 * line is in s->authline.line, 0 it was too long. */
static int auth_readline(struct smtpd *s)
{
  for (;;) {
    size_t used;
    int r;
    if (s->inpos == s->inlen) fill(s);
    r = linein_feed(&s->authline, s->in + s->inpos, s->inlen - s->inpos, &used);
    s->inpos += used;
    if (r < 0) nomem(s);
    if (r == LINEIN_DONE) return 1;
    if (r == LINEIN_TOOLONG) return 0;
  }
}

static void setenv_or_die(struct smtpd *s, const char *name, const char *value)
{
  if (setenv(name, value, 1) == -1) nomem(s);
}

/* Forgets an authentication (STARTTLS starts the session afresh, RFC
 * 3207 4.2): the variables set for the queue program go too. */
static void auth_reset(struct smtpd *s)
{
  s->authed = 0;
  s->authmech = 0;
  s->authuser.len = 0;
  unsetenv("SMTPAUTHUSER");
  unsetenv("SMTP_AUTH_USER");
  unsetenv("SMTPAUTHMETHOD");
  if (s->c->remoteinfo) setenv_or_die(s, "TCPREMOTEINFO", s->c->remoteinfo);
  else unsetenv("TCPREMOTEINFO");
}

/* Runs the checkpassword program on the finished exchange. */
static void auth_check(struct smtpd *s)
{
  const struct smtpd_config *c = s->c;
  struct smtpauth *a = &s->auth;
  struct cpw_request req;
  enum cpw_result r;
  int code = 0;
  const char *mech = smtpauth_mechname(a->mech);

  req.user = a->user.s; req.userlen = a->user.len;
  req.secret = a->secret.s; req.secretlen = a->secret.len;
  req.extra = a->extra.s ? a->extra.s : ""; req.extralen = a->extra.len;
  req.send_extra = c->auth.cram || a->mech == SMTPAUTH_CRAM;
  flush(s);   /* the child shares fd 1: nothing of ours may follow its output */
  r = cpw_run(c->checkargv, &req, &code);
  switch (r) {
    case CPW_OK:
      s->authed = 1;
      s->authmech = mech;
      if (!stralloc_copy(&s->authuser, &a->user) || !sa_cstr(&s->authuser)) nomem(s);
      /* for qmail-queue and the filters it runs, as the patch exports them */
      setenv_or_die(s, "SMTPAUTHUSER", s->authuser.s);
      setenv_or_die(s, "SMTP_AUTH_USER", s->authuser.s);
      setenv_or_die(s, "SMTPAUTHMETHOD", mech);
      setenv_or_die(s, "TCPREMOTEINFO", s->authuser.s);
      log_event("info", "auth-ok", "ip", c->remoteip, "user", s->authuser.s, "mech", mech, (char *)0);
      reply(s, R_AUTHOK);
      return;
    case CPW_REFUSED:
      /* vchkpw has logged the failure (ip, user): one line per failure */
      ++s->authfails;
      flush(s);
      sleep(cpw_fail_delay((unsigned)s->authfails));
      reply(s, R_AUTHFAIL);
      if (c->authfailmax && s->authfails >= c->authfailmax) {
        log_event("warn", "auth-limit", "ip", c->remoteip, (char *)0);
        reply(s, R_AUTHMAX);
        flush(s);
        leave(s, 0);
      }
      return;
    case CPW_TEMP:
    case CPW_CRASHED:
      log_event("warn", r == CPW_TEMP ? "auth-temp" : "auth-child-crashed", "ip", c->remoteip, (char *)0);
      reply(s, R_AUTHCHILD);
      return;
    case CPW_NOPIPE:
      log_event("error", "auth-pipe", "error", strerror(errno), (char *)0);
      reply(s, R_AUTHNOPIPE);
      return;
    case CPW_NOWRITE:
      log_event("error", "auth-write", "error", strerror(errno), (char *)0);
      reply(s, R_AUTHNOWRITE);
      return;
    default:
      log_event("error", "auth-no-child", "prog", c->checkargv[0], "error", strerror(errno), (char *)0);
      reply(s, R_AUTHNOSTART);
      return;
  }
}

static void do_auth(struct smtpd *s, const char *arg, size_t len)
{
  const struct smtpd_config *c = s->c;
  int r;

  if (!c->auth.mechs) { error(s, R_AUTHNA); return; }
  if (s->authed) { error(s, R_AUTHAGAIN); return; }
  if (c->forcetls && !tlsreq_active()) {
    log_event("info", "auth-without-tls", "ip", c->remoteip, (char *)0);
    error(s, R_AUTHTLS);
    return;
  }
  r = smtpauth_begin(&s->auth, c->auth.mechs, arg, len, c->local);
  while (r == SMTPAUTH_CHALLENGE) {
    outs(s, "334 ");
    if (!stralloc_cat(&s->out, &s->auth.prompt)) nomem(s);
    outs(s, "\r\n");
    if (!auth_readline(s)) { r = SMTPAUTH_MALFORMED; break; }
    r = smtpauth_next(&s->auth, s->authline.line.s, s->authline.line.len);
    byte_zero(s->authline.line.s, s->authline.line.len);
  }
  switch (r) {
    case SMTPAUTH_CHECK: auth_check(s); break;
    case SMTPAUTH_CANCELED: error(s, R_AUTHCANCEL); break;
    case SMTPAUTH_UNKNOWN: error(s, R_AUTHTYPE); break;
    case SMTPAUTH_MALFORMED: error(s, R_AUTHINPUT); break;
    default: nomem(s);
  }
  smtpauth_clear(&s->auth);
}

static void do_rset(struct smtpd *s, const char *arg, size_t len)
{
  txreset(s);
  reply(s, R_FLUSHED);
}

static void do_noop(struct smtpd *s, const char *arg, size_t len) { reply(s, R_OKAY); }
static void do_vrfy(struct smtpd *s, const char *arg, size_t len) { reply(s, R_VRFY); }
static void do_help(struct smtpd *s, const char *arg, size_t len) { reply(s, R_HELP); }

static void do_quit(struct smtpd *s, const char *arg, size_t len)
{
  outs(s, s->esmtp ? "221 2.0.0 " : "221 ");
  outs(s, s->c->greeting.s);
  outs(s, "\r\n");
  flush(s);
  leave(s, 0);
}

/* RFC 3207 through the TLS stage (lib/tlsreq.h). Every byte read beyond
 * the STARTTLS line is thrown away before the socket is handed over, so
 * plaintext pipelined behind STARTTLS (CVE-2011-0411) never runs; what
 * is still in the kernel reaches the helper as handshake bytes. Then the
 * session starts afresh: the client must EHLO again. */
static void do_starttls(struct smtpd *s, const char *arg, size_t len)
{
  if (!starttls_offered()) { error(s, R_UNIMPL); return; }
  if (len) { error(s, R_TLSPARAM); return; }
  s->inpos = s->inlen = 0;
  reply(s, R_TLSREADY);
  flush(s);
  if (!tlsreq_starttls()) {
    log_event("warn", "starttls-failed", "ip", s->c->remoteip, "error", strerror(errno), (char *)0);
    leave(s, 0);   /* the socket is gone: nothing can be said in plaintext */
  }
  s->infd = 0;
  s->outfd = 1;
  txreset(s);
  s->esmtp = 0;
  auth_reset(s);
  if (!stralloc_copys(&s->helo, s->c->remotehost) || !sa_cstr(&s->helo)) nomem(s);
  s->badhelo = 0;
}

/* The policy: where each verb is allowed and whether it needs an
 * argument. A verb refused for the state gets 503 (after `refused`, if
 * any, kept the stream in step; `badstate` names the reply when the
 * generic one does not fit). needauth: refused with 530 before AUTH
 * when SMTPAUTH requires it ("!"). */
static const struct verb {
  const char *name;
  int states;
  int needarg;
  void (*fn)(struct smtpd *, const char *, size_t);
  void (*refused)(struct smtpd *, const char *, size_t);
  int needauth;
  const char *badstate;
} verbs[] = {
  { "helo", ST_ANY, 0, do_helo, 0, 0, 0 },
  { "ehlo", ST_ANY, 0, do_ehlo, 0, 0, 0 },
  { "mail", ST_IDLE, 1, do_mail, 0, 1, 0 },
  { "rcpt", ST_MAIL | ST_RCPT, 1, do_rcpt, 0, 0, 0 },
  { "data", ST_RCPT, 0, do_data, 0, 0, 0 },
  { "bdat", ST_RCPT | ST_BDAT, 1, do_bdat, bdat_refused, 0, 0 },
  { "rset", ST_ANY, 0, do_rset, 0, 0, 0 },
  { "noop", ST_ANY, 0, do_noop, 0, 0, 0 },
  { "vrfy", ST_IDLE, 0, do_vrfy, 0, 0, 0 },
  { "help", ST_IDLE, 0, do_help, 0, 0, 0 },
  { "quit", ST_ANY, 0, do_quit, 0, 0, 0 },
  { "auth", ST_INIT, 0, do_auth, 0, 0, R_AUTHINTX },
  { "starttls", ST_IDLE, 0, do_starttls, 0, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0 }
};

static void dispatch(struct smtpd *s, const char *line, size_t len)
{
  struct cmdword cmd;
  const struct verb *v;
  cmdword_split(line, len, CMDWORD_TRIM, &cmd);
  for (v = verbs; v->name; ++v)
    if (cmdword_is(cmd.verb, cmd.verblen, v->name)) break;
  if (!v->name) { error(s, R_UNIMPL); return; }
  if (!(v->states & s->state)) {
    if (v->refused) v->refused(s, cmd.arg, cmd.arglen);
    error(s, s->state == ST_BDAT ? R_INBDAT : v->badstate ? v->badstate :
             s->state == ST_INIT ? R_MAILFIRST : R_RCPTFIRST);
    return;
  }
  if (v->needauth && s->c->auth.required && !s->authed) { error(s, R_AUTHREQ); return; }
  if (v->needarg && !cmd.arglen) { error(s, R_SYNTAX); return; }
  v->fn(s, cmd.arg, cmd.arglen);
}

/* 1 when the line just read is over smtplinemax and is not AUTH (the
 * reader's own limit is raised for AUTH lines only). */
static int longline(struct smtpd *s)
{
  struct cmdword cmd;
  if (s->line.count <= s->c->linemax) return 0;
  cmdword_split(s->line.line.s, s->line.line.len, CMDWORD_TRIM, &cmd);
  return !cmdword_is(cmd.verb, cmd.verblen, "auth");
}

int smtpd_run(const struct smtpd_config *c, int infd, int outfd)
{
  static struct smtpd s;
  s.c = c;
  s.infd = infd;
  s.outfd = outfd;
  s.state = ST_INIT;
  /* RFC 4954 4: an AUTH line with its initial response may be 12288
   * bytes; every other command keeps the smtplinemax limit (longline) */
  linein_init(&s.line, c->auth.mechs && c->linemax < SASL_LINEMAX + 2 ? SASL_LINEMAX + 2 : c->linemax, 0);
  linein_init(&s.authline, SASL_LINEMAX + 2, 0);
  /* qmail: the HELO host is the remote host until HELO/EHLO */
  if (!stralloc_copys(&s.helo, c->remotehost) || !sa_cstr(&s.helo)) nomem(&s);
  outs(&s, "220 ");
  outs(&s, c->greeting.s);
  outs(&s, " ESMTP\r\n");
  for (;;) {
    size_t used;
    int r;
    if (s.inpos == s.inlen) fill(&s);
    r = linein_feed(&s.line, s.in + s.inpos, s.inlen - s.inpos, &used);
    s.inpos += used;
    if (r < 0) nomem(&s);
    if (r == LINEIN_TOOLONG) error(&s, R_TOOLONG);
    else if (r == LINEIN_DONE && longline(&s)) error(&s, R_TOOLONG);
    else if (r == LINEIN_DONE) dispatch(&s, s.line.line.s, s.line.line.len);
  }
}

/* ---- configuration ---- */

static const char *envor(const char *name, const char *def)
{
  const char *v = getenv(name);
  return v ? v : def;
}

int smtpd_config_load(struct smtpd_config *c)
{
  stralloc line = {0};
  const char *v;
  int r, flag;

  byte_zero(c, sizeof *c);
  if (ctl_readline(&c->greeting, "smtpgreeting", CTL_ME) < 0) return -1;
  if (!c->greeting.len) { errno = ENOENT; return -1; }
  if (!sa_cstr(&c->greeting)) return -1;
  if (ctl_readline(&c->localiphost, "localiphost", CTL_ME) < 0) return -1;
  r = ctl_readlist(&c->rcpthosts, "rcpthosts", 0);
  if (r < 0) return -1;
  c->have_rcpthosts = r;
  if (!ctl_path(&c->mrhpath, "morercpthosts.cdb")) return -1;
  if (ctl_readlist(&c->badmailfrom, "badmailfrom", 0) < 0) return -1;
  if (ctl_readlist(&c->badrcptto, "badrcptto", 0) < 0) return -1;
  if (ctl_readlist(&c->badhelo, "badhelo", 0) < 0) return -1;
  if (ctl_readint(&c->databytes, "databytes", 0) < 0) return -1;
  v = getenv("DATABYTES");
  if (v && !cmdword_number(v, str_len(v), &c->databytes)) { errno = EINVAL; return -1; }
  if (ctl_readint(&c->timeout, "timeoutsmtpd", 1200) < 0) return -1;
  if (!c->timeout) c->timeout = 1;
  /* maxrcpt: qmail's patch writes -1 for "no limit" */
  r = ctl_readline(&line, "maxrcpt", 0);
  if (r < 0) return -1;
  if (r == 1 && !(line.len == 2 && !byte_diff(line.s, 2, "-1"))
      && !cmdword_number(line.s, line.len, &c->maxrcpt)) {
    stralloc_free(&line);
    errno = EINVAL;
    return -1;
  }
  stralloc_free(&line);
  if (ctl_readint(&c->linemax, "smtplinemax", SMTPLINE_DEFAULT_MAX) < 0) return -1;
  if (c->linemax < SMTPLINE_DEFAULT_MAX) c->linemax = SMTPLINE_DEFAULT_MAX;
  if (c->linemax > 65536) c->linemax = 65536;
  if (ctl_readint(&c->maxerrors, "smtpmaxerrors", 10) < 0) return -1;
  if (ctl_readint(&c->maxhops, "smtpmaxhops", 100) < 0) return -1;
  if (!c->maxhops) c->maxhops = 100;
  if (ctl_readflag(&flag, "smtpallowbarelf", 0) < 0) return -1;
  c->allow_barelf = flag || getenv("ALLOW_BARELF");
  c->relayclient = getenv("RELAYCLIENT");
  /* SMTP AUTH (the checkpassword argv is set by main: smtpd_config_auth) */
  smtpauth_policy(&c->auth, getenv("SMTPAUTH"), 1);
  v = getenv("FORCETLS");
  c->forcetls = !(v && !str_diff(v, "0"));
  v = getenv("FORCEAUTHMAILFROM");
  c->forceauthmailfrom = v && *v && str_diff(v, "0");
  if (ctl_readint(&c->authfailmax, "authfailmax", 3) < 0) return -1;
  c->remoteip = envor("TCPREMOTEIP", "unknown");
  c->remotehost = envor("TCPREMOTEHOST", "unknown");
  c->remoteinfo = getenv("TCPREMOTEINFO");
  c->localip = envor("TCPLOCALIP", "");
  c->local = envor("TCPLOCALHOST", *c->localip ? c->localip : "unknown");
  /* qmail-rcptcheck: recipient lookups, and the queue step unless
   * QMAILQUEUE names a queue program */
  v = getenv("QMAILRCPTCHECK");
  if (v && *v) {
    if (!stralloc_copys(&c->rcptprog, v) || !sa_cstr(&c->rcptprog)) return -1;
  } else if (!paths_qmail(&c->rcptprog, "bin/qmail-rcptcheck")) return -1;
  c->rcpthelper.prog = c->rcptprog.s;
  c->rcpthelper.timeout = c->timeout;
  c->rcpthelper.remoteip = c->remoteip;
  v = getenv("QMAILQUEUE");
  c->queuehelper = 0;
  if (v && *v) {
    if (!stralloc_copys(&c->queueprog, v) || !sa_cstr(&c->queueprog)) return -1;
  } else {
    if (!paths_qmail(&c->queueprog, "bin/qmail-queue")) return -1;
    c->queuehelper = &c->rcpthelper;
  }
  /* chkuser: CHKUSER_START (ALWAYS, DOMAIN, anything else off) wins
   * over control/smtprcptcheck (default 1 = ALWAYS) */
  if (ctl_readflag(&flag, "smtprcptcheck", 1) < 0) return -1;
  c->rcpthelper.mode = flag ? RCPTP_ALWAYS : 0;
  v = getenv("CHKUSER_START");
  if (v) c->rcpthelper.mode = !str_diff(v, "ALWAYS") ? RCPTP_ALWAYS :
                              !str_diff(v, "DOMAIN") ? RCPTP_DOMAIN : 0;
  c->rcptcheck = smtprcpt_accept_all;
  if (c->rcpthelper.mode) {
    c->rcptcheck = smtprcpt_helper;
    c->rcptctx = &c->rcpthelper;
    v = getenv("CHKUSER_RCPTLIMIT");
    if (v && *v && !cmdword_number(v, str_len(v), &c->chk_rcptlimit)) { errno = EINVAL; return -1; }
    v = getenv("CHKUSER_WRONGRCPTLIMIT");
    if (v && *v && !cmdword_number(v, str_len(v), &c->chk_wronglimit)) { errno = EINVAL; return -1; }
    v = getenv("CHKUSER_MBXQUOTA");
    if (v && *v && !cmdword_number(v, str_len(v), &c->rcpthelper.mbxquota)) { errno = EINVAL; return -1; }
    if (ctl_readint(&c->chk_errdelay, "chkusererrordelay", 0) < 0) return -1;
    if (ctl_readint(&c->chk_errdelayinc, "chkusererrordelayincrease", 300) < 0) return -1;
  }
  return 1;
}

void smtpd_config_auth(struct smtpd_config *c, char *const *checkargv)
{
  c->checkargv = checkargv && checkargv[0] ? checkargv : 0;
  if (!c->checkargv) smtpauth_policy(&c->auth, 0, 0);
}
