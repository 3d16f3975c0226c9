/*
 * Deliberate kernel faults, chosen by the boot option crash=KIND, so tests
 * can check the panic report of each exception. KIND: pf (page fault on an
 * unmapped address), gp (non-canonical address), ud (invalid opcode),
 * de (divide by zero), stack (kernel stack overflow into the guard page),
 * wxtext (write to kernel text), nx (execute from a data page),
 * assert (a failed KASSERT). KIND@N runs it on CPU N instead of the boot
 * CPU (e.g. crash=pf@1), while the other CPUs spin with interrupts off.
 */
#ifndef KERNEL_CRASHTEST_H
#define KERNEL_CRASHTEST_H

#define CRASH_PF_ADDRESS 0xdeadb000ull

/* Does not return for a known KIND; logs an error for an unknown one. */
void crashtest_run(const char *spec);

#endif
