/* lib/maildir_test.c — delivery into a scratch Maildir (nothing partial
 * in new/, unique names, sizes in names, modes), abort, info-part
 * helpers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "maildir.h"
#include "sa.h"

static int count_dir(const char *md, const char *sub)
{
  stralloc p = {0};
  DIR *d;
  struct dirent *e;
  int n = 0;
  stralloc_copys(&p, md);
  stralloc_cats(&p, sub);
  sa_cstr(&p);
  d = opendir(p.s);
  stralloc_free(&p);
  if (!d) return -1;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

static void delivery(const char *root)
{
  stralloc md = {0}, np = {0}, np2 = {0};
  struct maildir_tmp t = {0}, t2 = {0};
  struct stat st;
  const char *msg = "Subject: hi\n\nbody\n";
  char buf[64];
  int fd;
  ssize_t n;

  stralloc_copys(&md, root);
  stralloc_cats(&md, "/Maildir");
  sa_cstr(&md);
  CHECK(maildir_make(md.s, (uid_t)-1, (gid_t)-1) == 1);
  CHECK(maildir_make(md.s, getuid(), getgid()) == 1);   /* idempotent */
  CHECK(stat(md.s, &st) == 0 && (st.st_mode & 07777) == 0750);
  CHECK(count_dir(md.s, "/new") == 0 && count_dir(md.s, "/cur") == 0 && count_dir(md.s, "/tmp") == 0);

  CHECK(maildir_tmp_open(&t, md.s) == 1);
  CHECK(t.fd >= 0);
  CHECK(write(t.fd, msg, strlen(msg)) == (ssize_t)strlen(msg));
  /* While being written the message is only in tmp/. */
  CHECK(count_dir(md.s, "/tmp") == 1 && count_dir(md.s, "/new") == 0);
  CHECK(fstat(t.fd, &st) == 0 && (st.st_mode & 07777) == 0600);
  CHECK(maildir_tmp_open(&t2, md.s) == 1);   /* a second one at once */
  CHECK(strcmp(t.name.s, t2.name.s) != 0);
  maildir_tmp_abort(&t2);
  maildir_tmp_abort(&t2);                      /* twice is harmless */
  CHECK(count_dir(md.s, "/tmp") == 1);

  CHECK(maildir_tmp_commit(&t, strlen(msg), &np) == 1);
  CHECK(t.fd == -1);
  CHECK(count_dir(md.s, "/tmp") == 0 && count_dir(md.s, "/new") == 1);
  CHECK(np.len > 4 && np.s[np.len] == '\0');
  CHECK(np.len > 5 && !memcmp(np.s + np.len - 5, ",S=18", 5));
  CHECK(np.len > md.len + 5 && !memcmp(np.s, md.s, md.len) && !memcmp(np.s + md.len, "/new/", 5));
  fd = open(np.s, O_RDONLY);
  CHECK(fd >= 0);
  n = read(fd, buf, sizeof buf);
  CHECK(n == (ssize_t)strlen(msg) && !memcmp(buf, msg, n));
  close(fd);
  CHECK(stat(np.s, &st) == 0 && (st.st_mode & 07777) == 0600);

  /* Name shape: <sec>.M<usec>P<pid>Q<n>.<host> */
  {
    const char *b = strrchr(np.s, '/') + 1;
    CHECK(strstr(b, ".M") && strstr(b, "P") && strstr(b, "Q") && !strchr(b, ':'));
  }

  /* Second delivery in the same process gets another name. */
  CHECK(maildir_tmp_open(&t, md.s) == 1);
  CHECK(write(t.fd, "x", 1) == 1);
  CHECK(maildir_tmp_commit(&t, 1, &np2) == 1);
  CHECK(np2.len && strcmp(np.s, np2.s) != 0);
  CHECK(count_dir(md.s, "/new") == 2);

  /* Aborted delivery leaves nothing. */
  CHECK(maildir_tmp_open(&t, md.s) == 1);
  CHECK(write(t.fd, "partial", 7) == 7);
  maildir_tmp_abort(&t);
  CHECK(count_dir(md.s, "/tmp") == 0 && count_dir(md.s, "/new") == 2);

  /* A zero-initialised struct owns nothing: abort and commit leave
   * fd 0 alone. */
  {
    struct maildir_tmp z = {0};
    maildir_tmp_abort(&z);
    CHECK(fcntl(0, F_GETFD) != -1 || errno != EBADF);
    CHECK(maildir_tmp_commit(&z, 0, 0) == -1);
  }
  /* Commit without an open file fails and leaves nothing. */
  CHECK(maildir_tmp_commit(&t, 0, 0) == -1);
  CHECK(count_dir(md.s, "/new") == 2);

  /* Open into a Maildir without tmp/ fails. */
  {
    stralloc bad = {0};
    stralloc_copys(&bad, root);
    stralloc_cats(&bad, "/nosuch");
    sa_cstr(&bad);
    CHECK(maildir_tmp_open(&t, bad.s) == -1);
    CHECK(t.fd == -1);
    stralloc_free(&bad);
  }

  /* Unique names differ even back to back. */
  {
    stralloc a = {0}, b = {0};
    CHECK(maildir_uniq(&a) == 1 && maildir_uniq(&b) == 1);
    CHECK(a.len != b.len || memcmp(a.s, b.s, a.len));
    stralloc_free(&a);
    stralloc_free(&b);
  }
  stralloc_free(&md);
  stralloc_free(&np);
  stralloc_free(&np2);
}

