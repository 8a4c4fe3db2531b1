/* vtools/vmoduser.c — vpopmail's vmoduser: change the fields and flag
 * bits of a user, or of every user of a domain (an argument without
 * '@'); man vmoduser. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sa.h"
#include "usertool.h"

static void usage(void)
{
  printf("vmoduser: usage: [options] email_addr or domain (for each user in domain)\n");
  printf("options: -v ( display the vpopmail version number )\n");
  printf("         -n ( don't rebuild the vpasswd.cdb file )\n");
  printf("         -q quota ( set quota )\n");
  printf("         -c comment (set the comment/gecos field )\n");
  printf("         -e encrypted_passwd (set the password field )\n");
  printf("         -C clear_text_passwd (set the password field )\n");
  printf("         -D dir (set the home directory field; nothing is moved )\n");
  printf("the following options are bit flags in the gid int field\n");
  printf("         -x ( clear all flags )\n");
  printf("         -d ( don't allow user to change password )\n");
  printf("         -p ( disable POP access )\n");
  printf("         -s ( disable SMTP AUTH access )\n");
  printf("         -w ( disable webmail [IMAP from localhost*] access )\n");
  printf("            ( * full list of webmail server IPs in vchkpw.c )\n");
  printf("         -i ( disable non-webmail IMAP access )\n");
  printf("         -b ( bounce all mail )\n");
  printf("         -o ( user is not subject to domain limits )\n");
  printf("         -r ( disable roaming user/pop-before-smtp )\n");
  printf("         -a ( grant qmailadmin administrator privileges )\n");
  printf("         -S ( grant system administrator privileges - access all domains )\n");
  printf("         -E ( grant expert privileges - edit .qmail files )\n");
  printf("         -f ( disable spamassassin)\n");
  printf("         -F ( delete spam)\n");
  printf("         -m ( disable maildrop)\n");
  printf("  [The following flags aren't used directly by vpopmail but are]\n");
  printf("  [included for other programs that share the user database.]\n");
  printf("         -u ( set no dialup flag )\n");
  printf("         -0 ( set V_USER0 flag )\n");
  printf("         -1 ( set V_USER1 flag )\n");
  printf("         -2 ( set V_USER2 flag )\n");
  printf("         -3 ( set V_USER3 flag )\n");
}

struct walk { const struct vdomain *d; const struct vuser_mod *m; };

static int each(const struct vqpasswd *pw, void *arg)
{
  struct walk *w = arg;
  stralloc name = {0};
  int r;
  if (!stralloc_copy(&name, &pw->name) || !sa_cstr(&name)) vtool_die_temp("out of memory");
  r = vuser_mod(w->d, name.s, w->m);
  stralloc_free(&name);
  if (r) vtool_die_code(r);
  return 0;
}

int main(int argc, char **argv)
{
  stralloc user = {0}, domain = {0};
  struct vdomain d = {0};
  struct vuser_mod m;
  struct vqpasswd pw;
  const char *email = 0;
  int c, r;

  vtool_init("vmoduser");
  memset(&m, 0, sizeof m);
  while ((c = getopt(argc, argv, "D:avunxc:q:dpswibro0123he:C:fFSEm")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'n': break;                       /* vpopmail: ignored */
    case 'x': m.clear_flags = 1; break;
    case 'e': m.hash = optarg; break;
    case 'C': m.clear = optarg; break;
    case 'D': m.dir = optarg; break;
    case 'c': m.gecos = optarg; break;
    case 'q': m.quota = optarg; break;
    case 'd': m.set_flags |= VPW_NO_PASSWD_CHNG; break;
    case 'p': m.set_flags |= VPW_NO_POP; break;
    case 's': m.set_flags |= VPW_NO_SMTP; break;
    case 'w': m.set_flags |= VPW_NO_WEBMAIL; break;
    case 'i': m.set_flags |= VPW_NO_IMAP; break;
    case 'b': m.set_flags |= VPW_BOUNCE_MAIL; break;
    case 'o': m.set_flags |= VPW_V_OVERRIDE; break;
    case 'r': m.set_flags |= VPW_NO_RELAY; break;
    case 'u': m.set_flags |= VPW_NO_DIALUP; break;
    case '0': m.set_flags |= VPW_V_USER0; break;
    case '1': m.set_flags |= VPW_V_USER1; break;
    case '2': m.set_flags |= VPW_V_USER2; break;
    case '3': m.set_flags |= VPW_V_USER3; break;
    case 'a': m.set_flags |= VPW_QA_ADMIN; break;
    case 'S': if (getuid() == 0) m.set_flags |= VPW_SA_ADMIN; break;
    case 'E': if (getuid() == 0) m.set_flags |= VPW_SA_EXPERT; break;
    case 'f': m.set_flags |= VPW_NO_SPAMASSASSIN; break;
    case 'F': m.set_flags |= VPW_DELETE_SPAM; break;
    case 'm': m.set_flags |= VPW_NO_MAILDROP; break;
    case 'h': usage(); return 0;
    default: break;                        /* vpopmail carries on */
    }
  }
  if (optind < argc) email = argv[optind++];
  if (!email || !*email) { usage(); return 255; }
  ut_open();
  if (!strchr(email, '@')) {
    struct walk w;
    if (!sa_copyb_lower(&domain, email, strlen(email)) || !sa_cstr(&domain)) vtool_die_temp("out of memory");
    /* vpopmail walks nothing for an unknown domain and exits 0 */
    if (ut_domain(&d, domain.s)) {
      w.d = &d; w.m = &m;
      if (vauth_listusers(&d, each, &w) < 0) vtool_die_temp("unable to read vpasswd");
    }
    ut_free(&user, &domain, &d);
    return 0;
  }
  if (ut_parse(&user, &domain, email) == -1) vtool_die_code(VA_ILLEGAL_USERNAME);
  vpw_init(&pw);
  r = ut_domain(&d, domain.s) ? vuser_lookup(&pw, user.s, &d) : 0;
  if (r < 0) vtool_die_temp("unable to read vpasswd.cdb");
  if (r == 0) {
    printf("no such user %s@%s\n", user.s, domain.s);
    r = 255;
  } else {
    r = vuser_mod(&d, user.s, &m);
    if (r) vtool_die_code(r);
  }
  vpw_free(&pw);
  ut_free(&user, &domain, &d);
  return r;
}
