/* vtools/vconvert.c — vpopmail's vconvert: move users between stores
 * (man vconvert). This build has only the cdb store: -e (system
 * passwd/shadow) and -p file (user:hash lines) into -c work, and -S
 * writes sqwebmail-pass files; every conversion from or to -m (MySQL)
 * needs the MySQL backend, which is a later release, and exits 255 with
 * a message saying so. From -c to anything else there is nothing to do
 * without a SQL store, as in a vpopmail built without one. */
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "byte.h"
#include "atomicfile.h"
#include "sa.h"
#include "usertool.h"

#define SITE_MYSQL 1
#define SITE_CDB 2
#define SITE_ETC 3
#define SITE_PASSWD 4
#define SITE_SQWEBMAIL 5

static int from = -1, to = -1, debug;
static const char *passwdfile;

static void usage(void)
{
  printf("vconvert: usage\n");
  printf(" The first option sets which format to convert FROM,\n");
  printf(" the second option sets which format to convert TO.\n");
  printf(" -e = etc format\n");
  printf(" -c = cdb format\n");
  printf(" -m = sql format\n");
  printf(" -S = set sqwebmail passwords\n");
  printf(" -v = version\n");
  printf(" -d = debug info\n");
}

static void site(int s)
{
  if (from == -1) from = s; else to = s;
}

/* Adds user with hash (stored unchanged). 0 or a VA code. */
static int add_hashed(const struct vdomain *d, const char *user, const char *hash, const char *gecos)
{
  return vuser_add(d, user, hash, gecos, VUSER_CRYPTED);
}

static int etc_to_cdb(const struct vdomain *d)
{
  struct passwd *p;
  setpwent();
  while ((p = getpwent())) {
    const char *hash = p->pw_passwd;
    struct spwd *sp = getspnam(p->pw_name);
    int r;
    if (sp) hash = sp->sp_pwdp;
    if (!hash || strlen(hash) <= 2) { printf("skipping %s\n", p->pw_name); continue; }
    r = add_hashed(d, p->pw_name, hash, p->pw_gecos);
    if (r) printf("user %s domain %s did not add\n", p->pw_name, d->name.s);
  }
  endpwent();
  return 0;
}

static int passwd_to_cdb(const struct vdomain *d)
{
  stralloc t = {0}, user = {0}, hash = {0};
  size_t pos = 0;
  int r = af_readfile(&t, passwdfile);
  if (r <= 0) {
    printf("Could not open passwd file %s\n", passwdfile);
    return -1;
  }
  while (pos < t.len) {
    size_t e = pos + byte_chr(t.s + pos, t.len - pos, '\n'), k = pos, s0;
    /* tokens separated by ' ', ':', tab */
    while (k < e && (t.s[k] == ' ' || t.s[k] == ':' || t.s[k] == '\t' || t.s[k] == '\r')) ++k;
    s0 = k;
    while (k < e && t.s[k] != ' ' && t.s[k] != ':' && t.s[k] != '\t' && t.s[k] != '\r') ++k;
    if (!stralloc_copyb(&user, t.s + s0, k - s0) || !sa_cstr(&user)) vtool_die_temp("out of memory");
    while (k < e && (t.s[k] == ' ' || t.s[k] == ':' || t.s[k] == '\t' || t.s[k] == '\r')) ++k;
    s0 = k;
    while (k < e && t.s[k] != ' ' && t.s[k] != ':' && t.s[k] != '\t' && t.s[k] != '\r') ++k;
    if (!stralloc_copyb(&hash, t.s + s0, k - s0) || !sa_cstr(&hash)) vtool_die_temp("out of memory");
    pos = e + 1;
    if (!user.len || !hash.len) continue;
    r = add_hashed(d, user.s, hash.s, user.s);
    if (r) { printf("Error: %s\n", verror_text(r)); break; }
  }
  stralloc_free(&t); stralloc_free(&user); stralloc_free(&hash);
  return r ? -1 : 0;
}

