/*
 * TLB shootdown: after unmapping user pages of an address space that other
 * CPUs may have loaded, the kernel lock holder asks those CPUs to flush and
 * waits until they have. Requests are serviced without the kernel lock (in
 * the IPI handler, or by a CPU spinning for the lock), so waiting is safe.
 */
#ifndef KERNEL_VM_TLB_H
#define KERNEL_VM_TLB_H

#include <stdint.h>

/* Flushes this CPU's non-global TLB entries if a request is pending. */
void tlb_service_requests(void);
/* Every CPU in cpu_mask (bit = logical CPU id) flushes its non-global TLB
 * entries before this returns; the caller's CPU flushes too if in the mask. */
void tlb_shootdown(uint64_t cpu_mask);

#endif
