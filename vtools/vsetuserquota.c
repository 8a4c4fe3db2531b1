/* vtools/vsetuserquota.c — vpopmail's vsetuserquota: set the quota of a
 * user, or of every user of a domain (man vsetuserquota). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sa.h"
#include "usertool.h"

static void usage(void)
{
  printf("vsetuserquota: [options] email_address|domain_name quota\n");
  printf("options:\n");
  printf("-v (print version number)\n");
  printf("\nIf you specify a domain name rather than an email address,\n");
  printf("the quota will be applied to all users in that domain\n");
}

struct walk { const struct vdomain *d; const char *quota; };

static int each(const struct vqpasswd *pw, void *arg)
{
  struct walk *w = arg;
  stralloc name = {0};
  int r;
  if (!stralloc_copy(&name, &pw->name) || !sa_cstr(&name)) vtool_die_temp("out of memory");
  r = vuser_setquota(w->d, name.s, w->quota);
  stralloc_free(&name);
  if (r) vtool_die_code(r);
  return 0;
}

int main(int argc, char **argv)
{
  stralloc user = {0}, domain = {0}, quota = {0};
  struct vdomain d = {0};
  const char *email = 0;
  size_t i;
  int c, r;

  vtool_init("vsetuserquota");
  while ((c = getopt(argc, argv, "v")) != -1) {
    if (c == 'v') vtool_print_version();
    else break;
  }
  if (optind < argc) email = argv[optind++];
  if (optind < argc) {
    if (!stralloc_copys(&quota, argv[optind++]) || !sa_cstr(&quota)) vtool_die_temp("out of memory");
    for (i = 0; i < quota.len; ++i)
      if (quota.s[i] >= 'a' && quota.s[i] <= 'z') quota.s[i] = (char)(quota.s[i] - 32);
  }
  if (!email || !*email || quota.len == 0) { usage(); stralloc_free(&quota); return 255; }
  ut_open();
  if (!strchr(email, '@')) {
    struct walk w;
    if (!sa_copyb_lower(&domain, email, strlen(email))) vtool_die_temp("out of memory");
    if (!ut_domain(&d, domain.s)) vtool_die_code(VA_DOMAIN_DOES_NOT_EXIST);
    w.d = &d; w.quota = quota.s;
    if (vauth_listusers(&d, each, &w) < 0) vtool_die_temp("unable to read vpasswd");
  } else {
    if (ut_parse(&user, &domain, email) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);
    if (!ut_domain(&d, domain.s)) vtool_die_code(VA_DOMAIN_DOES_NOT_EXIST);
    r = vuser_setquota(&d, user.s, quota.s);
    if (r) vtool_die_code(r);
  }
  ut_free(&user, &domain, &d);
  stralloc_free(&quota);
  return 0;
}
