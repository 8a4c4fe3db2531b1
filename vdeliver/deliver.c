/* vdeliver/deliver.c — vpopmail's vdelivermail algorithm and qmail-local's
 * .qmail processing for vpopmail domains (see deliver.h).
 *
 * Invariants:
 * - A message file reaches new/ only through maildir_tmp_commit (fsync of
 *   the file and of new/), mode 0600, owned by this process's uid.
 * - Every failure is classified: an unreadable store, users/cdb or .qmail
 *   file, a failed write or fork is DLV_TEMP, never "no such user".
 * - A forward never disappears: a remote target goes to qmail-inject
 *   (ctx->inject) or is a temporary failure (no outbound queue yet); a
 *   local target is delivered in-process with a Delivered-To line added,
 *   so a forwarding loop is caught by the loop check.
 *
 * SECURITY: runs as the mail-store id (setuid in qmail-queue). The
 * message and the addresses are untrusted: local parts and domains are
 * validated (dotqmail.h) before they become file names, so no '/' or
 * leading '.' reaches a path; header scans are bounded. .qmail files are
 * trusted only when they are not writable by others (qmail-local's rule).
 * Programs named in .qmail files run through /bin/sh with the message on
 * stdin and their output captured (bounded), never on our stdout. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "assign.h"
#include "byte.h"
#include "deliver.h"
#include "dotqmail.h"
#include "log.h"
#include "maildir.h"
#include "paths.h"
#include "quota.h"
#include "sa.h"
#include "str.h"
#include "vauth.h"
#include "vpasswd.h"

#define HDR_MAX (1024 * 1024)
#define DOTQMAIL_MAX (1024 * 1024)
#define MSGFILE_MAX 8192
#define OUTPUT_MAX 1000
#define DEPTH_MAX 20

static const char T_LOOP[] = "mail is looping";
static const char T_NOUSER[] = "Sorry, no mailbox here by that name. (#5.1.1)";
static const char T_OVERQUOTA[] = "user is over quota";
static const char T_SYSERR[] = "system error";

/* The per-address scope: the domain, the address used in Delivered-To
 * for this level, the directory relative paths start from, and the
 * environment given to a program (NUL-separated NAME=value). */
struct scope {
  const struct vdomain *d;
  const char *addr;
  const char *base;
  const stralloc *env;   /* NULL: inherit */
};

static int deliver_file(struct dlv_ctx *c, const struct scope *s, const char *path,
                        struct dlv_result *r);
static int vdm_in(struct dlv_ctx *c, const char *user, const char *domain,
                  const char *action, const stralloc *env, struct dlv_result *r);

/* ---- results ---- */

void dlv_result_init(struct dlv_result *r)
{
  r->code = DLV_OK;
  r->overquota = r->deleted = 0;
  r->text.s = 0; r->text.len = r->text.a = 0;
}

void dlv_result_free(struct dlv_result *r)
{
  stralloc_free(&r->text);
}

static int set(struct dlv_result *r, int code, const char *t1, const char *t2)
{
  r->code = code;
  r->overquota = r->deleted = 0;
  if (!stralloc_copys(&r->text, t1 ? t1 : "") || (t2 && !stralloc_cats(&r->text, t2))
      || !sa_cstr(&r->text)) {
    r->code = DLV_TEMP;
    if (r->text.s) { r->text.len = 0; sa_cstr(&r->text); }
  }
  return r->code;
}

static int oom(struct dlv_result *r)
{
  return set(r, DLV_TEMP, "out of memory", 0);
}

static int syserr(struct dlv_result *r, const char *what, const char *path)
{
  int e = errno;
  log_event("warn", "deliver-error", "op", what, "path", path, "errno", strerror(e), (char *)0);
  return set(r, DLV_TEMP, T_SYSERR, 0);
}

/* ---- the message ---- */

int dlv_anon_file(void)
{
  stralloc p = {0};
  int fd;
  if (!paths_vpopmail(&p, "domains")) { errno = ENOMEM; return -1; }
  fd = open(p.s, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd == -1 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    /* no O_TMPFILE here: a named file, unlinked at once */
    if (stralloc_cats(&p, "/.vdeliver.") && sa_catulong(&p, (unsigned long)getpid())
        && stralloc_cats(&p, ".") && sa_catulong(&p, (unsigned long)time(0)) && sa_cstr(&p)) {
      fd = open(p.s, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
      if (fd != -1) unlink(p.s);
    } else errno = ENOMEM;
  }
  stralloc_free(&p);
  return fd;
}

int dlv_write_all(int fd, const char *s, size_t n)
{
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w == -1) { if (errno == EINTR) continue; return -1; }
    s += w; n -= (size_t)w;
  }
  return 0;
}

