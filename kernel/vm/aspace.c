/*
 * User page tables. The kernel half of every PML4 is a copy of the kernel's
 * entries 256-511; those entries never change after boot (paging.c creates
 * them all up front), so the copies never go stale.
 *
 * Every entry that points to a table also counts the present entries of
 * that table, in its bits 52-61 (ignored by the MMU in non-leaf entries),
 * so finding an empty table after an unmap costs nothing instead of a
 * 512-entry scan per level.
 */
#include "vm/aspace.h"
#include "vm/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "mm/layout.h"
#include "mm/uframe.h"
#include "lib/string.h"
#include "proc/process.h"
#include "sched/thread.h"
#include "aether/errors.h"

#define IDX(va, level) (((va) >> (12 + 9 * (level))) & 511)
#define COUNT_SHIFT 52
#define COUNT_MASK (0x3ffull << COUNT_SHIFT)

_Static_assert((COUNT_MASK & (PTE_ADDR_MASK | PTE_NX)) == 0, "count bits are free");

static unsigned table_count(uint64_t e)
{
    return (unsigned)((e & COUNT_MASK) >> COUNT_SHIFT);
}

/* e points to a table; one entry of that table became present (+1) or
 * not present (-1). A NULL e is the PML4, which nothing counts. */
static void count_add(uint64_t *e, int delta)
{
    if (e)
        *e = (*e & ~COUNT_MASK) | ((uint64_t)(table_count(*e) + delta) << COUNT_SHIFT);
}

int aspace_init(struct aspace *as, struct quota *q)
{
    int err;

    memset(as, 0, sizeof(*as));
    as->quota = q;
    list_init(&as->mappings);
    err = uframe_alloc(q, &as->pml4_phys);
    if (err)
        return err;
    as->pml4 = phys_to_virt(as->pml4_phys);
    memcpy(as->pml4 + 256, (uint64_t *)phys_to_virt(paging_kernel_cr3()) + 256,
           256 * sizeof(uint64_t));
    as->table_pages = 1;
    return AE_OK;
}

static void free_tables(struct aspace *as, uint64_t *t, int level)
{
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & PTE_P))
            continue;
        if (level > 1)
            free_tables(as, phys_to_virt(t[i] & PTE_ADDR_MASK), level - 1);
        uframe_free(as->quota, t[i] & PTE_ADDR_MASK);
        as->table_pages--;
    }
}

void aspace_destroy(struct aspace *as)
{
    /* Only the user half: levels 3 (PDPT) .. 1 (PT) below entries 0-255.
     * The depth is fixed at 4, so the recursion is bounded. */
    for (int i = 0; i < 256; i++) {
        if (!(as->pml4[i] & PTE_P))
            continue;
        free_tables(as, phys_to_virt(as->pml4[i] & PTE_ADDR_MASK), 2);
        uframe_free(as->quota, as->pml4[i] & PTE_ADDR_MASK);
        as->table_pages--;
    }
    uframe_free(as->quota, as->pml4_phys);
    as->table_pages--;
    as->pml4 = NULL;
}

static bool user_range_ok(uint64_t va)
{
    return !(va & 0xfff) && va >= USER_LOWEST && va < USER_TOP;
}

int aspace_map_page(struct aspace *as, uint64_t va, uint64_t pa, uint32_t prot)
{
    uint64_t *t = as->pml4, *parent = NULL, pte;

    if (!user_range_ok(va) || (pa & 0xfff) ||
        ((prot & AE_PROT_WRITE) && (prot & AE_PROT_EXEC)) || !(prot & 7))
        return AE_ERR_INVAL;
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &t[IDX(va, level)];
        if (!(*e & PTE_P)) {
            uint64_t phys;
            int err = uframe_alloc(as->quota, &phys);
            if (err)
                return err;
            as->table_pages++;
            *e = phys | PTE_P | PTE_W | PTE_U;
            count_add(parent, 1);
        }
        parent = e;
        t = phys_to_virt(*e & PTE_ADDR_MASK);
    }
    if (t[IDX(va, 0)] & PTE_P)
        return AE_ERR_EXISTS;
    pte = pa | PTE_P | PTE_U;
    if (prot & AE_PROT_WRITE)
        pte |= PTE_W;
    if (!(prot & AE_PROT_EXEC) && paging_nx_supported())
        pte |= PTE_NX;
    if (prot & VM_PROT_UNCACHED)
        pte |= PTE_PCD | PTE_PWT;
    t[IDX(va, 0)] = pte;
    count_add(parent, 1);
    return AE_OK;
}

