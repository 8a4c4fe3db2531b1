/* vtools/vmkpasswd.c — vpopmail's vmkpasswd: rebuild a domain's
 * vpasswd.cdb from vpasswd after a hand edit (man vmkpasswd). */
#include <stdio.h>
#include <string.h>
#include "sa.h"
#include "usertool.h"

int main(int argc, char **argv)
{
  stralloc domain = {0};
  struct vdomain d = {0};
  int r;

  vtool_init("vmkpasswd");
  if (argc != 2) {
    printf("vmkpasswd: usage: domain \n");
    return 255;
  }
  ut_open();
  if (strcmp(vauth_backend(), "cdb")) {
    printf("vmkpasswd: is only needed by the cdb authentication module\n");
    return 0;
  }
  if (!sa_copyb_lower(&domain, argv[1], strlen(argv[1])) || !sa_cstr(&domain)) vtool_die_temp("out of memory");
  if (!ut_domain(&d, domain.s)) {
    fprintf(stderr, "Error: %s\n", verror_text(VA_DOMAIN_DOES_NOT_EXIST));
    r = 256 + VA_DOMAIN_DOES_NOT_EXIST;
  } else {
    r = vauth_rebuild(&d);
    if (r) {
      fprintf(stderr, "Error: %s\n", verror_text(r));
      r = 256 + r;
    }
  }
  stralloc_free(&domain);
  assign_free(&d);
  return r;
}
