/* qmail-smtpd/smtp_data.h — the message body of DATA and BDAT.
 *
 * A pure, resumable state machine: feed it any slice of network bytes
 * (down to one byte at a time) and it appends the message as stored
 * (LF line endings, dot-stuffing undone) to a stralloc, reports the end
 * of data, or an error. No I/O, no globals.
 *
 * DATA: only CR LF "." CR LF ends the data (the first CRLF may be the
 * start of data). A LF not preceded by CR, or a CR not followed by LF,
 * is an error (qmail's 451 smtplf reply), unless allow_barelf is set:
 * then a bare LF is taken as a line ending (stored as LF), but never as
 * part of an end of data and a line after it gets no dot processing.
 * A bare CR is always an error.
 * BDAT: chunks of a known size, no dot processing and no terminator;
 * CRLF becomes LF and the same bare LF / bare CR rules apply.
 *
 * Counted as it goes: size (stored bytes, as qmail's databytes counts
 * them) and hops (header lines starting with "Received" or "Delivered",
 * case-insensitively, before the first empty line). */
#ifndef QV_SMTP_DATA_H
#define QV_SMTP_DATA_H
#include <stddef.h>
#include "stralloc.h"

enum {
  SMTPDATA_MORE = 0,     /* all input used, data goes on */
  SMTPDATA_END = 1,      /* end of data (DATA) / end of chunk (BDAT) */
  SMTPDATA_BARELF = 2,   /* a LF without CR before it */
  SMTPDATA_BARECR = 3    /* a CR without LF after it */
};

struct smtpdata {
  int state;
  int allow_barelf;
  int inheader;           /* still in the header */
  unsigned int pos;       /* position in the current stored line */
  int maybe_rcvd, maybe_dlvd;
  unsigned long size;     /* bytes stored so far */
  unsigned long hops;     /* Received:/Delivered-To: lines so far */
  unsigned long chunk_left;  /* BDAT: bytes left in this chunk */
};

/* Starts a message. allow_barelf: see above. */
void smtpdata_init(struct smtpdata *d, int allow_barelf);

/* DATA: consumes bytes from (in, n); *used says how many (on END it
 * includes the final CRLF.CRLF, on an error the offending byte). The
 * stored form of the consumed bytes is appended to out (which the
 * caller may empty between calls). Returns an SMTPDATA_* code, or -1
 * on ENOMEM. After END or an error the struct must be re-initialised. */
int smtpdata_feed(struct smtpdata *d, const char *in, size_t n, size_t *used, stralloc *out);

/* BDAT: starts a chunk of size bytes (state carries over from the
 * previous chunk of the same message: a CR may end one chunk and its
 * LF begin the next). */
void smtpdata_chunk(struct smtpdata *d, unsigned long size);

/* BDAT: consumes at most the chunk's remaining bytes; END when the
 * chunk is complete. Errors as smtpdata_feed. */
int smtpdata_feed_chunk(struct smtpdata *d, const char *in, size_t n, size_t *used, stralloc *out);

/* BDAT LAST: 1 when the message may end here, SMTPDATA_BARECR when its
 * last byte was a CR still waiting for a LF. */
int smtpdata_chunk_last(struct smtpdata *d);

#endif
