/* lib/assign.c — users/assign, users/cdb (qmail-newu) and the sorted
 * line files vpopmail maintains (see assign.h).
 *
 * Invariants: users/assign always ends with a "." line; users/cdb is
 * only replaced whole (temporary + rename) and only from an assign that
 * qmail-newu would accept; lookups never read assign. Rewrites hold
 * users/assign.lock, and assign_newu takes the same lock, so the cdb is
 * always compiled from the newest assign.
 *
 * SECURITY: users/assign and the control files are written by root or
 * the mail-store id only, but may have been edited by hand: every parser
 * here is bounded by the buffer length, tolerates any bytes, and
 * assign_newu refuses exactly what qmail-newu refuses rather than
 * writing a partial cdb. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomicfile.h"
#include "assign.h"
#include "byte.h"
#include "cdbmap.h"
#include "paths.h"
#include "sa.h"
#include "scan.h"
#include "str.h"

#define MAX_LABELS 10

void assign_free(struct vdomain *d)
{
  stralloc_free(&d->name);
  stralloc_free(&d->real);
  stralloc_free(&d->dir);
  d->uid = d->gid = 0;
  d->is_alias = 0;
}

/* ---------- sort key ---------- */

int assign_sortkey(stralloc *key, const char *line, size_t len, int ftype)
{
  size_t j = (ftype == ASSIGN_FT_ASSIGN) ? 1 : 0;
  size_t start, end, i, n = 0;
  size_t ls[MAX_LABELS], ll[MAX_LABELS];

  if (j > len) j = len;
  start = j;
  end = start + byte_chr(line + start, len - start, ':');
  if (ftype == ASSIGN_FT_ASSIGN && end > start) --end;
  /* split on '.', empty labels dropped, at most 10 labels kept */
  i = start;
  while (i < end && n < MAX_LABELS) {
    size_t k;
    while (i < end && line[i] == '.') ++i;
    if (i >= end) break;
    k = i;
    while (k < end && line[k] != '.') ++k;
    ls[n] = i; ll[n] = k - i; ++n;
    i = k;
  }
  if (n <= 1) return stralloc_copyb(key, line + start, end - start);
  if (!stralloc_copyb(key, line + ls[n - 2], ll[n - 2])) return 0;
  if (!stralloc_append(key, ".")) return 0;
  if (!stralloc_catb(key, line + ls[n - 1], ll[n - 1])) return 0;
  for (i = 0; i + 2 < n; ++i) {
    if (!stralloc_append(key, ".")) return 0;
    if (!stralloc_catb(key, line + ls[i], ll[i])) return 0;
  }
  return 1;
}

/* strcmp on (ptr,len) strings: bytes unsigned, a prefix sorts first. */
static int keycmp(const stralloc *a, const stralloc *b)
{
  size_t n = a->len < b->len ? a->len : b->len;
  size_t i;
  for (i = 0; i < n; ++i) {
    unsigned char x = (unsigned char)a->s[i], y = (unsigned char)b->s[i];
    if (x != y) return x < y ? -1 : 1;
  }
  if (a->len == b->len) return 0;
  return a->len < b->len ? -1 : 1;
}

struct sline {
  const char *s;
  size_t len;
  stralloc key;
};

static void slines_free(struct sline *v, size_t n)
{
  size_t i;
  for (i = 0; i < n; ++i) stralloc_free(&v[i].key);
  free(v);
}

/* stable merge sort by key */
static void msort(struct sline *v, struct sline *tmp, size_t n)
{
  size_t m, i, j, k;
  if (n < 2) return;
  m = n / 2;
  msort(v, tmp, m);
  msort(v + m, tmp, n - m);
  i = 0; j = m; k = 0;
  while (i < m && j < n) {
    if (keycmp(&v[j].key, &v[i].key) < 0) tmp[k++] = v[j++];
    else tmp[k++] = v[i++];
  }
  while (i < m) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  for (i = 0; i < n; ++i) v[i] = tmp[i];
}

static int is_dot(const char *s, size_t len)
{
  return len == 1 && s[0] == '.';
}