int dlv_msg_init(struct dlv_msg *m, int fd)
{
  char buf[65536];
  struct stat st;
  m->fd = -1; m->size = 0; m->own = 0;
  m->hdr.s = 0; m->hdr.len = m->hdr.a = 0;
  if (lseek(fd, 0, SEEK_SET) == -1) {
    int t = dlv_anon_file();
    if (t == -1) return -1;
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n == -1) { if (errno == EINTR) continue; close(t); return -1; }
      if (n == 0) break;
      if (dlv_write_all(t, buf, (size_t)n) == -1) { close(t); return -1; }
    }
    fd = t;
    m->own = 1;
  }
  m->fd = fd;
  if (fstat(fd, &st) == -1) goto fail;
  m->size = (unsigned long)st.st_size;
  {
    size_t want = m->size < HDR_MAX ? m->size : HDR_MAX;
    off_t off = 0;
    if (!stralloc_ready(&m->hdr, want + 1)) { errno = ENOMEM; goto fail; }
    while ((size_t)off < want) {
      ssize_t n = pread(fd, m->hdr.s + off, want - (size_t)off, off);
      if (n == -1) { if (errno == EINTR) continue; goto fail; }
      if (n == 0) break;
      off += n;
    }
    m->hdr.len = dq_header_len(m->hdr.s, (size_t)off);
  }
  return 1;
fail:
  if (m->own) close(m->fd);
  m->fd = -1;
  stralloc_free(&m->hdr);
  return -1;
}

void dlv_msg_free(struct dlv_msg *m)
{
  if (m->own && m->fd != -1) close(m->fd);
  m->fd = -1;
  stralloc_free(&m->hdr);
}

int dlv_ctx_init(struct dlv_ctx *c, struct dlv_msg *m, const char *s, size_t len)
{
  size_t i, start;
  byte_zero(c, sizeof *c);
  c->msg = m;
  if (!stralloc_copyb(&c->sender, s, len) || !sa_cstr(&c->sender)
      || !stralloc_copys(&c->rpline, "Return-Path: <")) return 0;
  start = c->rpline.len;
  if (!stralloc_catb(&c->rpline, s, len) || !stralloc_cats(&c->rpline, ">\n")
      || !sa_cstr(&c->dtline) || !sa_cstr(&c->prefix)) return 0;
  /* a sender from a local qmail-queue caller may hold any byte: no
   * control byte may split the Return-Path line into more headers */
  for (i = start; i < start + len; ++i)
    if ((unsigned char)c->rpline.s[i] < 0x20 || c->rpline.s[i] == 0x7f) c->rpline.s[i] = '?';
  return sa_cstr(&c->rpline);
}

void dlv_ctx_free(struct dlv_ctx *c)
{
  stralloc_free(&c->sender);
  stralloc_free(&c->rpline);
  stralloc_free(&c->dtline);
  stralloc_free(&c->prefix);
}

/* Copies prepend (p, plen) then the message to fd, counting its CRLF
 * size into v (may be NULL) for ",W=". 0 or -1 errno. */
static int copy_msg(const struct dlv_ctx *c, int fd, const char *p, size_t plen,
                    struct maildir_vsize *v)
{
  char buf[65536];
  off_t off = 0;
  if (plen && dlv_write_all(fd, p, plen) == -1) return -1;
  if (c->prefix.len && dlv_write_all(fd, c->prefix.s, c->prefix.len) == -1) return -1;
  if (v) {
    maildir_vsize_feed(v, p, plen);
    maildir_vsize_feed(v, c->prefix.s, c->prefix.len);
  }
  for (;;) {
    ssize_t n = pread(c->msg->fd, buf, sizeof buf, off);
    if (n == -1) { if (errno == EINTR) continue; return -1; }
    if (n == 0) break;
    if (dlv_write_all(fd, buf, (size_t)n) == -1) return -1;
    if (v) maildir_vsize_feed(v, buf, (size_t)n);
    off += n;
  }
  if ((unsigned long)off != c->msg->size) { errno = EIO; return -1; }
  return 0;
}

/* 1 when addr appears as "Delivered-To: addr" in the header, the
 * in-process forward lines or qmail-local's DTLINE. */
static int looping(const struct dlv_ctx *c, const char *addr)
{
  size_t al = str_len(addr);
  return dq_loop_hit(c->msg->hdr.s, c->msg->hdr.len, addr, al)
      || dq_loop_hit(c->prefix.s, c->prefix.len, addr, al)
      || dq_loop_hit(c->dtline.s, c->dtline.len, addr, al);
}

/* ---- small file helpers ---- */

/* Reads a whole small file into out (NUL-terminated). 1 read, 0 missing,
 * -1 errno (EFBIG when larger than max). */
static int read_small(stralloc *out, const char *path, size_t max, struct stat *stp)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd == -1) return (errno == ENOENT || errno == ENOTDIR) ? 0 : -1;
  if (fstat(fd, &st) == -1) { close(fd); return -1; }
  if (!S_ISREG(st.st_mode)) { close(fd); errno = EISDIR; return -1; }
  if ((size_t)st.st_size > max) { close(fd); errno = EFBIG; return -1; }
  if (!stralloc_ready(out, (size_t)st.st_size + 1)) { close(fd); errno = ENOMEM; return -1; }
  out->len = 0;
  for (;;) {
    ssize_t n;
    if (out->len == out->a - 1 && !stralloc_readyplus(out, 4096)) { close(fd); errno = ENOMEM; return -1; }
    n = read(fd, out->s + out->len, out->a - 1 - out->len);
    if (n == -1) { if (errno == EINTR) continue; close(fd); return -1; }
    if (n == 0) break;
    out->len += (size_t)n;
    if (out->len > max) { close(fd); errno = EFBIG; return -1; }
  }
  close(fd);
  out->s[out->len] = '\0';
  if (stp) *stp = st;
  return 1;
}

/* vpopmail's message files: <domaindir>/name, else
 * VPOPMAILDIR/domains/name, else def. Trailing newlines dropped. */
