/* lib/vpasswd.c — vpopmail's vpasswd line and vpasswd.cdb value codec.
 *
 * Invariants: the parser never reads outside (line, len) and copies each
 * field into its own stralloc; the formatter writes exactly the fields
 * back, so parse(fmt(pw)) == pw for every record vpw_validate accepts.
 *
 * SECURITY: vpasswd lines are written by our tools but may have been
 * edited by hand or by other software; the parser treats them as
 * untrusted bytes (any byte value, any length) and has a fuzz target
 * (fuzz/vpasswd.c). The record holds a password hash and possibly a
 * clear password: vpw_free wipes both. */
#include <errno.h>
#include <string.h>
#include "byte.h"
#include "scan.h"
#include "str.h"
#include "sa.h"
#include "verror.h"
#include "vpasswd.h"

void vpw_init(struct vqpasswd *pw)
{
  byte_zero(pw, sizeof *pw);
}

void vpw_free(struct vqpasswd *pw)
{
  sa_wipe(&pw->passwd);
  sa_wipe(&pw->clear);
  stralloc_free(&pw->name);
  stralloc_free(&pw->gecos);
  stralloc_free(&pw->dir);
  stralloc_free(&pw->quota);
  vpw_init(pw);
}

int vpw_copy(struct vqpasswd *dst, const struct vqpasswd *src)
{
  if (!stralloc_copyb(&dst->name, src->name.s, src->name.len)) return 0;
  if (!stralloc_copyb(&dst->passwd, src->passwd.s, src->passwd.len)) return 0;
  if (!stralloc_copyb(&dst->gecos, src->gecos.s, src->gecos.len)) return 0;
  if (!stralloc_copyb(&dst->dir, src->dir.s, src->dir.len)) return 0;
  if (!stralloc_copyb(&dst->quota, src->quota.s, src->quota.len)) return 0;
  if (!stralloc_copyb(&dst->clear, src->clear.s, src->clear.len)) return 0;
  dst->uid = src->uid;
  dst->gid = src->gid;
  dst->has_clear = src->has_clear;
  return 1;
}

static int scan_field_ulong(const char *s, size_t len, unsigned long *out)
{
  unsigned long n;
  if (len == 0) { *out = 0; return 1; }
  if (scan_ulongn(s, len, &n) != len) return 0;   /* digits only, no overflow */
  *out = n;
  return 1;
}

/* Splits the value part (fields 2..8) of a record. */
static int parse_rest(struct vqpasswd *pw, const char *v, size_t vlen)
{
  const char *f[7];
  size_t fl[7];
  size_t i, start = 0;
  int n = 0;

  while (vlen && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r')) --vlen;
  /* six fields end at a ':' (passwd, uid, gid, gecos, dir, quota when an
   * 8th field follows); the clear password is the rest. */
  for (i = 0; i < vlen && n < 6; ++i)
    if (v[i] == ':') {
      f[n] = v + start; fl[n] = i - start; ++n;
      start = i + 1;
    }
  if (n < 5) { errno = EINVAL; return 0; }
  if (n == 5) {            /* 7-field line: quota is the rest */
    f[5] = v + start; fl[5] = vlen - start;
    pw->has_clear = 0;
    f[6] = v + vlen; fl[6] = 0;
  } else {
    f[6] = v + start; fl[6] = vlen - start;
    pw->has_clear = 1;
  }
  if (!scan_field_ulong(f[1], fl[1], &pw->uid)) { errno = EINVAL; return 0; }
  if (!scan_field_ulong(f[2], fl[2], &pw->gid)) { errno = EINVAL; return 0; }
  if (!stralloc_copyb(&pw->passwd, f[0], fl[0])) return -1;
  if (!stralloc_copyb(&pw->gecos, f[3], fl[3])) return -1;
  if (!stralloc_copyb(&pw->dir, f[4], fl[4])) return -1;
  if (!stralloc_copyb(&pw->quota, f[5], fl[5])) return -1;
  if (!stralloc_copyb(&pw->clear, f[6], fl[6])) return -1;
  return 1;
}

int vpw_parse_value(struct vqpasswd *pw, const char *name, size_t nlen,
                    const char *val, size_t vlen)
{
  int r;
  if (!stralloc_copyb(&pw->name, name, nlen)) return -1;
  r = parse_rest(pw, val, vlen);
  return r;
}

size_t vpw_line_name(const char *line, size_t len)
{
  const char *c = len ? memchr(line, ':', len) : 0;
  const char *n;
  size_t i = c ? (size_t)(c - line) : len;
  n = i ? memchr(line, '\n', i) : 0;
  return n ? (size_t)(n - line) : i;
}

int vpw_parse_line(struct vqpasswd *pw, const char *line, size_t len)
{
  size_t n;
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) --len;
  n = vpw_line_name(line, len);
  if (n == len) { errno = EINVAL; return 0; }
  return vpw_parse_value(pw, line, n, line + n + 1, len - n - 1);
}

