/* lib/qmailctl.c — rcpthosts, morercpthosts(.cdb), virtualdomains,
 * locals and qmail-send's SIGHUP, as vpopmail maintains them (see
 * qmailctl.h).
 *
 * Invariants: each file is rewritten whole under its .lock (assign.c's
 * sorted-line functions), mode 0644; morercpthosts.cdb is rebuilt from
 * morercpthosts after every change unless the caller is in bulk mode.
 *
 * SECURITY: the HUP goes only to processes whose argv[0] basename is
 * exactly "qmail-send" as read from /proc/<pid>/cmdline (bounded read);
 * no shell, no ps, no substring match on a command line (vpopmail's
 * `ps | grep` would also signal an editor whose argument mentions
 * qmail-send), and only one working under our QMAILDIR (qmail-send runs
 * in QMAILDIR/queue), so a sandbox never signals the host's qmail. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "assign.h"
#include "atomicfile.h"
#include "byte.h"
#include "cdbmap.h"
#include "control.h"
#include "paths.h"
#include "qmailctl.h"
#include "sa.h"
#include "scan.h"
#include "str.h"

static int cpath(stralloc *sa, const char *name)
{
  if (!ctl_path(sa, name)) { errno = ENOMEM; return 0; }
  return 1;
}

static int ensure_control_dir(void)
{
  stralloc d = {0};
  int r = 0;
  if (!cpath(&d, "")) return -1;
  if (d.len && d.s[d.len - 1] == '/') d.s[--d.len] = 0;
  if (mkdir(d.s, 0755) < 0 && errno != EEXIST) r = -1;
  stralloc_free(&d);
  return r;
}

long qctl_count_lines(const char *name)
{
  stralloc p = {0}, text = {0};
  long n = -1;
  int r, e;
  size_t i;
  if (!cpath(&p, name)) return -1;
  r = af_readfile(&text, p.s);
  if (r >= 0) {
    n = 0;
    for (i = 0; i < text.len; ++i) if (text.s[i] == '\n') ++n;
    if (text.len && text.s[text.len - 1] != '\n') ++n;
  }
  e = errno;
  stralloc_free(&p);
  stralloc_free(&text);
  errno = e;
  return n;
}

static int insert_into(const char *name, const char *line, size_t len)
{
  stralloc p = {0};
  int r;
  if (ensure_control_dir() < 0) return -1;
  if (!cpath(&p, name)) return -1;
  r = assign_file_insert(p.s, line, len, ASSIGN_FT_PLAIN);
  { int e = errno; stralloc_free(&p); errno = e; }
  return r;
}

static long remove_from(const char *name, const char *line, size_t len)
{
  stralloc p = {0};
  long r;
  if (!cpath(&p, name)) return -1;
  r = assign_file_remove(p.s, line, len, 0);
  { int e = errno; stralloc_free(&p); errno = e; }
  return r;
}

int qctl_newmrh(void)
{
  stralloc src = {0}, dst = {0}, tmp = {0}, text = {0}, key = {0};
  struct cdbmap_writer w;
  size_t pos = 0;
  int r = -1, rr, e;

  if (!cpath(&src, "morercpthosts") || !cpath(&dst, "morercpthosts.cdb")
      || !cpath(&tmp, "morercpthosts.tmp")) goto done;
  rr = af_readfile(&text, src.s);
  if (rr < 0) goto done;
  if (rr == 0) { errno = ENOENT; goto done; }
  if (cdbmap_write_begin(&w, dst.s, tmp.s) < 0) goto done;
  while (pos < text.len) {
    size_t eol = pos + byte_chr(text.s + pos, text.len - pos, '\n');
    size_t l = eol - pos;
    while (l && (text.s[pos + l - 1] == ' ' || text.s[pos + l - 1] == '\t')) --l;
    if (l && text.s[pos] != '#') {
      if (!sa_copyb_lower(&key, text.s + pos, l)) { cdbmap_write_abort(&w); errno = ENOMEM; goto done; }
      if (cdbmap_write_add(&w, key.s, key.len, "", 0) < 0) {
        e = errno; cdbmap_write_abort(&w); errno = e; goto done;
      }
    }
    pos = eol + 1;
  }
  if (cdbmap_write_commit(&w) < 0) goto done;
  r = 0;
done:
  e = errno;
  stralloc_free(&src); stralloc_free(&dst); stralloc_free(&tmp);
  stralloc_free(&text); stralloc_free(&key);
  errno = e;
  return r;
}

int qctl_rcpthosts_add(const char *domain, int bulk)
{
  long n = qctl_count_lines("rcpthosts");
  size_t len = str_len(domain);
  if (n < 0) return -1;
  if (n >= QCTL_RCPTHOSTS_MAX) {
    if (insert_into("morercpthosts", domain, len) < 0) return -1;
    if (!bulk && qctl_newmrh() < 0) return -1;
    return 0;
  }
  return insert_into("rcpthosts", domain, len);
}

int qctl_rcpthosts_remove(const char *domain)
{
  size_t len = str_len(domain);
  long n = remove_from("rcpthosts", domain, len);
  long left;
  if (n < 0) return -1;
  if (n > 0) return 1;
  n = remove_from("morercpthosts", domain, len);
  if (n <= 0) return (int)n;
  left = qctl_count_lines("morercpthosts");
  if (left < 0) return -1;
  if (left == 0) {
    stralloc p = {0};
    if (!cpath(&p, "morercpthosts")) return -1;
    if (unlink(p.s) < 0 && errno != ENOENT) { stralloc_free(&p); return -1; }
    if (!cpath(&p, "morercpthosts.cdb")) return -1;
    if (unlink(p.s) < 0 && errno != ENOENT) { stralloc_free(&p); return -1; }
    stralloc_free(&p);
    return 1;
  }
  return qctl_newmrh() < 0 ? -1 : 1;
}

static int vd_line(stralloc *sa, const char *domain)
{
  if (!stralloc_copys(sa, domain) || !stralloc_append(sa, ":")
      || !stralloc_cats(sa, domain)) { errno = ENOMEM; return 0; }
  return 1;
}

int qctl_virtualdomains_add(const char *domain)
{
  stralloc l = {0};
  int r;
  if (!vd_line(&l, domain)) return -1;
  r = insert_into("virtualdomains", l.s, l.len);
  { int e = errno; stralloc_free(&l); errno = e; }
  return r;
}

int qctl_virtualdomains_remove(const char *domain)
{
  stralloc l = {0};
  long r;
  if (!vd_line(&l, domain)) return -1;
  r = remove_from("virtualdomains", l.s, l.len);
  { int e = errno; stralloc_free(&l); errno = e; }
  return r < 0 ? -1 : (r > 0);
}

int qctl_locals_remove(const char *domain)
{
  long r = remove_from("locals", domain, str_len(domain));
  return r < 0 ? -1 : (r > 0);
}

int qctl_cmdline_is_qmail_send(const char *cmdline, size_t len)
{
  size_t a0 = byte_chr(cmdline, len, '\0');
  size_t i, base = 0;
  static const char name[] = "qmail-send";
  for (i = 0; i < a0; ++i) if (cmdline[i] == '/') base = i + 1;
  return a0 - base == sizeof name - 1 && byte_equal(cmdline + base, sizeof name - 1, name);
}

/* 1 when the process's working directory is under qroot (qmail-send
 * runs in QMAILDIR/queue); an unreadable cwd counts as "ours" only
 * outside a sandbox, where vpopmail would signal it too. */
