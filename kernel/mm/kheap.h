/* The kernel heap instance (mm/heap.c over frames from the direct map). */
#ifndef KERNEL_MM_KHEAP_H
#define KERNEL_MM_KHEAP_H

#include <stddef.h>

struct heap;

void kheap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
struct heap *kheap(void);

#endif
