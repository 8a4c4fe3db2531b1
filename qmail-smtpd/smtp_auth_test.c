/* qmail-smtpd/smtp_auth_test.c — SMTPAUTH policy, the PLAIN / LOGIN /
 * CRAM-MD5 exchanges, xtext and the own-sender rule. */
#include <string.h>
#include <unistd.h>
#include "../tests/check.h"
#include "sasl.h"
#include "smtp_auth.h"

static int begin(struct smtpauth *a, int mechs, const char *arg)
{
  return smtpauth_begin(a, mechs, arg, strlen(arg), "mx.test");
}
static int next(struct smtpauth *a, const char *line)
{
  return smtpauth_next(a, line, strlen(line));
}

/* aliases: alias.test and other.test resolve to example.test */
static int resolve(void *arg, const char *d, size_t len, stralloc *real)
{
  (void)arg;
  if ((len == 12 && !memcmp(d, "example.test", 12)) || (len == 10 && !memcmp(d, "alias.test", 10))) {
    stralloc_copys(real, "example.test");
    return 1;
  }
  if (len == 8 && !memcmp(d, "tmp.test", 8)) return -1;
  return 0;
}

static int own(const char *sender, const char *user)
{
  return smtpauth_own_sender(sender, strlen(sender), user, strlen(user), "example.test", resolve, 0);
}

