/* lib/log.h — one line per event on stderr, for multilog.
 *
 * Format: "program: level: event key=value key=value\n", written with a
 * single write(2), no timestamp (multilog adds one). Values are escaped:
 * bytes below 0x21, above 0x7e and the backslash become \xHH, so a value
 * read from the network can neither split a line nor forge a field.
 * Never pass a password or an AUTH payload. */
#ifndef QV_LOG_H
#define QV_LOG_H
#include <stddef.h>

/* Names the program in every later line (e.g. "vchkpw"). The pointer is
 * kept, not copied. */
void log_init(const char *program);

/* level: "info", "warn", "error", "fatal". After event come key, value
 * pairs of C strings ending with a NULL key, e.g.
 *   log_event("warn", "auth-fail", "ip", ip, "user", user, (char *)0);
 * A NULL value is written as "-". Never fails visibly (a log line that
 * cannot be written is dropped). */
void log_event(const char *level, const char *event, ...);

/* Appends the escaped form of (s, len) to out; 1, or 0 on ENOMEM. Used by
 * log_event; exposed for callers that build values from binary data. */
struct stralloc;
int log_escape(struct stralloc *out, const char *s, size_t len);

#endif
