/* lib/control.c — qmail control files (see control.h).
 *
 * SECURITY: control files are written by the administrator, but the
 * parsers are still bounded and fuzzed: they only split lines and strip
 * blanks, and never interpret escapes. */
#include <errno.h>
#include <string.h>
#include "atomicfile.h"
#include "control.h"
#include "paths.h"
#include "sa.h"
#include "scan.h"

const char CTL_ME[] = "\0me";

int ctl_path(stralloc *out, const char *name)
{
  if (!paths_qmail(out, "control/")) return 0;
  if (!stralloc_cats(out, name)) return 0;
  return sa_cstr(out);
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

int ctl_parse_line(stralloc *out, const char *buf, size_t len)
{
  size_t n = 0;
  while (n < len && buf[n] != '\n') ++n;
  while (n > 0 && is_blank(buf[n - 1])) --n;
  out->len = 0;
  return n ? stralloc_copyb(out, buf, n) : 1;
}

int ctl_parse_list(stralloc *out, const char *buf, size_t len)
{
  size_t i = 0;
  out->len = 0;
  while (i < len) {
    size_t start = i, end;
    while (i < len && buf[i] != '\n') ++i;
    end = i;
    if (i < len) ++i;
    while (end > start && is_blank(buf[end - 1])) --end;
    if (end == start || buf[start] == '#') continue;
    if (!stralloc_catb(out, buf + start, end - start)) return 0;
    if (!stralloc_append(out, "")) return 0;
  }
  return 1;
}

/* Reads QMAILDIR/control/name: 1 read, 0 missing, -1 error. */
static int read_control(stralloc *text, const char *name)
{
  stralloc path = {0};
  int r;
  if (!ctl_path(&path, name)) return -1;
  r = af_readfile(text, path.s);
  stralloc_free(&path);
  return r;
}

static int read_me(stralloc *out)
{
  stralloc text = {0};
  int r = read_control(&text, "me");
  if (r == 1) { if (!ctl_parse_line(out, text.s, text.len)) r = -1; }
  else out->len = 0;
  stralloc_free(&text);
  return r;
}

int ctl_readline(stralloc *out, const char *name, const char *def)
{
  stralloc text = {0};
  int r = read_control(&text, name);
  if (r == 1) {
    if (!ctl_parse_line(out, text.s, text.len)) r = -1;
  } else if (r == 0) {
    if (def == CTL_ME) {
      if (read_me(out) < 0) r = -1;
    } else if (!stralloc_copys(out, def ? def : "")) {
      r = -1;
    }
  }
  stralloc_free(&text);
  return r;
}

int ctl_readint(unsigned long *out, const char *name, unsigned long def)
{
  stralloc line = {0};
  int r = ctl_readline(&line, name, 0);
  if (r == 1) {
    unsigned long v;
    size_t n = line.len && sa_cstr(&line) ? scan_ulong(line.s, &v) : 0;
    if (!line.len || n != line.len) { errno = EINVAL; r = -1; }
    else *out = v;
  } else if (r == 0) {
    *out = def;
  }
  stralloc_free(&line);
  return r;
}

int ctl_readlist(stralloc *out, const char *name, const char *def)
{
  stralloc text = {0};
  int r = read_control(&text, name);
  out->len = 0;
  if (r == 1) {
    if (!ctl_parse_list(out, text.s, text.len)) r = -1;
  } else if (r == 0 && def) {
    if (def == CTL_ME) {
      stralloc me = {0};
      int m = read_me(&me);
      if (m < 0) r = -1;
      else if (m == 1 && me.len && !(stralloc_copy(out, &me) && stralloc_append(out, ""))) r = -1;
      stralloc_free(&me);
    } else if (!(stralloc_copys(out, def) && stralloc_append(out, ""))) {
      r = -1;
    }
  }
  stralloc_free(&text);
  return r;
}

int ctl_readflag(int *out, const char *name, int def)
{
  stralloc line = {0};
  int r = ctl_readline(&line, name, 0);
  if (r == 1) {
    unsigned long v;
    if (line.len && sa_cstr(&line) && scan_ulong(line.s, &v) == line.len) *out = v != 0;
    else if ((line.len == 3 && !memcmp(line.s, "yes", 3)) || (line.len == 2 && !memcmp(line.s, "on", 2))
             || (line.len == 4 && !memcmp(line.s, "true", 4))) *out = 1;
    else *out = 0;
  } else if (r == 0) {
    *out = def;
  }
  stralloc_free(&line);
  return r;
}
