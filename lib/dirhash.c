/* lib/dirhash.c — vpopmail's hashed directories (.dir-control).
 *
 * The state machine is vpopmail's (bigdir.c: inc_dir_control, inc_dir,
 * next_char), re-implemented so that a .dir-control written by either
 * program continues identically in the other: the bucket only advances
 * when the incremented count is a multiple of 100; the first level runs
 * through the 62-character alphabet, then a '/' level is added, and so
 * on. vpopmail's level_index quirks (it runs one ahead on the first pass
 * of a new level) are kept because the file stores them.
 *
 * Invariants: a parsed or advanced state has start <= end <= 61,
 * level_mod = 0 2 4, the_dir a well-formed bucket of level_cur + 1
 * levels (or "" at level 0), so every alphabet lookup is in range and
 * the_dir is always a safe relative path of 1-character components.
 * Every change of a record happens under the record's lock
 * (atomicfile), and the free-bucket file is only touched under it.
 *
 * SECURITY: .dir-control and .dir_control_free are files in directories
 * owned by the mail-store id, so they are parsed as untrusted input
 * (ranges checked, the_dir validated) before the_dir becomes a path. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomicfile.h"
#include "dirhash.h"
#include "fmt.h"
#include "sa.h"
#include "scan.h"

static const char alphabet[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#define INDEX_MAX 999999999

void dirhash_init(struct dirhash *d)
{
  int i;
  memset(d, 0, sizeof *d);
  d->level_max = DIRHASH_LEVELS;
  for (i = 0; i < DIRHASH_LEVELS; ++i) {
    d->level_start[i] = 0;
    d->level_end[i] = DIRHASH_ALPHABET_LEN - 1;
    d->level_mod[i] = 2 * i;
    d->level_index[i] = 0;
  }
}

static int is_alpha(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Number of levels of a well-formed bucket, or -1. */
static int bucket_levels(const char *s, size_t len)
{
  size_t i;
  if (len == 0) return 0;
  if (len > 2 * DIRHASH_LEVELS - 1 || len % 2 == 0) return -1;
  for (i = 0; i < len; ++i)
    if (i % 2 == 0 ? !is_alpha(s[i]) : s[i] != '/') return -1;
  return (int)(len + 1) / 2;
}

int dirhash_bucket_ok(const char *s, size_t len)
{
  return bucket_levels(s, len) >= 0;
}

/* --- vpopmail's state machine ----------------------------------------- */

static char next_char(char c, int start, int end)
{
  int i;
  for (i = start; i <= end && alphabet[i] != c; ++i) ;
  ++i;
  if (i > end) i = start;
  return alphabet[i];
}

static void inc_level(struct dirhash *d, int level)
{
  int pos = d->level_mod[level];
  if (d->the_dir[pos] == alphabet[d->level_end[level]]) {
    d->the_dir[pos] = alphabet[d->level_start[level]];
    d->level_index[level] = d->level_start[level];
    if (level > 0) inc_level(d, level - 1);
  } else {
    d->the_dir[pos] = next_char(d->the_dir[pos], d->level_start[level], d->level_end[level]);
    if (d->level_index[level] < INDEX_MAX) ++d->level_index[level];
  }
}

static void add_slash(struct dirhash *d)
{
  size_t n = strlen(d->the_dir);
  d->the_dir[n] = '/';
  d->the_dir[n + 1] = '\0';
}

void dirhash_next(struct dirhash *d)
{
  int cur;
  ++d->cur_users;
  if (d->cur_users % DIRHASH_PER_LEVEL) return;
  if (!d->the_dir[0]) {
    d->the_dir[0] = alphabet[d->level_start[0]];
    d->the_dir[1] = '\0';
    return;
  }
  cur = d->level_cur;
  if (d->level_index[cur] == d->level_end[cur]) {
    if (cur == 0) {
      inc_level(d, 0);
      d->level_cur = 1;
      add_slash(d);
    } else if (cur == 1 && d->level_index[0] == d->level_end[0] &&
               d->level_index[1] == d->level_end[1]) {
      inc_level(d, 1);
      d->level_cur = 2;
      add_slash(d);
    }
  }
  inc_level(d, d->level_cur);
}

