/* lib/linein.h — the bounded, resumable line reader of the protocol
 * programs (SMTP commands, POP3 commands, IMAP next).
 *
 * A pure assembler: the caller reads bytes however it likes (a buffer,
 * a peeked socket, one byte at a time) and feeds them; linein takes
 * bytes up to and including the next LF and says whether a line is
 * complete. It never grows past its maximum: a longer line is reported
 * as "too long" once its LF arrives, and its bytes are dropped, so the
 * caller answers once per line and stays in step with the client. No
 * I/O, no globals: the caller owns the struct; a line may arrive in any
 * number of pieces.
 *
 * Line endings: CRLF and a bare LF both end a line (as qmail-smtpd and
 * qmail-popup accept); one CR right before the LF is removed, any other
 * CR (a bare CR, or the first of "\r\r\n") stays in the line.
 *
 * NUL bytes: by default a NUL is an ordinary byte and reaches the
 * caller (SMTP: the command handlers refuse it where it matters). With
 * LINEIN_NONUL a line holding a NUL is skipped whole and reported as
 * LINEIN_BADBYTE (POP3: a password handed on as a C string would be cut
 * at the NUL); a too long line holding a NUL is LINEIN_TOOLONG. */
#ifndef QV_LINEIN_H
#define QV_LINEIN_H
#include <stddef.h>
#include "stralloc.h"

#define LINEIN_MINMAX 8   /* smaller maximums are raised to this */

/* flags for linein_init */
#define LINEIN_NONUL 1    /* a line holding a NUL is LINEIN_BADBYTE */

enum {
  LINEIN_MORE = 0,      /* every byte used, no LF yet */
  LINEIN_DONE = 1,      /* l->line holds a complete line */
  LINEIN_TOOLONG = 2,   /* the LF of a line over the maximum was consumed */
  LINEIN_BADBYTE = 3    /* the LF of a line holding a NUL (LINEIN_NONUL) */
};

struct linein {
  stralloc line;   /* the line, without its LF and one CR before it */
  size_t max;      /* longest line accepted, LF (and CR) included */
  size_t count;    /* bytes of the current line so far; after a non-MORE
                      result, the whole line's size, its LF included */
  int flags;       /* LINEIN_NONUL or 0 */
  int state;       /* internal */
  int bad;         /* internal: the current line held a NUL */
};

/* Prepares l for lines of at most max bytes, line ending included
 * (values below LINEIN_MINMAX are raised to it); flags is 0 or
 * LINEIN_NONUL. l->line starts empty and unallocated. */
void linein_init(struct linein *l, size_t max, int flags);

/* Changes the maximum (raised to LINEIN_MINMAX) from the next line on,
 * e.g. SASL_LINEMAX + 2 while a SASL exchange waits for a client
 * response. Call it between lines: before the first feed or after a
 * non-MORE result. (Called in the middle of a line, the new maximum
 * applies to the bytes still to come; a line already longer is too
 * long.) */
void linein_setmax(struct linein *l, size_t max);

/* Frees l->line. */
void linein_free(struct linein *l);

/* Consumes bytes of (in, n) up to and including the next LF; *used says
 * how many. Returns:
 *   LINEIN_DONE     l->line holds the line (see above for CR); it stays
 *                   valid until the next call;
 *   LINEIN_TOOLONG  the LF of a line longer than max was consumed; the
 *                   line's bytes were dropped (l->line is empty) and the
 *                   stream is in step again;
 *   LINEIN_BADBYTE  only with LINEIN_NONUL: the LF of a line holding a
 *                   NUL was consumed, the line dropped (l->line empty);
 *   LINEIN_MORE     all n bytes used (*used == n), no LF yet;
 *   -1              ENOMEM: *used bytes were taken, the rest not;
 *                   feeding them again continues the line.
 * A non-MORE result always used at least one byte (the LF). l->line
 * never holds more than max bytes. The call after a non-MORE result
 * starts a new line (even with n == 0). */
int linein_feed(struct linein *l, const char *in, size_t n, size_t *used);

#endif
