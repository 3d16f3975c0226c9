/*
 * The kernel lock is a test-and-test-and-set lock, not a ticket lock: under
 * virtualisation a ticket lock stalls every CPU behind a waiter whose vCPU
 * the host has descheduled (measured: multi-second IPC stalls under host
 * load), while here only a descheduled holder delays others. Waiters spin
 * on a plain read and service TLB shootdowns meanwhile.
 */
#include "sched/bkl.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "lib/spinlock.h"
#include "vm/tlb.h"
#include "panic.h"

static volatile uint32_t bkl;

void bkl_lock(void)
{
    struct cpu *c = this_cpu();

    KASSERT(!c->bkl_held);
    /* An interrupt taken while spinning would re-enter here on the same
     * CPU and spin forever behind itself. */
    KASSERT(!(read_rflags() & RFLAGS_IF));
    for (;;) {
        if (!__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE))
            break;
        while (__atomic_load_n(&bkl, __ATOMIC_RELAXED)) {
            tlb_service_requests();
            cpu_relax();
        }
    }
    c->bkl_held = true;
}

void bkl_unlock(void)
{
    struct cpu *c = this_cpu();

    KASSERT(c->bkl_held);
    c->bkl_held = false;
    __atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}

bool bkl_held(void)
{
    return this_cpu()->bkl_held;
}