/* --- file image ------------------------------------------------------- */

/* Next line of (buf, len) from *pos: start and length without '\n' and
 * a trailing '\r'. 0 when no line is left. */
static int next_line(const char *buf, size_t len, size_t *pos,
                     const char **line, size_t *llen)
{
  size_t i = *pos, e;
  if (i >= len) return 0;
  for (e = i; e < len && buf[e] != '\n'; ++e) ;
  *line = buf + i;
  *llen = e - i;
  if (*llen && buf[e - 1] == '\r') --*llen;
  *pos = e < len ? e + 1 : e;
  return 1;
}

static int dh_scan_int(const char *s, size_t len, size_t *i, int *out)
{
  unsigned long v;
  size_t n;
  while (*i < len && (s[*i] == ' ' || s[*i] == '\t')) ++*i;
  if (*i >= len || s[*i] < '0' || s[*i] > '9') return 0;
  n = scan_ulongn(s + *i, len - *i, &v);
  if (!n || n > 9 || v > INDEX_MAX) return 0;
  *i += n;
  *out = (int)v;
  return 1;
}

/* A line holding exactly `count` non-negative ints. */
static int scan_ints(const char *s, size_t len, int *out, int count)
{
  size_t i = 0;
  int k;
  for (k = 0; k < count; ++k)
    if (!dh_scan_int(s, len, &i, &out[k])) return 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i == len;
}

int dirhash_parse(struct dirhash *d, const char *buf, size_t len)
{
  const char *line;
  size_t llen, pos = 0, n;
  unsigned long users;
  int k, one;

  dirhash_init(d);
  if (!next_line(buf, len, &pos, &line, &llen)) goto bad;
  if (!llen || line[0] < '0' || line[0] > '9') goto bad;
  n = scan_ulongn(line, llen, &users);
  if (n != llen) goto bad;              /* also catches overflow */
  d->cur_users = users;
  if (!next_line(buf, len, &pos, &line, &llen) || !scan_ints(line, llen, &one, 1)) goto bad;
  d->level_cur = one;
  if (!next_line(buf, len, &pos, &line, &llen) || !scan_ints(line, llen, &one, 1)) goto bad;
  d->level_max = one;
  if (!next_line(buf, len, &pos, &line, &llen) ||
      !scan_ints(line, llen, d->level_start, DIRHASH_LEVELS)) goto bad;
  if (!next_line(buf, len, &pos, &line, &llen) ||
      !scan_ints(line, llen, d->level_end, DIRHASH_LEVELS)) goto bad;
  if (!next_line(buf, len, &pos, &line, &llen) ||
      !scan_ints(line, llen, d->level_mod, DIRHASH_LEVELS)) goto bad;
  if (!next_line(buf, len, &pos, &line, &llen) ||
      !scan_ints(line, llen, d->level_index, DIRHASH_LEVELS)) goto bad;
  /* the_dir: the 8th line (missing = empty, as vpopmail's reader) */
  if (!next_line(buf, len, &pos, &line, &llen)) llen = 0;
  k = bucket_levels(line, llen);
  if (k < 0) goto bad;
  memcpy(d->the_dir, line, llen);
  d->the_dir[llen] = '\0';

  if (d->level_cur < 0 || d->level_cur >= DIRHASH_LEVELS) goto bad;
  if (llen ? k != d->level_cur + 1 : d->level_cur != 0) goto bad;
  for (k = 0; k < DIRHASH_LEVELS; ++k) {
    if (d->level_start[k] > d->level_end[k]) goto bad;
    if (d->level_end[k] >= DIRHASH_ALPHABET_LEN) goto bad;
    if (d->level_mod[k] != 2 * k) goto bad;
  }
  return 1;
bad:
  errno = EINVAL;
  return 0;
}

