# Host unit tests: test NAME is tests/unit/test_NAME.c linked with the kernel
# sources listed in unit_NAME_SRCS (pure modules only, built for the host with
# AddressSanitizer and UBSan, -DAE_HOST_TEST). Pure user-space modules
# (user/lib, V-Nodes) are tested the same way.
UNIT_TESTS := fmt bitmap memmap pmm heap acpi acpi_power mcfg pci_cfg cmdline multiboot2 clock \
              ksyms handle_table cap quota elf64 log_ring manifest ldisc policy \
              shparse ledit admit vfspath merkle bundle aefs \
              libc_string libc_ctype libc_printf libc_float libc_strtol libc_qsort \
              libc_getopt libc_stdio libc_heap libc_inet \
              sha256 sha512 ed25519 ed25519_diff trace_read \
              scope_decode scope_model scope_http virtq http_req acpi_prt

# user/lib/net: every tests/unit/test_net_*.c links all of the protocols.
NET_UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(sort $(wildcard tests/unit/test_net_*.c)))
UNIT_TESTS += $(NET_UNIT_TESTS)
$(foreach t,$(NET_UNIT_TESTS),$(eval unit_$(t)_SRCS := $$(NET_SRCS)))

# The C library's tests link LIBC_HOST: its pure sources built for the host
# with every symbol renamed lc_NAME (the Makefile builds it), so the same
# program can compare them with the host's glibc (tests/unit/libc_host.h).
LIBC_HOST := $(BUILD)/unit/libc_host.o

unit_fmt_SRCS        := common/fmt.c
unit_bitmap_SRCS     := kernel/mm/bitmap.c
unit_memmap_SRCS     := kernel/mm/memmap.c
unit_pmm_SRCS        := kernel/mm/pmm.c kernel/mm/bitmap.c
unit_heap_SRCS       := kernel/mm/heap.c
unit_acpi_SRCS       := kernel/acpi/acpi_tables.c tests/unit/acpi_capture.c
unit_acpi_prt_SRCS   := kernel/acpi/aml_prt.c kernel/acpi/aml_bytes.c tests/unit/acpi_capture.c
unit_mcfg_SRCS       := kernel/acpi/acpi_mcfg.c kernel/acpi/acpi_tables.c
unit_pci_cfg_SRCS    := user/lib/pci_cfg.c user/lib/virtio_pci.c
unit_virtq_SRCS      := user/lib/virtq.c
unit_http_req_SRCS   := user/vnodes/httpd/http_req.c
unit_acpi_power_SRCS := kernel/acpi/acpi_power.c kernel/acpi/acpi_fadt.c \
                        kernel/acpi/aml_sleep.c kernel/acpi/aml_bytes.c kernel/acpi/acpi_tables.c \
                        tests/unit/acpi_capture.c
unit_cmdline_SRCS    := kernel/lib/cmdline.c
unit_multiboot2_SRCS := kernel/boot/multiboot2.c
unit_clock_SRCS      := kernel/lib/clock_math.c
unit_ksyms_SRCS      := kernel/lib/ksyms_lookup.c
unit_handle_table_SRCS := kernel/cap/handle_table.c
unit_cap_SRCS        := kernel/cap/cap.c
unit_quota_SRCS      := kernel/quota/quota.c
unit_elf64_SRCS      := common/elf64.c
unit_manifest_SRCS   := user/lib/manifest.c user/lib/manifest_keys.c common/fmt.c
unit_ldisc_SRCS      := user/vnodes/console/ldisc.c
unit_policy_SRCS     := user/init/policy.c
unit_shparse_SRCS    := user/vnodes/shell/parse.c
unit_ledit_SRCS      := user/vnodes/shell/ledit.c
unit_admit_SRCS      := user/init/admit.c
unit_vfspath_SRCS    := user/vnodes/vfs/path.c
unit_log_ring_SRCS   := kernel/lib/log_ring.c
unit_trace_read_SRCS := user/lib/trace_read.c
unit_trace_read_LIBS := -lpthread
# The trust library links CRYPTO_SRCS (user/lib/crypto); the tests make keys
# and reference hashes with libsodium.
unit_merkle_SRCS     := user/lib/trust/merkle.c $(CRYPTO_SRCS)
unit_merkle_LIBS     := -lsodium
unit_bundle_SRCS     := $(TRUST_SRCS) $(CRYPTO_SRCS)
unit_bundle_LIBS     := -lsodium
unit_aefs_SRCS       := user/lib/aefs.c tools/aether-mkfs/image.c $(TRUST_SRCS) $(CRYPTO_SRCS)
unit_libc_string_SRCS := $(LIBC_HOST)
unit_libc_ctype_SRCS  := $(LIBC_HOST)
unit_libc_printf_SRCS := $(LIBC_HOST)
unit_libc_float_SRCS  := $(LIBC_HOST)
unit_libc_strtol_SRCS := $(LIBC_HOST)
unit_libc_qsort_SRCS  := $(LIBC_HOST)
unit_libc_getopt_SRCS := $(LIBC_HOST)
unit_libc_stdio_SRCS  := $(LIBC_HOST)
unit_libc_inet_SRCS   := $(LIBC_HOST)
unit_libc_heap_SRCS   := user/libc/stdlib/heap.c

# user/lib/crypto, checked against libsodium (unit_NAME_LIBS: extra
# libraries for that test's link).
unit_sha256_SRCS       := user/lib/crypto/sha256.c user/lib/crypto/sha256_ni.c
unit_sha256_LIBS       := -lsodium
unit_sha512_SRCS       := user/lib/crypto/sha512.c
unit_sha512_LIBS       := -lsodium
unit_ed25519_SRCS      := $(CRYPTO_SRCS)
unit_ed25519_LIBS      := -lsodium
unit_ed25519_diff_SRCS := $(CRYPTO_SRCS)
unit_ed25519_diff_LIBS := -lsodium

# aether-scope's pure parts (tools/aether-scope): the stream decoder, the
# model with its JSON view, the HTTP request parser.
SCOPE_DIR := tools/aether-scope
unit_scope_decode_SRCS := $(SCOPE_DIR)/decode.c user/vnodes/scope/frame.c
unit_scope_model_SRCS  := $(addprefix $(SCOPE_DIR)/,model.c rate.c decode.c state_json.c buf.c) \
                          user/vnodes/scope/frame.c
unit_scope_model_LIBS  := -lm
unit_scope_http_SRCS   := $(SCOPE_DIR)/http.c $(SCOPE_DIR)/buf.c
unit_scope_http_LIBS   := -lm
