# irkit - built by ./build.sh; plain `make` works too.
#
# Every .c under lib/ goes into build/lib/libirkit.a; collectors/*.c
# (but main.c) into libirkcollect.a; analyzer/*.c (but main.c) into
# libirkanalyze.a, with analyzer/records/*.c (the record registry).
# Adding a source file needs no change here.
#
# Programs see the collectors through include/irkit/ only (no
# -Icollectors): the collector table is collectors/collectors.c, built
# once more with IRK_WITH_WINREG into libirkanalyze.a so irkit-analyze's
# table holds the Windows collectors (they need libregf and libxml2,
# which the static irkit-collect does not link).  Unit tests may include
# the private headers of collectors/ and analyzer/.

BUILD    ?= build
CC       ?= cc
MODE     ?= dev
PKGS     := libarchive jansson libcrypto sqlite3
APKGS    := yara sqlite3 tsk libewf libregf libbfio libxml-2.0 rpm libevtx libscca libfwnt libsystemd libvshadow zlib
PKG_CONFIG ?= pkg-config

WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
            -Wformat=2 -Wvla -Wwrite-strings -Wmissing-format-attribute
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude $(WARN) \
            $(shell $(PKG_CONFIG) --cflags $(PKGS))
ifeq ($(MODE),dev)
CFLAGS   += -Werror
endif
ifeq ($(MODE),asan)
CFLAGS   += -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
LIBS     := $(shell $(PKG_CONFIG) --libs $(PKGS))
# libmagic has no .pc file on Debian 12
# libevtx statically, first, its symbols kept inside: the libyal
# libraries each export the copies of libfvalue, libfdata, libcdata...
# they were built with, and libevtx calling libewf's older libfvalue
# reads no record (EVTX_LIBS; docs/windows-events.md)
EVTX_LIBS := -Wl,--exclude-libs,libevtx.a -l:libevtx.a
ALIBS    := $(EVTX_LIBS) $(shell $(PKG_CONFIG) --libs yara sqlite3 tsk libewf libregf libbfio libxml-2.0 rpm libscca libfwnt libsystemd libvshadow zlib 2>/dev/null) -lmagic -lpthread -lm

LIB_SRC  := $(sort $(wildcard lib/*.c))
COL_SRC  := $(sort $(filter-out collectors/main.c,$(wildcard collectors/*.c)))
ANA_SRC  := $(sort $(filter-out analyzer/main.c,$(wildcard analyzer/*.c)) $(wildcard analyzer/records/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
COL_OBJ  := $(COL_SRC:%.c=$(BUILD)/obj/%.o)
ANA_OBJ  := $(ANA_SRC:%.c=$(BUILD)/obj/%.o)
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIBIRK   := $(BUILD)/lib/libirkit.a
LIBCOL   := $(BUILD)/lib/libirkcollect.a
LIBANA   := $(BUILD)/lib/libirkanalyze.a
# irkit-analyze's collector table (with the Windows collectors)
ANA_TABLE := $(BUILD)/obj/collectors/collectors_winreg.o

HAVE_ANALYZER := $(wildcard analyzer/main.c)

# The default goal builds the programs only: a fresh machine with just the
# build packages (no cmocka) must be able to build and run triage.  The
# unit tests are the `units` goal (./build.sh test builds both).
all: $(BUILD)/bin/irkit-collect $(if $(HAVE_ANALYZER),$(BUILD)/bin/irkit-analyze)

units: $(UNITS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(if $(filter analyzer/%,$<),$(shell $(PKG_CONFIG) --cflags $(APKGS) 2>/dev/null)) -MMD -MP -c $< -o $@

$(ANA_TABLE): collectors/collectors.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DIRK_WITH_WINREG -MMD -MP -c $< -o $@

$(LIBIRK): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBCOL): $(COL_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBANA): $(ANA_OBJ) $(ANA_TABLE)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $(if $^,$^,)

$(BUILD)/bin/irkit-collect: $(BUILD)/obj/collectors/main.o $(LIBCOL) $(LIBIRK)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bin/irkit-analyze: $(BUILD)/obj/analyzer/main.o $(LIBANA) $(LIBCOL) $(LIBIRK)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALIBS) $(LIBS)

# Unit tests link every library; cmocka supplies main's harness.
# IRK_TEST_SRC is this source tree (the fixtures under tests/data/).
$(BUILD)/tests/%: tests/unit/%.c $(if $(HAVE_ANALYZER),$(LIBANA)) $(LIBCOL) $(LIBIRK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags $(APKGS) 2>/dev/null) -Icollectors -Ianalyzer -DIRK_TEST_SRC='"$(CURDIR)"' -Wno-missing-prototypes -o $@ $^ -lcmocka $(if $(HAVE_ANALYZER),$(ALIBS)) $(LIBS)

# The commit the binary is built from (irkit-analyze -V): a generated
# header rewritten only when the commit changes, so only main.c rebuilds.
IRK_COMMIT := $(if $(wildcard .git),$(shell git rev-parse --short HEAD 2>/dev/null))
$(BUILD)/gen/irkit_commit.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define IRK_COMMIT "$(or $(IRK_COMMIT),unknown)"' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/obj/analyzer/main.o: $(BUILD)/gen/irkit_commit.h
$(BUILD)/obj/analyzer/main.o: CFLAGS += -I$(BUILD)/gen

# Dev and asan builds find the bundled YARA rules in this source tree
# wherever the binary is run from; every build also looks beside itself
# (docs/scanning.md).
ifneq ($(MODE),release)
$(BUILD)/obj/analyzer/scan.o: CFLAGS += -DIRK_RULES_DIR='"$(CURDIR)/yara-rules"'
endif

# Sources that embed a data file with .incbin rebuild when it changes.
$(BUILD)/obj/analyzer/db_schema.o: analyzer/schema.sql
$(BUILD)/obj/analyzer/report_assets.o: $(wildcard reports/*)

clean:
	rm -rf $(BUILD)

.PHONY: all units clean FORCE
FORCE:
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