static int cat_int(stralloc *sa, int v)
{
  return sa_catulong(sa, (unsigned long)(v < 0 ? 0 : v));
}

static int cat_triple(stralloc *sa, const int *v)
{
  return cat_int(sa, v[0]) && stralloc_append(sa, " ") &&
         cat_int(sa, v[1]) && stralloc_append(sa, " ") &&
         cat_int(sa, v[2]) && stralloc_append(sa, "\n");
}

int dirhash_format(stralloc *out, const struct dirhash *d)
{
  out->len = 0;
  return sa_catulong(out, d->cur_users) && stralloc_append(out, "\n") &&
         cat_int(out, d->level_cur) && stralloc_append(out, "\n") &&
         cat_int(out, d->level_max) && stralloc_append(out, "\n") &&
         cat_triple(out, d->level_start) && cat_triple(out, d->level_end) &&
         cat_triple(out, d->level_mod) && cat_triple(out, d->level_index) &&
         stralloc_cats(out, d->the_dir) && stralloc_append(out, "\n");
}

/* --- files ------------------------------------------------------------ */

int dirhash_read(const char *ctlfile, struct dirhash *d)
{
  stralloc buf = {0};
  int r = af_readfile(&buf, ctlfile);
  if (r == -1) { stralloc_free(&buf); return -1; }
  if (r == 0) { dirhash_init(d); stralloc_free(&buf); return 1; }
  r = dirhash_parse(d, buf.s, buf.len);
  stralloc_free(&buf);
  return r == 1 ? 1 : -1;
}

/* Creates parent/bucket level by level (0750, uid/gid on creation). */
static int make_bucket(const char *parent, const char *bucket, uid_t uid, gid_t gid)
{
  stralloc p = {0};
  size_t i, n = strlen(bucket);
  int e;
  for (i = 0; i < n; i += 2) {
    if (!stralloc_copys(&p, parent) || !stralloc_append(&p, "/") ||
        !stralloc_catb(&p, bucket, i + 1) || !sa_cstr(&p)) goto fail;
    if (mkdir(p.s, 0750) == 0) {
      if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(p.s, uid, gid) == -1) goto fail;
    } else if (errno != EEXIST) goto fail;
  }
  stralloc_free(&p);
  return 0;
fail:
  e = errno;
  stralloc_free(&p);
  errno = e;
  return -1;
}

/* Takes the first usable line of freefile into bucket and rewrites the
 * file without it (and without unusable lines before it). Called under
 * the ctlfile lock. 1 taken, 0 none, -1 errno. */
static int take_free(const char *freefile, stralloc *bucket, int *changed,
                     stralloc *rest)
{
  stralloc buf = {0};
  const char *line;
  size_t llen, pos = 0, before;
  int r = af_readfile(&buf, freefile), found = 0;
  *changed = 0;
  rest->len = 0;
  if (r <= 0) { stralloc_free(&buf); return r; }
  for (;;) {
    before = pos;
    if (!next_line(buf.s, buf.len, &pos, &line, &llen)) break;
    while (llen && (line[llen - 1] == ' ' || line[llen - 1] == '\t')) --llen;
    if (llen && line[0] == '#') {
      if (!stralloc_catb(rest, buf.s + before, pos - before)) goto nomem;
      continue;
    }
    if (!llen || !dirhash_bucket_ok(line, llen)) { *changed = 1; continue; }
    if (!stralloc_copyb(bucket, line, llen) || !sa_cstr(bucket)) goto nomem;
    found = 1;
    *changed = 1;
    break;
  }
  if (!stralloc_catb(rest, buf.s + pos, buf.len - pos)) goto nomem;
  stralloc_free(&buf);
  return found;
nomem:
  stralloc_free(&buf);
  errno = ENOMEM;
  return -1;
}

