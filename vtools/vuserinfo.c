/* vtools/vuserinfo.c — vpopmail's vuserinfo: show a user's record, or
 * every user of a domain with -D (man vuserinfo). Layout as vpopmail
 * 5.6, including the line of 42 '-' before each user in -D mode. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "quota.h"
#include "sa.h"
#include "usertool.h"

static int show_all = 1, f_name, f_pass, f_clear, f_uid, f_gid, f_gecos, f_dir,
           f_quota, f_usage, f_last;

static void usage(void)
{
  printf("vuserinfo: usage: [options] email_address\n");
  printf("options: -v (print version number)\n");
  printf("         -a (display all fields, this is the default)\n");
  printf("         -n (display name field)\n");
  printf("         -p (display crypted password)\n");
  printf("         -u (display uid field)\n");
  printf("         -g (display gid field)\n");
  printf("         -c (display comment field)\n");
  printf("         -d (display directory)\n");
  printf("         -q (display quota field)\n");
  printf("         -Q (display quota usage)\n");
  printf("         -C (display clear text password)\n");
  printf("         -l (display last authentication time)\n");
  printf("         -D domainname (show all users on this domain)\n");
}

static const struct { unsigned long bit; const char *text; } limit_text[] = {
  { VPW_NO_PASSWD_CHNG, "password can not be changed by user" },
  { VPW_NO_POP, "pop access closed" },
  { VPW_NO_WEBMAIL, "webmail access closed" },
  { VPW_NO_IMAP, "imap access closed" },
  { VPW_NO_SMTP, "smtp access is closed" },
  { VPW_NO_RELAY, "user not allowed to relay mail" },
  { VPW_NO_SPAMASSASSIN, "spamassassin processing disabled" },
  { VPW_DELETE_SPAM, "delete spam" },
  { VPW_NO_MAILDROP, "maildrop processing disabled" },
  { VPW_NO_DIALUP, "no dialup flag has been set" },
  { VPW_BOUNCE_MAIL, "mail will be bounced back to sender" },
  { VPW_QA_ADMIN, "has qmailadmin administrator access" },
  { VPW_SA_ADMIN, "has system administrator access" },
  { VPW_SA_EXPERT, "has expert access" },
  { VPW_V_USER0, "user flag 0 is set" },
  { VPW_V_USER1, "user flag 1 is set" },
  { VPW_V_USER2, "user flag 2 is set" },
  { VPW_V_USER3, "user flag 3 is set" },
  { VPW_V_OVERRIDE, "user is not subject to domain limits" },
};

static void s(const char *label, const stralloc *v)
{
  printf("%s%.*s\n", label, (int)v->len, v->s ? v->s : "");
}

static void lastauth(const struct vqpasswd *pw, const struct vdomain *d)
{
  stralloc ip = {0};
  unsigned long when = 0;
  time_t t;
  int r = vauth_getlastauth(pw, d, &ip, &when);
  t = (time_t)when;
  if (r <= 0 || when == 0 || ip.len == 0 || (ip.len == 7 && !memcmp(ip.s, "0.0.0.0", 7))) {
    if (r > 0 && when) printf("account created: %s", asctime(localtime(&t)));
    printf("last auth: Never logged in\n");
  } else {
    printf("last auth: %s", asctime(localtime(&t)));
    printf("last auth ip: %.*s\n", (int)ip.len, ip.s);
  }
  stralloc_free(&ip);
}

static void usage_line(const char *label, const struct vqpasswd *pw)
{
  stralloc md = {0}, q = {0};
  int pct = 0;
  if (pw->quota.len == 7 && !memcmp(pw->quota.s, "NOQUOTA", 7)) { s(label, &pw->quota); return; }
  if (!stralloc_copy(&md, &pw->dir) || !stralloc_cats(&md, "/Maildir") || !sa_cstr(&md)
      || !stralloc_copy(&q, &pw->quota) || !sa_cstr(&q)) vtool_die_temp("out of memory");
  if (quota_percent(md.s, q.s, (uid_t)-1, (gid_t)-1, &pct) < 0) pct = 0;
  printf("%s%d%%\n", label, pct);
  stralloc_free(&md); stralloc_free(&q);
}

static int display(const struct vqpasswd *pw, void *arg)
{
  const struct vdomain *d = arg;
  if (show_all) {
    unsigned long eff = pw->gid, fromdom = 0;
    size_t i;
    if (vuser_flags(&eff, &fromdom, pw, d) != 0) eff = pw->gid;
    s("name:   ", &pw->name);
    s("passwd: ", &pw->passwd);
    /* vpopmail prints this line only on clear-password builds: here when
     * control/clearpasswords is on or the record carries a clear field */
    if (pw->has_clear || vuser_clear_enabled() == 1) s("clear passwd: ", &pw->clear);
    s("comment/gecos: ", &pw->gecos);
    printf("uid:    %lu\n", pw->uid);
    printf("gid:    %lu\n", pw->gid);
    printf("flags:  %lu\n", eff);
    s("gecos: ", &pw->gecos);
    if (eff == 0) {
      printf("limits: No user limits set.\n");
    } else {
      printf("limits:\n");
      for (i = 0; i < sizeof limit_text / sizeof limit_text[0]; ++i)
        if (eff & limit_text[i].bit)
          printf("        %s%s\n", limit_text[i].text, (pw->gid & limit_text[i].bit) ? "" : " (*)");
      if (eff != pw->gid) printf("        * = set by domain-wide limits\n");
    }
    s("dir:       ", &pw->dir);
    s("quota:     ", &pw->quota);
    usage_line("usage:     ", pw);
    lastauth(pw, d);
  } else {
    if (f_name) s("", &pw->name);
    if (f_pass) s("", &pw->passwd);
    if (f_clear) s("", &pw->clear);
    if (f_uid) printf("%lu\n", pw->uid);
    if (f_gid) printf("%lu\n", pw->gid);
    if (f_gecos) s("", &pw->gecos);
    if (f_dir) s("", &pw->dir);
    if (f_quota) s("", &pw->quota);
    if (f_usage) usage_line("", pw);
    if (f_last) lastauth(pw, d);
  }
  return 0;
}

