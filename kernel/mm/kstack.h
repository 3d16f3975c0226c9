/*
 * Kernel stacks with a guard page: each stack sits in its own 64 KiB slot of
 * the stack window, and the slot's lowest page is never mapped, so running
 * off the bottom faults (the double-fault handler, on its own IST stack,
 * reports it) instead of silently corrupting a neighbour.
 */
#ifndef KERNEL_MM_KSTACK_H
#define KERNEL_MM_KSTACK_H

#include <stdbool.h>
#include <stdint.h>

#include "aether/types.h"

#define KSTACK_SLOT (64 * 1024ull)
#define KSTACK_PAGES 4           /* 16 KiB usable per stack */
_Static_assert(KSTACK_PAGES == AE_THREAD_KSTACK_PAGES, "threads are charged for their stack");

/* Returns the stack's top (16-byte aligned) or 0 when out of memory/slots. */
uint64_t kstack_alloc(void);
/* Returns a stack for reuse by a later kstack_alloc (its frames stay). */
void kstack_free(uint64_t top);
/* True when va lies in a guard page of the stack window. */
bool kstack_is_guard(uint64_t va);
/* Bounds [*lo, *hi) of the stack slot containing va; false if none. */
bool kstack_bounds(uint64_t va, uint64_t *lo, uint64_t *hi);

#endif
