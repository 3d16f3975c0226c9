/*
 * Unit tests for kernel/lib/clock_math.c: clock_scale_init limits, the
 * accuracy of clock_ticks_to_ns against an exact 128-bit reference, its
 * monotonicity and saturation, clock_ns_to_ticks (exact, saturating) and
 * the round trips between the two, and clock_calibrate_hz.
 *
 * The accuracy bound asserted. With mult = floor(1e9 * 2^32 / hz), write
 * mult = 1e9 * 2^32 / hz - d with 0 <= d < 1. For E = ticks * 1e9 / hz (the
 * exact real result, whose floor is the reference R),
 *     ns = floor(ticks * mult / 2^32) = floor(E - x),  x = ticks * d / 2^32,
 * so 0 <= x < ticks / 2^32, and
 *     R - ceil(x) <= ns <= R,   i.e.  0 <= R - ns <= B(ticks) = ceil(ticks / 2^32).
 * The error is at most one nanosecond per 2^32 ticks whatever the rate,
 * never an overestimate. (A bound of ceil(ticks * 2^-32 * 1e9 / hz) + 1
 * would scale the error by the tick length: it is looser than B below 1 GHz
 * and wrong above it, e.g. at 3.999999 GHz and 1e12 ticks the correct code
 * is 102 ns short against such a bound of 60.) The tests allow the result
 * to exceed R by at most 1 ns, and below R by at most B; when R is above
 * UINT64_MAX the reference is clamped to UINT64_MAX.
 */
#include "unit.h"

#include "lib/clock_math.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NS 1000000000ULL

typedef unsigned __int128 u128;

static const uint64_t rates[] = {
    1000000ULL,                 /* 1 MHz */
    1193182ULL,                 /* PIT, 1.193182 MHz */
    62500000ULL,                /* 62.5 MHz */
    1000000000ULL,              /* 1 GHz */
    2445438000ULL,              /* 2.445438 GHz TSC */
    3999999000ULL,              /* 3.999999 GHz */
    5000000000ULL,              /* 5 GHz */
};

static const uint64_t tick_counts[] = {
    0, 1, 1000000ULL, 1000000000ULL, 1000000000000ULL, 1ULL << 40,
    1ULL << 62, UINT64_MAX,
};


/* A random 64-bit value of random magnitude. */
static uint64_t rng_mag(void)
{
    return rng() >> (rng() % 64);
}

static void init_ok(struct clock_scale *s, uint64_t hz)
{
    assert_int_equal(clock_scale_init(s, hz), AE_OK);
    assert_int_equal(s->hz, hz);
}

/* B(ticks) = ceil(ticks / 2^32): the fixed-point error bound in ns. */
static uint64_t fp_bound(uint64_t ticks)
{
    return (ticks >> 32) + ((ticks & 0xffffffffULL) != 0);
}

static u128 exact_ns(uint64_t hz, uint64_t ticks)
{
    return (u128)ticks * NS / hz;
}

static void check_accuracy(const struct clock_scale *s, uint64_t ticks)
{
    u128 exact = exact_ns(s->hz, ticks);
    uint64_t ref = exact > UINT64_MAX ? UINT64_MAX : (uint64_t)exact;
    uint64_t got = clock_ticks_to_ns(s, ticks);
    uint64_t bound = fp_bound(ticks);

    if (got > ref && got - ref > 1)
        fail_msg("hz %llu ticks %llu: %llu ns exceeds exact %llu ns",
                 (unsigned long long)s->hz, (unsigned long long)ticks,
                 (unsigned long long)got, (unsigned long long)ref);
    if (got < ref && ref - got > bound)
        fail_msg("hz %llu ticks %llu: %llu ns is %llu below exact %llu, "
                 "bound %llu", (unsigned long long)s->hz,
                 (unsigned long long)ticks, (unsigned long long)got,
                 (unsigned long long)(ref - got), (unsigned long long)ref,
                 (unsigned long long)bound);
    /* Far enough above the range, the result must be the saturated value. */
    if (exact >= (u128)UINT64_MAX + 1 + bound)
        assert_int_equal(got, UINT64_MAX);
}

static void CLK0001_init_rejects_zero(void **state)
{
    struct clock_scale s = { .hz = 123, .mult = 456 };

    assert_int_equal(clock_scale_init(&s, 0), AE_ERR_INVAL);
    assert_int_equal(s.hz, 123);
    assert_int_equal(s.mult, 456);
}

