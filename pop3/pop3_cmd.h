/* pop3/pop3_cmd.h — POP3 command lines, as pure parsers, shared by
 * qmail-popup (before authentication) and qmail-pop3d (after).
 *
 * pop3line assembles one line from network bytes with a hard maximum
 * (RFC 2449: 255 octets for a command line, CRLF included; a SASL
 * continuation line may be given SASL_LINEMAX + 2 with pop3line_setmax)
 * and reports "too long" or "bad byte" instead of growing. CRLF and a
 * bare LF both end a line. pop3cmd_split separates the keyword from its
 * argument; pop3cmd_word walks space-separated words; pop3cmd_number
 * reads a message number. No I/O, no globals: the caller owns every
 * struct, and a line may arrive in any number of pieces. */
#ifndef QV_POP3_CMD_H
#define QV_POP3_CMD_H
#include <stddef.h>
#include "stralloc.h"

#define POP3LINE_MAX 255   /* RFC 2449 section 4: CRLF included */

enum {
  POP3LINE_MORE = 0,     /* every byte used, no line end yet */
  POP3LINE_DONE = 1,     /* l->line holds a complete line */
  POP3LINE_TOOLONG = 2,  /* a line over the maximum was skipped */
  POP3LINE_BADBYTE = 3   /* a line holding a NUL was skipped */
};

struct pop3line {
  stralloc line;   /* the line, without its LF and one CR before it */
  size_t max;      /* longest line accepted, line ending included */
  size_t count;    /* bytes of the current line seen so far */
  int state;       /* internal */
  int bad;         /* internal: the current line held a NUL */
};

/* Prepares l for lines of at most max bytes (line ending included;
 * values below 8 are raised to 8). l->line starts empty, unallocated. */
void pop3line_init(struct pop3line *l, size_t max);

/* Changes the maximum for the next line (e.g. SASL_LINEMAX + 2 while a
 * SASL exchange waits for a client response, POP3LINE_MAX after). Call
 * it between lines, i.e. after DONE/TOOLONG/BADBYTE or before the first
 * feed. */
void pop3line_setmax(struct pop3line *l, size_t max);

/* Frees l->line. */
void pop3line_free(struct pop3line *l);

/* Consumes bytes of (in, n) up to and including the next LF; *used says
 * how many. Returns:
 *   POP3LINE_DONE    l->line holds the line (LF and one CR before it
 *                    removed; a bare LF is accepted as clients send it);
 *   POP3LINE_TOOLONG the LF of a line longer than max was consumed; the
 *                    line's bytes were dropped and the stream is in step;
 *   POP3LINE_BADBYTE the LF of a line holding a NUL byte was consumed;
 *                    the line was dropped (a too long line with a NUL
 *                    is TOOLONG);
 *   POP3LINE_MORE    all n bytes used, no LF yet;
 *   -1               ENOMEM (*used says how far it got).
 * l->line never holds more than max bytes. The call after a non-MORE
 * result starts a new line. */
int pop3line_feed(struct pop3line *l, const char *in, size_t n, size_t *used);

struct pop3cmd {
  const char *verb; size_t verblen;  /* keyword: text before the first space */
  const char *arg; size_t arglen;    /* the rest after the spaces that follow
                                        the keyword; trailing bytes kept (a
                                        password may end in a space) */
};

/* Splits a command line into keyword and argument (views into line). */
void pop3cmd_split(const char *line, size_t len, struct pop3cmd *c);

/* 1 when (s, len) equals the ASCII word w, ignoring case; else 0. */
int pop3cmd_is(const char *s, size_t len, const char *w);

/* Takes the next space-separated word from (*p, *len) into (*w, *wlen)
 * and advances the view past it. 1 a word, 0 none left. */
int pop3cmd_word(const char **p, size_t *len, const char **w, size_t *wlen);

/* A whole decimal number: digits only, no sign, no blanks, no overflow
 * of unsigned long. 1 and *out set, or 0. */
int pop3cmd_number(const char *s, size_t len, unsigned long *out);

#endif
