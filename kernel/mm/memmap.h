/*
 * Turns the firmware memory map (as multiboot2 hands it over) into the list
 * of physical page ranges the frame allocator may use. Pure.
 *
 * Rules: only MEM_USABLE entries count; each is shrunk inward to 4 KiB
 * boundaries; any part that overlaps a non-usable entry (firmware maps can
 * overlap) or any caller exclusion (kernel image, boot info, modules, low
 * memory) is cut out. The result is sorted, non-overlapping, merged where
 * adjacent, and contains no empty range.
 */
#ifndef KERNEL_MM_MEMMAP_H
#define KERNEL_MM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ULL

enum mem_type {            /* values of the multiboot2 mmap entry type */
    MEM_USABLE = 1,
    MEM_RESERVED = 2,
    MEM_ACPI_RECLAIMABLE = 3,
    MEM_ACPI_NVS = 4,
    MEM_BAD = 5,
};

struct mem_range {         /* one firmware map entry, unaligned */
    uint64_t base;
    uint64_t len;
    uint32_t type;
};

struct phys_range {        /* [start, end), both 4 KiB aligned in results */
    uint64_t start;
    uint64_t end;
};

/* Writes the usable ranges to out (at most max_out). Returns how many, or
 * AE_ERR_TRUNCATED if more than max_out were needed (out then holds the
 * first max_out, still valid), or AE_ERR_INVAL for a NULL argument with a
 * non-zero count. Entries with len 0 or base+len overflowing are clipped to
 * 2^64 or skipped, never trusted. */
int memmap_usable(const struct mem_range *map, size_t n,
                  const struct phys_range *exclude, size_t nexclude,
                  struct phys_range *out, size_t max_out);

/* Sum of (end - start) over ranges. */
uint64_t memmap_total(const struct phys_range *r, size_t n);

/* Readable name of a type ("usable", "reserved", "ACPI reclaimable",
 * "ACPI NVS", "bad", "unknown"). */
const char *memmap_type_name(uint32_t type);

#endif
