/*
 * Per-CPU state. Each CPU's GS base points at its struct cpu, whose first
 * field points to itself, so this_cpu() is one load (gs:0). Fields written
 * only by their own CPU need no lock; `ticks` and `online` are read by others.
 */
#ifndef KERNEL_ARCH_X86_64_PERCPU_H
#define KERNEL_ARCH_X86_64_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/gdt.h"

#define MAX_CPUS 64

struct cpu {
    struct cpu *self;           /* gs:0 */
    uint32_t id;                /* logical index, 0 = boot CPU */
    uint32_t apic_id;
    uint64_t kstack_top;        /* this CPU's guarded kernel stack */
    volatile uint64_t ticks;    /* LAPIC timer interrupts taken */
    volatile bool online;       /* set by the CPU itself once running */
    struct gdt_block gdt;       /* GDT + TSS, per CPU (TSS busy bit) */
};

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

#endif
