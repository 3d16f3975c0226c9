/*
 * ELF64 executable validation for loading user programs (x86_64, static,
 * ET_EXEC). Pure: reads only within the given buffer, checks every offset
 * and size before use, and refuses anything the loader could be tricked by.
 */
#ifndef KERNEL_LIB_ELF64_H
#define KERNEL_LIB_ELF64_H

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
 * ELF_MAX_SEGMENTS loads, or none). */
int elf_parse(const void *data, size_t size, uint64_t user_lo, uint64_t user_hi,
              struct elf_image *out);

#endif
