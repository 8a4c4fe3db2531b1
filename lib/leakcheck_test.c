/* lib/leakcheck_test.c — leakcheck() finds a leak in a process that
 * ends with _exit when the build has LeakSanitizer, and is a no-op
 * otherwise (or with detect_leaks=0). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "leakcheck.h"
#include "../tests/check.h"

extern void __lsan_do_leak_check(void) __attribute__((weak));

static void *volatile sink;

/* a child that loses its only pointer to a block, checks, and _exits 0 */
static int child_status(int leak)
{
  int st;
  pid_t pid = fork();
  if (pid == 0) {
    sink = malloc(4242);
    if (leak) sink = 0;
    leakcheck();
    _exit(0);
  }
  if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
  return st;
}

int main(void)
{
  const char *o = getenv("ASAN_OPTIONS");
  int leaks_on = __lsan_do_leak_check && !(o && strstr(o, "detect_leaks=0"));
  int st;

  /* nothing lost: the child ends as it asked, sanitized or not */
  st = child_status(0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  /* a lost block: reported (and fatal) only where LeakSanitizer runs */
  st = child_status(1);
  if (leaks_on) CHECK(!(WIFEXITED(st) && WEXITSTATUS(st) == 0));
  else CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  free(sink);
  return check_done();
}