static int msgfile(struct dlv_result *r, int code, const struct vdomain *d,
                   const char *name, const char *def)
{
  stralloc p = {0}, t = {0};
  int got = 0;
  if (d && paths_join(&p, d->dir.s, name)) got = read_small(&t, p.s, MSGFILE_MAX, 0) == 1;
  if (!got && paths_vpopmail(&p, "domains") && stralloc_cats(&p, "/") &&
      stralloc_cats(&p, name) && sa_cstr(&p))
    got = read_small(&t, p.s, MSGFILE_MAX, 0) == 1;
  if (got) {
    while (t.len && (t.s[t.len - 1] == '\n' || t.s[t.len - 1] == '\r')) --t.len;
    sa_cstr(&t);
    set(r, code, t.s, 0);
  } else set(r, code, def, 0);
  stralloc_free(&p);
  stralloc_free(&t);
  return r->code;
}

/* ---- quota ---- */

/* First line of maildir/maildirsize into spec (NUL-terminated). 1, 0
 * when there is none, -1 errno. */
static int mds_spec(stralloc *spec, const char *maildir)
{
  stralloc p = {0};
  int rc;
  if (!paths_join(&p, maildir, "maildirsize")) { errno = ENOMEM; return -1; }
  rc = read_small(spec, p.s, 1 << 20, 0);
  stralloc_free(&p);
  if (rc != 1) return rc;
  spec->len = byte_chr(spec->s, spec->len, '\n');
  return sa_cstr(spec) ? 1 : -1;
}

/* The quota warning: at most once a day (Maildir/quotawarn's mtime),
 * only when a .quotawarn.msg exists. Not written in a dry run unless
 * even_dry (over quota: the real pass will not come). Failures are
 * dropped: the warning is a courtesy, never a reason to refuse mail. */
