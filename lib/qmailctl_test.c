/* lib/qmailctl_test.c — rcpthosts 50-line rule, morercpthosts.cdb,
 * virtualdomains, locals, the qmail-send cmdline match. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "atomicfile.h"
#include "cdbmap.h"
#include "qmailctl.h"

static char dir[] = "/tmp/qv-qctl-XXXXXX";

static const char *p(const char *name)
{
  static char buf[300];
  snprintf(buf, sizeof buf, "%s/control/%s", dir, name);
  return buf;
}

int main(void)
{
  stralloc text = {0}, v = {0};
  char name[64];
  int i;

  if (!mkdtemp(dir)) return 111;
  setenv("QMAILDIR", dir, 1);

  /* control/ is created; sorted inserts */
  CHECK(qctl_rcpthosts_add("b.org", 0) == 0);
  CHECK(qctl_rcpthosts_add("a.org", 0) == 0);
  CHECK(qctl_rcpthosts_add("www.a.org", 0) == 0);
  CHECK(qctl_rcpthosts_add("a.org", 0) == 0);  /* again: still one line */
  CHECK(af_readfile(&text, p("rcpthosts")) == 1);
  CHECK_SA(text, "a.org\nwww.a.org\nb.org\n");
  {
    struct stat st;
    CHECK(stat(p("rcpthosts"), &st) == 0 && (st.st_mode & 07777) == 0644);
  }
  CHECK(qctl_count_lines("rcpthosts") == 3);
  CHECK(qctl_count_lines("nonexistent") == 0);

  /* fill rcpthosts to 50 lines; the 51st domain goes to morercpthosts */
  for (i = 3; i < 50; ++i) {
    snprintf(name, sizeof name, "d%02d.net", i);
    CHECK(qctl_rcpthosts_add(name, 0) == 0);
  }
  CHECK(qctl_count_lines("rcpthosts") == 50);
  CHECK(access(p("morercpthosts"), F_OK) == -1);
  CHECK(qctl_rcpthosts_add("zz.example", 0) == 0);
  CHECK(qctl_count_lines("rcpthosts") == 50);
  CHECK(af_readfile(&text, p("morercpthosts")) == 1);
  CHECK_SA(text, "zz.example\n");
  CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "zz.example", 10, &v, 0) == 1);
  CHECK(v.len == 0);
  /* bulk mode: morercpthosts grows, the cdb is not rebuilt */
  CHECK(qctl_rcpthosts_add("bulk.example", 1) == 0);
  CHECK(af_readfile(&text, p("morercpthosts")) == 1);
  CHECK_SA(text, "bulk.example\nzz.example\n");
  CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "bulk.example", 12, &v, 0) == 0);
  CHECK(qctl_newmrh() == 0);
  CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "bulk.example", 12, &v, 0) == 1);

  /* removal: rcpthosts first, then morercpthosts; empty -> both deleted */
  CHECK(qctl_rcpthosts_remove("a.org") == 1);
  CHECK(qctl_count_lines("rcpthosts") == 49);
  CHECK(qctl_rcpthosts_remove("bulk.example") == 1);
  CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "bulk.example", 12, &v, 0) == 0);
  CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "zz.example", 10, &v, 0) == 1);
  CHECK(qctl_rcpthosts_remove("nothere.example") == 0);
  CHECK(qctl_rcpthosts_remove("zz.example") == 1);
  CHECK(access(p("morercpthosts"), F_OK) == -1 && errno == ENOENT);
  CHECK(access(p("morercpthosts.cdb"), F_OK) == -1 && errno == ENOENT);

  /* newmrh: lower-case, trailing blanks, comments */
  {
    FILE *f = fopen(p("morercpthosts"), "w");
    fputs("# comment\nUPPER.Example  \t\n\nplain.example", f);
    fclose(f);
    CHECK(qctl_newmrh() == 0);
    CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "upper.example", 13, &v, 0) == 1);
    CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "plain.example", 13, &v, 0) == 1);
    CHECK(cdbmap_lookup(p("morercpthosts.cdb"), "# comment", 9, &v, 0) == 0);
    unlink(p("morercpthosts"));
    errno = 0;
    CHECK(qctl_newmrh() == -1 && errno == ENOENT);
  }

  /* virtualdomains and locals */
  CHECK(qctl_virtualdomains_add("x.org") == 0);
  CHECK(qctl_virtualdomains_add("mail.a.org") == 0);
  CHECK(qctl_virtualdomains_add("x.org") == 0);
  CHECK(af_readfile(&text, p("virtualdomains")) == 1);
  CHECK_SA(text, "mail.a.org:mail.a.org\nx.org:x.org\n");
  CHECK(qctl_virtualdomains_remove("x.org") == 1);
  CHECK(qctl_virtualdomains_remove("x.org") == 0);
  CHECK(af_readfile(&text, p("virtualdomains")) == 1);
  CHECK_SA(text, "mail.a.org:mail.a.org\n");
  {
    FILE *f = fopen(p("locals"), "w");
    fputs("localhost\nx.org\nx.org.uk\n", f);
    fclose(f);
  }
  CHECK(qctl_locals_remove("x.org") == 1);
  CHECK(af_readfile(&text, p("locals")) == 1);
  CHECK_SA(text, "localhost\nx.org.uk\n");
  CHECK(qctl_locals_remove("x.org") == 0);

  /* the qmail-send match */
  CHECK(qctl_cmdline_is_qmail_send("qmail-send", 10));
  CHECK(qctl_cmdline_is_qmail_send("qmail-send\0", 11));
  CHECK(qctl_cmdline_is_qmail_send("/var/qmail/bin/qmail-send\0", 26));
  CHECK(!qctl_cmdline_is_qmail_send("supervise\0qmail-send\0", 21));
  CHECK(!qctl_cmdline_is_qmail_send("multilog\0t\0./main/qmail-send\0", 29));
  CHECK(!qctl_cmdline_is_qmail_send("vi\0qmail-send\0", 14));
  CHECK(!qctl_cmdline_is_qmail_send("qmail-sendx\0", 12));
  CHECK(!qctl_cmdline_is_qmail_send("", 0));
  CHECK(qctl_hup_qmail_send() >= 0);
  stralloc_free(&text);
  stralloc_free(&v);

  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 111;
  }
  return check_done();
}
