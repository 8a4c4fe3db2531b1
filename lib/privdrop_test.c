/* lib/privdrop_test.c — the mail-store drop: a sandbox keeps its user;
 * outside one, root becomes the conf-users store user for good (or gets
 * PRIVDROP_NOUSER when that user is missing). Each case runs in a child. */
#include <pwd.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../tests/check.h"
#include "conf.h"
#include "privdrop.h"

/* Runs the drop in a child; returns its result, or 100 + a failed check. */
static int in_child(int sandbox)
{
  int status;
  pid_t pid = fork();
  if (pid == 0) {
    uid_t before = geteuid();
    int r;
    if (sandbox) setenv("VPOPMAILDIR", "/tmp/qv-privdrop-sandbox", 1);
    else { unsetenv("VPOPMAILDIR"); unsetenv("QMAILDIR"); }
    r = privdrop_mailstore();
    if (r != PRIVDROP_OK) _exit(r);
    if (sandbox && geteuid() != before) _exit(101);
    if (!sandbox && before == 0) {
      struct passwd *pw = getpwnam(CONF_MAILSTORE_USER);
      uid_t r1, e1, s1;
      if (!pw || geteuid() != pw->pw_uid) _exit(102);
      if (getresuid(&r1, &e1, &s1) || r1 != pw->pw_uid || s1 != pw->pw_uid) _exit(103);
      if (setuid(0) == 0) _exit(104); /* the drop cannot be undone */
    }
    _exit(0);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 200;
  return WEXITSTATUS(status);
}

int main(void)
{
  int r;
  CHECK(in_child(1) == PRIVDROP_OK);
  r = in_child(0);
  if (geteuid() == 0 && !getpwnam(CONF_MAILSTORE_USER)) CHECK(r == PRIVDROP_NOUSER);
  else CHECK(r == PRIVDROP_OK);
  return check_done();
}