static int rewrite(const char *path, const stralloc *data, uid_t uid, gid_t gid)
{
  struct atomicfile af;
  memset(&af, 0, sizeof af);
  if (af_begin(&af, path, 0, 0600) == -1) return -1;
  if ((data->len && af_write(&af, data->s, data->len) == -1) ||
      ((uid != (uid_t)-1 || gid != (gid_t)-1) && af_chown(&af, uid, gid) == -1)) {
    int e = errno;
    af_abort(&af);
    errno = e;
    return -1;
  }
  return af_commit(&af);
}

int dirhash_alloc(const char *parent, const char *ctlfile, const char *freefile,
                  uid_t uid, gid_t gid, stralloc *bucket)
{
  struct atomicfile af;
  struct dirhash d;
  stralloc img = {0}, rest = {0};
  int freed = 0, changed = 0, e;

  memset(&af, 0, sizeof af);
  if (af_begin(&af, ctlfile, 0, 0600) == -1) return -1;
  if (dirhash_read(ctlfile, &d) == -1) goto fail;
  if (freefile) {
    freed = take_free(freefile, bucket, &changed, &rest);
    if (freed == -1) goto fail;
  }
  if (freed) {
    ++d.cur_users;
  } else {
    dirhash_next(&d);
    if (!stralloc_copys(bucket, d.the_dir) || !sa_cstr(bucket)) goto nomem;
  }
  if (bucket->len && make_bucket(parent, bucket->s, uid, gid) == -1) goto fail;
  if (changed && rewrite(freefile, &rest, uid, gid) == -1) goto fail;
  if (!dirhash_format(&img, &d)) goto nomem;
  if (af_write(&af, img.s, img.len) == -1) goto fail;
  if ((uid != (uid_t)-1 || gid != (gid_t)-1) && af_chown(&af, uid, gid) == -1) goto fail;
  stralloc_free(&img);
  stralloc_free(&rest);
  return af_commit(&af) == -1 ? -1 : 1;
nomem:
  errno = ENOMEM;
fail:
  e = errno;
  af_abort(&af);
  stralloc_free(&img);
  stralloc_free(&rest);
  errno = e;
  return -1;
}

int dirhash_release(const char *ctlfile, const char *freefile,
                    const char *bucket, size_t len)
{
  struct atomicfile af;
  struct dirhash d;
  struct stat st;
  stralloc img = {0}, line = {0};
  int fd, e, have = 1;

  if (!dirhash_bucket_ok(bucket, len)) { errno = EINVAL; return -1; }
  memset(&af, 0, sizeof af);
  if (af_begin(&af, ctlfile, 0, 0600) == -1) return -1;
  if (stat(ctlfile, &st) == -1) {
    if (errno != ENOENT) goto fail;
    have = 0;                               /* nothing to decrement */
  } else {
    if (dirhash_read(ctlfile, &d) == -1) goto fail;
    if (d.cur_users) --d.cur_users;
    if (!dirhash_format(&img, &d)) goto nomem;
    if (af_write(&af, img.s, img.len) == -1) goto fail;
    if (geteuid() == 0 && af_chown(&af, st.st_uid, st.st_gid) == -1) goto fail;
  }
  if (freefile && len) {
    /* one O_APPEND write, under the record's lock like every change */
    if (!stralloc_copyb(&line, bucket, len) || !stralloc_append(&line, "\n")) goto nomem;
    fd = open(freefile, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600);
    if (fd == -1) goto fail;
    if (have && geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) == -1) {
      e = errno; close(fd); errno = e;
      goto fail;
    }
    if (write(fd, line.s, line.len) != (ssize_t)line.len) {
      e = errno ? errno : EIO;
      close(fd);
      errno = e;
      goto fail;
    }
    if (close(fd) == -1) goto fail;
  }
  stralloc_free(&img);
  stralloc_free(&line);
  if (!have) { af_abort(&af); return 1; }
  return af_commit(&af) == -1 ? -1 : 1;
nomem:
  errno = ENOMEM;
fail:
  e = errno;
  af_abort(&af);
  stralloc_free(&img);
  stralloc_free(&line);
  errno = e;
  return -1;
}
