/* lib/vlimits.c — .qmailadmin-limits / vlimits.default reader and writer.
 *
 * The reader follows vpopmail's vlimits_read_limits_file: lines end at
 * '\n' or '\r'; an empty line or one starting with '#' is skipped; the
 * key runs to the first space, tab or ':'; then spaces, tabs and ':' are
 * skipped and the rest is the value, read like the C library integer parsers (optional
 * sign, leading digits; no digits reads as 0); unknown keys are ignored;
 * perm values are masked to 3 bits (perm_maillist unpacks three fields).
 * The writer produces vmoddomlimits' layout (numeric keys, the set
 * booleans, perm lines), so a file written here reads back identically
 * in both programs.
 *
 * SECURITY: the files live in directories of the mail-store id and are
 * read by privileged tools; parsing is bounded, (ptr,len) only, numbers
 * saturate instead of overflowing. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include "atomicfile.h"
#include "vlimits.h"
#include "paths.h"
#include "sa.h"
#include "vpasswd.h"

void limits_defaults(struct vlimits *l)
{
  memset(l, 0, sizeof *l);
  l->maxpopaccounts = -1;
  l->maxaliases = -1;
  l->maxforwards = -1;
  l->maxautoresponders = -1;
  l->maxmailinglists = -1;
}

/* C-library-style integer: blanks, optional sign, digits; saturates at +-2^62. */
static long long num(const char *s, size_t len)
{
  size_t i = 0;
  int neg = 0;
  long long v = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  for (; i < len && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v < (1LL << 62) / 10) v = v * 10 + (s[i] - '0');
    else v = 1LL << 62;
  }
  return neg ? -v : v;
}

static long clamp_long(long long v)
{
  if (v > 0x7fffffffL) return 0x7fffffffL;
  if (v < -0x7fffffffL) return -0x7fffffffL;
  return (long)v;
}

static unsigned long long unsig(long long v)
{
  return v < 0 ? 0 : (unsigned long long)v;
}

struct numkey { const char *name; int kind; size_t off; };
enum { K_LONG, K_ULONG, K_ULL, K_PERM };

#define OFF(f) offsetof(struct vlimits, f)

static const struct numkey numkeys[] = {
  { "maxpopaccounts", K_LONG, OFF(maxpopaccounts) },
  { "maxaliases", K_LONG, OFF(maxaliases) },
  { "maxforwards", K_LONG, OFF(maxforwards) },
  { "maxautoresponders", K_LONG, OFF(maxautoresponders) },
  { "maxmailinglists", K_LONG, OFF(maxmailinglists) },
  { "quota", K_ULONG, OFF(diskquota) },
  { "maxmsgcount", K_ULONG, OFF(maxmsgcount) },
  { "default_quota", K_ULL, OFF(defaultquota) },
  { "default_maxmsgcount", K_ULONG, OFF(defaultmaxmsgcount) },
  { 0, 0, 0 }
};

static const struct { const char *name; size_t off; } boolkeys[] = {
  { "disable_pop", OFF(disable_pop) },
  { "disable_imap", OFF(disable_imap) },
  { "disable_dialup", OFF(disable_dialup) },
  { "disable_password_changing", OFF(disable_passwordchanging) },
  { "disable_webmail", OFF(disable_webmail) },
  { "disable_external_relay", OFF(disable_relay) },
  { "disable_smtp", OFF(disable_smtp) },
  { "disable_spamassassin", OFF(disable_spamassassin) },
  { "delete_spam", OFF(delete_spam) },
  { "disable_maildrop", OFF(disable_maildrop) },
  { 0, 0 }
};

static const struct { const char *name; size_t off; } permkeys[] = {
  { "perm_account", OFF(perm_account) },
  { "perm_alias", OFF(perm_alias) },
  { "perm_forward", OFF(perm_forward) },
  { "perm_autoresponder", OFF(perm_autoresponder) },
  { "perm_maillist", OFF(perm_maillist) },
  { "perm_quota", OFF(perm_quota) },
  { "perm_defaultquota", OFF(perm_defaultquota) },
  { 0, 0 }
};