int assign_lines_insert(stralloc *out, const char *text, size_t tlen,
                        const char *line, size_t llen, int ftype, int *resorted)
{
  struct sline *v = 0, *tmp = 0;
  size_t n = 0, cap = 0, pos = 0, i;
  stralloc newkey = {0}, prev = {0};
  int hit = 0, needsort = 0, ok = 0;

  *resorted = 0;
  if (!assign_sortkey(&newkey, line, llen, ftype)) goto done;
  /* collect the existing lines (minus "." for assign) */
  while (pos < tlen) {
    size_t e = pos + byte_chr(text + pos, tlen - pos, '\n');
    if (!(ftype == ASSIGN_FT_ASSIGN && is_dot(text + pos, e - pos))) {
      if (n + 2 > cap) {
        struct sline *nv;
        cap = cap ? cap * 2 : 32;
        nv = realloc(v, cap * sizeof *v);
        if (!nv) goto done;
        v = nv;
      }
      v[n].s = text + pos;
      v[n].len = e - pos;
      v[n].key.s = 0; v[n].key.len = v[n].key.a = 0;
      ++n;
      if (!assign_sortkey(&v[n - 1].key, v[n - 1].s, v[n - 1].len, ftype)) goto done;
    }
    pos = e < tlen ? e + 1 : e;
  }
  if (!v) {
    v = malloc(sizeof *v);
    if (!v) goto done;
    cap = 1;
  }
  /* order check and insert point, as vpopmail's update_file */
  for (i = 0; i < n; ++i) {
    if (!hit && keycmp(&v[i].key, &newkey) > 0) hit = 1 + (int)i;
    if (keycmp(&prev, &v[i].key) > 0) needsort = 1;
    if (!stralloc_copy(&prev, &v[i].key)) goto done;
  }
  {
    size_t at = hit ? (size_t)(hit - 1) : n;
    if (n + 1 > cap) {
      struct sline *nv = realloc(v, (n + 1) * sizeof *v);
      if (!nv) goto done;
      v = nv;
    }
    for (i = n; i > at; --i) v[i] = v[i - 1];
    v[at].s = line;
    v[at].len = llen;
    v[at].key = newkey;
    newkey.s = 0; newkey.len = newkey.a = 0;
    ++n;
  }
  if (needsort) {
    tmp = malloc(n * sizeof *tmp);
    if (!tmp) goto done;
    msort(v, tmp, n);
    *resorted = 1;
  }
  out->len = 0;
  for (i = 0; i < n; ++i) {
    if (!stralloc_catb(out, v[i].s, v[i].len)) goto done;
    if (!stralloc_append(out, "\n")) goto done;
  }
  if (ftype == ASSIGN_FT_ASSIGN && !stralloc_cats(out, ".\n")) goto done;
  ok = 1;
done:
  if (v) slines_free(v, n);
  free(tmp);
  stralloc_free(&newkey);
  stralloc_free(&prev);
  if (!ok) errno = ENOMEM;
  return ok;
}

long assign_lines_remove(stralloc *out, const char *text, size_t tlen,
                         const char *line, size_t llen, int prefix)
{
  size_t pos = 0;
  long removed = 0;
  out->len = 0;
  while (pos < tlen) {
    size_t e = pos + byte_chr(text + pos, tlen - pos, '\n');
    size_t l = e - pos;
    int match = prefix ? (l >= llen && byte_equal(text + pos, llen, line))
                       : (l == llen && byte_equal(text + pos, llen, line));
    if (match) ++removed;
    else if (!stralloc_catb(out, text + pos, l) || !stralloc_append(out, "\n")) {
      errno = ENOMEM;
      return -1;
    }
    pos = e < tlen ? e + 1 : e;
  }
  return removed;
}

/* ---------- file rewrites ---------- */

static int write_all(struct atomicfile *af, const stralloc *sa)
{
  if (af_write(af, sa->s, sa->len) < 0) { af_abort(af); return -1; }
  if (af_commit(af) < 0) return -1;
  return 0;
}

