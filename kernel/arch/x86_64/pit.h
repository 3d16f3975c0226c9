/*
 * The 8254 PIT's channel 2, used once per boot as the known-rate reference
 * (1.193182 MHz) to calibrate the TSC and the LAPIC timer.
 */
#ifndef KERNEL_ARCH_X86_64_PIT_H
#define KERNEL_ARCH_X86_64_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u

/* Starts a one-shot count of `ticks` PIT ticks (1..65535). */
void pit_oneshot_start(uint16_t ticks);
/* True once the count started above has reached zero. */
bool pit_oneshot_done(void);

#endif
