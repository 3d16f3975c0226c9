/*
 * Calibration uses one PIT one-shot of CALIB_MS. The TSC rate is read twice
 * (two windows) and the second kept: the first can be stretched by cache
 * and emulator warm-up.
 */
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pit.h"
#include "lib/clock_math.h"
#include "lib/spinlock.h"
#include "log.h"

#define CALIB_MS 50
#define CALIB_PIT_TICKS ((PIT_HZ * CALIB_MS) / 1000)
#define FALLBACK_TSC_HZ 4000000000ull
/* A missing PIT never completes: give up after this many TSC ticks
 * (~40 s at 4 GHz; emulators run slow). */
#define CALIB_SPIN_LIMIT 160000000000ull

static struct clock_scale tsc_scale;
static uint64_t entry_tsc;
static uint64_t lapic_hz;
static volatile int calibrated;

void clock_early_init(uint64_t tsc)
{
    entry_tsc = tsc;
}

static int measure(uint64_t *tsc_delta, uint32_t *lapic_delta)
{
    uint64_t t0, t1;
    uint32_t l0, l1;

    lapic_timer_oneshot_max();
    pit_oneshot_start(CALIB_PIT_TICKS);
    t0 = rdtsc();
    l0 = lapic_timer_current();
    while (!pit_oneshot_done()) {
        if (rdtsc() - t0 > CALIB_SPIN_LIMIT)
            return -1;
        cpu_relax();
    }
    t1 = rdtsc();
    l1 = lapic_timer_current();
    *tsc_delta = t1 - t0;
    *lapic_delta = l0 - l1;
    return 0;
}

void clock_calibrate(void)
{
    uint64_t tsc_delta = 0, hz;
    uint32_t lapic_delta = 0;

    /* The first window warms caches (and an emulator's translation cache);
     * the second is kept. A PIT that never counts is not tried twice. */
    int err = measure(&tsc_delta, &lapic_delta);
    if (!err)
        err = measure(&tsc_delta, &lapic_delta);
    if (err) {
        log_warn("clock: PIT did not count; assuming a %llu MHz TSC",
                 FALLBACK_TSC_HZ / 1000000);
        hz = FALLBACK_TSC_HZ;
        lapic_hz = 0;
    } else {
        hz = clock_calibrate_hz(tsc_delta, CALIB_PIT_TICKS, PIT_HZ);
        lapic_hz = clock_calibrate_hz(lapic_delta, CALIB_PIT_TICKS, PIT_HZ);
    }
    if (clock_scale_init(&tsc_scale, hz))
        clock_scale_init(&tsc_scale, FALLBACK_TSC_HZ);
    __atomic_store_n(&calibrated, 1, __ATOMIC_RELEASE);
    log_info("clock: TSC %lu.%03lu MHz, LAPIC timer %lu.%03lu MHz (PIT reference)",
             (unsigned long)(hz / 1000000), (unsigned long)(hz / 1000 % 1000),
             (unsigned long)(lapic_hz / 1000000), (unsigned long)(lapic_hz / 1000 % 1000));
}

uint64_t clock_ns(void)
{
    if (!__atomic_load_n(&calibrated, __ATOMIC_ACQUIRE))
        return 0;
    /* lfence keeps rdtsc from being executed ahead of earlier loads. */
    __asm__ volatile("lfence" ::: "memory");
    return clock_ticks_to_ns(&tsc_scale, rdtsc() - entry_tsc);
}

void clock_conversion(uint64_t *base_tsc, uint64_t *mult)
{
    *base_tsc = entry_tsc;
    *mult = tsc_scale.mult;
}

uint64_t clock_tsc_hz(void)
{
    return calibrated ? tsc_scale.hz : 0;
}

uint64_t clock_lapic_timer_hz(void)
{
    return lapic_hz;
}

uint64_t clock_entry_tsc(void)
{
    return entry_tsc;
}

void clock_delay_us(uint64_t us)
{
    uint64_t hz = calibrated ? tsc_scale.hz : FALLBACK_TSC_HZ;
    uint64_t ticks = (uint64_t)((unsigned __int128)us * hz / 1000000);
    uint64_t t0 = rdtsc();

    while (rdtsc() - t0 < ticks)
        cpu_relax();
}
