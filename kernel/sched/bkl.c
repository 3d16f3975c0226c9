/* Ticket lock with a per-CPU ownership flag and shootdown servicing. */
#include "sched/bkl.h"
#include "arch/x86_64/percpu.h"
#include "lib/spinlock.h"
#include "vm/tlb.h"
#include "panic.h"

static spinlock_t bkl = SPINLOCK_INIT;

void bkl_lock(void)
{
    struct cpu *c = this_cpu();
    uint32_t me;

    KASSERT(!c->bkl_held);
    me = __atomic_fetch_add(&bkl.next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&bkl.serving, __ATOMIC_ACQUIRE) != me) {
        tlb_service_requests();
        cpu_relax();
    }
    c->bkl_held = true;
}

void bkl_unlock(void)
{
    struct cpu *c = this_cpu();

    KASSERT(c->bkl_held);
    c->bkl_held = false;
    spin_unlock(&bkl);
}

bool bkl_held(void)
{
    return this_cpu()->bkl_held;
}
