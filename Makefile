# SPDX-License-Identifier: GPL-2.0-only
# pvexit: measure what the PowerPC KVM paravirtual interface saves.
#
#   make bench     the benchmark suite and its plots (in the lab when no
#                  PowerPC KVM PR host is present)
#   make check     every test; ends with "N passed, N failed"
#   make bench-self  the toolkit's own cost: collectors, decoders
#   make check-host  the native path in the lab's Debian ppc64el host image
#   make fuzz      fuzz every input parser for FUZZ_SECONDS (60) each
#   make deps      install the Debian packages this machine needs (root);
#                  on a PowerPC host, LAB=1 adds what the lab needs
#   make lab       build the emulated PowerPC KVM PR host (lab/build)
#   make lab-e500  build the emulated e500v2 KVM host (lab/e500/build) and
#                  its static sysroot (lab/e500/sysroot)
#   make lab-lock  re-resolve lab/packages.list and rewrite the lock
#   make build     pvexit and its payloads; on x86 and other machines also
#                  both labs, the ppc64le build that lab/run puts on PATH
#                  and the e500 lab's static pvexit-launch
#   make install   pvexit, its payloads, plots and man page under PREFIX
#                  (default /usr/local; DESTDIR for staging); make uninstall
#   make clean     remove build/ (the lab cache stays)

SHELL := /bin/bash
# The machine this builds on (uname -m): what is native and what is cross.
# A PowerPC host builds everything with its own compiler and needs no lab;
# any other machine cross-builds for the lab.  A 32-bit PowerPC host
# ("ppc": an e500v2 with KVM) runs the e500 guest alone.
HOST_ARCH ?= $(shell uname -m)
PPC_HOST := $(filter ppc64 ppc64le ppc,$(HOST_ARCH))
.DEFAULT_GOAL := help

BUILD ?= build
LE := $(BUILD)/ppc64le
# The payload images: 64-bit big- and little-endian, 32-bit big-endian
# Book3S, and 32-bit BookE (e500).
GUEST_VARIANTS := $(if $(filter ppc,$(HOST_ARCH)),e500,be le be32 e500)
# The lab's userland is ppc64le: cross-compiled, except on a ppc64le host.
CROSS_LE ?= $(if $(filter ppc64le,$(HOST_ARCH)),,powerpc64le-linux-gnu-)
WARN := -Wall -Wextra -Werror
CFLAGS_LE ?= -O2 -g -std=gnu11 $(WARN)

# The staging root from `make lab`: the ppc64le build links against it.
LAB_DIR := $(shell lab/build dir)
SYSROOT := $(LAB_DIR)/$(shell sed -n 's/^LAB_SYSROOT=//p' $(LAB_DIR)/lab.env 2>/dev/null)

.PHONY: help deps deps-ensure lab lab-lock build check bench bench-self clean
# Objects of pattern-rule chains are not throwaway intermediates here.
.SECONDARY:

help:
	@sed -n '4,23s/^# \{0,1\}//p' Makefile

deps:
	@lab/deps --arch $(HOST_ARCH) $(if $(LAB),--lab)

deps-ensure:
	@lab/deps --arch $(HOST_ARCH) --ensure

lab:
	@lab/deps --arch $(HOST_ARCH) --ensure --lab
	@lab/build

lab-lock: deps-ensure
	@lab/build lock

# The e500v2 lab that lab/run --host e500 boots: its kernel (5-6 minutes
# cold on an idle 2-core machine, about 20 under load) and base
# initramfs, and the static sysroot pvexit-launch is built against.
.PHONY: lab-e500
lab-e500:
	@lab/deps --arch $(HOST_ARCH) --ensure --lab
	@lab/e500/build all
	@lab/e500/sysroot

# The git revision results files name; rewritten only when it changes, so
# that nothing is rebuilt for nothing.
.PHONY: FORCE
$(BUILD)/gen/pvexit_version.h: FORCE
	@mkdir -p $(dir $@)
	@line="#define PVX_GIT_REVISION \"$$(git describe --always --dirty 2>/dev/null || echo unknown)\""; \
	[ -f $@ ] && [ "$$(cat $@)" = "$$line" ] || echo "$$line" >$@

# --- BPF programs: CO-RE objects, embedded in pvexit as libbpf skeletons -----

