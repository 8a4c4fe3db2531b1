/* tests/check.h — the tiny assert helper of qvmail's unit tests.
 *
 * CHECK(cond) records a failure with file:line and goes on; CHECK_STR
 * compares a (ptr,len) view with a C string. check_done() prints the
 * tally and returns the exit status for main. No framework, no I/O
 * beyond stderr. */
#ifndef QV_TESTS_CHECK_H
#define QV_TESTS_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) \
  do { \
    ++check_count; \
    if (!(cond)) { \
      ++check_failures; \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
  } while (0)

#define CHECK_STR(ptr, len, want) \
  do { \
    const char *check_p_ = (ptr); \
    size_t check_l_ = (len); \
    const char *check_w_ = (want); \
    ++check_count; \
    if (check_l_ != strlen(check_w_) || (check_l_ && memcmp(check_p_, check_w_, check_l_))) { \
      ++check_failures; \
      fprintf(stderr, "%s:%d: CHECK_STR failed: got \"%.*s\" want \"%s\"\n", \
              __FILE__, __LINE__, (int)check_l_, check_p_, check_w_); \
    } \
  } while (0)

/* CHECK_SA(sa, want): a stralloc's contents equal the C string want. */
#define CHECK_SA(sa, want) CHECK_STR((sa).s ? (sa).s : "", (sa).len, want)

/* Test fixtures: write a file (a failure counts as a failed check) and
 * read one into buf (NUL-terminated; length, or -1). */
static inline void check_put(const char *path, const char *data)
{
  FILE *f = fopen(path, "w");
  CHECK(f != 0);
  if (!f) return;
  fputs(data, f);
  fclose(f);
}

static inline int check_slurp(const char *path, char *buf, size_t max)
{
  FILE *f = fopen(path, "rb");
  size_t n;
  if (!f) return -1;
  n = fread(buf, 1, max - 1, f);
  fclose(f);
  buf[n] = '\0';
  return (int)n;
}

static inline int check_done(void)
{
  fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures);
  return check_failures ? 1 : 0;
}

#endif
