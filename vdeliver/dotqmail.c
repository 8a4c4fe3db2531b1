/* vdeliver/dotqmail.c — qmail-local's .qmail search and line kinds,
 * vdelivermail's Delivered-To rules (see dotqmail.h). Pure functions.
 *
 * SECURITY: inputs are untrusted (message headers, local parts from the
 * envelope, .qmail lines). Every function is bounded by its (ptr, len)
 * arguments and never reads past them; file names are built only from
 * an extension that dq_valid_user accepted, so no '/' reaches a path. */
#include "byte.h"
#include "case.h"
#include "dotqmail.h"
#include "sa.h"
#include "str.h"

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* name = ".qmail-" + (ext, len) lower-cased with '.' -> ':' + suffix */
static int mkname(stralloc *name, const char *ext, size_t len, const char *suffix)
{
  size_t i;
  if (!stralloc_copys(name, ".qmail-")) return -1;
  for (i = 0; i < len; ++i) {
    char c = lower(ext[i]);
    if (c == '.') c = ':';
    if (!stralloc_append(name, &c)) return -1;
  }
  if (!stralloc_cats(name, suffix) || !sa_cstr(name)) return -1;
  return 1;
}

int dq_candidate(stralloc *name, stralloc *deflt, const char *ext, size_t len, int n)
{
  size_t i;
  if (n < 0) return 0;
  if (n == 0) {
    if (!stralloc_copys(deflt, "") || !sa_cstr(deflt)) return -1;
    return mkname(name, ext, len, "");
  }
  /* n >= 1: the n-th i (from len down to 0) with i == 0 or ext[i-1] == '-' */
  for (i = len + 1; i-- > 0;) {
    if (i != 0 && ext[i - 1] != '-') continue;
    if (--n) continue;
    if (!stralloc_copyb(deflt, ext + i, len - i) || !sa_cstr(deflt)) return -1;
    return mkname(name, ext, i, "default");
  }
  return 0;
}

static int blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

int dq_line(const char *line, size_t len, const char **arg, size_t *alen)
{
  while (len && blank(line[len - 1])) --len;
  *arg = line;
  *alen = len;
  if (!len || line[0] == '#') return DQ_SKIP;
  if (line[0] == '|') { *arg = line + 1; *alen = len - 1; return DQ_PROG; }
  if (line[0] == '/' || line[0] == '.') return DQ_FILE;
  if (line[0] == '&') { *arg = line + 1; *alen = len - 1; }
  return DQ_FWD;
}

/* One shell word of a restricted shape: bare characters, or a whole
 * '...' or "..." word. Returns the end index, or -1 for anything that
 * needs a real shell. Appends the unquoted word to w. */
static long word(const char *s, size_t len, size_t i, stralloc *w)
{
  static const char meta[] = "|&;<>()$`\\*?[]#~=%{}!";
  if (s[i] == '\'' || s[i] == '"') {
    char q = s[i];
    size_t j = i + 1;
    while (j < len && s[j] != q) {
      if (q == '"' && (s[j] == '$' || s[j] == '`' || s[j] == '\\')) return -1;
      ++j;
    }
    if (j >= len) return -1;
    if (!stralloc_catb(w, s + i + 1, j - i - 1)) return -2;
    ++j;
    if (j < len && !blank(s[j])) return -1;
    return (long)j;
  }
  while (i < len && !blank(s[i])) {
    if (s[i] == '\'' || s[i] == '"' || meta[str_chr(meta, s[i])]) return -1;
    if (!stralloc_append(w, s + i)) return -2;
    ++i;
  }
  return (long)i;
}

