/*
 * Local APIC in xAPIC (MMIO) mode: every CPU's interrupt controller, timer
 * and inter-processor interrupts.
 */
#ifndef KERNEL_ARCH_X86_64_LAPIC_H
#define KERNEL_ARCH_X86_64_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Maps the LAPIC registers (phys from the MADT). Boot CPU, once. */
int lapic_map(uint64_t phys);
bool lapic_ready(void);
/* Enables the calling CPU's LAPIC: spurious vector, LINTs masked (LINT1 as
 * NMI when nmi_lint is 0 or 1), error vector, task priority 0. */
void lapic_init_cpu(int nmi_lint);
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
/* NMI to every CPU but the caller: halts them on panic, even with
 * interrupts disabled. */
void lapic_send_nmi_all_others(void);
/* INIT, then two STARTUPs at physical page sipi_page (address >> 12). */
void lapic_start_ap(uint32_t apic_id, uint8_t sipi_page);

/* Timer: one-shot from 0xffffffff (calibration) and periodic at hz. */
void lapic_timer_oneshot_max(void);
uint32_t lapic_timer_current(void);
void lapic_timer_periodic(uint64_t timer_hz, uint32_t hz);

#endif
