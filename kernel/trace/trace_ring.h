/*
 * The ring writer. Only a ring's own CPU writes it, with interrupts off,
 * so there is no lock: nothing but an NMI, which never traces, can cut in.
 * Protocol (include/aether/trace.h): the slot's seq is set to 0, the
 * record filled, its seq stored, then the header's head. The stores go
 * through volatile pointers, so the compiler keeps them in program order,
 * and x86 keeps stores in order: that is the release order the protocol
 * needs, with no fence instruction.
 *
 * A batch writes one or more records with one timestamp (taken once
 * interrupts are off, so each CPU's timestamps never decrease along its
 * seqs) and publishes the head once. Callers hold the kernel lock or run
 * in an interrupt handler: interrupts are off (bkl_lock asserts it, and
 * nothing turns them on while the lock is held). trace_begin_irqsave is
 * for callers that cannot promise that.
 *
 * Records are written as 8 words; words 2 and 3 are built from per-thread
 * pieces kept ready (thread.trace_pid_hi = pid << 32), see TRACE_W1/W2.
 */
#ifndef KERNEL_TRACE_TRACE_RING_H
#define KERNEL_TRACE_TRACE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aether/trace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

_Static_assert(offsetof(struct ae_trace_rec, type) == 16 &&
               offsetof(struct ae_trace_rec, cpu) == 18 &&
               offsetof(struct ae_trace_rec, pid) == 20 &&
               offsetof(struct ae_trace_rec, tid) == 24 &&
               offsetof(struct ae_trace_rec, peer) == 28 &&
               offsetof(struct ae_trace_rec, arg) == 32, "record words");

/* Word 2: type, cpu (0: readers set it from the ring), pid; pid_hi =
 * pid << 32. */
#define TRACE_W1(type, pid_hi) ((uint64_t)(type) | (pid_hi))
/* Word 3: tid, peer; peer_hi = peer << 32. */
#define TRACE_W2(tid, peer_hi) ((uint64_t)(uint32_t)(tid) | (peer_hi))

/* Records hold the TSC; readers convert it to nanoseconds with the
 * kernel clock's conversion, which each ring header carries (trace_init).
 * That keeps a multiply off every record. */
static inline __attribute__((always_inline)) uint64_t
trace_now(void)
{
    return rdtsc();
}

struct trace_batch {
    struct cpu *c;
    volatile uint64_t *recs;            /* the ring, as words */
    uint64_t seq;                       /* the last seq written */
    uint64_t ts;
};

/* Interrupts must be off, tracing on (so trace_init has run). */
static inline __attribute__((always_inline)) void
trace_begin(struct trace_batch *b)
{
    struct cpu *c = this_cpu();

    b->c = c;
    b->recs = (volatile uint64_t *)c->trace_recs;
    b->seq = *c->trace_published;
    b->ts = trace_now();
}

static inline __attribute__((always_inline)) void
trace_put(struct trace_batch *b, uint64_t w1, uint64_t w2, uint64_t a0, uint64_t a1,
          uint64_t a2, uint64_t a3)
{
    uint64_t seq = ++b->seq;
    volatile uint64_t *w = b->recs + (seq & (AE_TRACE_RING_RECORDS - 1)) * 8;

    w[0] = 0;                           /* this slot is being rewritten */
    w[1] = b->ts;
    w[2] = w1;
    w[3] = w2;
    w[4] = a0;
    w[5] = a1;
    w[6] = a2;
    w[7] = a3;
    w[0] = seq;                         /* published */
}

static inline __attribute__((always_inline)) void
trace_end(struct trace_batch *b)
{
    *(volatile uint64_t *)b->c->trace_published = b->seq;
}

/* For trace points that may run with interrupts on: turns them off for
 * the batch; trace_end_irqrestore puts them back. */
static inline void trace_begin_irqsave(struct trace_batch *b, uint64_t *flags)
{
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(*flags) : : "memory");
    trace_begin(b);
}

static inline void trace_end_irqrestore(struct trace_batch *b, uint64_t flags)
{
    trace_end(b);
    if (flags & RFLAGS_IF)
        __asm__ volatile("sti" ::: "memory");
}

#endif