static void quota_warn(const struct dlv_ctx *c, const struct vdomain *d,
                       const char *maildir, const char *addr, int even_dry)
{
  static const char *const dn[] = {"Sun","Mon","Tue","Wed","Thu","Fri","Sat"};
  static const char *const mn[] = {"Jan","Feb","Mar","Apr","May","Jun","Jul","Aug",
                                   "Sep","Oct","Nov","Dec"};
  stralloc body = {0}, p = {0}, m = {0};
  struct maildir_tmp t = {0};
  struct stat st;
  time_t now = time(0);
  struct tm tm;
  char b[64];
  int got = 0, fd;

  if (c->dryrun && !even_dry) return;
  if (!paths_join(&p, maildir, "quotawarn")) return;
  if (stat(p.s, &st) == 0 && now - st.st_mtime < 86400) goto out;
  if (d && paths_join(&m, d->dir.s, ".quotawarn.msg")) got = read_small(&body, m.s, 65536, 0) == 1;
  if (!got && paths_vpopmail(&m, "domains/.quotawarn.msg"))
    got = read_small(&body, m.s, 65536, 0) == 1;
  if (!got) goto out;
  gmtime_r(&now, &tm);
  snprintf(b, sizeof b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\n", dn[tm.tm_wday],
           tm.tm_mday, mn[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (!stralloc_copys(&m, "Delivered-To: ") || !stralloc_cats(&m, addr) ||
      !stralloc_cats(&m, "\n") || !stralloc_cats(&m, b) || !stralloc_cat(&m, &body)) goto out;
  if (maildir_tmp_open(&t, maildir) == -1) goto out;
  if (dlv_write_all(t.fd, m.s, m.len) == -1) { maildir_tmp_abort(&t); goto out; }
  if (maildir_tmp_commit(&t, m.len, 0) == -1) goto out;
  quota_mds_add(maildir, (long long)m.len, 1);
  fd = open(p.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd != -1) close(fd);
  log_event("info", "quota-warning", "to", addr, (char *)0);
out:
  stralloc_free(&body);
  stralloc_free(&p);
  stralloc_free(&m);
}

/* ---- Maildir delivery ---- */

/* Delivers to dir (a Maildir path ending in '/'), checking quota (spec
 * NULL: the first line of its maildirsize). dtaddr goes into the
 * Delivered-To line. */
static int deliver_maildir(struct dlv_ctx *c, const struct vdomain *d, const char *dir,
                           const char *spec, const char *dtaddr, struct dlv_result *r)
{
  stralloc md = {0}, sp = {0}, pre = {0};
  struct maildir_tmp t = {0};
  struct maildir_vsize vs = {0, 0, 0};
  unsigned long size;
  int limited = 0, over = 1, rc;
  size_t l = str_len(dir);

  if (!l || dir[l - 1] != '/')
    return set(r, DLV_TEMP, "can't handle mbox delivery for ", dir);
  while (l > 1 && dir[l - 1] == '/') --l;
  if (!stralloc_copyb(&md, dir, l) || !sa_cstr(&md)) { rc = oom(r); goto out; }
  if (!stralloc_copy(&pre, &c->rpline) || !stralloc_cats(&pre, "Delivered-To: ") ||
      !stralloc_cats(&pre, dtaddr) || !stralloc_cats(&pre, "\n")) { rc = oom(r); goto out; }
  size = c->msg->size + pre.len + c->prefix.len;

  if (!spec) {
    rc = mds_spec(&sp, md.s);
    if (rc == -1) { rc = syserr(r, "read-maildirsize", md.s); goto out; }
    if (rc == 1) spec = sp.s;
  }
  if (spec && !(spec[0] == 'N' && spec[1] == 'O') && quota_has_limit(spec, str_len(spec))) {
    limited = 1;
    if (quota_check(md.s, spec, (uid_t)-1, (gid_t)-1, size, &over) == -1) {
      rc = syserr(r, "quota-check", md.s);
      goto out;
    }
    if (!over && c->dryrun && c->fullpct > 0) {
      /* chkuser's CHKUSER_MBXQUOTA: full enough to refuse at RCPT */
      int pct = 0;
      if (quota_percent(md.s, spec, (uid_t)-1, (gid_t)-1, &pct) == -1) {
        rc = syserr(r, "quota-percent", md.s);
        goto out;
      }
      if (pct >= c->fullpct) {
        msgfile(r, DLV_PERM, d, ".over-quota.msg", T_OVERQUOTA);
        r->overquota = r->code == DLV_PERM;
        log_event("info", "mailbox-full", "to", dtaddr, (char *)0);
        rc = r->code;
        goto out;
      }
    }
    if (over) {
      msgfile(r, DLV_PERM, d, ".over-quota.msg", T_OVERQUOTA);
      r->overquota = r->code == DLV_PERM;
      quota_warn(c, d, md.s, dtaddr, 1);   /* also when qmail-queue only checks */
      log_event("info", "over-quota", "to", dtaddr, (char *)0);
      rc = r->code;
      goto out;
    }
  }
  if (c->dryrun) {
    struct stat st;
    stralloc nd = {0};
    if (!paths_join(&nd, md.s, "new")) { rc = oom(r); goto out; }
    rc = stat(nd.s, &st) == 0 ? set(r, DLV_OK, 0, 0) : syserr(r, "stat-maildir", nd.s);
    stralloc_free(&nd);
    goto out;
  }
  if (maildir_tmp_open(&t, md.s) == -1) { rc = syserr(r, "maildir-open", md.s); goto out; }
  if (copy_msg(c, t.fd, pre.s, pre.len, &vs) == -1
      || maildir_tmp_commit_w(&t, size, maildir_vsize_get(&vs), 0) == -1) {
    int e = errno;
    maildir_tmp_abort(&t);
    errno = e;
    if (e == EDQUOT) rc = set(r, DLV_PERM, T_OVERQUOTA, 0);
    else rc = syserr(r, "maildir-write", md.s);
    goto out;
  }
  if (limited) {
    int pct = 0;
    if (quota_mds_add(md.s, (long long)size, 1) == -1)
      log_event("warn", "maildirsize-append", "path", md.s, "errno", strerror(errno), (char *)0);
    if (quota_percent(md.s, spec, (uid_t)-1, (gid_t)-1, &pct) == 1 && pct >= 90)
      quota_warn(c, d, md.s, dtaddr, 0);
  }
  rc = set(r, DLV_OK, 0, 0);
out:
  stralloc_free(&md);
  stralloc_free(&sp);
  stralloc_free(&pre);
  return rc;
}

/* ---- programs ---- */

/* Runs "/bin/sh -c cmd" in dir with the message on stdin (prepend pre
 * first), stdout+stderr captured. Returns the wait status, or -1 errno. */
static int run_sh(const struct dlv_ctx *c, const char *cmd, const char *dir,
                  const stralloc *env, const char *pre, size_t plen, stralloc *outp)
{
  int out[2], in[2] = {-1, -1};
  pid_t pid, wpid = -1;
  int status, ws;
  char buf[1024];

  if (pipe2(out, O_CLOEXEC) == -1) return -1;
  if ((plen || c->prefix.len) && pipe2(in, O_CLOEXEC) == -1) {
    close(out[0]); close(out[1]); return -1;
  }
  pid = fork();
  if (pid == -1) { close(out[0]); close(out[1]); if (in[0] != -1) { close(in[0]); close(in[1]); } return -1; }
  if (pid == 0) {
    size_t i = 0;
    if (in[0] != -1) { if (dup2(in[0], 0) == -1) _exit(111); }
    else {
      if (dup2(c->msg->fd, 0) == -1) _exit(111);
      if (lseek(0, 0, SEEK_SET) == -1) _exit(111);
    }
    if (dup2(out[1], 1) == -1 || dup2(out[1], 2) == -1) _exit(111);
    if (dir && chdir(dir) == -1) _exit(111);
    while (env && i < env->len) {
      const char *kv = env->s + i;
      size_t kl = str_len(kv), eq = str_chr(kv, '=');
      if (kv[eq]) {
        char *k = strndup(kv, eq);
        if (!k || setenv(k, kv + eq + 1, 1) == -1) _exit(111);
        free(k);
      }
      i += kl + 1;
    }
    setenv("SHELL", "/bin/sh", 1);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", cmd, (char *)0);
    _exit(111);
  }
  close(out[1]);
  if (in[0] != -1) {
    close(in[0]);
    wpid = fork();
    if (wpid == 0) {
      signal(SIGPIPE, SIG_DFL);
      close(out[0]);
      _exit(copy_msg(c, in[1], pre, plen, 0) == -1 ? 1 : 0);
    }
    close(in[1]);
  }
  for (;;) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n == -1) { if (errno == EINTR) continue; break; }
    if (n == 0) break;
    if (outp && outp->len < OUTPUT_MAX)
      stralloc_catb(outp, buf, (size_t)n > OUTPUT_MAX - outp->len ? OUTPUT_MAX - outp->len : (size_t)n);
  }
  close(out[0]);
  while (waitpid(pid, &status, 0) == -1) if (errno != EINTR) return -1;
  if (wpid > 0) while (waitpid(wpid, &ws, 0) == -1 && errno == EINTR) ;
  return status;
}

