/* lib/vpasswd.h — vpopmail's vpasswd record: struct vqpasswd, the line
 * codec of <domaindir>/vpasswd and the value form of vpasswd.cdb.
 *
 * Line:   name:crypted:uid:gid:gecos:dir:quota[:clearpass]
 * cdb:    key = name, value = the line after the first ':' (no newline).
 * uid is 1 for cdb users (0 in SQL rows), gid is the flag bitmap below,
 * quota is the quota string (NOQUOTA, 52428800S, ...). The 8th field is
 * present only when a clear password is stored (has_clear). */
#ifndef QV_VPASSWD_H
#define QV_VPASSWD_H
#include <stddef.h>
#include "stralloc.h"

struct vqpasswd {
  stralloc name, passwd, gecos, dir, quota, clear;
  unsigned long uid, gid;   /* gid = flags */
  int has_clear;            /* 1: the 8th field exists (may be empty) */
};

/* Flag bits of pw_gid (vmoduser). */
#define VPW_NO_PASSWD_CHNG   0x01UL
#define VPW_NO_POP           0x02UL
#define VPW_NO_WEBMAIL       0x04UL
#define VPW_NO_IMAP          0x08UL
#define VPW_BOUNCE_MAIL      0x10UL
#define VPW_NO_RELAY         0x20UL
#define VPW_NO_DIALUP        0x40UL
#define VPW_V_USER0          0x80UL
#define VPW_V_USER1          0x100UL
#define VPW_V_USER2          0x200UL
#define VPW_V_USER3          0x400UL
#define VPW_NO_SMTP          0x800UL
#define VPW_QA_ADMIN         0x1000UL
#define VPW_V_OVERRIDE       0x2000UL
#define VPW_NO_SPAMASSASSIN  0x4000UL
#define VPW_DELETE_SPAM      0x8000UL
#define VPW_SA_ADMIN         0x10000UL
#define VPW_SA_EXPERT        0x20000UL
#define VPW_NO_MAILDROP      0x40000UL

/* vpopmail's length limits (a field may be exactly this long). */
#define VPW_MAX_NAME   32
#define VPW_MAX_DOMAIN 96
#define VPW_MAX_PASSWD 128
#define VPW_MAX_GECOS  48
#define VPW_MAX_DIR    160
#define VPW_MAX_QUOTA  20
#define VPW_MAX_CLEAR  128

/* Zeroes a record (all strallocs empty). */
void vpw_init(struct vqpasswd *pw);
/* Wipes passwd and clear, frees everything, leaves pw as after vpw_init. */
void vpw_free(struct vqpasswd *pw);
/* dst = src (deep copy). 1, or 0 on ENOMEM. */
int vpw_copy(struct vqpasswd *dst, const struct vqpasswd *src);

/* Parses one vpasswd line (a trailing '\n' and '\r' are ignored).
 * Needs at least 6 colons; uid and gid must be decimal numbers (empty
 * counts as 0, like vpopmail's atoi on a field it wrote itself). With
 * more than 7 colons everything after the 7th is the clear password.
 * Returns 1, 0 malformed (errno EINVAL), -1 ENOMEM. pw's strallocs are
 * replaced (not NUL-terminated). */
int vpw_parse_line(struct vqpasswd *pw, const char *line, size_t len);

/* Parses a vpasswd.cdb record: key (name) and value (line after the
 * first ':'). Same results as vpw_parse_line. */
int vpw_parse_value(struct vqpasswd *pw, const char *name, size_t nlen,
                    const char *val, size_t vlen);

/* Appends the line (with a final '\n') / the cdb value (no '\n').
 * 1, or 0 on ENOMEM. No validation: call vpw_validate first. */
int vpw_fmt_line(stralloc *out, const struct vqpasswd *pw);
int vpw_fmt_value(stralloc *out, const struct vqpasswd *pw);

/* Checks what the line format cannot carry and vpopmail's limits:
 * 0, or VA_ILLEGAL_USERNAME (empty name, ':' '\n' or '/' in it, "." or
 * ".."), VA_USER_NAME_TOO_LONG, VA_PASSWD_TOO_LONG, VA_GECOS_TOO_LONG,
 * VA_DIR_TOO_LONG, VA_QUOTA_TOO_LONG, VA_CLEAR_PASSWD_TOO_LONG, or
 * VA_BAD_CHAR (':' or a newline in any other field). */
int vpw_validate(const struct vqpasswd *pw);

/* Name of a raw vpasswd line: the bytes before the first ':' (the whole
 * line without its newline when there is none). Returns the length. */
size_t vpw_line_name(const char *line, size_t len);

#endif
