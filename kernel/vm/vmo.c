/*
 * VMO pages and mappings. Unmapping flushes the TLBs of every CPU that may
 * cache the space before the pages can be reused or handed to another
 * process (aspace_flush), which is what makes MOVE safe.
 */
#include "vm/vmo.h"
#include "vm/aspace.h"
#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/uframe.h"
#include "proc/process.h"
#include "cap/cap.h"
#include "mm/frame.h"
#include "acpi/acpi.h"
#include "lib/string.h"
#include "trace/trace_points.h"
#include "aether/errors.h"
#include "panic.h"

#define PAGE 4096ull
#define MAX_MAPPINGS 65536u     /* per process: bounds kernel memory */

/* The LAPIC and I/O APIC pages belong to the kernel: no device VMO over
 * them, or a driver could reprogram interrupts under the kernel. */
static bool kernel_owns_mmio(uint64_t phys)
{
    const struct madt_info *m = acpi_madt();

    if ((phys & ~(PAGE - 1)) == (m->lapic_phys & ~(PAGE - 1)))
        return true;
    for (unsigned i = 0; i < m->nioapics; i++)
        if ((phys & ~(PAGE - 1)) == ((uint64_t)m->ioapics[i].phys & ~(PAGE - 1)))
            return true;
    return false;
}

void vm_init_process(struct process *p)
{
    list_init(&p->mappings);
}

/* The object and its page array: bytes charged to payer, returned when the
 * object goes (kobj_unref) or by vmo_free_unused. */
static uint64_t vmo_bytes(uint64_t npages)
{
    return sizeof(struct vmo) + npages * sizeof(uint64_t);
}

static int vmo_alloc(struct quota *payer, uint64_t npages, struct vmo **out)
{
    struct vmo *v;
    int err = kcharge(payer, vmo_bytes(npages));

    if (err)
        return err;
    v = kzalloc(sizeof(*v));
    if (v)
        v->pages = kzalloc(npages * sizeof(uint64_t));
    if (!v || !v->pages) {
        kfree(v);
        kuncharge(payer, vmo_bytes(npages));
        return AE_ERR_NOMEM;
    }
    kobj_init(&v->obj, AE_OBJ_VMO);
    kobj_set_payer(&v->obj, payer, vmo_bytes(npages));
    list_init(&v->mappings);
    *out = v;
    return AE_OK;
}

/* A VMO that never held pages or handles. */
static void vmo_free_unused(struct vmo *v)
{
    kuncharge(v->obj.payer, v->obj.paid);
    kfree(v->pages);
    kfree(v);
}

static int vmo_create_contig(struct process *p, uint64_t npages, struct vmo **out)
{
    struct vmo *v;
    uint64_t phys;
    int err = vmo_alloc(&p->acct->q, npages, &v);

    if (err)
        return err;
    err = uframe_alloc_contig(&p->acct->q, npages, &phys);
    if (err) {
        vmo_free_unused(v);
        return err;
    }
    v->charged = &p->acct->q;
    v->flags = AE_VMO_CONTIGUOUS;
    v->npages = npages;
    for (uint64_t i = 0; i < npages; i++)
        v->pages[i] = phys + i * PAGE;
    *out = v;
    return AE_OK;
}

int vmo_create_device(struct process *p, uint64_t phys, uint64_t size, struct vmo **out)
{
    uint64_t npages = size / PAGE;
    struct vmo *v;
    int err;

    if (!size || (phys | size) & (PAGE - 1) || npages > VMO_MAX_PAGES ||
        phys + size < phys)
        return AE_ERR_INVAL;
    for (uint64_t i = 0; i < npages; i++)
        if (frame_is_ram(phys + i * PAGE) || kernel_owns_mmio(phys + i * PAGE))
            return AE_ERR_ACCESS;
    err = vmo_alloc(&p->acct->q, npages, &v);
    if (err)
        return err;
    v->flags = AE_VMO_DEVICE;
    v->npages = npages;
    for (uint64_t i = 0; i < npages; i++)
        v->pages[i] = phys + i * PAGE;
    *out = v;
    return AE_OK;
}