/* vpopmail's mapping of a program's exit status. */
static int prog_code(int status)
{
  if (!WIFEXITED(status)) return DLV_TEMP;
  switch (WEXITSTATUS(status)) {
    case 0: return DLV_OK;
    case 99: return DLV_STOP;
    case 64: case 65: case 70: case 76: case 77: case 78: case 100: case 112:
      return DLV_PERM;
    default: return DLV_TEMP;
  }
}

static int deliver_prog(struct dlv_ctx *c, const struct scope *s, const char *cmd,
                        struct dlv_result *r)
{
  stralloc out = {0};
  int status, code;
  if (c->dryrun) return set(r, DLV_OK, 0, 0);
  status = run_sh(c, cmd, s->base, s->env, 0, 0, &out);
  if (status == -1) { stralloc_free(&out); return syserr(r, "run-program", cmd); }
  code = prog_code(status);
  while (out.len && (out.s[out.len - 1] == '\n' || out.s[out.len - 1] == '\r')) --out.len;
  if (!sa_cstr(&out)) { stralloc_free(&out); return oom(r); }
  if (code == DLV_OK || code == DLV_STOP) set(r, code, 0, 0);
  else set(r, code, out.len ? out.s : "program failed", 0);
  stralloc_free(&out);
  return r->code;
}

/* ---- forwards ---- */

static int dlv_address_in(struct dlv_ctx *c, const char *addr, size_t len, struct dlv_result *r);

/* Forwards to target (an address; without '@' the current domain is
 * appended). from = the address written into the Delivered-To line. */
static int deliver_forward(struct dlv_ctx *c, const struct scope *s, const char *target,
                           size_t tlen, const char *from, struct dlv_result *r)
{
  stralloc to = {0}, saved = {0};
  size_t at;
  int rc, loc;

  at = byte_rchr(target, tlen, '@');
  if (!stralloc_copyb(&to, target, tlen)) return oom(r);
  if (at == tlen) {
    if (!stralloc_append(&to, "@") || !stralloc_cat(&to, &s->d->real)) { rc = oom(r); goto out; }
    at = tlen;
  }
  if (!sa_cstr(&to)) { rc = oom(r); goto out; }
  { size_t k; for (k = at + 1; k < to.len; ++k) if (to.s[k] >= 'A' && to.s[k] <= 'Z') to.s[k] += 32; }
  if (looping(c, to.s)) { rc = set(r, DLV_PERM, T_LOOP, 0); goto out; }
  if (!at || !dq_valid_domain(to.s + at + 1, to.len - at - 1)) {
    rc = set(r, DLV_PERM, "invalid forwarding address: ", to.s);
    goto out;
  }
  loc = dlv_domain_local(to.s + at + 1, to.len - at - 1);
  if (loc == -1) { rc = syserr(r, "assign-lookup", to.s); goto out; }
  if (loc == 1) {
    if (c->depth >= DEPTH_MAX) { rc = set(r, DLV_PERM, T_LOOP, 0); goto out; }
    if (!stralloc_copy(&saved, &c->prefix) || !stralloc_cats(&c->prefix, "Delivered-To: ") ||
        !stralloc_cats(&c->prefix, from) || !stralloc_cats(&c->prefix, "\n") ||
        !sa_cstr(&c->prefix)) { rc = oom(r); goto restore; }
    ++c->depth;
    rc = dlv_address_in(c, to.s, to.len, r);
    if (rc == DLV_STOP) rc = r->code = DLV_OK;   /* stops the target's lines only */
    --c->depth;
  restore:
    stralloc_copy(&c->prefix, &saved);
    sa_cstr(&c->prefix);
    goto out;
  }
  if (c->dryrun && !c->inject) {
    rc = set(r, DLV_TEMP, "forwarding to a remote address needs the outbound queue, not available yet: ", to.s);
    goto out;
  }
  if (c->dryrun) { rc = set(r, DLV_OK, 0, 0); goto out; }
  if (!c->inject) {
    log_event("warn", "forward-deferred", "to", to.s, (char *)0);
    rc = set(r, DLV_TEMP, "forwarding to a remote address needs the outbound queue, not available yet: ", to.s);
    goto out;
  }
  {
    stralloc cmd = {0}, pre = {0}, outp = {0};
    int status;
    /* qmail-inject -- 'addr': the address is quoted for the shell */
    if (!paths_qmail(&cmd, "bin/qmail-inject") || !stralloc_cats(&cmd, " -- '")) { rc = oom(r); goto inj; }
    { size_t k; for (k = 0; k < to.len; ++k) {
        if (to.s[k] == '\'') { if (!stralloc_cats(&cmd, "'\\''")) { rc = oom(r); goto inj; } }
        else if (!stralloc_append(&cmd, to.s + k)) { rc = oom(r); goto inj; } } }
    if (!stralloc_cats(&cmd, "'") || !sa_cstr(&cmd) ||
        !stralloc_copy(&pre, &c->rpline) || !stralloc_cats(&pre, "Delivered-To: ") ||
        !stralloc_cats(&pre, from) || !stralloc_cats(&pre, "\n")) { rc = oom(r); goto inj; }
    status = run_sh(c, cmd.s, 0, 0, pre.s, pre.len, &outp);
    if (status == -1) rc = syserr(r, "run-qmail-inject", cmd.s);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) rc = set(r, DLV_OK, 0, 0);
    else rc = set(r, (WIFEXITED(status) && WEXITSTATUS(status) == 100) ? DLV_PERM : DLV_TEMP,
                  "system error calling qmail-inject", 0);
  inj:
    stralloc_free(&cmd); stralloc_free(&pre); stralloc_free(&outp);
  }
