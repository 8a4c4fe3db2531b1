/* lib/sa.c — small stralloc helpers (see sa.h). */
#include <string.h>
#include "fmt.h"
#include "sa.h"

int sa_cstr(stralloc *sa)
{
  if (!stralloc_readyplus(sa, 1)) return 0;
  sa->s[sa->len] = '\0';
  return 1;
}

int sa_copyb_lower(stralloc *sa, const char *s, size_t len)
{
  size_t i;
  if (!stralloc_ready(sa, len + 1)) return 0;
  for (i = 0; i < len; ++i) {
    char c = s[i];
    sa->s[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  sa->len = len;
  sa->s[len] = '\0';
  return 1;
}

int sa_catulong(stralloc *sa, unsigned long n)
{
  char buf[FMT_ULONG] = {0};
  return stralloc_catb(sa, buf, fmt_ulong(buf, n));
}

void sa_wipe(stralloc *sa)
{
  if (sa->s) explicit_bzero(sa->s, sa->a);
  stralloc_free(sa);
}
