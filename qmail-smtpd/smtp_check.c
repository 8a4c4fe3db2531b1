/* qmail-smtpd/smtp_check.c — envelope policy lookups (see smtp_check.h).
 *
 * SECURITY: addresses come from the network (already parsed and free
 * of control bytes); the lists come from root-owned control files. All
 * comparisons are bounded by both lengths. */
#include "byte.h"
#include "str.h"
#include "cdbmap.h"
#include "sa.h"
#include "smtp_check.h"

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static int eqi(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t i;
  if (alen != blen) return 0;
  for (i = 0; i < alen; ++i)
    if (lower(a[i]) != lower(b[i])) return 0;
  return 1;
}

/* 1 when (s, len) ends with (suffix, slen), case-insensitively. */
static int endsi(const char *s, size_t len, const char *suffix, size_t slen)
{
  return len >= slen && eqi(s + len - slen, slen, suffix, slen);
}

int smtpchk_addrlist(const stralloc *list, const char *addr, size_t len)
{
  size_t at = byte_rchr(addr, len, '@');
  size_t i = 0;
  if (!len) return 0;
  while (i < list->len) {
    const char *line = list->s + i;
    size_t ll = str_len(line);
    i += ll + 1;
    if (!ll) continue;
    if (eqi(line, ll, addr, len)) return 1;
    if (at == len) continue;
    if (line[0] == '@' && eqi(line, ll, addr + at, len - at)) return 1;
    if (line[0] == '.' && endsi(addr + at + 1, len - at - 1, line, ll)) return 1;
  }
  return 0;
}

int smtpchk_hostlist(const stralloc *list, const char *host, size_t len)
{
  size_t i = 0;
  while (i < list->len) {
    const char *line = list->s + i;
    size_t ll = str_len(line);
    i += ll + 1;
    if (!ll) continue;
    if (eqi(line, ll, host, len)) return 1;
    if (line[0] == '.' && endsi(host, len, line, ll)) return 1;
  }
  return 0;
}

static int inlist(const stralloc *list, const char *s, size_t len)
{
  size_t i = 0;
  while (i < list->len) {
    const char *line = list->s + i;
    size_t ll = str_len(line);
    i += ll + 1;
    if (eqi(line, ll, s, len)) return 1;
  }
  return 0;
}

int smtpchk_rcpthosts(const stralloc *list, const char *mrhpath, const char *addr, size_t len)
{
  stralloc host = {0}, val = {0};
  struct cdbmap m;
  size_t at = byte_rchr(addr, len, '@'), j;
  int r = 0, have = 0;
  if (at == len) return 1;   /* no domain: qmail lets it through */
  if (!sa_copyb_lower(&host, addr + at + 1, len - at - 1)) return -1;
  if (mrhpath) {
    have = cdbmap_open(&m, mrhpath);
    if (have < 0) { stralloc_free(&host); return -1; }
  }
  for (j = 0; j < host.len; ++j) {
    if (j && host.s[j] != '.') continue;
    if (inlist(list, host.s + j, host.len - j)) { r = 1; break; }
    if (have) {
      r = cdbmap_find(&m, host.s + j, host.len - j, &val);
      if (r) break;
    }
  }
  if (have) cdbmap_close(&m);
  stralloc_free(&host);
  stralloc_free(&val);
  return r;
}
