/*
 * Slots are handed out by a bump counter under a lock and recycled through a
 * free list. Frames need not be contiguous.
 */
#include "mm/kstack.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "arch/x86_64/paging.h"
#include "lib/spinlock.h"

#define PAGE 4096ull

static spinlock_t kstack_lock = SPINLOCK_INIT;
static uint64_t next_slot;
/* Freed stacks keep their frames and mappings and are reused as they are:
 * unmapping would need a TLB shootdown of every CPU the old thread ran on.
 * The free list is threaded through the stacks' lowest mapped word. */
static uint64_t free_top;

uint64_t kstack_alloc(void)
{
    uint64_t f = spin_lock_irqsave(&kstack_lock);
    uint64_t top = free_top, slot;

    if (top) {
        free_top = *(uint64_t *)(top - KSTACK_PAGES * PAGE);
        spin_unlock_irqrestore(&kstack_lock, f);
        return top;
    }
    slot = next_slot++;
    spin_unlock_irqrestore(&kstack_lock, f);
    uint64_t base = KSTACK_REGION + slot * KSTACK_SLOT;
    top = base + PAGE + KSTACK_PAGES * PAGE;

    if (top > KSTACK_REGION_END)
        return 0;
    /* Page 0 of the slot is the guard: left unmapped on purpose. */
    for (uint64_t va = base + PAGE; va < top; va += PAGE) {
        uint64_t phys;
        if (frame_alloc_zeroed(&phys) || paging_map(va, phys, PTE_W | PTE_NX | PTE_G))
            return 0;
    }
    return top;
}

void kstack_free(uint64_t top)
{
    uint64_t f = spin_lock_irqsave(&kstack_lock);

    *(uint64_t *)(top - KSTACK_PAGES * PAGE) = free_top;
    free_top = top;
    spin_unlock_irqrestore(&kstack_lock, f);
}

bool kstack_is_guard(uint64_t va)
{
    if (va < KSTACK_REGION || va >= KSTACK_REGION_END)
        return false;
    return ((va - KSTACK_REGION) % KSTACK_SLOT) < PAGE;
}

bool kstack_bounds(uint64_t va, uint64_t *lo, uint64_t *hi)
{
    if (va < KSTACK_REGION || va >= KSTACK_REGION_END)
        return false;
    uint64_t base = va - (va - KSTACK_REGION) % KSTACK_SLOT;
    *lo = base + PAGE;
    *hi = base + PAGE + KSTACK_PAGES * PAGE;
    return true;
}
