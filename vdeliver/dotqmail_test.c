/* vdeliver/dotqmail_test.c — qmail-local's .qmail search order, line
 * kinds, the vdelivermail line, Delivered-To derivation and loop check. */
#include <string.h>
#include "../tests/check.h"
#include "dotqmail.h"

static void cand(const char *ext, int n, const char *want, const char *wdef)
{
  stralloc name = {0}, def = {0};
  int r = dq_candidate(&name, &def, ext, strlen(ext), n);
  if (!want) { CHECK(r == 0); return; }
  CHECK(r == 1);
  if (r == 1) { CHECK_SA(name, want); CHECK_SA(def, wdef); }
  stralloc_free(&name);
  stralloc_free(&def);
}

static void vdm(const char *cmd, int want, const char *action)
{
  stralloc a = {0};
  int r = dq_vdm_line(cmd, strlen(cmd), &a);
  CHECK(r == want);
  if (r == 1 && want == 1) CHECK_SA(a, action);
  stralloc_free(&a);
}

static void paddr(const char *path, const char *want)
{
  stralloc a = {0};
  int r = dq_path_addr(&a, path, strlen(path));
  if (!want) CHECK(r == 0);
  else { CHECK(r == 1); if (r == 1) CHECK_SA(a, want); }
  stralloc_free(&a);
}

int main(void)
{
  const char *arg;
  size_t alen;
  const char *h;

  cand("bob", 0, ".qmail-bob", "");
  cand("bob", 1, ".qmail-default", "bob");
  cand("bob", 2, 0, 0);
  cand("John.Doe", 0, ".qmail-john:doe", "");
  cand("a-b-c", 0, ".qmail-a-b-c", "");
  cand("a-b-c", 1, ".qmail-a-b-default", "c");
  cand("a-b-c", 2, ".qmail-a-default", "b-c");
  cand("a-b-c", 3, ".qmail-default", "a-b-c");
  cand("a-b-c", 4, 0, 0);
  cand("x-", 1, ".qmail-x-default", "");
  cand("x-", 2, ".qmail-default", "x-");

  CHECK(dq_line("", 0, &arg, &alen) == DQ_SKIP);
  CHECK(dq_line("# c", 3, &arg, &alen) == DQ_SKIP);
  CHECK(dq_line("|/bin/true \r", 12, &arg, &alen) == DQ_PROG);
  CHECK_STR(arg, alen, "/bin/true");
  CHECK(dq_line("./Maildir/", 10, &arg, &alen) == DQ_FILE);
  CHECK(dq_line("/h/Maildir/", 11, &arg, &alen) == DQ_FILE);
  CHECK(dq_line("&bob@x.org ", 11, &arg, &alen) == DQ_FWD);
  CHECK_STR(arg, alen, "bob@x.org");
  CHECK(dq_line("bob@x.org", 9, &arg, &alen) == DQ_FWD);
  CHECK_STR(arg, alen, "bob@x.org");

  vdm(" /home/vpopmail/bin/vdelivermail '' bounce-no-mailbox", 1, "bounce-no-mailbox");
  vdm("vdelivermail '' delete", 1, "delete");
  vdm("/x/vdeliver \"\" 'bob@ex.com'", 1, "bob@ex.com");
  vdm("/x/vdelivermail '' /home/vpopmail/domains/ex.com/bob", 1,
      "/home/vpopmail/domains/ex.com/bob");
  vdm("/x/vdelivermail ''", -2, 0);
  vdm("/x/vdelivermail '' a b", -2, 0);
  vdm("/x/vdelivermail '' delete | cat", 0, 0);
  vdm("/x/vdelivermail '' $HOME", 0, 0);
  vdm("/usr/bin/spamc | /x/vdelivermail '' delete", 0, 0);
  vdm("/x/notvdelivermail '' delete", 0, 0);
  vdm("preline /x/vdelivermail '' delete", 0, 0);

  paddr("/home/vpopmail/domains/ex.com/bob/Maildir/", "bob@ex.com");
  paddr("/home/vpopmail/domains/Ex.Com/0/Bob/Maildir", "bob@ex.com");
  paddr("/home/vpopmail/domains/ex.com/bob/Maildir/.Sent/", "bob@ex.com");
  paddr("/var/mail/bob/Maildir/", 0);
  paddr("/x/Maildir/", 0);
  paddr("/srv/ex.com/bob/", 0);

  h = "Received: x\nDelivered-To: Bob@Ex.com \nSubject: y\n\nDelivered-To: z@ex.com\n";
  CHECK(dq_loop_hit(h, strlen(h), "bob@ex.com", 10));
  CHECK(!dq_loop_hit(h, strlen(h), "z@ex.com", 8));
  CHECK(!dq_loop_hit(h, strlen(h), "ob@ex.com", 9));
  CHECK(!dq_loop_hit(h, strlen(h), "bob@ex.co", 9));
  CHECK(dq_loop_hit("Delivered-To: a@b", 17, "a@b", 3));
  CHECK(dq_header_len(h, strlen(h)) == 50);
  CHECK(dq_header_len("\nbody", 5) == 1);
  CHECK(dq_header_len("a: b\n", 5) == 5);

  CHECK(dq_valid_user("bob", 3));
  CHECK(!dq_valid_user("../x", 4));
  CHECK(!dq_valid_user("a/b", 3));
  CHECK(!dq_valid_user(".x", 2));
  CHECK(!dq_valid_user("", 0));
  CHECK(dq_valid_domain("ex-1.com", 8));
  CHECK(!dq_valid_domain("ex..com", 7));
  CHECK(!dq_valid_domain("ex/com", 6));
  CHECK(!dq_valid_domain(".ex", 3));
  return check_done();
}
