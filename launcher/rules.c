/* launcher/rules.c — tcprules CDB lookup (see rules.h).
 *
 * Invariants: the key sequence is exactly tcpserver's for an address
 * without host name or ident information: ip, prefixes ending at '.' or
 * ':' (longest first), "". The value is never modified.
 *
 * SECURITY: the rule value comes from a CDB file the administrator
 * writes, not from the network; still, every item is bounded by the value
 * length and an item without its terminating NUL is ignored. The IP text
 * is formatted by us from the socket address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"
#include "sa.h"

size_t rules_keys(const char *ip, size_t iplen, size_t *lens)
{
  size_t n = 0, j;
  lens[n++] = iplen;
  for (j = iplen; j > 0 && n < RULES_MAXKEYS - 1; --j) {
    if ((ip[j - 1] == '.' || ip[j - 1] == ':') && j != iplen) lens[n++] = j;
  }
  if (iplen) lens[n++] = 0;
  return n;
}

int rules_find(struct cdbmap *m, const char *ip, size_t iplen, stralloc *value)
{
  size_t lens[RULES_MAXKEYS];
  size_t n = rules_keys(ip, iplen, lens), i;
  for (i = 0; i < n; ++i) {
    int r = cdbmap_find(m, ip, lens[i], value);
    if (r) return r;
  }
  return 0;
}

int rules_lookup(const char *path, int missing_ok, const char *ip, size_t iplen, stralloc *value)
{
  struct cdbmap m;
  int r = cdbmap_open_store(&m, path, missing_ok);
  if (r <= 0) return r;
  r = rules_find(&m, ip, iplen, value);
  {
    int e = errno;
    cdbmap_close(&m);
    errno = e;
  }
  return r;
}

/* Calls fn on every complete item of the value; stops when fn returns 0. */
static int rules_items(const char *v, size_t len,
                       int (*fn)(const char *item, size_t ilen, void *arg), void *arg)
{
  size_t i = 0;
  while (i < len) {
    const char *nul = memchr(v + i, '\0', len - i);
    if (!nul) break;
    if (!fn(v + i, (size_t)(nul - (v + i)), arg)) return 0;
    i = (size_t)(nul - v) + 1;
  }
  return 1;
}

static int item_deny(const char *item, size_t ilen, void *arg)
{
  if (ilen >= 1 && item[0] == 'D') { *(int *)arg = 1; return 0; }
  return 1;
}

int rules_denied(const char *v, size_t len)
{
  int denied = 0;
  rules_items(v, len, item_deny, &denied);
  return denied;
}

struct getvar { const char *name; size_t nlen; const char *val; size_t vlen; int found; };

static int item_getvar(const char *item, size_t ilen, void *arg)
{
  struct getvar *g = arg;
  if (ilen > g->nlen + 1 && item[0] == '+' && item[g->nlen + 1] == '='
      && !memcmp(item + 1, g->name, g->nlen)) {
    g->val = item + g->nlen + 2;
    g->vlen = ilen - g->nlen - 2;
    g->found = 1;          /* later items win, as with setenv */
  } else if (ilen == g->nlen + 1 && item[0] == '+' && !memcmp(item + 1, g->name, g->nlen)) {
    g->found = 0;          /* "+VAR" unsets */
  }
  return 1;
}

int rules_getvar(const char *v, size_t len, const char *name, const char **val, size_t *vallen)
{
  struct getvar g = { name, strlen(name), 0, 0, 0 };
  rules_items(v, len, item_getvar, &g);
  if (!g.found) return 0;
  *val = g.val;
  *vallen = g.vlen;
  return 1;
}

static int item_setenv(const char *item, size_t ilen, void *arg)
{
  stralloc *tmp = arg;
  const char *eq;
  size_t nlen;
  if (ilen < 2 || item[0] != '+') return 1;
  eq = memchr(item + 1, '=', ilen - 1);
  nlen = eq ? (size_t)(eq - item - 1) : ilen - 1;
  if (!nlen) return 1;
  if (!stralloc_copyb(tmp, item + 1, ilen - 1) || !sa_cstr(tmp)) return 0;
  tmp->s[nlen] = '\0';
  if (eq) {
    if (setenv(tmp->s, tmp->s + nlen + 1, 1) == -1) return 0;
  } else {
    unsetenv(tmp->s);
  }
  return 1;
}

int rules_setenv(const char *v, size_t len)
{
  stralloc tmp = {0};
  int ok = rules_items(v, len, item_setenv, &tmp);
  stralloc_free(&tmp);
  return ok;
}
