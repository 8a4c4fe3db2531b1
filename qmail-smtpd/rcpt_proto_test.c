/* qmail-smtpd/rcpt_proto_test.c — the qmail-smtpd <-> qmail-rcptcheck
 * records, and the client's "not local: no helper" path. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tests/check.h"
#include "rcpt_proto.h"
#include "smtp_rcptcheck.h"

#define OK(s) rcptp_addr_ok(s, strlen(s))

int main(void)
{
  stralloc o = {0};
  const char *a;
  size_t al;
  int mode, pct;
  char big[1000], dir[] = "/tmp/rcptprotoXXXXXX";
  struct smtprcpt_helper h;

  CHECK(OK("joe@example.org"));
  CHECK(OK("a-b-c@x"));
  CHECK(!OK("@example.org"));
  CHECK(!OK("joe@"));
  CHECK(!OK("joe"));
  CHECK(OK("jo e@example.org"));
  CHECK(!OK("jo\te@example.org"));
  CHECK(!OK("jo\177@example.org"));
  memset(big, 'a', sizeof big);
  big[0] = '@'; big[1] = 'x';
  memcpy(big + 2, "@y", 2);
  CHECK(rcptp_addr_ok(big + 1, RCPTP_ADDRMAX));
  CHECK(!rcptp_addr_ok(big + 1, RCPTP_ADDRMAX + 1));

  CHECK(rcptp_req_put(&o, RCPTP_ALWAYS, 90, "joe@example.org", 15) == 1);
  CHECK(o.len == 19 && o.s[0] == 0 && o.s[1] == 17 && o.s[2] == 'A' && o.s[3] == 90);
  CHECK(rcptp_req_parse(o.s + 2, 17, &mode, &pct, &a, &al) == 1);
  CHECK(mode == 'A' && pct == 90 && al == 15 && !memcmp(a, "joe@example.org", 15));
  o.len = 0;
  CHECK(rcptp_req_put(&o, RCPTP_DOMAIN, 1000, "joe@x", 5) == 1 && (unsigned char)o.s[3] == 255);
  CHECK(rcptp_req_parse(o.s + 2, 7, &mode, &pct, &a, &al) == 1 && pct == 255);
  CHECK(!rcptp_req_put(&o, 'Z', 0, "joe@example.org", 15));
  CHECK(!rcptp_req_put(&o, RCPTP_DOMAIN, 0, "joe\rexample.org", 15));
  CHECK(!rcptp_req_parse("X\0joe@x", 7, &mode, &pct, &a, &al));
  CHECK(!rcptp_req_parse("A\0", 2, &mode, &pct, &a, &al));
  CHECK(!rcptp_req_parse("A\0joe@x\n", 8, &mode, &pct, &a, &al));
  CHECK(rcptp_req_parse("D\0joe@x", 7, &mode, &pct, &a, &al) && mode == 'D' && pct == 0 && al == 5);
  CHECK(!rcptp_req_len_ok(0) && !rcptp_req_len_ok(2) && rcptp_req_len_ok(3));
  CHECK(rcptp_req_len_ok(RCPTP_REQMAX) && !rcptp_req_len_ok(RCPTP_REQMAX + 1));

  o.len = 0;
  CHECK(rcptp_reply_put(&o, RCPTP_NOMAILBOX, "no\001 mailbox\nsecond", 19) == 1);
  CHECK(o.len == 12 && o.s[0] == 'N' && o.s[1] == 10 && !memcmp(o.s + 2, "no mailbox", 10));
  o.len = 0;
  memset(big, 'x', sizeof big);
  CHECK(rcptp_reply_put(&o, RCPTP_OK, big, sizeof big) == 1);
  CHECK(o.len == 2 + RCPTP_TEXTMAX && (unsigned char)o.s[1] == RCPTP_TEXTMAX);
  CHECK(rcptp_status_ok('K') && rcptp_status_ok('X') && !rcptp_status_ok('Z') && !rcptp_status_ok(0));

  /* queue request and reply */
  {
    size_t el;
    int code, sig;
    unsigned long pid;
    o.len = 0;
    CHECK(rcptp_qreq_put(&o, 0x00a0b0c0) == 1);
    CHECK(o.len == 7 && o.s[0] == 0 && o.s[1] == 5 && o.s[2] == 'Q' && o.s[3] == 0 && (unsigned char)o.s[6] == 0xc0);
    CHECK(rcptp_req_len_ok(5));
    CHECK(rcptp_qreq_parse(o.s + 2, 5, &el) == 1 && el == 0x00a0b0c0);
    CHECK(!rcptp_qreq_parse(o.s + 2, 4, &el));
    CHECK(!rcptp_qreq_parse("A\0\0\0\5", 5, &el));
    CHECK(!rcptp_qreq_parse("Q\0\0\0\1", 5, &el));              /* below 2 */
    CHECK(!rcptp_qreq_parse("Q\1\0\0\1", 5, &el));              /* over RCPTP_ENVMAX */
    CHECK(rcptp_qreq_parse("Q\1\0\0\0", 5, &el) && el == RCPTP_ENVMAX);
    CHECK(!rcptp_qreq_put(&o, 1) && !rcptp_qreq_put(&o, RCPTP_ENVMAX + 1));
    o.len = 0;
    CHECK(rcptp_qreply_put(&o, 82, 0, 123456789, "Djoe@x: over\001 quota\nmore", 25) == 1);
    CHECK(o.len == RCPTP_QREPLYHEAD + 18 && !memcmp(o.s + RCPTP_QREPLYHEAD, "Djoe@x: over quota", 18));
    CHECK(rcptp_qreply_head(o.s, &code, &sig, &pid, &el) == 1);
    CHECK(code == 82 && sig == 0 && pid == 123456789 && el == 18);
    o.len = 0;
    CHECK(rcptp_qreply_put(&o, 9, 1, 7, "", 0) == 1 && o.len == RCPTP_QREPLYHEAD);
    CHECK(rcptp_qreply_head(o.s, &code, &sig, &pid, &el) == 1 && code == 9 && sig == 1 && el == 0);
    o.s[2] = 2;
    CHECK(!rcptp_qreply_head(o.s, &code, &sig, &pid, &el));
    o.s[2] = 0; o.s[0] = 'K';
    CHECK(!rcptp_qreply_head(o.s, &code, &sig, &pid, &el));
    o.len = 0;
    CHECK(rcptp_qreply_put(&o, 0, 0, 1, big, sizeof big) == 1 && o.len == RCPTP_QREPLYHEAD + RCPTP_QTEXTMAX);
    CHECK(rcptp_qreply_head(o.s, &code, &sig, &pid, &el) == 1 && el == RCPTP_QTEXTMAX);
    o.s[7] = 4;  /* 1024 + ... > RCPTP_QTEXTMAX */
    CHECK(!rcptp_qreply_head(o.s, &code, &sig, &pid, &el));
  }

  /* no users/cdb: nothing is local, the helper is never started */
  CHECK(mkdtemp(dir) != 0);
  setenv("QMAILDIR", dir, 1);
  setenv("VPOPMAILDIR", dir, 1);
  memset(&h, 0, sizeof h);
  h.prog = "/nonexistent/qmail-rcptcheck";
  h.mode = RCPTP_ALWAYS;
  CHECK(smtprcpt_helper(&h, "joe@example.org", 15) == SMTPRCPT_OK);
  CHECK(h.pid == 0 && h.fd == 0);
  CHECK(smtprcpt_accept_all(0, "x@y", 3) == SMTPRCPT_OK);
  rmdir(dir);
  stralloc_free(&o);
  return check_done();
}