BPF_CLANG ?= clang
BPFTOOL ?= bpftool
# The BTF that vmlinux.h comes from: on a PowerPC host the running
# kernel's, elsewhere the lab kernel's.  The kvm and kvm_pr types are not
# in it: libbpf finds them in the modules' BTF when pvexit loads.
LAB_KERNEL := $(LAB_DIR)/$(shell sed -n 's/^LAB_KERNEL=//p' $(LAB_DIR)/lab.env 2>/dev/null)
VMLINUX_BTF ?= $(if $(PPC_HOST),/sys/kernel/btf/vmlinux,$(firstword $(wildcard $(LAB_KERNEL)/vmlinux) /sys/kernel/btf/vmlinux))
# The programs run in the KVM host's kernel: little-endian for the lab
# (and x86), big-endian when built on a big-endian PowerPC host.
BPF_TARGET ?= $(if $(filter ppc64 ppc,$(HOST_ARCH)),bpfeb,bpfel)
BPF_SRC := $(wildcard trace/*.bpf.c)
BPF_SKEL := $(patsubst trace/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRC))

$(BUILD)/bpf/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(dir $@)
	@[ -r $< ] || { echo "make: error: $<: no kernel BTF to build the BPF programs against (a kernel with CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 2; }
	$(BPFTOOL) btf dump file $< format c >$@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: trace/%.bpf.c trace/%.h $(BUILD)/bpf/vmlinux.h $(wildcard include/pvexit/*)
	$(BPF_CLANG) -g -O2 -target $(BPF_TARGET) -D__TARGET_ARCH_powerpc $(WARN) \
		-I$(BUILD)/bpf -Iinclude -Itrace -c -o $@ $<

# bench/*.bpf.c: benchmark tooling (pvexit-bpf-floor), not embedded in pvexit.
$(BUILD)/bpf/%.bpf.o: bench/%.bpf.c $(BUILD)/bpf/vmlinux.h
	$(BPF_CLANG) -g -O2 -target $(BPF_TARGET) -D__TARGET_ARCH_powerpc $(WARN) -I$(BUILD)/bpf -c -o $@ $<

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf >$@.tmp && mv $@.tmp $@

# --- the pvexit command: native, and ppc64le for the lab --------------------

HOST_CC ?= gcc
HOST_CFLAGS ?= -std=c11 -D_GNU_SOURCE -O2 -g $(WARN)
HOST_LIBS := -lfdt -ljansson -lbpf -lelf -lz -lm -ltracecmd -ltracefs -ltraceevent

# The layers, lowest first.  A source file is compiled with the include
# paths of its own layer and those below it, so an upward #include fails
# the build:
#   lib/       util, errors, JSON, results, statistics, suites, names
#   trace/     exit collectors, trace decoder, KVM stats, class decoder
#   launcher/  the VM on /dev/kvm
#   host-tools/ the pvexit command
# include/pvexit (shared with the guest) is below them all; bench/ tools
# and the unit tests stand above.
SYS_INC = -I/usr/include/traceevent -I/usr/include/tracefs
INC_include := -Iinclude
INC_guest-payloads := -Iinclude
INC_lib := $(INC_include) -Ilib -I$(BUILD)/gen
INC_trace = $(INC_lib) -Itrace -I$(BUILD)/bpf $(SYS_INC)
INC_launcher = $(INC_trace) -Ilauncher
INC_host-tools = $(INC_launcher) -Ihost-tools
INC_bench = $(INC_trace)
INC_tests = $(INC_host-tools) -Itests/unit
# The include paths of the layer source file $(1) belongs to.
layer_inc = $(INC_$(firstword $(subst /, ,$(1))))

HOST_HDR = $(wildcard include/pvexit/* lib/*.h trace/*.h launcher/*.h host-tools/*.h) $(BPF_SKEL)
# The PV patcher and the class table are freestanding: the guest runs
# them, the host reads the table and tests the patcher.
# pvexit-bpf-floor: a tool of make bench-self's, beside pvexit.
FLOOR_SRC := bench/bpf_floor.c trace/bpf_error.c lib/proc.c lib/util.c
PVEXIT_SRC := $(wildcard lib/*.c) $(filter-out %.bpf.c,$(wildcard trace/*.c)) \
	$(wildcard launcher/*.c) $(wildcard host-tools/*.c) \
	guest-payloads/pvpatch.c \
	guest-payloads/classes.c

# The trace libraries' headers include each other by bare name (their
# pkg-config -I); the ppc64le build takes them from the sysroot.
$(LE)/obj/%.o: SYS_INC = -I$(SYSROOT)/usr/include/traceevent -I$(SYSROOT)/usr/include/tracefs

# Only host_info.c reads the revision, and how this build was made, which
# results files record: native, or cross from another machine.
$(BUILD)/host/obj/lib/host_info.o $(BUILD)/host-asan/lib/host_info.o \
	$(LE)/obj/lib/host_info.o: $(BUILD)/gen/pvexit_version.h
$(BUILD)/host/obj/lib/host_info.o $(BUILD)/host-asan/lib/host_info.o: \
	BUILD_INFO = -DPVX_BUILD_KIND='"native"' -DPVX_BUILD_TARGET='"$(shell $(HOST_CC) -dumpmachine)"'
$(LE)/obj/lib/host_info.o: BUILD_INFO = \
	-DPVX_BUILD_KIND='"$(if $(filter ppc64le,$(HOST_ARCH)),native,cross)"' \
	-DPVX_BUILD_TARGET='"$(shell $(CROSS_LE)gcc -dumpmachine)"'

$(BUILD)/host/obj/%.o: %.c $(HOST_HDR)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(BUILD_INFO) $(call layer_inc,$<) -c -o $@ $<

$(BUILD)/host/bin/pvexit: $(patsubst %.c,$(BUILD)/host/obj/%.o,$(PVEXIT_SRC))
	@mkdir -p $(dir $@)
	$(HOST_CC) -o $@ $^ $(HOST_LIBS)

$(BUILD)/host/obj/bench/bpf_floor.o $(LE)/obj/bench/bpf_floor.o: $(BUILD)/bpf/floor.skel.h

$(BUILD)/host/bin/pvexit-bpf-floor: $(patsubst %.c,$(BUILD)/host/obj/%.o,$(FLOOR_SRC))
	@mkdir -p $(dir $@)
	$(HOST_CC) -o $@ $^ -lbpf -lelf -lz -lm

$(LE)/bin/pvexit-bpf-floor: $(patsubst %.c,$(LE)/obj/%.o,$(FLOOR_SRC))
	@mkdir -p $(dir $@)
	$(CROSS_LE)gcc --sysroot=$(SYSROOT) -o $@ $^ -lbpf -lelf -lz -lm

$(LE)/obj/%.o: %.c $(HOST_HDR)
	@mkdir -p $(dir $@)
	$(CROSS_LE)gcc --sysroot=$(SYSROOT) $(CFLAGS_LE) -D_GNU_SOURCE $(BUILD_INFO) $(call layer_inc,$<) -c -o $@ $<

$(LE)/bin/pvexit: $(patsubst %.c,$(LE)/obj/%.o,$(PVEXIT_SRC))
	@mkdir -p $(dir $@)
	$(CROSS_LE)gcc --sysroot=$(SYSROOT) -o $@ $^ $(HOST_LIBS)

# pvexit-launch: the launcher alone, its run written as text for a pvexit
# elsewhere to read.  It needs none of pvexit's other libraries, so the
# e500 lab (no 32-bit PowerPC userland) runs it, built static against
# lab/e500/sysroot's libelf, zlib and libfdt; built here too, for tests.
LAUNCH_SRC := host-tools/launch/pvexit_launch.c $(wildcard launcher/*.c) trace/kvm_stats.c \
	trace/tp_count.c lib/util.c lib/tmp.c lib/cpuinfo.c lib/names.c lib/atomic_file.c lib/suite.c \
	guest-payloads/classes.c
LAUNCH_LIBS := -lfdt -lelf -lz -lm
$(BUILD)/host/bin/pvexit-launch: $(patsubst %.c,$(BUILD)/host/obj/%.o,$(LAUNCH_SRC))
	@mkdir -p $(dir $@)
	$(HOST_CC) -o $@ $^ $(LAUNCH_LIBS)

E500 := $(BUILD)/e500
E500_CC ?= powerpc-linux-gnu-gcc
ifeq ($(origin E500_SYSROOT),undefined)
E500_SYSROOT := $(shell lab/e500/sysroot dir 2>/dev/null)
endif
E500_HDR := $(wildcard include/pvexit/* lib/*.h trace/*.h launcher/*.h)
$(E500)/obj/%.o: %.c $(E500_HDR)
	@test -n "$(E500_SYSROOT)" || { echo "make: no e500 sysroot: run lab/e500/sysroot (make lab-e500)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(E500_CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -I$(E500_SYSROOT)/include $(call layer_inc,$<) -c -o $@ $<
$(E500)/bin/pvexit-launch: $(patsubst %.c,$(E500)/obj/%.o,$(LAUNCH_SRC))
	@mkdir -p $(dir $@)
	$(E500_CC) -static -o $@ $^ -L$(E500_SYSROOT)/lib $(LAUNCH_LIBS)
$(E500)/guest/%.elf: $(BUILD)/guest/%.elf
	@mkdir -p $(dir $@)
	cp $< $@
# What lab/run --host e500 puts at /pvexit in the e500 lab.
.PHONY: e500
e500: $(E500)/bin/pvexit-launch $(E500)/guest/payload-e500.elf

# The payloads go beside each pvexit, which finds them in ../guest.
# (Two rules: a pattern rule with two targets would be one grouped rule.)
$(BUILD)/host/guest/%.elf: $(BUILD)/guest/%.elf
	@mkdir -p $(dir $@)
	cp $< $@

$(LE)/guest/%.elf: $(BUILD)/guest/%.elf
	@mkdir -p $(dir $@)
	cp $< $@

# --- ppc64le build (runs inside the lab) -----------------------------------

LE_TESTS := $(LE)/tests/kvm_create_vm
LE_SCRIPTS := $(patsubst tests/lab/%,$(LE)/tests/%,$(wildcard tests/lab/in-*.sh))
LE_ALL := $(LE_TESTS) $(LE_SCRIPTS) $(LE)/bin/pvexit $(LE)/bin/pvexit-bpf-floor \
	$(patsubst %,$(LE)/guest/payload-%.elf,$(GUEST_VARIANTS))
HOST_ALL := $(BUILD)/host/bin/pvexit $(BUILD)/host/bin/pvexit-bpf-floor $(patsubst %,$(BUILD)/host/guest/payload-%.elf,$(GUEST_VARIANTS))

ifeq ($(PPC_HOST),)
# Both labs, and what each runs: the ppc64le build and the e500 one (its
# sysroot is found once lab-e500 has made it, hence the second make).
build: lab lab-e500
	@$(MAKE) --no-print-directory $(LE_ALL) $(HOST_ALL) e500
else
# On a ppc64le host the lab's build is made too once the lab exists
# (make lab); it links against the lab's root, like a cross build.
build: $(HOST_ALL) $(if $(and $(filter ppc64le,$(HOST_ARCH)),$(wildcard $(LAB_DIR)/lab.env)),$(LE_ALL))
endif

$(LE)/tests/%: tests/lab/%.c | $(LE)/tests
	$(CROSS_LE)gcc --sysroot=$(SYSROOT) $(CFLAGS_LE) -o $@ $<

$(LE)/tests/%.sh: tests/lab/%.sh | $(LE)/tests
	install -m 0755 $< $@

$(LE)/tests:
	mkdir -p $@

# --- guest payloads: one source, big- and little-endian images --------------

# A PowerPC gcc emits either byte order and 32-bit code for these
# freestanding images, so a PowerPC host uses its own for all three.
ifeq ($(PPC_HOST),)
GUEST_CC_be ?= powerpc64-linux-gnu-gcc
GUEST_CC_le ?= powerpc64le-linux-gnu-gcc
GUEST_CC_be32 ?= powerpc64-linux-gnu-gcc
GUEST_CC_e500 ?= powerpc64-linux-gnu-gcc
else
GUEST_CC_be ?= gcc
GUEST_CC_le ?= gcc
GUEST_CC_be32 ?= gcc
GUEST_CC_e500 ?= gcc
endif
# Bare metal in real mode: no libc, no PIC, no FP/vector state (MSR FP
# and VEC stay off), and address 0 is ordinary memory.
GUEST_CFLAGS := -O2 -g -std=gnu11 $(WARN) -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
	-msoft-float -mno-altivec -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-delete-null-pointer-checks -Iinclude -Iguest-payloads
# 64-bit images: ELFv2 in both byte orders, POWER8.  The 32-bit image: a
# 750-class Book3S-32 CPU, no small-data register.
GUEST_CFLAGS_be := -mbig-endian -mabi=elfv2 -mcmodel=medium -mcpu=power8 -mno-vsx
GUEST_CFLAGS_le := -mlittle-endian -mabi=elfv2 -mcmodel=medium -mcpu=power8 -mno-vsx
GUEST_CFLAGS_be32 := -m32 -mbig-endian -mcpu=750 -msdata=none
# The BookE image, for an e500v2 host: plain 32-bit PowerPC code (GCC 12
# has no e500 target; soft-float keeps SPE and FP out), with the e500
# instructions (wrteei, tlbwe) for the assembler, and its vectors 64 KiB
# aligned for IVPR.
GUEST_CFLAGS_e500 := -m32 -mbig-endian -mcpu=powerpc -msdata=none -DPVX_BOOKE -Wa,-me500
# (--defsym before -T: the script tests DEFINED(RT_VEC_ALIGN).)
GUEST_LDFLAGS_e500 := -Wl,--defsym,RT_VEC_ALIGN=0x10000
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,guest-payloads/runtime/payload.lds \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
GUEST_SRC := guest-payloads/runtime/start.S guest-payloads/loops.S \
	$(wildcard guest-payloads/runtime/*.c) $(wildcard guest-payloads/*.c)
GUEST_HDR := $(wildcard include/pvexit/* guest-payloads/*.h guest-payloads/runtime/*.h)
GUEST_ELF := $(patsubst %,$(BUILD)/guest/payload-%.elf,$(GUEST_VARIANTS))

define guest_rules
$(BUILD)/guest/$(1)/%.o: guest-payloads/%.c $(GUEST_HDR)
	@mkdir -p $$(dir $$@)
	$(GUEST_CC_$(1)) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) -c -o $$@ $$<
$(BUILD)/guest/$(1)/%.o: guest-payloads/%.S $(GUEST_HDR)
	@mkdir -p $$(dir $$@)
	$(GUEST_CC_$(1)) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) -c -o $$@ $$<
$(BUILD)/guest/payload-$(1).elf: $(patsubst guest-payloads/%,$(BUILD)/guest/$(1)/%.o,$(basename $(GUEST_SRC))) guest-payloads/runtime/payload.lds
	$(GUEST_CC_$(1)) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) $(GUEST_LDFLAGS_$(1)) $(GUEST_LDFLAGS) -o $$@ $$(filter %.o,$$^)
	@guest-payloads/check-image $$@
endef
$(foreach v,$(GUEST_VARIANTS),$(eval $(call guest_rules,$(v))))

.PHONY: guest
guest: $(GUEST_ELF)

# --- host build and unit tests (ASan + UBSan) --------------------------------

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Everything in the layers but the command's main() is a
# library that the command and the unit tests link.
HOST_LIB_SRC := $(filter-out host-tools/main.c,$(PVEXIT_SRC))
ASAN_OBJ := $(patsubst %.c,$(BUILD)/host-asan/%.o,$(HOST_LIB_SRC))
# UNIT_SAN=0 builds the unit tests without sanitizers, against pvexit's
# own objects: for the host image's native run, where TCG makes ASan's
# second build of every file too slow.  tests/host/unit.sh runs them
# with PVEXIT_UNIT_DIR=$(BUILD)/host/unit.
ifeq ($(UNIT_SAN),0)
UNIT_DIR := $(BUILD)/host/unit
UNIT_OBJ := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(HOST_LIB_SRC))
UNIT_FLAGS :=
else
UNIT_DIR := $(BUILD)/host-asan/tests
UNIT_OBJ := $(ASAN_OBJ)
UNIT_FLAGS := $(SAN)
endif
UNIT_BIN := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/host-asan/%.o: %.c $(HOST_HDR)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN) $(BUILD_INFO) $(call layer_inc,$<) -c -o $@ $<

$(UNIT_DIR)/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(UNIT_OBJ)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UNIT_FLAGS) $(INC_tests) -o $@ $< $(UNIT_OBJ) $(HOST_LIBS)

# pvexit itself under ASan and UBSan, for the bad-input tests
# (tests/host/sanitizer.sh).
ASAN_PVEXIT := $(BUILD)/host-asan/bin/pvexit
$(ASAN_PVEXIT): $(BUILD)/host-asan/host-tools/main.o $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN) -o $@ $^ $(HOST_LIBS)

.PHONY: unit
unit: $(UNIT_BIN) $(if $(filter 0,$(UNIT_SAN)),,$(ASAN_PVEXIT))

# --- the two commands ------------------------------------------------------

check: build unit
	@tests/run

# The native path of a PowerPC host, in the lab's host image.
.PHONY: check-host
check-host: build
	@lab/build image
	@tests/run tests/native/native.sh

bench: build
	@bench/run

bench-self: build
	@bench/self

clean:
	rm -rf $(BUILD)

# --- install: what a user of this machine runs, without the source tree ------

PREFIX ?= /usr/local
DESTDIR ?=
INST_BIN = $(DESTDIR)$(PREFIX)/bin
INST_LIB = $(DESTDIR)$(PREFIX)/lib/pvexit
INST_SHARE = $(DESTDIR)$(PREFIX)/share/pvexit
INST_MAN = $(DESTDIR)$(PREFIX)/share/man/man1
PLOT_SCRIPTS := $(wildcard plots/*.gp)

.PHONY: install uninstall
# The BPF programs are inside pvexit (libbpf skeletons): nothing apart.
install: $(HOST_ALL)
	install -d $(INST_BIN) $(INST_LIB)/guest $(INST_SHARE)/plots $(INST_MAN)
	install -m 0755 $(BUILD)/host/bin/pvexit $(BUILD)/host/bin/pvexit-bpf-floor $(INST_BIN)/
	install -m 0644 $(patsubst %,$(BUILD)/host/guest/payload-%.elf,$(GUEST_VARIANTS)) $(INST_LIB)/guest/
	install -m 0644 $(PLOT_SCRIPTS) $(INST_SHARE)/plots/
	install -m 0644 bench/default.suite bench/e500.suite $(INST_SHARE)/
	install -m 0644 docs/man/pvexit.1 $(INST_MAN)/

uninstall:
	rm -f $(INST_BIN)/pvexit $(INST_BIN)/pvexit-bpf-floor
	rm -f $(patsubst %,$(INST_LIB)/guest/payload-%.elf,$(GUEST_VARIANTS))
	rm -f $(addprefix $(INST_SHARE)/plots/,$(notdir $(PLOT_SCRIPTS)))
	rm -f $(INST_SHARE)/default.suite $(INST_SHARE)/e500.suite $(INST_MAN)/pvexit.1
	-rmdir $(INST_LIB)/guest $(INST_LIB) $(INST_SHARE)/plots $(INST_SHARE) 2>/dev/null

# The BPF target for the host's byte order (tests/host/layers.sh).
.PHONY: print-bpf-target
print-bpf-target:
	@echo $(BPF_TARGET)

# The include paths a file of the tree is compiled with (tests/host/layers.sh).
.PHONY: print-layer-inc
print-layer-inc:
	@echo $(call layer_inc,$(F))

# --- fuzz targets (libFuzzer, clang): tests/fuzz/ ----------------------------
#
#   make fuzz [FUZZ_SECONDS=60]   build every target, then fuzz each for
#                                 FUZZ_SECONDS on a copy of its seed corpus
#                                 (tests/fuzz/corpus/TARGET), print the
#                                 executions each reached, and fail if one
#                                 crashed (its input kept in $(BUILD)/fuzz/)
#             [FUZZ_CPU=1]        FUZZ_SECONDS of CPU time, not of wall time
#             [FUZZ_JOBS=1]       targets run at once (tests/fuzz/run)
#   make fuzz-build               only build them (tests/host/fuzz.sh)

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CPU ?= 0
FUZZ_JOBS ?= 1
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The parsers' sources, instrumented for coverage (fuzzer-no-link), in one
# archive: each target links only what it calls.  The launch result's
# reader frees with launch_result_free(), which brings the launcher and
# the KVM stats reader.
FUZZ_LIB_SRC := $(filter-out lib/host_info.c,$(wildcard lib/*.c)) $(wildcard trace/trace_decode*.c) \
	trace/insn_class.c trace/kvm_stats.c $(wildcard launcher/*.c) guest-payloads/classes.c
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

# Not HOST_HDR: these sources need no BPF skeleton, nor a kernel to make one.
$(BUILD)/fuzz/obj/%.o: %.c $(filter-out $(BPF_SKEL),$(HOST_HDR))
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(HOST_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(call layer_inc,$<) -c -o $@ $<

$(BUILD)/fuzz/libfuzzed.a: $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_LIB_SRC))
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(BUILD)/fuzz/libfuzzed.a
	$(FUZZ_CC) $(HOST_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer $(INC_tests) -o $@ $< \
		$(BUILD)/fuzz/libfuzzed.a $(HOST_LIBS)
# The comparison it shares with tests/unit/test_launch_io.c.
$(BUILD)/fuzz/fuzz_launch: tests/unit/launch_cmp.h

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

# Each target fuzzes a copy: the committed corpus stays the seeds.
fuzz: fuzz-build
	@tests/fuzz/run $(if $(filter 1,$(FUZZ_CPU)),--cpu) --jobs $(FUZZ_JOBS) \
		$(FUZZ_SECONDS) $(BUILD) $(FUZZ_TARGETS)
