# pvexit: measure what the PowerPC KVM paravirtual interface saves.
#
#   make bench     the benchmark suite and its plots (in the lab when no
#                  PowerPC KVM PR host is present)
#   make check     every test; ends with "N passed, N failed"
#   make deps      install the Debian packages the project needs (root)
#   make lab       build the emulated PowerPC KVM PR host (lab/build)
#   make lab-lock  re-resolve lab/packages.list and rewrite the lock
#   make build     the ppc64le build that lab/run puts on PATH
#   make clean     remove build/ (the lab cache stays)

SHELL := /bin/bash
.DEFAULT_GOAL := help

BUILD ?= build
LE := $(BUILD)/ppc64le
CROSS_LE ?= powerpc64le-linux-gnu-
WARN := -Wall -Wextra -Werror
CFLAGS_LE ?= -O2 -g -std=gnu11 $(WARN)

# The staging root from `make lab`: the ppc64le build links against it.
LAB_DIR = $(shell lab/build dir)
SYSROOT = $(LAB_DIR)/$(shell sed -n 's/^LAB_SYSROOT=//p' $(LAB_DIR)/lab.env 2>/dev/null)

.PHONY: help deps deps-ensure lab lab-lock build check bench clean

help:
	@sed -n '3,11s/^# \{0,1\}//p' Makefile

deps:
	@lab/deps

deps-ensure:
	@lab/deps --ensure

lab: deps-ensure
	@lab/build

lab-lock: deps-ensure
	@lab/build lock

# --- ppc64le build (runs inside the lab) -----------------------------------

LE_TESTS := $(LE)/tests/kvm_create_vm
LE_SCRIPTS := $(patsubst tests/lab/%,$(LE)/tests/%,$(wildcard tests/lab/in-*.sh))

build: lab
	@$(MAKE) --no-print-directory $(LE_TESTS) $(LE_SCRIPTS)

$(LE)/tests/%: tests/lab/%.c | $(LE)/tests
	$(CROSS_LE)gcc --sysroot=$(SYSROOT) $(CFLAGS_LE) -o $@ $<

$(LE)/tests/%.sh: tests/lab/%.sh | $(LE)/tests
	install -m 0755 $< $@

$(LE)/tests:
	mkdir -p $@

# --- the two commands ------------------------------------------------------

check: build
	@tests/run

bench: build
	@echo "make bench: no benchmarks yet: the suite arrives with the guest payloads" >&2
	@exit 1

clean:
	rm -rf $(BUILD)
