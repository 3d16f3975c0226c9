/*
 * Multiboot2 boot information: validated and copied into a struct boot_info
 * the rest of the kernel reads, so nothing later depends on where GRUB left
 * the original. Pure: unit-tested on synthetic and captured blobs.
 */
#ifndef KERNEL_BOOT_MULTIBOOT2_H
#define KERNEL_BOOT_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MMAP 128
#define MB2_MAX_MODULES 16
#define MB2_CMDLINE_MAX 256

struct mb2_module {
    uint64_t start;             /* physical, [start, end) */
    uint64_t end;
    char cmdline[64];
};

struct boot_info {
    char cmdline[MB2_CMDLINE_MAX];
    char loader[64];
    uint32_t mbi_size;          /* total_size of the structure */
    size_t nmmap;
    struct mem_range mmap[MB2_MAX_MMAP];
    bool mmap_truncated;        /* more entries than MB2_MAX_MMAP */
    size_t nmodules;
    struct mb2_module modules[MB2_MAX_MODULES];
    uint8_t rsdp[36];           /* copy of the RSDP GRUB found */
    size_t rsdp_len;            /* 0: none; 20: ACPI 1.0; 36: ACPI 2.0+ */
    uint32_t mem_lower_kb;      /* basic meminfo, 0 when absent */
    uint32_t mem_upper_kb;
};

/* Parses the structure at mbi, of which avail bytes are readable.
 * AE_OK; AE_ERR_INVAL (NULL, misaligned, total_size < 16 or > avail);
 * AE_ERR_CORRUPT (a tag running past the end, a tag size < 8, no end tag,
 * a malformed mmap tag). Strings are copied with truncation, always
 * NUL-terminated. Unknown tags are skipped. */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *out);

#endif