int dq_vdm_line(const char *cmd, size_t len, stralloc *action)
{
  stralloc w[4] = {{0}, {0}, {0}, {0}};
  size_t i = 0, base;
  int n = 0, ret = 0, k;
  long e;
  while (len && blank(cmd[len - 1])) --len;
  for (;;) {
    while (i < len && blank(cmd[i])) ++i;
    if (i >= len) break;
    if (n == 4) { ++n; break; }
    e = word(cmd, len, i, &w[n]);
    if (e == -2) { ret = -1; goto out; }
    if (e < 0) goto out;          /* needs a shell: not ours */
    i = (size_t)e;
    ++n;
  }
  if (n == 0) goto out;
  base = w[0].len;
  while (base && w[0].s[base - 1] != '/') --base;
  if (!((w[0].len - base == 12 && byte_equal(w[0].s + base, 12, "vdelivermail")) ||
        (w[0].len - base == 8 && byte_equal(w[0].s + base, 8, "vdeliver"))))
    goto out;
  if (n != 3) { ret = -2; goto out; }
  if (!stralloc_copy(action, &w[2]) || !sa_cstr(action)) { ret = -1; goto out; }
  ret = 1;
out:
  for (k = 0; k < 4; ++k) stralloc_free(&w[k]);
  return ret;
}

int dq_path_addr(stralloc *addr, const char *path, size_t len)
{
  size_t i, end, ubeg, uend;
  /* find the last "/Maildir" component */
  while (len && path[len - 1] == '/') --len;
  for (end = len; end >= 8; --end) {
    if (byte_equal(path + end - 8, 8, "/Maildir") && (end == len || path[end] == '/'))
      break;
  }
  if (end < 8) return 0;
  uend = end - 8;
  ubeg = uend;
  while (ubeg && path[ubeg - 1] != '/') --ubeg;
  if (ubeg == uend) return 0;
  /* the nearest ancestor of the user dir whose name contains '.' */
  i = ubeg ? ubeg - 1 : 0;
  while (i > 0) {
    size_t dend = i, dbeg = i;
    while (dbeg && path[dbeg - 1] != '/') --dbeg;
    if (dbeg < dend && byte_chr(path + dbeg, dend - dbeg, '.') < dend - dbeg &&
        !(dend - dbeg <= 2 && path[dbeg] == '.')) {
      if (!sa_copyb_lower(addr, path + ubeg, uend - ubeg) ||
          !stralloc_append(addr, "@")) return -1;
      {
        size_t k;
        for (k = dbeg; k < dend; ++k) {
          char c = lower(path[k]);
          if (!stralloc_append(addr, &c)) return -1;
        }
      }
      return sa_cstr(addr) ? 1 : -1;
    }
    i = dbeg ? dbeg - 1 : 0;
  }
  return 0;
}

int dq_loop_hit(const char *hdr, size_t len, const char *addr, size_t alen)
{
  size_t i = 0;
  while (i < len) {
    size_t e = i + byte_chr(hdr + i, len - i, '\n');
    size_t l = e - i;
    if (l == 0) break;                       /* end of header */
    while (l && blank(hdr[i + l - 1])) --l;
    if (l == 14 + alen && case_equalb(hdr + i, 14, "Delivered-To: ") &&
        case_equalb(hdr + i + 14, alen, addr))
      return 1;
    i = e + 1;
  }
  return 0;
}

size_t dq_header_len(const char *msg, size_t len)
{
  size_t i;
  if (len && msg[0] == '\n') return 1;
  for (i = 1; i < len; ++i)
    if (msg[i] == '\n' && msg[i - 1] == '\n') return i + 1;
  return len;
}

int dq_valid_user(const char *s, size_t len)
{
  size_t i;
  if (!len || len > 255 || s[0] == '.') return 0;
  for (i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x21 || c == 0x7f || c == '/') return 0;
  }
  return 1;
}

int dq_valid_domain(const char *s, size_t len)
{
  size_t i;
  if (!len || len > 255 || s[0] == '.') return 0;
  for (i = 0; i < len; ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '.' || c == '_'))
      return 0;
    if (c == '.' && i && s[i - 1] == '.') return 0;
  }
  return 1;
}
