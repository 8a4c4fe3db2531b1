/* vtools/vdominfo.c — show virtual domains as vpopmail's vdominfo:
 * every assign entry (each followed by an empty line), or one domain
 * (an alias is resolved to its real domain) followed by its aliases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "assign.h"
#include "str.h"
#include "vdomain.h"
#include "verror.h"
#include "vtool.h"

static int all = 1, show_name, show_uid, show_gid, show_dir, show_total, show_real;

static void usage(void)
{
  printf("vdominfo: usage: [options] [domain]\n");
  printf("options: -v (print version number)\n");
  printf("         -a (display all fields, this is the default)\n");
  printf("         -n (display domain name)\n");
  printf("         -u (display uid field)\n");
  printf("         -g (display gid field)\n");
  printf("         -d (display domain directory)\n");
  printf("         -t (display total users)\n");
  printf("         -r (display real domain)\n");
}

static unsigned long users(const struct vdomain *d)
{
  unsigned long n = 0;
  vdomain_user_count(d, &n);
  return n;
}

static void display(const struct vdomain *d)
{
  if (all) {
    if (!d->is_alias) printf("domain: %s\n", d->name.s);
    else printf("domain: %s (alias of %s)\n", d->name.s, d->real.s);
    printf("uid:    %lu\n", d->uid);
    printf("gid:    %lu\n", d->gid);
    printf("dir:    %s\n", d->dir.s);
    printf("users:  %lu\n", users(d));
    return;
  }
  if (show_name) {
    if (!d->is_alias) printf("%s\n", d->name.s);
    else printf("%s (alias of %s)\n", d->name.s, d->real.s);
  }
  if (show_uid) printf("%lu\n", d->uid);
  if (show_gid) printf("%lu\n", d->gid);
  if (show_dir) printf("%s\n", d->dir.s);
  if (show_total) printf("%lu\n", users(d));
  if (show_real) printf("%s\n", d->real.s);
}

static int show_entry(const struct vdomain *d, void *arg)
{
  (void)arg;
  display(d);
  printf("\n");
  return 0;
}

static void one(const char *name)
{
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0}, real = {{0}, {0}, 0, 0, {0}, 0};
  stralloc al = {0};
  size_t pos;
  int r = assign_lookup(&d, name, str_len(name));
  if (r < 0 && errno != ENOENT) {
    printf("Can't get domain entries - %s\n", verror_text(VA_CANNOT_READ_ASSIGN));
    fflush(stdout);
    exit(VA_CANNOT_READ_ASSIGN);
  }
  if (r <= 0) vtool_die_msg(VA_DOMAIN_DOES_NOT_EXIST, "Invalid domain name");
  if (assign_lookup(&real, d.real.s, d.real.len) != 1) {
    /* an alias whose real domain is gone: show what assign says */
    display(&d);
  } else {
    display(&real);
    if (vdomain_aliases(&al, real.name.s) == 0)
      for (pos = 0; pos < al.len; pos += str_len(al.s + pos) + 1)
        printf("alias: %s\n", al.s + pos);
  }
  assign_free(&d);
  assign_free(&real);
  stralloc_free(&al);
}

int main(int argc, char **argv)
{
  int c;
  vtool_init("vdominfo");
  while ((c = getopt(argc, argv, "vanugdtr")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'n': show_name = 1; all = 0; break;
    case 'u': show_uid = 1; all = 0; break;
    case 'g': show_gid = 1; all = 0; break;
    case 'd': show_dir = 1; all = 0; break;
    case 't': show_total = 1; all = 0; break;
    case 'a': all = 1; break;
    case 'r': show_real = 1; all = 0; break;
    default: usage(); exit(-1);
    }
  }
  if (optind < argc) {
    one(argv[optind]);
  } else if (assign_list(show_entry, 0) < 0) {
    printf("Can't get domain entries - %s\n", verror_text(VA_CANNOT_READ_ASSIGN));
    fflush(stdout);
    exit(-1);
  }
  return 0;
}
