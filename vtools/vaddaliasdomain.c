/* vtools/vaddaliasdomain.c — make one domain an alias of another, as
 * vpopmail's vaddaliasdomain (either argument order: the one that
 * exists is the real domain). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "assign.h"
#include "str.h"
#include "vdomain.h"
#include "verror.h"
#include "vtool.h"

static void usage(void)
{
  printf("vaddaliasdomain: usage: [options] real_domain alias_domain\n");
  printf("options: -v (print version number)\n");
  printf("note: for backward compatability, you can swap real_domain and alias_domain.\n");
}

static int exists(const char *dom)
{
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  int r = assign_lookup(&d, dom, str_len(dom));
  assign_free(&d);
  if (r < 0 && errno != ENOENT) vtool_die_code(VA_CANNOT_READ_ASSIGN);
  return r > 0;
}

int main(int argc, char **argv)
{
  const char *a, *b;
  int c, ea, eb, r;

  vtool_init("vaddaliasdomain");
  while ((c = getopt(argc, argv, "v")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    default: usage(); exit(-1);
    }
  }
  if (argc - optind < 2) {
    usage();
    exit(-1);
  }
  a = argv[optind];
  b = argv[optind + 1];
  if (str_equal(a, b)) {
    printf("Error: real domain and alias domain are the same!\n");
    usage();
    exit(-1);
  }
  ea = exists(a);
  eb = exists(b);
  if (ea && eb) vtool_die_msg(-1, "Error: Both domains already exist, unable to create alias.");
  if (!ea && !eb) {
    printf("Error: Neither '%s' or '%s'  exist, unable to create alias.\n", a, b);
    fflush(stdout);
    exit(-1);
  }
  r = ea ? vdomain_add_alias(b, a, 0) : vdomain_add_alias(a, b, 0);
  if (r) vtool_die_code(r);
  return 0;
}
