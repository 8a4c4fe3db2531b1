# vchkpw/build.mk — vpopmail's checkpassword program, installed setuid
# (mail-store user) in VPOPMAILDIR/bin.
vchkpw_MODULES := vchkpw/chkpw.c
vchkpw_SRCS := vchkpw/vchkpw.c $(vchkpw_MODULES)
PROGS += vchkpw
VPOPMAIL_BIN_PROGS += vchkpw
SETUID_PROGS += vchkpw
fuzz_chkpw_SRCS := $(vchkpw_MODULES)
