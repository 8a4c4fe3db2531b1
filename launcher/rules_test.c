/* launcher/rules_test.c — key sequence, value items and CDB lookup of
 * launcher/rules.c (the CDB is written with lib/cdbmap in the layout
 * tcprules uses; t-launcher.sh checks files from Debian's tcprules). */
#include <stdlib.h>
#include <unistd.h>
#include "../tests/check.h"
#include "rules.h"
#include "sa.h"

static void keys_are(const char *ip, const char *const *want, size_t nwant)
{
  size_t lens[RULES_MAXKEYS], n = rules_keys(ip, strlen(ip), lens), i;
  CHECK(n == nwant);
  for (i = 0; i < n && i < nwant; ++i) CHECK_STR(ip, lens[i], want[i]);
}

int main(void)
{
  static const char *const k4[] = { "1.2.3.4", "1.2.3.", "1.2.", "1.", "" };
  static const char *const k6[] = { "::1", "::", ":", "" };
  static const char *const k6b[] = { "2001:db8::5", "2001:db8::", "2001:db8:", "2001:", "" };
  static const char *const k0[] = { "" };
  static const char val[] = "+RELAYCLIENT=\0+MAXCONIP=3\0+X=a=b\0";
  static const char deny[] = "D\0+REFUSALMSG=go away\0";
  const char *v;
  size_t vl;
  char dir[] = "/tmp/qvrulesXXXXXX";
  stralloc path = {0}, out = {0};
  struct cdbmap_writer w;

  keys_are("1.2.3.4", k4, 5);
  keys_are("::1", k6, 4);
  keys_are("2001:db8::5", k6b, 5);
  keys_are("", k0, 1);

  CHECK(!rules_denied(val, sizeof val - 1));
  CHECK(rules_denied(deny, sizeof deny - 1));
  CHECK(!rules_denied("", 0));
  CHECK(!rules_denied("D", 1));            /* item without its NUL: ignored */
  CHECK(rules_getvar(val, sizeof val - 1, "RELAYCLIENT", &v, &vl) && vl == 0);
  CHECK(rules_getvar(val, sizeof val - 1, "MAXCONIP", &v, &vl));
  CHECK_STR(v, vl, "3");
  CHECK(rules_getvar(val, sizeof val - 1, "X", &v, &vl));
  CHECK_STR(v, vl, "a=b");
  CHECK(!rules_getvar(val, sizeof val - 1, "MAXCON", &v, &vl));
  CHECK(rules_getvar(deny, sizeof deny - 1, "REFUSALMSG", &v, &vl));
  CHECK_STR(v, vl, "go away");

  setenv("X", "old", 1);
  setenv("GONE", "1", 1);
  CHECK(rules_setenv(val, sizeof val - 1));
  CHECK(getenv("RELAYCLIENT") && !strcmp(getenv("RELAYCLIENT"), ""));
  CHECK(getenv("X") && !strcmp(getenv("X"), "a=b"));
  CHECK(rules_setenv("+GONE\0", 6));
  CHECK(!getenv("GONE"));

  CHECK(mkdtemp(dir) != 0);
  CHECK(stralloc_copys(&path, dir) && stralloc_cats(&path, "/r.cdb") && sa_cstr(&path));
  CHECK(cdbmap_write_begin(&w, path.s, 0) == 1);
  CHECK(cdbmap_write_add(&w, "127.0.0.1", 9, "+RELAYCLIENT=\0", 14) == 1);
  CHECK(cdbmap_write_add(&w, "10.", 3, "D\0", 2) == 1);
  CHECK(cdbmap_write_add(&w, "::", 2, "+V6=p\0", 6) == 1);
  CHECK(cdbmap_write_add(&w, "", 0, "+DEF=1\0", 7) == 1);
  CHECK(cdbmap_write_commit(&w) == 1);

  CHECK(rules_lookup(path.s, 0, "127.0.0.1", 9, &out) == 1);
  CHECK(out.len >= 13 && !memcmp(out.s, "+RELAYCLIENT=", 13));
  CHECK(out.len == 14);
  CHECK(rules_lookup(path.s, 0, "10.9.8.7", 8, &out) == 1 && rules_denied(out.s, out.len));
  CHECK(rules_lookup(path.s, 0, "::1", 3, &out) == 1);
  CHECK(out.len == 6 && !memcmp(out.s, "+V6=p", 5));
  CHECK(rules_lookup(path.s, 0, "192.0.2.1", 9, &out) == 1);
  CHECK(out.len == 7 && !memcmp(out.s, "+DEF=1", 6));
  CHECK(rules_lookup("/nonexistent/r.cdb", 1, "1.2.3.4", 7, &out) == 0);
  CHECK(rules_lookup("/nonexistent/r.cdb", 0, "1.2.3.4", 7, &out) == -1);

  unlink(path.s);
  stralloc_free(&path);
  stralloc_free(&out);
  rmdir(dir);
  return check_done();
}
