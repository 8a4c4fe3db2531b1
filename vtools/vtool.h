/* vtools/vtool.h — what every vpopmail-compatible admin tool shares:
 * vpopmail's error printing and exit convention, the password prompt,
 * random passwords, the -v line. */
#ifndef QV_VTOOL_H
#define QV_VTOOL_H
#include "stralloc.h"

/* Names the tool for log lines and messages; call first in main. */
void vtool_init(const char *program);

/* Prints "Error: <verror_text(code)>\n" on stdout and exits with code
 * (the shell sees 256 + code). */
void vtool_die_code(int code) __attribute__((noreturn));

/* Prints msg and a newline on stdout and exits with status. */
void vtool_die_msg(int status, const char *msg) __attribute__((noreturn));

/* Out of memory / a system error outside vpopmail's table: message on
 * stderr, exit 111. */
void vtool_die_temp(const char *what) __attribute__((noreturn));

/* Prints "version: <qvmail version>" (vpopmail's -v) and returns. */
void vtool_print_version(void);

/* vpopmail's interactive prompt: "Please enter password for <who>: ",
 * "enter password again: ", "Passwords do not match, try again" until
 * both agree; reads from /dev/tty without echo (stdin when no tty).
 * out is NUL-terminated. Returns 1, or 0 on EOF / error. */
int vtool_prompt_password(stralloc *out, const char *who);

/* A random password of len characters from a-zA-Z0-9.@!#%* (getrandom),
 * NUL-terminated. 1, or 0 on failure. */
int vtool_random_password(stralloc *out, unsigned len);

#endif
