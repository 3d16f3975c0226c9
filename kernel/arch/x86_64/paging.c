/*
 * Page table construction. Intermediate tables come from the frame allocator
 * and are reached through the direct map (during paging_init, the boot
 * tables' 0-4 GiB direct map, which is why frames are then taken below
 * 4 GiB). paging_lock guards every change to the kernel tables.
 */
#include "arch/x86_64/paging.h"
#include "arch/x86_64/cpu.h"
#include "boot/multiboot2.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

#define PAGE 4096ull
#define HUGE (2ull << 20)
#define IDX(va, level) (((va) >> (12 + 9 * (level))) & 511)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __ksyms_start[], __ksyms_end[];

static uint64_t *kernel_pml4;
static uint64_t kernel_pml4_phys;
static uint64_t nx_mask;
static spinlock_t paging_lock = SPINLOCK_INIT;
static uint64_t mmio_next = MMIO_REGION;

static uint64_t *table_virt(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* Returns the table below entry *e (not a large page), allocating it if
 * absent; NULL when out of memory. */
static uint64_t *next_table(uint64_t *e)
{
    uint64_t phys;

    if (*e & PTE_P)
        return table_virt(*e);
    if (frame_alloc_zeroed(&phys))
        return NULL;
    *e = phys | PTE_P | PTE_W;
    return phys_to_virt(phys);
}

/* Leaf slot for va at level 0 (4 KiB) or 1 (2 MiB). NULL with *err set to
 * AE_ERR_EXISTS when a larger page already covers va, or AE_ERR_NOMEM. */
static uint64_t *walk_create(uint64_t va, int leaf_level, int *err)
{
    uint64_t *t = kernel_pml4;
    for (int level = 3; level > leaf_level; level--) {
        uint64_t *e = &t[IDX(va, level)];
        if ((*e & PTE_P) && (*e & PTE_PS)) {
            *err = AE_ERR_EXISTS;
            return NULL;
        }
        t = next_table(e);
        if (!t) {
            *err = AE_ERR_NOMEM;
            return NULL;
        }
    }
    return &t[IDX(va, leaf_level)];
}

static int check_flags(uint64_t va, uint64_t pa, uint64_t flags, uint64_t align)
{
    if ((va | pa) & (align - 1))
        return AE_ERR_INVAL;
    if ((flags & PTE_W) && !(flags & PTE_NX))
        return AE_ERR_INVAL;    /* W^X: writable pages are never executable */
    return AE_OK;
}

static int map_locked(uint64_t va, uint64_t pa, uint64_t flags, int level)
{
    uint64_t *slot;
    int err = check_flags(va, pa, flags, level ? HUGE : PAGE);

    if (err)
        return err;
    slot = walk_create(va, level, &err);
    if (!slot)
        return err;
    if (*slot & PTE_P)
        return AE_ERR_EXISTS;
    *slot = pa | ((flags | PTE_P | (level ? PTE_PS : 0)) & ~(PTE_NX & ~nx_mask));
    return AE_OK;
}

int paging_map(uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t f = spin_lock_irqsave(&paging_lock);
    int err = map_locked(va, pa, flags, 0);
    spin_unlock_irqrestore(&paging_lock, f);
    if (err == AE_OK)
        invlpg(va);
    return err;
}

static uint64_t *walk_leaf(uint64_t va, int *level_out)
{
    uint64_t *t = kernel_pml4;
    for (int level = 3; level >= 0; level--) {
        uint64_t *e = &t[IDX(va, level)];
        if (!(*e & PTE_P))
            return NULL;
        if (level == 0 || (*e & PTE_PS)) {
            *level_out = level;
            return e;
        }
        t = table_virt(*e);
    }
    return NULL;
}

int paging_unmap(uint64_t va)
{
    int level;
    uint64_t f = spin_lock_irqsave(&paging_lock);
    uint64_t *e = walk_leaf(va, &level);
    int err = (!e || level != 0) ? AE_ERR_NOTFOUND : AE_OK;

    if (!err)
        *e = 0;
    spin_unlock_irqrestore(&paging_lock, f);
    if (!err)
        invlpg(va);
    return err;
}

bool paging_translate(uint64_t va, uint64_t *pa, uint64_t *flags)
{
    int level;
    uint64_t *e;

    if (!kernel_pml4)
        return false;
    e = walk_leaf(va, &level);
    if (!e)
        return false;
    uint64_t page_mask = (PAGE << (9 * level)) - 1;
    if (pa)
        *pa = (*e & PTE_ADDR_MASK & ~page_mask) | (va & page_mask);
    if (flags)
        *flags = *e & ~PTE_ADDR_MASK;
    return true;
}

void *paging_map_mmio(uint64_t phys, size_t len)
{
    uint64_t base = phys & ~(PAGE - 1);
    uint64_t end = (phys + len + PAGE - 1) & ~(PAGE - 1);
    uint64_t f = spin_lock_irqsave(&paging_lock);
    uint64_t va = mmio_next;

    if (va + (end - base) > MMIO_REGION_END) {
        spin_unlock_irqrestore(&paging_lock, f);
        return NULL;
    }
    mmio_next += end - base;
    for (uint64_t p = base; p < end; p += PAGE) {
        if (map_locked(va + (p - base), p,
                       PTE_W | PTE_NX | PTE_PCD | PTE_PWT | PTE_G, 0)) {
            spin_unlock_irqrestore(&paging_lock, f);
            return NULL;
        }
    }
    spin_unlock_irqrestore(&paging_lock, f);
    return (void *)(va + (phys - base));
}

static bool covered_by_large_page(uint64_t va)
{
    int level;
    return walk_leaf(va, &level) && level >= 1;
}

/* Direct map of [start, end): 2 MiB pages where aligned, 4 KiB elsewhere.
 * Ranges may overlap earlier ones; pages already mapped are kept (the
 * direct map is linear, so they already point at the right frame), and a
 * 2 MiB slot already split into 4 KiB pages is filled page by page. */
static void direct_map_range(uint64_t start, uint64_t end)
{
    const uint64_t fl = PTE_W | PTE_NX | PTE_G;

    start &= ~(PAGE - 1);
    end = (end + PAGE - 1) & ~(PAGE - 1);
    for (uint64_t p = start; p < end;) {
        int err;
        if (!(p & (HUGE - 1)) && end - p >= HUGE) {
            err = map_locked(DIRECT_MAP_BASE + p, p, fl, 1);
            if (err == AE_OK ||
                (err == AE_ERR_EXISTS && covered_by_large_page(DIRECT_MAP_BASE + p))) {
                p += HUGE;
                continue;
            }
            if (err == AE_ERR_NOMEM)
                panic("paging: out of memory building the direct map");
        }
        err = map_locked(DIRECT_MAP_BASE + p, p, fl, 0);
        if (err == AE_ERR_NOMEM)
            panic("paging: out of memory building the direct map");
        p += PAGE;
    }
}

static void map_image(const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE) {
        if (map_locked(va, kernel_image_phys((void *)va), flags | PTE_G, 0))
            panic("paging: cannot map kernel image at %p", (void *)va);
    }
}

