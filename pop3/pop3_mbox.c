/* pop3/pop3_mbox.c — one Maildir as a POP3 maildrop (see pop3_mbox.h).
 *
 * Invariants: message numbers never change within a session; no file is
 * unlinked or renamed before pop3mbox_update; a message is listed once
 * even when another session moves it from new/ to cur/ during the scan;
 * a vanished message is "gone", never a failure. Memory: one small
 * struct per message plus its name; sizing reads through one 32 KB
 * buffer; nothing is cached on disk.
 *
 * SECURITY: runs as the mail-store id on one user's Maildir, whose file
 * names and contents anyone with IMAP access to it may choose. Names
 * come from readdir (no '/'), are used only relative to new/ and cur/,
 * and are parsed only for ",S=", ",W=" and the info part, with overflow
 * checks. The mail-store id is shared by every user of a vpopmail site,
 * so a symbolic link in a Maildir could point at another user's mail:
 * the scan lists regular files only (lstat) and messages are opened
 * with O_NOFOLLOW. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "maildir.h"
#include "pop3_mbox.h"
#include "pop3_msg.h"
#include "quota.h"
#include "sa.h"

#define READBUF POP3MBOX_BUFSIZE
#define TMP_MAXAGE (36 * 3600)

const char *pop3mbox_path(const struct pop3mbox *mb, unsigned int i)
{
  return mb->names.s + mb->m[i].name;
}

/* the file name without "new/" or "cur/" */
static const char *base(const struct pop3mbox *mb, unsigned int i)
{
  return pop3mbox_path(mb, i) + 4;
}

size_t pop3mbox_uidl(const struct pop3mbox *mb, unsigned int i, const char **p)
{
  const char *b = base(mb, i);
  *p = b;
  return maildir_uidl(b, strlen(b));
}

int pop3mbox_namefield(const char *name, size_t len, char key,
                       unsigned long long *out)
{
  size_t i, u = maildir_uidl(name, len);
  for (i = 0; i + 3 <= u; ++i) {
    unsigned long long v = 0;
    size_t j;
    if (name[i] != ',' || name[i + 1] != key || name[i + 2] != '=') continue;
    for (j = i + 3; j < u && name[j] >= '0' && name[j] <= '9'; ++j) {
      unsigned d = (unsigned)(name[j] - '0');
      if (v > (~0ULL - d) / 10) return 0;
      v = v * 10 + d;
    }
    if (j == i + 3 || (j < u && name[j] != ',')) return 0;
    *out = v;
    return 1;
  }
  return 0;
}

/* Adds "dir/<name>\0" for every regular non-dot file of dir. */
static int scan_dir(struct pop3mbox *mb, const char *dir, size_t *cap)
{
  DIR *d;
  struct dirent *e;
  int inew = dir[0] == 'n';
  d = opendir(dir);
  if (!d) return -1;
  for (;;) {
    struct stat st;
    struct pop3msg *pm;
    size_t off, nlen;
    errno = 0;
    e = readdir(d);
    if (!e) break;
    if (e->d_name[0] == '.') continue;
    nlen = strlen(e->d_name);
    off = mb->names.len;
    if (off > 0xfffffff0U) { errno = ENOMEM; goto fail; }
    if (!stralloc_cats(&mb->names, dir) || !stralloc_append(&mb->names, "/")
        || !stralloc_catb(&mb->names, e->d_name, nlen)
        || !stralloc_append(&mb->names, "")) goto fail;
    if (lstat(mb->names.s + off, &st) == -1) {
      mb->names.len = off;
      if (errno == ENOENT) continue;   /* moved or deleted meanwhile */
      goto fail;
    }
    if (!S_ISREG(st.st_mode)) { mb->names.len = off; continue; }
    if (mb->n == *cap) {
      size_t nc = *cap ? *cap * 2 : 64;
      struct pop3msg *nm = realloc(mb->m, nc * sizeof *nm);
      if (!nm || nc > 0x7fffffffU) { errno = ENOMEM; goto fail; }
      mb->m = nm;
      *cap = nc;
    }
    pm = &mb->m[mb->n++];
    pm->name = (unsigned int)off;
    pm->mtime = (long long)st.st_mtime;
    pm->flags = inew ? POP3MSG_INNEW : 0;
    if (!pop3mbox_namefield(e->d_name, nlen, 'S', &pm->disk))
      pm->disk = (unsigned long long)st.st_size;
    if (pop3mbox_namefield(e->d_name, nlen, 'W', &pm->size))
      pm->flags |= POP3MSG_SIZED;
    else
      pm->size = 0;
  }
  if (errno) goto fail;
  closedir(d);
  return 0;
fail:
  {
    int err = errno ? errno : ENOMEM;
    closedir(d);
    errno = err;
  }
  return -1;
}

