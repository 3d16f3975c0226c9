# Host unit tests: test NAME is tests/unit/test_NAME.c linked with the kernel
# sources listed in unit_NAME_SRCS (pure modules only, built for the host with
# AddressSanitizer and UBSan, -DAE_HOST_TEST).
UNIT_TESTS := fmt bitmap memmap pmm heap acpi cmdline multiboot2 clock ksyms \
              handle_table cap quota elf64 \
              libc_string libc_ctype libc_printf libc_float libc_strtol libc_qsort \
              libc_getopt libc_stdio libc_heap

# The C library's tests link LIBC_HOST: its pure sources built for the host
# with every symbol renamed lc_NAME (the Makefile builds it), so the same
# program can compare them with the host's glibc (tests/unit/libc_host.h).
LIBC_HOST := $(BUILD)/unit/libc_host.o

unit_fmt_SRCS        := common/fmt.c
unit_bitmap_SRCS     := kernel/mm/bitmap.c
unit_memmap_SRCS     := kernel/mm/memmap.c
unit_pmm_SRCS        := kernel/mm/pmm.c kernel/mm/bitmap.c
unit_heap_SRCS       := kernel/mm/heap.c
unit_acpi_SRCS       := kernel/acpi/acpi_tables.c
unit_cmdline_SRCS    := kernel/lib/cmdline.c
unit_multiboot2_SRCS := kernel/boot/multiboot2.c
unit_clock_SRCS      := kernel/lib/clock_math.c
unit_ksyms_SRCS      := kernel/lib/ksyms_lookup.c
unit_handle_table_SRCS := kernel/cap/handle_table.c
unit_cap_SRCS        := kernel/cap/cap.c
unit_quota_SRCS      := kernel/quota/quota.c
unit_elf64_SRCS      := kernel/lib/elf64.c
unit_libc_string_SRCS := $(LIBC_HOST)
unit_libc_ctype_SRCS  := $(LIBC_HOST)
unit_libc_printf_SRCS := $(LIBC_HOST)
unit_libc_float_SRCS  := $(LIBC_HOST)
unit_libc_strtol_SRCS := $(LIBC_HOST)
unit_libc_qsort_SRCS  := $(LIBC_HOST)
unit_libc_getopt_SRCS := $(LIBC_HOST)
unit_libc_stdio_SRCS  := $(LIBC_HOST)
unit_libc_heap_SRCS   := user/libc/stdlib/heap.c
