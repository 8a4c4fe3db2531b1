/* lib/vdomain.c — vpopmail's domain administration (see vdomain.h).
 *
 * A real domain is: a directory <base>/domains/[bucket/]<domain> (0750,
 * owned by the domain ids) holding .qmail-default; a users/assign line
 * (compiled into users/cdb); a line in rcpthosts or morercpthosts; a
 * "d:d" line in virtualdomains; the user store's per-domain data. An
 * alias domain is only the assign/control lines, pointing at the real
 * domain's ids and dir. The bucket comes from the owner's domain
 * counter (<base>/domains/.dir-control, lib/dirhash.h); vdominfo's
 * "users" reads the per-domain user counter the same way.
 *
 * Invariants: a domain "exists" iff users/cdb has it; add creates the
 * directory before the assign line, so a domain in users/cdb always has
 * its directory; delete removes the assign line before the tree.
 *
 * SECURITY: runs as root or the mail-store id on administrator input.
 * Domain names are validated (a-z 0-9 '-' '.', no leading/trailing '-',
 * no "..") before they become path components; the tree removal does
 * not follow symlinks (a symlinked domain dir is only unlinked). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "assign.h"
#include "atomicfile.h"
#include "byte.h"
#include "control.h"
#include "dirhash.h"
#include "paths.h"
#include "qmailctl.h"
#include "sa.h"
#include "scan.h"
#include "str.h"
#include "vaddr.h"
#include "vauth.h"
#include "vdomain.h"
#include "verror.h"

#define MAX_DOMAIN 96

/* ---------- helpers ---------- */

static int check_name(stralloc *lc, const char *domain)
{
  size_t len = str_len(domain);
  if (len > MAX_DOMAIN) return VA_DOMAIN_NAME_TOO_LONG;
  if (!sa_copyb_lower(lc, domain, len)) return VA_MEMORY_ALLOC_ERR;
  if (!vaddr_newdomain_ok(lc->s, lc->len)) return VA_INVALID_DOMAIN_NAME;
  /* vpopmail allows "a..b" and a leading '.'; they cannot be path
   * components we want, so refuse them as invalid names too */
  if (lc->s[0] == '.' || byte_chr(lc->s, lc->len, '/') < lc->len
      || strstr(lc->s, "..")) return VA_INVALID_DOMAIN_NAME;
  return 0;
}

/* 1 exists, 0 not, VA code on error */
static int lookup(struct vdomain *d, const char *name, size_t len)
{
  int r = assign_lookup(d, name, len);
  if (r < 0) return errno == ENOENT ? 0 : VA_CANNOT_READ_ASSIGN;
  return r;
}

static int join3(stralloc *out, const char *a, const char *b, const char *c)
{
  if (!stralloc_copys(out, a) || !stralloc_cats(out, b)) return 0;
  if (c && !stralloc_cats(out, c)) return 0;
  return sa_cstr(out);
}

static void ids_for(const struct vdomain_opts *o, uid_t *uid, gid_t *gid)
{
  if (o && o->have_ids) { *uid = o->uid; *gid = o->gid; return; }
  if (!paths_mailstore_ids(uid, gid)) {  /* vpopmail's compiled default */
    *uid = 89;
    *gid = 89;
  }
}

static void own(const char *path, uid_t uid, gid_t gid)
{
  /* a non-root caller cannot give files away; what it creates is its own */
  if (lchown(path, uid, gid) < 0 && geteuid() == 0)
    fprintf(stderr, "Warning: could not chown %s\n", path);
}

int vdomain_default_line(stralloc *out, const char *action)
{
  if (!stralloc_copys(out, "| ") || !stralloc_cats(out, paths_vpopmaildir())
      || !stralloc_cats(out, "/bin/vdelivermail '' ") || !stralloc_cats(out, action)
      || !stralloc_append(out, "\n")) return VA_MEMORY_ALLOC_ERR;
  return 0;
}

/* Writes <dir>/<file> = text, 0600, owned by uid/gid, via a temporary
 * and rename (no side lock file: a ".qmail-*.lock" would look like an
 * alias to valias and qmailadmin). 0, or -1 with errno. */
