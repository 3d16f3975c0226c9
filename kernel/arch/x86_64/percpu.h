/*
 * Per-CPU state. Each CPU's GS base points at its struct cpu, whose first
 * field points to itself, so this_cpu() is one load (gs:0). Fields written
 * only by their own CPU need no lock; `ticks` and `online` are read by others.
 */
#ifndef KERNEL_ARCH_X86_64_PERCPU_H
#define KERNEL_ARCH_X86_64_PERCPU_H

/* Offsets used by assembly (syscall entry): keep in sync with the asserts
 * below. */
#define CPU_OFF_USER_RSP 8
#define CPU_OFF_KSTACK 16

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/gdt.h"

#define MAX_CPUS 64

struct thread;
struct ae_trace_rec;

struct cpu {
    struct cpu *self;           /* gs:0 */
    uint64_t user_rsp;          /* gs:8: scratch during syscall entry */
    uint64_t kstack;            /* gs:16: top of the current thread's kernel stack */
    struct thread *current;     /* the running thread (owned by sched.c) */
    struct thread *idle;        /* this CPU's idle thread */
    volatile uint32_t tlb_flush;/* shootdown requested (vm/tlb.c) */
    bool bkl_held;              /* this CPU holds the kernel lock */
    bool need_resched;          /* schedule before returning to user */
    const void *io_owner;       /* process whose I/O bitmap the TSS holds */
    uint64_t io_gen;            /* that bitmap's generation */
    uint32_t id;                /* logical index, 0 = boot CPU */
    uint32_t apic_id;
    uint64_t kstack_top;        /* this CPU's guarded kernel stack */
    volatile uint64_t ticks;    /* LAPIC timer interrupts taken */
    volatile bool online;       /* set by the CPU itself once running */
    /* Its trace ring (trace/trace_ring.h), written only by this CPU. */
    struct ae_trace_rec *trace_recs;    /* set by trace_init, before tracing can be on */
    uint64_t *trace_published;  /* the ring header's head: the newest seq */
    struct gdt_block gdt;       /* GDT + TSS, per CPU (TSS busy bit) */
};

_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_OFF_USER_RSP, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu, kstack) == CPU_OFF_KSTACK, "asm offset");

/* The boot CPU's entry, usable before anything else is set up. */
void percpu_init_bsp(void);
/* Claims the next logical index for a CPU with this APIC ID. */
struct cpu *percpu_alloc(uint32_t apic_id);
/* Points GS at c. Called by each CPU on itself. */
void percpu_install(struct cpu *c);

unsigned cpu_count(void);          /* CPUs allocated (started or starting) */
unsigned cpu_online_count(void);
struct cpu *cpu_get(unsigned id);  /* NULL when id >= cpu_count() */

static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

static inline uint32_t this_cpu_id(void)
{
    return this_cpu()->id;
}

#endif /* __ASSEMBLY__ */
#endif
