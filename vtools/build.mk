# vtools/build.mk — vpopmail's admin tools, installed in VPOPMAILDIR/bin.
# Every vtools/<name>.c that is not a shared module or a test is a tool,
# linked with the shared modules below.
vtools_MODULES := vtools/vtool.c
VTOOLS := $(patsubst vtools/%.c,%,$(filter-out $(vtools_MODULES) %_test.c,$(wildcard vtools/*.c)))
$(foreach t,$(VTOOLS),$(eval $(t)_SRCS := vtools/$(t).c $$(vtools_MODULES)))
PROGS += $(VTOOLS)
VPOPMAIL_BIN_PROGS += $(VTOOLS)
