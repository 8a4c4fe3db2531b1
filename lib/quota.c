/* lib/quota.c — vpopmail quota strings and Maildir++ maildirsize.
 *
 * Invariants: quota_normalize produces only "", "NOQUOTA", "<n>S",
 * "<n>C" or "<n>S,<n>C" with decimal n; quota_parse accepts exactly the
 * stored forms; a usage figure is never invented: any I/O error other
 * than a message vanishing during a walk is returned as -1 with errno,
 * so a delivery is deferred rather than accepted over quota.
 *
 * maildirsize writes: deltas are one O_APPEND write each (atomic with
 * respect to other appenders); a recomputed file is built in tmp/ and
 * renamed over the old one, so readers see either file whole.
 *
 * SECURITY: quota strings come from the command line and the user
 * store; maildirsize and message file names come from the user's own
 * Maildir (writable by IMAP clients). Numbers are parsed with overflow
 * checks; file names are only used as (ptr,len) views for ",S=" and the
 * flags; the walk does not follow subfolder names outside the Maildir
 * (readdir names contain no '/'). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "fmt.h"
#include "maildir.h"
#include "quota.h"
#include "sa.h"

#define MDS_MAXSIZE 5120
#define MDS_MAXAGE (15 * 60)

/* --- quota strings ---------------------------------------------------- */

/* Leading decimal digits of (s, len) into *n. Returns the number of
 * digits (0: none), or -1 on overflow. */
static long scan_digits(const char *s, size_t len, unsigned long long *n)
{
  size_t i;
  unsigned long long v = 0;
  for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; ++i) {
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (~0ULL - d) / 10) return -1;
    v = v * 10 + d;
  }
  *n = v;
  return (long)i;
}

static int cat_ull(stralloc *sa, unsigned long long n)
{
  char buf[24];
  size_t i = sizeof buf;
  do { buf[--i] = (char)('0' + n % 10); n /= 10; } while (n);
  return stralloc_catb(sa, buf + i, sizeof buf - i);
}

static int cat_ll(stralloc *sa, long long n)
{
  if (n < 0) {
    if (!stralloc_append(sa, "-")) return 0;
    return cat_ull(sa, (unsigned long long)(-(n + 1)) + 1);
  }
  return cat_ull(sa, (unsigned long long)n);
}

int quota_normalize(stralloc *out, const char *in, size_t len)
{
  unsigned long long size = 0, count = 0;
  size_t start = 0, end;

  out->len = 0;
  if (len == 7 && !memcmp(in, "NOQUOTA", 7)) {
    if (!stralloc_copys(out, "NOQUOTA") || !sa_cstr(out)) return -1;
    return 1;
  }
  if (memchr(in, '\0', len)) { errno = EINVAL; return 0; }
  while (start < len) {
    const char *p;
    size_t plen;
    unsigned long long n;
    long nd;
    for (end = start; end < len && in[end] != ','; ++end) ;
    p = in + start;
    plen = end - start;
    start = end + 1;
    if (plen == 0) continue;                /* strtok skips empty parts */
    if (p[plen - 1] == 'C') {
      nd = scan_digits(p, plen, &n);
      if (nd <= 0) { errno = EINVAL; return 0; }
      count = n;
      continue;
    }
    if (p[plen - 1] == 'S' || p[plen - 1] == 's') --plen;
    if (plen && (p[plen - 1] == 'B' || p[plen - 1] == 'b')) --plen;
    nd = scan_digits(p, plen, &n);
    if (nd <= 0) { errno = EINVAL; return 0; }
    if (plen && (p[plen - 1] == 'M' || p[plen - 1] == 'm')) {
      if (n > (~0ULL >> 20)) { errno = EINVAL; return 0; }
      n <<= 20;
    } else if (plen && (p[plen - 1] == 'K' || p[plen - 1] == 'k')) {
      if (n > (~0ULL >> 10)) { errno = EINVAL; return 0; }
      n <<= 10;
    }
    size = n;
  }
  if (size) {
    if (!cat_ull(out, size) || !stralloc_append(out, "S")) return -1;
    if (count && !stralloc_append(out, ",")) return -1;
  }
  if (count && (!cat_ull(out, count) || !stralloc_append(out, "C"))) return -1;
  if (!sa_cstr(out)) return -1;
  return 1;
}

