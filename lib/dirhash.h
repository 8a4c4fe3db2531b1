/* lib/dirhash.h — vpopmail's hashed directories (.dir-control state and
 * bucket allocation; prefix dirhash_).
 *
 * A record counts the items (users of a domain, or domains of an owner
 * uid) and names the bucket new items go to. Placement: items #1-#99 in
 * the parent itself, #100-#199 in "0", #200 in "1" ... "z" (alphabet
 * 0-9 A-Z a-z), then "0/0", "0/1" ... "z/z", then "0/0/0" ...; the bucket
 * only advances when the incremented count is a multiple of 100.
 *
 * File format (byte-compatible with vpopmail's cdb backend), 8 lines:
 *   cur_users \n level_cur \n level_max \n s0 s1 s2 \n e0 e1 e2 \n
 *   m0 m1 m2 \n i0 i1 i2 \n the_dir \n
 * Freed buckets (user deletion) are listed one per line in a separate
 * file (.dir_control_free); '#' lines there are comments. */
#ifndef QV_DIRHASH_H
#define QV_DIRHASH_H
#include <stddef.h>
#include <sys/types.h>
#include "stralloc.h"

#define DIRHASH_LEVELS 3
#define DIRHASH_PER_LEVEL 100          /* vpopmail's MAX_USERS_PER_LEVEL */
#define DIRHASH_ALPHABET_LEN 62
#define DIRHASH_DIR_MAX 16             /* the_dir: at most "z/z/z" + room */

struct dirhash {
  unsigned long cur_users;
  int level_cur;                       /* 0..2 */
  int level_max;                       /* 3, stored but unused */
  int level_start[DIRHASH_LEVELS];     /* 0 0 0: alphabet index range */
  int level_end[DIRHASH_LEVELS];       /* 61 61 61 */
  int level_mod[DIRHASH_LEVELS];       /* 0 2 4: position in the_dir */
  int level_index[DIRHASH_LEVELS];
  char the_dir[DIRHASH_DIR_MAX];       /* NUL-terminated, "" at first */
};

/* The defaults: 0 users, level 0, max 3, 0 0 0 / 61 61 61 / 0 2 4 /
 * 0 0 0, empty dir. */
void dirhash_init(struct dirhash *d);

/* Parses the 8-line file image (buf, len) (last newline optional; blanks
 * between the triples may be spaces or tabs). Untrusted input: numbers
 * must be in range (start <= end <= 61, level_cur 0..2, mod 0..4, index
 * 0..62), the_dir only alphabet bytes and '/', at most 5 bytes.
 * Returns 1, or 0 when malformed (errno EINVAL; *d unspecified). */
int dirhash_parse(struct dirhash *d, const char *buf, size_t len);

/* Replaces out with the 8-line image of *d. 1 or 0 ENOMEM. */
int dirhash_format(stralloc *out, const struct dirhash *d);

/* Advances *d by one item (vpopmail's inc_dir_control); afterwards
 * d->the_dir is the bucket for that item. */
void dirhash_next(struct dirhash *d);

/* Reads ctlfile. A missing file gives the defaults (0 users). Returns 1,
 * or -1 with errno (EINVAL for a malformed file). */
int dirhash_read(const char *ctlfile, struct dirhash *d);

/* Allocates the bucket for one new item. Under ctlfile's lock
 * (atomicfile, ctlfile.lock): when freefile is non-NULL and has a
 * non-comment, non-empty line, that line is the bucket (it is removed
 * from freefile) and only cur_users is incremented; otherwise the state
 * advances (dirhash_next). ctlfile is rewritten atomically, owned
 * uid/gid ((uid_t)-1: leave). A non-empty bucket directory parent/bucket
 * is created (with missing intermediate levels) mode 0750, owned uid/gid.
 * bucket gets "" or "0" or "0/1" ..., NUL-terminated.
 * freefile lines that are not well-formed buckets are dropped when the
 * file is rewritten ('#' comment lines are kept).
 * Returns 1, or -1 with errno (EINVAL: malformed ctlfile; nothing is
 * changed on failure, except that no bucket directory is removed). */
int dirhash_alloc(const char *parent, const char *ctlfile, const char *freefile,
                  uid_t uid, gid_t gid, stralloc *bucket);

/* Releases one item: under ctlfile's lock decrements cur_users (not
 * below 0) and, when freefile is non-NULL and bucket (bucket, len) is not
 * empty, appends "bucket\n" to freefile (one O_APPEND write, created
 * 0600). A missing ctlfile is left missing (nothing to decrement). The
 * files keep the ctlfile's owner when running as root. Returns 1, or -1
 * with errno (EINVAL: bucket not well-formed or ctlfile malformed). */
int dirhash_release(const char *ctlfile, const char *freefile,
                    const char *bucket, size_t len);

/* 1 when (s, len) is a well-formed bucket name: "" or alphabet bytes
 * separated by single '/', at most 3 levels. Else 0. */
int dirhash_bucket_ok(const char *s, size_t len);

#endif
