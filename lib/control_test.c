/* lib/control_test.c — control files with qmail's semantics. */
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "control.h"
#include "sa.h"

static char root[] = "/tmp/qv-ctl-XXXXXX";

static void put(const char *name, const char *text)
{
  char path[256];
  FILE *f;
  snprintf(path, sizeof path, "%s/control/%s", root, name);
  f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

int main(void)
{
  stralloc sa = {0};
  unsigned long n = 0;
  int flag = -1;
  char dir[300];

  if (!mkdtemp(root)) return 111;
  snprintf(dir, sizeof dir, "%s/control", root);
  mkdir(dir, 0755);
  setenv("QMAILDIR", root, 1);

  CHECK(ctl_path(&sa, "me") == 1);
  CHECK(sa.s[sa.len] == '\0');

  /* missing file: the default, return 0 */
  CHECK(ctl_readline(&sa, "smtpgreeting", "dflt") == 0);
  CHECK_SA(sa, "dflt");
  CHECK(ctl_readline(&sa, "smtpgreeting", CTL_ME) == 0);
  CHECK(sa.len == 0);

  put("me", "mx.example.org \t\r\nsecond line\n");
  CHECK(ctl_readline(&sa, "me", 0) == 1);
  CHECK_SA(sa, "mx.example.org");
  CHECK(ctl_readline(&sa, "smtpgreeting", CTL_ME) == 0);
  CHECK_SA(sa, "mx.example.org");

  put("databytes", "1048576\n");
  CHECK(ctl_readint(&n, "databytes", 0) == 1 && n == 1048576);
  CHECK(ctl_readint(&n, "timeoutsmtpd", 1200) == 0 && n == 1200);
  put("maxrcpt", "12x\n");
  CHECK(ctl_readint(&n, "maxrcpt", 0) == -1);
  put("maxrcpt", "\n");
  CHECK(ctl_readint(&n, "maxrcpt", 0) == -1);

  put("rcpthosts", "# comment\nexample.org  \n\n\t\nexample.net\n#x\nlast");
  CHECK(ctl_readlist(&sa, "rcpthosts", 0) == 1);
  CHECK(sa.len == sizeof "example.org\0example.net\0last\0" - 1);
  CHECK(!memcmp(sa.s, "example.org\0example.net\0last\0", sa.len));
  CHECK(ctl_readlist(&sa, "locals", CTL_ME) == 0);
  CHECK(sa.len == sizeof "mx.example.org\0" - 1);

  put("clearpasswords", "1\n");
  CHECK(ctl_readflag(&flag, "clearpasswords", 0) == 1 && flag == 1);
  put("clearpasswords", "0\n");
  CHECK(ctl_readflag(&flag, "clearpasswords", 1) == 1 && flag == 0);
  CHECK(ctl_readflag(&flag, "nosuchknob", 1) == 0 && flag == 1);

  /* an unreadable file is an error, never the default (root can read all) */
  if (geteuid() != 0) {
    put("badmailfrom", "x\n");
    snprintf(dir, sizeof dir, "%s/control/badmailfrom", root);
    chmod(dir, 0);
    CHECK(ctl_readlist(&sa, "badmailfrom", 0) == -1);
  }

  {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd)) return 111;
  }
  stralloc_free(&sa);
  return check_done();
}
