/* lib/vlimits_test.c — limits file parsing (separators, comments,
 * booleans by presence, perm masks), the writer's layout, the lookup
 * order domain file / vlimits.default / built-in, and the flag mask. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tests/check.h"
#include "vlimits.h"
#include "vpasswd.h"

static int parse(struct vlimits *l, const char *s)
{
  return limits_parse(l, s, strlen(s));
}

int main(void)
{
  struct vlimits l, m;
  stralloc out = {0};
  char tmpl[] = "/tmp/vlimits_test.XXXXXX";
  char *top = mkdtemp(tmpl);
  char dom[256], p[512], buf[2048];
  struct stat st;

  limits_defaults(&l);
  CHECK(l.maxpopaccounts == -1 && l.maxaliases == -1 && l.maxforwards == -1 &&
        l.maxautoresponders == -1 && l.maxmailinglists == -1);
  CHECK(l.diskquota == 0 && l.maxmsgcount == 0 && l.defaultquota == 0 &&
        l.defaultmaxmsgcount == 0 && !l.disable_pop && !l.perm_account);
  CHECK(limits_flag_mask(&l) == 0);

  /* separators: spaces, tabs, ':' in any mix; '#' comments; CR endings */
  CHECK(parse(&l,
    "# domain limits\n"
    "maxpopaccounts: 10\n"
    "maxaliases\t20\n"
    "maxforwards:::  30\r\n"
    "maxautoresponders 0\n"
    "maxmailinglists: -1\n"
    "quota: 500\n"
    "maxmsgcount: 1000\n"
    "default_quota: 10485760\n"
    "default_maxmsgcount: 100\n"
    "disable_pop\n"
    "disable_imap: 0\n"               /* presence counts, not the value */
    "#disable_smtp\n"
    "  disable_webmail\n"             /* leading blank: not a key */
    "perm_account: 7\n"
    "perm_alias: 9\n"                 /* masked to 3 bits */
    "perm_maillist: 457\n"            /* 1 | 1<<3 | 7<<6 */
    "perm_quota: 2\n"
    "perm_defaultquota: 4\n"
    "unknown_key: 5\n"
    "disable_maildrop") == 1);
  CHECK(l.maxpopaccounts == 10 && l.maxaliases == 20 && l.maxforwards == 30);
  CHECK(l.maxautoresponders == 0 && l.maxmailinglists == -1);
  CHECK(l.diskquota == 500 && l.maxmsgcount == 1000);
  CHECK(l.defaultquota == 10485760ULL && l.defaultmaxmsgcount == 100);
  CHECK(l.disable_pop && l.disable_imap && !l.disable_smtp && !l.disable_webmail);
  CHECK(l.disable_maildrop && !l.delete_spam);
  CHECK(l.perm_account == 7 && l.perm_alias == 1);
  CHECK(l.perm_maillist == 1 && l.perm_maillist_users == 1 && l.perm_maillist_moderators == 7);
  CHECK(l.perm_quota == 2 && l.perm_defaultquota == 4);
  CHECK(limits_flag_mask(&l) == (VPW_NO_POP | VPW_NO_IMAP | VPW_NO_MAILDROP));

  /* lenient numbers as vpopmail reads them */
  CHECK(parse(&l, "maxpopaccounts: abc\nmaxaliases:\nmaxforwards\nquota: 12MB\n") == 1);
  CHECK(l.maxpopaccounts == 0);            /* no digits: 0 */
  CHECK(l.maxaliases == 0);                /* separator, empty value: 0 */
  CHECK(l.maxforwards == -1);              /* no separator: ignored */
  CHECK(l.diskquota == 12);
  CHECK(parse(&l, "quota: -5\nmaxpopaccounts: 99999999999999999999\n") == 1);
  CHECK(l.diskquota == 0 && l.maxpopaccounts == 0x7fffffffL);
  CHECK(parse(&l, "") == 1 && l.maxpopaccounts == -1);

  /* every boolean maps to its flag bit */
  CHECK(parse(&l, "disable_pop\ndisable_imap\ndisable_dialup\n"
                  "disable_password_changing\ndisable_external_relay\n"
                  "disable_smtp\ndisable_webmail\ndisable_spamassassin\n"
                  "delete_spam\ndisable_maildrop\n") == 1);
  CHECK(limits_flag_mask(&l) == (0x02UL | 0x08UL | 0x800UL | 0x04UL | 0x20UL |
                                 0x01UL | 0x40UL | 0x4000UL | 0x8000UL | 0x40000UL));

  /* writer: numeric keys, set booleans, perm lines; reads back the same */
  limits_defaults(&l);
  l.maxpopaccounts = 25;
  l.diskquota = 100;
  l.defaultquota = 5242880;
  l.disable_imap = 1;
  l.delete_spam = 1;
  l.perm_alias = 4;
  l.perm_maillist = 1;
  l.perm_maillist_users = 2;
  l.perm_maillist_moderators = 4;
  CHECK(limits_format(&out, &l) == 1);
  CHECK_SA(out,
    "maxpopaccounts: 25\n"
    "maxaliases: -1\n"
    "maxforwards: -1\n"
    "maxautoresponders: -1\n"
    "maxmailinglists: -1\n"
    "quota: 100\n"
    "maxmsgcount: 0\n"
    "default_quota: 5242880\n"
    "default_maxmsgcount: 0\n"
    "disable_imap\n"
    "delete_spam\n"
    "perm_account: 0\n"
    "perm_alias: 4\n"
    "perm_forward: 0\n"
    "perm_autoresponder: 0\n"
    "perm_maillist: 273\n"
    "perm_quota: 0\n"
    "perm_defaultquota: 0\n");
  CHECK(limits_parse(&m, out.s, out.len) == 1);
  CHECK(!memcmp(&l, &m, sizeof l));

  /* files: domain file, else vlimits.default, else built-in */
  CHECK(top != 0);
  setenv("VPOPMAILDIR", top, 1);
  snprintf(dom, sizeof dom, "%s/ex.com", top);
  CHECK(mkdir(dom, 0750) == 0);
  CHECK(limits_read(dom, &l) == 0 && l.maxpopaccounts == -1);
  snprintf(p, sizeof p, "%s/etc", top);
  CHECK(mkdir(p, 0750) == 0);
  snprintf(p, sizeof p, "%s/etc/vlimits.default", top);
  check_put(p, "maxpopaccounts 5\ndisable_smtp\n");
  CHECK(limits_read(dom, &l) == 1 && l.maxpopaccounts == 5 && l.disable_smtp);
  CHECK(limits_read(0, &l) == 1 && l.maxpopaccounts == 5);
  snprintf(p, sizeof p, "%s/.qmailadmin-limits", dom);
  check_put(p, "maxpopaccounts: 7\n");
  CHECK(limits_read(dom, &l) == 2 && l.maxpopaccounts == 7 && !l.disable_smtp);
  /* an unreadable file is an error, not a silent default */
  if (geteuid() != 0) {
    CHECK(chmod(p, 0) == 0);
    CHECK(limits_read(dom, &l) == -1 && errno == EACCES);
    CHECK(chmod(p, 0600) == 0);
  }
  /* write: atomic, 0600, reads back; delete */
  l.maxaliases = 3;
  l.disable_webmail = 1;
  CHECK(limits_write(p, &l, getuid(), getgid()) == 1);
  CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK(limits_read_file(p, &m) == 1 && !memcmp(&l, &m, sizeof l));
  CHECK(check_slurp(p, buf, sizeof buf) > 0 && strstr(buf, "maxaliases: 3\n") &&
        strstr(buf, "\ndisable_webmail\n"));
  CHECK(limits_delete(dom) == 1);
  CHECK(limits_delete(dom) == 0);
  CHECK(limits_read(dom, &l) == 1 && l.maxpopaccounts == 5);
  snprintf(p, sizeof p, "%s/nodir/.qmailadmin-limits", top);
  CHECK(limits_write(p, &l, (uid_t)-1, (gid_t)-1) == -1);

  snprintf(buf, sizeof buf, "rm -rf '%s'", top);
  CHECK(system(buf) == 0);
  stralloc_free(&out);
  return check_done();
}
