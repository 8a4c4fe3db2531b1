/* qmail-smtpd/smtp_data_test.c — unit tests for smtp_data, including
 * the published SMTP smuggling end-of-data variants. */
#include <string.h>
#include "../tests/check.h"
#include "smtp_data.h"

static stralloc out;
static size_t consumed;
static struct smtpdata d;

/* Runs (s, n) through DATA mode, whole and byte by byte; both must
 * agree. Returns the result; out and consumed describe the first run. */
static int run(const char *s, size_t n, int allow)
{
  size_t used, i;
  int r1, r2 = SMTPDATA_MORE;
  stralloc o2 = {0};
  smtpdata_init(&d, allow);
  out.len = 0;
  r1 = smtpdata_feed(&d, s, n, &used, &out);
  consumed = used;
  smtpdata_init(&d, allow);
  for (i = 0; i < n; ++i) {
    r2 = smtpdata_feed(&d, s + i, 1, &used, &o2);
    CHECK(used == 1);
    if (r2 != SMTPDATA_MORE) { ++i; break; }
  }
  CHECK(r1 == r2);
  CHECK(r1 != SMTPDATA_MORE || i == n);
  CHECK(r1 == SMTPDATA_MORE || i == consumed);
  CHECK(o2.len == out.len && (!out.len || !memcmp(o2.s, out.s, out.len)));
  stralloc_free(&o2);
  return r1;
}
#define RUN(s, allow) run(s, sizeof(s) - 1, allow)

int main(void)
{
  size_t used;
  int r;
  /* plain message, dot-unstuffing, end */
  CHECK(RUN("Subject: x\r\n\r\nhi\r\n..dot\r\n.x\r\n.\r\nQUIT\r\n", 0) == SMTPDATA_END);
  CHECK_SA(out, "Subject: x\n\nhi\n.dot\nx\n");
  CHECK(consumed == 32);
  CHECK(d.size == 22);
  /* empty message: ".\r\n" at the start ends data */
  CHECK(RUN(".\r\n", 0) == SMTPDATA_END && out.len == 0 && consumed == 3);
  /* 8-bit, long lines and NUL pass through */
  CHECK(run("\xff\0x\r\n.\r\n", 8, 0) == SMTPDATA_END);
  CHECK(out.len == 4 && out.s[1] == 0);

  /* bare LF / bare CR: qmail's 451, at the offending byte */
  CHECK(RUN("a\nb\r\n.\r\n", 0) == SMTPDATA_BARELF && consumed == 2);
  CHECK(RUN("\n", 0) == SMTPDATA_BARELF);
  CHECK(RUN("a\rb\r\n.\r\n", 0) == SMTPDATA_BARECR && consumed == 3);
  CHECK(RUN("a\r\r\n", 0) == SMTPDATA_BARECR);

  /* smuggling variants (SEC Consult 2023): none ends data */
  CHECK(RUN("a\r\n.\n", 0) == SMTPDATA_BARELF);            /* CRLF . LF */
  CHECK(RUN("a\n.\r\n", 0) == SMTPDATA_BARELF);            /* LF . CRLF */
  CHECK(RUN("a\n.\n", 0) == SMTPDATA_BARELF);              /* LF . LF */
  CHECK(RUN("a\r.\r\n", 0) == SMTPDATA_BARECR);            /* CR . CRLF */
  CHECK(RUN("a\r\n.\r", 0) == SMTPDATA_MORE);              /* CRLF . CR: waits */
  CHECK(RUN("a\r\n.\rMAIL", 0) == SMTPDATA_BARECR);        /* ... then not LF */
  CHECK(RUN("a\r\n.\r\r\n", 0) == SMTPDATA_BARECR);
  CHECK(RUN("a\r\n\x00.\r\n", 0) == SMTPDATA_MORE);        /* NUL . CRLF */
  /* with the bare-LF knob: line endings, never an end of data */
  CHECK(RUN("a\n.\r\nMAIL FROM:<x>\r\n", 1) == SMTPDATA_MORE);
  CHECK_SA(out, "a\n.\nMAIL FROM:<x>\n");
  CHECK(RUN("a\r\n.\nRCPT\r\n", 1) == SMTPDATA_MORE);
  CHECK_SA(out, "a\n.\nRCPT\n");
  CHECK(RUN("a\n.\nb\r\n.\r\n", 1) == SMTPDATA_END);
  CHECK_SA(out, "a\n.\nb\n");
  CHECK(RUN("a\r.\r\n", 1) == SMTPDATA_BARECR);            /* CR still refused */
  CHECK(RUN("\n..x\r\n.\r\n", 1) == SMTPDATA_END);         /* no unstuffing after LF */
  CHECK_SA(out, "\n..x\n");

  /* hop counting: header lines only */
  CHECK(RUN("Received: a\r\nreceivedx\r\nDelivered-To: b\r\nX: y\r\n\r\nReceived: no\r\n.\r\n", 0) == SMTPDATA_END);
  CHECK(d.hops == 3);
  CHECK(RUN("Receive: a\r\nDeliver: b\r\n.\r\n", 0) == SMTPDATA_END && d.hops == 0);

  /* BDAT chunks: exact byte counts, CRLF -> LF, a CR split over chunks */
  smtpdata_init(&d, 0);
  out.len = 0;
  smtpdata_chunk(&d, 4);
  r = smtpdata_feed_chunk(&d, "a\r\n.\r\nQUIT", 10, &used, &out);
  CHECK(r == SMTPDATA_END && used == 4);
  CHECK(smtpdata_chunk_last(&d) == 1);
  smtpdata_chunk(&d, 3);
  r = smtpdata_feed_chunk(&d, "\r\nb", 3, &used, &out);
  CHECK(r == SMTPDATA_END && used == 3);
  smtpdata_chunk(&d, 2);
  r = smtpdata_feed_chunk(&d, "c\r", 2, &used, &out);
  CHECK(r == SMTPDATA_END);
  CHECK(smtpdata_chunk_last(&d) == SMTPDATA_BARECR);
  smtpdata_chunk(&d, 1);
  r = smtpdata_feed_chunk(&d, "\n", 1, &used, &out);
  CHECK(r == SMTPDATA_END && smtpdata_chunk_last(&d) == 1);
  CHECK_SA(out, "a\n.\nbc\n");
  CHECK(d.size == 7);
  smtpdata_chunk(&d, 2);
  CHECK(smtpdata_feed_chunk(&d, "x", 1, &used, &out) == SMTPDATA_MORE);
  CHECK(smtpdata_feed_chunk(&d, "\n", 1, &used, &out) == SMTPDATA_BARELF);
  smtpdata_init(&d, 1);
  smtpdata_chunk(&d, 2);
  CHECK(smtpdata_feed_chunk(&d, "\n\r", 2, &used, &out) == SMTPDATA_END);
  smtpdata_chunk(&d, 1);
  CHECK(smtpdata_feed_chunk(&d, "x", 1, &used, &out) == SMTPDATA_BARECR);
  smtpdata_chunk(&d, 0);
  CHECK(smtpdata_feed_chunk(&d, "x", 1, &used, &out) == SMTPDATA_END && used == 0);
  stralloc_free(&out);
  return check_done();
}
