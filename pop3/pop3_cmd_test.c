/* pop3/pop3_cmd_test.c — unit tests for pop3_cmd, and for lib/linein
 * and lib/cmdword as the POP3 programs set them up (LINEIN_NONUL,
 * cmdword_split flags 0). */
#include <string.h>
#include "../tests/check.h"
#include "linein.h"
#include "cmdword.h"
#include "pop3_cmd.h"
#include "sasl.h"

/* Feeds s (slen bytes) one byte at a time; returns the first non-MORE
 * result and how many bytes it took. */
static int feed_bytes(struct linein *l, const char *s, size_t slen,
                      size_t *consumed)
{
  size_t i, used;
  for (i = 0; i < slen; ++i) {
    int r = linein_feed(l, s + i, 1, &used);
    CHECK(used == 1);
    if (r != LINEIN_MORE) { *consumed = i + 1; return r; }
  }
  *consumed = i;
  return LINEIN_MORE;
}

int main(void)
{
  static char big[SASL_LINEMAX + 10];
  struct linein l;
  struct cmdword c;
  size_t used, len, wlen;
  const char *p, *w;
  int r;

  linein_init(&l, POP3LINE_MAX, LINEIN_NONUL);
  r = linein_feed(&l, "USER bob\r\nPASS", 14, &used);
  CHECK(r == LINEIN_DONE && used == 10);
  CHECK_SA(l.line, "USER bob");
  r = linein_feed(&l, "PASS", 4, &used);
  CHECK(r == LINEIN_MORE && used == 4);
  r = linein_feed(&l, " se cret \n", 10, &used);
  CHECK(r == LINEIN_DONE && used == 10);
  CHECK_SA(l.line, "PASS se cret ");   /* bare LF accepted */
  CHECK(feed_bytes(&l, "NOOP\r\r\n", 7, &used) == LINEIN_DONE && used == 7);
  CHECK_SA(l.line, "NOOP\r");          /* only one CR removed */
  CHECK(feed_bytes(&l, "\r\n", 2, &used) == LINEIN_DONE);
  CHECK(l.line.len == 0);

  /* 253 bytes + CRLF = 255: accepted; 254 + CRLF: too long */
  memset(big, 'a', 300);
  big[253] = '\r'; big[254] = '\n';
  r = linein_feed(&l, big, 255, &used);
  CHECK(r == LINEIN_DONE && used == 255 && l.line.len == 253);
  big[253] = 'a'; big[254] = '\r'; big[255] = '\n';
  r = linein_feed(&l, big, 256, &used);
  CHECK(r == LINEIN_TOOLONG && used == 256 && l.line.len == 0);
  CHECK(l.line.a <= 512);   /* bounded: never grown past max */
  /* 254 + bare LF = 255 accepted, byte by byte too */
  big[254] = '\n';
  CHECK(feed_bytes(&l, big, 255, &used) == LINEIN_DONE && used == 255);
  CHECK(l.line.len == 254);
  r = linein_feed(&l, "QUIT\r\n", 6, &used);
  CHECK(r == LINEIN_DONE);
  CHECK_SA(l.line, "QUIT");
  /* an overlong line over many calls, then the stream is in step */
  memset(big, 'b', 600);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE && used == 600);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE && used == 600);
  CHECK(linein_feed(&l, "x\nRSET\n", 7, &used) == LINEIN_TOOLONG && used == 2);
  CHECK(linein_feed(&l, "RSET\n", 5, &used) == LINEIN_DONE);
  CHECK_SA(l.line, "RSET");

  /* NUL refused: the whole line skipped, the next one fine */
  r = linein_feed(&l, "PASS a\0b\r\nSTAT\r\n", 16, &used);
  CHECK(r == LINEIN_BADBYTE && used == 10 && l.line.len == 0);
  r = linein_feed(&l, "STAT\r\n", 6, &used);
  CHECK(r == LINEIN_DONE);
  CHECK_SA(l.line, "STAT");
  CHECK(feed_bytes(&l, "\0\n", 2, &used) == LINEIN_BADBYTE);
  CHECK(feed_bytes(&l, "ok\n", 3, &used) == LINEIN_DONE);
  CHECK_SA(l.line, "ok");

  /* SASL continuation: a 12288-byte base64 line + CRLF after setmax */
  linein_setmax(&l, SASL_LINEMAX + 2);
  memset(big, 'Q', SASL_LINEMAX);
  big[SASL_LINEMAX] = '\r'; big[SASL_LINEMAX + 1] = '\n';
  r = linein_feed(&l, big, SASL_LINEMAX + 2, &used);
  CHECK(r == LINEIN_DONE && l.line.len == SASL_LINEMAX);
  big[SASL_LINEMAX] = 'Q'; big[SASL_LINEMAX + 1] = '\r'; big[SASL_LINEMAX + 2] = '\n';
  CHECK(linein_feed(&l, big, SASL_LINEMAX + 3, &used) == LINEIN_TOOLONG);
  linein_setmax(&l, POP3LINE_MAX);
  memset(big, 'Q', 300); big[300] = '\n';
  CHECK(linein_feed(&l, big, 301, &used) == LINEIN_TOOLONG);
  linein_setmax(&l, 1);   /* raised to the minimum 8 */
  CHECK(linein_feed(&l, "abcdef\r\n", 8, &used) == LINEIN_DONE);
  CHECK(linein_feed(&l, "abcdefg\r\n", 9, &used) == LINEIN_TOOLONG);
  linein_free(&l);

  /* split and words */
  cmdword_split("top 1 10", 8, 0, &c);
  CHECK_STR(c.verb, c.verblen, "top");
  CHECK_STR(c.arg, c.arglen, "1 10");
  CHECK(cmdword_is(c.verb, c.verblen, "TOP"));
  CHECK(!cmdword_is(c.verb, c.verblen, "TO"));
  CHECK(!cmdword_is(c.verb, c.verblen, "TOPS"));
  cmdword_split("PASS  two words ", 16, 0, &c);
  CHECK_STR(c.arg, c.arglen, "two words ");
  cmdword_split("QUIT", 4, 0, &c);
  CHECK_STR(c.verb, c.verblen, "QUIT");
  CHECK(c.arglen == 0);
  cmdword_split("", 0, 0, &c);
  CHECK(c.verblen == 0 && c.arglen == 0);
  p = "  APOP  bob   0123 "; len = strlen(p);
  CHECK(pop3cmd_word(&p, &len, &w, &wlen) == 1);
  CHECK_STR(w, wlen, "APOP");
  CHECK(pop3cmd_word(&p, &len, &w, &wlen) == 1);
  CHECK_STR(w, wlen, "bob");
  CHECK(pop3cmd_word(&p, &len, &w, &wlen) == 1);
  CHECK_STR(w, wlen, "0123");
  CHECK(pop3cmd_word(&p, &len, &w, &wlen) == 0);
  CHECK(len == 0);

  return check_done();
}
