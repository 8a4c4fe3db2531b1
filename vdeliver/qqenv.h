/* vdeliver/qqenv.h — the qmail-queue envelope (prefix qqenv_): a pure
 * parser for what arrives on fd 1:
 *   F<sender>\0 T<recipient>\0 ... \0
 * Bytes after the final \0 are ignored, as qmail-queue does. */
#ifndef QV_QQENV_H
#define QV_QQENV_H
#include <stddef.h>
#include "stralloc.h"

#define QQENV_ADDR_MAX 1003   /* qmail-queue's limit (exit 11 beyond) */
#define QQENV_RCPT_MAX 10000  /* recipients per message */

/* Results, named after the qmail-queue exit code they lead to. */
#define QQENV_OK 0        /* complete */
#define QQENV_MORE 1      /* incomplete: read more (EOF here = exit 54) */
#define QQENV_TOOLONG 11  /* an address longer than QQENV_ADDR_MAX */
#define QQENV_TOOMANY 31  /* more than QQENV_RCPT_MAX recipients */
#define QQENV_BAD 91      /* not F..., T... or \0 where one is due */
#define QQENV_NOMEM 51

struct qqenv {
  stralloc sender;   /* the sender (may be empty: <>), NUL-terminated */
  stralloc rcpts;    /* every recipient followed by '\0' */
  size_t nrcpt;
  size_t used;       /* bytes of the buffer the envelope took (QQENV_OK) */
};

/* Parses (buf, len), the envelope read so far, from its start. e is
 * replaced. Returns one of the QQENV_* codes above. */
int qqenv_parse(struct qqenv *e, const char *buf, size_t len);

void qqenv_free(struct qqenv *e);

#endif
