/* lib/sasl_test.c — base64 and the SASL message splitters. */
#include <errno.h>
#include <string.h>
#include "../tests/check.h"
#include "sasl.h"

static int dec(stralloc *out, const char *s) { return sasl_b64_decode(out, s, strlen(s)); }

int main(void)
{
  stralloc a = {0}, b = {0};
  /* RFC 4648 test vectors both ways */
  static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  unsigned i;
  for (i = 0; i < 7; ++i) {
    CHECK(sasl_b64_encode(&a, plain[i], strlen(plain[i])));
    CHECK_SA(a, enc[i]);
    CHECK(dec(&b, enc[i]));
    CHECK_SA(b, plain[i]);
    CHECK(b.s[b.len] == '\0');
  }
  CHECK(dec(&b, "=") && b.len == 0);                 /* empty initial response */
  CHECK(!dec(&b, "Zg=") && errno == EINVAL);          /* length */
  CHECK(!dec(&b, "Zh==") && errno == EINVAL);         /* non-zero pad bits */
  CHECK(!dec(&b, "Zm9=") && errno == EINVAL);
  CHECK(!dec(&b, "Zm 9v") && errno == EINVAL);        /* whitespace */
  CHECK(!dec(&b, "Zm9v\r\n"));
  CHECK(!dec(&b, "Z===") && errno == EINVAL);
  CHECK(!dec(&b, "Zg==Zm9v") && errno == EINVAL);     /* data after padding */
  CHECK(!dec(&b, "Zm9-") && errno == EINVAL);         /* base64url is not base64 */
  /* binary round trip */
  {
    char bin[256];
    for (i = 0; i < 256; ++i) bin[i] = (char)i;
    CHECK(sasl_b64_encode(&a, bin, 256) && sasl_b64_decode(&b, a.s, a.len));
    CHECK(b.len == 256 && !memcmp(b.s, bin, 256));
  }
  /* PLAIN */
  {
    stralloc u = {0}, p = {0};
    CHECK(sasl_plain_split("\0joe@example.test\0secret", 24, &u, &p));
    CHECK_SA(u, "joe@example.test");
    CHECK_SA(p, "secret");
    CHECK(sasl_plain_split("admin\0joe\0pw", 12, &u, &p));
    CHECK_SA(u, "joe");
    CHECK(!sasl_plain_split("joe\0pw", 6, &u, &p) && errno == EINVAL);
    CHECK(!sasl_plain_split("\0\0pw", 4, &u, &p) && errno == EINVAL);
    CHECK(!sasl_plain_split("\0joe\0", 5, &u, &p) && errno == EINVAL);
    CHECK(!sasl_plain_split("\0joe\0p\0w", 8, &u, &p) && errno == EINVAL);
    CHECK(!sasl_plain_split("", 0, &u, &p));
    stralloc_free(&u); stralloc_free(&p);
  }
  /* CRAM-MD5 */
  {
    stralloc u = {0}, d = {0}, c1 = {0}, c2 = {0};
    const char *r = "tim b913a602c7eda7a495b4e6e7334d3890";
    CHECK(sasl_cram_split(r, strlen(r), &u, &d));
    CHECK_SA(u, "tim");
    CHECK_SA(d, "b913a602c7eda7a495b4e6e7334d3890");
    r = "a b c 0123456789abcdef0123456789abcdef";
    CHECK(sasl_cram_split(r, strlen(r), &u, &d));
    CHECK_SA(u, "a b c");
    r = "tim B913A602C7EDA7A495B4E6E7334D3890";
    CHECK(!sasl_cram_split(r, strlen(r), &u, &d) && errno == EINVAL);
    r = " b913a602c7eda7a495b4e6e7334d3890";
    CHECK(!sasl_cram_split(r, strlen(r), &u, &d));
    r = "tim b913a602c7eda7a495b4e6e7334d389";
    CHECK(!sasl_cram_split(r, strlen(r), &u, &d));
    r = "timb913a602c7eda7a495b4e6e7334d3890";
    CHECK(!sasl_cram_split(r, strlen(r), &u, &d));
    CHECK(sasl_cram_challenge(&c1, "mail.example.test"));
    CHECK(sasl_cram_challenge(&c2, "mail.example.test"));
    CHECK(c1.s[0] == '<' && c1.s[c1.len - 1] == '>' && c1.s[c1.len] == '\0');
    CHECK(strstr(c1.s, "@mail.example.test>") != 0);
    CHECK(c1.len != c2.len || memcmp(c1.s, c2.s, c1.len) != 0);
    stralloc_free(&u); stralloc_free(&d); stralloc_free(&c1); stralloc_free(&c2);
  }
  stralloc_free(&a); stralloc_free(&b);
  return check_done();
}
