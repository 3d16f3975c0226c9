/*
 * Fixed-point conversion between a counter's ticks and nanoseconds, with no
 * division on the fast path: ns = (ticks * mult) >> 32. Pure.
 */
#ifndef KERNEL_LIB_CLOCK_MATH_H
#define KERNEL_LIB_CLOCK_MATH_H

#include <stdint.h>

struct clock_scale {
    uint64_t hz;
    uint64_t mult;              /* (1e9 << 32) / hz */
};

/* hz must be >= 1 and < 2^63: AE_OK, or AE_ERR_INVAL otherwise. */
int clock_scale_init(struct clock_scale *s, uint64_t hz);
/* Never above the exact floor(ticks * 1e9 / hz), and at most
 * ceil(ticks / 2^32) ns below it (mult is rounded down): under 1 ns per
 * 4.29e9 ticks. Saturates at UINT64_MAX. */
uint64_t clock_ticks_to_ns(const struct clock_scale *s, uint64_t ticks);
/* ns -> ticks, rounded down; saturates at UINT64_MAX. */
uint64_t clock_ns_to_ticks(const struct clock_scale *s, uint64_t ns);
/* Rate of a counter that advanced `counted` while a reference of ref_hz
 * advanced ref_ticks: counted * ref_hz / ref_ticks (0 if ref_ticks is 0). */
uint64_t clock_calibrate_hz(uint64_t counted, uint64_t ref_ticks, uint64_t ref_hz);

#endif
