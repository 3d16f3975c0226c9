/*
 * 32 fractional bits: mult is rounded down, so a conversion loses at most
 * one nanosecond per 2^32 ticks and never overshoots.
 */
#include "lib/clock_math.h"
#include "aether/errors.h"

#define NS_PER_SEC 1000000000ull

int clock_scale_init(struct clock_scale *s, uint64_t hz)
{
    /* (1e9 << 32) < 2^62, so mult fits in 64 bits for every hz >= 1. */
    if (hz == 0 || hz >> 63)
        return AE_ERR_INVAL;
    s->hz = hz;
    s->mult = (uint64_t)((NS_PER_SEC << 32) / hz);
    return AE_OK;
}

uint64_t clock_ticks_to_ns(const struct clock_scale *s, uint64_t ticks)
{
    unsigned __int128 v = (unsigned __int128)ticks * s->mult;
    v >>= 32;
    return v >> 64 ? UINT64_MAX : (uint64_t)v;
}

uint64_t clock_ns_to_ticks(const struct clock_scale *s, uint64_t ns)
{
    unsigned __int128 v = (unsigned __int128)ns * s->hz / NS_PER_SEC;
    return v >> 64 ? UINT64_MAX : (uint64_t)v;
}

uint64_t clock_calibrate_hz(uint64_t counted, uint64_t ref_ticks, uint64_t ref_hz)
{
    if (ref_ticks == 0)
        return 0;
    unsigned __int128 v = (unsigned __int128)counted * ref_hz / ref_ticks;
    return v >> 64 ? UINT64_MAX : (uint64_t)v;
}
