/* lib/checkpw_test.c — cpw_run against small shell checkpassword
 * programs: what arrives on fd 3, and how exits map to results. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tests/check.h"
#include "checkpw.h"

static enum cpw_result run_sh(const char *script, const struct cpw_request *req, int *code)
{
  char sh[] = "/bin/sh", c[] = "-c", name[] = "checkpw-test";
  char *argv[] = {sh, c, (char *)script, name, 0};
  return cpw_run(argv, req, code);
}

int main(void)
{
  char dir[] = "/tmp/qv-checkpw-XXXXXX", path[256];
  struct cpw_request req = {"joe@example.test", 16, "s3cret", 6, "<1.2@host>", 10, 1};
  char got[128];
  int code, n;

  CHECK(mkdtemp(dir) != 0);
  snprintf(path, sizeof path, "cat <&3 > %s/fd3; exit 0", dir);
  CHECK(run_sh(path, &req, &code) == CPW_OK && code == 0);
  snprintf(path, sizeof path, "%s/fd3", dir);
  n = check_slurp(path, got, sizeof got);
  CHECK(n == 35 && !memcmp(got, "joe@example.test\0s3cret\0<1.2@host>\0", 35));

  req.send_extra = 0;                      /* plain SMTPAUTH: two fields */
  snprintf(path, sizeof path, "cat <&3 > %s/fd3", dir);
  CHECK(run_sh(path, &req, &code) == CPW_OK);
  snprintf(path, sizeof path, "%s/fd3", dir);
  CHECK(check_slurp(path, got, sizeof got) == 24);

  CHECK(run_sh("exit 1", &req, &code) == CPW_REFUSED && code == 1);
  CHECK(run_sh("exit 3", &req, &code) == CPW_REFUSED && code == 3);
  CHECK(run_sh("cat <&3 >/dev/null; exit 111", &req, &code) == CPW_TEMP && code == 111);
  CHECK(run_sh("kill -9 $$", &req, &code) == CPW_CRASHED && code == 9);
  /* fd 0..2 are inherited, fd 3 is the request even if the caller's fd 3
   * was something else */
  CHECK(run_sh("test -p /dev/fd/3 && cat <&3 >/dev/null && exit 0; exit 1", &req, &code) == CPW_OK);
  {
    char prog[] = "/nonexistent/vchkpw", arg[] = "/bin/true";
    char *argv[] = {prog, arg, 0};
    CHECK(cpw_run(argv, &req, &code) == CPW_NOEXEC && code == 111 && errno == ENOENT);
  }
  {
    struct cpw_request bad = {"jo\0e", 4, "pw", 2, 0, 0, 0};
    CHECK(run_sh("exit 0", &bad, &code) == CPW_REFUSED);
    bad.user = "joe"; bad.userlen = 3; bad.secret = "p\0w"; bad.secretlen = 3;
    CHECK(run_sh("exit 0", &bad, &code) == CPW_REFUSED);
  }
  CHECK(cpw_fail_delay(0) == 0 && cpw_fail_delay(1) == 2 && cpw_fail_delay(2) == 4);
  CHECK(cpw_fail_delay(3) == 8 && cpw_fail_delay(4) == 16 && cpw_fail_delay(100) == 16);

  snprintf(path, sizeof path, "rm -rf %s", dir);
  CHECK(system(path) == 0);
  return check_done();
}
