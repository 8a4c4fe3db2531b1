/* vtools/vmoddomlimits.c — show, change or delete a domain's limits
 * (<domaindir>/.qmailadmin-limits) or the defaults
 * (VPOPMAILDIR/etc/vlimits.default), as vpopmail's vmoddomlimits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "assign.h"
#include "paths.h"
#include "quota.h"
#include "sa.h"
#include "str.h"
#include "verror.h"
#include "vlimits.h"
#include "vtool.h"

static void usage(void)
{
  printf("vmoddomlimits: usage: [options] domain \n");
  printf("options: -v ( display the vpopmail version number )\n");
  printf("         -d ( use the vlimits.default file, instead of domain )\n");
  printf("         -S ( show current settings )\n");
  printf("         -D ( delete limits for this domain, i.e. switch to default limits)\n");
  printf("         -Q quota-in-megabytes ( set domain disk quota, '100' = 100 MB )\n");
  printf("         -q quota-in-bytes ( set default user quota, '10M' = 10 MB )\n");
  printf("         -M count ( set domain max msg count )\n");
  printf("         -m count ( set default user max msg count )\n");
  printf("         -P count ( set max amount of pop accounts )\n");
  printf("         -A count ( set max amount of aliases )\n");
  printf("         -F count ( set max amount of forwards )\n");
  printf("         -R count ( set max amount of autoresponders )\n");
  printf("         -L count ( set max amount of mailing lists )\n");
  printf("the following options are bit flags in the gid int field\n");
  printf("         -g \"flags\"  (set flags, see below)\n");
  printf("         gid flags:\n");
  printf("            u ( set no dialup flag )\n");
  printf("            d ( set no password changing flag )\n");
  printf("            p ( set no pop access flag )\n");
  printf("            s ( set no smtp access flag )\n");
  printf("            w ( set no web mail access flag )\n");
  printf("            i ( set no imap access flag )\n");
  printf("            r ( set no external relay flag )\n");
  printf("            c ( set no spamassasssin flag )\n");
  printf("            x ( set delete spam flag )\n");
  printf("            m ( set no maildrop flag )\n");
  printf("the following options are bit flags for non postmaster admins\n");
  printf("         -p \"flags\"  (set pop account flags)\n");
  printf("         -a \"flags\"  (set alias flags)\n");
  printf("         -f \"flags\"  (set forward flags)\n");
  printf("         -r \"flags\"  (set autoresponder flags)\n");
  printf("         -l \"flags\"  (set mailinglist flags)\n");
  printf("         -u \"flags\"  (set mailinglist users flags)\n");
  printf("         -o \"flags\"  (set mailinglist moderators flags)\n");
  printf("         -x \"flags\"  (set quota flags)\n");
  printf("         -z \"flags\"  (set default quota flags)\n");
  printf("         perm flags:\n");
  printf("            a ( set deny all flag )\n");
  printf("            c ( set deny create flag )\n");
  printf("            m ( set deny modify flag )\n");
  printf("            d ( set deny delete flag )\n");
}

static void die(const char *msg)
{
  printf("%s", msg);
  fflush(stdout);
  exit(-1);
}

/* atoi/strtoll as vpopmail reads option values: leading digits, else 0 */
static long long lenient(const char *s)
{
  return strtoll(s, 0, 10);
}

static int perm_flags(const char *s)
{
  int v = 0;
  for (; *s; ++s)
    switch (*s) {
    case 'a': v |= LIMITS_DENY_ALL; break;
    case 'c': v |= LIMITS_DENY_CREATE; break;
    case 'm': v |= LIMITS_DENY_MODIFY; break;
    case 'd': v |= LIMITS_DENY_DELETE; break;
    }
  return v;
}

static void perm_line(const char *label, int v)
{
  printf("\n  %s", label);
  printf("%s", v & LIMITS_DENY_CREATE ? "DENY_CREATE  " : "ALLOW_CREATE ");
  printf("%s", v & LIMITS_DENY_MODIFY ? "DENY_MODIFY  " : "ALLOW_MODIFY ");
  printf("%s", v & LIMITS_DENY_DELETE ? "DENY_DELETE  " : "ALLOW_DELETE ");
}

