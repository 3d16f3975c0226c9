/*
 * Physical frame allocator: one bit per 4 KiB frame from physical address 0
 * up to the highest usable address (set = not available). Pure logic over a
 * caller-provided bitmap, so it is unit-tested on the host; the kernel owns
 * one instance (kernel/mm/frame.c). Every function takes pmm->lock itself.
 *
 * Invariants: free_frames == number of clear bits; a frame outside every
 * usable range is never handed out; freeing a frame that is not allocated
 * (double free, never usable, out of range) is refused with AE_ERR_INVAL and
 * changes nothing.
 */
#ifndef KERNEL_MM_PMM_H
#define KERNEL_MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"
#include "mm/bitmap.h"
#include "mm/memmap.h"

struct pmm {
    spinlock_t lock;
    struct bitmap used;       /* guarded by lock */
    struct bitmap usable;     /* frames that were usable at init; read-only */
    uint64_t nframes;         /* frames covered, [0, nframes) */
    uint64_t usable_frames;   /* frames usable at init */
    uint64_t free_frames;     /* guarded by lock */
    uint64_t hint;            /* next-fit search start; guarded by lock */
};

/* Bytes of bitmap storage pmm_init needs for memory up to max_phys: two
 * bitmaps (used + usable), each rounded up to whole 64-bit words. */
size_t pmm_storage_bytes(uint64_t max_phys);

/* storage must be 8-byte aligned and pmm_storage_bytes(max_phys) long.
 * Frames in the usable ranges (clipped to max_phys) start free. */
void pmm_init(struct pmm *p, void *storage, uint64_t max_phys,
              const struct phys_range *usable, size_t n);

/* Marks [start, end) (rounded outward to frames) allocated, e.g. the
 * bitmap's own storage. Frames already allocated stay so; counts stay exact. */
void pmm_reserve(struct pmm *p, uint64_t start, uint64_t end);

/* One frame; AE_OK and *phys set, or AE_ERR_NOMEM. */
int pmm_alloc_frame(struct pmm *p, uint64_t *phys);
/* nframes contiguous frames, first one aligned to align bytes (a power of two
 * >= 4096, or 0 for 4096), all below max_phys (0 = no limit). */
int pmm_alloc_contig(struct pmm *p, size_t nframes, uint64_t align,
                     uint64_t max_phys, uint64_t *phys);
int pmm_free_frame(struct pmm *p, uint64_t phys);
/* Frees all of [phys, phys + nframes*4096) or nothing (AE_ERR_INVAL). */
int pmm_free_contig(struct pmm *p, uint64_t phys, size_t nframes);

uint64_t pmm_free_count(struct pmm *p);
/* True when phys lies in a frame that was usable RAM at init. */
bool pmm_is_usable(const struct pmm *p, uint64_t phys);
uint64_t pmm_usable_count(const struct pmm *p);
/* Recounts the bitmap and compares with free_frames: AE_OK or AE_ERR_CORRUPT. */
int pmm_check(struct pmm *p);

#endif