static int runs_in(const char *pid, size_t plen, const char *qroot)
{
  char path[64], cwd[4096];
  ssize_t n;
  size_t ql = str_len(qroot);
  byte_copy(path, 6, "/proc/");
  byte_copy(path + 6, plen, pid);
  byte_copy(path + 6 + plen, 5, "/cwd");
  n = readlink(path, cwd, sizeof cwd - 1);
  if (n < 0) return !paths_sandboxed();
  cwd[n] = 0;
  if ((size_t)n < ql || !byte_equal(cwd, ql, qroot)) return 0;
  return (size_t)n == ql || cwd[ql] == '/' || (ql && qroot[ql - 1] == '/');
}

int qctl_hup_qmail_send(void)
{
  DIR *dir = opendir("/proc");
  struct dirent *de;
  pid_t self = getpid();
  int count = 0;
  char *qroot = realpath(paths_qmaildir(), 0);
  if (!qroot) { if (dir) closedir(dir); return 0; }
  if (!dir) { free(qroot); return 0; }
  while ((de = readdir(dir))) {
    unsigned long pid;
    char path[64], buf[256];
    size_t k = scan_ulong(de->d_name, &pid);
    int fd;
    ssize_t got;
    if (!k || de->d_name[k] || (pid_t)pid == self || pid <= 1) continue;
    if (str_len(de->d_name) > 20) continue;
    byte_copy(path, 6, "/proc/");
    byte_copy(path + 6, k, de->d_name);
    byte_copy(path + 6 + k, 9, "/cmdline");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    got = read(fd, buf, sizeof buf);
    close(fd);
    if (got <= 0) continue;
    if (qctl_cmdline_is_qmail_send(buf, (size_t)got) && runs_in(de->d_name, k, qroot))
      if (kill((pid_t)pid, SIGHUP) == 0) ++count;
  }
  closedir(dir);
  free(qroot);
  return count;
}
