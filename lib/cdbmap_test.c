/* lib/cdbmap_test.c — cdb write + read round trip, missing-file rules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../tests/check.h"
#include "cdbmap.h"

int main(void)
{
  char dir[] = "/tmp/qv-cdb-XXXXXX";
  char path[100];
  struct cdbmap_writer w;
  struct cdbmap m;
  stralloc v = {0};

  if (!mkdtemp(dir)) return 111;
  snprintf(path, sizeof path, "%s/t.cdb", dir);

  CHECK(cdbmap_lookup(path, "k", 1, &v, 1) == 0);
  errno = 0;
  CHECK(cdbmap_lookup(path, "k", 1, &v, 0) == -1 && errno == ENOENT);

  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  CHECK(cdbmap_write_add(&w, "!example.org-", 13, "example.org\0" "89\0", 15) == 1);
  CHECK(cdbmap_write_add(&w, "dup", 3, "one", 3) == 1);
  CHECK(cdbmap_write_add(&w, "dup", 3, "two", 3) == 1);
  CHECK(cdbmap_write_add(&w, "", 0, "-", 1) == 1);
  CHECK(cdbmap_write_commit(&w) == 1);
  CHECK(access(path, F_OK) == 0);

  CHECK(cdbmap_lookup(path, "!example.org-", 13, &v, 0) == 1);
  CHECK(v.len == 15 && !memcmp(v.s, "example.org\0" "89\0", 15));
  CHECK(cdbmap_lookup(path, "", 0, &v, 0) == 1);
  CHECK_SA(v, "-");
  CHECK(cdbmap_lookup(path, "nope", 4, &v, 0) == 0);

  CHECK(cdbmap_open(&m, path) == 1);
  CHECK(cdbmap_find(&m, "dup", 3, &v) == 1);
  CHECK_SA(v, "one");
  CHECK(cdbmap_findnext(&m, "dup", 3, &v) == 1);
  CHECK_SA(v, "two");
  CHECK(cdbmap_findnext(&m, "dup", 3, &v) == 0);
  cdbmap_close(&m);

  /* a truncated file is an error, not "not found" */
  CHECK(truncate(path, 100) == 0);
  CHECK(cdbmap_lookup(path, "!example.org-", 13, &v, 0) == -1);

  unlink(path);
  rmdir(dir);
  stralloc_free(&v);
  return check_done();
}
