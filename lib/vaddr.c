/* lib/vaddr.c — vpopmail's parse_email and name validators.
 *
 * Invariants: user and domain come back lower-cased, NUL-terminated and
 * within vpopmail's character sets and length limits, or the call fails;
 * so they are safe as single path components (no NUL; '/' can occur in a
 * user name exactly as in vpopmail, '.' and ".." are the caller's
 * concern where it builds paths).
 *
 * SECURITY: the input comes from the command line, the network (vchkpw
 * login names) and the environment. Everything is (ptr, len); no byte is
 * trusted; the default domain from the environment or etc/defaultdomain
 * is validated like a typed one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "atomicfile.h"
#include "control.h"
#include "paths.h"
#include "sa.h"
#include "vaddr.h"
#include "verror.h"

static int user_char(unsigned char c)
{
  if (c >= 'a' && c <= 'z') return 1;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 1;
  switch (c) {
    case '!': case '#': case '$': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '/': case '=': case '?': case '^': case '_':
    case '`': case '{': case '|': case '}': case '~':
      return 1;
  }
  return 0;
}

static int domain_char(unsigned char c)
{
  if (c >= 'a' && c <= 'z') return 1;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 1;
  return c == '-' || c == '.';
}

int vaddr_user_ok(const char *s, size_t len)
{
  size_t i;
  for (i = 0; i < len; ++i)
    if (!user_char((unsigned char)s[i])) return 0;
  return 1;
}

int vaddr_domain_ok(const char *s, size_t len)
{
  size_t i;
  for (i = 0; i < len; ++i)
    if (!domain_char((unsigned char)s[i])) return 0;
  return 1;
}

int vaddr_newdomain_ok(const char *s, size_t len)
{
  if (len < 3 || len > VADDR_DOMAIN_MAX) return 0;
  if (s[0] == '-' || s[len - 1] == '-') return 0;
  return vaddr_domain_ok(s, len);
}

int vaddr_default_domain(stralloc *out)
{
  const char *env = getenv("VPOPMAIL_DOMAIN");
  stralloc path = {0}, file = {0};
  int r;

  out->len = 0;
  if (env && *env) {
    if (!stralloc_copys(out, env) || !sa_cstr(out)) return -1;
    return 1;
  }
  if (!paths_vpopmail(&path, "etc/defaultdomain")) return -1;
  r = af_readfile(&file, path.s);
  stralloc_free(&path);
  if (r <= 0) { stralloc_free(&file); if (!sa_cstr(out)) return -1; return r; }
  if (!ctl_parse_line(out, file.s, file.len) || !sa_cstr(out)) {
    stralloc_free(&file);
    return -1;
  }
  stralloc_free(&file);
  return out->len ? 1 : 0;
}

/* Lower-cases sa in place. */
static void lower(stralloc *sa)
{
  size_t i;
  for (i = 0; i < sa->len; ++i)
    if (sa->s[i] >= 'A' && sa->s[i] <= 'Z') sa->s[i] = (char)(sa->s[i] + 32);
}

int vaddr_parse(stralloc *user, stralloc *domain, const char *in, size_t len)
{
  static const char seps[] = "@%/";
  size_t at = len;
  int i, r;

  for (i = 0; seps[i] && at == len; ++i) {
    const char *p = memchr(in, seps[i], len);
    if (p) at = (size_t)(p - in);
  }
  if (!sa_copyb_lower(user, in, at)) return VA_MEMORY_ALLOC_ERR;
  if (at < len) {
    if (!sa_copyb_lower(domain, in + at + 1, len - at - 1))
      return VA_MEMORY_ALLOC_ERR;
  } else {
    domain->len = 0;
    if (!sa_cstr(domain)) return VA_MEMORY_ALLOC_ERR;
  }
  /* vpopmail checks the characters of both parts before the lengths. */
  if (!vaddr_user_ok(user->s, user->len)) return VA_ILLEGAL_USERNAME;
  if (!vaddr_domain_ok(domain->s, domain->len)) return VA_ILLEGAL_USERNAME;
  if (domain->len == 0) {
    r = vaddr_default_domain(domain);
    if (r < 0) return VA_MEMORY_ALLOC_ERR;
    lower(domain);
    if (!vaddr_domain_ok(domain->s, domain->len)) return VA_ILLEGAL_USERNAME;
  }
  if (user->len > VADDR_USER_MAX) return VA_USER_NAME_TOO_LONG;
  if (domain->len > VADDR_DOMAIN_MAX) return VA_DOMAIN_NAME_TOO_LONG;
  return VA_SUCCESS;
}
