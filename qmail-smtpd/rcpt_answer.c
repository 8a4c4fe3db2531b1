/* qmail-smtpd/rcpt_answer.c — qmail-rcptcheck's judgement (see
 * rcpt_answer.h).
 *
 * Invariant: every answer other than RCPTP_OK/RCPTP_NOTJUDGED comes from
 * the delivery module's dry run (or a failure to run it, which is
 * RCPTP_TEMP): vdelivermail's rules are not re-implemented here. The dry
 * run sees an empty message from the null sender, so size-dependent
 * refusals are those of a message of a few bytes: a mailbox at or over
 * its quota refuses.
 *
 * SECURITY: runs with the mail-store id on addresses from the network
 * (checked by rcptp_addr_ok: bounded, no control bytes); the
 * delivery module validates user and domain names before any path is
 * built from them. */
#include <errno.h>
#include <string.h>
#include "../vdeliver/deliver.h"
#include "assign.h"
#include "byte.h"
#include "openreadclose.h"
#include "paths.h"
#include "rcpt_answer.h"
#include "rcpt_proto.h"
#include "sa.h"

static void say(stralloc *why, const char *t)
{
  if (stralloc_copys(why, t)) sa_cstr(why);
}

/* Does (s, n) contain the word w (NUL-terminated)? */
static int contains(const char *s, size_t n, const char *w)
{
  size_t wl = strlen(w), i;
  for (i = 0; i + wl <= n; ++i)
    if (!memcmp(s + i, w, wl)) return 1;
  return 0;
}

/* Mode D: does the domain's .qmail-default bounce unknown users?
 * 1 yes, 0 no (or no file), -1 errno. */
static int bounces(const struct vdomain *d)
{
  stralloc p = {0}, t = {0};
  int r;
  if (!paths_join(&p, d->dir.s, ".qmail-default")) { errno = ENOMEM; return -1; }
  r = openreadclose(p.s, &t, 1024);
  if (r == -1 && errno == ENOENT) r = 0;
  else if (r == 1) r = contains(t.s, t.len, "bounce-no-mailbox");
  stralloc_free(&p); stralloc_free(&t);
  return r;
}

int rcpta_judge(int mode, int fullpct, const char *a, size_t len, stralloc *why)
{
  stralloc addr = {0};
  struct vdomain d = {0};
  struct dlv_msg m;
  struct dlv_ctx c;
  struct dlv_result r;
  size_t at;
  int rc;

  if (!stralloc_copys(why, "") || !sa_cstr(why)) return RCPTP_TEMP;
  if (!sa_copyb_lower(&addr, a, len) || !sa_cstr(&addr)) { say(why, "out of memory"); return RCPTP_TEMP; }
  at = byte_rchr(addr.s, addr.len, '@');
  rc = assign_lookup(&d, addr.s + at + 1, addr.len - at - 1);
  if (rc == -1 && errno == ENOENT) rc = 0;   /* no users/cdb: no local domains */
  if (rc == 0) { rc = RCPTP_NOTJUDGED; goto out; }
  if (rc == -1) { say(why, "unable to read users/cdb"); rc = RCPTP_TEMP; goto out; }
  if (mode == RCPTP_DOMAIN) {
    rc = bounces(&d);
    if (rc == -1) { say(why, "unable to read .qmail-default"); rc = RCPTP_TEMP; goto out; }
    if (rc == 0) { rc = RCPTP_NOTJUDGED; goto out; }
  }

  byte_zero(&m, sizeof m);
  m.fd = -1;
  if (!stralloc_copys(&m.hdr, "") || !sa_cstr(&m.hdr)) { say(why, "out of memory"); rc = RCPTP_TEMP; goto out; }
  if (!dlv_ctx_init(&c, &m, "", 0)) {
    stralloc_free(&m.hdr);
    say(why, "out of memory");
    rc = RCPTP_TEMP;
    goto out;
  }
  c.dryrun = 1;
  c.fullpct = fullpct;   /* chkuser's CHKUSER_MBXQUOTA */
  c.inject = 0;   /* as qmail-queue: a remote forward is not deliverable yet */
  dlv_result_init(&r);
  dlv_address(&c, addr.s, addr.len, &r);
  switch (r.code) {
    case DLV_OK: case DLV_STOP: rc = r.deleted ? RCPTP_NOMAILBOX : RCPTP_OK; break;
    case DLV_PERM: rc = r.overquota ? RCPTP_FULL : RCPTP_NOMAILBOX; break;
    default: rc = RCPTP_TEMP; break;
  }
  if (rc == RCPTP_NOMAILBOX && r.deleted) say(why, "no such user: the domain deletes mail to unknown users");
  else if (r.text.len && (!stralloc_copy(why, &r.text) || !sa_cstr(why))) rc = RCPTP_TEMP;
  dlv_result_free(&r);
  dlv_ctx_free(&c);
  stralloc_free(&m.hdr);
out:
  assign_free(&d);
  stralloc_free(&addr);
  return rc;
}