int quota_parse(const char *spec, size_t len,
                unsigned long long *bytes, unsigned long long *count)
{
  size_t start = 0, end;
  *bytes = *count = 0;
  if (len == 7 && !memcmp(spec, "NOQUOTA", 7)) return 1;
  while (start < len) {
    unsigned long long n;
    long nd;
    size_t plen;
    for (end = start; end < len && spec[end] != ','; ++end) ;
    plen = end - start;
    nd = scan_digits(spec + start, plen, &n);
    if (nd <= 0) goto bad;
    if ((size_t)nd == plen) *bytes = n;      /* legacy: plain byte count */
    else if ((size_t)nd + 1 == plen && spec[start + nd] == 'S') *bytes = n;
    else if ((size_t)nd + 1 == plen && spec[start + nd] == 'C') *count = n;
    else goto bad;
    start = end + 1;
    if (end + 1 == len) goto bad;           /* trailing ',' */
  }
  return 1;
bad:
  *bytes = *count = 0;
  errno = EINVAL;
  return 0;
}

int quota_has_limit(const char *spec, size_t len)
{
  unsigned long long b, c;
  return quota_parse(spec, len, &b, &c) == 1 && (b || c);
}

/* --- maildirsize ------------------------------------------------------ */

/* The Maildir++ root for maildir (the parent when maildir is a
 * subfolder holding "maildirfolder"), NUL-terminated, no trailing '/'. */
static int mds_root(stralloc *root, const char *maildir)
{
  stralloc p = {0};
  struct stat st;
  size_t n = strlen(maildir);
  while (n > 1 && maildir[n - 1] == '/') --n;
  if (!stralloc_copyb(root, maildir, n) || !sa_cstr(root)) return -1;
  if (!stralloc_copy(&p, root) || !stralloc_cats(&p, "/maildirfolder") || !sa_cstr(&p)) {
    stralloc_free(&p);
    return -1;
  }
  if (stat(p.s, &st) == 0) {
    while (root->len > 1 && root->s[root->len - 1] != '/') --root->len;
    while (root->len > 1 && root->s[root->len - 1] == '/') --root->len;
    if (!sa_cstr(root)) { stralloc_free(&p); return -1; }
  } else if (errno != ENOENT && errno != ENOTDIR) {
    stralloc_free(&p);
    return -1;
  }
  stralloc_free(&p);
  return 0;
}

static int path_of(stralloc *out, const stralloc *root, const char *rel)
{
  return stralloc_copy(out, root) && stralloc_append(out, "/") &&
         stralloc_cats(out, rel) && sa_cstr(out);
}

/* Parses a signed decimal at s[*i], skipping blanks first. 1 or 0. */
static int scan_signed(const char *s, size_t len, size_t *i, long long *v)
{
  unsigned long long n;
  long nd;
  int neg = 0;
  while (*i < len && (s[*i] == ' ' || s[*i] == '\t')) ++*i;
  if (*i < len && s[*i] == '-') { neg = 1; ++*i; }
  nd = scan_digits(s + *i, len - *i, &n);
  if (nd <= 0 || n > 0x7fffffffffffffffULL) return 0;
  *i += (size_t)nd;
  *v = neg ? -(long long)n : (long long)n;
  return 1;
}

/* Parses a maildirsize image: first line into spec, deltas summed.
 * 1 ok, 0 malformed (*got_spec = 1 when the first line was complete),
 * -1 ENOMEM. */
static int mds_parse(const char *buf, size_t len, stralloc *spec, int *got_spec,
                     long long *bytes, long long *count)
{
  size_t i = 0, eol;
  long long b = 0, c = 0;
  for (eol = 0; eol < len && buf[eol] != '\n'; ++eol) ;
  if (eol == len) return 0;                 /* no complete first line */
  if (eol && buf[eol - 1] == '\r') --eol;
  if (!stralloc_copyb(spec, buf, eol) || !sa_cstr(spec)) return -1;
  *got_spec = 1;
  i = eol + 1;
  if (i < len && buf[i] == '\n') ++i;
  while (i < len) {
    long long db, dc;
    if (buf[i] == '\n') { ++i; continue; }
    if (!scan_signed(buf, len, &i, &db)) return 0;
    if (!scan_signed(buf, len, &i, &dc)) return 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r')) ++i;
    if (i < len && buf[i] != '\n') return 0;
    if (__builtin_add_overflow(b, db, &b) || __builtin_add_overflow(c, dc, &c)) return 0;
  }
  *bytes = b;
  *count = c;
  return 1;
}