int vmo_create_kernel(const uint64_t *pages, uint64_t npages, struct vmo **out)
{
    struct vmo *v;
    int err;

    if (!npages || npages > VMO_MAX_PAGES)
        return AE_ERR_INVAL;
    err = vmo_alloc(NULL, npages, &v);
    if (err)
        return err;
    v->npages = npages;             /* charged stays NULL: nobody pays, nothing frees */
    for (uint64_t i = 0; i < npages; i++)
        v->pages[i] = pages[i];
    *out = v;
    return AE_OK;
}

int vmo_create(struct process *p, uint64_t size, uint32_t flags, struct vmo **out)
{
    uint64_t npages = (size + PAGE - 1) / PAGE;
    struct vmo *v;
    int err;

    if (size == 0 || size > VMO_MAX_PAGES * PAGE || (flags & ~AE_VMO_CONTIGUOUS))
        return AE_ERR_INVAL;
    if (flags & AE_VMO_CONTIGUOUS)
        return vmo_create_contig(p, npages, out);
    if (quota_available(&p->acct->q, QUOTA_PAGES) < npages) {
        trace_quota_deny(&p->acct->q, QUOTA_PAGES, npages);
        return AE_ERR_QUOTA;
    }
    err = vmo_alloc(&p->acct->q, npages, &v);
    if (err)
        return err;
    v->charged = &p->acct->q;
    for (uint64_t i = 0; i < npages; i++) {
        err = uframe_alloc(v->charged, &v->pages[i]);
        if (err) {
            v->npages = i;
            kobj_unref(&v->obj);        /* frees the pages and the charges */
            return err;
        }
    }
    v->npages = npages;
    *out = v;
    return AE_OK;
}

int vmo_create_slice(struct process *p, struct vmo *parent, uint64_t offset, uint64_t size,
                     struct vmo **out)
{
    uint64_t first = offset / PAGE, npages = size / PAGE;
    struct vmo *v;
    int err;

    if (!size || (offset | size) & (PAGE - 1))
        return AE_ERR_INVAL;
    if (first > parent->npages || npages > parent->npages - first)
        return AE_ERR_RANGE;
    err = vmo_alloc(&p->acct->q, npages, &v);
    if (err)
        return err;
    v->flags = parent->flags;
    v->npages = npages;
    for (uint64_t i = 0; i < npages; i++)
        v->pages[i] = parent->pages[first + i];
    kobj_ref(&parent->obj);
    v->parent = parent;
    *out = v;
    return AE_OK;
}

void vmo_destroy(struct vmo *v)
{
    KASSERT(list_empty(&v->mappings));
    if (v->parent)
        kobj_unref(&v->parent->obj);    /* its pages were the parent's */
    if (v->charged) {
        for (uint64_t i = 0; i < v->npages; i++)
            uframe_free(v->charged, v->pages[i]);
        account_changed(v->charged);
    }
    kfree(v->pages);
    kfree(v);
}

static bool overlaps(struct process *p, uint64_t va, uint64_t len)
{
    struct list_node *n, *tmp;

    list_for_each_safe(n, tmp, &p->mappings) {
        struct vm_mapping *m = container_of(n, struct vm_mapping, proc_link);
        if (va < m->va + m->npages * PAGE && m->va < va + len)
            return true;
    }
    return false;
}

