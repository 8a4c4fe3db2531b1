/* lib/privdrop.h — the one audited step by which a setuid mail-store
 * program (qmail-queue, qmail-rcptcheck) becomes the mail-store id for
 * good before it reads its input. */
#ifndef QV_PRIVDROP_H
#define QV_PRIVDROP_H

enum privdrop_result {
  PRIVDROP_OK = 0,
  PRIVDROP_NOUSER,      /* run as root: the conf-users store user is missing */
  PRIVDROP_SETGROUPS,   /* run as root: supplementary groups not dropped */
  PRIVDROP_SETIDS,      /* setregid/setreuid failed */
  PRIVDROP_ROOT,        /* still root afterwards: refused */
  PRIVDROP_NOMEM        /* the environment could not be rebuilt */
};

/* Sets real, effective and saved ids to the effective ones (so a setuid
 * program cannot be switched back to its caller); run as root it first
 * becomes the mail-store user and group and drops supplementary groups,
 * except in a sandbox, which belongs to whoever runs it. When setuid
 * (AT_SECURE) the environment is replaced by PATH alone. Ending as root
 * outside a sandbox is refused. Returns PRIVDROP_OK or the step that
 * failed; the caller maps it to its own exit code. */
enum privdrop_result privdrop_mailstore(void);

#endif
