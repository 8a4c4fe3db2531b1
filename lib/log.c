/* lib/log.c — one escaped line per event on stderr (see log.h).
 *
 * SECURITY: values may come from the network; every byte that could end
 * a line, start a new field or confuse a terminal is written as \xHH. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "stralloc.h"

static const char *log_program = "qvmail";

void log_init(const char *program)
{
  if (program && *program) log_program = program;
}

int log_escape(stralloc *out, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x21 || c > 0x7e || c == '\\') {
      char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
      if (!stralloc_catb(out, e, 4)) return 0;
    } else if (!stralloc_append(out, (const char *)&c)) {
      return 0;
    }
  }
  return 1;
}

void log_event(const char *level, const char *event, ...)
{
  stralloc line = {0};
  const char *key, *val;
  va_list ap;
  int ok = stralloc_copys(&line, log_program) && stralloc_cats(&line, ": ")
           && stralloc_cats(&line, level) && stralloc_cats(&line, ": ")
           && stralloc_cats(&line, event);
  va_start(ap, event);
  while (ok && (key = va_arg(ap, const char *))) {
    val = va_arg(ap, const char *);
    if (!val) val = "-";
    ok = stralloc_append(&line, " ") && stralloc_cats(&line, key)
         && stralloc_append(&line, "=") && log_escape(&line, val, strlen(val));
  }
  va_end(ap);
  if (ok && stralloc_append(&line, "\n")) {
    size_t off = 0;
    while (off < line.len) {
      ssize_t w = write(2, line.s + off, line.len - off);
      if (w <= 0) break;
      off += (size_t)w;
    }
  }
  stralloc_free(&line);
}