/* compares two messages by their unique name (the UIDL) */
static int cmp_uidl(const void *a, const void *b, void *arg)
{
  const char *names = arg;
  const char *x = names + ((const struct pop3msg *)a)->name + 4;
  const char *y = names + ((const struct pop3msg *)b)->name + 4;
  size_t xl = maildir_uidl(x, strlen(x)), yl = maildir_uidl(y, strlen(y));
  int c = memcmp(x, y, xl < yl ? xl : yl);
  if (c) return c;
  if (xl != yl) return xl < yl ? -1 : 1;
  /* the same message twice: cur/ first, so it is the one kept */
  return (int)(((const struct pop3msg *)a)->flags & POP3MSG_INNEW)
       - (int)(((const struct pop3msg *)b)->flags & POP3MSG_INNEW);
}

/* oldest first, ties by name (qmail-pop3d's order, made deterministic) */
static int cmp_order(const void *a, const void *b, void *arg)
{
  const struct pop3msg *x = a, *y = b;
  const char *names = arg;
  if (x->mtime != y->mtime) return x->mtime < y->mtime ? -1 : 1;
  return strcmp(names + x->name + 4, names + y->name + 4);
}

int pop3mbox_scan(struct pop3mbox *mb)
{
  size_t cap = 0;
  unsigned int i, k;
  mb->m = 0;
  mb->n = 0;
  mb->names.s = 0; mb->names.len = 0; mb->names.a = 0;
  mb->buf = 0;
  if (scan_dir(mb, "new", &cap) == -1 || scan_dir(mb, "cur", &cap) == -1) {
    int err = errno;
    pop3mbox_free(mb);
    errno = err;
    return -1;
  }
  if (mb->n > 1) {
    qsort_r(mb->m, mb->n, sizeof *mb->m, cmp_uidl, mb->names.s);
    for (i = 1, k = 1; i < mb->n; ++i) {
      const char *a, *b;
      size_t al = pop3mbox_uidl(mb, k - 1, &a), bl = pop3mbox_uidl(mb, i, &b);
      if (al == bl && !memcmp(a, b, al)) continue;   /* duplicate */
      mb->m[k++] = mb->m[i];
    }
    mb->n = k;
    qsort_r(mb->m, mb->n, sizeof *mb->m, cmp_order, mb->names.s);
  }
  return 1;
}

void pop3mbox_cleantmp(time_t now)
{
  DIR *d = opendir("tmp");
  struct dirent *e;
  stralloc p = {0};
  if (!d) return;
  while ((e = readdir(d))) {
    struct stat st;
    if (e->d_name[0] == '.') continue;
    if (!stralloc_copys(&p, "tmp/") || !stralloc_cats(&p, e->d_name) || !sa_cstr(&p))
      break;
    if (lstat(p.s, &st) == 0 && S_ISREG(st.st_mode) && now > st.st_atime
        && now - st.st_atime > TMP_MAXAGE)
      unlink(p.s);
  }
  closedir(d);
  stralloc_free(&p);
}

/* Looks for message i in cur/ under its unique name. 1 found (path
 * updated), 0 not there, -1 errno. */
