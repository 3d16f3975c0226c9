/*
 * The trace rings and the TraceBuf object. At boot each CPU that exists
 * gets a ring of AE_TRACE_RING_RECORDS records,
 * physically contiguous so the writer indexes it directly, and one page
 * holds every ring's header. The memory is the kernel's: taken before
 * init's quota is set, never charged, never freed. A kernel-owned VMO over
 * those frames (vmo_create_kernel) is what trace_map maps, read-only, so
 * the mappings are ordinary ones: charged to the mapper's page tables,
 * removed with vmo_unmap or at its death.
 */
#include "trace/trace.h"
#include "trace/trace_ring.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "obj/kobj.h"
#include "lib/string.h"
#include "vm/aspace.h"
#include "vm/vmo.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

#define PAGE 4096ull
#define RING_PAGES (AE_TRACE_RING_BYTES / PAGE)

_Static_assert(AE_TRACE_MAX_CPUS * sizeof(struct ae_trace_ring_hdr) <= AE_TRACE_HEADER_BYTES,
               "every header fits in the header page");
/* So every CPU has a ring, and writers need not test for one. */
_Static_assert(AE_TRACE_MAX_CPUS >= MAX_CPUS, "a ring for every CPU");
_Static_assert((AE_TRACE_RING_RECORDS & (AE_TRACE_RING_RECORDS - 1)) == 0,
               "seq % records is a mask");

bool trace_enabled;
uint64_t trace_since;

/* Static, with the kernel's reference, never dropped (like the log). */
static struct kobj trace_obj = {.type = AE_OBJ_TRACE, .refs = 1};
static struct ae_trace_ring_hdr *headers;
static unsigned nrings;
static struct vmo *trace_vmo;

struct kobj *trace_object(void)
{
    return &trace_obj;
}

void trace_init(bool on)
{
    uint64_t hdr_phys, *pages, npages, tsc_base, tsc_mult;
    struct cpu *c;
    unsigned n = cpu_count();

    clock_conversion(&tsc_base, &tsc_mult);
    npages = 1 + n * RING_PAGES;
    pages = kmalloc(npages * sizeof(uint64_t));
    if (!pages || frame_alloc_zeroed(&hdr_phys))
        panic("trace: no memory for the ring headers");
    headers = phys_to_virt(hdr_phys);
    pages[0] = hdr_phys;
    for (unsigned cpu = 0; cpu < n; cpu++) {
        uint64_t phys;
        if (frame_alloc_contig(RING_PAGES, &phys))
            panic("trace: no memory for CPU %u's ring", cpu);
        memset(phys_to_virt(phys), 0, AE_TRACE_RING_BYTES);    /* seq 0: never written */
        for (uint64_t i = 0; i < RING_PAGES; i++)
            pages[1 + cpu * RING_PAGES + i] = phys + i * PAGE;
        headers[cpu] = (struct ae_trace_ring_hdr){
            .magic = AE_TRACE_MAGIC, .cpu = cpu, .nrecords = AE_TRACE_RING_RECORDS,
            .tsc_base = tsc_base, .tsc_mult = tsc_mult};
        c = cpu_get(cpu);
        c->trace_published = &headers[cpu].head;
        c->trace_recs = phys_to_virt(phys);
    }
    if (vmo_create_kernel(pages, npages, &trace_vmo))
        panic("trace: no memory for the ring object");
    kfree(pages);
    nrings = n;
    if (on)
        trace_set_enabled(true);
    log_info("trace: %u rings of %u records (%lu KiB), tracing %s", n,
             AE_TRACE_RING_RECORDS, (unsigned long)(npages * PAGE >> 10), on ? "on" : "off");
}

bool trace_set_enabled(bool on)
{
    bool was = trace_enabled;

    if (on && !was)
        trace_since = trace_now();      /* waits stamped before now are unknown */
    for (unsigned i = 0; i < nrings; i++)
        __atomic_store_n(&headers[i].enabled, on ? 1 : 0, __ATOMIC_RELAXED);
    __atomic_store_n(&trace_enabled, on, __ATOMIC_RELEASE);
    return was;
}

int64_t trace_map(struct process *p, uint64_t va)
{
    uint64_t bytes = AE_TRACE_MAP_BYTES(nrings);
    int err;

    if (!trace_vmo)
        return AE_ERR_UNSUPPORTED;
    err = vmo_map(p, trace_vmo, 0, va, bytes, AE_PROT_READ);
    return err ? err : (int64_t)bytes;
}