int assign_file_insert(const char *path, const char *line, size_t llen, int ftype)
{
  struct atomicfile af;
  stralloc old = {0}, out = {0};
  int resorted = 0, r = -1, e;

  size_t klen = byte_chr(line, llen, ':');
  int prefix = klen < llen;
  stralloc kept = {0};

  if (prefix) ++klen;  /* the key includes its ':' */
  if (af_begin(&af, path, 0, 0644) < 0) return -1;
  if (af_readfile(&old, path) < 0) { e = errno; af_abort(&af); errno = e; goto done; }
  /* an entry with the same key is replaced, so adding twice is harmless */
  if (assign_lines_remove(&kept, old.s, old.len, line, klen, prefix) < 0
      || !assign_lines_insert(&out, kept.s, kept.len, line, llen, ftype, &resorted)) {
    af_abort(&af);
    errno = ENOMEM;
    goto done;
  }
  r = write_all(&af, &out);
  if (r == 0 && resorted)
    fprintf(stderr, "NOTICE: Out of order entries found in %s\n   Sorting...\n\n", path);
done:
  e = errno;
  stralloc_free(&kept);
  stralloc_free(&old);
  stralloc_free(&out);
  errno = e;
  return r;
}

long assign_file_remove(const char *path, const char *line, size_t llen, int prefix)
{
  struct atomicfile af;
  stralloc old = {0}, out = {0};
  long n = -1;
  int e, rr;

  if (access(path, F_OK) < 0) return errno == ENOENT ? 0 : -1;
  if (af_begin(&af, path, 0, 0644) < 0) return -1;
  rr = af_readfile(&old, path);
  if (rr <= 0) {
    e = errno;
    af_abort(&af);
    stralloc_free(&old);
    errno = e;
    return rr == 0 ? 0 : -1;
  }
  n = assign_lines_remove(&out, old.s, old.len, line, llen, prefix);
  if (n <= 0) {
    e = errno;
    af_abort(&af);
  } else {
    if (write_all(&af, &out) < 0) n = -1;
    e = errno;
  }
  stralloc_free(&old);
  stralloc_free(&out);
  errno = e;
  return n;
}

/* ---------- users/assign ---------- */

static int users_path(stralloc *sa, const char *rel)
{
  if (!paths_qmail(sa, rel)) { errno = ENOMEM; return 0; }
  return 1;
}

static int ensure_users_dir(void)
{
  stralloc d = {0};
  int r = 0;
  if (!users_path(&d, "users")) return -1;
  if (mkdir(d.s, 0755) < 0 && errno != EEXIST) r = -1;
  stralloc_free(&d);
  return r;
}

int assign_add(const char *domain, const char *real, unsigned long uid,
               unsigned long gid, const char *dir)
{
  stralloc line = {0}, path = {0};
  int r = -1, e;

  if (ensure_users_dir() < 0) return -1;
  if (!users_path(&path, "users/assign")) return -1;
  if (!stralloc_copys(&line, "+") || !stralloc_cats(&line, domain)
      || !stralloc_cats(&line, "-:") || !stralloc_cats(&line, real)
      || !stralloc_append(&line, ":") || !sa_catulong(&line, uid)
      || !stralloc_append(&line, ":") || !sa_catulong(&line, gid)
      || !stralloc_append(&line, ":") || !stralloc_cats(&line, dir)
      || !stralloc_cats(&line, ":-::")) {
    errno = ENOMEM;
    goto done;
  }
  if (assign_file_insert(path.s, line.s, line.len, ASSIGN_FT_ASSIGN) < 0) goto done;
  r = assign_newu();
done:
  e = errno;
  stralloc_free(&line);
  stralloc_free(&path);
  errno = e;
  return r;
}

int assign_remove(const char *domain)
{
  stralloc line = {0}, path = {0};
  long n = -1;
  int e;

  if (!users_path(&path, "users/assign")) return -1;
  if (!stralloc_copys(&line, "+") || !stralloc_cats(&line, domain)
      || !stralloc_cats(&line, "-:")) {
    errno = ENOMEM;
    goto done;
  }
  n = assign_file_remove(path.s, line.s, line.len, 1);
  if (n >= 0 && assign_newu() < 0) n = -1;
done:
  e = errno;
  stralloc_free(&line);
  stralloc_free(&path);
  errno = e;
  return n < 0 ? -1 : (n > 0 ? 1 : 0);
}

/* ---------- qmail-newu ---------- */

