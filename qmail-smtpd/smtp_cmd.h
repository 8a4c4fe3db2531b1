/* qmail-smtpd/smtp_cmd.h — SMTP command arguments, as pure parsers.
 *
 * Command lines are read with lib/linein (flags 0: a NUL byte reaches
 * the handlers, CRLF or a bare LF ends a line) and split with
 * lib/cmdword (CMDWORD_TRIM: trailing spaces of the argument dropped).
 * Here: smtpcmd_param walks the ESMTP parameters after a MAIL/RCPT
 * path; smtpcmd_bdat parses BDAT's arguments. No I/O, no globals. */
#ifndef QV_SMTP_CMD_H
#define QV_SMTP_CMD_H
#include <stddef.h>

#define SMTPLINE_DEFAULT_MAX 512   /* RFC 5321 4.5.3.1.4, CRLF included */

struct smtpparam {
  const char *key; size_t keylen;
  const char *val; size_t vallen;     /* vallen 0, val NULL: no "=" */
};

/* Takes the next space-separated "KEY[=VALUE]" from (*p, *len) and
 * advances the view. 1 a parameter, 0 none left, -1 malformed (empty
 * keyword, control byte or bytes outside ASCII). */
int smtpcmd_param(const char **p, size_t *len, struct smtpparam *out);


/* BDAT's argument: "size" or "size LAST" (case-insensitive). 1, or 0
 * when malformed. */
int smtpcmd_bdat(const char *arg, size_t len, unsigned long *size, int *last);

#endif
