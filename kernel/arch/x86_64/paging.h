/*
 * Kernel page tables: 4-level paging with NX. The kernel image is mapped with
 * per-section rights (text RX, rodata R, data RW+NX: W^X), all physical
 * memory in the direct map (RW+NX), device memory uncached in its own window.
 * Nothing is ever mapped writable and executable; paging_check_wx proves it.
 */
#ifndef KERNEL_ARCH_X86_64_PAGING_H
#define KERNEL_ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct boot_info;

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Builds the kernel's tables and switches to them; the boot identity map is
 * gone afterwards. Panics if memory runs out (boot-time impossibility). */
void paging_init(const struct boot_info *bi);
/* Maps one 4 KiB page in the kernel half. flags from PTE_* (P implied; NX
 * dropped on CPUs without it). AE_OK, AE_ERR_EXISTS (already mapped),
 * AE_ERR_NOMEM, AE_ERR_INVAL (W and X together, or unaligned). */
int paging_map(uint64_t va, uint64_t pa, uint64_t flags);
int paging_unmap(uint64_t va);
/* Walks the current kernel tables: true and *pa / *flags (of the leaf,
 * NX included) when va is mapped, whatever the page size. */
bool paging_translate(uint64_t va, uint64_t *pa, uint64_t *flags);
/* Maps [phys, phys+len) uncached in the device window; NULL if out of space
 * or memory. The result keeps phys's offset within its page. */
void *paging_map_mmio(uint64_t phys, size_t len);
uint64_t paging_kernel_cr3(void);
bool paging_nx_supported(void);
/* Scans every kernel-half leaf: returns the number of pages that are both
 * writable and executable (must be 0), and via *text_writable the number
 * of kernel text pages that are writable (must be 0). */
uint64_t paging_check_wx(uint64_t *text_writable);

#endif
