/*
 * Kernel heap for small objects: size-class slabs of one page each (16, 32,
 * 64, 128, 256, 512, 1024, 2048 bytes) and whole pages for anything larger.
 * Pure logic over a page provider, so it is unit-tested on the host with
 * malloc'd pages and in the kernel with frames from the direct map.
 *
 * Every slab page starts with a header (magic, class, a bit per object), so
 * heap_free detects foreign pointers, misaligned pointers and double frees and
 * refuses them with an error instead of corrupting the heap. All returned
 * memory is 16-byte aligned. heap->lock guards everything.
 */
#ifndef KERNEL_MM_HEAP_H
#define KERNEL_MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"

#define HEAP_PAGE_SIZE 4096u
#define HEAP_NCLASSES 8
#define HEAP_MAX_SMALL 2048u

struct heap_page_ops {
    /* npages contiguous, 4096-aligned pages, or NULL. Both hooks are called
     * with heap->lock held, so they must not call back into the heap. */
    void *(*alloc_pages)(size_t npages, void *ctx);
    void (*free_pages)(void *pages, size_t npages, void *ctx);
    void *ctx;
};

struct heap_stats {
    size_t bytes_requested;   /* sum of sizes currently allocated */
    size_t pages_held;        /* pages taken from the provider, not returned */
    size_t allocs;            /* successful heap_alloc calls, ever */
    size_t frees;             /* successful heap_free calls, ever */
    size_t bad_frees;         /* refused heap_free calls, ever */
};

struct heap_slab;             /* private to heap.c */

struct heap {
    spinlock_t lock;
    struct heap_page_ops ops;
    struct heap_slab *partial[HEAP_NCLASSES]; /* slabs with a free object */
    struct heap_slab *full[HEAP_NCLASSES];    /* slabs with none */
    struct heap_stats stats;
};

void heap_init(struct heap *h, const struct heap_page_ops *ops);
/* NULL when size is 0 or memory runs out. A slab that becomes empty is
 * returned to the provider (one empty slab per class may be kept). */
void *heap_alloc(struct heap *h, size_t size);
void *heap_zalloc(struct heap *h, size_t size);
/* AE_OK, or AE_ERR_INVAL for a pointer heap_alloc did not return or that was
 * already freed. heap_free(h, NULL) is AE_OK and does nothing. The check
 * reads the header at (p & ~4095), so p must point into memory the caller
 * can read (any kernel pointer in the direct map qualifies). */
int heap_free(struct heap *h, void *p);
/* Usable bytes behind p (>= the size asked), 0 for a bad pointer. */
size_t heap_usable_size(struct heap *h, void *p);
void heap_get_stats(struct heap *h, struct heap_stats *out);
/* Walks every slab and checks headers and counts: AE_OK or AE_ERR_CORRUPT. */
int heap_check(struct heap *h);

#endif
