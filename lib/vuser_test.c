/* lib/vuser_test.c — user administration on a scratch domain. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stralloc.h"
#include "assign.h"
#include "atomicfile.h"
#include "paths.h"
#include "sa.h"
#include "quota.h"
#include "vauth.h"
#include "verror.h"
#include "vuser.h"
#include "../tests/check.h"

static struct vdomain dom;
static char *root;

static void put(const char *rel, const char *text)
{
  stralloc p = {0};
  int fd;
  paths_join(&p, root, rel);
  fd = open(p.s, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) { if (write(fd, text, strlen(text)) < 0) {} close(fd); }
  stralloc_free(&p);
}

static int exists(const char *rel)
{
  stralloc p = {0};
  struct stat st;
  int r;
  paths_join(&p, root, rel);
  r = lstat(p.s, &st) == 0;
  stralloc_free(&p);
  return r;
}

static int norm(const char *in, const char *want)
{
  stralloc o = {0};
  int ok = quota_normalize(&o, in, strlen(in)) == 1 && o.len == strlen(want) && !memcmp(o.s, want, o.len);
  if (!ok) fprintf(stderr, "normalize %s -> %.*s (want %s)\n", in, (int)o.len, o.s, want);
  stralloc_free(&o);
  return ok;
}

int main(void)
{
  char tmpl[] = "/tmp/vuser_testXXXXXX";
  struct vqpasswd pw;
  stralloc u = {0}, dd = {0}, t = {0}, p = {0};
  int def, i;
  unsigned long eff, fromdom;

  root = mkdtemp(tmpl);
  CHECK(root != 0);
  if (!root) return check_done();
  setenv("QMAILDIR", root, 1);
  setenv("VPOPMAILDIR", root, 1);
  unsetenv("VPOPMAIL_DOMAIN");
  paths_join(&p, root, "control"); mkdir(p.s, 0755);
  paths_join(&p, root, "etc"); mkdir(p.s, 0755);
  paths_join(&p, root, "ex.com"); mkdir(p.s, 0750);
  stralloc_copys(&dom.name, "ex.com"); sa_cstr(&dom.name);
  stralloc_copys(&dom.real, "ex.com"); sa_cstr(&dom.real);
  stralloc_copy(&dom.dir, &p); sa_cstr(&dom.dir);
  dom.uid = geteuid(); dom.gid = getegid();
  vpw_init(&pw);

  /* quota strings (reference section 4) */
  CHECK(norm("NOQUOTA", "NOQUOTA"));
  CHECK(norm("50M", "52428800S"));
  CHECK(norm("10MB", "10485760S"));
  CHECK(norm("1000KB", "1024000S"));
  CHECK(norm("1048576", "1048576S"));
  CHECK(norm("10M,1000C", "10485760S,1000C"));
  CHECK(norm("1000C,10MBS", "10485760S,1000C"));
  CHECK(norm("1.5M", "1048576S"));
  CHECK(norm("500C", "500C"));

  /* addresses */
  CHECK(vuser_parse_address(&u, &dd, &def, "Bob@Ex.COM") == 0 && def == 0);
  CHECK_SA(u, "bob"); CHECK_SA(dd, "ex.com");
  CHECK(vuser_parse_address(&u, &dd, &def, "bob%ex.com") == 0);
  CHECK_SA(dd, "ex.com");
  CHECK(vuser_parse_address(&u, &dd, &def, "bob/ex.com") == 0);
  CHECK(vuser_parse_address(&u, &dd, &def, "bob") == VA_ILLEGAL_USERNAME && def == -1);
  put("etc/defaultdomain", "dflt.org\n");
  CHECK(vuser_parse_address(&u, &dd, &def, "bob") == 0 && def == 1);
  CHECK_SA(dd, "dflt.org");
  setenv("VPOPMAIL_DOMAIN", "env.net", 1);
  CHECK(vuser_parse_address(&u, &dd, &def, "bob") == 0);
  CHECK_SA(dd, "env.net");
  unsetenv("VPOPMAIL_DOMAIN");
  CHECK(vuser_parse_address(&u, &dd, &def, "b(b@ex.com") == VA_ILLEGAL_USERNAME);
  CHECK(vuser_parse_address(&u, &dd, &def, "bob@ex_com") == VA_ILLEGAL_USERNAME);
  CHECK(vuser_parse_address(&u, &dd, &def, "abcdefghijabcdefghijabcdefghijabc@ex.com") == VA_USER_NAME_TOO_LONG);

  /* add */
  CHECK(vuser_add(&dom, "Postmaster", "secret", "Post:master", 0) == 0);
  CHECK(vauth_getpw(&pw, "postmaster", &dom) == 1);
  CHECK_SA(pw.gecos, "Postmaster");
  CHECK(pw.uid == 1 && pw.gid == 0 && pw.has_clear == 0);
  CHECK(pw.passwd.len > 3 && !memcmp(pw.passwd.s, "$6$", 3));
  CHECK_SA(pw.quota, "NOQUOTA");
  CHECK(exists("ex.com/postmaster/Maildir/new") && exists("ex.com/postmaster/Maildir/cur")
        && exists("ex.com/postmaster/Maildir/tmp"));
  CHECK(exists("ex.com/postmaster/lastauth"));
  CHECK(vuser_add(&dom, "postmaster", "x", 0, 0) == VA_USERNAME_EXISTS);
  CHECK(vuser_add(&dom, "b", "x", 0, 0) == VA_ILLEGAL_USERNAME);
  CHECK(vuser_add(&dom, "vpasswd", "x", 0, 0) == VA_ILLEGAL_USERNAME);
  CHECK(vuser_add(&dom, "a/b", "x", 0, 0) == VA_ILLEGAL_USERNAME);
  CHECK(vuser_add(&dom, "abcdefghijabcdefghijabcdefghijabc", "x", 0, 0) == VA_USER_NAME_TOO_LONG);

  /* clear passwords, -e, -n */
  put("control/clearpasswords", "1\n");
  CHECK(vuser_add(&dom, "carol", "pw:x", 0, 0) == VA_BAD_CHAR);  /* would corrupt the line */
  CHECK(!exists("ex.com/carol"));
  CHECK(vuser_add(&dom, "carol", "pwz", 0, 0) == 0);
  CHECK(vauth_getpw(&pw, "carol", &dom) == 1 && pw.has_clear == 1);
  CHECK_SA(pw.clear, "pwz");
  CHECK(vuser_add(&dom, "carol2", "pwx", 0, 0) == 0);
  CHECK(vauth_getpw(&pw, "carol2", &dom) == 1 && pw.has_clear == 1);
  CHECK_SA(pw.clear, "pwx");
  CHECK(vuser_add(&dom, "dave", "$1$abcdefgh$hash", 0, VUSER_CRYPTED) == 0);
  CHECK(vauth_getpw(&pw, "dave", &dom) == 1);
  CHECK_SA(pw.passwd, "$1$abcdefgh$hash");
  CHECK(pw.has_clear == 1 && pw.clear.len == 0);
  unlink((stralloc_copys(&p, root), stralloc_cats(&p, "/control/clearpasswords"), sa_cstr(&p), p.s));
  CHECK(vuser_add(&dom, "nopw", 0, 0, VUSER_NOPASS) == 0);
  CHECK(vauth_getpw(&pw, "nopw", &dom) == 1 && pw.passwd.len == 0 && pw.has_clear == 0);

  /* default quota from the domain limits */
  put("ex.com/.qmailadmin-limits", "default_quota: 1048576\ndefault_maxmsgcount: 10\ndisable_pop\n");
  CHECK(vuser_add(&dom, "quser", "x", 0, 0) == 0);
  CHECK(vauth_getpw(&pw, "quser", &dom) == 1);
  CHECK_SA(pw.quota, "1048576S,10C");
  CHECK(exists("ex.com/quser/Maildir/maildirsize"));
  CHECK(vuser_flags(&eff, &fromdom, &pw, &dom) == 0);
  CHECK(eff == 0x02 && fromdom == 0x02);
  pw.gid = 0x2000;
  CHECK(vuser_flags(&eff, &fromdom, &pw, &dom) == 0 && eff == 0x2000 && fromdom == 0);

  /* quota */
  CHECK(vuser_setquota(&dom, "carol", "50M") == 0);
  CHECK(vauth_getpw(&pw, "carol", &dom) == 1);
  CHECK_SA(pw.quota, "52428800S");
  CHECK(exists("ex.com/carol/Maildir/maildirsize"));
  paths_join(&p, root, "ex.com/carol/Maildir/maildirsize");
  CHECK(af_readfile(&t, p.s) == 1);
  CHECK_SA(t, "52428800S\n0 0\n");
  CHECK(vuser_setquota(&dom, "carol", "NOQUOTA") == 0);
  CHECK(!exists("ex.com/carol/Maildir/maildirsize"));
  CHECK(vuser_setquota(&dom, "carol", "99999999999999999M") == VA_QUOTA_TOO_LONG);
  CHECK(vuser_setquota(&dom, "ghost", "1M") == VA_USER_DOES_NOT_EXIST);

  /* mod */
  {
    struct vuser_mod m;
    memset(&m, 0, sizeof m);
    m.set_flags = 0x02 | 0x800;
    m.gecos = "Carol C";
    CHECK(vuser_mod(&dom, "carol", &m) == 0);
    CHECK(vauth_getpw(&pw, "carol", &dom) == 1 && pw.gid == 0x802);
    CHECK_SA(pw.gecos, "Carol C");
    memset(&m, 0, sizeof m);
    m.clear_flags = 1; m.set_flags = 0x10; m.hash = "XXhash"; m.dir = "/else/where";
    CHECK(vuser_mod(&dom, "carol", &m) == 0);
    CHECK(vauth_getpw(&pw, "carol", &dom) == 1 && pw.gid == 0x10);
    CHECK_SA(pw.passwd, "XXhash");
    CHECK_SA(pw.dir, "/else/where");
    CHECK_SA(pw.clear, "pwz");        /* -e leaves the clear copy alone */
  }
  CHECK(vuser_setpass(&dom, "carol", "newpw") == 0);
  CHECK(vauth_getpw(&pw, "carol", &dom) == 1 && pw.has_clear == 1 && pw.clear.len == 0);

  /* delete; catch-all refused */
  put("ex.com/.qmail-default", "| /v/bin/vdelivermail '' dave@ex.com\n");
  CHECK(vuser_del(&dom, "dave") == VA_CANNOT_DELETE_CATCHALL);
  stralloc_copys(&t, "| /v/bin/vdelivermail '' "); stralloc_cat(&t, &dom.dir);
  stralloc_cats(&t, "/quser\n"); sa_cstr(&t);
  put("ex.com/.qmail-default", t.s);
  CHECK(vuser_del(&dom, "quser") == VA_CANNOT_DELETE_CATCHALL);
  put("ex.com/.qmail-default", "| /v/bin/vdelivermail '' delete\n");
  CHECK(vuser_del(&dom, "dave") == 0);
  CHECK(!exists("ex.com/dave"));
  CHECK(vauth_getpw(&pw, "dave", &dom) == 0);
  CHECK(vuser_del(&dom, "dave") == VA_USER_DOES_NOT_EXIST);

  /* hash buckets: user #100 goes to 0/; a freed bucket is reused */
  for (i = 0; i < 100; ++i) {
    char n[16];
    snprintf(n, sizeof n, "u%03d", i);
    if (vuser_add(&dom, n, "$1$x$y", 0, VUSER_CRYPTED) != 0) { CHECK(0); break; }
  }
  paths_join(&p, root, "ex.com/.dir-control");
  CHECK(af_readfile(&t, p.s) == 1);
  CHECK_SA(t, "105\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0\n");
  CHECK(exists("ex.com/u093/Maildir") && exists("ex.com/0/u094/Maildir"));
  CHECK(vauth_getpw(&pw, "u094", &dom) == 1);
  CHECK(pw.dir.len > 9 && !memcmp(pw.dir.s + pw.dir.len - 7, "/0/u094", 7));
  CHECK(vuser_del(&dom, "u095") == 0);
  paths_join(&p, root, "ex.com/.dir_control_free");
  CHECK(af_readfile(&t, p.s) == 1);
  CHECK_SA(t, "0\n");
  CHECK(vuser_add(&dom, "reuse", "$1$x$y", 0, VUSER_CRYPTED) == 0);
  CHECK(exists("ex.com/0/reuse"));
  CHECK(af_readfile(&t, p.s) == 1 && t.len == 0);

  /* lazy cdb rebuild in admin paths */
  paths_join(&p, root, "ex.com/vpasswd.cdb");
  unlink(p.s);
  CHECK(vauth_getpw(&pw, "reuse", &dom) == -1);
  CHECK(vuser_lookup(&pw, "reuse", &dom) == 1);
  CHECK(vauth_getpw(&pw, "reuse", &dom) == 1);

  stralloc_copys(&t, "rm -rf "); stralloc_cats(&t, root); sa_cstr(&t);
  CHECK(system(t.s) == 0);
  vpw_free(&pw);
  stralloc_free(&u);
  stralloc_free(&dd);
  assign_free(&dom);
  stralloc_free(&t);
  stralloc_free(&p);
  return check_done();
}