static int is(const char *k, size_t klen, const char *name)
{
  return strlen(name) == klen && !memcmp(k, name, klen);
}

static void parse_line(struct vlimits *l, const char *s, size_t len)
{
  char *base = (char *)l;
  size_t k = 0, v;
  int i, hasval;
  long long n;

  while (k < len && s[k] != ' ' && s[k] != '\t' && s[k] != ':') ++k;
  v = k;
  while (v < len && (s[v] == ' ' || s[v] == '\t' || s[v] == ':')) ++v;
  hasval = k < len;   /* vpopmail: a value exists once a separator follows */
  for (i = 0; boolkeys[i].name; ++i)
    if (is(s, k, boolkeys[i].name)) { *(int *)(base + boolkeys[i].off) = 1; return; }
  if (!hasval) return;
  n = num(s + v, len - v);
  for (i = 0; numkeys[i].name; ++i)
    if (is(s, k, numkeys[i].name)) {
      void *f = base + numkeys[i].off;
      switch (numkeys[i].kind) {
        case K_LONG: *(long *)f = clamp_long(n); break;
        case K_ULONG: {
          unsigned long long u = unsig(n);
          *(unsigned long *)f = u > 0xffffffffUL ? 0xffffffffUL : (unsigned long)u;
          break;
        }
        default: *(unsigned long long *)f = unsig(n); break;
      }
      return;
    }
  if (is(s, k, "perm_maillist")) {
    unsigned long long p = (unsigned long long)n;
    l->perm_maillist = (int)(p & LIMITS_DENY_ALL);
    l->perm_maillist_users = (int)((p >> 3) & LIMITS_DENY_ALL);
    l->perm_maillist_moderators = (int)((p >> 6) & LIMITS_DENY_ALL);
    return;
  }
  for (i = 0; permkeys[i].name; ++i)
    if (is(s, k, permkeys[i].name)) {
      *(int *)(base + permkeys[i].off) = (int)((unsigned long long)n & LIMITS_DENY_ALL);
      return;
    }
}

int limits_parse(struct vlimits *l, const char *buf, size_t len)
{
  size_t i = 0, e;
  limits_defaults(l);
  while (i < len) {
    for (e = i; e < len && buf[e] != '\n' && buf[e] != '\r'; ++e) ;
    if (e > i && buf[i] != '#') parse_line(l, buf + i, e - i);
    i = e + 1;
  }
  return 1;
}

static int cat_ll(stralloc *sa, long long v)
{
  if (v < 0) {
    if (!stralloc_append(sa, "-")) return 0;
    return sa_catulong(sa, (unsigned long)(-v));
  }
  return sa_catulong(sa, (unsigned long)v);
}

