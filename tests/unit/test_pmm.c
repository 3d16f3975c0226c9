/*
 * Unit tests for kernel/mm/pmm.c: init from usable ranges, exact counts
 * through exhaustion and release, refusal of every bad free without any
 * state change, reserve, alloc_contig alignment and max_phys limits, and a
 * randomized alloc/free run against a model with a fixed seed.
 */
#include "unit.h"

#include "mm/pmm.h"

#define F 4096ULL
#define MAXP (16 * 1024 * 1024ULL)      /* 4096 frames */
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t storage[2 * (MAXP / F / 64) + 2];
static struct pmm pm;

/* Two usable ranges with a hole: frames [16, 256) and [512, 4096). */
static const struct phys_range two_ranges[] = {
    { 16 * F, 256 * F }, { 512 * F, MAXP },
};
#define TWO_RANGES_FRAMES (240 + 3584)

static int setup(void **state)
{
    memset(storage, 0x5a, sizeof(storage));
    pmm_init(&pm, storage, MAXP, two_ranges, N(two_ranges));
    return 0;
}

static bool in_two_ranges(uint64_t phys)
{
    return (phys >= 16 * F && phys < 256 * F) || (phys >= 512 * F && phys < MAXP);
}

/* A snapshot of everything a refused call must leave alone. */
struct snap {
    uint64_t free, hint;
    uint64_t words[N(storage)];
};

static void take_snap(struct snap *s)
{
    s->free = pm.free_frames;
    s->hint = pm.hint;
    memcpy(s->words, storage, sizeof(storage));
}

static void assert_unchanged(const struct snap *s)
{
    assert_int_equal(pm.free_frames, s->free);
    assert_int_equal(pm.hint, s->hint);
    assert_memory_equal(s->words, storage, sizeof(storage));
}

static void PMM0001_storage_bytes(void **state)
{
    assert_int_equal(pmm_storage_bytes(0), 0);
    assert_int_equal(pmm_storage_bytes(F - 1), 0);
    assert_int_equal(pmm_storage_bytes(F), 16);          /* 2 x one word */
    assert_int_equal(pmm_storage_bytes(64 * F), 16);
    assert_int_equal(pmm_storage_bytes(65 * F), 32);
    assert_int_equal(pmm_storage_bytes(MAXP), 2 * 64 * 8);
    assert_int_equal(pmm_storage_bytes(4ULL << 30), 2 * 16384 * 8);
}

