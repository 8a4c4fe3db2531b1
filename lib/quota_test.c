/* lib/quota_test.c — format_maildirquota examples, stored-spec parsing,
 * maildirsize read / recompute / append / set, over-quota and percent. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "../tests/check.h"
#include "quota.h"

static stralloc out;

static int norm(const char *s)
{
  return quota_normalize(&out, s, strlen(s));
}

static void putsize(const char *path, size_t n)
{
  FILE *f = fopen(path, "w");
  CHECK(f != 0);
  if (!f) return;
  while (n--) fputc('x', f);
  fclose(f);
}

static void mk(const char *base, const char *rel)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", base, rel);
  CHECK(mkdir(p, 0750) == 0);
}

static void age(const char *path, long secs)
{
  struct timeval tv[2];
  gettimeofday(&tv[0], 0);
  tv[0].tv_sec -= secs;
  tv[1] = tv[0];
  CHECK(utimes(path, tv) == 0);
}

int main(void)
{
  char tmpl[] = "/tmp/quota_test.XXXXXX";
  char *top = mkdtemp(tmpl);
  char md[256], p[512], buf[8192];
  unsigned long long b, c;
  int over, pct, i;

  /* --- quota_normalize: the reference's examples --- */
  CHECK(norm("50M") == 1); CHECK_SA(out, "52428800S");
  CHECK(out.s[out.len] == '\0');
  CHECK(norm("10MB") == 1); CHECK_SA(out, "10485760S");
  CHECK(norm("1000KB") == 1); CHECK_SA(out, "1024000S");
  CHECK(norm("1048576") == 1); CHECK_SA(out, "1048576S");
  CHECK(norm("10M,1000C") == 1); CHECK_SA(out, "10485760S,1000C");
  CHECK(norm("1000C,10MBS") == 1); CHECK_SA(out, "10485760S,1000C");
  CHECK(norm("1mbs,1000C") == 1); CHECK_SA(out, "1048576S,1000C");
  CHECK(norm("1048576S,1000C") == 1); CHECK_SA(out, "1048576S,1000C");
  CHECK(norm("NOQUOTA") == 1); CHECK_SA(out, "NOQUOTA");
  CHECK(norm("0") == 1); CHECK_SA(out, "");
  CHECK(norm("0S,0C") == 1); CHECK_SA(out, "");
  CHECK(norm("") == 1); CHECK_SA(out, "");
  CHECK(norm("1.5M") == 1); CHECK_SA(out, "1048576S");   /* strtoll */
  CHECK(norm("100C") == 1); CHECK_SA(out, "100C");
  CHECK(norm("2k") == 1); CHECK_SA(out, "2048S");
  CHECK(norm("5S") == 1); CHECK_SA(out, "5S");
  CHECK(norm("1000c") == 1); CHECK_SA(out, "1000S");    /* lower c is not a count */
  CHECK(norm("1M,2M") == 1); CHECK_SA(out, "2097152S"); /* the last part wins */
  CHECK(norm("10M,,5C") == 1); CHECK_SA(out, "10485760S,5C");
  CHECK(norm("noquota") == 0 && errno == EINVAL);
  CHECK(norm("M") == 0);
  CHECK(norm("S") == 0);
  CHECK(norm("abcC") == 0);
  CHECK(norm("-5M") == 0);
  CHECK(norm("99999999999999999999") == 0);
  CHECK(norm("17592186044416M") == 0);                  /* 2^44 MB overflows */
  CHECK(quota_normalize(&out, "5\0M", 3) == 0);

  /* --- quota_parse --- */
  CHECK(quota_parse("NOQUOTA", 7, &b, &c) == 1 && b == 0 && c == 0);
  CHECK(quota_parse("", 0, &b, &c) == 1 && b == 0 && c == 0);
  CHECK(quota_parse("52428800S", 9, &b, &c) == 1 && b == 52428800ULL && c == 0);
  CHECK(quota_parse("100S,5C", 7, &b, &c) == 1 && b == 100 && c == 5);
  CHECK(quota_parse("5C", 2, &b, &c) == 1 && b == 0 && c == 5);
  CHECK(quota_parse("5C,100S", 7, &b, &c) == 1 && b == 100 && c == 5);
  CHECK(quota_parse("1048576", 7, &b, &c) == 1 && b == 1048576 && c == 0);
  CHECK(quota_parse("50M", 3, &b, &c) == 0 && errno == EINVAL && b == 0);
  CHECK(quota_parse("100S,", 5, &b, &c) == 0);
  CHECK(quota_parse(",100S", 5, &b, &c) == 0);
  CHECK(quota_parse("S", 1, &b, &c) == 0);
  CHECK(quota_parse("100X", 4, &b, &c) == 0);
  CHECK(quota_parse("99999999999999999999S", 21, &b, &c) == 0);
  CHECK(quota_has_limit("100S", 4) == 1);
  CHECK(quota_has_limit("NOQUOTA", 7) == 0);
  CHECK(quota_has_limit("0S", 2) == 0);
  CHECK(quota_has_limit("", 0) == 0);

  /* --- maildirsize --- */
  CHECK(top != 0);
  snprintf(md, sizeof md, "%s/Maildir", top);
  CHECK(mkdir(md, 0750) == 0);
  mk(md, "new"); mk(md, "cur"); mk(md, "tmp");
  mk(md, ".Sent"); mk(md, ".Sent/new"); mk(md, ".Sent/cur");
  mk(md, ".Trash"); mk(md, ".Trash/cur");
  snprintf(p, sizeof p, "%s/new/1.1.host,S=100", md); check_put(p, "");
  snprintf(p, sizeof p, "%s/cur/2.2.host,S=200:2,S", md); check_put(p, "");
  snprintf(p, sizeof p, "%s/cur/3.3.host:2,ST", md); putsize(p, 5000);  /* trashed */
  snprintf(p, sizeof p, "%s/cur/4.4.host:2,", md); putsize(p, 50);      /* stat size */
  snprintf(p, sizeof p, "%s/cur/.hidden", md); putsize(p, 999);
  snprintf(p, sizeof p, "%s/.Sent/cur/5.5.host,S=1000:2,S", md); check_put(p, "");
  snprintf(p, sizeof p, "%s/.Trash/cur/6.6.host,S=7000:2,S", md); check_put(p, "");
  /* usage = 100 + 200 + 50 + 1000 = 1350 bytes, 4 messages */

  /* no file, no spec: walk, write nothing */
  CHECK(quota_mds_read(md, 0, (uid_t)-1, (gid_t)-1, &b, &c) == 1);
  CHECK(b == 1350 && c == 4);
  snprintf(p, sizeof p, "%s/maildirsize", md);
  CHECK(access(p, F_OK) == -1);

  /* set: creates the file with spec + usage */
  CHECK(quota_mds_set(md, "10000S,10C", (uid_t)-1, (gid_t)-1) == 1);
  CHECK(check_slurp(p, buf, sizeof buf) > 0);
  CHECK(!strcmp(buf, "10000S,10C\n1350 4\n"));
  /* the temporary file is gone */
  {
    char t[512];
    snprintf(t, sizeof t, "%s/tmp", md);
    CHECK(rmdir(t) == 0 && mkdir(t, 0750) == 0);
  }
  /* add appends one delta line; read sums (file fresh, not recomputed) */
  CHECK(quota_mds_add(md, 500, 1) == 1);
  CHECK(quota_mds_add(md, -100, -1) == 1);
  CHECK(check_slurp(p, buf, sizeof buf) > 0);
  CHECK(!strcmp(buf, "10000S,10C\n1350 4\n500 1\n-100 -1\n"));
  CHECK(quota_mds_read(md, "10000S,10C", (uid_t)-1, (gid_t)-1, &b, &c) == 1);
  CHECK(b == 1750 && c == 4);
  CHECK(quota_mds_read(md, 0, (uid_t)-1, (gid_t)-1, &b, &c) == 1);
  CHECK(b == 1750 && c == 4);
  /* the same limits spelt differently do not force a recompute */
  CHECK(quota_mds_read(md, "10C,10000S", (uid_t)-1, (gid_t)-1, &b, &c) == 1);
  CHECK(b == 1750 && c == 4);

  /* check: 1750 + 8250 = 10000 is not over; + 8251 is */
  CHECK(quota_check(md, "10000S,10C", (uid_t)-1, (gid_t)-1, 8250, &over) == 1 && over == 0);
  CHECK(quota_check(md, "10000S,10C", (uid_t)-1, (gid_t)-1, 8251, &over) == 1 && over == 1);
  CHECK(quota_check(md, 0, (uid_t)-1, (gid_t)-1, 8251, &over) == 1 && over == 1);
  CHECK(quota_percent(md, "10000S,10C", (uid_t)-1, (gid_t)-1, &pct) == 1 && pct == 40);  /* 4 of 10 messages */
  /* a different spec than the file's forces a recompute with the new spec */
  CHECK(quota_check(md, "2000S,4C", (uid_t)-1, (gid_t)-1, 1, &over) == 1 && over == 1);
  CHECK(check_slurp(p, buf, sizeof buf) > 0);
  CHECK(!strcmp(buf, "2000S,4C\n1350 4\n"));
  CHECK(quota_percent(md, "2000S,4C", (uid_t)-1, (gid_t)-1, &pct) == 1 && pct == 100);
  CHECK(quota_percent(md, "2000S", (uid_t)-1, (gid_t)-1, &pct) == 1 && pct == 67);
  CHECK(quota_check(md, "NOQUOTA", (uid_t)-1, (gid_t)-1, 1ULL << 40, &over) == 1 && over == 0);
  CHECK(quota_percent(md, "NOQUOTA", (uid_t)-1, (gid_t)-1, &pct) == 1 && pct == 0);
  CHECK(quota_check(md, "junk", (uid_t)-1, (gid_t)-1, 1, &over) == -1 && over == 1);

  /* stale file (> 15 minutes) is recomputed */
  CHECK(quota_mds_set(md, "10000S", (uid_t)-1, (gid_t)-1) == 1);
  CHECK(quota_mds_add(md, 3000, 3) == 1);
  CHECK(quota_mds_read(md, "10000S", (uid_t)-1, (gid_t)-1, &b, &c) == 1 && b == 4350 && c == 7);
  age(p, 16 * 60);
  CHECK(quota_mds_read(md, "10000S", (uid_t)-1, (gid_t)-1, &b, &c) == 1 && b == 1350 && c == 4);
  CHECK(check_slurp(p, buf, sizeof buf) > 0 && !strcmp(buf, "10000S\n1350 4\n"));
  /* a file of >= 5120 bytes is recomputed */
  for (i = 0; i < 1300; ++i) CHECK(quota_mds_add(md, 1, 0) == 1);
  CHECK(quota_mds_read(md, "10000S", (uid_t)-1, (gid_t)-1, &b, &c) == 1 && b == 1350 && c == 4);
  CHECK(check_slurp(p, buf, sizeof buf) > 0 && !strcmp(buf, "10000S\n1350 4\n"));
  /* garbage is recomputed; spec NULL keeps the old first line */
  check_put(p, "10000S\nnot a number\n");
  CHECK(quota_mds_read(md, 0, (uid_t)-1, (gid_t)-1, &b, &c) == 1 && b == 1350 && c == 4);
  CHECK(check_slurp(p, buf, sizeof buf) > 0 && !strcmp(buf, "10000S\n1350 4\n"));
  /* negative sums read as zero */
  check_put(p, "10000S\n-99999 -10\n");
  CHECK(quota_mds_read(md, "10000S", (uid_t)-1, (gid_t)-1, &b, &c) == 1 && b == 0 && c == 0);

  /* set NOQUOTA / "" removes the file; add then does nothing */
  CHECK(quota_mds_set(md, "NOQUOTA", (uid_t)-1, (gid_t)-1) == 1);
  CHECK(access(p, F_OK) == -1);
  CHECK(quota_mds_add(md, 10, 1) == 0);
  CHECK(access(p, F_OK) == -1);
  CHECK(quota_mds_set(md, "", (uid_t)-1, (gid_t)-1) == 1);
  CHECK(quota_mds_set(md, "50M", (uid_t)-1, (gid_t)-1) == 0);
  /* spec NULL and no file: no limit, nothing written, no walk needed */
  CHECK(quota_check(md, 0, (uid_t)-1, (gid_t)-1, 1ULL << 40, &over) == 1 && over == 0);
  CHECK(access(p, F_OK) == -1);

  /* a subfolder with maildirfolder uses the parent's maildirsize */
  CHECK(quota_mds_set(md, "10000S", (uid_t)-1, (gid_t)-1) == 1);
  snprintf(p, sizeof p, "%s/.Sent/maildirfolder", md); check_put(p, "");
  snprintf(p, sizeof p, "%s/.Sent/", md);
  CHECK(quota_mds_add(p, 7, 1) == 1);
  snprintf(p, sizeof p, "%s/maildirsize", md);
  CHECK(check_slurp(p, buf, sizeof buf) > 0 && !strcmp(buf, "10000S\n1350 4\n7 1\n"));

  /* I/O errors are errors, never "under quota" */
  if (geteuid() != 0) {
    CHECK(chmod(p, 0) == 0);
    over = 0;
    CHECK(quota_check(md, "10000S", (uid_t)-1, (gid_t)-1, 1, &over) == -1 && over == 1);
    CHECK(quota_mds_add(md, 1, 1) == -1 && errno == EACCES);
    CHECK(chmod(p, 0600) == 0);
    age(p, 16 * 60);
    snprintf(buf, sizeof buf, "%s/cur", md);
    CHECK(chmod(buf, 0) == 0);
    CHECK(quota_mds_read(md, "10000S", (uid_t)-1, (gid_t)-1, &b, &c) == -1);
    CHECK(chmod(buf, 0750) == 0);
  }
  snprintf(buf, sizeof buf, "%s/nonexistent", top);
  CHECK(quota_mds_read(buf, 0, (uid_t)-1, (gid_t)-1, &b, &c) == -1 && errno == ENOENT);

  snprintf(buf, sizeof buf, "rm -rf '%s'", top);
  CHECK(system(buf) == 0);
  stralloc_free(&out);
  return check_done();
}
