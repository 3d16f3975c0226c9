/* The per-CPU periodic LAPIC tick (TIMER_HZ); counts into cpu->ticks. */
#ifndef KERNEL_ARCH_X86_64_TIMER_H
#define KERNEL_ARCH_X86_64_TIMER_H

#define TIMER_HZ 1000

/* Boot CPU: registers the handler. */
void timer_init(void);
/* Every CPU: starts its own periodic tick. */
void timer_start_cpu(void);

#endif