out:
  stralloc_free(&to);
  stralloc_free(&saved);
  return rc;
}

/* ---- .qmail files ---- */

/* Delivers one .qmail line. */
static int deliver_line(struct dlv_ctx *c, const struct scope *s, const char *line,
                        size_t len, struct dlv_result *r)
{
  const char *arg;
  size_t alen;
  stralloc a = {0};
  int rc;
  switch (dq_line(line, len, &arg, &alen)) {
    case DQ_SKIP: return set(r, DLV_OK, 0, 0);
    case DQ_PROG:
      if (!stralloc_copyb(&a, arg, alen) || !sa_cstr(&a)) return oom(r);
      rc = deliver_prog(c, s, a.s, r);
      break;
    case DQ_FILE:
      if (alen >= 2 && arg[0] == '.' && arg[1] == '/') {
        if (!stralloc_copys(&a, s->base) || !stralloc_cats(&a, "/") ||
            !stralloc_catb(&a, arg + 2, alen - 2)) return oom(r);
      } else if (!stralloc_copyb(&a, arg, alen)) return oom(r);
      if (!sa_cstr(&a)) { stralloc_free(&a); return oom(r); }
      rc = deliver_file(c, s, a.s, r);
      break;
    default:
      rc = deliver_forward(c, s, arg, alen, s->addr, r);
      break;
  }
  stralloc_free(&a);
  return rc;
}

static int deliver_file(struct dlv_ctx *c, const struct scope *s, const char *path,
                        struct dlv_result *r)
{
  stralloc dt = {0};
  int rc = dq_path_addr(&dt, path, str_len(path));
  if (rc == -1) return oom(r);
  rc = deliver_maildir(c, s->d, path, 0, rc == 1 ? dt.s : s->addr, r);
  stralloc_free(&dt);
  return rc;
}

/* Processes the lines of the .qmail file at path: 1 done (r set), 0
 * the file does not exist or has no delivery line, -1 r set to an
 * error reading it. vdm: handle "| vdelivermail '' ACTION" lines
 * in-process for (user, domain). */
static int run_dotqmail(struct dlv_ctx *c, const struct scope *s, const char *path,
                        const char *user, const char *domain, int vdm,
                        struct dlv_result *r)
{
  stralloc f = {0}, act = {0};
  struct stat st;
  size_t i = 0;
  int rc, lines = 0;

  rc = read_small(&f, path, DOTQMAIL_MAX, &st);
  if (rc == 0) { stralloc_free(&f); return 0; }
  if (rc == -1) { syserr(r, "read-dotqmail", path); stralloc_free(&f); return -1; }
  if (st.st_mode & S_IWOTH) {
    set(r, DLV_TEMP, "Uh-oh: .qmail file is writable. (#4.7.0)", 0);
    stralloc_free(&f);
    return -1;
  }
  set(r, DLV_OK, 0, 0);
  while (i < f.len) {
    size_t e = i + byte_chr(f.s + i, f.len - i, '\n');
    const char *arg;
    size_t alen;
    int kind = dq_line(f.s + i, e - i, &arg, &alen);
    if (kind != DQ_SKIP) {
      ++lines;
      if (vdm && kind == DQ_PROG && (rc = dq_vdm_line(arg, alen, &act)) != 0) {
        if (rc == -1) oom(r);
        else if (rc == -2) set(r, DLV_TEMP, "vdelivermail: invalid syntax in .qmail-default file", 0);
        else vdm_in(c, user, domain, act.s, s->env, r);
      } else
        deliver_line(c, s, f.s + i, e - i, r);
      if (r->code != DLV_OK) break;
    }
    i = e + 1;
  }
  stralloc_free(&f);
  stralloc_free(&act);
  return lines ? 1 : 0;
}

/* ---- vdelivermail ---- */

static int lower_valid(stralloc *u, stralloc *d, const char *user, const char *domain,
                       struct dlv_result *r)
{
  if (!sa_copyb_lower(u, user, str_len(user)) || !sa_copyb_lower(d, domain, str_len(domain)))
    return oom(r);
  if (!dq_valid_user(u->s, u->len)) return set(r, DLV_PERM, "invalid username", 0);
  if (!dq_valid_domain(d->s, d->len)) return set(r, DLV_PERM, "invalid domain name", 0);
  return DLV_OK;
}