static void info(void)
{
  stralloc nn = {0};
  const char *f;
  size_t fl;
  const char *a = "1700000000.M1P2Q3.host,S=42:2,SR";
  const char *b = "1700000000.M1P2Q3.host,S=42";

  CHECK(maildir_flags(a, strlen(a), &f, &fl) == 1);
  CHECK_STR(f, fl, "SR");
  CHECK(maildir_flags(b, strlen(b), &f, &fl) == 0 && fl == 0);
  CHECK(maildir_flags("x:1,foo", 7, &f, &fl) == 0);
  CHECK(maildir_flags("x:2,", 4, &f, &fl) == 1 && fl == 0);
  CHECK(maildir_has_flag(a, strlen(a), 'S') == 1);
  CHECK(maildir_has_flag(a, strlen(a), 'T') == 0);
  CHECK(maildir_has_flag(b, strlen(b), 'S') == 0);

  CHECK(maildir_set_flags(&nn, a, strlen(a), "TSSRF", 5) == 1);
  CHECK_SA(nn, "1700000000.M1P2Q3.host,S=42:2,FRST");
  CHECK(nn.s[nn.len] == '\0');
  CHECK(maildir_set_flags(&nn, b, strlen(b), "", 0) == 1);
  CHECK_SA(nn, "1700000000.M1P2Q3.host,S=42:2,");
  CHECK(maildir_set_flags(&nn, b, strlen(b), "S:/ \nD", 6) == 1);
  CHECK_SA(nn, "1700000000.M1P2Q3.host,S=42:2,DS");

  CHECK(maildir_uidl(a, strlen(a)) == strlen(b));
  CHECK(maildir_uidl(b, strlen(b)) == strlen(b));
  CHECK(maildir_uidl("", 0) == 0);
  stralloc_free(&nn);
}

int main(void)
{
  char tmpl[] = "/tmp/maildir_testXXXXXX";
  char *root = mkdtemp(tmpl);
  CHECK(root != 0);
  if (root) {
    delivery(root);
    {
      stralloc cmd = {0};
      stralloc_copys(&cmd, "rm -rf ");
      stralloc_cats(&cmd, root);
      sa_cstr(&cmd);
      CHECK(system(cmd.s) == 0);
      stralloc_free(&cmd);
    }
  }
  info();
  return check_done();
}
