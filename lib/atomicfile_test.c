/* lib/atomicfile_test.c — lock + temp + rename, abort keeps the original. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "atomicfile.h"

int main(void)
{
  char dir[] = "/tmp/qv-af-XXXXXX";
  char path[100], lock[120];
  struct atomicfile af;
  stralloc text = {0};
  struct stat st;

  if (!mkdtemp(dir)) return 111;
  snprintf(path, sizeof path, "%s/vpasswd", dir);
  snprintf(lock, sizeof lock, "%s/.vpasswd.lock", dir);

  CHECK(af_readfile(&text, path) == 0 && text.len == 0);
  CHECK(af_begin(&af, path, lock, 0600) == 1);
  CHECK(af_write(&af, "a:b\n", 4) == 1);
  CHECK(af_commit(&af) == 1);
  CHECK(af_readfile(&text, path) == 1);
  CHECK_SA(text, "a:b\n");
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK(stat(lock, &st) == 0 && (st.st_mode & 0777) == 0600);

  CHECK(af_begin(&af, path, 0, 0644) == 1);
  CHECK(af_write(&af, "changed\n", 8) == 1);
  af_abort(&af);
  CHECK(af_readfile(&text, path) == 1);
  CHECK_SA(text, "a:b\n");

  {
    char cmd[200];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q '\\.[0-9]*$'", dir);
    CHECK(system(cmd) != 0); /* no temporary left */
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) return 111;
  }
  stralloc_free(&text);
  return check_done();
}
