/*
 * The kernel's physical frame allocator: the one struct pmm instance, set up
 * from the boot memory map. All frames are reached through the direct map.
 */
#ifndef KERNEL_MM_FRAME_H
#define KERNEL_MM_FRAME_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;
struct pmm;

/* Usable memory = the map's usable ranges minus low memory (< 1 MiB), the
 * kernel image, the boot information, boot modules and the allocator's own
 * bitmap. Panics if nothing is usable (boot-time impossibility). */
void frame_init(const struct boot_info *bi, uint64_t mbi_phys);
/* While early, frames come from below 4 GiB (the boot direct map's reach). */
void frame_set_early(bool early);
int frame_alloc(uint64_t *phys);
int frame_alloc_zeroed(uint64_t *phys);
int frame_alloc_contig(uint64_t nframes, uint64_t *phys);
int frame_free(uint64_t phys);
int frame_free_contig(uint64_t phys, uint64_t nframes);
uint64_t frame_free_count(void);
/* True when phys is in RAM the allocator manages. */
bool frame_is_ram(uint64_t phys);
uint64_t frame_usable_count(void);
struct pmm *frame_pmm(void);

#endif