static int sqwebmail_one(const struct vqpasswd *pw, void *arg)
{
  stralloc path = {0}, line = {0};
  int fd;
  const struct vdomain *d = arg;
  if (debug) printf("%.*s\n", (int)pw->name.len, pw->name.s);
  if (!stralloc_copy(&path, &pw->dir) || !stralloc_cats(&path, "/Maildir/sqwebmail-pass") || !sa_cstr(&path)
      || !stralloc_copys(&line, "\t") || !stralloc_cat(&line, &pw->passwd)) vtool_die_temp("out of memory");
  fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    if (write(fd, line.s, line.len) < 0) { }
    if (geteuid() == 0 && fchown(fd, (uid_t)d->uid, (gid_t)d->gid) < 0) { }
    close(fd);
  }
  stralloc_free(&path); stralloc_free(&line);
  return 0;
}

static int conv(const char *domain)
{
  struct vdomain d = {0};
  int r;
  if (from == SITE_MYSQL || to == SITE_MYSQL) {
    printf("the MySQL backend is not in this build yet (a later release); -m is not supported\n");
    return -2;
  }
  if (!ut_domain(&d, domain)) { printf("Error. Domain not found\n"); return -1; }
  switch (from) {
  case SITE_SQWEBMAIL:
    if (debug) printf("Setting sqwebmail passwords for %s\n", domain);
    r = vauth_listusers(&d, sqwebmail_one, &d) < 0 ? -1 : 0;
    break;
  case SITE_CDB: r = 0; break;   /* nothing to convert to without a SQL store */
  case SITE_ETC:
    if (to != SITE_CDB) { printf("unknown conversion\n"); r = -1; }
    else r = etc_to_cdb(&d);
    break;
  case SITE_PASSWD: r = passwd_to_cdb(&d); break;
  default: printf("unknown converstion\n"); r = -1; break;
  }
  assign_free(&d);
  return r;
}

struct all { int failed; };

static int each_domain(const struct vdomain *d, void *arg)
{
  if (d->is_alias || (d->name.len != d->real.len || byte_diff(d->name.s, d->name.len, d->real.s))) {
    printf("%s is an alias of %s.\n", d->name.s, d->real.s);
    return 0;
  }
  printf("converting %s...    ", d->real.s);
  fflush(stdout);
  if (conv(d->real.s) != 0) printf("domain conversion failed\n");
  else printf("done\n");
  return 0;
}

int main(int argc, char **argv)
{
  int c, errflag = 0;
  vtool_init("vconvert");
  while (!errflag && (c = getopt(argc, argv, "mcep:Svd")) != -1) {
    switch (c) {
    case 'd': debug = 1; break;
    case 'v': vtool_print_version(); break;
    case 'S': from = to = SITE_SQWEBMAIL; break;
    case 'm': site(SITE_MYSQL); break;
    case 'c': site(SITE_CDB); break;
    case 'e': site(SITE_ETC); break;
    case 'p': site(SITE_PASSWD); passwdfile = optarg; break;
    default: errflag = 1; break;
    }
  }
  if (from == -1 || to == -1 || errflag) { usage(); return 255; }
  if (from == SITE_MYSQL || to == SITE_MYSQL) {
    printf("vconvert: the MySQL backend is not in this build yet (a later release); -m is not supported\n");
    return 255;
  }
  ut_open();
  if (optind == argc) {
    struct all a = {0};
    if (assign_list(each_domain, &a) < 0) vtool_die_temp("unable to read users/assign");
  } else {
    for (; optind < argc; ++optind) {
      stralloc dom = {0};
      if (!sa_copyb_lower(&dom, argv[optind], strlen(argv[optind])) || !sa_cstr(&dom)) vtool_die_temp("out of memory");
      printf("converting %s ", dom.s);
      fflush(stdout);
      if (conv(dom.s) != 0) printf("domain conversion failed\n");
      else printf("done\n");
      stralloc_free(&dom);
    }
  }
  return 0;
}
