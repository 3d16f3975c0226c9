/*
 * Calls that name no object: the clock, sleeping, yielding; and the
 * invariant check used by the conformance tests. (log_write: sys_log.c.)
 *
 *   clock_get()              nanoseconds since boot
 *   sleep_until(deadline)    blocks until clock_get() >= deadline
 *   yield()
 *   kernel_check(proc[MANAGE])  AE_OK when every charge adds up
 */
#include "syscall/syscall.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "cap/cap.h"
#include "mm/uframe.h"
#include "vm/aspace.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "aether/errors.h"

int64_t sys_clock_get(struct trap_frame *f, struct cap *c)
{
    return (int64_t)clock_ns();
}

int64_t sys_sleep_until(struct trap_frame *f, struct cap *c)
{
    uint64_t deadline = f->rdi;

    if (deadline <= clock_ns())
        return AE_OK;
    int64_t r = thread_block_on(NULL, deadline);
    return r == AE_ERR_TIMEOUT ? AE_OK : r;
}

int64_t sys_yield(struct trap_frame *f, struct cap *c)
{
    this_cpu()->need_resched = true;
    return AE_OK;
}

/* The whole quota tree, and the page tables of the process named. */
int64_t sys_kernel_check(struct trap_frame *f, struct cap *c)
{
    struct process *p = c->obj;

    if (p->state == PROCESS_ALIVE && !aspace_check(&p->as))
        return AE_ERR_CORRUPT;
    return uframe_check(process_root_quota());
}
