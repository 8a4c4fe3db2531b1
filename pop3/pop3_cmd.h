/* pop3/pop3_cmd.h — POP3 command arguments, as pure parsers, shared by
 * qmail-popup (before authentication) and qmail-pop3d (after).
 *
 * Command lines are read with lib/linein, flag LINEIN_NONUL (a line
 * holding a NUL is refused: checkpassword would cut a password at it),
 * POP3LINE_MAX bytes (a SASL continuation line SASL_LINEMAX + 2, set
 * with linein_setmax); CRLF and a bare LF both end a line. They are
 * split with lib/cmdword, flags 0 (the argument keeps trailing spaces:
 * a password may end in one). Here: pop3cmd_word walks space-separated
 * words (message numbers: cmdword_number). No I/O, no globals. */
#ifndef QV_POP3_CMD_H
#define QV_POP3_CMD_H
#include <stddef.h>

#define POP3LINE_MAX 255   /* RFC 2449 section 4: CRLF included */

/* Takes the next space-separated word from (*p, *len) into (*w, *wlen)
 * and advances the view past it. 1 a word, 0 none left. */
int pop3cmd_word(const char **p, size_t *len, const char **w, size_t *wlen);

#endif
