/* qmail-smtpd/smtp_rcptcheck.c — recipient validation (see
 * smtp_rcptcheck.h).
 *
 * Invariant: any doubt is "accept" or "try later", never "no mailbox":
 * a missing map or an unknown domain accepts; a read error is
 * temporary. Only a domain the map marks as checked can refuse.
 *
 * SECURITY: the address comes from the network (bounded, no control
 * bytes); the map holds no secret and is opened read-only. */
#include <errno.h>
#include "byte.h"
#include "cdbmap.h"
#include "sa.h"
#include "smtp_rcptcheck.h"

int smtprcpt_accept_all(void *ctx, const char *addr, size_t len)
{
  (void)ctx; (void)addr; (void)len;
  return SMTPRCPT_OK;
}

/* key = local@domain (or local-default@domain); 1 found, 0, -1 error. */
static int has(struct cdbmap *m, stralloc *key, const char *local, size_t llen,
               int dflt, const stralloc *domain, stralloc *val)
{
  if (!stralloc_copyb(key, local, llen)) return -1;
  if (dflt && !stralloc_cats(key, "-default")) return -1;
  if (!stralloc_cats(key, "@") || !stralloc_cat(key, domain)) return -1;
  return cdbmap_find(m, key->s, key->len, val);
}

int smtprcpt_map(void *ctx, const char *addr, size_t len)
{
  struct cdbmap m;
  stralloc a = {0}, dom = {0}, key = {0}, val = {0};
  size_t at, i;
  int r, result = SMTPRCPT_TEMP, hops;

  at = byte_rchr(addr, len, '@');
  if (at == len || at == 0) return SMTPRCPT_OK;
  r = cdbmap_open(&m, (const char *)ctx);
  if (r == 0) return SMTPRCPT_OK;
  if (r < 0) return SMTPRCPT_TEMP;
  if (!sa_copyb_lower(&a, addr, len)) goto done;
  if (!stralloc_copyb(&dom, a.s + at + 1, len - at - 1)) goto done;
  for (hops = 0; ; ++hops) {
    if (!stralloc_copys(&key, "@") || !stralloc_cat(&key, &dom)) goto done;
    r = cdbmap_find(&m, key.s, key.len, &val);
    if (r < 0) goto done;
    if (r == 0) { result = SMTPRCPT_OK; goto done; }       /* not ours */
    if (val.len && val.s[0] == '=' && hops < 4) {           /* alias domain */
      if (!stralloc_copyb(&dom, val.s + 1, val.len - 1)) goto done;
      continue;
    }
    break;
  }
  if (val.len) { result = SMTPRCPT_OK; goto done; }          /* catch-all */
  r = has(&m, &key, a.s, at, 0, &dom, &val);
  for (i = at; r == 0 && i > 0; ) {
    --i;
    if (a.s[i] != '-' || i == 0) continue;
    r = has(&m, &key, a.s, i, 0, &dom, &val);
    if (r == 0) r = has(&m, &key, a.s, i, 1, &dom, &val);
  }
  if (r < 0) goto done;
  result = r ? SMTPRCPT_OK : SMTPRCPT_NOMAILBOX;
done:
  cdbmap_close(&m);
  stralloc_free(&a); stralloc_free(&dom); stralloc_free(&key); stralloc_free(&val);
  return result;
}
