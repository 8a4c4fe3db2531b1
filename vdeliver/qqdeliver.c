/* vdeliver/qqdeliver.c — the queue step shared by qmail-queue and
 * qmail-rcptcheck's queue child (see qqdeliver.h).
 *
 * SECURITY: runs with the mail-store id. The message and the envelope
 * are untrusted: the envelope was bounded and parsed by qqenv.c, the
 * message is never parsed beyond its header (the loop check in
 * deliver.c). Recipients are handed to the delivery module, which
 * validates each address before it touches a path. */
#include "deliver.h"
#include "log.h"
#include "qqdeliver.h"
#include "str.h"

/* The custom error: code letter, recipient, ": ", reason; first line,
 * printable bytes only, within QQD_TEXTMAX. */
static void custom(char text[QQD_TEXTMAX], int code, const char *rcpt, const char *why)
{
  size_t n = 0, i;
  text[n++] = code == 31 ? 'D' : 'Z';
  for (i = 0; rcpt[i] && n < 200; ++i)
    if ((unsigned char)rcpt[i] >= 0x20 && rcpt[i] != 0x7f) text[n++] = rcpt[i];
  text[n++] = ':';
  text[n++] = ' ';
  for (i = 0; why[i] && why[i] != '\n' && n < QQD_TEXTMAX - 1; ++i)
    if ((unsigned char)why[i] >= 0x20 && why[i] != 0x7f) text[n++] = why[i];
  text[n] = 0;
}

static int fail(int code, const char *event, const char *why)
{
  log_event("warn", event, "reason", why, "exit", code == 51 ? "51" : code == 54 ? "54" :
            code == 55 ? "55" : "other", (char *)0);
  return code;
}

int qqd_envelope_code(int parse_result)
{
  switch (parse_result) {
    case QQENV_TOOLONG: return 11;
    case QQENV_TOOMANY: return 31;
    case QQENV_NOMEM: return 51;
    default: return 91;
  }
}

int qqd_deliver(int msgfd, const struct qqenv *e, char text[QQD_TEXTMAX])
{
  struct dlv_msg m;
  struct dlv_ctx c;
  struct dlv_result r;
  const char *rc;
  size_t i, at;
  int pass, code = 0;

  text[0] = 0;
  if (dlv_msg_init(&m, msgfd) == -1) return fail(54, "message", "cannot read the message back");
  if (!dlv_ctx_init(&c, &m, e->sender.s, e->sender.len)) {
    dlv_msg_free(&m);
    return fail(51, "setup", "out of memory");
  }

  /* 1: every recipient must be ours */
  for (i = 0; !code && i < e->rcpts.len; i += str_len(e->rcpts.s + i) + 1) {
    rc = e->rcpts.s + i;
    at = str_rchr(rc, '@');
    if (!rc[at]) {
      log_event("warn", "refused", "to", rc, "reason", "recipient without a domain",
                "exit", "31", (char *)0);
      code = 31;
      continue;
    }
    switch (dlv_domain_local(rc + at + 1, str_len(rc + at + 1))) {
      case -1: code = fail(55, "config", "unable to read users/cdb"); break;
      case 0:
        log_event("warn", "deferred", "to", rc, "reason",
                  "remote recipient: no outbound queue yet", "exit", "71", (char *)0);
        custom(text, 71, rc, "remote delivery is not available yet (#4.3.0)");
        code = 71;
        break;
      default: break;
    }
  }

  /* 2: dry run, 3: delivery */
  dlv_result_init(&r);
  for (pass = 0; !code && pass < 2; ++pass) {
    c.dryrun = pass == 0;
    for (i = 0; !code && i < e->rcpts.len; i += str_len(e->rcpts.s + i) + 1) {
      rc = e->rcpts.s + i;
      dlv_address(&c, rc, str_len(rc), &r);
      if (r.code == DLV_PERM || r.code == DLV_TEMP) {
        /* one line: who, why, and whether copies may already exist */
        code = r.code == DLV_PERM ? 31 : 71;
        log_event("warn", code == 31 ? "refused" : "deferred", "to", rc, "reason",
                  r.text.s && *r.text.s ? r.text.s : "no reason given",
                  "stage", pass ? "delivery" : "check", "exit", code == 31 ? "31" : "71", (char *)0);
        if (r.text.s && *r.text.s) custom(text, code, rc, r.text.s);
      } else if (pass) {
        /* the domain's "delete" of an unknown user writes nothing */
        log_event("info", r.deleted ? "deleted" : "delivered", "to", rc, "from", e->sender.s,
                  (char *)0);
      }
    }
  }
  dlv_result_free(&r);
  dlv_ctx_free(&c);
  dlv_msg_free(&m);
  return code;
}
