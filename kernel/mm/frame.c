/*
 * Owns the kernel's struct pmm. The bitmap lives in the first usable range
 * below 4 GiB that is large enough, and is then reserved in itself.
 */
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/memmap.h"
#include "mm/pmm.h"
#include "boot/multiboot2.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

#define MAX_RANGES 128
#define LOW_MEMORY_END 0x100000ull

extern char __boot_start[], __kernel_end[];

static struct pmm pmm;
static bool early = true;

static uint64_t highest_usable(const struct phys_range *r, size_t n)
{
    return n ? r[n - 1].end : 0;
}

static size_t build_exclusions(const struct boot_info *bi, uint64_t mbi_phys,
                               struct phys_range *ex)
{
    size_t n = 0;

    ex[n++] = (struct phys_range){0, LOW_MEMORY_END};
    ex[n++] = (struct phys_range){(uint64_t)__boot_start,
                                  kernel_image_phys(__kernel_end)};
    ex[n++] = (struct phys_range){mbi_phys, mbi_phys + bi->mbi_size};
    for (size_t i = 0; i < bi->nmodules; i++)
        ex[n++] = (struct phys_range){bi->modules[i].start, bi->modules[i].end};
    return n;
}

void frame_init(const struct boot_info *bi, uint64_t mbi_phys)
{
    static struct phys_range usable[MAX_RANGES];
    struct phys_range ex[3 + MB2_MAX_MODULES];
    size_t nex = build_exclusions(bi, mbi_phys, ex);
    int n = memmap_usable(bi->mmap, bi->nmmap, ex, nex, usable, MAX_RANGES);
    uint64_t top, need, store = 0;

    if (n == AE_ERR_TRUNCATED) {
        log_warn("mm: more than %d usable ranges; using the first %d",
                 MAX_RANGES, MAX_RANGES);
        n = MAX_RANGES;
    }
    if (n <= 0)
        panic("mm: the memory map has no usable memory (error %d)", n);
    top = highest_usable(usable, (size_t)n);
    need = (pmm_storage_bytes(top) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    for (int i = 0; i < n; i++) {
        if (usable[i].end - usable[i].start >= need &&
            usable[i].start + need <= EARLY_DIRECT_MAP_LIMIT) {
            store = usable[i].start;
            break;
        }
    }
    if (!store)
        panic("mm: no room below 4 GiB for the %lu-byte frame bitmap",
              (unsigned long)need);
    pmm_init(&pmm, phys_to_virt(store), top, usable, (size_t)n);
    pmm_reserve(&pmm, store, store + need);
    log_info("mm: %lu MiB usable in %d ranges, highest address %#lx, bitmap %lu KiB",
             (unsigned long)(pmm_free_count(&pmm) * PAGE_SIZE >> 20), n,
             (unsigned long)top, (unsigned long)(need >> 10));
}

void frame_set_early(bool e)
{
    early = e;
}

int frame_alloc(uint64_t *phys)
{
    if (early)
        return pmm_alloc_contig(&pmm, 1, 0, EARLY_DIRECT_MAP_LIMIT, phys);
    return pmm_alloc_frame(&pmm, phys);
}

int frame_alloc_zeroed(uint64_t *phys)
{
    int err = frame_alloc(phys);
    if (!err)
        memset(phys_to_virt(*phys), 0, PAGE_SIZE);
    return err;
}

int frame_alloc_contig(uint64_t nframes, uint64_t *phys)
{
    return pmm_alloc_contig(&pmm, nframes, 0,
                            early ? EARLY_DIRECT_MAP_LIMIT : 0, phys);
}

int frame_free(uint64_t phys)
{
    return pmm_free_frame(&pmm, phys);
}

int frame_free_contig(uint64_t phys, uint64_t nframes)
{
    return pmm_free_contig(&pmm, phys, nframes);
}

uint64_t frame_free_count(void)
{
    return pmm_free_count(&pmm);
}

uint64_t frame_usable_count(void)
{
    return pmm_usable_count(&pmm);
}

struct pmm *frame_pmm(void)
{
    return &pmm;
}

bool frame_is_ram(uint64_t phys)
{
    return pmm_is_usable(&pmm, phys);
}
