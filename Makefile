# AetherOS build. `make` builds build/aetheros.iso; `make run` boots it in
# QEMU; `make test` runs every test; `make bench` prints benchmark figures.
# Every target that needs Debian packages first runs scripts/deps.sh.

VERSION  := 0.1.0
BUILD    := build
KOBJ     := $(BUILD)/kernel
ISO      := $(BUILD)/aetheros.iso
PYTHON   ?= python3
# V=1 shows full compiler command lines.
Q        := $(if $(V),,@)

CC       := gcc
HOSTCC   := gcc

# Kernel: freestanding C11 (+GNU), higher half (-mcmodel=kernel), no SSE/x87
# state touched (-mgeneral-regs-only), frame pointers kept for backtraces,
# stack protector with a global guard (the default reads %fs, which the kernel
# does not set up).
KCFLAGS  := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel \
            -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
            -fno-optimize-sibling-calls \
            -fstack-protector-strong -mstack-protector-guard=global \
            -fno-asynchronous-unwind-tables -fno-strict-aliasing \
            -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter \
            -I. -Iinclude -Ikernel -DAETHER_VERSION='"$(VERSION)"' -MMD -MP
KASFLAGS := -I. -Iinclude -Ikernel -D__ASSEMBLY__ -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -Wl,--no-dynamic-linker \
            -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
            -T kernel/arch/x86_64/linker.ld

KSRCS_C  := $(shell find kernel common -name '*.c' | sort)
KSRCS_S  := $(shell find kernel -name '*.S' | sort)
KOBJS    := $(patsubst %.c,$(KOBJ)/%.o,$(KSRCS_C)) $(patsubst %.S,$(KOBJ)/%.o,$(KSRCS_S))

.PHONY: all deps run scope test unit-test tool-test system-test bench clean
all: $(ISO)

deps:
	@sh scripts/deps.sh

$(KOBJ)/%.o: %.c Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KOBJ)/%.o: %.S Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# Two-pass link for a symbolized panic report: link once with an empty symbol
# table, extract the text symbols, link again with them. The table lives in
# the last section of the image, so no other address moves between passes
# (checked by comparing the two passes' symbol lists).
$(BUILD)/ksyms0.o: tools/gen_ksyms.py | deps
	@mkdir -p $(BUILD)
	$(Q)$(PYTHON) tools/gen_ksyms.py --empty > $(BUILD)/ksyms0.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms0.S -o $@

$(BUILD)/kernel.pass1.elf: $(KOBJS) $(BUILD)/ksyms0.o kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms0.o -lgcc

$(BUILD)/aether.elf: $(BUILD)/kernel.pass1.elf tools/gen_ksyms.py
	@echo "  KSYMS   $@"
	$(Q)nm -n --defined-only $< | $(PYTHON) tools/gen_ksyms.py > $(BUILD)/ksyms.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o -lgcc
	$(Q)nm -n --defined-only $< | grep -v -e '__ksym' -e '__kernel_end' > $(BUILD)/syms.pass1
	$(Q)nm -n --defined-only $@ | grep -v -e '__ksym' -e '__kernel_end' > $(BUILD)/syms.pass2
	$(Q)cmp -s $(BUILD)/syms.pass1 $(BUILD)/syms.pass2 || \
	    { echo "ksyms: symbol addresses moved between link passes" >&2; exit 1; }
	@# The kernel never saves vector state on entry, so it must not use it.
	$(Q)! objdump -d $@ | grep -q -E '%[xyz]mm[0-9]' || \
	    { echo "kernel: SSE/AVX instructions in the image" >&2; rm -f $@; exit 1; }

# ---- user space ------------------------------------------------------------
# Static ELF programs: user/lib (crt0, libaether) + user/libc (the C library)
# + common/ (fmt, string) + each program's own folder. They include
# include/aether/, user/lib and the C library's headers, and no host header:
# -nostdinc leaves only the compiler's own (stddef.h, stdint.h, stdarg.h...).
LIBC_INC    := -nostdinc -isystem $(shell $(CC) -print-file-name=include) -Iuser/libc/include
USER_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -O2 -g -Wall -Wextra \
               -Werror -Wno-unused-parameter -fno-stack-protector \
               -fno-omit-frame-pointer -ffunction-sections -fdata-sections \
               -I. -Iinclude -Iuser/lib $(LIBC_INC) -MMD -MP
# Every program links all of libaether's objects; --gc-sections drops what
# it does not call (the crypto, say, from all but init, vfs and the shell).
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--gc-sections \
                -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -T user/lib/user.ld
