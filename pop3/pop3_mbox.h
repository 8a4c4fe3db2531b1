/* pop3/pop3_mbox.h — one Maildir as a POP3 maildrop (prefix pop3mbox_).
 *
 * The calling process's working directory is the Maildir (qmail-pop3d
 * chdirs there). A scan lists the regular files of new/ and cur/
 * (dot-files skipped), drops a second entry with the same unique name
 * (a file another session moved from new/ to cur/ while we scanned) and
 * orders them oldest modification time first, ties by name: message
 * numbers are fixed for the session. UIDL = file name up to the first
 * ':' (qmail-pop3d's rule), so it survives new/ -> cur/ and flag
 * changes. Sizes are CRLF octets (pop3_msg.h): from ",W=<n>" in the
 * name when present, else by reading the file once, lazily.
 *
 * Another session may move or delete a message at any time: opening a
 * message looks for it again in cur/ under the same unique name, and a
 * message found nowhere is marked gone (never an error, never a
 * duplicate). Deletions happen only in pop3mbox_update (QUIT). */
#ifndef QV_POP3_MBOX_H
#define QV_POP3_MBOX_H
#include <stddef.h>
#include <time.h>
#include "stralloc.h"

enum {
  POP3MSG_DELETED = 1,  /* marked by DELE in this session */
  POP3MSG_GONE = 2,     /* vanished (another session deleted it) */
  POP3MSG_SIZED = 4,    /* size is known */
  POP3MSG_INNEW = 8     /* the file was last seen in new/ */
};

/* Size of mb->buf, the read buffer for sizing and sending messages. */
#define POP3MBOX_BUFSIZE 32768

struct pop3msg {
  unsigned long long size;   /* CRLF octets, valid with POP3MSG_SIZED */
  unsigned long long disk;   /* bytes on disk (",S=" or stat), for maildirsize */
  long long mtime;
  unsigned int name;         /* offset in names of "new/<f>" or "cur/<f>\0" */
  unsigned int flags;
};

struct pop3mbox {
  struct pop3msg *m;
  unsigned int n;
  stralloc names;            /* NUL-separated paths relative to the Maildir */
  char *buf;                 /* POP3MBOX_BUFSIZE read buffer, or NULL */
};

/* Scans new/ and cur/ of the current directory into mb (which must be
 * zeroed or freed). 1 ok; -1 with errno (ENOENT/ENOTDIR: new/ or cur/
 * missing; EACCES; EIO, ENOMEM, ... temporary). */
int pop3mbox_scan(struct pop3mbox *mb);

/* Removes files in tmp/ last accessed more than 36 hours before now (the
 * Maildir reader's duty). Errors are ignored. */
void pop3mbox_cleantmp(time_t now);

/* The current path of message i ("new/..." or "cur/..."). */
const char *pop3mbox_path(const struct pop3mbox *mb, unsigned int i);

/* The UIDL of message i as a view (the file name up to ':'). */
size_t pop3mbox_uidl(const struct pop3mbox *mb, unsigned int i, const char **p);

/* Opens message i for reading, finding it again in cur/ when it moved.
 * Returns an fd; -1 with errno ENOENT when it is gone (POP3MSG_GONE is
 * then set), or another errno. */
int pop3mbox_open(struct pop3mbox *mb, unsigned int i);

/* Makes the CRLF size of message i known (reads the file unless the
 * name carries ",W="). 1 ok; 0 the message is gone; -1 errno. */
int pop3mbox_size(struct pop3mbox *mb, unsigned int i);

/* The UPDATE state (QUIT): unlinks every message marked deleted (found
 * again in cur/ if it moved; already gone counts as done), renames
 * every other message still in new/ to cur/<name>:2, and appends the
 * removed bytes and count to maildirsize. *failed = number of deleted
 * messages that could not be removed. 1 ok, -1 errno (ENOMEM only). */
int pop3mbox_update(struct pop3mbox *mb, unsigned int *failed);

void pop3mbox_free(struct pop3mbox *mb);

/* Parses ",<key>=<digits>" from the unique part (before ':') of a file
 * name. 1 and *out set, or 0 when absent or malformed. */
int pop3mbox_namefield(const char *name, size_t len, char key,
                       unsigned long long *out);

#endif
