/* pop3/pop3_msg.h — a stored message as POP3 sends it (RFC 1939 3, 7):
 * every line ends in CRLF (a bare LF becomes CRLF, a CRLF stays as it
 * is), a line starting with '.' gets one more '.', and a message that
 * does not end in a line end gets CRLF before the terminating ".".
 * The same state machine counts the message's size in octets as sent
 * without the stuffing dots (LIST/STAT sizes), so a size and the bytes
 * RETR sends can never disagree. For TOP it stops after the header,
 * the blank line and n body lines. Pure: no I/O, no allocation. */
#ifndef QV_POP3_MSG_H
#define QV_POP3_MSG_H
#include <stddef.h>

struct pop3xf {
  unsigned long long octets;  /* CRLF octets produced so far, dots excluded */
  unsigned long body;         /* TOP: body lines still to send */
  int top;                    /* 1: stop after body lines (TOP) */
  int done;                   /* 1: TOP's limit reached, ignore the rest */
  int bol;                    /* internal: at the start of a line */
  int cr;                     /* internal: the last byte was CR */
  int inhdr;                  /* internal: still in the header */
  size_t lineb;               /* internal: bytes of the current line */
};

/* Starts a message: top 0 for the whole message (RETR, sizes), top 1 to
 * stop after lines body lines (TOP). */
void pop3xf_init(struct pop3xf *x, int top, unsigned long lines);

/* Converts (in, n), a piece of the stored message, appending to out,
 * which must have room for 2 * n bytes; out NULL only counts octets.
 * Returns the bytes written to out. Once x->done is set the rest of the
 * message is ignored (returns 0). */
size_t pop3xf_feed(struct pop3xf *x, const char *in, size_t n, char *out);

/* Ends the message: writes the CRLF a last line without a line end
 * needs (0 to 2 bytes; out NULL only counts). Returns bytes written.
 * The caller then sends ".\r\n". */
size_t pop3xf_end(struct pop3xf *x, char *out);

#endif
