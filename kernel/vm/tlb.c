/* Flushes reload CR3, which drops every non-global (user) entry. */
#include "vm/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vectors.h"
#include "lib/spinlock.h"

void tlb_service_requests(void)
{
    struct cpu *c = this_cpu();

    if (__atomic_load_n(&c->tlb_flush, __ATOMIC_ACQUIRE)) {
        write_cr3(read_cr3());
        __atomic_store_n(&c->tlb_flush, 0, __ATOMIC_RELEASE);
    }
}

void tlb_shootdown(uint64_t cpu_mask)
{
    struct cpu *me = this_cpu();

    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *c = cpu_get(i);
        if (c == me || !(cpu_mask & (1ull << i)) || !c->online)
            continue;
        __atomic_store_n(&c->tlb_flush, 1, __ATOMIC_RELEASE);
        lapic_send_ipi(c->apic_id, VEC_IPI_TLB);
    }
    if (cpu_mask & (1ull << me->id))
        write_cr3(read_cr3());
    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *c = cpu_get(i);
        while (c != me && __atomic_load_n(&c->tlb_flush, __ATOMIC_ACQUIRE))
            cpu_relax();
    }
}