static void show(const struct vlimits *l, const char *title)
{
  char opts[16];
  size_t n = 0;
  printf("%s\n--\n", title);
  printf("Max Pop Accounts: %ld\n", l->maxpopaccounts);
  printf("Max Aliases: %ld\n", l->maxaliases);
  printf("Max Forwards: %ld\n", l->maxforwards);
  printf("Max Autoresponders: %ld\n", l->maxautoresponders);
  printf("Max Mailinglists: %ld\n", l->maxmailinglists);
  printf("GID Flags:\n");
#define FLAG(f, name, c) if (l->f) { printf("  " name "\n"); opts[n++] = c; }
  FLAG(disable_imap, "NO_IMAP", 'i')
  FLAG(disable_smtp, "NO_SMTP", 's')
  FLAG(disable_pop, "NO_POP", 'p')
  FLAG(disable_webmail, "NO_WEBMAIL", 'w')
  FLAG(disable_passwordchanging, "NO_PASSWD_CHNG", 'd')
  FLAG(disable_relay, "NO_RELAY", 'r')
  FLAG(disable_dialup, "NO_DIALUP", 'u')
  FLAG(disable_spamassassin, "NO_SPAMASSASSIN", 'c')
  FLAG(delete_spam, "DEL_SPAM", 'x')
  FLAG(disable_maildrop, "NO_MAILDROP", 'm')
#undef FLAG
  opts[n] = 0;
  printf("Flags (for commandline): %s\n", opts);
  printf("Flags for non postmaster accounts:");
  perm_line("pop account:            ", l->perm_account);
  perm_line("alias:                  ", l->perm_alias);
  perm_line("forward:                ", l->perm_forward);
  perm_line("autoresponder:          ", l->perm_autoresponder);
  perm_line("mailinglist:            ", l->perm_maillist);
  perm_line("mailinglist users:      ", l->perm_maillist_users);
  perm_line("mailinglist moderators: ", l->perm_maillist_moderators);
  perm_line("quota:                  ", l->perm_quota);
  perm_line("default quota:          ", l->perm_defaultquota);
  printf("\n");
  printf("Domain Quota: %lu MB\n", l->diskquota);
  printf("Default User Quota: %llu bytes\n", l->defaultquota);
  printf("Max Domain Messages: %lu\n", l->maxmsgcount);
  printf("Default Max Messages per User: %lu\n", l->defaultmaxmsgcount);
}

