/* pop3/pop3_msg_test.c — unit tests for pop3_msg (the RETR/TOP
 * converter) and pop3_mbox's name fields. */
#include <string.h>
#include "../tests/check.h"
#include "pop3_mbox.h"
#include "pop3_msg.h"
#include "maildir.h"

static char out[4096];

/* converts s whole (or in 1-byte pieces); returns the output length */
static size_t conv(const char *s, int top, unsigned long lines, int bytewise,
                   unsigned long long *octets)
{
  struct pop3xf x;
  size_t n = strlen(s), len = 0, i;
  pop3xf_init(&x, top, lines);
  if (bytewise)
    for (i = 0; i < n; ++i) len += pop3xf_feed(&x, s + i, 1, out + len);
  else
    len = pop3xf_feed(&x, s, n, out);
  len += pop3xf_end(&x, out + len);
  *octets = x.octets;
  return len;
}

#define CONV(in, top, lines, want, woct) \
  do { \
    unsigned long long o_; \
    int b_; \
    for (b_ = 0; b_ < 2; ++b_) { \
      size_t l_ = conv(in, top, lines, b_, &o_); \
      CHECK_STR(out, l_, want); \
      CHECK(o_ == (woct)); \
    } \
  } while (0)

int main(void)
{
  unsigned long long v;
  CONV("", 0, 0, "", 0);
  CONV("a\nb\n", 0, 0, "a\r\nb\r\n", 6);
  CONV("a\r\nb\r\n", 0, 0, "a\r\nb\r\n", 6);
  CONV("a\r\r\n", 0, 0, "a\r\r\n", 4);
  CONV("no newline", 0, 0, "no newline\r\n", 12);
  CONV("cr at end\r", 0, 0, "cr at end\r\n", 11);
  CONV(".\n..x\n.y\nz.\n", 0, 0, "..\r\n...x\r\n..y\r\nz.\r\n", 16);
  CONV(".", 0, 0, "..\r\n", 3);
  CONV("H: 1\nH: 2\n\nb1\nb2\nb3\n", 1, 0, "H: 1\r\nH: 2\r\n\r\n", 14);
  CONV("H: 1\nH: 2\n\nb1\nb2\nb3\n", 1, 2, "H: 1\r\nH: 2\r\n\r\nb1\r\nb2\r\n", 22);
  CONV("H: 1\r\n\r\n.b1\r\nb2\r\n", 1, 1, "H: 1\r\n\r\n..b1\r\n", 13);
  CONV("H: 1\nH: 2\n\nb1\nb2", 1, 5, "H: 1\r\nH: 2\r\n\r\nb1\r\nb2\r\n", 22);
  CONV("only headers\n", 1, 0, "only headers\r\n", 14);
  CONV("nul\0", 0, 0, "nul\r\n", 5);   /* strlen stops at NUL: fine */

  /* ",W=" as deliveries write it (lib/maildir) equals what RETR sends */
  {
    static const char *const msgs[] = {
      "", "a\n", "H: 1\r\nH: 2\n\n.b\r\n..\nc\r\r\n", "\n\n\n", "x\r\n.\r\n", 0
    };
    int k;
    for (k = 0; msgs[k]; ++k) {
      struct maildir_vsize mv = {0, 0, 0};
      unsigned long long o;
      maildir_vsize_feed(&mv, msgs[k], strlen(msgs[k]));
      conv(msgs[k], 0, 0, 0, &o);
      CHECK(maildir_vsize_get(&mv) == (long long)o);
    }
  }

  CHECK(pop3mbox_namefield("123.M1P2.h,S=42:2,S", 19, 'S', &v) == 1 && v == 42);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=42,W=44:2,S", 24, 'W', &v) == 1 && v == 44);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=42,W=44", 20, 'W', &v) == 1 && v == 44);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=42:2,W=44", 22, 'W', &v) == 0);  /* after ':' */
  CHECK(pop3mbox_namefield("123.M1P2.h", 10, 'S', &v) == 0);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=", 13, 'S', &v) == 0);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=4x", 15, 'S', &v) == 0);
  CHECK(pop3mbox_namefield("123.M1P2.h,S=99999999999999999999999", 35, 'S', &v) == 0);
  CHECK(pop3mbox_namefield("1.h,X=1,S=7", 11, 'S', &v) == 1 && v == 7);
  return check_done();
}