/* ",S=<n>" in the unique part of a message name. */
static int name_size(const char *name, size_t len, unsigned long long *size)
{
  size_t i, end;
  for (end = 0; end < len && name[end] != ':'; ++end) ;
  for (i = 0; i + 3 <= end; ++i)
    if (name[i] == ',' && name[i + 1] == 'S' && name[i + 2] == '=') {
      long nd = scan_digits(name + i + 3, end - i - 3, size);
      return nd > 0;
    }
  return 0;
}

/* Adds the messages of dir (a new/ or cur/). A missing dir counts 0. */
static int walk_dir(stralloc *path, unsigned long long *bytes, unsigned long long *count)
{
  DIR *dir = opendir(path->s);
  struct dirent *de;
  size_t base = path->len;
  if (!dir) return (errno == ENOENT || errno == ENOTDIR) ? 0 : -1;
  for (;;) {
    size_t nlen;
    unsigned long long sz;
    errno = 0;
    de = readdir(dir);
    if (!de) break;
    if (de->d_name[0] == '.') continue;
    nlen = strlen(de->d_name);
    if (maildir_has_flag(de->d_name, nlen, 'T')) continue;
    if (!name_size(de->d_name, nlen, &sz)) {
      struct stat st;
      path->len = base;
      if (!stralloc_append(path, "/") || !stralloc_catb(path, de->d_name, nlen) ||
          !sa_cstr(path)) { closedir(dir); return -1; }
      if (stat(path->s, &st) == -1) {
        if (errno == ENOENT) continue;      /* moved or expunged meanwhile */
        path->len = base; sa_cstr(path);
        closedir(dir);
        return -1;
      }
      if (!S_ISREG(st.st_mode)) continue;
      sz = (unsigned long long)st.st_size;
    }
    *bytes += sz;
    *count += 1;
  }
  path->len = base;
  sa_cstr(path);
  if (errno) { int e = errno; closedir(dir); errno = e; return -1; }
  closedir(dir);
  return 0;
}

static int walk_folder(const stralloc *folder, unsigned long long *bytes,
                       unsigned long long *count)
{
  stralloc p = {0};
  int r = -1;
  if (path_of(&p, folder, "new") && walk_dir(&p, bytes, count) == 0 &&
      path_of(&p, folder, "cur") && walk_dir(&p, bytes, count) == 0)
    r = 0;
  stralloc_free(&p);
  return r;
}

/* Recomputes the usage of the Maildir++ root. 0 or -1 errno. */
static int mds_walk(const stralloc *root, unsigned long long *bytes,
                    unsigned long long *count)
{
  DIR *dir;
  struct dirent *de;
  stralloc sub = {0};
  *bytes = *count = 0;
  if (walk_folder(root, bytes, count) == -1) return -1;
  dir = opendir(root->s);
  if (!dir) return -1;
  for (;;) {
    struct stat st;
    errno = 0;
    de = readdir(dir);
    if (!de) break;
    if (de->d_name[0] != '.' || !strcmp(de->d_name, ".") ||
        !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".Trash"))
      continue;
    if (!path_of(&sub, root, de->d_name)) goto fail;
    if (lstat(sub.s, &st) == -1) {
      if (errno == ENOENT) continue;
      goto fail;
    }
    if (!S_ISDIR(st.st_mode)) continue;
    if (walk_folder(&sub, bytes, count) == -1) goto fail;
  }
  if (errno) goto fail;
  closedir(dir);
  stralloc_free(&sub);
  return 0;
fail:
  {
    int e = errno;
    closedir(dir);
    stralloc_free(&sub);
    errno = e;
  }
  return -1;
}

