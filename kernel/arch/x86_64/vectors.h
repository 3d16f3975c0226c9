/* Interrupt vector numbers. 0-31 are CPU exceptions. */
#ifndef KERNEL_ARCH_X86_64_VECTORS_H
#define KERNEL_ARCH_X86_64_VECTORS_H

#define VEC_PIC_BASE 0x20       /* masked legacy PIC, remapped off exceptions */
#define VEC_IRQ_BASE 0x30       /* IOAPIC GSIs (issue 3 binds them) */
#define VEC_MSI_BASE 0xa0       /* MSI/MSI-X: AE_IRQ_MSI_COUNT vectors up to the timer */
#define VEC_TIMER 0xe0          /* LAPIC timer */
#define VEC_IPI_WAKE 0xf0       /* cross-CPU wakeup (scheduler) */
#define VEC_IPI_TLB 0xf1        /* TLB shootdown: serviced without the kernel lock */
#define VEC_LAPIC_ERROR 0xfe
#define VEC_SPURIOUS 0xff

#endif
