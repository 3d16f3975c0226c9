/*
 * Scratch mappings: a moment's window, in the calling process, onto a
 * memory object it is filling for another process (ae_spawn's data
 * snapshot, ae_elf_load's segments).
 *
 * Reserved: [AE_SCRATCH_VA, +64 GiB) of every process that uses spawn.h or
 * elf_load.h; nothing else may be mapped there. It is cut into 64 slots of
 * 1 GiB, taken in turn, so several threads may fill objects at once.
 */
#ifndef USER_LIB_SCRATCH_H
#define USER_LIB_SCRATCH_H

#include "aether.h"

#define AE_SCRATCH_VA 0x00005f0000000000ull
#define AE_SCRATCH_SLOTS 64u
#define AE_SCRATCH_SLOT_SIZE (1ull << 30)

/* Maps [offset, offset + len) of vmo (page-aligned, len <= 1 GiB) read-write
 * into the caller at a free slot. Returns its address, or a negative
 * AE_ERR_*: RANGE (len above a slot), BUSY (every slot in use), or
 * vmo_map's error. */
int64_t ae_scratch_map(ae_handle_t vmo, uint64_t offset, uint64_t len);

/* Removes a mapping ae_scratch_map made (va and len as it was given). */
void ae_scratch_unmap(uint64_t va, uint64_t len);

#endif
