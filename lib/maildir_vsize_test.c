/* lib/maildir_vsize_test.c — unit tests for maildir's ",W=" support:
 * maildir_vsize_* (the CRLF size) and maildir_tmp_commit_w's name. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tests/check.h"
#include "maildir.h"

static long long vs(const char *s, size_t step)
{
  struct maildir_vsize v = {0, 0, 0};
  size_t n = strlen(s), i;
  for (i = 0; i < n; i += step)
    maildir_vsize_feed(&v, s + i, n - i < step ? n - i : step);
  CHECK(v.bytes == n);
  return maildir_vsize_get(&v);
}

int main(void)
{
  size_t step;
  char tmpl[] = "/tmp/qv-vsize-XXXXXX", name[512];
  struct maildir_tmp t = {0};
  stralloc np = {0};
  DIR *d;
  struct dirent *e;
  int found = 0;

  for (step = 1; step < 8; ++step) {
    CHECK(vs("", step) == 0);
    CHECK(vs("a\n", step) == 3);
    CHECK(vs("a\r\n", step) == 3);
    CHECK(vs("\n\n", step) == 4);
    CHECK(vs("H: x\r\n\nbody\n", step) == 14);
    CHECK(vs("a\r\r\n", step) == 4);
    CHECK(vs("no end", step) == -1);
    CHECK(vs("ends in cr\r", step) == -1);
  }

  CHECK(mkdtemp(tmpl) != 0);
  CHECK(maildir_make(tmpl, (uid_t)-1, (gid_t)-1) == 1);
  CHECK(maildir_tmp_open(&t, tmpl) == 1);
  CHECK(write(t.fd, "a\nb\n", 4) == 4);
  CHECK(maildir_tmp_commit_w(&t, 4, 6, &np) == 1);
  CHECK(np.len > 8 && !memcmp(np.s + np.len - 8, ",S=4,W=6", 8));
  CHECK(maildir_tmp_open(&t, tmpl) == 1);
  CHECK(write(t.fd, "x", 1) == 1);
  CHECK(maildir_tmp_commit_w(&t, 1, -1, &np) == 1);
  CHECK(np.len > 4 && !memcmp(np.s + np.len - 4, ",S=1", 4));
  snprintf(name, sizeof name, "%s/new", tmpl);
  d = opendir(name);
  CHECK(d != 0);
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    ++found;
    snprintf(name, sizeof name, "%s/new/%s", tmpl, e->d_name);
    unlink(name);
  }
  if (d) closedir(d);
  CHECK(found == 2);
  snprintf(name, sizeof name, "%s/new", tmpl); rmdir(name);
  snprintf(name, sizeof name, "%s/cur", tmpl); rmdir(name);
  snprintf(name, sizeof name, "%s/tmp", tmpl); rmdir(name);
  rmdir(tmpl);
  stralloc_free(&np);
  return check_done();
}
