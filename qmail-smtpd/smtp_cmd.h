/* qmail-smtpd/smtp_cmd.h — SMTP command lines, as pure parsers.
 *
 * smtpline assembles one command line from network bytes with a hard
 * maximum and reports "too long" instead of growing; smtpcmd_split
 * separates the verb from its argument; smtpcmd_param walks the ESMTP
 * parameters after a MAIL/RCPT path; smtpcmd_bdat parses BDAT's
 * arguments. No I/O, no globals: the caller owns every struct. */
#ifndef QV_SMTP_CMD_H
#define QV_SMTP_CMD_H
#include <stddef.h>
#include "stralloc.h"

#define SMTPLINE_DEFAULT_MAX 512   /* RFC 5321 4.5.3.1.4, CRLF included */

enum { SMTPLINE_MORE = 0, SMTPLINE_DONE = 1, SMTPLINE_TOOLONG = 2 };

struct smtpline {
  stralloc line;   /* the line, without its LF and one trailing CR */
  size_t max;      /* longest line accepted, line ending included */
  size_t count;    /* bytes of the current line seen so far */
  int state;       /* internal */
};

/* Prepares l for lines of at most max bytes (line ending included;
 * values below 16 are raised to 16). */
void smtpline_init(struct smtpline *l, size_t max);
void smtpline_free(struct smtpline *l);

/* Consumes bytes of (in, n) up to and including the next LF; *used says
 * how many. Returns SMTPLINE_DONE with l->line holding the line (a
 * single CR before the LF removed: commands ending in a bare LF are
 * accepted, as qmail does), SMTPLINE_TOOLONG when the LF of a line
 * longer than max was consumed (the line's bytes were discarded, the
 * stream is in sync again), SMTPLINE_MORE when every byte was used and
 * no LF came yet, or -1 on ENOMEM. l->line never holds more than max
 * bytes. The next call after DONE or TOOLONG starts a new line. */
int smtpline_feed(struct smtpline *l, const char *in, size_t n, size_t *used);

struct smtpcmd {
  const char *verb; size_t verblen;   /* text before the first space */
  const char *arg; size_t arglen;     /* rest, leading/trailing spaces skipped */
};

/* Splits a command line (views into line). */
void smtpcmd_split(const char *line, size_t len, struct smtpcmd *c);

/* 1 when (s, len) equals the ASCII word w, ignoring case. */
int smtpcmd_is(const char *s, size_t len, const char *w);

struct smtpparam {
  const char *key; size_t keylen;
  const char *val; size_t vallen;     /* vallen 0, val NULL: no "=" */
};

/* Takes the next space-separated "KEY[=VALUE]" from (*p, *len) and
 * advances the view. 1 a parameter, 0 none left, -1 malformed (empty
 * keyword, control byte or bytes outside ASCII). */
int smtpcmd_param(const char **p, size_t *len, struct smtpparam *out);

/* A whole decimal number (no sign, no blanks, no overflow). 1 or 0. */
int smtpcmd_number(const char *s, size_t len, unsigned long *out);

/* BDAT's argument: "size" or "size LAST" (case-insensitive). 1, or 0
 * when malformed. */
int smtpcmd_bdat(const char *arg, size_t len, unsigned long *size, int *last);

#endif
