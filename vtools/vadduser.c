/* vtools/vadduser.c — vpopmail's vadduser: add a user to a domain.
 * Options, messages and exit codes as vpopmail 5.4/5.6 (man vadduser). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "scan.h"
#include "sa.h"
#include "usertool.h"

static void usage(void)
{
  printf("vadduser: usage: [options] email_address [passwd]\n");
  printf("options: -v (print the version)\n");
  printf("         -q quota_in_bytes (sets the users quota, use NOQUOTA for unlimited)\n");
  printf("         -c comment (sets the gecos comment field)\n");
  printf("         -e standard_encrypted_password\n");
  printf("         -n no_password\n");
  printf("         -r[len] (generate a len (default 12) char random password)\n");
}

int main(int argc, char **argv)
{
  const char *email = 0, *quota = 0, *gecos = 0, *crypted = 0;
  stralloc pass = {0}, user = {0}, domain = {0};
  struct vdomain d = {0};
  struct vqpasswd pw;
  int c, nopass = 0, random = 0, flags = 0, r;

  vtool_init("vadduser");
  while ((c = getopt(argc, argv, "svc:nq:e:r::")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'c': gecos = optarg; break;
    case 'q': quota = optarg; break;
    case 'e': crypted = optarg; break;
    case 's': fprintf(stderr, "Warning: The -s option has been temporarily disabled.\n"); break;
    case 'n': nopass = 1; break;
    case 'r': {
      unsigned long len = 12;
      random = 1;
      if (optarg && (scan_ulong(optarg, &len) != strlen(optarg) || len == 0)) len = 12;
      if (len > VPW_MAX_CLEAR) vtool_die_code(VA_PASSWD_TOO_LONG);
      if (!vtool_random_password(&pass, (unsigned)len)) vtool_die_temp("random password");
      break;
    }
    default: goto opts_done;
    }
  }
opts_done:
  if (optind < argc) email = argv[optind++];
  if (!nopass && optind < argc) {
    if (random) vtool_die_msg(255, "Error: don't use -r option when giving password on command line");
    if (!stralloc_copys(&pass, argv[optind++]) || !sa_cstr(&pass)) vtool_die_temp("out of memory");
  }
  if (!email) { usage(); sa_wipe(&pass); return 255; }

  ut_open();
  if (ut_parse(&user, &domain, email) == -1) {
    printf("You did not use a full email address for the user name\n");
    printf("Only full email addresses should be used\n");
    sa_wipe(&pass);
    ut_free(&user, &domain, &d);
    return 255;
  }
  if (!ut_domain(&d, domain.s)) vtool_die_msg(255, "Error: Domain does not exist");
  vpw_init(&pw);
  r = vuser_lookup(&pw, user.s, &d);
  if (r < 0) vtool_die_temp("unable to read vpasswd.cdb");
  if (r == 1) vtool_die_msg(255, "Error: User already exists");

  if (nopass) flags = VUSER_NOPASS;
  else if (crypted) flags = VUSER_CRYPTED;
  else if (pass.len == 0) {
    vtool_prompt_password(&pass, email);
    if (pass.len == 0) {
      printf("Error: No password entered\n");
      usage();
      sa_wipe(&pass);
      vpw_free(&pw);
      ut_free(&user, &domain, &d);
      return 255;
    }
  }
  if (!sa_cstr(&pass)) vtool_die_temp("out of memory");
  r = vuser_add(&d, user.s, crypted ? crypted : pass.s, gecos, flags);
  if (r) vtool_die_code(r);
  if (quota && vuser_setquota(&d, user.s, quota) != 0)
    vtool_die_msg(255, "Error in vsetuserquota()");
  if (random) printf("Random password: %s\n", pass.s);
  sa_wipe(&pass);
  vpw_free(&pw);
  ut_free(&user, &domain, &d);
  return 0;
}
