/* tls/tlsconf.c — qvtls's knobs, SNI names and certificate paths (see
 * tlsconf.h).
 *
 * SECURITY: tlsconf_name parses the server name a client sent in its
 * ClientHello (untrusted). It accepts only host-name bytes and no empty
 * label, so the name can become one path component under the
 * certificate directory and nothing else: no '/', no "..", no NUL, no
 * leading dot. */
#include <errno.h>
#include <openssl/tls1.h>
#include "byte.h"
#include "case.h"
#include "str.h"
#include "control.h"
#include "paths.h"
#include "sa.h"
#include "tlsconf.h"

int tlsconf_version(const char *s, size_t len)
{
  static const struct { const char *name; int v; } t[] = {
    { "tlsv1", TLS1_VERSION }, { "tlsv1.0", TLS1_VERSION }, { "tlsv1.1", TLS1_1_VERSION },
    { "tlsv1.2", TLS1_2_VERSION }, { "tlsv1.3", TLS1_3_VERSION }, { 0, 0 }
  };
  int i;
  for (i = 0; t[i].name; ++i)
    if (len == str_len(t[i].name) && !case_diffb(s, len, t[i].name)) return t[i].v;
  return 0;
}

int tlsconf_name(stralloc *out, const char *s, size_t len)
{
  size_t i, label = 0;
  if (!len || len > TLSCONF_NAMEMAX) return 0;
  for (i = 0; i < len; ++i) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '.') {
      if (!label) return 0;
      label = 0;
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
          || ch == '-' || ch == '_'))
      return 0;
    ++label;
  }
  /* one trailing dot (an absolute name) is tolerated and removed */
  if (!label) --len;
  if (!len) return 0;
  return sa_copyb_lower(out, s, len) && sa_cstr(out) ? 1 : -1;
}

int tlsconf_paths(stralloc *chain, stralloc *key, const char *dir, const char *name)
{
  return stralloc_copys(chain, dir) && stralloc_cats(chain, "/") && stralloc_cats(chain, name)
      && stralloc_copy(key, chain)
      && stralloc_cats(chain, "/fullchain.pem") && sa_cstr(chain)
      && stralloc_cats(key, "/privkey.pem") && sa_cstr(key);
}

/* A list knob: lines joined with ':' (qmail-tls's tlsserverciphers). */
static int joined(stralloc *out, const char *name, const char *def)
{
  stralloc list = {0};
  size_t i;
  int r = ctl_readlist(&list, name, 0);
  if (r < 0) return -1;
  out->len = 0;
  if (r == 0 || !list.len) {
    stralloc_free(&list);
    return stralloc_copys(out, def) && sa_cstr(out) ? 1 : -1;
  }
  for (i = 0; i < list.len; ++i)
    if (!list.s[i]) list.s[i] = ':';
  r = stralloc_copyb(out, list.s, list.len - 1) && sa_cstr(out) ? 1 : -1;
  stralloc_free(&list);
  return r;
}

void tlsconf_free(struct tlsconf *c)
{
  stralloc_free(&c->certdir);
  stralloc_free(&c->ciphers);
  stralloc_free(&c->suites);
  stralloc_free(&c->clientca);
  byte_zero(c, sizeof *c);
}

int tlsconf_load(struct tlsconf *c, const char *certdir)
{
  stralloc line = {0};
  int r, e;
  byte_zero(c, sizeof *c);
  if (certdir && *certdir) {
    if (!stralloc_copys(&c->certdir, certdir)) goto fail;
  } else {
    r = ctl_readline(&c->certdir, "tlscertdir", 0);
    if (r < 0) goto fail;
    if (!c->certdir.len && !paths_qmail(&c->certdir, "control/tls")) goto fail;
  }
  while (c->certdir.len > 1 && c->certdir.s[c->certdir.len - 1] == '/') --c->certdir.len;
  if (!sa_cstr(&c->certdir)) goto fail;
  if (joined(&c->ciphers, "tlsserverciphers", TLSCONF_CIPHERS) < 0) goto fail;
  if (joined(&c->suites, "tlsserverciphersuites", TLSCONF_SUITES) < 0) goto fail;
  r = ctl_readline(&line, "tlsminversion", "TLSv1.2");
  if (r < 0) goto fail;
  c->minversion = tlsconf_version(line.s, line.len);
  if (!c->minversion) { errno = EINVAL; goto fail; }
  if (ctl_readint(&c->timeout, "timeouttls", 60) < 0) goto fail;
  if (!c->timeout) c->timeout = 1;
  if (!ctl_path(&c->clientca, "clientca.pem")) goto fail;
  stralloc_free(&line);
  return 1;
fail:
  e = errno;
  stralloc_free(&line);
  tlsconf_free(c);
  errno = e;
  return -1;
}
