/* qmail-smtpd/smtp_rcptcheck_test.c — recipient map lookups. */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "../tests/check.h"
#include "cdbmap.h"
#include "smtp_rcptcheck.h"

static char path[64];
#define L(s) smtprcpt_map(path, s, strlen(s))

static void add(struct cdbmap_writer *w, const char *k, const char *v)
{
  CHECK(cdbmap_write_add(w, k, strlen(k), v, strlen(v)) == 1);
}

int main(void)
{
  char dir[] = "/tmp/rcptmapXXXXXX";
  struct cdbmap_writer w;
  CHECK(mkdtemp(dir) != 0);
  memcpy(path, dir, sizeof dir - 1);
  memcpy(path + sizeof dir - 1, "/rcpt.cdb", 10);
  CHECK(L("nobody@example.org") == SMTPRCPT_OK);       /* no map: accept */

  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  add(&w, "@example.org", "");
  add(&w, "@alias.example", "=example.org");
  add(&w, "@catchall.example", "*");
  add(&w, "joe@example.org", "");
  add(&w, "list@example.org", "");
  add(&w, "sales-default@example.org", "");
  CHECK(cdbmap_write_commit(&w) == 1);

  CHECK(L("joe@example.org") == SMTPRCPT_OK);
  CHECK(L("JOE@Example.ORG") == SMTPRCPT_OK);
  CHECK(L("nobody@example.org") == SMTPRCPT_NOMAILBOX);
  CHECK(L("joe-ext@example.org") == SMTPRCPT_OK);       /* user-extension */
  CHECK(L("joe-a-b@example.org") == SMTPRCPT_OK);
  CHECK(L("list-subscribe@example.org") == SMTPRCPT_OK);
  CHECK(L("sales-x@example.org") == SMTPRCPT_OK);       /* .qmail-sales-default */
  CHECK(L("sales@example.org") == SMTPRCPT_NOMAILBOX);
  CHECK(L("jo@example.org") == SMTPRCPT_NOMAILBOX);
  CHECK(L("-joe@example.org") == SMTPRCPT_NOMAILBOX);
  CHECK(L("joe@alias.example") == SMTPRCPT_OK);
  CHECK(L("nobody@alias.example") == SMTPRCPT_NOMAILBOX);
  CHECK(L("anyone@catchall.example") == SMTPRCPT_OK);
  CHECK(L("anyone@other.example") == SMTPRCPT_OK);      /* not ours */
  CHECK(L("postmaster") == SMTPRCPT_OK);
  CHECK(L("joe@example.org@x") == SMTPRCPT_OK);         /* domain "x" */
  unlink(path);
  /* a corrupt map is temporary, never "no mailbox" */
  CHECK(cdbmap_write_begin(&w, path, 0) == 1);
  cdbmap_write_abort(&w);
  {
    FILE *f = fopen(path, "w");
    CHECK(f != 0);
    if (f) { fputs("garbage", f); fclose(f); }
  }
  CHECK(L("nobody@example.org") == SMTPRCPT_TEMP);
  unlink(path);
  rmdir(dir);
  return check_done();
}