static void CLK0002_init_rejects_hz_from_2_63(void **state)
{
    static const uint64_t bad[] = {
        1ULL << 63, (1ULL << 63) + 1, 0xfedcba9876543210ULL, UINT64_MAX,
    };
    struct clock_scale s = { .hz = 123, .mult = 456 };

    for (size_t i = 0; i < N(bad); i++) {
        assert_int_equal(clock_scale_init(&s, bad[i]), AE_ERR_INVAL);
        assert_int_equal(s.hz, 123);
        assert_int_equal(s.mult, 456);
    }
    /* Just below the limit is accepted. */
    init_ok(&s, (1ULL << 63) - 1);
    assert_int_equal(s.mult, ((u128)NS << 32) / ((1ULL << 63) - 1));
}

static void CLK0003_init_lowest_rates_fit(void **state)
{
    struct clock_scale s;

    /* mult = 1e9 * 2^32 / hz overflows 64 bits only for hz below
     * 1e9 / 2^32 ~ 0.233: no integer rate is that low, so the overflow
     * refusal cannot trigger and every hz >= 1 is accepted. The slowest
     * rate has the largest mult, which still fits. */
    assert_true(((u128)NS << 32) >> 64 == 0);
    init_ok(&s, 1);
    assert_int_equal(s.mult, NS << 32);
    init_ok(&s, 2);
    assert_int_equal(s.mult, NS << 31);
    init_ok(&s, 3);
    assert_int_equal(s.mult, (NS << 32) / 3);

    /* One tick of a 1 Hz counter is one second, exactly. */
    init_ok(&s, 1);
    assert_int_equal(clock_ticks_to_ns(&s, 1), NS);
    assert_int_equal(clock_ticks_to_ns(&s, 7), 7 * NS);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / NS),
                     UINT64_MAX / NS * NS);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / NS + 1), UINT64_MAX);
}

static void CLK0004_init_mult_values(void **state)
{
    struct clock_scale s;

    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        assert_int_equal(s.mult, (uint64_t)(((u128)NS << 32) / rates[i]));
    }
    init_ok(&s, 1000000);
    assert_int_equal(s.mult, 1000ULL << 32);
    init_ok(&s, 62500000);
    assert_int_equal(s.mult, 16ULL << 32);
    init_ok(&s, NS);
    assert_int_equal(s.mult, 1ULL << 32);
    init_ok(&s, 1193182);
    assert_int_equal(s.mult, 3599591090043ULL);
    init_ok(&s, 2445438000ULL);
    assert_int_equal(s.mult, 1756318212ULL);
}

static void CLK0005_ticks_to_ns_accuracy_table(void **state)
{
    struct clock_scale s;

    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        for (size_t j = 0; j < N(tick_counts); j++)
            check_accuracy(&s, tick_counts[j]);
    }
}

static void CLK0006_ticks_to_ns_accuracy_random(void **state)
{
    struct clock_scale s;

    rng_state = 0x434c4b30303036ULL;
    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        for (int k = 0; k < 200000; k++)
            check_accuracy(&s, rng_mag());
    }
    /* Random rates too, across the whole accepted range. */
    for (int k = 0; k < 20000; k++) {
        uint64_t hz = rng_mag() >> 1;

        if (hz == 0)
            continue;
        init_ok(&s, hz);
        for (int j = 0; j < 8; j++)
            check_accuracy(&s, rng_mag());
        check_accuracy(&s, UINT64_MAX);
    }
}

static void CLK0007_ticks_to_ns_exact_when_mult_exact(void **state)
{
    /* 1e9 * 2^32 divisible by hz: mult has no rounding error, so the
     * result is the exact floor (while it fits). */
    static const uint64_t exact_rates[] = { 1, 1000, 1000000, 62500000,
                                            NS, 4 * NS };
    struct clock_scale s;

    for (size_t i = 0; i < N(exact_rates); i++) {
        init_ok(&s, exact_rates[i]);
        for (size_t j = 0; j < N(tick_counts); j++) {
            u128 e = exact_ns(exact_rates[i], tick_counts[j]);

            if (e <= UINT64_MAX)
                assert_int_equal(clock_ticks_to_ns(&s, tick_counts[j]),
                                 (uint64_t)e);
        }
    }
    init_ok(&s, NS);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX), UINT64_MAX);
    init_ok(&s, 4 * NS);
    assert_int_equal(clock_ticks_to_ns(&s, 3), 0);
    assert_int_equal(clock_ticks_to_ns(&s, 4), 1);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX), UINT64_MAX / 4);
}

