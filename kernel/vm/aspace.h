/*
 * User address spaces: a PML4 whose kernel half is shared with every other
 * space and whose user half (below USER_TOP) holds 4 KiB user pages. Page
 * table pages are charged to the owner's quota. Mappings are tracked by
 * vm/vmo.c; this module only edits page tables. Kernel lock held.
 */
#ifndef KERNEL_VM_ASPACE_H
#define KERNEL_VM_ASPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"

struct quota;

#define AE_PROT_READ  1u
#define AE_PROT_WRITE 2u
#define AE_PROT_EXEC  4u
#define VM_PROT_UNCACHED 0x100u         /* kernel-internal: device memory */

#define USER_LOWEST 0x10000ull          /* page 0-15 never mapped: NULL traps */

struct aspace {
    uint64_t pml4_phys;
    uint64_t *pml4;
    struct quota *quota;                /* page tables are charged here */
    uint64_t cpu_mask;                  /* CPUs that may hold its TLB entries */
    uint64_t table_pages;               /* page-table pages owned */
    struct list_node mappings;          /* struct vm_mapping, by address */
};

int aspace_init(struct aspace *as, struct quota *q);
/* Frees the user half's page tables and the PML4 (mappings must be gone). */
void aspace_destroy(struct aspace *as);
/* Maps one page. AE_ERR_INVAL (unaligned, outside [USER_LOWEST, USER_TOP),
 * W+X), AE_ERR_EXISTS, AE_ERR_QUOTA (a page table page). */
int aspace_map_page(struct aspace *as, uint64_t va, uint64_t pa, uint32_t prot);
/* Unmaps one page without flushing other CPUs (the caller shoots down);
 * returns the frame, or 0 if nothing was mapped. */
uint64_t aspace_unmap_page(struct aspace *as, uint64_t va);
/* After unmapping [va, va + len): detaches every page-table page in that
 * range that is now empty, chaining them through their first word onto
 * *detached. The caller frees them with aspace_free_tables only after
 * aspace_flush, so no CPU can still walk a freed table. */
void aspace_prune(struct aspace *as, uint64_t va, uint64_t len, uint64_t *detached);
void aspace_free_tables(struct aspace *as, uint64_t detached);
/* Walks the user half: true with the frame and AE_PROT_* of va's page. */
bool aspace_lookup(const struct aspace *as, uint64_t va, uint64_t *pa, uint32_t *prot);
/* Verifies the tables' entry counts and the number of table pages. */
bool aspace_check(const struct aspace *as);
/* Loads this space on the calling CPU (no-op if loaded). */
void aspace_activate(struct aspace *as);
/* After unmapping: flushes the TLB of every CPU that may cache entries. */
void aspace_flush(struct aspace *as);

#endif