int main(int argc, char **argv)
{
  struct vlimits l;
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  stralloc path = {0}, title = {0};
  const char *dq = 0, *uq = 0, *dm = 0, *um = 0, *mp = 0, *ma = 0, *mf = 0,
             *mr = 0, *ml = 0, *gflags = 0;
  const char *perm[9] = {0};
  int c, show_it = 0, del = 0, deflt = 0, r;

  vtool_init("vmoddomlimits");
  while ((c = getopt(argc, argv, "vSDdQ:q:M:m:P:A:F:R:L:g:p:a:f:r:l:u:o:x:z:h")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'S': show_it = 1; break;
    case 'D': del = 1; break;
    case 'd': deflt = 1; break;
    case 'Q': dq = optarg; break;
    case 'q': uq = optarg; break;
    case 'M': dm = optarg; break;
    case 'm': um = optarg; break;
    case 'P': mp = optarg; break;
    case 'A': ma = optarg; break;
    case 'F': mf = optarg; break;
    case 'R': mr = optarg; break;
    case 'L': ml = optarg; break;
    case 'g': gflags = optarg; break;
    case 'p': perm[0] = optarg; break;
    case 'a': perm[1] = optarg; break;
    case 'f': perm[2] = optarg; break;
    case 'r': perm[3] = optarg; break;
    case 'l': perm[4] = optarg; break;
    case 'u': perm[5] = optarg; break;
    case 'o': perm[6] = optarg; break;
    case 'x': perm[7] = optarg; break;
    case 'z': perm[8] = optarg; break;
    case 'h': usage(); return 0;
    default: break;
    }
  }
  if (!deflt && optind >= argc) {
    usage();
    exit(-1);
  }

  if (deflt) {
    if (!paths_vpopmail(&path, LIMITS_DEFAULT_FILE)) vtool_die_temp("vmoddomlimits");
    if (limits_read_file(path.s, &l) != 1) die("Failed to read the vlimits.default file.\n");
    if (del)
      die("Default limits must not be deleted. If you really want to do this,\n"
          "remove the vlimits.default file.\n"
          "But be warned: this might stop vpopmail from working!!\n");
    if (!stralloc_copys(&title, "Default limits: ") || !stralloc_cats(&title, path.s)
        || !sa_cstr(&title)) vtool_die_temp("vmoddomlimits");
  } else {
    const char *dom = argv[optind];
    r = assign_lookup(&d, dom, str_len(dom));
    if (r < 0 && errno != ENOENT) vtool_die_code(VA_CANNOT_READ_ASSIGN);
    if (r <= 0) goto out; /* vpopmail: an unknown domain silently exits 0 */
    if (limits_read(d.dir.s, &l) < 0) die("Failed to vget_limits\n");
    if (del) {
      if (limits_delete(d.dir.s) < 0) die("Failed to delete limits\n");
      printf("Limits deleted\n");
      goto out;
    }
    if (!stralloc_copys(&title, "Domain: ") || !stralloc_cats(&title, dom)
        || !sa_cstr(&title)) vtool_die_temp("vmoddomlimits");
    if (!stralloc_copy(&path, &d.dir) || !stralloc_cats(&path, "/" LIMITS_FILE)
        || !sa_cstr(&path)) vtool_die_temp("vmoddomlimits");
  }
  if (show_it) {
    show(&l, title.s);
    goto out;
  }

  if (mp) l.maxpopaccounts = (long)lenient(mp);
  if (ma) l.maxaliases = (long)lenient(ma);
  if (mf) l.maxforwards = (long)lenient(mf);
  if (mr) l.maxautoresponders = (long)lenient(mr);
  if (ml) l.maxmailinglists = (long)lenient(ml);
  if (dq) l.diskquota = (unsigned long)lenient(dq);
  if (dm) l.maxmsgcount = (unsigned long)lenient(dm);
  if (uq) {
    stralloc q = {0};
    if (quota_normalize(&q, uq, str_len(uq)) == 1) l.defaultquota = (unsigned long long)lenient(q.s);
    else l.defaultquota = 0;
    stralloc_free(&q);
  }
  if (um) l.defaultmaxmsgcount = (unsigned long)lenient(um);
  if (gflags) {
    const char *s;
    l.disable_dialup = l.disable_passwordchanging = l.disable_pop = l.disable_smtp = 0;
    l.disable_webmail = l.disable_imap = l.disable_relay = l.disable_spamassassin = 0;
    l.delete_spam = l.disable_maildrop = 0;
    for (s = gflags; *s; ++s)
      switch (*s) {
      case 'u': l.disable_dialup = 1; break;
      case 'd': l.disable_passwordchanging = 1; break;
      case 'p': l.disable_pop = 1; break;
      case 's': l.disable_smtp = 1; break;
      case 'w': l.disable_webmail = 1; break;
      case 'i': l.disable_imap = 1; break;
      case 'r': l.disable_relay = 1; break;
      case 'c': l.disable_spamassassin = 1; break;
      case 'x': l.delete_spam = 1; break;
      case 'm': l.disable_maildrop = 1; break;
      }
  }
  if (perm[0]) l.perm_account = perm_flags(perm[0]);
  if (perm[1]) l.perm_alias = perm_flags(perm[1]);
  if (perm[2]) l.perm_forward = perm_flags(perm[2]);
  if (perm[3]) l.perm_autoresponder = perm_flags(perm[3]);
  if (perm[4]) l.perm_maillist = perm_flags(perm[4]);
  if (perm[5]) l.perm_maillist_users = perm_flags(perm[5]);
  if (perm[6]) l.perm_maillist_moderators = perm_flags(perm[6]);
  if (perm[7]) l.perm_quota = perm_flags(perm[7]);
  if (perm[8]) l.perm_defaultquota = perm_flags(perm[8]);

  if (deflt) {
    if (limits_write(path.s, &l, (uid_t)-1, (gid_t)-1) < 0) die("Failed to write vlimits.default file");
  } else {
    if (limits_write(path.s, &l, (uid_t)d.uid, (gid_t)d.gid) < 0) die("Failed to vset_limits\n");
  }
out:
  assign_free(&d);
  stralloc_free(&path);
  stralloc_free(&title);
  return 0;
}
