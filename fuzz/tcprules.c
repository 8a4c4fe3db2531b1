/* fuzz/tcprules.c — the launcher's tcprules value and key code on
 * arbitrary bytes: rules_denied, rules_getvar and rules_keys must stay
 * inside the buffer; a variable found lies inside the value; the key
 * sequence starts with the whole input, ends with the empty key and
 * shrinks strictly, every proper prefix ending at '.' or ':'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../launcher/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *v = (const char *)data, *val;
  size_t vl, lens[RULES_MAXKEYS], n, i;
  char *copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);          /* exact-size heap copy: ASan sees overreads */
  (void)rules_denied(copy, size);
  if (rules_getvar(copy, size, "MAXCONIP", &val, &vl)) {
    if (val < copy || val + vl > copy + size) abort();
  }
  n = rules_keys(copy, size, lens);
  if (n < 1 || n > RULES_MAXKEYS || lens[0] != size || lens[n - 1] != 0) abort();
  for (i = 1; i < n; ++i) {
    if (lens[i] >= lens[i - 1]) abort();
    if (lens[i] && v[lens[i] - 1] != '.' && v[lens[i] - 1] != ':') abort();
  }
  free(copy);
  return 0;
}
