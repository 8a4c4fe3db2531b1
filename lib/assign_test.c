/* lib/assign_test.c — sort key, sorted insert, re-sort, qmail-newu cdb
 * content, lookup and a round trip of a hand-written vpopmail assign. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "assign.h"
#include "atomicfile.h"
#include "cdbmap.h"

static char dir[] = "/tmp/qv-assign-XXXXXX";
static char path[200];

static const char *key(const char *line, int ft)
{
  static stralloc k;
  static char buf[300];
  if (!assign_sortkey(&k, line, strlen(line), ft)) return "?";
  snprintf(buf, sizeof buf, "%.*s", (int)k.len, k.s);
  return buf;
}

static void write_file(const char *p, const char *text)
{
  FILE *f = fopen(p, "w");
  if (!f) exit(111);
  fputs(text, f);
  fclose(f);
}

static int count_emit(void *arg, const char *k, size_t kl, const char *v, size_t vl)
{
  stralloc *log = arg;
  stralloc_catb(log, k, kl);
  stralloc_cats(log, "=");
  stralloc_catb(log, v, vl);
  stralloc_cats(log, "|");
  return 0;
}

static int list_fn(const struct vdomain *d, void *arg)
{
  stralloc *out = arg;
  stralloc_catb(out, d->name.s, d->name.len);
  stralloc_cats(out, d->is_alias ? "(a)" : "");
  stralloc_cats(out, ",");
  return 0;
}

int main(void)
{
  stralloc out = {0}, text = {0}, v = {0};
  int resorted;
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};

  if (!mkdtemp(dir)) return 111;
  setenv("QMAILDIR", dir, 1);
  setenv("VPOPMAILDIR", dir, 1);

  /* sort keys, as vpopmail's extract_domain */
  CHECK(!strcmp(key("example.com", 0), "example.com"));
  CHECK(!strcmp(key("mail.example.com", 0), "example.com.mail"));
  CHECK(!strcmp(key("a.b.example.co.uk", 0), "co.uk.a.b.example"));
  CHECK(!strcmp(key("localhost", 0), "localhost"));
  CHECK(!strcmp(key("x.example.org:x.example.org", 0), "example.org.x"));
  CHECK(!strcmp(key("+mail.example.com-:example.com:89:89:/d:-::", 1), "example.com.mail"));
  CHECK(!strcmp(key("..a..b.", 0), "a.b"));
  CHECK(!strcmp(key("", 0), ""));
  CHECK(!strcmp(key(".", 1), ""));

  /* sorted insert (rcpthosts style) */
  CHECK(assign_lines_insert(&out, "a.org\nc.org\n", 12, "b.org", 5, 0, &resorted));
  CHECK_SA(out, "a.org\nb.org\nc.org\n");
  CHECK(resorted == 0);
  CHECK(assign_lines_insert(&out, "", 0, "b.org", 5, 0, &resorted));
  CHECK_SA(out, "b.org\n");
  /* key order, not text order: www.a.org sorts by a.org.www, after a.org */
  CHECK(assign_lines_insert(&out, "a.org\nb.org\n", 12, "www.a.org", 9, 0, &resorted));
  CHECK_SA(out, "a.org\nwww.a.org\nb.org\n");
  /* no trailing newline on the last line */
  CHECK(assign_lines_insert(&out, "a.org\nz.org", 11, "m.org", 5, 0, &resorted));
  CHECK_SA(out, "a.org\nm.org\nz.org\n");
  /* out of order: full re-sort */
  CHECK(assign_lines_insert(&out, "c.org\na.org\n", 12, "b.org", 5, 0, &resorted));
  CHECK(resorted == 1);
  CHECK_SA(out, "a.org\nb.org\nc.org\n");

  /* assign: "." dropped and re-added last */
  {
    const char *t = "+b.org-:b.org:89:89:/h/b.org:-::\n.\n";
    const char *l = "+a.org-:a.org:89:89:/h/a.org:-::";
    CHECK(assign_lines_insert(&out, t, strlen(t), l, strlen(l), 1, &resorted));
    CHECK_SA(out, "+a.org-:a.org:89:89:/h/a.org:-::\n+b.org-:b.org:89:89:/h/b.org:-::\n.\n");
  }

  /* removal */
  CHECK(assign_lines_remove(&out, "a.org\nb.org\nb.org\nc\n", 20, "b.org", 5, 0) == 2);
  CHECK_SA(out, "a.org\nc\n");
  CHECK(assign_lines_remove(&out, "a.org\nb.orgx\n", 13, "b.org", 5, 0) == 0);
  CHECK(assign_lines_remove(&out, "+a-:x\n+b-:y\n.\n", 14, "+b-:", 4, 1) == 1);
  CHECK_SA(out, "+a-:x\n.\n");

  /* lookup before any users/cdb: ENOENT, never "not found" */
  errno = 0;
  CHECK(assign_lookup(&d, "example.com", 11) == -1 && errno == ENOENT);

  /* assign_add creates users/assign + users/cdb */
  CHECK(assign_add("example.com", "example.com", 89, 89, "/home/vpopmail/domains/example.com") == 0);
  CHECK(assign_add("alias.org", "example.com", 89, 89, "/home/vpopmail/domains/example.com") == 0);
  CHECK(assign_add("mail.abc.net", "mail.abc.net", 1000, 1001, "/v/domains/mail.abc.net") == 0);
  snprintf(path, sizeof path, "%s/users/assign", dir);
  CHECK(af_readfile(&text, path) == 1);
  CHECK_SA(text,
           "+mail.abc.net-:mail.abc.net:1000:1001:/v/domains/mail.abc.net:-::\n"
           "+alias.org-:example.com:89:89:/home/vpopmail/domains/example.com:-::\n"
           "+example.com-:example.com:89:89:/home/vpopmail/domains/example.com:-::\n"
           ".\n");
  {
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
  }

  /* users/cdb content, qmail-newu's exact records */
  snprintf(path, sizeof path, "%s/users/cdb", dir);
  CHECK(cdbmap_lookup(path, "!alias.org-", 11, &v, 0) == 1);
  CHECK(v.len == 55 && !memcmp(v.s, "example.com\0" "89\0" "89\0" "/home/vpopmail/domains/example.com\0" "-\0", 55));
  CHECK(cdbmap_lookup(path, "", 0, &v, 0) == 1);
  CHECK_SA(v, "-");

  /* adding again replaces the line: no duplicate */
  CHECK(assign_add("alias.org", "example.com", 89, 89, "/home/vpopmail/domains/example.com") == 0);
  snprintf(path, sizeof path, "%s/users/assign", dir);
  CHECK(af_readfile(&text, path) == 1);
  CHECK_SA(text,
           "+mail.abc.net-:mail.abc.net:1000:1001:/v/domains/mail.abc.net:-::\n"
           "+alias.org-:example.com:89:89:/home/vpopmail/domains/example.com:-::\n"
           "+example.com-:example.com:89:89:/home/vpopmail/domains/example.com:-::\n"
           ".\n");
  snprintf(path, sizeof path, "%s/users/cdb", dir);

  /* lookup */
  CHECK(assign_lookup(&d, "ALIAS.org", 9) == 1);
  CHECK_SA(d.name, "alias.org");
  CHECK_SA(d.real, "example.com");
  CHECK_SA(d.dir, "/home/vpopmail/domains/example.com");
  CHECK(d.dir.s[d.dir.len] == 0 && d.name.s[d.name.len] == 0);
  CHECK(d.uid == 89 && d.gid == 89 && d.is_alias == 1);
  CHECK(assign_lookup(&d, "mail.abc.net", 12) == 1);
  CHECK(d.uid == 1000 && d.gid == 1001 && d.is_alias == 0);
  CHECK(assign_lookup(&d, "nope.org", 8) == 0);

  /* listing */
  out.len = 0;
  CHECK(assign_list(list_fn, &out) == 0);
  CHECK_SA(out, "mail.abc.net,alias.org(a),example.com,");

  /* remove */
  CHECK(assign_remove("alias.org") == 1);
  CHECK(assign_remove("alias.org") == 0);
  CHECK(assign_lookup(&d, "alias.org", 9) == 0);
  CHECK(assign_lookup(&d, "example.com", 11) == 1);

  /* round trip of a hand-written vpopmail assign with qmail lines, out
   * of order: the insert re-sorts, keeps every line, newu accepts it */
  snprintf(path, sizeof path, "%s/users/assign", dir);
  write_file(path,
             "=joe:joe:1002:1002:/home/joe:::\n"
             "+zeta.com-:zeta.com:89:89:/home/vpopmail/domains/zeta.com:-::\n"
             "+alpha.com-:alpha.com:89:89:/home/vpopmail/domains/alpha.com:-::\n"
             "+list-:alias:7790:2108:/var/qmail/alias:-:list-:\n"
             ".\n");
  CHECK(assign_add("beta.com", "beta.com", 89, 89, "/home/vpopmail/domains/beta.com") == 0);
  CHECK(af_readfile(&text, path) == 1);
  CHECK_SA(text,
           "+alpha.com-:alpha.com:89:89:/home/vpopmail/domains/alpha.com:-::\n"
           "+beta.com-:beta.com:89:89:/home/vpopmail/domains/beta.com:-::\n"
           "=joe:joe:1002:1002:/home/joe:::\n"
           "+list-:alias:7790:2108:/var/qmail/alias:-:list-:\n"
           "+zeta.com-:zeta.com:89:89:/home/vpopmail/domains/zeta.com:-::\n"
           ".\n");
  snprintf(path, sizeof path, "%s/users/cdb", dir);
  CHECK(cdbmap_lookup(path, "!joe\0", 5, &v, 0) == 1);
  CHECK(v.len == 25 && !memcmp(v.s, "joe\0" "1002\0" "1002\0" "/home/joe\0" "\0", 25));
  CHECK(cdbmap_lookup(path, "!list-", 6, &v, 0) == 1);
  CHECK(cdbmap_lookup(path, "!zeta.com-", 10, &v, 0) == 1);
  CHECK(assign_lookup(&d, "beta.com", 8) == 1);
  out.len = 0;
  CHECK(assign_list(list_fn, &out) == 0);
  CHECK_SA(out, "alpha.com,beta.com,zeta.com,");

  /* newu parser: wildcard chars, '=' keys, format errors */
  {
    stralloc log = {0};
    const char *t = "+a-:u:1:2:/h:-::\n+b.:u:1:2:/h:-::\n+c-:u:1:2:/h:-::\n=X:u:1:2:/h:::\n.\n";
    CHECK(assign_newu_parse(t, strlen(t), count_emit, &log) == 0);
    CHECK(log.len == 67);
    CHECK(!memcmp(log.s + log.len - 4, "=-.|", 4));
    CHECK(memmem(log.s, log.len, "!x\0=u", 5) != 0);
    errno = 0;
    CHECK(assign_newu_parse("+a-:u:1:2:/h:-::\n", 17, count_emit, &log) == -1 && errno == EINVAL);
    CHECK(assign_newu_parse("+a-:u:1:2:/h:-:\n.\n", 18, count_emit, &log) == -1);
    CHECK(assign_newu_parse(":a:u:1:2:/h:-::\n.\n", 18, count_emit, &log) == -1);
    CHECK(assign_newu_parse("nocolon\n.\n", 10, count_emit, &log) == -1);
    CHECK(assign_newu_parse("\n.\n", 3, count_emit, &log) == -1);
    CHECK(assign_newu_parse("+a-:u:1:2\0:/h:-::\n.\n", 20, count_emit, &log) == -1);
    CHECK(assign_newu_parse(".\n", 2, count_emit, &log) == 0);
    stralloc_free(&log);
  }

  /* a refused assign leaves users/cdb alone */
  snprintf(path, sizeof path, "%s/users/assign", dir);
  write_file(path, "garbage\n.\n");
  errno = 0;
  CHECK(assign_newu() == -1 && errno == EINVAL);
  CHECK(assign_lookup(&d, "beta.com", 8) == 1);

  /* unreadable users/cdb is an error, not "not found" */
  if (geteuid() != 0) {
    snprintf(path, sizeof path, "%s/users/cdb", dir);
    chmod(path, 0);
    errno = 0;
    CHECK(assign_lookup(&d, "beta.com", 8) == -1 && errno == EACCES);
    chmod(path, 0644);
  }

  assign_free(&d);
  stralloc_free(&out);
  stralloc_free(&text);
  stralloc_free(&v);
  {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 111;
  }
  return check_done();
}