/* va's page-table entry, and in *pde the entry pointing to its table. */
static uint64_t *leaf(const struct aspace *as, uint64_t va, uint64_t **pde)
{
    uint64_t *t = as->pml4, *e = NULL;

    if (va >= USER_TOP)
        return NULL;
    for (int level = 3; level > 0; level--) {
        e = &t[IDX(va, level)];
        if (!(*e & PTE_P))
            return NULL;
        t = phys_to_virt(*e & PTE_ADDR_MASK);
    }
    if (pde)
        *pde = e;
    return &t[IDX(va, 0)];
}

uint64_t aspace_unmap_page(struct aspace *as, uint64_t va)
{
    uint64_t *pde, *e = leaf(as, va, &pde), pa;

    if (!e || !(*e & PTE_P))
        return 0;
    pa = *e & PTE_ADDR_MASK;
    *e = 0;
    count_add(pde, -1);
    return pa;
}

bool aspace_lookup(const struct aspace *as, uint64_t va, uint64_t *pa, uint32_t *prot)
{
    uint64_t *e = leaf(as, va & ~0xfffull, NULL);

    if (!e || !(*e & PTE_P))
        return false;
    if (pa)
        *pa = (*e & PTE_ADDR_MASK) | (va & 0xfff);
    if (prot)
        *prot = AE_PROT_READ | (*e & PTE_W ? AE_PROT_WRITE : 0) |
                (*e & PTE_NX ? 0 : AE_PROT_EXEC);
    return true;
}

void aspace_activate(struct aspace *as)
{
    struct cpu *c = this_cpu();

    as->cpu_mask |= 1ull << c->id;
    if (read_cr3() != as->pml4_phys)
        write_cr3(as->pml4_phys);
}

void aspace_flush(struct aspace *as)
{
    uint64_t mask = as->cpu_mask;
    struct cpu *c = this_cpu();

    /* CPUs not running this space now drop it from the mask after the
     * flush: they reload CR3 when they next switch to it anyway. */
    tlb_shootdown(mask);
    as->cpu_mask = (read_cr3() == as->pml4_phys) ? (1ull << c->id) : 0;
    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *o = cpu_get(i);
        if (o != c && o->current && o->current->proc &&
            &o->current->proc->as == as)
            as->cpu_mask |= 1ull << i;
    }
}

/* Detaches the table under entry *e if it is empty, onto the detached
 * chain; parent is the entry pointing to e's own table (NULL: the PML4). */
static void detach_if_empty(uint64_t *e, uint64_t *parent, uint64_t *detached)
{
    uint64_t phys;

    if (!(*e & PTE_P) || table_count(*e))
        return;
    phys = *e & PTE_ADDR_MASK;
    *e = 0;
    count_add(parent, -1);
    *(uint64_t *)phys_to_virt(phys) = *detached;   /* the chain lives in the dead table */
    *detached = phys;
}

void aspace_prune(struct aspace *as, uint64_t va, uint64_t len, uint64_t *detached)
{
    uint64_t end = va + len;

    /* Bottom up: PTs per 2 MiB, PDs per 1 GiB, PDPTs per 512 GiB. */
    for (int level = 1; level <= 3; level++) {
        uint64_t span = 1ull << (12 + 9 * level);
        for (uint64_t a = va & ~(span - 1); a < end; a += span) {
            uint64_t *t = as->pml4, *parent = NULL;
            for (int l = 3; l > level; l--) {
                uint64_t *e = &t[IDX(a, l)];
                if (!(*e & PTE_P)) {
                    t = NULL;
                    break;
                }
                parent = e;
                t = phys_to_virt(*e & PTE_ADDR_MASK);
            }
            if (t)
                detach_if_empty(&t[IDX(a, level)], parent, detached);
            if (a + span < a)
                break;
        }
    }
}

void aspace_free_tables(struct aspace *as, uint64_t detached)
{
    while (detached) {
        uint64_t next = *(uint64_t *)phys_to_virt(detached);
        *(uint64_t *)phys_to_virt(detached) = 0;
        uframe_free(as->quota, detached);
        as->table_pages--;
        detached = next;
    }
}

/* The table under entry e (at level `level`: 3 = PDPT .. 1 = PT) holds as
 * many present entries as e counts, and so do the tables below it; adds
 * the tables seen to *tables. The depth is fixed, so recursion is bounded. */
static bool counts_ok(uint64_t e, int level, uint64_t *tables)
{
    const uint64_t *t = phys_to_virt(e & PTE_ADDR_MASK);
    unsigned present = 0;

    ++*tables;
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & PTE_P))
            continue;
        present++;
        if (level > 1 && !counts_ok(t[i], level - 1, tables))
            return false;
    }
    return present == table_count(e);
}

bool aspace_check(const struct aspace *as)
{
    uint64_t tables = 1;            /* the PML4 */

    for (int i = 0; i < 256; i++)
        if ((as->pml4[i] & PTE_P) && !counts_ok(as->pml4[i], 3, &tables))
            return false;
    return tables == as->table_pages;
}
