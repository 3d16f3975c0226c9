/*
 * The big kernel lock. The Nexus Core is non-preemptible and runs with
 * interrupts off; every entry from user mode (system call, interrupt,
 * exception) and every interrupt taken while idle holds this one lock until
 * it returns, as seL4 does on SMP. Kernel paths are short and bounded, so
 * this costs little, and it makes every object-model invariant hold without
 * per-object locks. The lock is owned by a CPU, not a thread: it stays held
 * across context switches.
 *
 * A CPU waiting for the lock keeps servicing TLB shootdown requests, so a
 * holder that waits for other CPUs to flush can never deadlock with them.
 */
#ifndef KERNEL_SCHED_BKL_H
#define KERNEL_SCHED_BKL_H

#include <stdbool.h>

void bkl_lock(void);
void bkl_unlock(void);
bool bkl_held(void);

#endif
