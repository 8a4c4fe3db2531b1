# tls/build.mk — qvtls, the TLS stage: the only server program that links
# libssl. tlsconf.c is pure (knobs, SNI names, paths) and unit-tested;
# tlsserver.c holds every OpenSSL call. qvtls starts once per connection:
# linked statically (faster start, half the resident size), with
# tls_static.c and lib/etcpw.c standing in for the glibc calls
# that would need NSS or dlopen at run time. Sanitizer builds cannot be
# static.
tls_MODULES := tls/tlsconf.c
qvtls_SRCS := tls/qvtls.c tls/tlsserver.c tls/tls_static.c $(tls_MODULES)
qvtls_LDLIBS := -lssl -Wl,--wrap=getpwnam -Wl,--wrap=getgrnam -Wl,--wrap=dlopen \
  -Wl,--wrap=getaddrinfo -Wl,--wrap=gethostbyname $(if $(SAN),,-static)
PROGS += qvtls
QMAIL_BIN_PROGS += qvtls
fuzz_tlsname_SRCS := tls/tlsconf.c