int assign_newu_parse(const char *text, size_t len,
                      int (*emit)(void *arg, const char *k, size_t kl,
                                  const char *v, size_t vl),
                      void *arg)
{
  stralloc key = {0}, data = {0}, wild = {0};
  size_t pos = 0;
  int r = -1;

  for (;;) {
    size_t e, l, i, numcolons;
    int match;
    if (pos >= len) { errno = EINVAL; goto done; } /* no "." line */
    e = pos + byte_chr(text + pos, len - pos, '\n');
    match = e < len;
    l = e - pos;
    if (l && text[pos] == '.') break;
    if (!match) { errno = EINVAL; goto done; }
    if (byte_chr(text + pos, l, '\0') < l) { errno = EINVAL; goto done; }
    i = byte_chr(text + pos, l, ':');
    if (i == l || i == 0) { errno = EINVAL; goto done; }
    if (!stralloc_copys(&key, "!")) goto nomem;
    if (text[pos] == '+') {
      if (!stralloc_catb(&key, text + pos + 1, i - 1)) goto nomem;
      if (i >= 2 && byte_chr(wild.s, wild.len, text[pos + i - 1]) == wild.len)
        if (!stralloc_append(&wild, text + pos + i - 1)) goto nomem;
    } else {
      if (!stralloc_catb(&key, text + pos + 1, i - 1)) goto nomem;
      if (!stralloc_catb(&key, "", 1)) goto nomem;
    }
    { size_t k; for (k = 0; k < key.len; ++k)
        if (key.s[k] >= 'A' && key.s[k] <= 'Z') key.s[k] = (char)(key.s[k] + 32); }
    /* the data keeps the '\n' as qmail-newu's getln does, cut at colon 6 */
    if (!stralloc_copyb(&data, text + pos + i + 1, l + 1 - i - 1)) goto nomem;
    numcolons = 0;
    for (i = 0; i < data.len; ++i)
      if (data.s[i] == ':') {
        data.s[i] = 0;
        if (++numcolons == 6) break;
      }
    if (numcolons < 6) { errno = EINVAL; goto done; }
    data.len = i;
    if (emit(arg, key.s, key.len, data.s, data.len) < 0) goto done;
    pos = e + 1;
  }
  if (emit(arg, "", 0, wild.s ? wild.s : "", wild.len) < 0) goto done;
  r = 0;
  goto done;
nomem:
  errno = ENOMEM;
done:
  { int e2 = errno;
    stralloc_free(&key); stralloc_free(&data); stralloc_free(&wild);
    errno = e2; }
  return r;
}

static int newu_emit(void *arg, const char *k, size_t kl, const char *v, size_t vl)
{
  struct cdbmap_writer *w = arg;
  return cdbmap_write_add(w, k, kl, v, vl) < 0 ? -1 : 0;
}

