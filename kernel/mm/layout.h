/*
 * The kernel's virtual address map. Shared by C and assembly.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (issue 3)
 *   0xffff800000000000 - ...                 direct map of physical memory
 *   0xfffffe0000000000 - 0xfffffe7fffffffff  guarded kernel stacks
 *   0xfffffe8000000000 - 0xfffffeffffffffff  device memory (uncached)
 *   0xffffffff80000000 - ...                 kernel image (phys 1 MiB -> +1 MiB)
 */
#ifndef KERNEL_MM_LAYOUT_H
#define KERNEL_MM_LAYOUT_H

#define KERNEL_VMA        0xffffffff80000000
#define DIRECT_MAP_BASE   0xffff800000000000
#define KSTACK_REGION     0xfffffe0000000000
#define KSTACK_REGION_END 0xfffffe8000000000
#define MMIO_REGION       0xfffffe8000000000
#define MMIO_REGION_END   0xffffff0000000000
#define USER_TOP          0x0000800000000000

#define EARLY_DIRECT_MAP_LIMIT 0x100000000 /* boot tables map 0-4 GiB */

#ifndef __ASSEMBLY__
#include <stdint.h>

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(phys + DIRECT_MAP_BASE);
}

static inline uint64_t virt_to_phys_direct(const void *virt)
{
    return (uint64_t)virt - DIRECT_MAP_BASE;
}

static inline uint64_t kernel_image_phys(const void *virt)
{
    return (uint64_t)virt - KERNEL_VMA;
}
#endif

#endif