void paging_init(const struct boot_info *bi)
{
    uint32_t a, b, c, d;

    cpuid(0x80000001, 0, &a, &b, &c, &d);
    nx_mask = (d & (1u << 20)) ? PTE_NX : 0;
    if (frame_alloc_zeroed(&kernel_pml4_phys))
        panic("paging: no memory for the kernel PML4");
    kernel_pml4 = phys_to_virt(kernel_pml4_phys);

    map_image(__text_start, __text_end, 0);                 /* RX */
    map_image(__rodata_start, __rodata_end, PTE_NX);        /* R */
    map_image(__data_start, __data_end, PTE_W | PTE_NX);    /* RW */
    map_image(__ksyms_start, __ksyms_end, PTE_NX);          /* R */

    direct_map_range(0, 0x100000);  /* BIOS data, EBDA, AP trampoline */
    for (size_t i = 0; i < bi->nmmap; i++) {
        uint64_t s = bi->mmap[i].base, l = bi->mmap[i].len;
        if (l && s + l > s)
            direct_map_range(s, s + l);
    }
    /* Pre-create the stack and device windows' top-level entries, so every
     * page table that copies the kernel half (AP trampoline, processes)
     * sees mappings added there later. */
    if (!next_table(&kernel_pml4[IDX(KSTACK_REGION, 3)]) ||
        !next_table(&kernel_pml4[IDX(MMIO_REGION, 3)]))
        panic("paging: no memory for kernel windows");

    write_cr3(kernel_pml4_phys);
    frame_set_early(false);
}

uint64_t paging_kernel_cr3(void)
{
    return kernel_pml4_phys;
}

bool paging_nx_supported(void)
{
    return nx_mask != 0;
}

static void scan_leaf(uint64_t va, uint64_t e, uint64_t *wx, uint64_t *tw)
{
    bool w = e & PTE_W, x = !(e & nx_mask) || !nx_mask;

    if (w && x)
        (*wx)++;
    if (w && va >= (uint64_t)__text_start && va < (uint64_t)__text_end)
        (*tw)++;
}

uint64_t paging_check_wx(uint64_t *text_writable)
{
    uint64_t wx = 0, tw = 0;

    for (int i4 = 256; i4 < 512; i4++) {
        uint64_t e4 = kernel_pml4[i4];
        if (!(e4 & PTE_P))
            continue;
        uint64_t *pdpt = table_virt(e4);
        for (int i3 = 0; i3 < 512; i3++) {
            uint64_t e3 = pdpt[i3];
            if (!(e3 & PTE_P))
                continue;
            uint64_t va3 = 0xffff000000000000ull | ((uint64_t)i4 << 39) | ((uint64_t)i3 << 30);
            if (e3 & PTE_PS) {
                scan_leaf(va3, e3, &wx, &tw);
                continue;
            }
            uint64_t *pd = table_virt(e3);
            for (int i2 = 0; i2 < 512; i2++) {
                uint64_t e2 = pd[i2];
                if (!(e2 & PTE_P))
                    continue;
                uint64_t va2 = va3 | ((uint64_t)i2 << 21);
                if (e2 & PTE_PS) {
                    scan_leaf(va2, e2, &wx, &tw);
                    continue;
                }
                uint64_t *pt = table_virt(e2);
                for (int i1 = 0; i1 < 512; i1++)
                    if (pt[i1] & PTE_P)
                        scan_leaf(va2 | ((uint64_t)i1 << 12), pt[i1], &wx, &tw);
            }
        }
    }
    if (text_writable)
        *text_writable = tw;
    return wx;
}