static void CLK0008_ticks_to_ns_small_values(void **state)
{
    struct clock_scale s;

    init_ok(&s, 1193182);
    assert_int_equal(clock_ticks_to_ns(&s, 0), 0);
    assert_int_equal(clock_ticks_to_ns(&s, 1), 838);       /* 838.095 */
    assert_int_equal(clock_ticks_to_ns(&s, 1193182), NS - 1);
    init_ok(&s, 2445438000ULL);
    assert_int_equal(clock_ticks_to_ns(&s, 2), 0);         /* 0.818 */
    assert_int_equal(clock_ticks_to_ns(&s, 3), 1);         /* 1.227 */
    assert_int_equal(clock_ticks_to_ns(&s, 2445438000ULL), NS - 1);
}

static void CLK0009_ticks_to_ns_monotonic(void **state)
{
    struct clock_scale s;

    rng_state = 0x434c4b30303039ULL;
    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        for (int k = 0; k < 100000; k++) {
            uint64_t t1 = rng_mag(), t2 = rng_mag(), tmp;

            if (t1 > t2) {
                tmp = t1;
                t1 = t2;
                t2 = tmp;
            }
            assert_true(clock_ticks_to_ns(&s, t1) <= clock_ticks_to_ns(&s, t2));
            /* Neighbours too, where rounding could misbehave. */
            if (t1 < UINT64_MAX)
                assert_true(clock_ticks_to_ns(&s, t1) <=
                            clock_ticks_to_ns(&s, t1 + 1));
        }
        assert_true(clock_ticks_to_ns(&s, UINT64_MAX - 1) <=
                    clock_ticks_to_ns(&s, UINT64_MAX));
    }
}

static void CLK0010_ticks_to_ns_saturates(void **state)
{
    struct clock_scale s;

    /* Below 1 GHz the largest tick counts exceed 2^64 ns. */
    init_ok(&s, 1000000);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_ticks_to_ns(&s, 1ULL << 62), UINT64_MAX);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / 1000),
                     UINT64_MAX / 1000 * 1000);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / 1000 + 1), UINT64_MAX);
    init_ok(&s, 1193182);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX), UINT64_MAX);
    init_ok(&s, 62500000);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / 16), UINT64_MAX / 16 * 16);
    assert_int_equal(clock_ticks_to_ns(&s, UINT64_MAX / 16 + 1), UINT64_MAX);

    /* Above 1 GHz nothing saturates: 2^64 - 1 ticks is < 2^64 ns. */
    for (size_t i = 4; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        assert_true(clock_ticks_to_ns(&s, UINT64_MAX) < UINT64_MAX);
        check_accuracy(&s, UINT64_MAX);
    }
}

static void CLK0011_ns_to_ticks_exact(void **state)
{
    struct clock_scale s;

    rng_state = 0x434c4b30303131ULL;
    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        assert_int_equal(clock_ns_to_ticks(&s, 0), 0);
        assert_int_equal(clock_ns_to_ticks(&s, NS), rates[i]);
        for (int k = 0; k < 100000; k++) {
            uint64_t ns = rng_mag();
            u128 want = (u128)ns * rates[i] / NS;

            assert_int_equal(clock_ns_to_ticks(&s, ns),
                             want > UINT64_MAX ? UINT64_MAX : (uint64_t)want);
        }
    }
    init_ok(&s, 1193182);
    assert_int_equal(clock_ns_to_ticks(&s, 838), 0);        /* 0.99989 */
    assert_int_equal(clock_ns_to_ticks(&s, 839), 1);
    assert_int_equal(clock_ns_to_ticks(&s, 50000000), 59659); /* 59659.1 */
}

static void CLK0012_ns_to_ticks_saturates(void **state)
{
    struct clock_scale s;

    init_ok(&s, 5000000000ULL);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX / 5),
                     UINT64_MAX / 5 * 5);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX / 5 + 1), UINT64_MAX);
    init_ok(&s, (1ULL << 63) - 1);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_ns_to_ticks(&s, 2), (uint64_t)(((u128)2 * ((1ULL << 63) - 1)) / NS));
    /* At or below 1 GHz the result always fits. */
    init_ok(&s, NS);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX), UINT64_MAX);
    init_ok(&s, 1000000);
    assert_int_equal(clock_ns_to_ticks(&s, UINT64_MAX), UINT64_MAX / 1000);
}

