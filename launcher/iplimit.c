/* launcher/iplimit.c — running children and their client addresses
 * (see iplimit.h).
 *
 * Invariants: used == number of slots with pid != 0; a pid appears at
 * most once; no allocation after iplimit_init. */
#include <stdlib.h>
#include <string.h>
#include "iplimit.h"

int iplimit_init(struct iplimit *t, size_t cap)
{
  t->slot = calloc(cap ? cap : 1, sizeof *t->slot);
  t->cap = cap;
  t->used = 0;
  return t->slot != 0;
}

void iplimit_free(struct iplimit *t)
{
  free(t->slot);
  t->slot = 0;
  t->cap = t->used = 0;
}

int iplimit_add(struct iplimit *t, pid_t pid, const unsigned char ip[16])
{
  size_t i;
  if (pid <= 0) return 0;
  for (i = 0; i < t->cap; ++i) {
    if (!t->slot[i].pid) {
      t->slot[i].pid = pid;
      memcpy(t->slot[i].ip, ip, 16);
      ++t->used;
      return 1;
    }
  }
  return 0;
}

int iplimit_remove(struct iplimit *t, pid_t pid, unsigned char ip[16])
{
  size_t i;
  if (pid <= 0) return 0;
  for (i = 0; i < t->cap; ++i) {
    if (t->slot[i].pid == pid) {
      if (ip) memcpy(ip, t->slot[i].ip, 16);
      t->slot[i].pid = 0;
      --t->used;
      return 1;
    }
  }
  return 0;
}

size_t iplimit_count(const struct iplimit *t, const unsigned char ip[16])
{
  size_t i, n = 0;
  for (i = 0; i < t->cap; ++i)
    if (t->slot[i].pid && !memcmp(t->slot[i].ip, ip, 16)) ++n;
  return n;
}

size_t iplimit_total(const struct iplimit *t)
{
  return t->used;
}