# Crypto and trust code shared by user space (init, vfs) and the host tools
# (docs/BUNDLE.md): SHA-256/512, Ed25519 verification, Merkle trees,
# bundles, trust roots, rollback marks.
CRYPTO_SRCS := $(addprefix user/lib/crypto/,sha256.c sha256_ni.c sha512.c ed25519.c fe25519.c \
                 ge25519.c sc25519.c)
TRUST_SRCS  := user/lib/trust/bundle.c user/lib/trust/bundle_dir.c user/lib/trust/hwm.c \
               user/lib/trust/merkle.c user/lib/trust/names.c user/lib/trust/signers.c \
               user/lib/trust/trustroot.c user/lib/trust/version.c
# user/libc/os/ holds the only C library files that make system calls; the
# rest is pure and also built for the host tests.
LIBC_SRCS      := $(shell find user/libc -name '*.c' | sort)
LIBC_PURE_SRCS := $(filter-out user/libc/os/%,$(LIBC_SRCS))
# The network protocols (user/lib/net, docs/NETWORK.md): pure, so the same
# files run in net-stack and in the host unit tests test_net_*.
NET_SRCS       := $(sort $(wildcard user/lib/net/*.c))
ULIB_SRCS  := user/lib/crt0.S user/lib/ulib.c user/lib/scratch.c user/lib/spawn.c \
              user/lib/elf_load.c user/lib/manifest.c user/lib/manifest_keys.c \
              user/lib/svc.c user/lib/con.c user/lib/bufsvc.c user/lib/serve.c user/lib/vfsc.c user/lib/clientbuf.c \
              user/lib/acpi_power.c user/lib/aefs.c user/lib/trace_read.c user/lib/pci_cfg.c user/lib/virtio_pci.c user/lib/virtq.c user/lib/netc.c \
              $(TRUST_SRCS) $(CRYPTO_SRCS) $(NET_SRCS) \
              common/elf64.c common/fmt.c common/string.c common/strerror.c $(LIBC_SRCS)
ULIB_OBJS  := $(patsubst %,$(BUILD)/uobj/%.o,$(basename $(ULIB_SRCS)))
USER_PROGS := init ktest ipcbench elfhello spawnee cryptobench
USER_ELFS  := $(addprefix $(BUILD)/user/,$(addsuffix .elf,$(USER_PROGS)))

$(BUILD)/uobj/%.o: %.c Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/uobj/%.o: %.S Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# static_prog OUT.elf SOURCE-DIR: a program from the C and assembly files
# in SOURCE-DIR.
define static_prog
$(1): $(patsubst %,$(BUILD)/uobj/%.o,$(basename $(wildcard $(2)/*.c $(2)/*.S))) $(ULIB_OBJS) user/lib/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  ULD     $$@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^) -lgcc
endef
$(foreach p,$(USER_PROGS),$(eval $(call static_prog,$(BUILD)/user/$(p).elf,user/$(p))))

# V-Nodes: user/vnodes/NAME/ (a manifest and the sources) -> vnodes/NAME/
# (the manifest and NAME.elf) -> a signed bundle in the initrd, the AetherFS
# image init starts them from (see "the initrd" below, docs/BUNDLE.md,
# docs/AETHERFS.md).
VNODES     := console vfs shell crashtest scope pci net-bridge net-stack httpd
$(foreach v,$(VNODES),$(eval $(call static_prog,$(BUILD)/vnodes/$(v)/$(v).elf,user/vnodes/$(v))))

$(BUILD)/vnodes/%/manifest: user/vnodes/%/manifest
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# V-Nodes of the test image that misbehave on purpose (user/vnodes-test):
# one that crash-loops, one whose quota cannot fit.
$(eval $(call static_prog,$(BUILD)/vnodes-test/crashloop/crashloop.elf,user/vnodes-test/crashloop))

# ktest embeds elfhello's ELF file for the loader tests (.incbin in
# user/ktest/elfhello_image.S), so elfhello is linked first.
$(BUILD)/uobj/user/ktest/elfhello_image.o: $(BUILD)/user/elfhello.elf
$(BUILD)/uobj/user/ktest/elfhello_image.o: USER_CFLAGS += -DKTEST_ELFHELLO='"$(BUILD)/user/elfhello.elf"'
# ipcbench embeds spawnee's, likewise (user/ipcbench/spawnee_image.S).
$(BUILD)/uobj/user/ipcbench/spawnee_image.o: $(BUILD)/user/spawnee.elf
$(BUILD)/uobj/user/ipcbench/spawnee_image.o: USER_CFLAGS += -DIPCBENCH_SPAWNEE='"$(BUILD)/user/spawnee.elf"'

# ---- host tools: aether-pack, dev keys, signed bundles ---------------------
# aether-pack (tools/aether-pack, docs/BUNDLE.md) makes and checks V-Node
# bundles and trust roots with the trust library init also runs
# (user/lib/trust) and crypto (user/lib/crypto); libsodium only makes keys
# and signatures.
PACK        := $(BUILD)/tools/aether-pack
PACK_SRCS   := $(addprefix tools/aether-pack/,main.c util.c keys.c pack.c sign.c verify.c \
                 verify_util.c inspect.c contents.c trust_cmd.c) \
               $(TRUST_SRCS) $(CRYPTO_SRCS) user/lib/manifest.c user/lib/manifest_keys.c \
               common/fmt.c common/strerror.c
PACK_OBJS   := $(patsubst %.c,$(BUILD)/hostobj/%.o,$(PACK_SRCS))
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
               -I. -Iinclude -iquote user/lib -MMD -MP

$(BUILD)/hostobj/%.o: %.c Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(PACK): $(PACK_OBJS)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lsodium

# Development keys: made once per build directory (never by a rebuild of the
# tool, and keygen refuses to replace a key), never committed. The dev trust
# root is 2 of the 3; each V-Node is packed from build/pack/NAME (manifest +
# stripped NAME.elf) and signed with dev1 and dev2.
DEV_KEYS    := dev1 dev2 dev3
DEV_SIGNERS := dev1 dev2
TRUST_ROOT  := $(BUILD)/trust.root
BUNDLES     := $(addprefix $(BUILD)/vnodes/,$(addsuffix .vnode,$(VNODES)))

$(BUILD)/keys/%.key $(BUILD)/keys/%.pub: | $(PACK)
	$(Q)install -d -m 700 $(dir $@)
	@echo "  KEYGEN  $(BUILD)/keys/$*"
	$(Q)$(PACK) keygen $(BUILD)/keys/$* >/dev/null

$(TRUST_ROOT): $(foreach k,$(DEV_KEYS),$(BUILD)/keys/$(k).pub) \
               $(foreach k,$(DEV_SIGNERS),$(BUILD)/keys/$(k).key) $(PACK)
	@echo "  TRUST   $@"
	$(Q)$(PACK) trust new -k 2 -o $@.tmp $(foreach k,$(DEV_KEYS),$(BUILD)/keys/$(k).pub) >/dev/null
	$(Q)$(foreach k,$(DEV_SIGNERS),$(PACK) trust sign -k $(BUILD)/keys/$(k).key $@.tmp >/dev/null &&) mv $@.tmp $@

# pack_dir NAME SRC-DIR: build/pack/NAME/ holds what the bundle carries:
# the manifest and the ELF with its debug sections stripped (the unstripped
# one stays in SRC-DIR for symbolizing).
define pack_dir
$(BUILD)/pack/$(1)/manifest: $(2)/manifest
	@mkdir -p $$(dir $$@)
	$(Q)cp $$< $$@
$(BUILD)/pack/$(1)/$(1).elf: $(2)/$(1).elf
	@mkdir -p $$(dir $$@)
	$(Q)objcopy --strip-debug $$< $$@
endef

define vnode_bundle
$(call pack_dir,$(1),$(BUILD)/vnodes/$(1))
$(BUILD)/vnodes/$(1).vnode: $(BUILD)/pack/$(1)/$(1).elf $(BUILD)/pack/$(1)/manifest \
                            $(foreach k,$(DEV_SIGNERS),$(BUILD)/keys/$(k).key) $(TRUST_ROOT) $(PACK)
	@echo "  BUNDLE  $$@"
	$(Q)$(PACK) pack -o $$@.tmp $(BUILD)/pack/$(1) >/dev/null
	$(Q)$(foreach k,$(DEV_SIGNERS),$(PACK) sign -k $(BUILD)/keys/$(k).key $$@.tmp >/dev/null &&) \
	    $(PACK) verify --trust $(TRUST_ROOT) $$@.tmp >/dev/null && mv $$@.tmp $$@
endef
$(foreach v,$(VNODES),$(eval $(call vnode_bundle,$(v))))
# httpd's bundle also carries what it serves: index.html, and 16 MiB of a
# fixed pattern (tools/gen_pattern.py) for the big-download tests.
HTTPD_WWW := $(BUILD)/pack/httpd/index.html $(BUILD)/pack/httpd/big16m.bin
$(BUILD)/pack/httpd/index.html: user/vnodes/httpd/index.html
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(BUILD)/pack/httpd/big16m.bin: tools/gen_pattern.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/gen_pattern.py 16777216 > $@.tmp && mv $@.tmp $@
$(BUILD)/vnodes/httpd.vnode: $(HTTPD_WWW)
.PHONY: bundles
bundles: $(TRUST_ROOT) $(BUNDLES)

# ---- the initrd: an AetherFS image of the signed bundles -------------------
# aether-mkfs (tools/aether-mkfs, docs/AETHERFS.md) lays the bundles out with
# the high-water marks (build/hwm: each bundle's version, as aether-pack
# verify --hwm notes it). The trust root goes beside it as its own boot
# module (scripts/mkiso.sh).
MKFS      := $(BUILD)/tools/aether-mkfs
MKFS_SRCS := tools/aether-mkfs/main.c tools/aether-mkfs/image.c user/lib/aefs.c \
             $(TRUST_SRCS) $(CRYPTO_SRCS) common/strerror.c
INITRD    := $(BUILD)/initrd.aefs
HWM       := $(BUILD)/hwm

$(MKFS): $(patsubst %.c,$(BUILD)/hostobj/%.o,$(MKFS_SRCS))
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^

$(HWM): $(BUNDLES) $(TRUST_ROOT) $(PACK)
	$(Q)rm -f $@.tmp
	$(Q)for b in $(BUNDLES); do $(PACK) verify --trust $(TRUST_ROOT) --hwm $@.tmp $$b >/dev/null || exit 1; done
	$(Q)mv $@.tmp $@

$(INITRD): $(BUNDLES) $(HWM) $(MKFS)
	@echo "  AEFS    $@"
	$(Q)$(MKFS) -o $@ --hwm $(HWM) $(BUNDLES)

# aether-scope (tools/aether-scope, docs/TRACE.md): shows the trace stream
# the scope V-Node sends out of COM2 live in a browser, and exports it for
# Perfetto. The page's files (web/) are compiled into the binary.
SCOPE       := $(BUILD)/tools/aether-scope
SCOPE_PURE  := decode.c rate.c model.c buf.c state_json.c http.c routes.c
SCOPE_SRCS  := $(addprefix tools/aether-scope/,main.c server.c source.c export.c $(SCOPE_PURE))
SCOPE_WEB   := $(sort $(wildcard tools/aether-scope/web/*))
SCOPE_WEB_C := $(BUILD)/hostobj/tools/aether-scope/web_assets.c

$(SCOPE_WEB_C): $(SCOPE_WEB) tools/aether-scope/embed_web.py
	@mkdir -p $(dir $@)
	@echo "  EMBED   $@"
	$(Q)$(PYTHON) tools/aether-scope/embed_web.py $@ $(SCOPE_WEB)

$(SCOPE_WEB_C:.c=.o): $(SCOPE_WEB_C) tools/aether-scope/web.h
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -iquote tools/aether-scope -c $< -o $@

$(SCOPE): $(patsubst %.c,$(BUILD)/hostobj/%.o,$(SCOPE_SRCS)) $(SCOPE_WEB_C:.c=.o)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lm

# The browser test of aether-scope's page (tests/tools/test_aether_scope.py)
# drives Debian's chromium with playwright-core, installed here from the
# npm registry at the version tests/tools/browser/package.json pins.
SCOPE_NPM := $(BUILD)/npm/node_modules/playwright-core/package.json
$(SCOPE_NPM): tests/tools/browser/package.json | deps
	@mkdir -p $(BUILD)/npm
	@echo "  NPM     playwright-core"
	$(Q)cp tests/tools/browser/package.json $(BUILD)/npm/package.json
	$(Q)cd $(BUILD)/npm && npm install --no-audit --no-fund --loglevel=error >/dev/null
	$(Q)touch $@

# The test image's initrd (tests/system/mk-test-initrd.sh): the V-Nodes
# above, crashloop and toobig, bundles that must be refused (tampered
# content, an unknown key, too few signers, a bad signature, a rollback),
# a good trust-root rotation and a forged one.
INITRD_TEST := $(BUILD)/initrd-test.aefs
$(eval $(call pack_dir,crashloop,$(BUILD)/vnodes-test/crashloop))
$(BUILD)/vnodes-test/crashloop/manifest: user/vnodes-test/crashloop/manifest
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(INITRD_TEST): $(BUNDLES) $(HWM) $(MKFS) $(PACK) $(TRUST_ROOT) tests/system/mk-test-initrd.sh \
                $(BUILD)/pack/crashloop/crashloop.elf $(BUILD)/pack/crashloop/manifest \
                user/vnodes-test/toobig/manifest tests/system/aefs_tamper.py
	@echo "  AEFS    $@"
	$(Q)sh tests/system/mk-test-initrd.sh $(BUILD) $@ $(BUNDLES)

# The boot image: GRUB (BIOS, multiboot2) hybrid ISO that boots as a CD and
# as a raw disk. Test images differ only in the default menu entry.
$(ISO): $(BUILD)/aether.elf $(USER_ELFS) $(INITRD) $(TRUST_ROOT) boot/grub.cfg.in scripts/mkiso.sh | deps
	@echo "  ISO     $@"
	$(Q)sh scripts/mkiso.sh $@ $(BUILD)/aether.elf normal

$(BUILD)/test/%.iso: $(BUILD)/aether.elf $(USER_ELFS) $(INITRD) $(INITRD_TEST) $(TRUST_ROOT) boot/grub.cfg.in scripts/mkiso.sh | deps
	@mkdir -p $(dir $@)
	@echo "  ISO     $@"
	$(Q)sh scripts/mkiso.sh $@ $(BUILD)/aether.elf $*

run: $(ISO)
	sh scripts/run-qemu.sh $(ISO)

# make run with the live dashboard (docs/TRACE.md): COM2 on a loopback
# socket, aether-scope reading it; the dashboard's URL is printed.
scope: $(ISO) $(BUILD)/tools/aether-scope
	sh scripts/scope.sh $(ISO)


# ---- tests ---------------------------------------------------------------
include tests/unit/units.mk

UCFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
           -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer -I. -Iinclude -Ikernel -iquote user/lib -DAE_HOST_TEST
UNIT_BINS := $(addprefix $(BUILD)/unit/test_,$(UNIT_TESTS))

.SECONDEXPANSION:
$(BUILD)/unit/test_%: tests/unit/test_%.c $$(unit_%_SRCS) tests/unit/unit.h | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UCFLAGS) -o $@ $< $(unit_$*_SRCS) -lcmocka $(unit_$*_LIBS)

# The pure C library built for the host, every symbol it defines renamed
# lc_NAME (LIBC_HOST, units.mk), so a test calls it and glibc side by side.
LIBC_HOST_SRCS := $(LIBC_PURE_SRCS) common/fmt.c common/string.c common/strerror.c
LIBC_HOST_OBJS := $(patsubst %.c,$(BUILD)/unit/libc_host/%.o,$(LIBC_HOST_SRCS))

$(BUILD)/unit/libc_host/%.o: %.c Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UCFLAGS) -ffreestanding $(LIBC_INC) -MMD -MP -c $< -o $@

$(LIBC_HOST): $(LIBC_HOST_OBJS)
	@echo "  LC      $@"
	$(Q)$(HOSTCC) -r -nostdlib -o $@.tmp $^
	$(Q)nm --defined-only -g $@.tmp | awk '{print $$3 " lc_" $$3}' > $@.syms
	$(Q)objcopy --redefine-syms=$@.syms $@.tmp $@
	$(Q)rm -f $@.tmp

TEST_ISOS := $(addprefix $(BUILD)/test/,$(addsuffix .iso,$(shell sed -n 's/^#test-image \([a-z0-9_-]*\).*/\1/p' boot/grub.cfg.in)))

unit-test: $(UNIT_BINS)
	$(PYTHON) tests/run_tests.py --unit $(UNIT_BINS)

system-test: $(ISO) $(TEST_ISOS)
	$(PYTHON) tests/run_tests.py --system

tool-test: $(PACK) $(SCOPE) $(SCOPE_NPM)
	$(PYTHON) tests/run_tests.py --tools

test: $(ISO) $(TEST_ISOS) $(UNIT_BINS) $(PACK) $(SCOPE) $(SCOPE_NPM)
	$(PYTHON) tests/run_tests.py --unit $(UNIT_BINS) --tools --system

bench: $(ISO)
	sh bench/boot/run.sh
	BUILD=$(BUILD) sh bench/ipc/run.sh

# Host micro-benchmark of user/lib/crypto against libsodium
# (bench/crypto/README.md): optimised, no sanitizers.
$(BUILD)/bench/crypto_host: bench/crypto/host_bench.c $(CRYPTO_SRCS) $(wildcard user/lib/crypto/*.h) | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -o $@ $< $(CRYPTO_SRCS) -lsodium

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d) $(shell find $(BUILD)/uobj $(BUILD)/unit/libc_host $(BUILD)/hostobj -name '*.d' 2>/dev/null)