/*
 * ticks -> ns -> ticks. With E = t * 1e9 / hz and ns >= floor(E) - B(t):
 * ns <= E gives t' <= t, and ns > E - B(t) - 1 gives
 * t - t' <= ceil((B(t) + 1) * hz / 1e9). That is within one tick whenever
 * (B(t) + 1) * hz <= 1e9, e.g. rates up to 500 MHz and t <= 2^32; faster
 * counters lose up to ceil(hz / 1e9) ticks per nanosecond of rounding.
 */
static void check_tick_round_trip(const struct clock_scale *s, uint64_t t)
{
    uint64_t ns = clock_ticks_to_ns(s, t);
    uint64_t back = clock_ns_to_ticks(s, ns);
    u128 slack = ((u128)(fp_bound(t) + 1) * s->hz + NS - 1) / NS;

    assert_true(back <= t);
    if (ns == UINT64_MAX)
        return;                 /* saturated: only back <= t holds */
    if ((u128)(t - back) > slack)
        fail_msg("hz %llu ticks %llu -> %llu ns -> %llu ticks (slack %llu)",
                 (unsigned long long)s->hz, (unsigned long long)t,
                 (unsigned long long)ns, (unsigned long long)back,
                 (unsigned long long)slack);
}

static void CLK0013_round_trip_ticks_ns_ticks(void **state)
{
    struct clock_scale s;

    rng_state = 0x434c4b30303133ULL;
    for (size_t i = 0; i < N(rates); i++) {
        init_ok(&s, rates[i]);
        for (size_t j = 0; j < N(tick_counts); j++)
            check_tick_round_trip(&s, tick_counts[j]);
        for (int k = 0; k < 100000; k++) {
            uint64_t t = rng_mag();

            check_tick_round_trip(&s, t);
            /* The "within one tick" regime. */
            if (rates[i] <= NS / 2) {
                uint64_t small = t & 0xffffffffULL;

                assert_true(small - clock_ns_to_ticks(&s,
                                clock_ticks_to_ns(&s, small)) <= 1);
            }
        }
    }
    /* At exactly 1 GHz both directions are exact. */
    init_ok(&s, NS);
    for (int k = 0; k < 1000; k++) {
        uint64_t t = rng();

        assert_int_equal(clock_ns_to_ticks(&s, clock_ticks_to_ns(&s, t)), t);
    }
}

/*
 * ns -> ticks -> ns: t = floor(ns * hz / 1e9) exactly, so
 * t * 1e9 / hz > ns - 1e9 / hz, and the way back loses at most B(t) more:
 * 0 <= ns - ns' <= ceil(1e9 / hz) + B(t), one tick period plus the
 * fixed-point error.
 */
static void CLK0014_round_trip_ns_ticks_ns(void **state)
{
    struct clock_scale s;

    rng_state = 0x434c4b30303134ULL;
    for (size_t i = 0; i < N(rates); i++) {
        uint64_t period = (NS + rates[i] - 1) / rates[i];

        init_ok(&s, rates[i]);
        for (int k = 0; k < 100000; k++) {
            uint64_t ns = rng_mag();
            uint64_t t = clock_ns_to_ticks(&s, ns);
            uint64_t back;

            if (t == UINT64_MAX)
                continue;       /* saturated */
            back = clock_ticks_to_ns(&s, t);
            assert_true(back <= ns);
            assert_true(ns - back <= period + fp_bound(t));
        }
    }
}

