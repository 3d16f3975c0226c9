/*
 * The ring writer. Only a ring's own CPU writes it, with interrupts off,
 * so there is no lock: a writer can be interrupted by nothing but an NMI,
 * which never traces. Protocol (include/aether/trace.h): the slot's seq is
 * set to 0, the record filled, its seq stored (release), then the header's
 * head. Timestamps are taken inside the interrupts-off section, so records
 * of one CPU have non-decreasing timestamps in seq order.
 */
#ifndef KERNEL_TRACE_TRACE_RING_H
#define KERNEL_TRACE_TRACE_RING_H

#include <stdint.h>

#include "aether/trace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

struct trace_ring {
    struct ae_trace_rec *recs;          /* the ring, through the direct map */
    struct ae_trace_ring_hdr *hdr;      /* its header in the header page */
    uint16_t cpu;
};

/* The kernel clock's conversion (arch/x86_64/clock.c), copied at
 * trace_init so a timestamp is a TSC read, a subtraction, a multiply and
 * a shift, inline. */
struct trace_clock {
    uint64_t base_tsc;
    uint64_t mult;                      /* ns = (tsc - base_tsc) * mult >> 32 */
};
extern struct trace_clock trace_clock;

static inline uint64_t trace_tsc_to_ns(uint64_t tsc)
{
    return (uint64_t)(((unsigned __int128)(tsc - trace_clock.base_tsc) *
                       trace_clock.mult) >> 32);
}

static inline uint64_t trace_now(void)
{
    return trace_tsc_to_ns(rdtsc());
}

/* Interrupts off for a write; the kernel runs with them off already, so
 * this is normally only a flags read. */
static inline uint64_t trace_irq_save(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
    if (__builtin_expect(flags & RFLAGS_IF, 0))
        __asm__ volatile("cli" ::: "memory");
    return flags;
}

static inline void trace_irq_restore(uint64_t flags)
{
    if (__builtin_expect(flags & RFLAGS_IF, 0))
        __asm__ volatile("sti" ::: "memory");
}

/* This CPU's ring; NULL before trace_init and on CPUs past
 * AE_TRACE_MAX_CPUS. */
static inline struct trace_ring *trace_ring_here(void)
{
    return this_cpu()->trace;
}

/* Writes one record; interrupts must be off (trace_irq_save). */
static inline void trace_ring_put(struct trace_ring *r, uint64_t ts, uint16_t type,
                                  uint32_t pid, uint32_t tid, uint32_t peer, uint64_t a0,
                                  uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint64_t seq = r->hdr->head + 1;
    struct ae_trace_rec *rec = &r->recs[seq & (AE_TRACE_RING_RECORDS - 1)];

    __atomic_store_n(&rec->seq, 0, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);        /* 0 is seen before any new byte */
    rec->ts_ns = ts;
    rec->type = type;
    rec->cpu = r->cpu;
    rec->pid = pid;
    rec->tid = tid;
    rec->peer = peer;
    rec->arg[0] = a0;
    rec->arg[1] = a1;
    rec->arg[2] = a2;
    rec->arg[3] = a3;
    __atomic_store_n(&rec->seq, seq, __ATOMIC_RELEASE);
    __atomic_store_n(&r->hdr->head, seq, __ATOMIC_RELEASE);
}

#endif
