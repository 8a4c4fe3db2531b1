/* lib/vdomain_test.c — domain operations in a sandbox: add, alias,
 * duplicate and invalid names, catch-all, delete with and without force. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "assign.h"
#include "atomicfile.h"
#include "sa.h"
#include "verror.h"
#include "vdomain.h"

static char root[] = "/tmp/qv-vdom-XXXXXX";

static int exists(const char *rel)
{
  char p[512];
  struct stat st;
  snprintf(p, sizeof p, "%s/%s", root, rel);
  return stat(p, &st) == 0;
}

static int file_has(const char *rel, const char *want)
{
  char p[512];
  stralloc t = {0};
  int r;
  snprintf(p, sizeof p, "%s/%s", root, rel);
  r = af_readfile(&t, p) == 1 && sa_cstr(&t) && strstr(t.s, want) != 0;
  stralloc_free(&t);
  return r;
}

int main(void)
{
  char q[100], v[100], cmd[600];
  struct vdomain d = {0};
  stralloc aliases = {0};

  if (!mkdtemp(root)) return 111;
  snprintf(q, sizeof q, "%s/q", root);
  snprintf(v, sizeof v, "%s/v", root);
  setenv("QMAILDIR", q, 1);
  setenv("VPOPMAILDIR", v, 1);
  snprintf(cmd, sizeof cmd, "mkdir -p %s/control %s/users %s/domains %s/bin", q, q, v, v);
  if (system(cmd)) return 111;

  CHECK(vdomain_add("Example.COM", 0) == 0);
  CHECK(exists("v/domains/example.com/.qmail-default"));
  CHECK(file_has("v/domains/example.com/.qmail-default", "vdelivermail '' delete"));
  CHECK(file_has("q/users/assign", "+example.com-:example.com:"));
  CHECK(file_has("q/control/rcpthosts", "example.com\n"));
  CHECK(file_has("q/control/virtualdomains", "example.com:example.com\n"));
  CHECK(assign_lookup(&d, "EXAMPLE.com", 11) == 1 && !d.is_alias);

  CHECK(vdomain_add("example.com", 0) == VA_DOMAIN_ALREADY_EXISTS);
  CHECK(vdomain_add("bad_name.com", 0) == VA_INVALID_DOMAIN_NAME);
  CHECK(vdomain_add("-lead.com", 0) == VA_INVALID_DOMAIN_NAME);

  CHECK(vdomain_add_alias("alias.org", "example.com", 0) == 0);
  CHECK(assign_lookup(&d, "alias.org", 9) == 1 && d.is_alias);
  CHECK(d.real.len == 11 && !memcmp(d.real.s, "example.com", 11));
  CHECK(vdomain_add_alias("other.org", "missing.com", 0) == VA_DOMAIN_DOES_NOT_EXIST);

  CHECK(vdomain_set_catchall("example.com", "bob@example.net") == 0);
  CHECK(file_has("v/domains/example.com/.qmail-default", "'' bob@example.net"));

  /* a real domain with aliases is kept without force */
  CHECK(vdomain_del("example.com", 0, &aliases) == 1);
  CHECK(exists("v/domains/example.com"));
  CHECK(vdomain_del("example.com", 1, &aliases) == 0);
  CHECK(!exists("v/domains/example.com"));
  CHECK(assign_lookup(&d, "alias.org", 9) == 0);
  CHECK(assign_lookup(&d, "example.com", 11) == 0);
  CHECK(!file_has("q/control/rcpthosts", "example.com"));
  CHECK(vdomain_del("example.com", 0, 0) == VA_DOMAIN_DOES_NOT_EXIST);

  assign_free(&d);
  stralloc_free(&aliases);
  snprintf(cmd, sizeof cmd, "rm -rf %s", root);
  if (system(cmd)) return 111;
  return check_done();
}