int vdomain_write_dotqmail(const char *dir, const char *file, const char *text,
                           size_t len, uid_t uid, gid_t gid)
{
  stralloc p = {0}, t = {0};
  int fd = -1, r = -1, e;
  if (!join3(&p, dir, "/", file) || !stralloc_copy(&t, &p) || !stralloc_cats(&t, ".tmp")
      || !sa_catulong(&t, (unsigned long)getpid()) || !sa_cstr(&t)) { errno = ENOMEM; goto done; }
  fd = open(t.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) goto done;
  if (fchmod(fd, 0600) < 0) goto fail;
  if (geteuid() == 0 && fchown(fd, uid, gid) < 0) goto fail;
  while (len) {
    ssize_t w = write(fd, text, len);
    if (w < 0) { if (errno == EINTR) continue; goto fail; }
    text += w; len -= (size_t)w;
  }
  if (fsync(fd) < 0) goto fail;
  if (close(fd) < 0) { fd = -1; goto fail; }
  fd = -1;
  if (rename(t.s, p.s) < 0) goto fail;
  af_fsync_dir(p.s);
  r = 0;
  goto done;
fail:
  e = errno;
  if (fd >= 0) close(fd);
  fd = -1;
  unlink(t.s);
  errno = e;
done:
  e = errno;
  if (fd >= 0) close(fd);
  stralloc_free(&p);
  stralloc_free(&t);
  errno = e;
  return r;
}

static int write_qmail_default(const char *dir, const stralloc *line, uid_t uid, gid_t gid)
{
  if (vdomain_write_dotqmail(dir, ".qmail-default", line->s, line->len, uid, gid) < 0)
    return VA_COULD_NOT_OPEN_QMAIL_DEFAULT;
  return 0;
}

static int default_action(stralloc *action)
{
  int r = ctl_readline(action, "qmaildefault", "delete");
  if (r < 0) return VA_COULD_NOT_OPEN_QMAIL_DEFAULT;
  if (!(action->len == 6 && byte_equal(action->s, 6, "delete"))
      && !(action->len == 17 && byte_equal(action->s, 17, "bounce-no-mailbox")))
    if (!stralloc_copys(action, "delete")) return VA_MEMORY_ALLOC_ERR;
  if (!sa_cstr(action)) return VA_MEMORY_ALLOC_ERR;
  return 0;
}

static int control_add(const char *name, int bulk)
{
  if (qctl_rcpthosts_add(name, bulk) < 0) return VA_COULD_NOT_UPDATE_FILE;
  if (qctl_virtualdomains_add(name) < 0) return VA_COULD_NOT_UPDATE_FILE;
  if (qctl_locals_remove(name) < 0) return VA_COULD_NOT_UPDATE_FILE;
  return 0;
}

static void control_del(const char *name)
{
  if (qctl_rcpthosts_remove(name) < 0)
    fprintf(stderr, "Warning: could not update rcpthosts for %s\n", name);
  if (qctl_virtualdomains_remove(name) < 0)
    fprintf(stderr, "Warning: could not update virtualdomains for %s\n", name);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st; (void)ftw;
  if (flag == FTW_DP) return rmdir(path) < 0 ? -1 : 0;
  return unlink(path) < 0 ? -1 : 0;
}