static void CLK0015_calibrate_examples(void **state)
{
    /* The kernel's window: 59659 PIT ticks (50 ms at 1.193182 MHz). */
    assert_int_equal(clock_calibrate_hz(59659, 59659, 1193182), 1193182);
    assert_int_equal(clock_calibrate_hz(145893000, 59659, 1193182), 2917864890ULL);
    assert_int_equal(clock_calibrate_hz(122271900, 59659, 1193182), 2445442099ULL);
    /* Rounded down: 122271695 * 1193182 / 59659 = 2445437999.99... */
    assert_int_equal(clock_calibrate_hz(122271695, 59659, 1193182), 2445437999ULL);
    assert_int_equal(clock_calibrate_hz(1000, 1000, NS), NS);
    assert_int_equal(clock_calibrate_hz(3, 2, 5), 7);        /* 7.5 */
    assert_int_equal(clock_calibrate_hz(1, 59659, 1193182), 20);
    assert_int_equal(clock_calibrate_hz(0, 59659, 1193182), 0);
    assert_int_equal(clock_calibrate_hz(12345, 1, 1), 12345);
    assert_int_equal(clock_calibrate_hz(12345, 7, 0), 0);
    /* Products beyond 64 bits, results within. */
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, UINT64_MAX, UINT64_MAX),
                     UINT64_MAX);
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, UINT64_MAX, 1), 1);
    assert_int_equal(clock_calibrate_hz(1ULL << 40, 1ULL << 30, 1ULL << 50),
                     1ULL << 60);
}

static void CLK0016_calibrate_zero_ref_ticks(void **state)
{
    assert_int_equal(clock_calibrate_hz(0, 0, 0), 0);
    assert_int_equal(clock_calibrate_hz(122271900, 0, 1193182), 0);
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, 0, UINT64_MAX), 0);
}

static void CLK0017_calibrate_overflow_saturates(void **state)
{
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, 1, 2), UINT64_MAX);
    assert_int_equal(clock_calibrate_hz(1ULL << 63, 1, 2), UINT64_MAX);
    assert_int_equal(clock_calibrate_hz((1ULL << 63) - 1, 1, 2),
                     UINT64_MAX - 1);
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, 1, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, 2, 3), UINT64_MAX);
    assert_int_equal(clock_calibrate_hz(UINT64_MAX, 3, 2), UINT64_MAX / 3 * 2);
}

static void CLK0018_calibrate_random_against_reference(void **state)
{
    rng_state = 0x434c4b30303138ULL;
    for (int k = 0; k < 200000; k++) {
        uint64_t c = rng_mag(), r = rng_mag(), hz = rng_mag();
        u128 want;

        if (r == 0) {
            assert_int_equal(clock_calibrate_hz(c, r, hz), 0);
            continue;
        }
        want = (u128)c * hz / r;
        assert_int_equal(clock_calibrate_hz(c, r, hz),
                         want > UINT64_MAX ? UINT64_MAX : (uint64_t)want);
    }
}

static void CLK0019_calibrate_then_convert(void **state)
{
    struct clock_scale s;
    uint64_t hz = clock_calibrate_hz(122271900, 59659, 1193182);

    init_ok(&s, hz);
    /* One second of the calibrated counter reads as one second. */
    assert_true(NS - clock_ticks_to_ns(&s, hz) <= 1);
    /* A 50 ms PIT window, measured back through the scale. */
    assert_true(clock_ticks_to_ns(&s, 122271900) >= 50000000 - 1000);
    assert_true(clock_ticks_to_ns(&s, 122271900) <= 50000000 + 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(CLK0001_init_rejects_zero),
        cmocka_unit_test(CLK0002_init_rejects_hz_from_2_63),
        cmocka_unit_test(CLK0003_init_lowest_rates_fit),
        cmocka_unit_test(CLK0004_init_mult_values),
        cmocka_unit_test(CLK0005_ticks_to_ns_accuracy_table),
        cmocka_unit_test(CLK0006_ticks_to_ns_accuracy_random),
        cmocka_unit_test(CLK0007_ticks_to_ns_exact_when_mult_exact),
        cmocka_unit_test(CLK0008_ticks_to_ns_small_values),
        cmocka_unit_test(CLK0009_ticks_to_ns_monotonic),
        cmocka_unit_test(CLK0010_ticks_to_ns_saturates),
        cmocka_unit_test(CLK0011_ns_to_ticks_exact),
        cmocka_unit_test(CLK0012_ns_to_ticks_saturates),
        cmocka_unit_test(CLK0013_round_trip_ticks_ns_ticks),
        cmocka_unit_test(CLK0014_round_trip_ns_ticks_ns),
        cmocka_unit_test(CLK0015_calibrate_examples),
        cmocka_unit_test(CLK0016_calibrate_zero_ref_ticks),
        cmocka_unit_test(CLK0017_calibrate_overflow_saturates),
        cmocka_unit_test(CLK0018_calibrate_random_against_reference),
        cmocka_unit_test(CLK0019_calibrate_then_convert),
    };

    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