/* The user's own mailbox (home exists or is recreated). */
static int deliver_user(struct dlv_ctx *c, const struct scope *s, struct vqpasswd *pw,
                        const char *user, const char *domain, struct dlv_result *r)
{
  stralloc home = {0}, p = {0}, q = {0};
  struct stat st;
  int rc, missing = 0;
  struct scope us = *s;

  if (pw->gid & VPW_BOUNCE_MAIL)
    return set(r, DLV_PERM, "vdelivermail: account is locked email bounced ", s->addr);
  if (!pw->dir.len) return set(r, DLV_TEMP, "vdelivermail: user has no home directory: ", s->addr);
  if (!stralloc_copy(&home, &pw->dir) || !sa_cstr(&home) ||
      !stralloc_copy(&q, &pw->quota) || !sa_cstr(&q)) { rc = oom(r); goto out; }
  if (!paths_join(&p, home.s, "Maildir")) { rc = oom(r); goto out; }
  if (stat(p.s, &st) == -1) {
    if (errno != ENOENT) { rc = syserr(r, "stat-maildir", p.s); goto out; }
    missing = 1;
    if (!c->dryrun) {
      if ((mkdir(home.s, 0700) == -1 && errno != EEXIST) || maildir_make(p.s, (uid_t)-1, (gid_t)-1) == -1) {
        log_event("warn", "maildir-recreate", "path", p.s, "errno", strerror(errno), (char *)0);
        rc = set(r, DLV_PERM, "Auto re-creation of maildir failed. (#5.9.9)", 0);
        goto out;
      }
    }
  }
  us.base = home.s;
  if (!paths_join(&p, home.s, ".qmail")) { rc = oom(r); goto out; }
  rc = run_dotqmail(c, &us, p.s, user, domain, 0, r);
  if (rc != 0) { rc = r->code; goto out; }
  if (missing && c->dryrun) { rc = set(r, DLV_OK, 0, 0); goto out; }
  if (!paths_join(&p, home.s, "Maildir/")) { rc = oom(r); goto out; }
  rc = deliver_maildir(c, s->d, p.s, q.s, s->addr, r);
out:
  stralloc_free(&home);
  stralloc_free(&p);
  stralloc_free(&q);
  return rc;
}

static int vdm_in(struct dlv_ctx *c, const char *user, const char *domain,
                  const char *action, const stralloc *env, struct dlv_result *r)
{
  stralloc u = {0}, dn = {0}, addr = {0}, p = {0};
  struct vdomain d = {0};
  struct vqpasswd pw;
  struct scope s;
  int rc;

  vpw_init(&pw);
  if (lower_valid(&u, &dn, user, domain, r) != DLV_OK) { rc = r->code; goto out; }
  rc = assign_lookup(&d, dn.s, dn.len);
  if (rc == -1) { rc = syserr(r, "assign-lookup", dn.s); goto out; }
  if (rc == 0) { rc = set(r, DLV_TEMP, "vdelivermail: domain is not in users/cdb: ", dn.s); goto out; }
  if (!stralloc_copy(&addr, &u) || !stralloc_append(&addr, "@") ||
      !stralloc_catb(&addr, d.real.s, d.real.len) || !sa_cstr(&addr)) { rc = oom(r); goto out; }
  if (looping(c, addr.s)) { rc = set(r, DLV_PERM, T_LOOP, 0); goto out; }
  s.d = &d; s.addr = addr.s; s.base = d.dir.s; s.env = env;

  rc = vauth_getpw(&pw, u.s, &d);
  if (rc == -1) {
    log_event("warn", "user-store", "domain", d.real.s, "errno", strerror(errno), (char *)0);
    rc = set(r, DLV_TEMP, "vdelivermail: deferred, user store unavailable", 0);
    goto out;
  }
  if (rc == 1) { rc = deliver_user(c, &s, &pw, u.s, dn.s, r); goto out; }

  /* unknown user: the .qmail-default action */
  if (!str_diff(action, "delete")) { rc = set(r, DLV_OK, 0, 0); r->deleted = 1; goto out; }
  if (!str_diff(action, "bounce-no-mailbox")) {
    rc = msgfile(r, DLV_PERM, &d, ".no-user.msg", T_NOUSER);
    goto out;
  }
  if (action[0] == '/') {
    size_t al = str_len(action);
    if (!stralloc_copys(&p, action) || (action[al - 1] != '/' && !stralloc_append(&p, "/")) ||
        !sa_cstr(&p)) { rc = oom(r); goto out; }
    s.base = p.s;
    {
      stralloc dq = {0};
      if (!paths_join(&dq, p.s, ".qmail")) { stralloc_free(&dq); rc = oom(r); goto out; }
      rc = run_dotqmail(c, &s, dq.s, u.s, dn.s, 0, r);
      stralloc_free(&dq);
    }
    if (rc == 0) {
      if (!stralloc_cats(&p, "Maildir/") || !sa_cstr(&p)) { rc = oom(r); goto out; }
      deliver_maildir(c, &d, p.s, 0, addr.s, r);
      p.len -= 8;
      sa_cstr(&p);
    }
    if (r->code == DLV_OK) set(r, DLV_OK, "user does not exist, but will deliver to ", p.s);
    rc = r->code;
    goto out;
  }
  if (byte_chr(action, str_len(action), '@') < str_len(action)) {
    rc = deliver_forward(c, &s, action, str_len(action), addr.s, r);
    goto out;
  }
  rc = set(r, DLV_TEMP, "vdelivermail: invalid syntax in .qmail-default file", 0);
out:
  vpw_free(&pw);
  assign_free(&d);
  stralloc_free(&u);
  stralloc_free(&dn);
  stralloc_free(&addr);
  stralloc_free(&p);
  return rc;
}

