/* tls/tls_static.c — what the static qvtls does without: name lookups
 * and dynamic loading.
 *
 * qvtls is linked statically (tls/build.mk): it starts once per
 * connection, and a static binary starts faster and maps less (about
 * 1.6 MB resident for an idle STARTTLS helper, against 3.3 MB linked
 * dynamically). libcrypto.a references glibc's getaddrinfo,
 * gethostbyname and dlopen (BIO name lookups, engine and provider
 * modules), which in a static program need the build host's shared
 * glibc at run time. qvtls uses none of them: it resolves no host name
 * and loads no module (the default provider is built in). The link maps
 * them here (-Wl,--wrap) to stubs that fail cleanly; getpwnam and
 * getgrnam come from lib/etcpw.c (/etc/passwd, /etc/group).
 *
 * SECURITY: nothing here reads input; every stub refuses. */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);
int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res);
struct hostent *__wrap_gethostbyname(const char *name);

void *__wrap_dlopen(const char *file, int mode)
{
  return NULL;
}

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res)
{
  return EAI_FAIL;
}

struct hostent *__wrap_gethostbyname(const char *name)
{
  h_errno = NO_RECOVERY;
  return NULL;
}