static void PMM0002_init_counts(void **state)
{
    assert_int_equal(pm.nframes, MAXP / F);
    assert_int_equal(pmm_usable_count(&pm), TWO_RANGES_FRAMES);
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0003_init_clips_overlaps_and_unaligned(void **state)
{
    struct phys_range r[] = {
        { 0x1800, 0x5800 },             /* shrinks inward to frames 2..4 */
        { 3 * F, 6 * F },               /* overlaps: 2..5 in all */
        { 100 * F, 50 * F },            /* inverted: ignored */
        { 4000 * F, 9000 * F },         /* clipped to max_phys */
        { UINT64_MAX - 10, UINT64_MAX },
    };

    pmm_init(&pm, storage, MAXP + 0x800, r, N(r));  /* partial frame dropped */
    assert_int_equal(pm.nframes, MAXP / F);
    assert_int_equal(pmm_usable_count(&pm), 4 + 96);
    assert_int_equal(pmm_free_count(&pm), 4 + 96);
    assert_int_equal(pmm_check(&pm), AE_OK);
    pmm_init(&pm, storage, MAXP, NULL, 3);          /* no ranges at all */
    assert_int_equal(pmm_usable_count(&pm), 0);
    assert_int_equal(pmm_check(&pm), AE_OK);
    pmm_init(&pm, NULL, MAXP, r, N(r));             /* no storage: empty */
    assert_int_equal(pm.nframes, 0);
    assert_int_equal(pmm_free_count(&pm), 0);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0004_alloc_only_usable_distinct_frames(void **state)
{
    static bool seen[MAXP / F];
    uint64_t phys;

    memset(seen, 0, sizeof(seen));
    for (uint64_t i = 0; i < TWO_RANGES_FRAMES; i++) {
        assert_int_equal(pmm_alloc_frame(&pm, &phys), AE_OK);
        assert_int_equal(phys % F, 0);
        assert_true(in_two_ranges(phys));
        assert_false(seen[phys / F]);
        seen[phys / F] = true;
    }
    assert_int_equal(pmm_free_count(&pm), 0);
    phys = 0x1234;
    assert_int_equal(pmm_alloc_frame(&pm, &phys), AE_ERR_NOMEM);
    assert_int_equal(phys, 0x1234);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, 0, &phys), AE_ERR_NOMEM);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0005_exhaust_then_free_all(void **state)
{
    static uint64_t got[TWO_RANGES_FRAMES];

    for (size_t i = 0; i < TWO_RANGES_FRAMES; i++)
        assert_int_equal(pmm_alloc_frame(&pm, &got[i]), AE_OK);
    assert_int_equal(pmm_check(&pm), AE_OK);
    for (size_t i = 0; i < TWO_RANGES_FRAMES; i++) {
        assert_int_equal(pmm_free_frame(&pm, got[i]), AE_OK);
        assert_int_equal(pmm_free_count(&pm), i + 1);
    }
    assert_int_equal(pmm_free_count(&pm), pmm_usable_count(&pm));
    assert_int_equal(pmm_check(&pm), AE_OK);
    /* Everything is reusable after a full cycle. */
    for (size_t i = 0; i < TWO_RANGES_FRAMES; i++)
        assert_int_equal(pmm_alloc_frame(&pm, &got[i]), AE_OK);
    assert_int_equal(pmm_free_count(&pm), 0);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0006_double_free_refused(void **state)
{
    uint64_t a, b;
    struct snap s;

    assert_int_equal(pmm_alloc_frame(&pm, &a), AE_OK);
    assert_int_equal(pmm_alloc_frame(&pm, &b), AE_OK);
    assert_int_equal(pmm_free_frame(&pm, a), AE_OK);
    take_snap(&s);
    assert_int_equal(pmm_free_frame(&pm, a), AE_ERR_INVAL);
    assert_int_equal(pmm_free_contig(&pm, a, 1), AE_ERR_INVAL);
    /* A range that is half allocated, half free: nothing is freed. */
    assert_int_equal(pmm_free_contig(&pm, b, 2), AE_ERR_INVAL);
    assert_unchanged(&s);
    assert_int_equal(pmm_free_frame(&pm, b), AE_OK);
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0007_bad_addresses_refused(void **state)
{
    uint64_t a;
    struct snap s;

    assert_int_equal(pmm_alloc_frame(&pm, &a), AE_OK);
    pmm_reserve(&pm, 250 * F, 260 * F);     /* 250..255 usable, rest hole */
    take_snap(&s);
    assert_int_equal(pmm_free_frame(&pm, 0), AE_ERR_INVAL);        /* hole */
    assert_int_equal(pmm_free_frame(&pm, 300 * F), AE_ERR_INVAL);  /* hole */
    assert_int_equal(pmm_free_frame(&pm, MAXP), AE_ERR_INVAL);     /* past */
    assert_int_equal(pmm_free_frame(&pm, UINT64_MAX & ~(F - 1)), AE_ERR_INVAL);
    assert_int_equal(pmm_free_frame(&pm, a + 8), AE_ERR_INVAL);    /* unaligned */
    assert_int_equal(pmm_free_contig(&pm, a, 0), AE_ERR_INVAL);
    assert_int_equal(pmm_free_contig(&pm, a, (size_t)-1), AE_ERR_INVAL);
    assert_int_equal(pmm_free_contig(&pm, MAXP - F, 2), AE_ERR_INVAL);
    /* Straddling the end of a usable range into the hole. */
    assert_int_equal(pmm_free_contig(&pm, 255 * F, 2), AE_ERR_INVAL);
    assert_int_equal(pmm_free_contig(&pm, 250 * F, 10), AE_ERR_INVAL);
    assert_unchanged(&s);
    assert_int_equal(pmm_free_contig(&pm, 250 * F, 6), AE_OK);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0008_reserve(void **state)
{
    uint64_t phys;

    pmm_reserve(&pm, 20 * F + 5, 30 * F - 5);       /* outward: 20..29 */
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 10);
    pmm_reserve(&pm, 25 * F, 35 * F);               /* overlap: 30..34 new */
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 15);
    pmm_reserve(&pm, 0, 16 * F);                    /* never usable */
    pmm_reserve(&pm, 300 * F, 400 * F);
    pmm_reserve(&pm, MAXP, UINT64_MAX);             /* past the end */
    pmm_reserve(&pm, 50 * F, 40 * F);               /* inverted */
    pmm_reserve(&pm, 50 * F, 50 * F);               /* empty */
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 15);
    assert_int_equal(pmm_usable_count(&pm), TWO_RANGES_FRAMES);
    assert_int_equal(pmm_check(&pm), AE_OK);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(pmm_alloc_frame(&pm, &phys), AE_OK);
        assert_true(phys < 20 * F || phys >= 35 * F);
    }
    /* A reserved usable frame may be released later (boot data). */
    assert_int_equal(pmm_free_contig(&pm, 20 * F, 15), AE_OK);
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 20);
    pmm_reserve(&pm, 4000 * F, UINT64_MAX);         /* end rounds past 2^64 */
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 20 - 96);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0009_contig_alignment(void **state)
{
    uint64_t phys;

    assert_int_equal(pmm_alloc_contig(&pm, 3, 0, 0, &phys), AE_OK);
    assert_int_equal(phys, 16 * F);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 64 * F, 0, &phys), AE_OK);
    assert_int_equal(phys, 64 * F);
    assert_int_equal(pmm_alloc_contig(&pm, 512, 2 * 1024 * 1024, 0, &phys),
                     AE_OK);
    assert_int_equal(phys, 512 * F);                /* first free 2M slot */
    assert_int_equal(phys % (2 * 1024 * 1024), 0);
    assert_int_equal(pmm_alloc_contig(&pm, 1, MAXP, 0, &phys), AE_ERR_NOMEM);
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - 516);
    assert_int_equal(pmm_free_contig(&pm, 512 * F, 512), AE_OK);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0010_contig_max_phys(void **state)
{
    uint64_t phys;

    assert_int_equal(pmm_alloc_contig(&pm, 240, 0, 256 * F, &phys), AE_OK);
    assert_int_equal(phys, 16 * F);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, 256 * F, &phys),
                     AE_ERR_NOMEM);
    assert_int_equal(pmm_free_contig(&pm, 16 * F, 240), AE_OK);
    /* A limit that is not frame aligned only admits whole frames below it. */
    assert_int_equal(pmm_alloc_contig(&pm, 240, 0, 256 * F - 1, &phys),
                     AE_ERR_NOMEM);
    assert_int_equal(pmm_alloc_contig(&pm, 239, 0, 256 * F - 1, &phys), AE_OK);
    assert_int_equal(phys + 239 * F, 255 * F);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, F, &phys), AE_ERR_NOMEM);
    assert_int_equal(pmm_alloc_contig(&pm, 4, 0, UINT64_MAX, &phys), AE_OK);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0011_contig_bad_args(void **state)
{
    uint64_t phys = 7;
    struct snap s;

    take_snap(&s);
    assert_int_equal(pmm_alloc_contig(&pm, 0, 0, 0, &phys), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, 0, NULL), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 2048, 0, &phys), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 3 * F, 0, &phys), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 1, 0, &phys), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_frame(&pm, NULL), AE_ERR_INVAL);
    assert_int_equal(pmm_alloc_contig(&pm, (size_t)-1, 0, 0, &phys),
                     AE_ERR_NOMEM);
    assert_int_equal(pmm_alloc_contig(&pm, TWO_RANGES_FRAMES, 0, 0, &phys),
                     AE_ERR_NOMEM);                 /* hole splits it */
    assert_int_equal(pmm_alloc_contig(&pm, 1, 1ULL << 63, 0, &phys),
                     AE_ERR_NOMEM);
    assert_int_equal(phys, 7);
    assert_unchanged(&s);
}

