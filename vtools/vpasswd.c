/* vtools/vpasswd.c — vpopmail's vpasswd: set a user's password
 * (man vpasswd). As vpopmail, an unknown user and a user who may not
 * change the password (NO_PASSWD_CHNG, also domain-wide) both give
 * "Error: Illegal username". */
#include <stdio.h>
#include <unistd.h>
#include "sa.h"
#include "usertool.h"

static void usage(void)
{
  printf("vpasswd: usage: [options] email_address [password]\n");
  printf("options: -v (print version number)\n");
  printf("         -r generate a random password\n");
}

int main(int argc, char **argv)
{
  stralloc user = {0}, domain = {0}, pass = {0};
  struct vdomain d = {0};
  struct vqpasswd pw;
  const char *email = 0;
  int c, r, random = 0;
  unsigned long eff;

  vtool_init("vpasswd");
  while ((c = getopt(argc, argv, "vr")) != -1) {
    if (c == 'v') vtool_print_version();
    else if (c == 'r') {
      random = 1;
      if (!vtool_random_password(&pass, 8)) vtool_die_temp("random password");
    } else break;
  }
  if (optind < argc) email = argv[optind++];
  if (optind < argc && (!stralloc_copys(&pass, argv[optind++]) || !sa_cstr(&pass)))
    vtool_die_temp("out of memory");
  if (!email) { usage(); sa_wipe(&pass); return 255; }
  ut_open();
  if (ut_parse(&user, &domain, email) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);
  if (pass.len == 0) vtool_prompt_password(&pass, email);
  if (!sa_cstr(&pass)) vtool_die_temp("out of memory");

  if (!ut_domain(&d, domain.s)) vtool_die_code(VA_ILLEGAL_USERNAME);
  vpw_init(&pw);
  r = vuser_lookup(&pw, user.s, &d);
  if (r < 0) vtool_die_temp("unable to read vpasswd.cdb");
  if (r == 0) vtool_die_code(VA_ILLEGAL_USERNAME);
  r = vuser_flags(&eff, 0, &pw, &d);
  if (r) vtool_die_code(r);
  if (eff & VPW_NO_PASSWD_CHNG) vtool_die_code(VA_ILLEGAL_USERNAME);
  r = vuser_setpass(&d, user.s, pass.s);
  if (r) vtool_die_code(r);
  if (random) printf("Random password: %s\n", pass.s);
  sa_wipe(&pass);
  vpw_free(&pw);
  ut_free(&user, &domain, &d);
  return 0;
}
