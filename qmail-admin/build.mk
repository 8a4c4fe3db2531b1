# qmail-admin/build.mk — qmail's own maintenance programs that vpopmail
# sites run by hand (qmail-newu, qmail-newmrh), installed in QMAILDIR/bin.
QMAIL_ADMIN := qmail-newu qmail-newmrh
$(foreach t,$(QMAIL_ADMIN),$(eval $(t)_SRCS := qmail-admin/$(t).c))
PROGS += $(QMAIL_ADMIN)
QMAIL_BIN_PROGS += $(QMAIL_ADMIN)