static void PMM0012_contig_fragmented(void **state)
{
    uint64_t phys;

    /* Reserve every other frame of the first range: no run of 2 there. */
    for (uint64_t f = 16; f < 256; f += 2)
        pmm_reserve(&pm, f * F, f * F + 1);
    assert_int_equal(pmm_alloc_contig(&pm, 2, 0, 256 * F, &phys),
                     AE_ERR_NOMEM);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, 256 * F, &phys), AE_OK);
    assert_int_equal(phys, 17 * F);
    assert_int_equal(pmm_alloc_contig(&pm, 2, 0, 0, &phys), AE_OK);
    assert_int_equal(phys, 512 * F);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0013_next_fit_hint(void **state)
{
    uint64_t a, b, c;

    assert_int_equal(pmm_alloc_frame(&pm, &a), AE_OK);
    assert_int_equal(pmm_alloc_frame(&pm, &b), AE_OK);
    assert_int_equal(b, a + F);
    assert_int_equal(pmm_free_frame(&pm, a), AE_OK);
    /* Next-fit moves on instead of rescanning from the bottom... */
    assert_int_equal(pmm_alloc_frame(&pm, &c), AE_OK);
    assert_int_equal(c, b + F);
    /* ...and wraps to pick up freed frames once the top is used up. */
    pmm_reserve(&pm, c + F, MAXP);
    assert_int_equal(pmm_alloc_frame(&pm, &c), AE_OK);
    assert_int_equal(c, a);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

static void PMM0014_check_detects_corruption(void **state)
{
    uint64_t phys;

    assert_int_equal(pmm_alloc_frame(&pm, &phys), AE_OK);
    pm.free_frames++;
    assert_int_equal(pmm_check(&pm), AE_ERR_CORRUPT);
    pm.free_frames--;
    assert_int_equal(pmm_check(&pm), AE_OK);
    bitmap_clear(&pm.used, 0);              /* a never-usable frame "free" */
    pm.free_frames++;
    assert_int_equal(pmm_check(&pm), AE_ERR_CORRUPT);
    bitmap_set(&pm.used, 0);
    pm.free_frames--;
    pm.usable_frames--;
    assert_int_equal(pmm_check(&pm), AE_ERR_CORRUPT);
    pm.usable_frames++;
    pm.hint = pm.nframes + 1;
    assert_int_equal(pmm_check(&pm), AE_ERR_CORRUPT);
}

/* Frames with nframes not a multiple of 64: the bitmap tail must not leak. */
static void PMM0015_odd_size_tail(void **state)
{
    struct phys_range r = { 0, 100 * F };
    uint64_t phys, n = 0;

    pmm_init(&pm, storage, 100 * F, &r, 1);
    while (pmm_alloc_frame(&pm, &phys) == AE_OK) {
        assert_true(phys < 100 * F);
        n++;
    }
    assert_int_equal(n, 100);
    assert_int_equal(pmm_alloc_contig(&pm, 1, 0, 0, &phys), AE_ERR_NOMEM);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

/* Random alloc/free/contig against a list of what is held (fixed seed). */
static void PMM0016_random_against_model(void **state)
{
    static uint64_t held_at[4096];
    static uint32_t held_n[4096];
    size_t nheld = 0;
    uint64_t frames = 0, phys;

    srand(0x9a1);
    for (int iter = 0; iter < 20000; iter++) {
        int op = rand() % 3;
        if (op < 2 && nheld < N(held_at)) {
            size_t n = op ? 1 + (size_t)rand() % 9 : 1;
            uint64_t align = op ? F << (rand() % 4) : F;
            int rc = op ? pmm_alloc_contig(&pm, n, align, 0, &phys)
                        : pmm_alloc_frame(&pm, &phys);
            if (rc == AE_OK) {
                assert_int_equal(phys % align, 0);
                assert_true(in_two_ranges(phys) &&
                            in_two_ranges(phys + (n - 1) * F));
                held_at[nheld] = phys;
                held_n[nheld++] = (uint32_t)n;
                frames += n;
            }
        } else if (nheld) {
            size_t k = (size_t)rand() % nheld;
            assert_int_equal(pmm_free_contig(&pm, held_at[k], held_n[k]),
                             AE_OK);
            assert_int_equal(pmm_free_frame(&pm, held_at[k]), AE_ERR_INVAL);
            frames -= held_n[k];
            held_at[k] = held_at[--nheld];
            held_n[k] = held_n[nheld];
        }
        assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES - frames);
    }
    assert_int_equal(pmm_check(&pm), AE_OK);
    while (nheld--)
        assert_int_equal(pmm_free_contig(&pm, held_at[nheld], held_n[nheld]),
                         AE_OK);
    assert_int_equal(pmm_free_count(&pm), TWO_RANGES_FRAMES);
    assert_int_equal(pmm_check(&pm), AE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(PMM0001_storage_bytes, setup),
        cmocka_unit_test_setup(PMM0002_init_counts, setup),
        cmocka_unit_test_setup(PMM0003_init_clips_overlaps_and_unaligned, setup),
        cmocka_unit_test_setup(PMM0004_alloc_only_usable_distinct_frames, setup),
        cmocka_unit_test_setup(PMM0005_exhaust_then_free_all, setup),
        cmocka_unit_test_setup(PMM0006_double_free_refused, setup),
        cmocka_unit_test_setup(PMM0007_bad_addresses_refused, setup),
        cmocka_unit_test_setup(PMM0008_reserve, setup),
        cmocka_unit_test_setup(PMM0009_contig_alignment, setup),
        cmocka_unit_test_setup(PMM0010_contig_max_phys, setup),
        cmocka_unit_test_setup(PMM0011_contig_bad_args, setup),
        cmocka_unit_test_setup(PMM0012_contig_fragmented, setup),
        cmocka_unit_test_setup(PMM0013_next_fit_hint, setup),
        cmocka_unit_test_setup(PMM0014_check_detects_corruption, setup),
        cmocka_unit_test_setup(PMM0015_odd_size_tail, setup),
        cmocka_unit_test_setup(PMM0016_random_against_model, setup),
    };

    return cmocka_run_group_tests_name("pmm", tests, NULL, NULL);
}
