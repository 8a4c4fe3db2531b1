# pop3/build.mk — POP3: qmail-popup (before authentication) and
# qmail-pop3d (after), installed in QMAILDIR/bin. Both read lines with
# lib/linein; pop3_cmd.c is the argument parser both use (unit-tested,
# fuzzed).
pop3_PARSERS := pop3/pop3_cmd.c
pop3_MODULES := $(pop3_PARSERS) pop3/pop3_msg.c pop3/pop3_mbox.c
fuzz_pop3_cmd_SRCS := pop3/pop3_cmd.c
fuzz_pop3_msg_SRCS := pop3/pop3_msg.c

# --- qmail-pop3d (post-auth, the mail-store id; task "pop3d") ---------
qmail-pop3d_SRCS := pop3/qmail-pop3d.c pop3/pop3_session.c pop3/pop3_mbox.c pop3/pop3_msg.c pop3/pop3_cmd.c
PROGS += qmail-pop3d
QMAIL_BIN_PROGS += qmail-pop3d
# Linked statically: a dynamic glibc alone costs ~1 MB of RSS, and the
# issue's goal is a POP3 session under 1 MB (measured with a 1000-message
# mailbox: ~0.85 MB static, ~1.5 MB dynamic). It must not call
# paths_mailstore_ids (getpwnam would pull in NSS and a link warning).
# Sanitizer builds cannot link statically.
ifeq ($(SAN),)
qmail-pop3d_LDLIBS := -static
endif

# --- qmail-popup (pre-auth, unprivileged; task "popup") ---------------
pop3_MODULES += pop3/popup_io.c pop3/popup_session.c
qmail-popup_SRCS := pop3/qmail-popup.c pop3/popup_session.c pop3/popup_io.c pop3/pop3_cmd.c
PROGS += qmail-popup
QMAIL_BIN_PROGS += qmail-popup
# Linked statically (not under SAN=1: the sanitizers need the dynamic
# loader): a session's qmail-popup then stays near 0.8 MB resident
# instead of 1.5 MB with the shared libc mapped in (issue 4's 1 MB goal).
qmail-popup_LDLIBS := -Wl,--wrap=getpwnam -Wl,--wrap=getgrnam $(if $(SAN),,-static)