int vpw_fmt_value(stralloc *out, const struct vqpasswd *pw)
{
  if (!stralloc_catb(out, pw->passwd.s, pw->passwd.len)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!sa_catulong(out, pw->uid)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!sa_catulong(out, pw->gid)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!stralloc_catb(out, pw->gecos.s, pw->gecos.len)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!stralloc_catb(out, pw->dir.s, pw->dir.len)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!stralloc_catb(out, pw->quota.s, pw->quota.len)) return 0;
  if (pw->has_clear) {
    if (!stralloc_append(out, ":")) return 0;
    if (!stralloc_catb(out, pw->clear.s, pw->clear.len)) return 0;
  }
  return 1;
}

int vpw_fmt_line(stralloc *out, const struct vqpasswd *pw)
{
  if (!stralloc_catb(out, pw->name.s, pw->name.len)) return 0;
  if (!stralloc_append(out, ":")) return 0;
  if (!vpw_fmt_value(out, pw)) return 0;
  return stralloc_append(out, "\n");
}

static int has_bad(const stralloc *sa)
{
  size_t i;
  for (i = 0; i < sa->len; ++i)
    if (sa->s[i] == ':' || sa->s[i] == '\n' || sa->s[i] == '\r' || sa->s[i] == '\0')
      return 1;
  return 0;
}

int vpw_validate(const struct vqpasswd *pw)
{
  size_t i;
  if (pw->name.len == 0) return VA_ILLEGAL_USERNAME;
  for (i = 0; i < pw->name.len; ++i) {
    char c = pw->name.s[i];
    if (c == ':' || c == '\n' || c == '\r' || c == '/' || c == '\0' || c == ' ')
      return VA_ILLEGAL_USERNAME;
  }
  if ((pw->name.len == 1 && pw->name.s[0] == '.') ||
      (pw->name.len == 2 && pw->name.s[0] == '.' && pw->name.s[1] == '.'))
    return VA_ILLEGAL_USERNAME;
  if (pw->name.len > VPW_MAX_NAME) return VA_USER_NAME_TOO_LONG;
  if (pw->passwd.len > VPW_MAX_PASSWD) return VA_PASSWD_TOO_LONG;
  if (pw->gecos.len > VPW_MAX_GECOS) return VA_GECOS_TOO_LONG;
  if (pw->dir.len > VPW_MAX_DIR) return VA_DIR_TOO_LONG;
  if (pw->quota.len > VPW_MAX_QUOTA) return VA_QUOTA_TOO_LONG;
  if (pw->has_clear && pw->clear.len > VPW_MAX_CLEAR) return VA_CLEAR_PASSWD_TOO_LONG;
  if (has_bad(&pw->passwd) || has_bad(&pw->gecos) || has_bad(&pw->dir) ||
      has_bad(&pw->quota) || (pw->has_clear && has_bad(&pw->clear)))
    return VA_BAD_CHAR;
  return 0;
}
