/* vtools/vdeldomain.c — delete a virtual domain (or one alias domain),
 * as vpopmail's vdeldomain: with alias domains and no -f nothing is
 * deleted and the exit status is 0. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "str.h"
#include "vdomain.h"
#include "verror.h"
#include "vtool.h"

static void usage(void)
{
  printf("vdeldomain: usage: [options] domain_name\n");
  printf("options: -v (print version number)\n");
  printf("options: -f (force delete of virtual domains)\n");
}

static void list(const stralloc *al)
{
  size_t pos;
  for (pos = 0; pos < al->len; pos += str_len(al->s + pos) + 1)
    printf("   %s\n", al->s + pos);
}

int main(int argc, char **argv)
{
  stralloc al = {0};
  int c, force = 0, r;

  vtool_init("vdeldomain");
  while ((c = getopt(argc, argv, "vf")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'f': force = 1; break;
    default: usage(); return 0;
    }
  }
  if (optind >= argc) {
    usage();
    return 0;
  }
  r = vdomain_del(argv[optind], force, &al);
  if (r == 1) {
    printf("Warning: Alias domains exist:\n");
    list(&al);
    printf("   use -f to force delete of domain and all aliases\n");
    stralloc_free(&al);
    return 0;
  }
  if (r == VA_DOMAIN_DOES_NOT_EXIST) vtool_die_msg(r, "Error: Domain does not exist");
  if (r == VA_CANNOT_READ_ASSIGN) {
    printf("Error: Can't get domain entries - %s\n", verror_text(r));
    fflush(stdout);
    exit(r);
  }
  if (al.len) {
    printf("Warning: Alias domains deleted:\n");
    list(&al);
  }
  stralloc_free(&al);
  if (r) vtool_die_code(r);
  return 0;
}
