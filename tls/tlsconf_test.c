/* tls/tlsconf_test.c — SNI name checks, certificate paths, the knobs. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/tls1.h>
#include "tlsconf.h"
#include "../tests/check.h"

static int name(const char *in, const char *want)
{
  stralloc out = {0};
  int r = tlsconf_name(&out, in, strlen(in));
  if (r == 1 && want) CHECK(out.s && !strcmp(out.s, want));
  stralloc_free(&out);
  return r;
}

int main(void)
{
  char dir[] = "/tmp/tlsconf_test.XXXXXX", path[200], big[300];
  stralloc a = {0}, b = {0};
  struct tlsconf c;

  CHECK(name("mail.example.test", "mail.example.test") == 1);
  CHECK(name("MAIL.Example.TEST", "mail.example.test") == 1);
  CHECK(name("mail.example.test.", "mail.example.test") == 1);
  CHECK(name("a_b-c.d1", "a_b-c.d1") == 1);
  CHECK(name("", 0) == 0);
  CHECK(name(".", 0) == 0);
  CHECK(name("..", 0) == 0);
  CHECK(name("../etc", 0) == 0);
  CHECK(name("a/b", 0) == 0);
  CHECK(name("a..b", 0) == 0);
  CHECK(name(".a", 0) == 0);
  CHECK(name("a b", 0) == 0);
  CHECK(name("a\\b", 0) == 0);
  CHECK(tlsconf_name(&a, "a\0b", 3) == 0);
  memset(big, 'a', sizeof big);
  CHECK(tlsconf_name(&a, big, 253) == 1);
  CHECK(tlsconf_name(&a, big, 254) == 0);

  CHECK(tlsconf_paths(&a, &b, "/x/tls", "mail.example.test"));
  CHECK(!strcmp(a.s, "/x/tls/mail.example.test/fullchain.pem"));
  CHECK(!strcmp(b.s, "/x/tls/mail.example.test/privkey.pem"));

  CHECK(tlsconf_version("TLSv1.2", 7) == TLS1_2_VERSION);
  CHECK(tlsconf_version("tlsv1.3", 7) == TLS1_3_VERSION);
  CHECK(tlsconf_version("TLSv1", 5) == TLS1_VERSION);
  CHECK(tlsconf_version("TLSv1.1", 7) == TLS1_1_VERSION);
  CHECK(tlsconf_version("SSLv3", 5) == 0);
  CHECK(tlsconf_version("TLSv1.2x", 8) == 0);

  CHECK(mkdtemp(dir) != 0);
  snprintf(path, sizeof path, "%s/control", dir);
  CHECK(mkdir(path, 0755) == 0);
  setenv("QMAILDIR", dir, 1);
  /* defaults */
  CHECK(tlsconf_load(&c, 0) == 1);
  snprintf(path, sizeof path, "%s/control/tls", dir);
  CHECK(!strcmp(c.certdir.s, path));
  CHECK(!strcmp(c.ciphers.s, TLSCONF_CIPHERS));
  CHECK(!strcmp(c.suites.s, TLSCONF_SUITES));
  CHECK(c.minversion == TLS1_2_VERSION);
  CHECK(c.timeout == 60);
  tlsconf_free(&c);
  /* knobs */
  snprintf(path, sizeof path, "%s/control/tlscertdir", dir);
  check_put(path, "/etc/letsencrypt/live/\n");
  snprintf(path, sizeof path, "%s/control/tlsserverciphers", dir);
  check_put(path, "ECDHE-RSA-AES128-GCM-SHA256\n# comment\nECDHE-RSA-AES256-GCM-SHA384\n");
  snprintf(path, sizeof path, "%s/control/tlsminversion", dir);
  check_put(path, "TLSv1.3\n");
  snprintf(path, sizeof path, "%s/control/timeouttls", dir);
  check_put(path, "5\n");
  CHECK(tlsconf_load(&c, 0) == 1);
  CHECK(!strcmp(c.certdir.s, "/etc/letsencrypt/live"));
  CHECK(!strcmp(c.ciphers.s, "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"));
  CHECK(c.minversion == TLS1_3_VERSION);
  CHECK(c.timeout == 5);
  tlsconf_free(&c);
  CHECK(tlsconf_load(&c, "/srv/certs") == 1 && !strcmp(c.certdir.s, "/srv/certs"));
  tlsconf_free(&c);
  snprintf(path, sizeof path, "%s/control/tlsminversion", dir);
  check_put(path, "SSLv3\n");
  CHECK(tlsconf_load(&c, 0) == -1);
  CHECK(!c.certdir.s && !c.ciphers.s && !c.suites.s && !c.clientca.s);
  stralloc_free(&a);
  stralloc_free(&b);
  snprintf(path, sizeof path, "rm -rf %s", dir);
  CHECK(system(path) == 0);
  return check_done();
}
