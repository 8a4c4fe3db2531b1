# qmail-smtpd/build.mk — the SMTP receiver, installed in QMAILDIR/bin.
# Pure parsers are modules (unit-tested, fuzzed); smtp_session.c is the
# protocol; qmail-smtpd.c is main.
qmail-smtpd_PARSERS := qmail-smtpd/smtp_cmd.c qmail-smtpd/smtp_addr.c qmail-smtpd/smtp_data.c
qmail-smtpd_MODULES := $(qmail-smtpd_PARSERS) qmail-smtpd/smtp_auth.c qmail-smtpd/smtp_received.c qmail-smtpd/smtp_queue.c qmail-smtpd/smtp_check.c qmail-smtpd/rcpt_proto.c qmail-smtpd/smtp_rcptcheck.c qmail-smtpd/smtp_session.c
qmail-smtpd_SRCS := qmail-smtpd/qmail-smtpd.c $(qmail-smtpd_MODULES)
PROGS += qmail-smtpd
QMAIL_BIN_PROGS += qmail-smtpd
fuzz_smtp_cmd_SRCS := qmail-smtpd/smtp_cmd.c qmail-smtpd/smtp_addr.c
fuzz_smtp_data_SRCS := qmail-smtpd/smtp_data.c
fuzz_smtp_addr_SRCS := qmail-smtpd/smtp_addr.c
# qmail-rcptcheck: the privileged recipient lookup helper qmail-smtpd
# starts per session; it answers with the delivery module's dry run.
qmail-rcptcheck_SRCS := qmail-smtpd/qmail-rcptcheck.c qmail-smtpd/rcpt_answer.c qmail-smtpd/rcpt_proto.c vdeliver/qqdeliver.c vdeliver/qqenv.c vdeliver/deliver.c vdeliver/dotqmail.c
PROGS += qmail-rcptcheck
QMAIL_BIN_PROGS += qmail-rcptcheck
SETUID_PROGS += qmail-rcptcheck
fuzz_rcpt_proto_SRCS := qmail-smtpd/rcpt_proto.c
fuzz_smtp_auth_SRCS := qmail-smtpd/smtp_auth.c
