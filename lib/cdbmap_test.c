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

  /* cdbmap_lookup's cache of open maps never answers from a replaced
   * file: rebuilt and renamed, rewritten in place, removed */
  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  CHECK(cdbmap_write_add(&w, "k", 1, "new", 3) == 1);
  CHECK(cdbmap_write_commit(&w) == 1);
  CHECK(cdbmap_lookup(path, "k", 1, &v, 0) == 1);
  CHECK_SA(v, "new");
  CHECK(cdbmap_lookup(path, "dup", 3, &v, 0) == 0);
  {
    char p2[120];
    FILE *f;
    snprintf(p2, sizeof p2, "%s/u.cdb", dir);
    CHECK(cdbmap_write_begin(&w, p2, 0) == 1);
    CHECK(cdbmap_write_add(&w, "k", 1, "other", 5) == 1);
    CHECK(cdbmap_write_commit(&w) == 1);
    /* the same bytes copied over path in place (same inode) */
    CHECK(cdbmap_lookup(p2, "k", 1, &v, 0) == 1);
    CHECK_SA(v, "other");
    f = fopen(path, "r+");
    CHECK(f != 0);
    if (f) {
      FILE *g = fopen(p2, "r");
      char buf[4096];
      size_t n = g ? fread(buf, 1, sizeof buf, g) : 0;
      if (g) fclose(g);
      CHECK(n > 0 && fwrite(buf, 1, n, f) == n);
      CHECK(fflush(f) == 0 && ftruncate(fileno(f), (off_t)n) == 0);
      fclose(f);
    }
    CHECK(cdbmap_lookup(path, "k", 1, &v, 0) == 1);
    CHECK_SA(v, "other");
    /* more files than the cache holds, in turn */
    {
      int i, j;
      char pn[140];
      for (i = 0; i < 6; ++i) {
        char val[2] = { (char)('a' + i), 0 };
        snprintf(pn, sizeof pn, "%s/m%d.cdb", dir, i);
        CHECK(cdbmap_write_begin(&w, pn, 0) == 1);
        CHECK(cdbmap_write_add(&w, "k", 1, val, 1) == 1);
        CHECK(cdbmap_write_commit(&w) == 1);
      }
      for (j = 0; j < 3; ++j)
        for (i = 0; i < 6; ++i) {
          snprintf(pn, sizeof pn, "%s/m%d.cdb", dir, i);
          CHECK(cdbmap_lookup(pn, "k", 1, &v, 0) == 1 && v.len == 1 && v.s[0] == 'a' + i);
        }
      for (i = 0; i < 6; ++i) {
        snprintf(pn, sizeof pn, "%s/m%d.cdb", dir, i);
        unlink(pn);
      }
    }
    CHECK(unlink(p2) == 0);
    errno = 0;
    CHECK(cdbmap_lookup(p2, "k", 1, &v, 0) == -1 && errno == ENOENT);
    CHECK(cdbmap_lookup(p2, "k", 1, &v, 1) == 0);
  }
  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  CHECK(cdbmap_write_add(&w, "!example.org-", 13, "example.org\0" "89\0", 15) == 1);
  CHECK(cdbmap_write_commit(&w) == 1);
  CHECK(cdbmap_lookup(path, "!example.org-", 13, &v, 0) == 1);

  /* a truncated file is an error, not "not found" */
  CHECK(truncate(path, 100) == 0);
  CHECK(cdbmap_lookup(path, "!example.org-", 13, &v, 0) == -1);

  unlink(path);
  rmdir(dir);
  stralloc_free(&v);
  return check_done();
}
