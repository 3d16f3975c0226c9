/*
 * Glue between the pure heap and the frame allocator. A refused kfree is a
 * kernel bug (user space never hands the kernel heap pointers), so it is
 * logged loudly rather than ignored.
 */
#include "mm/kheap.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "log.h"

static struct heap kernel_heap;

static void *pages_alloc(size_t npages, void *ctx)
{
    uint64_t phys;
    if (frame_alloc_contig(npages, &phys))
        return NULL;
    return phys_to_virt(phys);
}

static void pages_free(void *p, size_t npages, void *ctx)
{
    frame_free_contig(virt_to_phys_direct(p), npages);
}

void kheap_init(void)
{
    static const struct heap_page_ops ops = {pages_alloc, pages_free, NULL};
    heap_init(&kernel_heap, &ops);
}

void *kmalloc(size_t size)
{
    return heap_alloc(&kernel_heap, size);
}

void *kzalloc(size_t size)
{
    return heap_zalloc(&kernel_heap, size);
}

void kfree(void *p)
{
    int err = heap_free(&kernel_heap, p);
    if (err)
        log_err("kheap: refused free of %p (error %d): kernel bug", p, err);
}

struct heap *kheap(void)
{
    return &kernel_heap;
}