static int refind(struct pop3mbox *mb, unsigned int i)
{
  const char *u;
  size_t ulen = pop3mbox_uidl(mb, i, &u);
  stralloc want = {0};
  DIR *d;
  struct dirent *e;
  int r = 0;
  if (!stralloc_copyb(&want, u, ulen)) return -1;
  d = opendir("cur");
  if (!d) { stralloc_free(&want); return -1; }
  for (;;) {
    size_t nlen;
    errno = 0;
    e = readdir(d);
    if (!e) { if (errno) r = -1; break; }
    nlen = strlen(e->d_name);
    if (nlen > ulen && e->d_name[ulen] == ':' && !memcmp(e->d_name, want.s, ulen)) {
      size_t off = mb->names.len;
      if (off > 0xfffffff0U) { errno = ENOMEM; r = -1; break; }
      if (!stralloc_cats(&mb->names, "cur/") || !stralloc_catb(&mb->names, e->d_name, nlen)
          || !stralloc_append(&mb->names, "")) { r = -1; break; }
      if (!strcmp(mb->names.s + off, pop3mbox_path(mb, i))) {
        mb->names.len = off;   /* the name we already tried */
        continue;
      }
      mb->m[i].name = (unsigned int)off;
      mb->m[i].flags &= ~(unsigned int)POP3MSG_INNEW;
      r = 1;
      break;
    }
  }
  {
    int err = errno;
    closedir(d);
    stralloc_free(&want);
    errno = err;
  }
  return r;
}

int pop3mbox_open(struct pop3mbox *mb, unsigned int i)
{
  int tries;
  if (mb->m[i].flags & POP3MSG_GONE) { errno = ENOENT; return -1; }
  for (tries = 0; tries < 3; ++tries) {
    int fd = open(pop3mbox_path(mb, i), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int r;
    if (fd != -1) return fd;
    if (errno != ENOENT) return -1;
    r = refind(mb, i);
    if (r == -1) return -1;
    if (r == 0) break;
  }
  mb->m[i].flags |= POP3MSG_GONE;
  errno = ENOENT;
  return -1;
}

int pop3mbox_size(struct pop3mbox *mb, unsigned int i)
{
  struct pop3xf x;
  int fd;
  if (mb->m[i].flags & POP3MSG_GONE) return 0;
  if (mb->m[i].flags & POP3MSG_SIZED) return 1;
  if (!mb->buf) {
    mb->buf = malloc(READBUF);
    if (!mb->buf) { errno = ENOMEM; return -1; }
  }
  fd = pop3mbox_open(mb, i);
  if (fd == -1) return errno == ENOENT ? 0 : -1;
  pop3xf_init(&x, 0, 0);
  for (;;) {
    ssize_t r = read(fd, mb->buf, READBUF);
    if (r == -1 && errno == EINTR) continue;
    if (r == -1) { int err = errno; close(fd); errno = err; return -1; }
    if (r == 0) break;
    pop3xf_feed(&x, mb->buf, (size_t)r, 0);
  }
  close(fd);
  pop3xf_end(&x, 0);
  mb->m[i].size = x.octets;
  mb->m[i].flags |= POP3MSG_SIZED;
  return 1;
}

int pop3mbox_update(struct pop3mbox *mb, unsigned int *failed)
{
  stralloc to = {0};
  unsigned long long bytes = 0, count = 0;
  unsigned int i;
  *failed = 0;
  for (i = 0; i < mb->n; ++i) {
    struct pop3msg *pm = &mb->m[i];
    if (pm->flags & POP3MSG_GONE) continue;
    if (pm->flags & POP3MSG_DELETED) {
      int tries;
      for (tries = 0; tries < 3; ++tries) {
        const char *p = pop3mbox_path(mb, i);
        int r;
        if (unlink(p) == 0) {
          /* maildirsize does not count messages flagged T (trashed) */
          if (!maildir_has_flag(p + 4, strlen(p + 4), 'T')) {
            bytes += pm->disk;
            ++count;
          }
          break;
        }
        if (errno != ENOENT) { ++*failed; break; }
        r = refind(mb, i);
        if (r == -1) { ++*failed; break; }
        if (r == 0) break;   /* deleted by another session: done */
      }
    } else if (pm->flags & POP3MSG_INNEW) {
      const char *p = pop3mbox_path(mb, i);
      if (!stralloc_copys(&to, "cur/") || !stralloc_cats(&to, p + 4)
          || !stralloc_cats(&to, ":2,") || !sa_cstr(&to)) {
        stralloc_free(&to);
        errno = ENOMEM;
        return -1;
      }
      rename(p, to.s);   /* gone or moved by another session: fine */
    }
  }
  stralloc_free(&to);
  if (count)
    quota_mds_add(".", -(long long)bytes, -(long long)count);
  return 1;
}

void pop3mbox_free(struct pop3mbox *mb)
{
  free(mb->m);
  mb->m = 0;
  mb->n = 0;
  stralloc_free(&mb->names);
  free(mb->buf);
  mb->buf = 0;
}
