/* lib/dirhash_test.c — vpopmail's bucket placement, the 8-line file
 * format, parse validation, allocation and release with the free list. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "dirhash.h"

static int isdir(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750;
}

/* The bucket of item #n counted from a fresh record. */
static const char *bucket_of(unsigned long n)
{
  static struct dirhash d;
  static unsigned long at;
  if (n < at || at == 0) { dirhash_init(&d); at = 0; }
  while (at < n) { dirhash_next(&d); ++at; }
  return d.the_dir;
}

int main(void)
{
  struct dirhash d, e;
  stralloc out = {0}, b = {0};
  char tmpl[] = "/tmp/dirhash_test.XXXXXX";
  char *top = mkdtemp(tmpl);
  char ctl[256], fre[256], p[512], buf[1024];
  unsigned long n;
  int ok;

  /* placement, as vpopmail places items */
  CHECK(!strcmp(bucket_of(1), ""));
  CHECK(!strcmp(bucket_of(99), ""));
  CHECK(!strcmp(bucket_of(100), "0"));
  CHECK(!strcmp(bucket_of(199), "0"));
  CHECK(!strcmp(bucket_of(200), "1"));
  CHECK(!strcmp(bucket_of(1000), "9"));
  CHECK(!strcmp(bucket_of(1100), "A"));
  CHECK(!strcmp(bucket_of(3700), "a"));
  CHECK(!strcmp(bucket_of(6200), "z"));
  CHECK(!strcmp(bucket_of(6299), "z"));
  CHECK(!strcmp(bucket_of(6300), "0/0"));
  CHECK(!strcmp(bucket_of(6400), "0/1"));
  CHECK(!strcmp(bucket_of(6300 + 61 * 100), "0/z"));
  CHECK(!strcmp(bucket_of(6300 + 62 * 100), "1/0"));
  CHECK(!strcmp(bucket_of(6300 + 63 * 100), "1/1"));
  CHECK(!strcmp(bucket_of(6300 + 124 * 100), "2/0"));
  CHECK(!strcmp(bucket_of(6300 + (62 * 62 - 1) * 100UL), "z/z"));
  CHECK(!strcmp(bucket_of(6300 + 62 * 62 * 100UL), "0/0/0"));
  CHECK(!strcmp(bucket_of(6300 + 62 * 62 * 100UL + 100), "0/0/1"));
  CHECK(!strcmp(bucket_of(6300 + 62 * 62 * 100UL + 6200), "0/1/0"));
  /* every state on the way formats and parses back to itself */
  dirhash_init(&d);
  ok = 1;
  for (n = 1; n <= 6300 + 62 * 62 * 100UL + 20000; ++n) {
    dirhash_next(&d);
    if (n % 100) continue;
    if (!dirhash_format(&out, &d) || dirhash_parse(&e, out.s, out.len) != 1 ||
        memcmp(&d, &e, sizeof d)) { ok = 0; break; }
  }
  CHECK(ok);

  /* byte-exact file images */
  dirhash_init(&d);
  CHECK(dirhash_format(&out, &d) == 1);
  CHECK_SA(out, "0\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  for (n = 0; n < 100; ++n) dirhash_next(&d);
  CHECK(dirhash_format(&out, &d) == 1);
  CHECK_SA(out, "100\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0\n");
  for (n = 0; n < 100; ++n) dirhash_next(&d);
  CHECK(dirhash_format(&out, &d) == 1);
  CHECK_SA(out, "200\n0\n3\n0 0 0\n61 61 61\n0 2 4\n1 0 0\n1\n");
  for (n = 200; n < 6300; ++n) dirhash_next(&d);
  CHECK(dirhash_format(&out, &d) == 1);
  CHECK_SA(out, "6300\n1\n3\n0 0 0\n61 61 61\n0 2 4\n0 1 0\n0/0\n");
  /* a state read from a file continues like the original */
  CHECK(dirhash_parse(&e, out.s, out.len) == 1);
  dirhash_next(&e);
  CHECK(e.cur_users == 6301 && !strcmp(e.the_dir, "0/0"));

  /* parse: tolerant of a missing last newline, CRLF, tabs */
  { const char *s = "5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n";
    CHECK(dirhash_parse(&d, s, strlen(s)) == 1); }
  CHECK(d.cur_users == 5 && d.the_dir[0] == '\0');
  { const char *s = "250\r\n0\r\n3\r\n0\t0 0\r\n61 61 61\r\n0 2 4\r\n2 0 0\r\n2";
    CHECK(dirhash_parse(&d, s, strlen(s)) == 1); }
  CHECK(d.cur_users == 250 && !strcmp(d.the_dir, "2") && d.level_index[0] == 2);
  /* parse: rejects what could misplace a directory or index out of range */
#define BAD(s) CHECK(dirhash_parse(&d, s, strlen(s)) == 0 && errno == EINVAL)
  BAD("");
  BAD("x\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  BAD("1\n0\n3\n0 0 0\n61 61 62\n0 2 4\n0 0 0\n\n");      /* end > 61 */
  BAD("1\n0\n3\n5 0 0\n4 61 61\n0 2 4\n0 0 0\n\n");       /* start > end */
  BAD("1\n0\n3\n0 0 0\n61 61 61\n0 2 40\n0 0 0\n\n");     /* mod */
  BAD("1\n3\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");      /* level_cur */
  BAD("1\n0\n3\n0 0\n61 61 61\n0 2 4\n0 0 0\n\n");        /* short triple */
  BAD("1\n0\n3\n0 0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");    /* long triple */
  BAD("1\n0\n3\n-1 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  BAD("1\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n../x\n");
  BAD("1\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0//\n");
  BAD("1\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0/0\n");   /* 2 levels at level 0 */
  BAD("1\n1\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");      /* level 1, empty dir */
  BAD("1\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0/0/0/0\n");
  BAD("99999999999999999999999\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  BAD("18446744073709551616\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  /* vpopmail's decrement of 0 users leaves ULONG_MAX; it must still read */
  { const char *s = "18446744073709551615\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n";
    CHECK(dirhash_parse(&d, s, strlen(s)) == 1 && d.cur_users == 18446744073709551615UL);
    dirhash_next(&d);
    CHECK(d.cur_users == 0 && !strcmp(d.the_dir, "0")); }
  CHECK(dirhash_bucket_ok("", 0) && dirhash_bucket_ok("a/Z/9", 5));
  CHECK(!dirhash_bucket_ok("ab", 2) && !dirhash_bucket_ok("/", 1) &&
        !dirhash_bucket_ok(".", 1) && !dirhash_bucket_ok("a/", 2));

  /* files */
  CHECK(top != 0);
  snprintf(ctl, sizeof ctl, "%s/.dir-control", top);
  snprintf(fre, sizeof fre, "%s/.dir_control_free", top);
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 0 && d.level_end[2] == 61);
  CHECK(dirhash_alloc(top, ctl, fre, (uid_t)-1, (gid_t)-1, &b) == 1);
  CHECK_SA(b, "");
  CHECK(b.s[b.len] == '\0');
  CHECK(check_slurp(ctl, buf, sizeof buf) > 0);
  CHECK(!strcmp(buf, "1\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n"));
  check_put(ctl, "99\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n");
  CHECK(dirhash_alloc(top, ctl, fre, getuid(), getgid(), &b) == 1);
  CHECK_SA(b, "0");
  snprintf(p, sizeof p, "%s/0", top);
  CHECK(isdir(p));
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 100);
  /* release: decrement, bucket onto the free list */
  CHECK(dirhash_release(ctl, fre, "0", 1) == 1);
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 99 && !strcmp(d.the_dir, "0"));
  CHECK(check_slurp(fre, buf, sizeof buf) > 0 && !strcmp(buf, "0\n"));
  CHECK(dirhash_release(ctl, fre, "", 0) == 1);      /* parent: nothing listed */
  CHECK(check_slurp(fre, buf, sizeof buf) > 0 && !strcmp(buf, "0\n"));
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 98);
  CHECK(dirhash_release(ctl, fre, "../x", 4) == -1 && errno == EINVAL);
  /* alloc takes the free bucket (comments kept, junk dropped) */
  check_put(fre, "# freed buckets\n\nbad/\nA\n7\n");
  CHECK(dirhash_alloc(top, ctl, fre, (uid_t)-1, (gid_t)-1, &b) == 1);
  CHECK_SA(b, "A");
  snprintf(p, sizeof p, "%s/A", top);
  CHECK(isdir(p));
  CHECK(check_slurp(fre, buf, sizeof buf) > 0 && !strcmp(buf, "# freed buckets\n7\n"));
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 99 && !strcmp(d.the_dir, "0"));
  CHECK(dirhash_alloc(top, ctl, fre, (uid_t)-1, (gid_t)-1, &b) == 1);
  CHECK_SA(b, "7");
  CHECK(check_slurp(fre, buf, sizeof buf) > 0 && !strcmp(buf, "# freed buckets\n"));
  /* free list used up: the state advances (count 101, still "0") */
  CHECK(dirhash_alloc(top, ctl, fre, (uid_t)-1, (gid_t)-1, &b) == 1);
  CHECK_SA(b, "0");
  CHECK(dirhash_read(ctl, &d) == 1 && d.cur_users == 101);
  /* domains: no free list; nested levels are created */
  check_put(ctl, "6299\n0\n3\n0 0 0\n61 61 61\n0 2 4\n61 0 0\nz\n");
  CHECK(dirhash_alloc(top, ctl, 0, (uid_t)-1, (gid_t)-1, &b) == 1);
  CHECK_SA(b, "0/0");
  snprintf(p, sizeof p, "%s/0/0", top);
  CHECK(isdir(p));
  CHECK(check_slurp(ctl, buf, sizeof buf) > 0);
  CHECK(!strcmp(buf, "6300\n1\n3\n0 0 0\n61 61 61\n0 2 4\n0 1 0\n0/0\n"));
  /* a malformed record is an error, and is left alone */
  check_put(ctl, "garbage\n");
  CHECK(dirhash_alloc(top, ctl, fre, (uid_t)-1, (gid_t)-1, &b) == -1 && errno == EINVAL);
  CHECK(check_slurp(ctl, buf, sizeof buf) > 0 && !strcmp(buf, "garbage\n"));
  CHECK(dirhash_read(ctl, &d) == -1 && errno == EINVAL);
  /* release without a record leaves it missing */
  unlink(ctl);
  CHECK(dirhash_release(ctl, fre, "5", 1) == 1);
  CHECK(access(ctl, F_OK) == -1);
  CHECK(check_slurp(fre, buf, sizeof buf) > 0 && !strcmp(buf, "# freed buckets\n5\n"));

  snprintf(buf, sizeof buf, "rm -rf '%s'", top);
  CHECK(system(buf) == 0);
  stralloc_free(&out);
  stralloc_free(&b);
  return check_done();
}