int assign_newu(void)
{
  stralloc apath = {0}, lpath = {0}, cpath = {0}, tpath = {0}, text = {0};
  struct cdbmap_writer w;
  int lockfd = -1, r = -1, e, rr;

  if (!users_path(&apath, "users/assign") || !users_path(&cpath, "users/cdb")) goto done;
  if (!stralloc_copy(&lpath, &apath) || !stralloc_cats(&lpath, ".lock") || !sa_cstr(&lpath)
      || !stralloc_copy(&tpath, &cpath) || !stralloc_cats(&tpath, ".tmp")
      || !sa_cstr(&tpath)) { errno = ENOMEM; goto done; }
  lockfd = open(lpath.s, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (lockfd < 0) goto done;
  if (flock(lockfd, LOCK_EX) < 0) goto done;
  rr = af_readfile(&text, apath.s);
  if (rr < 0) goto done;
  if (rr == 0) { errno = ENOENT; goto done; }
  if (cdbmap_write_begin(&w, cpath.s, tpath.s) < 0) goto done;
  if (assign_newu_parse(text.s, text.len, newu_emit, &w) < 0) {
    e = errno;
    cdbmap_write_abort(&w);
    errno = e;
    goto done;
  }
  if (cdbmap_write_commit(&w) < 0) goto done;
  r = 0;
done:
  e = errno;
  if (lockfd >= 0) close(lockfd);
  stralloc_free(&apath); stralloc_free(&lpath); stralloc_free(&cpath);
  stralloc_free(&tpath); stralloc_free(&text);
  errno = e;
  return r;
}

/* ---------- parsing and lookup ---------- */

/* Splits (s, len) on sep into at most max fields; returns the count. */
static size_t split(const char *s, size_t len, char sep, const char **f, size_t *fl, size_t max)
{
  size_t n = 0, pos = 0;
  while (n < max) {
    size_t e = pos + byte_chr(s + pos, len - pos, sep);
    f[n] = s + pos; fl[n] = e - pos; ++n;
    if (e >= len) break;
    pos = e + 1;
  }
  return n;
}

static int scan_id(const char *s, size_t len, unsigned long *out)
{
  size_t k;
  if (!len) return 0;
  k = scan_ulong(s, out);
  return k == len;
}

static int fill(struct vdomain *d, const char *name, size_t nlen,
                const char **f, size_t *fl)
{
  if (!sa_copyb_lower(&d->name, name, nlen)) return -1;
  if (!sa_copyb_lower(&d->real, f[0], fl[0])) return -1;
  if (!stralloc_copyb(&d->dir, f[3], fl[3]) || !sa_cstr(&d->dir)) return -1;
  d->is_alias = !(d->name.len == d->real.len && byte_equal(d->name.s, d->name.len, d->real.s));
  return 1;
}

int assign_parse_line(struct vdomain *d, const char *line, size_t len)
{
  const char *f[6];
  size_t fl[6], i, n;
  unsigned long uid, gid;
  char tmp[32];

  if (len < 3 || line[0] != '+') return 0;
  i = byte_chr(line, len, ':');
  if (i == len || i < 3 || line[i - 1] != '-') return 0;
  if (byte_chr(line + 1, i - 2, '.') == i - 2) return 0;
  n = split(line + i + 1, len - i - 1, ':', f, fl, 6);
  if (n < 4) return 0;
  if (fl[1] >= sizeof tmp || fl[2] >= sizeof tmp) return 0;
  byte_copy(tmp, fl[1], f[1]); tmp[fl[1]] = 0;
  if (!scan_id(tmp, fl[1], &uid)) return 0;
  byte_copy(tmp, fl[2], f[2]); tmp[fl[2]] = 0;
  if (!scan_id(tmp, fl[2], &gid)) return 0;
  d->uid = uid;
  d->gid = gid;
  if (fill(d, line + 1, i - 2, f, fl) < 0) { errno = ENOMEM; return -1; }
  return 1;
}

int assign_lookup(struct vdomain *d, const char *domain, size_t len)
{
  stralloc path = {0}, key = {0}, val = {0};
  const char *f[6];
  size_t fl[6], n;
  int r = -1, e;
  unsigned long uid, gid;

  if (!users_path(&path, "users/cdb")) return -1;
  if (!stralloc_copys(&key, "!") || !stralloc_catb(&key, domain, len)
      || !stralloc_append(&key, "-")) { errno = ENOMEM; goto done; }
  { size_t k; for (k = 1; k < key.len; ++k)
      if (key.s[k] >= 'A' && key.s[k] <= 'Z') key.s[k] = (char)(key.s[k] + 32); }
  r = cdbmap_lookup(path.s, key.s, key.len, &val, 0);
  if (r <= 0) goto done;
  n = split(val.s, val.len, '\0', f, fl, 6);
  r = -1;
  if (n < 4) { errno = EINVAL; goto done; }
  /* the cdb value's fields are NUL-separated, so each is a C string */
  if (!scan_id(f[1], fl[1], &uid) || !scan_id(f[2], fl[2], &gid)) { errno = EINVAL; goto done; }
  d->uid = uid;
  d->gid = gid;
  if (fill(d, domain, len, f, fl) < 0) { errno = ENOMEM; goto done; }
  r = 1;
done:
  e = errno;
  stralloc_free(&path); stralloc_free(&key); stralloc_free(&val);
  errno = e;
  return r;
}

int assign_list(int (*fn)(const struct vdomain *d, void *arg), void *arg)
{
  stralloc path = {0}, text = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  size_t pos = 0;
  int r = -1, e, rr;

  if (!users_path(&path, "users/assign")) return -1;
  rr = af_readfile(&text, path.s);
  if (rr < 0) goto done;
  if (rr == 0) { errno = ENOENT; goto done; }
  r = 0;
  while (pos < text.len) {
    size_t eol = pos + byte_chr(text.s + pos, text.len - pos, '\n');
    int p = assign_parse_line(&d, text.s + pos, eol - pos);
    if (p < 0) { r = -1; break; }
    if (p > 0) {
      r = fn(&d, arg);
      if (r) break;
    }
    pos = eol + 1;
  }
done:
  e = errno;
  assign_free(&d);
  stralloc_free(&path);
  stralloc_free(&text);
  errno = e;
  return r;
}