static int remove_tree(const char *dir)
{
  struct stat st;
  if (lstat(dir, &st) < 0) return errno == ENOENT ? 0 : -1;
  if (S_ISLNK(st.st_mode)) return unlink(dir);
  return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The domain counter file for a domain dir ".../domains/[bucket/]d":
 * the ".dir-control" in the last "/domains/" component's directory. */
static int counter_path(stralloc *out, const char *dir)
{
  size_t len = str_len(dir), i, at = len;
  for (i = 0; i + 9 <= len; ++i)
    if (byte_equal(dir + i, 9, "/domains/")) at = i;
  if (at == len) return 0;
  if (!stralloc_copyb(out, dir, at + 9) || !stralloc_cats(out, ".dir-control")) return 0;
  return sa_cstr(out);
}

/* ---------- operations ---------- */

int vdomain_add(const char *domain, const struct vdomain_opts *o)
{
  stralloc name = {0}, base = {0}, ddir = {0}, dc = {0}, line = {0}, action = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  stralloc bucket = {0};
  uid_t uid;
  gid_t gid;
  int r, made_dir = 0, added_assign = 0, counted = 0;

  if ((r = check_name(&name, domain))) goto done;
  r = lookup(&d, name.s, name.len);
  if (r < 0) goto done;
  if (r > 0) { r = VA_DOMAIN_ALREADY_EXISTS; goto done; }
  ids_for(o, &uid, &gid);

  /* <base>/domains, the counter and the bucket */
  r = VA_MEMORY_ALLOC_ERR;
  if (!join3(&base, o && o->basedir ? o->basedir : paths_vpopmaildir(), "/domains", 0)) goto done;
  if (mkdir(base.s, 0750) == 0) own(base.s, uid, gid);
  else if (errno != EEXIST) { r = VA_CAN_NOT_MAKE_DOMAINS_DIR; goto done; }
  if (!join3(&dc, base.s, "/.dir-control", 0)) goto done;
  /* only root can give files away; others leave them as created */
  if (dirhash_alloc(base.s, dc.s, 0, geteuid() == 0 ? uid : (uid_t)-1,
                    geteuid() == 0 ? gid : (gid_t)-1, &bucket) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
  counted = 1;
  if (!stralloc_copy(&ddir, &base) || !stralloc_append(&ddir, "/")) goto done;
  if (bucket.len && (!stralloc_cat(&ddir, &bucket) || !stralloc_append(&ddir, "/"))) goto done;
  if (!stralloc_cat(&ddir, &name) || !sa_cstr(&ddir)) goto done;
  if (ddir.len > 160) { r = VA_DIR_TOO_LONG; goto done; }
  if (mkdir(ddir.s, 0750) < 0) { r = VA_COULD_NOT_MAKE_DOMAIN_DIR; goto done; }
  made_dir = 1;

  if ((r = default_action(&action))) goto done;
  if ((r = vdomain_default_line(&line, action.s))) goto done;
  if ((r = write_qmail_default(ddir.s, &line, uid, gid))) goto done;

  if (assign_add(name.s, name.s, uid, gid, ddir.s) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
  added_assign = 1;
  if ((r = control_add(name.s, o && o->bulk))) goto done;
  own(ddir.s, uid, gid);

  if (lookup(&d, name.s, name.len) != 1) { r = VA_CANNOT_READ_ASSIGN; goto done; }
  r = vauth_adddomain(&d);
  if (r) {
    fprintf(stderr, "Error: could not add %s to the user store, rolling back\n", name.s);
    goto done;
  }
  if (!(o && o->bulk)) qctl_hup_qmail_send();
  r = 0;
done:
  if (r && added_assign) {
    assign_remove(name.s);
    control_del(name.s);
  }
  if (r && made_dir) remove_tree(ddir.s);
  if (r && counted) dirhash_release(dc.s, 0, "", 0);
  stralloc_free(&bucket);
  assign_free(&d);
  stralloc_free(&name); stralloc_free(&base); stralloc_free(&ddir);
  stralloc_free(&dc); stralloc_free(&line); stralloc_free(&action);
  return r;
}

int vdomain_add_alias(const char *alias, const char *real, int bulk)
{
  stralloc a = {0}, rl = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0}, x = {{0}, {0}, 0, 0, {0}, 0};
  int r;

  if ((r = check_name(&a, alias))) goto done;
  if (!sa_copyb_lower(&rl, real, str_len(real))) { r = VA_MEMORY_ALLOC_ERR; goto done; }
  r = lookup(&d, rl.s, rl.len);
  if (r < 0) goto done;
  if (r == 0) { r = VA_DOMAIN_DOES_NOT_EXIST; goto done; }
  r = lookup(&x, a.s, a.len);
  if (r < 0) goto done;
  if (r > 0) { r = VA_DOMAIN_ALREADY_EXISTS; goto done; }
  if (assign_add(a.s, d.real.s, d.uid, d.gid, d.dir.s) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
  if ((r = control_add(a.s, bulk))) goto done;
  if (!bulk) qctl_hup_qmail_send();
  r = 0;
done:
  assign_free(&d);
  assign_free(&x);
  stralloc_free(&a);
  stralloc_free(&rl);
  return r;
}

struct alias_walk {
  const char *real;
  stralloc *out;
  int err;
};

static int collect_alias(const struct vdomain *d, void *arg)
{
  struct alias_walk *w = arg;
  if (!d->is_alias || !str_equal(d->real.s, w->real)) return 0;
  if (!stralloc_catb(w->out, d->name.s, d->name.len) || !stralloc_catb(w->out, "", 1)) {
    w->err = VA_MEMORY_ALLOC_ERR;
    return 1;
  }
  return 0;
}

int vdomain_aliases(stralloc *out, const char *real)
{
  struct alias_walk w;
  stralloc rl = {0};
  int r;
  out->len = 0;
  if (!sa_copyb_lower(&rl, real, str_len(real))) return VA_MEMORY_ALLOC_ERR;
  w.real = rl.s;
  w.out = out;
  w.err = 0;
  r = assign_list(collect_alias, &w);
  stralloc_free(&rl);
  if (w.err) return w.err;
  if (r < 0) return errno == ENOENT ? 0 : VA_CANNOT_READ_ASSIGN;
  return 0;
}

int vdomain_del(const char *domain, int force, stralloc *aliases)
{
  stralloc name = {0}, al = {0}, dc = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  size_t pos;
  int r;

  if (aliases) aliases->len = 0;
  if (!sa_copyb_lower(&name, domain, str_len(domain))) return VA_MEMORY_ALLOC_ERR;
  r = lookup(&d, name.s, name.len);
  if (r < 0) goto done;
  if (r == 0) { r = VA_DOMAIN_DOES_NOT_EXIST; goto done; }

  if (d.is_alias) {
    control_del(name.s);
    if (assign_remove(name.s) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
    qctl_hup_qmail_send();
    r = 0;
    goto done;
  }
  if ((r = vdomain_aliases(&al, name.s))) goto done;
  if (aliases && !stralloc_copy(aliases, &al)) { r = VA_MEMORY_ALLOC_ERR; goto done; }
  if (al.len && !force) { r = 1; goto done; }

  /* the aliases, then the domain's own lines, then its data */
  for (pos = 0; pos < al.len; pos += str_len(al.s + pos) + 1) {
    control_del(al.s + pos);
    if (assign_remove(al.s + pos) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
  }
  control_del(name.s);
  if (assign_remove(name.s) < 0) { r = VA_COULD_NOT_UPDATE_FILE; goto done; }
  r = vauth_deldomain(&d);
  if (r) fprintf(stderr, "Warning: could not remove %s from the user store\n", name.s);
  if (remove_tree(d.dir.s) < 0)
    fprintf(stderr, "Warning: could not remove %s\n", d.dir.s);
  if (counter_path(&dc, d.dir.s) && dirhash_release(dc.s, 0, "", 0) < 0)
    fprintf(stderr, "Warning: could not update %s\n", dc.s);
  qctl_hup_qmail_send();
  r = 0;
done:
  assign_free(&d);
  stralloc_free(&name); stralloc_free(&al); stralloc_free(&dc);
  return r;
}

int vdomain_set_catchall(const char *domain, const char *target)
{
  stralloc line = {0}, act = {0};
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  int r = lookup(&d, domain, str_len(domain));
  if (r < 0) goto done;
  if (r == 0) { r = VA_DOMAIN_DOES_NOT_EXIST; goto done; }
  r = VA_MEMORY_ALLOC_ERR;
  if (target[str_chr(target, '@')] || str_equal(target, "delete")
      || str_equal(target, "bounce-no-mailbox")) {
    if (!stralloc_copys(&act, target)) goto done;
  } else {
    if (!stralloc_copy(&act, &d.dir) || !stralloc_append(&act, "/")
        || !stralloc_cats(&act, target)) goto done;
  }
  if (!sa_cstr(&act)) goto done;
  if ((r = vdomain_default_line(&line, act.s))) goto done;
  r = write_qmail_default(d.dir.s, &line, (uid_t)d.uid, (gid_t)d.gid);
done:
  assign_free(&d);
  stralloc_free(&line);
  stralloc_free(&act);
  return r;
}

int vdomain_user_count(const struct vdomain *d, unsigned long *count)
{
  stralloc p = {0};
  struct dirhash h;
  *count = 0;
  if (!join3(&p, d->dir.s, "/.dir-control", 0)) return VA_MEMORY_ALLOC_ERR;
  if (dirhash_read(p.s, &h) < 0) { stralloc_free(&p); return VA_BAD_V_DIR; }
  stralloc_free(&p);
  *count = h.cur_users;
  return 0;
}

/* ---------- valias, file backend ---------- */

/* SECURITY: vpopmail's user characters include '/', so "a/../x@d"
 * would name a file outside the domain: such names are refused
 * (EINVAL), as are empty ones. */
static int valias_file(stralloc *out, const struct vdomain *d, const char *alias)
{
  size_t i, start;
  if (!*alias || alias[str_chr(alias, '/')]) { errno = EINVAL; return 0; }
  if (!stralloc_copy(out, &d->dir) || !stralloc_cats(out, "/.qmail-")) return 0;
  start = out->len;
  if (!stralloc_cats(out, alias)) return 0;
  for (i = start; i < out->len; ++i) if (out->s[i] == '.') out->s[i] = ':';
  return sa_cstr(out);
}

int vdomain_valias_lines(stralloc *out, const struct vdomain *d, const char *alias)
{
  stralloc p = {0}, t = {0};
  size_t pos = 0;
  int r, e;
  out->len = 0;
  if (!valias_file(&p, d, alias)) { if (errno != EINVAL) errno = ENOMEM; return -1; }
  r = af_readfile(&t, p.s);
  if (r > 0) {
    while (pos < t.len) {
      size_t eol = pos + byte_chr(t.s + pos, t.len - pos, '\n');
      if (!stralloc_catb(out, t.s + pos, eol - pos) || !stralloc_catb(out, "", 1)) {
        errno = ENOMEM; r = -1; break;
      }
      pos = eol + 1;
    }
  }
  e = errno;
  stralloc_free(&p);
  stralloc_free(&t);
  errno = e;
  return r;
}

static int cmp_ci(const void *a, const void *b)
{
  const unsigned char *x = *(const unsigned char *const *)a;
  const unsigned char *y = *(const unsigned char *const *)b;
  for (;; ++x, ++y) {
    int cx = (*x >= 'A' && *x <= 'Z') ? *x + 32 : *x;
    int cy = (*y >= 'A' && *y <= 'Z') ? *y + 32 : *y;
    if (cx != cy || !cx) return cx - cy;
  }
}

int vdomain_valias_names(stralloc *out, const struct vdomain *d)
{
  DIR *dir;
  struct dirent *de;
  stralloc all = {0}, p = {0};
  char **v = 0;
  size_t n = 0, i, pos;
  int r = -1, e;

  out->len = 0;
  dir = opendir(d->dir.s);
  if (!dir) return -1;
  while ((de = readdir(dir))) {
    const char *f = de->d_name;
    struct stat st;
    if (str_diffn(f, ".qmail-", 7) || str_equal(f, ".qmail-default")) continue;
    if (!f[7]) continue;
    if (!join3(&p, d->dir.s, "/", f)) { errno = ENOMEM; goto done; }
    if (lstat(p.s, &st) == 0 && S_ISLNK(st.st_mode)
        && (strstr(f, "-default") || strstr(f, "-owner"))) continue;
    for (i = 7; f[i]; ++i) {
      char c = f[i] == ':' ? '.' : f[i];
      if (!stralloc_append(&all, &c)) { errno = ENOMEM; goto done; }
    }
    if (!stralloc_catb(&all, "", 1)) { errno = ENOMEM; goto done; }
    ++n;
  }
  if (n) {
    v = malloc(n * sizeof *v);
    if (!v) { errno = ENOMEM; goto done; }
    for (i = 0, pos = 0; i < n; ++i, pos += str_len(all.s + pos) + 1) v[i] = all.s + pos;
    qsort(v, n, sizeof *v, cmp_ci);
    for (i = 0; i < n; ++i)
      if (!stralloc_cats(out, v[i]) || !stralloc_catb(out, "", 1)) { errno = ENOMEM; goto done; }
  }
  r = 0;
done:
  e = errno;
  closedir(dir);
  free(v);
  stralloc_free(&all);
  stralloc_free(&p);
  errno = e;
  return r;
}

int vdomain_valias_insert(const struct vdomain *d, const char *alias, const char *line)
{
  stralloc p = {0};
  int fd, r = -1, e;
  size_t len = str_len(line);
  if (!valias_file(&p, d, alias)) { if (errno != EINVAL) errno = ENOMEM; return -1; }
  fd = open(p.s, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    fchmod(fd, 0600);
    if (geteuid() == 0 && fchown(fd, (uid_t)d->uid, (gid_t)d->gid) < 0) { /* warned below */ }
    {
      stralloc l = {0};
      if (stralloc_copyb(&l, line, len) && stralloc_append(&l, "\n")
          && write(fd, l.s, l.len) == (ssize_t)l.len && fsync(fd) == 0) r = 0;
      stralloc_free(&l);
    }
    e = errno;
    close(fd);
    errno = e;
  }
  e = errno;
  stralloc_free(&p);
  errno = e;
  return r;
}

int vdomain_valias_delete(const struct vdomain *d, const char *alias)
{
  stralloc p = {0};
  int r;
  if (!valias_file(&p, d, alias)) { if (errno != EINVAL) errno = ENOMEM; return -1; }
  r = unlink(p.s);
  if (r < 0) r = errno == ENOENT ? 0 : -1;
  else r = 1;
  { int e = errno; stralloc_free(&p); errno = e; }
  return r;
}