/* Writes a fresh maildirsize (spec, usage) via tmp/ and rename. */
static int mds_write(const stralloc *root, const char *spec, size_t slen,
                     unsigned long long bytes, unsigned long long count,
                     uid_t uid, gid_t gid)
{
  stralloc tmp = {0}, data = {0}, dst = {0};
  char host[256];
  size_t i;
  int fd = -1, e;

  if (gethostname(host, sizeof host) == -1) host[0] = '\0';
  host[sizeof host - 1] = '\0';
  for (i = 0; host[i]; ++i) if (host[i] == '/' || host[i] == ':') host[i] = '_';
  if (!path_of(&tmp, root, "tmp/") ||
      !cat_ull(&tmp, (unsigned long long)time(0)) || !stralloc_append(&tmp, ".") ||
      !cat_ull(&tmp, (unsigned long long)getpid()) ||
      !stralloc_cats(&tmp, "_NeWmAiLdIrSiZe.") || !stralloc_cats(&tmp, host) ||
      !sa_cstr(&tmp) || !path_of(&dst, root, "maildirsize") ||
      !stralloc_copyb(&data, spec, slen) || !stralloc_append(&data, "\n") ||
      !cat_ull(&data, bytes) || !stralloc_append(&data, " ") ||
      !cat_ull(&data, count) || !stralloc_append(&data, "\n"))
    goto fail;
  fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
  if (fd == -1) goto fail;
  if (write(fd, data.s, data.len) != (ssize_t)data.len) { if (!errno) errno = EIO; goto failun; }
  if ((uid != (uid_t)-1 || gid != (gid_t)-1) && fchown(fd, uid, gid) == -1) goto failun;
  if (fsync(fd) == -1) goto failun;
  if (close(fd) == -1) { fd = -1; goto failun; }
  fd = -1;
  if (rename(tmp.s, dst.s) == -1) goto failun;
  stralloc_free(&tmp); stralloc_free(&data); stralloc_free(&dst);
  return 0;
failun:
  e = errno;
  if (fd != -1) close(fd);
  unlink(tmp.s);
  errno = e;
fail:
  e = errno;
  stralloc_free(&tmp); stralloc_free(&data); stralloc_free(&dst);
  errno = e;
  return -1;
}

/* The file's quota line says the same as spec ("1048576" = "1048576S"),
 * so a legacy spelling in the user store does not force a walk on every
 * delivery. */
static int same_spec(const char *a, size_t alen, const char *spec)
{
  unsigned long long ab, ac, sb, sc;
  size_t slen = strlen(spec);
  if (alen == slen && !memcmp(a, spec, alen)) return 1;
  return quota_parse(a, alen, &ab, &ac) == 1 && quota_parse(spec, slen, &sb, &sc) == 1 &&
         ab == sb && ac == sc;
}

/* Core of quota_mds_read. spec_out (may be NULL) gets the spec in
 * effect (the given one or the file's first line). must_write: a failed
 * rewrite is an error. lazy: with no spec and no usable file, report
 * zero usage and an empty spec instead of walking (the caller only wants
 * the usage when there is a limit). */
static int mds_usage(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                     int must_write, int lazy, stralloc *spec_out,
                     unsigned long long *bytes, unsigned long long *count)
{
  stralloc root = {0}, path = {0}, buf = {0}, old = {0};
  struct stat st;
  long long b = 0, c = 0;
  int fd, ok = 0, have_old = 0, r = -1, e;

  if (mds_root(&root, maildir) == -1 || !path_of(&path, &root, "maildirsize")) goto out;
  fd = open(path.s, O_RDONLY | O_NOFOLLOW);
  if (fd == -1) {
    if (errno != ENOENT) goto out;
  } else {
    char chunk[1024];
    ssize_t n;
    if (fstat(fd, &st) == -1) { e = errno; close(fd); errno = e; goto out; }
    for (;;) {
      n = read(fd, chunk, sizeof chunk);
      if (n == 0) break;
      if (n < 0) { if (errno == EINTR) continue; e = errno; close(fd); errno = e; goto out; }
      if (!stralloc_catb(&buf, chunk, (size_t)n)) { close(fd); goto out; }
      if (buf.len > 1024 * 1024) break;     /* absurd: recompute */
    }
    close(fd);
    r = mds_parse(buf.s, buf.len, &old, &have_old, &b, &c);
    if (r == -1) goto out;
    ok = r == 1 && buf.len < MDS_MAXSIZE &&
         st.st_mtime + MDS_MAXAGE >= time(0) &&
         (!spec || same_spec(old.s, old.len, spec));
    r = -1;
  }
  if (!ok && lazy && !spec && !have_old) {
    *bytes = *count = 0;
    if (spec_out) spec_out->len = 0;
  } else if (ok) {
    *bytes = b > 0 ? (unsigned long long)b : 0;
    *count = c > 0 ? (unsigned long long)c : 0;
    if (spec_out && !stralloc_copy(spec_out, &old)) goto out;
  } else {
    const char *s = spec;
    size_t slen = spec ? strlen(spec) : 0;
    if (!s && have_old) { s = old.s; slen = old.len; }
    if (mds_walk(&root, bytes, count) == -1) goto out;
    if (s && mds_write(&root, s, slen, *bytes, *count, uid, gid) == -1 && must_write)
      goto out;
    if (spec_out && !stralloc_copyb(spec_out, s ? s : "", slen)) goto out;
  }
  if (spec_out && !sa_cstr(spec_out)) goto out;
  r = 1;
out:
  e = errno;
  stralloc_free(&root); stralloc_free(&path); stralloc_free(&buf); stralloc_free(&old);
  errno = e;
  return r;
}

