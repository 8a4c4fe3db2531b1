/* vdeliver/deliver.h — vpopmail-compatible delivery of one message to
 * one virtual address (prefix dlv_), shared by vdeliver (vdelivermail)
 * and qvmail's qmail-queue.
 *
 * Two entry points:
 *   dlv_vdelivermail  vdelivermail's algorithm for EXT@HOST with the
 *                     .qmail-default action (bounce-no-mailbox, delete,
 *                     an address, a path), as when qmail-local runs
 *                     "| vdelivermail '' ACTION";
 *   dlv_address       what qmail-local + vdelivermail do together for a
 *                     recipient of a vpopmail domain: the domain's
 *                     .qmail-<ext> / -default files first (a vdelivermail
 *                     line in them runs dlv_vdelivermail in-process, any
 *                     other |program runs through /bin/sh), then the user.
 *
 * Results (struct dlv_result): DLV_OK delivered (or deleted by the
 * domain's choice), DLV_STOP a program asked to stop processing (exit 99,
 * also a success), DLV_PERM permanent failure, DLV_TEMP temporary
 * failure; text holds vpopmail's message for the sender or the log.
 *
 * Every message file is written through maildir.h (tmp, fsync, link into
 * new/, fsync new/), mode 0600, by the calling process's uid: a DLV_OK
 * means the bytes are on disk. A dry run (ctx->dryrun) performs every
 * lookup, loop and quota check but writes nothing and runs no program,
 * so qmail-queue can refuse a message before delivering any copy. */
#ifndef QV_DELIVER_H
#define QV_DELIVER_H
#include <stddef.h>
#include "stralloc.h"

#define DLV_OK   0
#define DLV_STOP 99
#define DLV_PERM 100
#define DLV_TEMP 111

struct dlv_result {
  int code;
  stralloc text;      /* NUL-terminated; empty when there is nothing to say */
  int overquota;      /* with DLV_PERM: the refusal is the mailbox quota
                         (qmail-rcptcheck answers 552, not 550) */
  int deleted;        /* with DLV_OK: the last action was the domain's
                         "delete" of an unknown user (nothing written;
                         qmail-rcptcheck answers 550) */
};

struct dlv_msg {
  int fd;             /* seekable; read only with pread */
  unsigned long size; /* bytes */
  stralloc hdr;       /* the header block (capped at 1 MB) for loop checks */
  int own;            /* fd is our anonymous copy, closed by dlv_msg_free */
};

struct dlv_ctx {
  struct dlv_msg *msg;
  stralloc sender;    /* envelope sender, NUL-terminated ("" for <>) */
  stralloc rpline;    /* "Return-Path: <sender>\n" or $RPLINE */
  stralloc dtline;    /* qmail-local's $DTLINE, or empty */
  stralloc prefix;    /* Delivered-To lines added by in-process forwards */
  int dryrun;         /* check only: write nothing, run nothing */
  int fullpct;        /* with dryrun: a mailbox with a quota that is at
                         least this percent full is over quota (chkuser's
                         CHKUSER_MBXQUOTA at RCPT); 0 off */
  int inject;         /* remote forwards go to QMAILDIR/bin/qmail-inject
                         (vdeliver under qmail-local); else they are a
                         temporary failure: there is no outbound queue */
  int depth;          /* in-process forwarding depth */
};

/* Makes fd (the message, at any offset) usable: when it cannot seek it
 * is copied to an anonymous file in VPOPMAILDIR/domains. Reads the size
 * and the header. 1, or -1 with errno. */
int dlv_msg_init(struct dlv_msg *m, int fd);
void dlv_msg_free(struct dlv_msg *m);

/* An anonymous read-write file (O_TMPFILE in VPOPMAILDIR/domains, else
 * a named file there, unlinked at once), mode 0600: nothing is left
 * behind if the process dies. fd, or -1 with errno. */
int dlv_anon_file(void);

/* Initialises c for message m and envelope sender (s, len); rpline =
 * "Return-Path: <s>\n". 1, or 0 on ENOMEM. */
int dlv_ctx_init(struct dlv_ctx *c, struct dlv_msg *m, const char *s, size_t len);
void dlv_ctx_free(struct dlv_ctx *c);

void dlv_result_init(struct dlv_result *r);
void dlv_result_free(struct dlv_result *r);

/* vdelivermail '' ACTION for user@domain (any case; validated here).
 * Returns r->code. */
int dlv_vdelivermail(struct dlv_ctx *c, const char *user, const char *domain,
                     const char *action, struct dlv_result *r);

/* Delivers to the address (addr, len) of a vpopmail domain as qmail-local
 * would (domain .qmail files, then vdelivermail). Returns r->code; an
 * address whose domain is not a vpopmail domain is DLV_TEMP. */
int dlv_address(struct dlv_ctx *c, const char *addr, size_t len, struct dlv_result *r);

/* Is (domain, len) a vpopmail domain (users/cdb)? 1 yes, 0 no, -1 errno. */
int dlv_domain_local(const char *domain, size_t len);

/* Writes all of (s, n) to fd, retrying short writes and EINTR. 0, or
 * -1 with errno. */
int dlv_write_all(int fd, const char *s, size_t n);

#endif