static int cat_ull(stralloc *sa, unsigned long long v)
{
  char buf[24];
  size_t i = sizeof buf;
  do { buf[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  return stralloc_catb(sa, buf + i, sizeof buf - i);
}

static int kv(stralloc *out, const char *key, long long v)
{
  return stralloc_cats(out, key) && stralloc_cats(out, ": ") &&
         cat_ll(out, v) && stralloc_append(out, "\n");
}

int limits_format(stralloc *out, const struct vlimits *l)
{
  const char *base = (const char *)l;
  int i;
  out->len = 0;
  if (!kv(out, "maxpopaccounts", l->maxpopaccounts) ||
      !kv(out, "maxaliases", l->maxaliases) ||
      !kv(out, "maxforwards", l->maxforwards) ||
      !kv(out, "maxautoresponders", l->maxautoresponders) ||
      !kv(out, "maxmailinglists", l->maxmailinglists) ||
      !kv(out, "quota", (long long)l->diskquota) ||
      !kv(out, "maxmsgcount", (long long)l->maxmsgcount) ||
      !stralloc_cats(out, "default_quota: ") || !cat_ull(out, l->defaultquota) ||
      !stralloc_append(out, "\n") ||
      !kv(out, "default_maxmsgcount", (long long)l->defaultmaxmsgcount))
    return 0;
  for (i = 0; boolkeys[i].name; ++i)
    if (*(const int *)(base + boolkeys[i].off) &&
        (!stralloc_cats(out, boolkeys[i].name) || !stralloc_append(out, "\n")))
      return 0;
  for (i = 0; permkeys[i].name; ++i) {
    int v = *(const int *)(base + permkeys[i].off) & LIMITS_DENY_ALL;
    if (!strcmp(permkeys[i].name, "perm_maillist"))
      v |= (l->perm_maillist_users & LIMITS_DENY_ALL) << 3 |
           (l->perm_maillist_moderators & LIMITS_DENY_ALL) << 6;
    if (!kv(out, permkeys[i].name, v)) return 0;
  }
  return 1;
}

int limits_read_file(const char *path, struct vlimits *l)
{
  stralloc buf = {0};
  int r = af_readfile(&buf, path);
  if (r == -1) { stralloc_free(&buf); limits_defaults(l); return -1; }
  limits_parse(l, buf.s, buf.len);
  stralloc_free(&buf);
  return r;
}

int limits_read(const char *domaindir, struct vlimits *l)
{
  stralloc p = {0};
  int r;
  if (domaindir) {
    if (!paths_join(&p, domaindir, LIMITS_FILE)) { errno = ENOMEM; return -1; }
    r = limits_read_file(p.s, l);
    if (r != 0) { stralloc_free(&p); return r == 1 ? 2 : -1; }
  }
  if (!paths_vpopmail(&p, LIMITS_DEFAULT_FILE)) { errno = ENOMEM; return -1; }
  r = limits_read_file(p.s, l);
  stralloc_free(&p);
  return r;
}

int limits_write(const char *path, const struct vlimits *l, uid_t uid, gid_t gid)
{
  struct atomicfile af;
  stralloc img = {0};
  int e;
  memset(&af, 0, sizeof af);
  if (!limits_format(&img, l)) { errno = ENOMEM; return -1; }
  if (af_begin(&af, path, 0, 0600) == -1) { e = errno; stralloc_free(&img); errno = e; return -1; }
  if (af_write(&af, img.s, img.len) == -1 ||
      ((uid != (uid_t)-1 || gid != (gid_t)-1) && af_chown(&af, uid, gid) == -1)) {
    e = errno;
    af_abort(&af);
    stralloc_free(&img);
    errno = e;
    return -1;
  }
  stralloc_free(&img);
  return af_commit(&af);
}

int limits_delete(const char *domaindir)
{
  stralloc p = {0};
  int r;
  if (!paths_join(&p, domaindir, LIMITS_FILE)) { errno = ENOMEM; return -1; }
  r = unlink(p.s);
  if (r == -1 && errno == ENOENT) r = 0;
  else if (r == 0) r = 1;
  stralloc_free(&p);
  return r;
}

unsigned long limits_flag_mask(const struct vlimits *l)
{
  unsigned long m = 0;
  if (l->disable_pop) m |= VPW_NO_POP;
  if (l->disable_smtp) m |= VPW_NO_SMTP;
  if (l->disable_imap) m |= VPW_NO_IMAP;
  if (l->disable_relay) m |= VPW_NO_RELAY;
  if (l->disable_webmail) m |= VPW_NO_WEBMAIL;
  if (l->disable_passwordchanging) m |= VPW_NO_PASSWD_CHNG;
  if (l->disable_dialup) m |= VPW_NO_DIALUP;
  if (l->disable_spamassassin) m |= VPW_NO_SPAMASSASSIN;
  if (l->delete_spam) m |= VPW_DELETE_SPAM;
  if (l->disable_maildrop) m |= VPW_NO_MAILDROP;
  return m;
}
