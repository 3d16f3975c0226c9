/*
 * Multiprocessor start-up and cross-CPU calls. Every enabled CPU in the MADT
 * is started, one at a time, and runs the kernel's idle loop with its own
 * GDT/TSS, stacks, LAPIC and timer.
 */
#ifndef KERNEL_ARCH_X86_64_SMP_H
#define KERNEL_ARCH_X86_64_SMP_H

#include <stdint.h>

struct madt_info;

/* The LAPIC pin wired to NMI on every CPU per the MADT, or -1. */
int smp_nmi_lint(const struct madt_info *m);
/* Starts the APs; returns how many came online. */
unsigned smp_boot_aps(const struct madt_info *m);
/* Runs fn(arg) on every online CPU (the caller included) and waits for all
 * of them; AE_OK or AE_ERR_TIMEOUT if a CPU did not answer in time. */
int smp_run_on_all(void (*fn)(void *), void *arg);
/* The idle loop every CPU ends in. */
__attribute__((noreturn)) void smp_idle(void);

#endif
