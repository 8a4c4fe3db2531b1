/* lib/linein_test.c — the bounded line reader, and cmdword's split and
 * compare. */
#include <string.h>
#include "../tests/check.h"
#include "linein.h"
#include "cmdword.h"

/* Feeds (s, len) in chunks of at most chunk bytes (0: all at once) and
 * writes one letter per result into out: D (the line follows, then
 * '|'), T too long, B bad byte, E error; M at the end if the last line
 * is unfinished. Also checks the contract of every call. */
static void run(const char *s, size_t len, size_t max, int flags, size_t chunk,
                stralloc *out)
{
  struct linein l;
  size_t off = 0;
  int pending = 0;
  out->len = 0;
  linein_init(&l, max, flags);
  while (off < len) {
    size_t n = len - off, used = 0;
    int r;
    if (chunk && n > chunk) n = chunk;
    r = linein_feed(&l, s + off, n, &used);
    CHECK(used <= n);
    CHECK(l.line.len < l.max && (!l.line.s || l.line.a <= l.max));
    if (r < 0) { stralloc_cats(out, "E"); break; }
    off += used;
    pending = r == LINEIN_MORE;
    if (r == LINEIN_MORE) { CHECK(used == n); continue; }
    CHECK(used >= 1 && s[off - 1] == '\n');
    if (r == LINEIN_DONE) {
      CHECK(l.count <= l.max);
      stralloc_cats(out, "D");
      stralloc_catb(out, l.line.s, l.line.len);
      stralloc_cats(out, "|");
    } else {
      CHECK(l.line.len == 0);
      stralloc_cats(out, r == LINEIN_TOOLONG ? "T" : "B");
    }
  }
  if (pending) stralloc_cats(out, "M");
  linein_free(&l);
}

/* The same results whatever the chunk size, byte by byte included. */
static void same_any_chunk(const char *s, size_t len, size_t max, int flags,
                           const char *want, size_t wantlen)
{
  stralloc whole = {0}, part = {0};
  size_t chunk;
  run(s, len, max, flags, 0, &whole);
  CHECK(whole.len == wantlen && !memcmp(whole.s, want, wantlen));
  if (whole.len != wantlen || memcmp(whole.s, want, wantlen))
    fprintf(stderr, "got \"%.*s\"\n", (int)whole.len, whole.s);
  for (chunk = 1; chunk <= len + 1; ++chunk) {
    run(s, len, max, flags, chunk, &part);
    CHECK(part.len == whole.len && !memcmp(part.s, whole.s, whole.len));
  }
  stralloc_free(&whole);
  stralloc_free(&part);
}

/* in and want are string literals (they may hold NUL bytes) */
#define SAME(in, max, flags, want) \
  same_any_chunk(in, sizeof in - 1, max, flags, want, sizeof want - 1)

