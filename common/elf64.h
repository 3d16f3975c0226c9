/*
 * ELF64 executable validation for loading user programs (x86_64, static,
 * ET_EXEC). Pure: reads only within the given buffer, checks every offset
 * and size before use, and refuses anything the loader could be tricked by.
 * One file for both loaders: the kernel's for init (kernel/proc/
 * init_loader.c) and libaether's for everything else (user/lib/elf_load.c).
 */
#ifndef COMMON_ELF64_H
#define COMMON_ELF64_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_SEG_R 4u            /* p_flags values */
#define ELF_SEG_W 2u
#define ELF_SEG_X 1u

struct elf_segment {
    uint64_t vaddr;             /* p_vaddr */
    uint64_t memsz;
    uint64_t offset;            /* in the file */
    uint64_t filesz;            /* <= memsz; the rest is zero-filled */
    uint32_t flags;             /* ELF_SEG_* */
};

struct elf_image {
    uint64_t entry;
    unsigned nsegments;         /* PT_LOAD segments, in file order */
    struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Validates the ELF in data[0..size) and lists its PT_LOAD segments.
 * Loaded segments must lie within [user_lo, user_hi), not overlap each other
 * (page-rounded), have vaddr % 4096 == offset % 4096, filesz <= memsz,
 * offset + filesz within the file, no W+X, and the entry must lie in an
 * executable segment. AE_OK; AE_ERR_INVAL (not an ELF64 x86_64 LE ET_EXEC of
 * version 1, bad header sizes); AE_ERR_CORRUPT (a table or segment outside
 * the file, overflow, overlap, misalignment, entry outside X); AE_ERR_RANGE
 * (outside the user range); AE_ERR_ACCESS (a W+X segment);
 * AE_ERR_UNSUPPORTED (PT_INTERP or PT_DYNAMIC present, more than
 * ELF_MAX_SEGMENTS loads, or none).
 *
 * Details: data may be unaligned; only the ELF header and program header
 * table are read (section headers, e_ident OS/ABI and p_align are ignored).
 * A NULL data or out, or user_lo >= user_hi, is AE_ERR_INVAL; e_phnum 0 or
 * PN_XNUM (0xffff) is AE_ERR_UNSUPPORTED. A PT_LOAD with memsz 0 is skipped
 * unchecked and not counted; other types than PT_LOAD, PT_INTERP and
 * PT_DYNAMIC are ignored. A segment's whole pages, [vaddr & ~4095,
 * roundup(vaddr + memsz, 4096)), must lie in [user_lo, user_hi) and must be
 * representable (a rounded end of 2^64 is an overflow). The entry must lie in
 * [vaddr, vaddr + memsz) of an X segment. seg[].flags keeps only the
 * ELF_SEG_* bits. When several rules fail the first check decides, in this
 * order: header, table bounds, table types and load count, then each load
 * in file order (layout, W+X, range, overlap with an earlier load), then the
 * entry. *out is written on AE_OK and zeroed on every error. */
int elf_parse(const void *data, size_t size, uint64_t user_lo, uint64_t user_hi,
              struct elf_image *out);

#endif
