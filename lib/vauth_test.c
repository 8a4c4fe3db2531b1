/* lib/vauth_test.c — the cdb user-store backend on a scratch domain. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include "stralloc.h"
#include "atomicfile.h"
#include "assign.h"
#include "sa.h"
#include "paths.h"
#include "verror.h"
#include "vauth.h"
#include "../tests/check.h"

static struct vdomain dom;

/* pw must hold a record (vpw_init'ed at least): it is freed and refilled */
static void mkpw(struct vqpasswd *pw, const char *name, const char *hash)
{
  vpw_free(pw);
  stralloc_copys(&pw->name, name);
  stralloc_copys(&pw->passwd, hash);
  pw->uid = 1;
  stralloc_copys(&pw->gecos, name);
  stralloc_copy(&pw->dir, &dom.dir);
  stralloc_append(&pw->dir, "/");
  stralloc_cats(&pw->dir, name);
  stralloc_copys(&pw->quota, "NOQUOTA");
}

static int count_cb(const struct vqpasswd *pw, void *arg)
{
  stralloc *names = arg;
  stralloc_catb(names, pw->name.s, pw->name.len);
  stralloc_append(names, ",");
  return 0;
}

static int stop_cb(const struct vqpasswd *pw, void *arg) { return 7; }

int main(void)
{
  char tmpl[] = "/tmp/vauth_testXXXXXX";
  char *root = mkdtemp(tmpl);
  struct vqpasswd pw, got;
  stralloc path = {0}, text = {0}, ip = {0}, names = {0};
  unsigned long when;
  struct stat st;

  CHECK(root != 0);
  if (!root) return check_done();
  setenv("QMAILDIR", root, 1);
  setenv("VPOPMAILDIR", root, 1);
  stralloc_copys(&dom.name, "ex.com"); sa_cstr(&dom.name);
  stralloc_copys(&dom.real, "ex.com"); sa_cstr(&dom.real);
  stralloc_copys(&dom.dir, root); sa_cstr(&dom.dir);
  dom.uid = getuid(); dom.gid = getgid();

  CHECK(vauth_open() == 0);
  CHECK(!strcmp(vauth_backend(), "cdb"));
  vpw_init(&got);
  vpw_init(&pw);

  /* no cdb yet: temporary error, not "not found" */
  errno = 0;
  CHECK(vauth_getpw(&got, "bob", &dom) == -1 && errno == ENOENT);
  CHECK(vauth_adddomain(&dom) == 0);
  CHECK(vauth_getpw(&got, "bob", &dom) == 0);

  mkpw(&pw, "bob", "$1$abcdefgh$xyz");
  CHECK(vauth_adduser(&pw, &dom) == 0);
  CHECK(vauth_adduser(&pw, &dom) == VA_USERNAME_EXISTS);
  mkpw(&pw, "alice", "aaXXXXXXXXXXX");
  CHECK(vauth_adduser(&pw, &dom) == 0);
  mkpw(&pw, "carol", "$6$x$y");
  pw.has_clear = 1; stralloc_copys(&pw.clear, "secret");
  CHECK(vauth_adduser(&pw, &dom) == 0);
  mkpw(&pw, "bobby", "h");
  CHECK(vauth_adduser(&pw, &dom) == 0);
  mkpw(&pw, "vpasswd", "h");
  CHECK(vauth_adduser(&pw, &dom) == VA_ILLEGAL_USERNAME);
  mkpw(&pw, "a:b", "h");
  CHECK(vauth_adduser(&pw, &dom) == VA_ILLEGAL_USERNAME);

  paths_join(&path, root, "vpasswd");
  CHECK(af_readfile(&text, path.s) == 1);
  {
    stralloc want = {0};
    stralloc_copys(&want, "alice:aaXXXXXXXXXXX:1:0:alice:"); stralloc_cats(&want, root);
    stralloc_cats(&want, "/alice:NOQUOTA\nbob:$1$abcdefgh$xyz:1:0:bob:"); stralloc_cats(&want, root);
    stralloc_cats(&want, "/bob:NOQUOTA\nbobby:h:1:0:bobby:"); stralloc_cats(&want, root);
    stralloc_cats(&want, "/bobby:NOQUOTA\ncarol:$6$x$y:1:0:carol:"); stralloc_cats(&want, root);
    stralloc_cats(&want, "/carol:NOQUOTA:secret\n");
    CHECK(text.len == want.len && !memcmp(text.s, want.s, want.len));
    stralloc_free(&want);
  }
  CHECK(stat(path.s, &st) == 0 && (st.st_mode & 0777) == 0600);
  paths_join(&path, root, "vpasswd.cdb");
  CHECK(stat(path.s, &st) == 0 && (st.st_mode & 0777) == 0600);
  paths_join(&path, root, ".vpasswd.lock");
  CHECK(stat(path.s, &st) == 0);

  CHECK(vauth_getpw(&got, "carol", &dom) == 1);
  CHECK_SA(got.passwd, "$6$x$y");
  CHECK(got.has_clear == 1);
  CHECK_SA(got.clear, "secret");
  CHECK(vauth_getpw(&got, "nobody", &dom) == 0);

  /* setpw replaces the whole record */
  got.gid = 0x802;
  stralloc_copys(&got.quota, "52428800S");
  CHECK(vauth_setpw(&got, &dom) == 0);
  CHECK(vauth_getpw(&got, "carol", &dom) == 1);
  CHECK(got.gid == 0x802);
  CHECK_SA(got.quota, "52428800S");
  mkpw(&pw, "zed", "h");
  CHECK(vauth_setpw(&pw, &dom) == VA_USER_DOES_NOT_EXIST);

  /* listing in file order */
  CHECK(vauth_listusers(&dom, count_cb, &names) == 0);
  CHECK_SA(names, "alice,bob,bobby,carol,");
  CHECK(vauth_listusers(&dom, stop_cb, 0) == 7);

  CHECK(vauth_deluser("bob", &dom) == 0);
  CHECK(vauth_deluser("bob", &dom) == VA_USER_DOES_NOT_EXIST);
  CHECK(vauth_getpw(&got, "bob", &dom) == 0);
  CHECK(vauth_getpw(&got, "bobby", &dom) == 1);
  names.len = 0;
  CHECK(vauth_listusers(&dom, count_cb, &names) == 0);
  CHECK_SA(names, "alice,bobby,carol,");

  /* hand edit + vmkpasswd rebuild; a missing cdb is an error until then */
  paths_join(&path, root, "vpasswd");
  {
    int fd = open(path.s, O_WRONLY | O_APPEND);
    const char *l = "hand:hh:1:0:hand:/x/hand:NOQUOTA";   /* no final newline */
    CHECK(fd >= 0 && write(fd, l, strlen(l)) == (ssize_t)strlen(l));
    close(fd);
  }
  CHECK(vauth_getpw(&got, "hand", &dom) == 0);
  paths_join(&path, root, "vpasswd.cdb");
  unlink(path.s);
  CHECK(vauth_getpw(&got, "alice", &dom) == -1);
  CHECK(vauth_rebuild(&dom) == 0);
  CHECK(vauth_getpw(&got, "hand", &dom) == 1);
  CHECK_SA(got.dir, "/x/hand");
  mkpw(&pw, "zz", "h");              /* append after a line without newline */
  CHECK(vauth_adduser(&pw, &dom) == 0);
  names.len = 0;
  CHECK(vauth_listusers(&dom, count_cb, &names) == 0);
  CHECK_SA(names, "alice,bobby,carol,hand,zz,");
  /* an unsorted (hand-edited) file: insert before the first greater name,
   * not after the last line */
  paths_join(&path, root, "vpasswd");
  {
    int fd = open(path.s, O_WRONLY | O_APPEND);
    const char *l = "aaa:hh:1:0:aaa:/x/aaa:NOQUOTA\n";
    CHECK(fd >= 0 && write(fd, l, strlen(l)) == (ssize_t)strlen(l));
    close(fd);
  }
  mkpw(&pw, "bo", "h");
  CHECK(vauth_adduser(&pw, &dom) == 0);
  names.len = 0;
  CHECK(vauth_listusers(&dom, count_cb, &names) == 0);
  CHECK_SA(names, "alice,bo,bobby,carol,hand,zz,aaa,");
  mkpw(&pw, "aaa", "h");
  CHECK(vauth_adduser(&pw, &dom) == VA_USERNAME_EXISTS);

  /* lastauth */
  CHECK(vauth_getpw(&got, "alice", &dom) == 1);
  mkdir(got.dir.s ? (sa_cstr(&got.dir), got.dir.s) : "", 0750);
  CHECK(vauth_getlastauth(&got, &dom, &ip, &when) == 0 && when == 0 && ip.len == 0);
  CHECK(vauth_setlastauth(&got, &dom, "192.0.2.7", 1700000000UL) == 0);
  CHECK(vauth_getlastauth(&got, &dom, &ip, &when) == 1);
  CHECK_SA(ip, "192.0.2.7");
  CHECK(when == 1700000000UL);

  /* wrong uid: writes refused */
  if (getuid() != 0) {
    dom.uid = getuid() + 1;
    mkpw(&pw, "qq", "h");
    CHECK(vauth_adduser(&pw, &dom) == VA_BAD_UID);
    dom.uid = getuid();
  }

  /* unknown backend */
  vauth_use(0);
  paths_join(&path, root, "control");
  mkdir(path.s, 0755);
  paths_join(&path, root, "control/vauthbackend");
  {
    int fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "mysql\n", 6) == 6);
    close(fd);
  }
  errno = 0;
  CHECK(vauth_open() == -1 && errno == EPROTONOSUPPORT);
  CHECK(vauth_getpw(&got, "alice", &dom) == -1);

  {
    stralloc cmd = {0};
    stralloc_copys(&cmd, "rm -rf "); stralloc_cats(&cmd, root); sa_cstr(&cmd);
    CHECK(system(cmd.s) == 0);
    stralloc_free(&cmd);
  }
  vpw_free(&pw);
  vpw_free(&got);
  stralloc_free(&path);
  stralloc_free(&text);
  stralloc_free(&ip);
  stralloc_free(&names);
  assign_free(&dom);
  return check_done();
}
