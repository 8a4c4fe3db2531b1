/* fuzz/address.c — vaddr_parse on arbitrary bytes: it must not crash,
 * and an accepted address must satisfy the contract (lower case, valid
 * sets, limits, NUL-terminated) and parse again to the same parts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stralloc.h"
#include "vaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  stralloc u = {0}, d = {0}, u2 = {0}, d2 = {0}, again = {0};
  size_t i;
  static int init;
  if (!init) {
    /* no default domain: never read a file from the fuzzing host */
    setenv("VPOPMAIL_DOMAIN", "default.example", 1);
    init = 1;
  }
  if (vaddr_parse(&u, &d, (const char *)data, size) == 0) {
    if (u.s[u.len] || d.s[d.len]) abort();
    if (u.len > VADDR_USER_MAX || d.len > VADDR_DOMAIN_MAX) abort();
    if (!vaddr_user_ok(u.s, u.len) || !vaddr_domain_ok(d.s, d.len)) abort();
    for (i = 0; i < u.len; ++i) if (u.s[i] >= 'A' && u.s[i] <= 'Z') abort();
    for (i = 0; i < d.len; ++i) if (d.s[i] >= 'A' && d.s[i] <= 'Z') abort();
    if (!stralloc_copy(&again, &u) || !stralloc_append(&again, "@") ||
        !stralloc_cat(&again, &d)) abort();
    if (vaddr_parse(&u2, &d2, again.s, again.len) != 0) abort();
    if (u2.len != u.len || memcmp(u2.s, u.s, u.len)) abort();
    if (d2.len != d.len || memcmp(d2.s, d.s, d.len)) abort();
  }
  stralloc_free(&u); stralloc_free(&d);
  stralloc_free(&u2); stralloc_free(&d2); stralloc_free(&again);
  return 0;
}
