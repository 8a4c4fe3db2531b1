/* lib/leakcheck.h — LeakSanitizer's check for programs that end with
 * _exit (the check otherwise runs only at exit or a return from main).
 *
 * leakcheck() runs the check when the program is built with
 * -fsanitize=address (make SAN=1) and ASAN_OPTIONS has detect_leaks=1:
 * a leak then ends the program as LeakSanitizer does at exit. In any
 * other build, or with detect_leaks=0, it does nothing. Call it just
 * before _exit on a program's ordinary ends; never from a signal
 * handler, never in a child about to exec. */
#ifndef QV_LEAKCHECK_H
#define QV_LEAKCHECK_H

void leakcheck(void);

#endif
