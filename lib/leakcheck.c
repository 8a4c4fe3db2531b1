/* lib/leakcheck.c — see leakcheck.h.
 *
 * The sanitizer runtime defines __lsan_do_leak_check; a weak reference
 * is null in a build without it, so the normal build carries no
 * sanitizer code and needs no #ifdef. The runtime runs the check at
 * most once per process and skips it when detect_leaks=0. */
#include "leakcheck.h"

extern void __lsan_do_leak_check(void) __attribute__((weak));

void leakcheck(void)
{
  if (__lsan_do_leak_check) __lsan_do_leak_check();
}
