# launcher/build.mk — qvtcpserver, the tcpserver-compatible launcher,
# installed in QMAILDIR/bin.
launcher_MODULES := launcher/rules.c launcher/iplimit.c launcher/net.c launcher/server.c
qvtcpserver_SRCS := launcher/qvtcpserver.c $(launcher_MODULES)
PROGS += qvtcpserver
QMAIL_BIN_PROGS += qvtcpserver
fuzz_tcprules_SRCS := launcher/rules.c
