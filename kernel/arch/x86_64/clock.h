/*
 * Time: the TSC, calibrated once against the PIT, gives a monotonic
 * nanosecond clock counted from kernel entry. The same calibration window
 * measures the LAPIC timer's rate. Assumes an invariant TSC synchronised
 * across CPUs (QEMU and every x86_64 PC of the last decade).
 */
#ifndef KERNEL_ARCH_X86_64_CLOCK_H
#define KERNEL_ARCH_X86_64_CLOCK_H

#include <stdint.h>

/* entry_tsc: TSC read at the first instruction of the kernel. */
void clock_early_init(uint64_t entry_tsc);
/* Calibrates TSC and LAPIC timer rates (LAPIC must be enabled). */
void clock_calibrate(void);
/* Nanoseconds since kernel entry; 0 before calibration. */
uint64_t clock_ns(void);
/* What clock_ns computes, for code that converts TSC values itself (the
 * trace writer): ns = (tsc - base_tsc) * mult >> 32 (128-bit product).
 * Valid after clock_calibrate. */
void clock_conversion(uint64_t *base_tsc, uint64_t *mult);
uint64_t clock_tsc_hz(void);
uint64_t clock_lapic_timer_hz(void);
uint64_t clock_entry_tsc(void);
/* Busy-waits at least us microseconds (calibrated; before calibration it
 * assumes a 4 GHz TSC, which only errs long). */
void clock_delay_us(uint64_t us);

#endif
