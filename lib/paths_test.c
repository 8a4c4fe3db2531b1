/* lib/paths_test.c — env overrides, sandbox ownership, joins. */
#include <stdlib.h>
#include <unistd.h>
#include "../tests/check.h"
#include "conf.h"
#include "paths.h"

int main(void)
{
  stralloc sa = {0};
  uid_t uid;
  gid_t gid;

  unsetenv("QMAILDIR");
  unsetenv("VPOPMAILDIR");
  CHECK(!strcmp(paths_qmaildir(), CONF_QMAILDIR));
  CHECK(!strcmp(paths_vpopmaildir(), CONF_VPOPMAILDIR));
  CHECK(paths_sandboxed() == 0);

  setenv("VPOPMAILDIR", "/tmp/sandbox/vpopmail", 1);
  CHECK(paths_sandboxed() == 1);
  CHECK(!strcmp(paths_vpopmaildir(), "/tmp/sandbox/vpopmail"));
  CHECK(paths_mailstore_ids(&uid, &gid) == 1 && uid == getuid() && gid == getgid());

  CHECK(paths_vpopmail(&sa, "domains") == 1);
  CHECK_SA(sa, "/tmp/sandbox/vpopmail/domains");
  CHECK(sa.s[sa.len] == '\0');
  CHECK(paths_join(&sa, "/a/", "b") == 1);
  CHECK_SA(sa, "/a/b");
  CHECK(paths_join(&sa, "/a", "") == 1);
  CHECK_SA(sa, "/a");
  stralloc_free(&sa);
  return check_done();
}
