/* pop3/popup_io.h — qmail-popup's network I/O: one command line at a
 * time without reading past it, and bounded-time writes.
 *
 * Before authentication qmail-popup hands the connection to a child
 * (checkpassword, then qmail-pop3d) or to the TLS stage (STLS). Bytes a
 * client pipelined after PASS must reach qmail-pop3d, and bytes
 * pipelined after STLS must reach the TLS helper, never this program.
 * So the reader never consumes a byte beyond the line's LF: on a socket
 * it peeks, feeds the parser and then reads exactly what the parser
 * used; on anything else (a pipe in tests) it reads one byte at a time.
 * Nothing is ever buffered here between lines. */
#ifndef QV_POPUP_IO_H
#define QV_POPUP_IO_H
#include <stddef.h>
#include "linein.h"

/* Reads the next line from fd into l (see linein_feed), waiting at
 * most timeout seconds for the whole line (a client dribbling a byte at
 * a time gets no more). Returns LINEIN_DONE,
 * LINEIN_TOOLONG or LINEIN_BADBYTE; 0 at end of input (also in the
 * middle of a line); -1 with errno: ETIMEDOUT, ENOMEM or a read error.
 * Never consumes a byte after the LF that ends the line. */
int pio_getline(struct linein *l, int fd, unsigned long timeout);

/* Writes all of (s, len) to fd within timeout seconds. 1 ok; 0 with errno (ETIMEDOUT, EPIPE, ...). */
int pio_write(int fd, const char *s, size_t len, unsigned long timeout);

#endif
