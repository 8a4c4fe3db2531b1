/* vtools/vtool.c — the conventions every admin tool shares (see vtool.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <unistd.h>
#include "log.h"
#include "sa.h"
#include "verror.h"
#include "vtool.h"

#ifndef QV_VERSION
#define QV_VERSION "qvmail-0.1"
#endif

void vtool_init(const char *program)
{
  log_init(program);
}

void vtool_die_code(int code)
{
  printf("Error: %s\n", verror_text(code));
  fflush(stdout);
  exit(code);
}

void vtool_die_msg(int status, const char *msg)
{
  printf("%s\n", msg);
  fflush(stdout);
  exit(status);
}

void vtool_die_temp(const char *what)
{
  fflush(stdout);
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(111);
}

void vtool_print_version(void)
{
  printf("version: %s\n", QV_VERSION);
}

/* One line from fd into out without its newline; echo off on a tty. */
static int read_secret_line(int fd, stralloc *out)
{
  struct termios saved, quiet;
  int tty = tcgetattr(fd, &saved) == 0;
  char c;
  ssize_t r;
  if (tty) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  out->len = 0;
  for (;;) {
    r = read(fd, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    if (c == '\n') break;
    if (!stralloc_append(out, &c)) { r = -1; break; }
  }
  if (tty) {
    tcsetattr(fd, TCSAFLUSH, &saved);
    fputs("\n", stdout);
  }
  if (r < 0 || (r == 0 && out->len == 0)) return 0;
  if (out->len && out->s[out->len - 1] == '\r') --out->len;
  return sa_cstr(out);
}

int vtool_prompt_password(stralloc *out, const char *who)
{
  stralloc again = {0};
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  int ok = 0;
  if (fd < 0) fd = 0;
  for (;;) {
    printf("Please enter password for %s: ", who);
    fflush(stdout);
    if (!read_secret_line(fd, out)) break;
    printf("enter password again: ");
    fflush(stdout);
    if (!read_secret_line(fd, &again)) break;
    if (out->len == again.len && !memcmp(out->s, again.s, out->len)) { ok = 1; break; }
    printf("Passwords do not match, try again\n");
  }
  sa_wipe(&again);
  if (fd > 0) close(fd);
  return ok;
}

int vtool_random_password(stralloc *out, unsigned len)
{
  static const char charset[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.@!#%*";
  const unsigned n = sizeof charset - 1;
  unsigned char b;
  if (!stralloc_ready(out, len + 1)) return 0;
  out->len = 0;
  while (out->len < len) {
    if (getrandom(&b, 1, 0) != 1) return 0;
    if (b >= 256 - 256 % n) continue; /* no modulo bias */
    out->s[out->len++] = charset[b % n];
  }
  return sa_cstr(out);
}