int main(void)
{
  struct smtpauth_policy p;
  struct smtpauth a;
  stralloc s = {0};
  const int all = SMTPAUTH_LOGIN | SMTPAUTH_PLAIN | SMTPAUTH_CRAM;
  char pid[40];

  memset(&a, 0, sizeof a);

  /* policy */
  smtpauth_policy(&p, 0, 1);
  CHECK(p.mechs == 0);
  smtpauth_policy(&p, "", 0);
  CHECK(p.mechs == 0);
  smtpauth_policy(&p, "", 1);
  CHECK(p.mechs == (SMTPAUTH_LOGIN | SMTPAUTH_PLAIN) && !p.required && !p.cram);
  smtpauth_policy(&p, "-", 1);
  CHECK(p.mechs == 0);
  smtpauth_policy(&p, "0", 1);
  CHECK(p.mechs == 0);
  smtpauth_policy(&p, "+CRAM", 1);
  CHECK(p.mechs == all && !p.required && p.cram);
  smtpauth_policy(&p, "cram", 1);
  CHECK(p.mechs == SMTPAUTH_CRAM && p.cram);
  smtpauth_policy(&p, "!", 1);
  CHECK(p.mechs == (SMTPAUTH_LOGIN | SMTPAUTH_PLAIN) && p.required && !p.cram);
  smtpauth_policy(&p, "!cram", 1);
  CHECK(p.mechs == SMTPAUTH_CRAM && p.required);
  smtpauth_policy(&p, "!+cram", 1);
  CHECK(p.mechs == all && p.required);
  smtpauth_policy(&p, "yes", 1);
  CHECK(p.mechs == (SMTPAUTH_LOGIN | SMTPAUTH_PLAIN));

  s.len = 0;
  CHECK(smtpauth_mechlist(&s, all));
  CHECK_SA(s, "LOGIN PLAIN CRAM-MD5");
  s.len = 0;
  CHECK(smtpauth_mechlist(&s, SMTPAUTH_CRAM));
  CHECK_SA(s, "CRAM-MD5");

  /* PLAIN with an initial response: "\0bob@example.test\0secret" */
  CHECK(begin(&a, all, "PLAIN AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0") == SMTPAUTH_CHECK);
  CHECK_SA(a.user, "bob@example.test");
  CHECK_SA(a.secret, "secret");
  CHECK(a.mech == SMTPAUTH_PLAIN && a.extra.len == 0);
  smtpauth_clear(&a);
  CHECK(a.secret.len == 0 && a.tmp.len == 0);
  /* PLAIN with the empty challenge, lower-case verb, authzid ignored */
  CHECK(begin(&a, all, "plain") == SMTPAUTH_CHALLENGE);
  CHECK_SA(a.prompt, "");
  CHECK(next(&a, "em9lAGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0") == SMTPAUTH_CHECK);
  CHECK_SA(a.user, "bob@example.test");
  /* PLAIN malformed: bad base64, no password, "=" empty, cancel */
  CHECK(begin(&a, all, "PLAIN !!!!") == SMTPAUTH_MALFORMED);
  CHECK(begin(&a, all, "PLAIN AGJvYgA=") == SMTPAUTH_MALFORMED);
  CHECK(begin(&a, all, "PLAIN =") == SMTPAUTH_MALFORMED);
  CHECK(begin(&a, all, "PLAIN") == SMTPAUTH_CHALLENGE);
  CHECK(next(&a, "*") == SMTPAUTH_CANCELED);
  CHECK(next(&a, "AGJvYgBz") == SMTPAUTH_MALFORMED);   /* exchange over */
  CHECK(begin(&a, all, "PLAIN AGJvYgBz extra") == SMTPAUTH_MALFORMED);

  /* LOGIN: two prompts; with an initial user name one prompt */
  CHECK(begin(&a, all, "LOGIN") == SMTPAUTH_CHALLENGE);
  CHECK_SA(a.prompt, "VXNlcm5hbWU6");
  CHECK(next(&a, "Ym9iQGV4YW1wbGUudGVzdA==") == SMTPAUTH_CHALLENGE);
  CHECK_SA(a.prompt, "UGFzc3dvcmQ6");
  CHECK(next(&a, "c2VjcmV0") == SMTPAUTH_CHECK);
  CHECK_SA(a.user, "bob@example.test");
  CHECK_SA(a.secret, "secret");
  CHECK(begin(&a, all, "Login Ym9iQGV4YW1wbGUudGVzdA==") == SMTPAUTH_CHALLENGE);
  CHECK_SA(a.prompt, "UGFzc3dvcmQ6");
  CHECK(next(&a, "*") == SMTPAUTH_CANCELED);
  CHECK(begin(&a, all, "LOGIN") == SMTPAUTH_CHALLENGE);
  CHECK(next(&a, "=") == SMTPAUTH_MALFORMED);           /* empty user */
  CHECK(begin(&a, all, "LOGIN Ym9i") == SMTPAUTH_CHALLENGE);
  CHECK(next(&a, "=") == SMTPAUTH_MALFORMED);           /* empty password */
  CHECK(begin(&a, all, "LOGIN YQBi") == SMTPAUTH_MALFORMED);   /* "a\0b" */

  /* CRAM-MD5: challenge <pid.time@host>, response "user digest" */
  CHECK(begin(&a, all, "CRAM-MD5") == SMTPAUTH_CHALLENGE);
  snprintf(pid, sizeof pid, "<%ld.", (long)getpid());
  CHECK(a.extra.len > strlen(pid) && !memcmp(a.extra.s, pid, strlen(pid)));
  CHECK(a.extra.s[a.extra.len - 1] == '>');
  s.len = 0;
  CHECK(sasl_b64_decode(&s, a.prompt.s, a.prompt.len));
  CHECK(s.len == a.extra.len && !memcmp(s.s, a.extra.s, s.len));
  /* "bob 0123456789abcdef0123456789abcdef" */
  CHECK(next(&a, "Ym9iIDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVm") == SMTPAUTH_CHECK);
  CHECK_SA(a.user, "bob");
  CHECK_SA(a.secret, "0123456789abcdef0123456789abcdef");
  CHECK(a.extra.len > 0);
  CHECK(begin(&a, all, "CRAM-MD5") == SMTPAUTH_CHALLENGE);
  CHECK(next(&a, "Ym9iIHh5eg==") == SMTPAUTH_MALFORMED);  /* "bob xyz" */
  CHECK(begin(&a, all, "CRAM-MD5 Ym9i") == SMTPAUTH_MALFORMED);

  /* unknown or not offered */
  CHECK(begin(&a, all, "DIGEST-MD5") == SMTPAUTH_UNKNOWN);
  CHECK(begin(&a, all, "") == SMTPAUTH_UNKNOWN);
  CHECK(begin(&a, SMTPAUTH_LOGIN | SMTPAUTH_PLAIN, "CRAM-MD5") == SMTPAUTH_UNKNOWN);
  CHECK(begin(&a, SMTPAUTH_CRAM, "PLAIN AGJvYgBz") == SMTPAUTH_UNKNOWN);
  CHECK(begin(&a, all, "PLAINX") == SMTPAUTH_UNKNOWN);

  /* xtext */
  CHECK(smtpauth_xtext(&s, "bob+2Bx@example.test", 20));
  CHECK_SA(s, "bob+x@example.test");
  CHECK(smtpauth_xtext(&s, "a+3Db", 5));
  CHECK_SA(s, "a=b");
  CHECK(smtpauth_xtext(&s, "<>", 2));
  CHECK_SA(s, "<>");
  CHECK(!smtpauth_xtext(&s, "a+2", 3));
  CHECK(!smtpauth_xtext(&s, "a+2b", 4));
  CHECK(!smtpauth_xtext(&s, "a+0Ab", 5));
  CHECK(!smtpauth_xtext(&s, "a=b", 3));
  CHECK(!smtpauth_xtext(&s, "", 0));

  /* own sender */
  CHECK(own("bob@example.test", "bob@example.test") == 1);
  CHECK(own("Bob@Example.TEST", "bob@example.test") == 1);
  CHECK(own("bob@example.test", "BOB@EXAMPLE.TEST") == 1);
  CHECK(own("bob@example.test", "bob") == 1);            /* defaultdomain */
  CHECK(own("bob@example.test", "bob%example.test") == 1);
  CHECK(own("bob@alias.test", "bob@example.test") == 1);
  CHECK(own("bob@example.test", "bob@alias.test") == 1);
  CHECK(own("alice@example.test", "bob@example.test") == 0);
  CHECK(own("bob@elsewhere.test", "bob@example.test") == 0);
  CHECK(own("bob", "bob@example.test") == 0);
  CHECK(own("", "bob@example.test") == 0);
  CHECK(own("bob@tmp.test", "bob@example.test") == -1);
  CHECK(smtpauth_own_sender("bob@alias.test", 14, "bob@example.test", 16, 0, 0, 0) == 0);

  smtpauth_free(&a);
  stralloc_free(&s);
  return check_done();
}