static int display_sep(const struct vqpasswd *pw, void *arg)
{
  printf("------------------------------------------\n");
  return display(pw, arg);
}

/* vpopmail switches to the domain's ids before reading. */
static void become(const struct vdomain *d)
{
  if (geteuid() == 0) {
    if (setgid((gid_t)d->gid) < 0 || setuid((uid_t)d->uid) < 0) vtool_die_msg(1, "Error: unable to setuid");
  } else if ((unsigned long)geteuid() != d->uid) {
    vtool_die_msg(1, "Error: unable to setuid");
  }
}

int main(int argc, char **argv)
{
  stralloc user = {0}, domain = {0};
  struct vdomain d = {0};
  struct vqpasswd pw;
  const char *email = 0, *dom = 0;
  int c, r;

  vtool_init("vuserinfo");
  while ((c = getopt(argc, argv, "anpugcdqQvlD:C")) != -1) {
    switch (c) {
    case 'D': dom = optarg; break;
    case 'v': vtool_print_version(); break;
    case 'n': f_name = 1; show_all = 0; break;
    case 'p': f_pass = 1; show_all = 0; break;
    case 'u': f_uid = 1; show_all = 0; break;
    case 'g': f_gid = 1; show_all = 0; break;
    case 'c': f_gecos = 1; show_all = 0; break;
    case 'C': f_clear = 1; show_all = 0; break;
    case 'd': f_dir = 1; show_all = 0; break;
    case 'q': f_quota = 1; show_all = 0; break;
    case 'Q': f_usage = 1; show_all = 0; break;
    case 'l': f_last = 1; show_all = 0; break;
    case 'a': show_all = 1; break;
    default: usage(); return 255;
    }
  }
  if (optind < argc) email = argv[optind++];
  if ((!email || !*email) && (!dom || !*dom)) { usage(); return 255; }
  ut_open();
  vpw_init(&pw);
  if (dom && *dom) {
    if (!sa_copyb_lower(&domain, dom, strlen(dom)) || !sa_cstr(&domain)) vtool_die_temp("out of memory");
    if (ut_domain(&d, domain.s)) {   /* vpopmail: an unknown one lists nothing */
      become(&d);
      if (vauth_listusers(&d, display_sep, &d) < 0) vtool_die_temp("unable to read vpasswd");
    }
    ut_free(&user, &domain, &d);
    return 0;
  }
  if (ut_parse(&user, &domain, email) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);
  r = ut_domain(&d, domain.s);
  if (r) {
    become(&d);
    r = vuser_lookup(&pw, user.s, &d);
    if (r < 0) vtool_die_temp("unable to read vpasswd.cdb");
  }
  if (r == 0) {
    printf("no such user %s@%s\n", user.s, domain.s);
    r = 255;
  } else {
    display(&pw, &d);
    r = 0;
  }
  vpw_free(&pw);
  ut_free(&user, &domain, &d);
  return r;
}
