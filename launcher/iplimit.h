/* launcher/iplimit.h — the launcher's table of running children.
 *
 * One slot per child: its pid and the client address (16 bytes, IPv4 as
 * v4-mapped IPv6). The table has a fixed capacity (the global connection
 * limit), so the per-IP count is a scan bounded by that limit and the
 * table never allocates after iplimit_init. */
#ifndef QV_IPLIMIT_H
#define QV_IPLIMIT_H
#include <stddef.h>
#include <sys/types.h>

struct iplimit_slot {
  pid_t pid;                 /* 0 = free */
  unsigned char ip[16];
};

struct iplimit {
  struct iplimit_slot *slot;
  size_t cap;
  size_t used;
};

/* Room for cap children. 1, or 0 on ENOMEM. */
int iplimit_init(struct iplimit *t, size_t cap);
void iplimit_free(struct iplimit *t);

/* Records child pid from ip. 1, or 0 when the table is full. */
int iplimit_add(struct iplimit *t, pid_t pid, const unsigned char ip[16]);

/* Forgets child pid; 1 (ip copied out when ip != NULL) or 0 if unknown. */
int iplimit_remove(struct iplimit *t, pid_t pid, unsigned char ip[16]);

/* Children running for ip. */
size_t iplimit_count(const struct iplimit *t, const unsigned char ip[16]);

/* Children running in all. */
size_t iplimit_total(const struct iplimit *t);

#endif
