# vdeliver/build.mk — local delivery: vdeliver (= vpopmail's vdelivermail)
# and qvmail's qmail-queue, sharing the delivery modules below.
vdeliver_MODULES := vdeliver/dotqmail.c vdeliver/qqenv.c
vdeliver_DELIVER := vdeliver/deliver.c vdeliver/dotqmail.c
vdeliver_SRCS := vdeliver/vdeliver.c $(vdeliver_DELIVER)
vdelivermail_SRCS := $(vdeliver_SRCS)
qmail-queue_SRCS := vdeliver/qmail-queue.c vdeliver/qqdeliver.c vdeliver/qqenv.c $(vdeliver_DELIVER)
# qmail-queue runs once per message: linked statically, the dynamic
# loader's work (a fifth of its CPU per message) is gone. getpwnam and
# getgrnam come from lib/etcpw.c (/etc/passwd, /etc/group), so no
# NSS module is needed at run time. Sanitizer builds cannot be static.
qmail-queue_LDLIBS := -Wl,--wrap=getpwnam -Wl,--wrap=getgrnam $(if $(SAN),,-static)
fuzz_qqenv_SRCS := vdeliver/qqenv.c
PROGS += vdeliver vdelivermail qmail-queue
VPOPMAIL_BIN_PROGS += vdeliver vdelivermail
QMAIL_BIN_PROGS += qmail-queue
SETUID_PROGS += qmail-queue
fuzz_dotqmail_SRCS := vdeliver/dotqmail.c
