/* lib/etcpw.h — getpwnam/getgrnam for statically linked programs, read
 * straight from /etc/passwd and /etc/group.
 *
 * glibc's getpwnam in a static program loads NSS modules at run time
 * (and the linker warns). A static program that must look up a system
 * user (qmail-queue, qvtls, qmail-popup when started as root) links with
 *   -Wl,--wrap=getpwnam -Wl,--wrap=getgrnam
 * and calls getpwnam/getgrnam as usual: the linker routes them here. The
 * user must then be in /etc/passwd (system users always are in practice);
 * each man page says so. Programs linked without --wrap never pull this
 * object in. */
#ifndef QV_ETCPW_H
#define QV_ETCPW_H
#include <grp.h>
#include <pwd.h>

/* As getpwnam/getgrnam: the entry (static storage, valid until the next
 * call), or NULL with errno 0 when not found, errno set on a read error. */
struct passwd *__wrap_getpwnam(const char *name);
struct group *__wrap_getgrnam(const char *name);

#endif
