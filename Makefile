# qvmail — top-level Makefile.
#
# Everything is built under $(B) (default build/; `make SAN=1` builds
# with AddressSanitizer + UndefinedBehaviorSanitizer under build-san/).
# Each program folder has a build.mk that names its programs, its
# modules and where its programs are installed; lib/ is every lib/*.c.
# Unit tests are every */*_test.c, fuzz targets every fuzz/*.c except
# the driver, shell tests every tests/t-*.sh.

SHELL = /bin/sh
SAN ?=
ifeq ($(SAN),)
B ?= build
SANFLAGS =
else
B ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

CC_CMD := $(shell head -n 1 conf-cc) $(SANFLAGS) -iquote lib -iquote $(B)/auto
LD_CMD := $(shell head -n 1 conf-ld) $(SANFLAGS)
LDLIBS = -lowfat -lcrypt -lcrypto

CONF_QMAILDIR := $(shell head -n 1 conf-qmail)
CONF_VPOPMAILDIR := $(shell head -n 1 conf-vpopmail)
QMAILDIR ?= $(CONF_QMAILDIR)
VPOPMAILDIR ?= $(CONF_VPOPMAILDIR)

PROGS :=
QMAIL_BIN_PROGS :=
VPOPMAIL_BIN_PROGS :=
SETUID_PROGS :=
include $(sort $(wildcard */build.mk))

LIB_SRCS := $(filter-out %_test.c,$(wildcard lib/*.c))
LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
UNIT_TEST_SRCS := $(sort $(wildcard */*_test.c))
UNIT_TESTS := $(patsubst %.c,$(B)/test/%,$(UNIT_TEST_SRCS))
FUZZ_SRCS := $(filter-out fuzz/driver.c,$(wildcard fuzz/*.c))
FUZZ_BINS := $(patsubst fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRCS))
SHELL_TESTS := $(sort $(wildcard tests/t-*.sh))
BINS := $(addprefix $(B)/bin/,$(PROGS))

.PHONY: all check unit setup demo demo-stop bench fuzz clean deps
.SECONDARY:

all: deps $(B)/libqv.a $(BINS)

deps:
	@scripts/deps build

$(B)/auto/conf.h: conf-qmail conf-vpopmail conf-users scripts/auto-conf
	@mkdir -p $(@D)
	scripts/auto-conf > $@.tmp && mv $@.tmp $@

$(B)/obj/%.o: %.c $(B)/auto/conf.h
	@mkdir -p $(@D)
	$(CC_CMD) -MMD -MP -c -o $@ $<

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

$(B)/libqv.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# $(1) = program name; $(1)_SRCS names its sources (main first).
define prog_rule
$(B)/bin/$(1): $$(patsubst %.c,$(B)/obj/%.o,$$($(1)_SRCS)) $(B)/libqv.a
	@mkdir -p $$(@D)
	$$(LD_CMD) -o $$@ $$(filter %.o,$$^) $(B)/libqv.a $$($(1)_LDLIBS) $$(LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

# A unit test dir/x_test.c links the modules of its folder ($(dir)_MODULES).
define unit_rule
$(B)/test/$(1): $(B)/obj/$(1).o $$(patsubst %.c,$(B)/obj/%.o,$$($(patsubst %/,%,$(dir $(1)))_MODULES)) $(B)/libqv.a
	@mkdir -p $$(@D)
	$$(LD_CMD) -o $$@ $$(filter %.o,$$^) $(B)/libqv.a $$(LDLIBS)
endef
$(foreach t,$(patsubst %.c,%,$(UNIT_TEST_SRCS)),$(eval $(call unit_rule,$(t))))

# A fuzz target fuzz/x.c plus fuzz_x_SRCS (modules of a program folder),
# linked with a driver that replays files: the corpus runs in `make check`.
define fuzz_rule
$(B)/fuzz/$(1): $(B)/obj/fuzz/$(1).o $(B)/obj/fuzz/driver.o $$(patsubst %.c,$(B)/obj/%.o,$$(fuzz_$(1)_SRCS)) $(B)/libqv.a
	@mkdir -p $$(@D)
	$$(LD_CMD) -o $$@ $$(filter %.o,$$^) $(B)/libqv.a $$(LDLIBS)
endef
$(foreach f,$(patsubst fuzz/%.c,%,$(FUZZ_SRCS)),$(eval $(call fuzz_rule,$(f))))

unit: $(UNIT_TESTS)

check: deps-check $(BINS) $(UNIT_TESTS) $(FUZZ_BINS)
	@QV_BUILD=$(abspath $(B)) QV_SRC=$(CURDIR) tests/run \
	  $(UNIT_TESTS) $(FUZZ_BINS) $(SHELL_TESTS)

deps-check:
	@scripts/deps check

# libFuzzer builds for real fuzzing sessions: make fuzz, then e.g.
# build-fuzz/address -max_total_time=60 fuzz/corpus/address
fuzz:
	@scripts/deps fuzz
	scripts/fuzz-build $(B)-fuzz

setup: all
	@QMAILDIR=$(QMAILDIR) VPOPMAILDIR=$(VPOPMAILDIR) \
	  SANDBOX=$(if $(filter $(QMAILDIR)$(VPOPMAILDIR),$(CONF_QMAILDIR)$(CONF_VPOPMAILDIR)),,1) \
	  QMAIL_BIN_PROGS="$(QMAIL_BIN_PROGS)" VPOPMAIL_BIN_PROGS="$(VPOPMAIL_BIN_PROGS)" \
	  SETUID_PROGS="$(SETUID_PROGS)" BUILD=$(B) scripts/setup

bench: all
	@scripts/deps bench
	QV_BUILD=$(abspath $(B)) QV_SRC=$(CURDIR) tests/bench/run

clean:
	rm -rf build build-san build-fuzz

print-fuzz-srcs:
	@echo $(fuzz_$(NAME)_SRCS)

print-vpopmail-progs:
	@echo $(VPOPMAIL_BIN_PROGS)
print-qmail-progs:
	@echo $(QMAIL_BIN_PROGS)
print-setuid-progs:
	@echo $(SETUID_PROGS)

DEMO_DIR ?= demo
demo: all
	@scripts/deps demo
	@$(MAKE) -s setup QMAILDIR=$(abspath $(DEMO_DIR))/qmail VPOPMAILDIR=$(abspath $(DEMO_DIR))/vpopmail
	@DEMO_DIR=$(DEMO_DIR) scripts/demo start

demo-stop:
	@DEMO_DIR=$(DEMO_DIR) scripts/demo stop
