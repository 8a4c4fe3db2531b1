/* vdeliver/vdeliver.c — vpopmail's vdelivermail (installed under both
 * names): delivers the message on stdin to $EXT@$HOST, run by qmail-local
 * from a domain's .qmail-default:
 *   | /home/vpopmail/bin/vdelivermail '' ACTION
 * ACTION (for unknown users): bounce-no-mailbox, delete, an address, or
 * a path. Reads EXT, HOST, SENDER, RPLINE, DTLINE. Exit 0 delivered, 99
 * delivered and stop processing further .qmail lines, 100 permanent
 * failure, 111 temporary failure; the reason is printed on stdout, which
 * qmail-local puts into the bounce or the log.
 *
 * SECURITY: runs as the domain's uid (the mail-store id) under
 * qmail-local. Started as root it switches to the mail-store ids before
 * reading anything, so no message file is ever root-owned; if that is not
 * possible it refuses (111). (In a sandbox, QMAILDIR/VPOPMAILDIR from the
 * environment, every file belongs to the invoking user, root included.) The message and environment are untrusted
 * and validated by the delivery module. */
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buffer.h"
#include "deliver.h"
#include "leakcheck.h"
#include "log.h"
#include "paths.h"
#include "str.h"

static void out(const char *s)
{
  buffer_puts(buffer_1, s);
  buffer_puts(buffer_1, "\n");
  buffer_flush(buffer_1);
}

static void __attribute__((noreturn)) finish(int code, const char *text)
{
  if (text && *text) out(text);
  leakcheck();
  _exit(code);
}

static void drop_root(void)
{
  uid_t uid;
  gid_t gid;
  if (geteuid() != 0) return;
  if (paths_sandboxed()) return;   /* a sandbox is owned by whoever runs it */
  if (!paths_mailstore_ids(&uid, &gid)) finish(111, "vdelivermail: unable to find the mail-store user");
  if (setgroups(0, 0) == -1 || setgid(gid) == -1 || setuid(uid) == -1)
    finish(111, "vdelivermail: unable to switch to the mail-store user");
  if (geteuid() == 0 || getuid() == 0)
    finish(111, "vdelivermail: refusing to deliver as root");
}

/* A setuid program may be started with fd 2 closed: the next file it
 * opens would then receive the log lines. Keep 0-2 open (on /dev/null). */
static void fds_open(void)
{
  int fd;
  while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2) ;
  if (fd > 2) close(fd);
}

int main(int argc, char **argv)
{
  struct dlv_msg m;
  struct dlv_ctx c;
  struct dlv_result r;
  const char *ext, *host, *sender, *rpline, *dtline;

  fds_open();
  log_init("vdelivermail");
  if (argc != 3) finish(111, "vdelivermail: invalid syntax in .qmail-default file");
  drop_root();
  umask(077);
  ext = getenv("EXT");
  if (!ext) finish(100, "vdelivermail: no EXT environment varilable");
  host = getenv("HOST");
  if (!host) finish(100, "vdelivermail: no HOST environment varilable");
  sender = getenv("SENDER");
  if (!sender) sender = "";
  if (dlv_msg_init(&m, 0) == -1) finish(111, "vdelivermail: unable to read the message");
  if (!dlv_ctx_init(&c, &m, sender, str_len(sender))) finish(111, "vdelivermail: out of memory");
  rpline = getenv("RPLINE");
  dtline = getenv("DTLINE");
  if ((rpline && !stralloc_copys(&c.rpline, rpline)) ||
      (dtline && !stralloc_copys(&c.dtline, dtline)))
    finish(111, "vdelivermail: out of memory");
  c.inject = 1;
  dlv_result_init(&r);
  dlv_vdelivermail(&c, ext, host, argv[2], &r);
  finish(r.code, r.text.s);
}