int vmo_map(struct process *p, struct vmo *v, uint64_t offset, uint64_t va,
            uint64_t len, uint32_t prot)
{
    struct vm_mapping *m;
    uint64_t npages = len / PAGE, end;
    int err;

    if (!len || ((offset | va | len) & (PAGE - 1)) || !prot ||
        (prot & ~(AE_PROT_READ | AE_PROT_WRITE | AE_PROT_EXEC)) ||
        ((prot & AE_PROT_WRITE) && (prot & AE_PROT_EXEC)))
        return AE_ERR_INVAL;
    if (__builtin_add_overflow(va, len, &end) || va < USER_LOWEST || end > USER_TOP)
        return AE_ERR_INVAL;
    if (offset / PAGE > v->npages || npages > v->npages - offset / PAGE)
        return AE_ERR_RANGE;
    if (p->nmappings >= MAX_MAPPINGS)
        return AE_ERR_QUOTA;
    if (overlaps(p, va, len))
        return AE_ERR_EXISTS;
    err = kcharge_zalloc(&p->acct->q, sizeof(*m), (void **)&m);
    if (err)
        return err;
    for (uint64_t i = 0; i < npages; i++) {
        err = aspace_map_page(&p->as, va + i * PAGE, v->pages[offset / PAGE + i],
                                  prot | (v->flags & AE_VMO_DEVICE ? VM_PROT_UNCACHED : 0));
        if (err) {
            uint64_t detached = 0;
            while (i--)
                aspace_unmap_page(&p->as, va + i * PAGE);
            aspace_prune(&p->as, va, len, &detached);
            aspace_flush(&p->as);
            aspace_free_tables(&p->as, detached);
            kcharge_free(&p->acct->q, m, sizeof(*m));
            return err;
        }
    }
    m->proc = p;
    m->vmo = v;
    m->va = va;
    m->npages = npages;
    m->first_page = offset / PAGE;
    m->prot = prot;
    kobj_ref(&v->obj);
    list_add_tail(&p->mappings, &m->proc_link);
    list_add_tail(&v->mappings, &m->vmo_link);
    p->nmappings++;
    return AE_OK;
}

/* Unmaps without flushing (the caller flushes once for a batch); empty
 * page tables are detached onto *detached, to be freed after the flush. */
static void remove_mapping(struct vm_mapping *m, uint64_t *detached)
{
    struct process *p = m->proc;

    for (uint64_t i = 0; i < m->npages; i++)
        aspace_unmap_page(&p->as, m->va + i * PAGE);
    if (detached)
        aspace_prune(&p->as, m->va, m->npages * PAGE, detached);
    list_del(&m->proc_link);
    list_del(&m->vmo_link);
    p->nmappings--;
}

static void release_mapping(struct vm_mapping *m)
{
    struct vmo *v = m->vmo;
    kcharge_free(&m->proc->acct->q, m, sizeof(*m));
    kobj_unref(&v->obj);
}

int vm_unmap(struct process *p, uint64_t va, uint64_t len)
{
    struct list_node *n, *tmp;

    list_for_each_safe(n, tmp, &p->mappings) {
        struct vm_mapping *m = container_of(n, struct vm_mapping, proc_link);
        if (m->va == va && m->npages * PAGE == len) {
            uint64_t detached = 0;
            remove_mapping(m, &detached);
            aspace_flush(&p->as);
            aspace_free_tables(&p->as, detached);
            release_mapping(m);
            return AE_OK;
        }
    }
    return AE_ERR_NOTFOUND;
}

unsigned vmo_unmap_from(struct vmo *v, struct process *p)
{
    struct vm_mapping *gone[16];
    unsigned total = 0;

    /* Batches keep the number of shootdowns low without a second list. */
    for (;;) {
        struct list_node *n, *tmp;
        uint64_t detached = 0;
        unsigned k = 0;
        list_for_each_safe(n, tmp, &v->mappings) {
            struct vm_mapping *m = container_of(n, struct vm_mapping, vmo_link);
            if (m->proc == p && k < 16) {
                remove_mapping(m, &detached);
                gone[k++] = m;
            }
        }
        if (!k)
            return total;
        aspace_flush(&p->as);
        aspace_free_tables(&p->as, detached);
        for (unsigned i = 0; i < k; i++)
            release_mapping(gone[i]);
        total += k;
    }
}

