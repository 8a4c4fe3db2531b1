# tls/build.mk — qvtls, the TLS stage: the only server program that links
# libssl. tlsconf.c is pure (knobs, SNI names, paths) and unit-tested;
# tlsserver.c holds every OpenSSL call.
tls_MODULES := tls/tlsconf.c
qvtls_SRCS := tls/qvtls.c tls/tlsserver.c $(tls_MODULES)
qvtls_LDLIBS := -lssl
PROGS += qvtls
QMAIL_BIN_PROGS += qvtls
fuzz_tlsname_SRCS := tls/tlsconf.c