int dlv_vdelivermail(struct dlv_ctx *c, const char *user, const char *domain,
                     const char *action, struct dlv_result *r)
{
  return vdm_in(c, user, domain, action, 0, r);
}

/* ---- qmail-local for a vpopmail domain ---- */

int dlv_domain_local(const char *domain, size_t len)
{
  struct vdomain d = {0};
  int rc;
  if (!dq_valid_domain(domain, len)) return 0;
  rc = assign_lookup(&d, domain, len);
  assign_free(&d);
  return rc;
}

static int envadd(stralloc *env, const char *k, const char *v, size_t vl)
{
  return stralloc_cats(env, k) && stralloc_append(env, "=") &&
         stralloc_catb(env, v, vl) && stralloc_append(env, "");
}

static int dlv_address_in(struct dlv_ctx *c, const char *addr, size_t len, struct dlv_result *r)
{
  stralloc u = {0}, dn = {0}, name = {0}, def = {0}, path = {0}, env = {0}, a = {0}, t = {0};
  struct vdomain d = {0};
  struct scope s;
  size_t at = byte_rchr(addr, len, '@');
  int rc, n;
  struct stat st;

  if (at == len) return set(r, DLV_PERM, "invalid username", 0);
  if (!stralloc_copyb(&t, addr, at) || !sa_cstr(&t) ||
      !stralloc_copyb(&a, addr + at + 1, len - at - 1) || !sa_cstr(&a)) return oom(r);
  if (lower_valid(&u, &dn, t.s, a.s, r) != DLV_OK) { rc = r->code; goto out; }
  rc = assign_lookup(&d, dn.s, dn.len);
  if (rc == -1) { rc = syserr(r, "assign-lookup", dn.s); goto out; }
  if (rc == 0) { rc = set(r, DLV_TEMP, "not a local domain: ", dn.s); goto out; }

  /* qmail-local's search in the domain directory */
  for (n = 0;; ++n) {
    rc = dq_candidate(&name, &def, u.s, u.len, n);
    if (rc == -1) { rc = oom(r); goto out; }
    if (rc == 0) break;   /* no .qmail file at all: vdelivermail's own rules */
    if (!paths_join(&path, d.dir.s, name.s)) { rc = oom(r); goto out; }
    if (stat(path.s, &st) == 0) break;
    if (errno != ENOENT) { rc = syserr(r, "stat-dotqmail", path.s); goto out; }
  }
  if (rc == 0) {
    /* A vpopmail domain always has a .qmail-default; without one, act as
     * "vdelivermail '' bounce-no-mailbox" so existing users still get mail. */
    if (!stralloc_copys(&path, "") || !sa_cstr(&path)) { rc = oom(r); goto out; }
    n = 0;
  }

  /* qmail-local's environment for the programs of this file */
  if (!stralloc_copy(&a, &u) || !stralloc_append(&a, "@") ||
      !stralloc_catb(&a, d.real.s, d.real.len) || !sa_cstr(&a)) { rc = oom(r); goto out; }
  if (!stralloc_copys(&t, "Delivered-To: ") || !stralloc_cat(&t, &d.name) ||
      !stralloc_append(&t, "-") || !stralloc_cat(&t, &u) || !stralloc_append(&t, "@") ||
      !stralloc_cat(&t, &d.name) || !stralloc_append(&t, "\n")) { rc = oom(r); goto out; }
  if (!envadd(&env, "SENDER", c->sender.s, c->sender.len) ||
      !envadd(&env, "NEWSENDER", c->sender.s, c->sender.len) ||
      !envadd(&env, "RECIPIENT", t.s + 14, t.len - 15) ||
      !envadd(&env, "LOCAL", t.s + 14, byte_rchr(t.s + 14, t.len - 15, '@')) ||
      !envadd(&env, "HOST", d.name.s, d.name.len) ||
      !envadd(&env, "EXT", u.s, u.len) ||
      !envadd(&env, "HOME", d.dir.s, d.dir.len) ||
      !envadd(&env, "DTLINE", t.s, t.len) ||
      !envadd(&env, "RPLINE", c->rpline.s, c->rpline.len) ||
      !envadd(&env, "UFLINE", "", 0) ||
      (n > 0 && !envadd(&env, "DEFAULT", def.s, def.len))) { rc = oom(r); goto out; }
  s.d = &d; s.addr = a.s; s.base = d.dir.s;
  s.env = &env;

  if (!path.len) { rc = vdm_in(c, u.s, dn.s, "bounce-no-mailbox", &env, r); goto out; }
  rc = run_dotqmail(c, &s, path.s, u.s, dn.s, 1, r);
  if (rc == 0) rc = set(r, DLV_TEMP, "qmail-local: empty .qmail file: ", path.s);
  else rc = r->code;
out:
  assign_free(&d);
  stralloc_free(&u); stralloc_free(&dn); stralloc_free(&name); stralloc_free(&def);
  stralloc_free(&path); stralloc_free(&env); stralloc_free(&a); stralloc_free(&t);
  return rc;
}

int dlv_address(struct dlv_ctx *c, const char *addr, size_t len, struct dlv_result *r)
{
  return dlv_address_in(c, addr, len, r);
}
