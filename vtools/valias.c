/* vtools/valias.c — show, add and delete aliases (the .qmail-<alias>
 * file backend, '.' stored as ':'), as vpopmail's valias. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "assign.h"
#include "byte.h"
#include "paths.h"
#include "sa.h"
#include "str.h"
#include "vdomain.h"
#include "verror.h"
#include "vtool.h"

#define MAX_ALIAS_LINE 160

enum { SELECT, INSERT, DELETE, NAMES };

static void usage(void)
{
  printf("valias: usage: [options] email_address \n");
  printf("options: -v ( display the vpopmail version number )\n");
  printf("         -n ( show alias names, use just domain )\n");
  printf("         -s ( show aliases, can use just domain )\n");
  printf("         -d ( delete alias )\n");
  printf("         -i alias_line (insert alias line)\n");
  printf("\n");
  printf("Example: valias -i fred@inter7.com bob@inter7.com\n");
  printf("         (adds alias from bob@inter7.com to fred@inter7.com\n");
}

static void die(int code)
{
  fflush(stdout);
  exit(code);
}

/* the domain's assign entry, or vpopmail's message and exit 255 */
static void get_domain(struct vdomain *d, const stralloc *dom)
{
  int r = assign_lookup(d, dom->s, dom->len);
  if (r < 0 && errno != ENOENT) vtool_die_code(VA_CANNOT_READ_ASSIGN);
  if (r <= 0) {
    printf("invalid domain, not in qmail assign file\n");
    die(-1);
  }
}

/* vpopmail's parse_email: lower-case; split at the first '@', else '%',
 * else '/'; without one the domain is the default domain. */
static int parse(stralloc *user, stralloc *dom, const char *in)
{
  size_t len = str_len(in), i;
  const char seps[] = "@%/";
  stralloc all = {0};
  int r = VA_MEMORY_ALLOC_ERR;
  if (!sa_copyb_lower(&all, in, len)) goto out;
  for (i = 0; i < 3; ++i) {
    size_t at = byte_chr(all.s, all.len, seps[i]);
    if (at < all.len) {
      if (!stralloc_copyb(user, all.s, at) || !sa_cstr(user)) goto out;
      if (!stralloc_copyb(dom, all.s + at + 1, all.len - at - 1) || !sa_cstr(dom)) goto out;
      goto check;
    }
  }
  if (!stralloc_copy(user, &all) || !sa_cstr(user)) goto out;
  dom->len = 0;
  {
    const char *e = getenv("VPOPMAIL_DOMAIN");
    if (e && *e) {
      if (!sa_copyb_lower(dom, e, str_len(e))) goto out;
    } else {
      stralloc p = {0};
      FILE *f;
      char buf[256];
      int ok = 1;
      if (!paths_vpopmail(&p, "etc/defaultdomain")) goto out;
      f = fopen(p.s, "r");
      stralloc_free(&p);
      if (f) {
        if (fgets(buf, sizeof buf, f)) {
          size_t l = str_len(buf);
          while (l && (buf[l - 1] == '\n' || buf[l - 1] == '\r' || buf[l - 1] == ' ' || buf[l - 1] == '\t')) --l;
          ok = sa_copyb_lower(dom, buf, l);
        }
        fclose(f);
      }
      if (!ok) goto out;
    }
  }
check:
  r = 0;
  if (user->len > 32) r = VA_USER_NAME_TOO_LONG;
  else if (dom->len > 96) r = VA_DOMAIN_NAME_TOO_LONG;
  for (i = 0; !r && i < user->len; ++i) {
    char c = user->s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || str_chr("!#$&'*+-./=?^_`{|}~", c) < 19))
      r = VA_ILLEGAL_USERNAME;
  }
  for (i = 0; !r && i < dom->len; ++i) {
    char c = dom->s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      r = VA_ILLEGAL_USERNAME;
  }
out:
  stralloc_free(&all);
  return r;
}