void vm_unmap_all(struct process *p)
{
    struct list_node done;

    list_init(&done);
    while (!list_empty(&p->mappings)) {
        struct vm_mapping *m = container_of(list_first(&p->mappings),
                                            struct vm_mapping, proc_link);
        remove_mapping(m, NULL);    /* aspace_destroy frees every table */
        list_add_tail(&done, &m->proc_link);
    }
    aspace_flush(&p->as);
    while (!list_empty(&done)) {
        struct vm_mapping *m = container_of(list_first(&done), struct vm_mapping,
                                            proc_link);
        list_del(&m->proc_link);
        release_mapping(m);
    }
}

int vmo_write(struct vmo *v, uint64_t offset, const void *src, uint64_t len)
{
    const uint8_t *s = src;
    uint64_t end;

    if (__builtin_add_overflow(offset, len, &end) || end > v->npages * PAGE)
        return AE_ERR_RANGE;
    while (len) {
        uint64_t in_page = PAGE - (offset & (PAGE - 1));
        uint64_t n = len < in_page ? len : in_page;
        memcpy((uint8_t *)phys_to_virt(v->pages[offset / PAGE]) + (offset & (PAGE - 1)), s, n);
        s += n;
        offset += n;
        len -= n;
    }
    return AE_OK;
}

static bool seen_before(struct cap *const *caps, unsigned i)
{
    for (unsigned j = 0; j < i; j++)
        if (caps[j]->obj == caps[i]->obj)
            return true;
    return false;
}

/* What a MOVE from `from` takes over: the pages `from` pays for and the
 * object bytes it paid, over the distinct VMOs among caps. */
static void move_charges(struct process *from, struct cap *const *caps, unsigned n,
                         uint64_t *pages, uint64_t *bytes)
{
    *pages = *bytes = 0;
    for (unsigned i = 0; i < n; i++) {
        struct vmo *v = caps[i]->obj;
        if (caps[i]->type != AE_OBJ_VMO || seen_before(caps, i))
            continue;
        if (v->charged == &from->acct->q)
            *pages += v->npages;
        if (v->obj.payer == &from->acct->q)
            *bytes += v->obj.paid;
    }
}

int vmo_move_prepare(struct process *from, struct process *to,
                     struct cap *const *caps, unsigned n)
{
    uint64_t pages, bytes;
    int err;

    if (from == to)
        return AE_OK;
    move_charges(from, caps, n, &pages, &bytes);
    err = quota_charge(&to->acct->q, QUOTA_PAGES, pages);
    if (err)
        return err;
    err = kcharge(&to->acct->q, bytes);
    if (err)
        quota_uncharge(&to->acct->q, QUOTA_PAGES, pages);
    return err;
}

void vmo_move_abort(struct process *from, struct process *to,
                    struct cap *const *caps, unsigned n)
{
    uint64_t pages, bytes;

    if (from == to)
        return;
    move_charges(from, caps, n, &pages, &bytes);
    kuncharge(&to->acct->q, bytes);
    quota_uncharge(&to->acct->q, QUOTA_PAGES, pages);
}

void vmo_move_commit(struct process *from, struct process *to,
                     struct cap *const *caps, unsigned n)
{
    struct quota *fq = &from->acct->q, *tq = &to->acct->q;

    for (unsigned i = 0; i < n; i++) {
        struct vmo *v = caps[i]->obj;
        if (caps[i]->type != AE_OBJ_VMO || seen_before(caps, i))
            continue;
        vmo_unmap_from(v, from);
        if (from == to)
            continue;
        /* prepare charged `to` already: only `from` is left to release. */
        if (v->charged == fq) {
            quota_uncharge(fq, QUOTA_PAGES, v->npages);
            v->charged = tq;
        }
        if (v->obj.payer == fq) {
            kuncharge(fq, v->obj.paid);
            v->obj.payer = tq;
        }
    }
}
