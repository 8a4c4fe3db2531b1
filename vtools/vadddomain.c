/* vtools/vadddomain.c — add a virtual domain and its postmaster, as
 * vpopmail's vadddomain (options, messages and exit codes alike). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "assign.h"
#include "paths.h"
#include "sa.h"
#include "scan.h"
#include "str.h"
#include "vdomain.h"
#include "verror.h"
#include "vtool.h"
#include "vuser.h"

static void usage(void)
{
  printf("vadddomain: usage: vadddomain [options] virtual_domain [postmaster password]\n");
  printf("options: -v prints the version\n");
  printf("         -q quota_in_bytes (sets the quota for postmaster account)\n");
  printf("         -b (bounces all mail that doesn't match a user, default)\n");
  printf("         -e email_address (forwards all non matching user to this address [*])\n");
  printf("         -u user (sets the uid/gid based on a user in /etc/passwd)\n");
  printf("         -d dir (sets the dir to use for this domain)\n");
  printf("         -i uid (sets the uid to use for this domain)\n");
  printf("         -g gid (sets the gid to use for this domain)\n");
  printf("         -O optimize adding, for bulk adds set this for all\n");
  printf("            except the last one\n");
  printf("         -r[len] (generate a len (default 8) char random postmaster password)\n");
  printf("\n");
  printf(" [*] omit @-sign to deliver directly into user's Maildir: '-e postmaster'\n");
}

static unsigned long num(const char *s)
{
  unsigned long u = 0;
  size_t k = scan_ulong(s, &u);
  if (!k || s[k]) vtool_die_msg(-1, "Error: invalid number");
  return u;
}

int main(int argc, char **argv)
{
  struct vdomain_opts o;
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  stralloc pass = {0}, dom = {0};
  const char *quota = 0, *catchall = 0, *user = 0, *dir = 0;
  int c, random = 0, r;
  unsigned rlen = 8;

  vtool_init("vadddomain");
  o.basedir = 0;
  o.have_ids = 0;
  o.bulk = 0;
  if (!paths_mailstore_ids(&o.uid, &o.gid)) { o.uid = 89; o.gid = 89; }

  while ((c = getopt(argc, argv, "q:be:u:vi:g:d:Or::")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'd': dir = optarg; break;
    case 'u': user = optarg; break;
    case 'q': quota = optarg; break;
    case 'e': catchall = optarg; break;
    case 'i': o.uid = (uid_t)num(optarg); o.have_ids = 1; break;
    case 'g': o.gid = (gid_t)num(optarg); o.have_ids = 1; break;
    case 'b': break;
    case 'O': o.bulk = 1; break;
    case 'r':
      random = 1;
      if (optarg) {
        unsigned long n = num(optarg);
        if (n > 128) vtool_die_code(VA_PASSWD_TOO_LONG);
        rlen = (unsigned)n;
      }
      break;
    default:
      usage();
      return 0;
    }
  }
  if (user) {
    struct passwd *pw = getpwnam(user);
    if (!pw) {
      printf("Error: user %s not found in /etc/passwd\n", user);
      fflush(stdout);
      exit(-1);
    }
    if (!dir) dir = pw->pw_dir;
    o.uid = pw->pw_uid;
    o.gid = pw->pw_gid;
    o.have_ids = 1;
  }
  o.basedir = dir;
  if (optind >= argc) {
    usage();
    return 0;
  }
  if (!sa_copyb_lower(&dom, argv[optind], str_len(argv[optind]))) vtool_die_temp("vadddomain");
  ++optind;

  /* if it already exists, do not ask for a password */
  r = assign_lookup(&d, dom.s, dom.len);
  if (r > 0) vtool_die_code(VA_DOMAIN_ALREADY_EXISTS);
  if (r < 0 && errno != ENOENT) vtool_die_code(VA_CANNOT_READ_ASSIGN);

  if (optind < argc) {
    if (random) vtool_die_msg(-1, "Error: don't use -r option when giving password on command line");
    if (!stralloc_copys(&pass, argv[optind]) || !sa_cstr(&pass)) vtool_die_temp("vadddomain");
  } else if (random) {
    if (!vtool_random_password(&pass, rlen)) vtool_die_temp("vadddomain: random password");
  } else if (!vtool_prompt_password(&pass, "postmaster")) {
    vtool_die_msg(-1, "Error: could not read password");
  }

  r = vdomain_add(dom.s, &o);
  if (r) vtool_die_code(r);

  if (assign_lookup(&d, dom.s, dom.len) != 1) vtool_die_code(VA_DOMAIN_DOES_NOT_EXIST);
  r = vuser_add(&d, "postmaster", pass.s, "Postmaster", 0);
  if (r) {
    int r2;
    printf("Error: (vadduser) %s\n", verror_text(r));
    r2 = vdomain_del(dom.s, 1, 0);
    if (r2) printf("Error: %s\n", verror_text(r2));
    fflush(stdout);
    exit(r);
  }
  if (quota) {
    r = vuser_setquota(&d, "postmaster", quota);
    if (r) vtool_die_code(r);
  }
  if (catchall) {
    r = vdomain_set_catchall(dom.s, catchall);
    if (r) vtool_die_code(r);
  }
  if (random) printf("Random password: %s\n", pass.s);
  sa_wipe(&pass);
  assign_free(&d);
  stralloc_free(&dom);
  return 0;
}
