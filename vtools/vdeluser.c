/* vtools/vdeluser.c — vpopmail's vdeluser: delete a user and its
 * mailbox (man vdeluser). */
#include <stdio.h>
#include <unistd.h>
#include "usertool.h"

static void usage(void)
{
  printf("vdeluser: usage: [options] email_address\n");
  printf("options: -v (print version number)\n");
}

int main(int argc, char **argv)
{
  stralloc user = {0}, domain = {0};
  struct vdomain d = {0};
  const char *email = 0;
  int c, r;

  vtool_init("vdeluser");
  while ((c = getopt(argc, argv, "v")) != -1) {
    if (c == 'v') vtool_print_version();
    else break;
  }
  if (optind < argc) email = argv[optind];
  if (!email) { usage(); return 255; }
  ut_open();
  if (ut_parse(&user, &domain, email) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);
  if (!ut_domain(&d, domain.s)) vtool_die_code(VA_DOMAIN_DOES_NOT_EXIST);
  r = vuser_del(&d, user.s);
  if (r) vtool_die_code(r);
  ut_free(&user, &domain, &d);
  return 0;
}