int quota_mds_read(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                   unsigned long long *bytes, unsigned long long *count)
{
  *bytes = *count = 0;
  return mds_usage(maildir, spec, uid, gid, 0, 0, 0, bytes, count);
}

int quota_mds_add(const char *maildir, long long bytes, long long count)
{
  stralloc root = {0}, path = {0}, line = {0};
  int fd, r = -1, e;
  ssize_t w;
  if (mds_root(&root, maildir) == -1 || !path_of(&path, &root, "maildirsize") ||
      !cat_ll(&line, bytes) || !stralloc_append(&line, " ") ||
      !cat_ll(&line, count) || !stralloc_append(&line, "\n"))
    goto out;
  fd = open(path.s, O_WRONLY | O_APPEND | O_NOFOLLOW);
  if (fd == -1) {
    if (errno == ENOENT) r = 0;
    goto out;
  }
  w = write(fd, line.s, line.len);
  if (w != (ssize_t)line.len) {
    if (w >= 0) errno = EIO;
    e = errno; close(fd); errno = e;
    goto out;
  }
  if (close(fd) == -1) goto out;
  r = 1;
out:
  e = errno;
  stralloc_free(&root); stralloc_free(&path); stralloc_free(&line);
  errno = e;
  return r;
}

int quota_mds_set(const char *maildir, const char *spec, uid_t uid, gid_t gid)
{
  stralloc root = {0}, path = {0};
  unsigned long long b, c;
  size_t slen = strlen(spec);
  int r = -1, e;
  if (quota_parse(spec, slen, &b, &c) != 1) return 0;
  if (mds_root(&root, maildir) == -1 || !path_of(&path, &root, "maildirsize")) goto out;
  if (unlink(path.s) == -1 && errno != ENOENT) goto out;
  if (!b && !c) { r = 1; goto out; }
  if (mds_walk(&root, &b, &c) == -1) goto out;
  if (mds_write(&root, spec, slen, b, c, uid, gid) == -1) goto out;
  r = 1;
out:
  e = errno;
  stralloc_free(&root); stralloc_free(&path);
  errno = e;
  return r;
}

/* Limits and usage for check/percent. 1 with limits, 0 no limit, -1. */
static int spec_and_usage(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                            unsigned long long *lb, unsigned long long *lc,
                            unsigned long long *ub, unsigned long long *uc)
{
  stralloc eff = {0};
  int e;
  if (spec) {
    if (quota_parse(spec, strlen(spec), lb, lc) != 1) return -1;
    if (!*lb && !*lc) return 0;
    return mds_usage(maildir, spec, uid, gid, 0, 0, 0, ub, uc);
  }
  if (mds_usage(maildir, 0, uid, gid, 0, 1, &eff, ub, uc) == -1) {
    e = errno; stralloc_free(&eff); errno = e;
    return -1;
  }
  if (quota_parse(eff.s, eff.len, lb, lc) != 1) {
    stralloc_free(&eff);
    errno = EINVAL;
    return -1;
  }
  stralloc_free(&eff);
  return (*lb || *lc) ? 1 : 0;
}

int quota_check(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                unsigned long long msgsize, int *over)
{
  unsigned long long lb = 0, lc = 0, ub = 0, uc = 0;
  int r;
  *over = 1;
  r = spec_and_usage(maildir, spec, uid, gid, &lb, &lc, &ub, &uc);
  if (r == -1) return -1;
  *over = 0;
  if (r == 0) return 1;
  if (lb && (ub + msgsize < ub || ub + msgsize > lb)) *over = 1;
  if (lc && uc + 1 > lc) *over = 1;
  return 1;
}

int quota_percent(const char *maildir, const char *spec, uid_t uid, gid_t gid,
                  int *percent)
{
  unsigned long long lb = 0, lc = 0, ub = 0, uc = 0, p = 0, q;
  int r;
  *percent = 0;
  r = spec_and_usage(maildir, spec, uid, gid, &lb, &lc, &ub, &uc);
  if (r == -1) return -1;
  if (r == 0) return 1;
  if (lb) {
    q = ub > ~0ULL / 100 ? ub / lb * 100 : ub * 100 / lb;
    if (q > p) p = q;
  }
  if (lc) {
    q = uc > ~0ULL / 100 ? uc / lc * 100 : uc * 100 / lc;
    if (q > p) p = q;
  }
  *percent = p > 1000000 ? 1000000 : (int)p;
  return 1;
}