static int show(const struct vdomain *d, const char *alias, const char *domname)
{
  stralloc lines = {0};
  size_t pos;
  int r = vdomain_valias_lines(&lines, d, alias);
  if (r < 0) vtool_die_temp("valias");
  for (pos = 0; pos < lines.len; pos += str_len(lines.s + pos) + 1)
    printf("%s@%s -> %s\n", alias, domname, lines.s + pos);
  stralloc_free(&lines);
  return r;
}

int main(int argc, char **argv)
{
  struct vdomain d = {{0}, {0}, 0, 0, {0}, 0};
  stralloc alias = {0}, dom = {0}, email = {0};
  const char *line = 0;
  int c, action = SELECT, r, is_addr;

  vtool_init("valias");
  while ((c = getopt(argc, argv, "vnsdi:")) != -1) {
    switch (c) {
    case 'v': vtool_print_version(); break;
    case 'n': action = NAMES; break;
    case 's': action = SELECT; break;
    case 'd': action = DELETE; break;
    case 'i': action = INSERT; line = optarg; break;
    default: usage(); die(-2);
    }
  }
  if (optind >= argc || !argv[optind][0]) {
    fprintf(stderr, "must supply alias email address\n");
    usage();
    die(-1);
  }
  if (!sa_copyb_lower(&email, argv[optind], str_len(argv[optind]))) vtool_die_temp("valias");
  r = parse(&alias, &dom, argv[optind]);
  if (r) {
    fprintf(stderr, "Error: %s\n", verror_text(r));
    die(r);
  }
  is_addr = byte_chr(email.s, email.len, '@') < email.len;
  /* an alias name is a file name: no '/' (vpopmail's user set allows it) */
  if (is_addr && (!alias.len || byte_chr(alias.s, alias.len, '/') < alias.len)) {
    fprintf(stderr, "Error: %s\n", verror_text(VA_ILLEGAL_USERNAME));
    die(VA_ILLEGAL_USERNAME);
  }

  switch (action) {
  case SELECT:
    if (!is_addr) {
      stralloc names = {0};
      size_t pos;
      int any = 0;
      get_domain(&d, &email);
      if (vdomain_valias_names(&names, &d) < 0) vtool_die_temp("valias");
      for (pos = 0; pos < names.len; pos += str_len(names.s + pos) + 1)
        if (show(&d, names.s + pos, email.s) > 0) any = 1;
      stralloc_free(&names);
      if (!any) die(-1);
    } else {
      get_domain(&d, &dom);
      if (show(&d, alias.s, dom.s) <= 0) die(-1);
    }
    break;
  case NAMES:
    if (is_addr) {
      fprintf(stderr, "Please enter domain name only.\n");
      die(-1);
    } else {
      stralloc names = {0};
      size_t pos;
      get_domain(&d, &email);
      if (vdomain_valias_names(&names, &d) < 0) vtool_die_temp("valias");
      if (!names.len) die(-1);
      for (pos = 0; pos < names.len; pos += str_len(names.s + pos) + 1)
        printf("%s\n", names.s + pos);
      stralloc_free(&names);
    }
    break;
  case INSERT: {
    stralloc lines = {0};
    size_t pos;
    if (str_len(line) >= MAX_ALIAS_LINE) vtool_die_code(VA_ALIAS_LINE_TOO_LONG);
    get_domain(&d, &dom);
    if (vdomain_valias_lines(&lines, &d, alias.s) < 0) vtool_die_temp("valias");
    for (pos = 0; pos < lines.len; pos += str_len(lines.s + pos) + 1)
      if (str_equal(lines.s + pos, line)) {
        fprintf(stderr, "Error: alias %s -> %s already exists.\n", argv[optind], line);
        die(-1);
      }
    stralloc_free(&lines);
    if (vdomain_valias_insert(&d, alias.s, line) < 0) vtool_die_code(VA_COULD_NOT_OPEN_DOT_QMAIL);
    break;
  }
  case DELETE:
    get_domain(&d, &dom);
    if (vdomain_valias_delete(&d, alias.s) < 0) vtool_die_code(VA_COULD_NOT_OPEN_DOT_QMAIL);
    break;
  }
  assign_free(&d);
  stralloc_free(&alias);
  stralloc_free(&dom);
  stralloc_free(&email);
  fflush(stdout);
  return 0;
}
