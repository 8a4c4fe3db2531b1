/* qmail-smtpd/qmail-newrcpt.c — compiles the recipient map that
 * qmail-smtpd checks at RCPT (QMAILDIR/users/rcpt.cdb, format in
 * smtp_rcptcheck.h) from users/assign (users/cdb's source), every
 * domain's users (the vauth backend) and .qmail-* files.
 *
 * Invariants: the map holds addresses only, never a password or hash,
 * so it can be world-readable (0644) for the unprivileged qmail-smtpd;
 * it is replaced atomically (rcpt.cdb.tmp + fsync + rename); on any
 * error the old map stays in place and the exit status is 111.
 *
 * SECURITY: run by root or the mail-store id (it reads the user store).
 * Inputs are the administrator's files; names are lower-cased and
 * copied, never interpreted. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "byte.h"
#include "openreadclose.h"
#include "str.h"
#include "assign.h"
#include "cdbmap.h"
#include "log.h"
#include "paths.h"
#include "sa.h"
#include "vauth.h"

struct build {
  struct cdbmap_writer w;
  const struct vdomain *d;
  stralloc key;
};

static int put(struct build *b, const char *local, size_t llen, const char *val)
{
  size_t i;
  if (!stralloc_copyb(&b->key, local, llen) || !stralloc_cats(&b->key, "@")
      || !stralloc_cat(&b->key, &b->d->name)) { errno = ENOMEM; return -1; }
  for (i = 0; i < b->key.len; ++i)
    if (b->key.s[i] >= 'A' && b->key.s[i] <= 'Z') b->key.s[i] = (char)(b->key.s[i] + 32);
  return cdbmap_write_add(&b->w, b->key.s, b->key.len, val, str_len(val)) == 1 ? 0 : -1;
}

static int user(const struct vqpasswd *pw, void *arg)
{
  struct build *b = arg;
  return put(b, pw->name.s, pw->name.len, "") ? -1 : 0;
}

/* 1 when the last word of the first line of (s, len) is w: vpopmail's
 * "| .../vdelivermail '' ACTION" line names its action last. */
static int lastword(const char *s, size_t len, const char *w)
{
  size_t wl = str_len(w), end = byte_chr(s, len, '\n');
  while (end && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r')) --end;
  if (end < wl || !byte_equal(s + end - wl, wl, w)) return 0;
  return end == wl || s[end - wl - 1] == ' ' || s[end - wl - 1] == '\t';
}

/* "" when unknown users of the domain get no delivery (the default
 * .qmail-default delivers with bounce-no-mailbox or delete), "*" when
 * the domain has a catch-all. */
static int domain_mode(const struct vdomain *d, const char **mode)
{
  stralloc path = {0}, text = {0};
  int r;
  *mode = "";
  if (!paths_join(&path, d->dir.s, ".qmail-default")) { errno = ENOMEM; return -1; }
  r = openreadclose(path.s, &text, 4096);
  stralloc_free(&path);
  if (r < 0) return -1;
  if (r == 1 && !lastword(text.s, text.len, "bounce-no-mailbox")
      && !lastword(text.s, text.len, "delete"))
    *mode = "*";
  stralloc_free(&text);
  return 0;
}

static int dotqmail_files(struct build *b)
{
  DIR *dir = opendir(b->d->dir.s);
  struct dirent *e;
  stralloc local = {0};
  int r = 0;
  if (!dir) return -1;
  while ((e = readdir(dir))) {
    const char *f = e->d_name;
    size_t i;
    if (str_diffn(f, ".qmail-", 7) || !str_diff(f, ".qmail-default")) continue;
    /* qmail writes '.' in a local part as ':' in the file name */
    if (!stralloc_copys(&local, f + 7)) { errno = ENOMEM; r = -1; break; }
    for (i = 0; i < local.len; ++i) if (local.s[i] == ':') local.s[i] = '.';
    if (!local.len || put(b, local.s, local.len, "")) { if (local.len) { r = -1; break; } }
  }
  closedir(dir);
  stralloc_free(&local);
  return r;
}

static int domain(const struct vdomain *d, void *arg)
{
  struct build *b = arg;
  const char *mode;
  b->d = d;
  if (d->is_alias) {
    stralloc v = {0};
    int r;
    if (!stralloc_copys(&v, "=") || !stralloc_cat(&v, &d->real) || !sa_cstr(&v)) return -1;
    r = put(b, "", 0, v.s);
    stralloc_free(&v);
    return r;
  }
  if (domain_mode(d, &mode)) return -1;
  if (put(b, "", 0, mode)) return -1;
  if (*mode) return 0;
  if (vauth_listusers(d, user, b) != 0) return -1;
  return dotqmail_files(b);
}

int main(void)
{
  struct build b;
  stralloc path = {0};
  int r;
  log_init("qmail-newrcpt");
  byte_zero(&b, sizeof b);
  if (vauth_open() < 0 || !paths_qmail(&path, "users/rcpt.cdb")
      || cdbmap_write_begin(&b.w, path.s, 0) < 0) {
    log_event("fatal", "open", "error", strerror(errno), (char *)0);
    return 111;
  }
  r = assign_list(domain, &b);
  if (r < 0 && errno == ENOENT) r = 0;   /* no users/assign: no domains */
  if (r != 0 || fchmod(b.w.fd, 0644) < 0 || cdbmap_write_commit(&b.w) < 0) {
    log_event("fatal", "build", "error", strerror(errno), (char *)0);
    cdbmap_write_abort(&b.w);
    return 111;
  }
  return 0;
}
