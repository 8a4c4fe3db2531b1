/* lib/cmdword.h — the verb of a protocol command line: split it from
 * its argument and compare it, ignoring ASCII case (SMTP, POP3; IMAP's
 * atoms next). Views only: nothing is copied or allocated, no I/O, no
 * globals. Protocol-specific argument syntax (ESMTP parameters, BDAT)
 * stays with each protocol; a decimal number is read the same way
 * everywhere (cmdword_number). */
#ifndef QV_CMDWORD_H
#define QV_CMDWORD_H
#include <stddef.h>

struct cmdword {
  const char *verb; size_t verblen;  /* text before the first space */
  const char *arg; size_t arglen;    /* the rest, after the spaces that
                                        follow the verb */
};

/* flags for cmdword_split */
#define CMDWORD_TRIM 1   /* drop trailing spaces from the argument (SMTP);
                            without it trailing bytes are kept (POP3: a
                            password may end in a space) */

/* Splits (line, len) at its first space into verb and argument; the
 * spaces after the verb belong to neither. Only ' ' separates (a tab is
 * an ordinary byte). c holds views into line. */
void cmdword_split(const char *line, size_t len, int flags, struct cmdword *c);

/* 1 when (s, len) equals the NUL-terminated ASCII word w ignoring case
 * (A-Z only; other bytes, NUL included, must match exactly); else 0. */
int cmdword_is(const char *s, size_t len, const char *w);

/* A whole decimal number: digits only, no sign, no blanks, no overflow
 * of unsigned long (SMTP's SIZE and BDAT sizes, POP3's message numbers,
 * numeric knobs). 1 and *out set, or 0. */
int cmdword_number(const char *s, size_t len, unsigned long *out);

#endif