int main(void)
{
  static char big[20000];
  struct linein l;
  struct cmdword c;
  size_t used;
  int r;

  /* a pipelined stream: CRLF, bare LF, empty lines, CRs kept elsewhere */
  {
    static const char in[] =
      "EHLO x\r\nMAIL FROM:<>\nNOOP\r\r\n\r\n\na\rb\r\n\rc\r\nlast";
    static const char want[] =
      "DEHLO x|DMAIL FROM:<>|DNOOP\r|D|D|Da\rb|D\rc|M";
    SAME(in, 512, 0, want);
    SAME(in, 512, LINEIN_NONUL, want);
  }

  /* exact boundary, max 16: 14 + CRLF and 15 + LF fit, one more not */
  SAME("aaaaaaaaaaaaaa\r\nok\n", 16, 0, "Daaaaaaaaaaaaaa|Dok|");
  SAME("aaaaaaaaaaaaaaa\r\nok\n", 16, 0, "TDok|");
  SAME("aaaaaaaaaaaaaaa\nok\n", 16, 0, "Daaaaaaaaaaaaaaa|Dok|");
  SAME("aaaaaaaaaaaaaaaa\nok\n", 16, 0, "TDok|");
  /* too long twice in a row, then in step; a too long unfinished line */
  SAME("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\nQUIT\r\nzzzzzzzzzzzzzzzzzzzz",
       16, 0, "TTDQUIT|M");

  /* NUL: an ordinary byte without flags, the whole line refused with
   * LINEIN_NONUL; too long wins over a NUL; a NUL where the line
   * overflows is too long */
  SAME("PASS a\0b\r\nSTAT\r\n", 255, 0, "DPASS a\0b|DSTAT|");
  SAME("PASS a\0b\r\nSTAT\r\n", 255, LINEIN_NONUL, "BDSTAT|");
  SAME("\0\nok\n", 255, LINEIN_NONUL, "BDok|");
  SAME("\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nok\n", 16, LINEIN_NONUL, "TDok|");
  SAME("aaaaaaaaaaaaaaa\0\nok\n", 16, LINEIN_NONUL, "TDok|");
  SAME("aaaaaaaaaaaaaa\0\nok\n", 16, LINEIN_NONUL, "BDok|");

  /* one call: *used stops after the LF; count is the line's size */
  linein_init(&l, 512, 0);
  r = linein_feed(&l, "HELO x\r\nMAIL", 12, &used);
  CHECK(r == LINEIN_DONE && used == 8 && l.count == 8);
  CHECK_SA(l.line, "HELO x");
  /* the line stays readable until the next call, even one with n == 0 */
  r = linein_feed(&l, "", 0, &used);
  CHECK(r == LINEIN_MORE && used == 0 && l.line.len == 0);
  r = linein_feed(&l, "QUIT\n", 5, &used);
  CHECK(r == LINEIN_DONE && used == 5 && l.count == 5);
  CHECK_SA(l.line, "QUIT");

  /* bounded allocation: a line of max - 1 bytes in one piece or byte by
   * byte never makes the buffer larger than max */
  memset(big, 'a', sizeof big);
  big[510] = '\r'; big[511] = '\n';
  r = linein_feed(&l, big, 512, &used);
  CHECK(r == LINEIN_DONE && used == 512 && l.line.len == 510 && l.count == 512);
  CHECK(l.line.a <= 512);
  linein_free(&l);
  linein_init(&l, 512, 0);
  for (used = 0; used < 511; ++used) {
    size_t u;
    CHECK(linein_feed(&l, big + used, 1, &u) == LINEIN_MORE && u == 1);
  }
  CHECK(linein_feed(&l, big + 511, 1, &used) == LINEIN_DONE && l.line.len == 510);
  CHECK(l.line.a <= 512);
  /* 600 + 600 + 2 bytes over three calls: one TOOLONG, count says 1202 */
  memset(big, 'b', 600);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE && used == 600);
  CHECK(l.line.len == 0 && l.line.a <= 512);
  CHECK(linein_feed(&l, big, 600, &used) == LINEIN_MORE && used == 600);
  CHECK(linein_feed(&l, "x\nRSET\n", 7, &used) == LINEIN_TOOLONG && used == 2);
  CHECK(l.count == 1202 && l.line.len == 0);
  CHECK(linein_feed(&l, "RSET\n", 5, &used) == LINEIN_DONE);
  CHECK_SA(l.line, "RSET");
  linein_free(&l);
  CHECK(l.line.s == 0);

  /* the maximum between lines: raised for one long line, then back;
   * values below LINEIN_MINMAX are raised to it */
  linein_init(&l, 255, LINEIN_NONUL);
  linein_setmax(&l, 12290);
  memset(big, 'Q', 12288);
  big[12288] = '\r'; big[12289] = '\n';
  CHECK(linein_feed(&l, big, 12290, &used) == LINEIN_DONE && l.line.len == 12288);
  linein_setmax(&l, 255);
  CHECK(linein_feed(&l, big, 12290, &used) == LINEIN_TOOLONG && used == 12290);
  linein_setmax(&l, 1);
  CHECK(l.max == LINEIN_MINMAX);
  CHECK(linein_feed(&l, "abcdef\r\n", 8, &used) == LINEIN_DONE);
  CHECK(linein_feed(&l, "abcdefg\r\n", 9, &used) == LINEIN_TOOLONG);
  /* lowered in the middle of a line already longer: too long */
  linein_setmax(&l, 64);
  CHECK(linein_feed(&l, "0123456789012345", 16, &used) == LINEIN_MORE);
  linein_setmax(&l, 10);
  CHECK(linein_feed(&l, "\n", 1, &used) == LINEIN_TOOLONG && l.line.len == 0);
  CHECK(linein_feed(&l, "ok\n", 3, &used) == LINEIN_DONE);
  CHECK_SA(l.line, "ok");
  linein_free(&l);
  linein_init(&l, 0, 0);
  CHECK(l.max == LINEIN_MINMAX && l.line.s == 0 && l.line.len == 0);
  linein_free(&l);

  /* cmdword_split: only ' ' separates; TRIM drops trailing spaces */
  cmdword_split("MAIL FROM:<a@b> SIZE=10  ", 25, CMDWORD_TRIM, &c);
  CHECK_STR(c.verb, c.verblen, "MAIL");
  CHECK_STR(c.arg, c.arglen, "FROM:<a@b> SIZE=10");
  cmdword_split("PASS  two words ", 16, 0, &c);
  CHECK_STR(c.verb, c.verblen, "PASS");
  CHECK_STR(c.arg, c.arglen, "two words ");
  cmdword_split("NOOP   ", 7, CMDWORD_TRIM, &c);
  CHECK(c.verblen == 4 && c.arglen == 0);
  cmdword_split("NOOP   ", 7, 0, &c);
  CHECK(c.verblen == 4 && c.arglen == 0);
  cmdword_split(" x", 2, 0, &c);
  CHECK(c.verblen == 0);
  CHECK_STR(c.arg, c.arglen, "x");
  cmdword_split("HELO\tx", 6, CMDWORD_TRIM, &c);
  CHECK(c.verblen == 6 && c.arglen == 0);
  cmdword_split("", 0, 0, &c);
  CHECK(c.verblen == 0 && c.arglen == 0);

  /* cmdword_is: ASCII case only, whole word */
  CHECK(cmdword_is("eHlO", 4, "ehlo"));
  CHECK(cmdword_is("UIDL", 4, "uidl"));
  CHECK(cmdword_is("", 0, ""));
  CHECK(!cmdword_is("ehl", 3, "ehlo"));
  CHECK(!cmdword_is("ehlox", 5, "ehlo"));
  CHECK(!cmdword_is("eh\0o", 4, "ehlo"));
  CHECK(!cmdword_is("ehlo", 4, "eh"));
  CHECK(!cmdword_is("\xc5hlo", 4, "\xe5hlo"));   /* no folding past ASCII */
  CHECK(!cmdword_is("[", 1, "{"));               /* '[' + 32 is '{' */

  /* cmdword_number: digits only, the whole token, no overflow */
  {
    unsigned long n;
    CHECK(cmdword_number("42", 2, &n) && n == 42);
    CHECK(cmdword_number("0", 1, &n) && n == 0);
    CHECK(cmdword_number("18446744073709551615", 20, &n) && n == 18446744073709551615UL);
    CHECK(!cmdword_number("18446744073709551616", 20, &n));
    CHECK(!cmdword_number("99999999999999999999", 20, &n));
    CHECK(!cmdword_number("", 0, &n));
    CHECK(!cmdword_number("-1", 2, &n));
    CHECK(!cmdword_number("+1", 2, &n));
    CHECK(!cmdword_number("1x", 2, &n));
    CHECK(!cmdword_number("12a", 3, &n));
    CHECK(!cmdword_number(" 1", 2, &n));
  }
  return check_done();
}
