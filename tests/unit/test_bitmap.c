/*
 * Unit tests for kernel/mm/bitmap.c: single bits, ranges across word
 * boundaries, clipping at nbits, the tail-bits-stay-clear invariant, and the
 * two searches (including alignment and limits), plus a randomized run
 * against a plain bool-array model with a fixed seed.
 */
#include "unit.h"

#include "mm/bitmap.h"

#define NB 200                  /* 3 full words and a partial one */

static uint64_t words[(NB + 63) / 64 + 1];
static struct bitmap bm;

static int setup(void **state)
{
    memset(words, 0xa5, sizeof(words));     /* init must not rely on zeroes */
    bitmap_init(&bm, words, NB, false);
    return 0;
}

static void BMP0001_init_clear(void **state)
{
    assert_int_equal(bm.nbits, NB);
    assert_ptr_equal(bm.words, words);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 0);
    for (size_t i = 0; i < NB; i++)
        assert_false(bitmap_test(&bm, i));
    assert_int_equal(words[bitmap_words_for(NB)], 0xa5a5a5a5a5a5a5a5ULL);
}

static void BMP0002_init_set_all_keeps_tail_clear(void **state)
{
    bitmap_init(&bm, words, NB, true);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), NB);
    assert_int_equal(words[0], ~0ULL);
    assert_int_equal(words[3], (1ULL << (NB - 192)) - 1);
    /* A word-multiple size has no partial word to mask. */
    bitmap_init(&bm, words, 128, true);
    assert_int_equal(words[1], ~0ULL);
    assert_int_equal(bitmap_count_set(&bm, 0, 128), 128);
}

static void BMP0003_set_clear_test_single(void **state)
{
    size_t idx[] = { 0, 1, 63, 64, 127, 128, 199 };

    for (size_t k = 0; k < sizeof(idx) / sizeof(idx[0]); k++) {
        bitmap_set(&bm, idx[k]);
        assert_true(bitmap_test(&bm, idx[k]));
        assert_int_equal(bitmap_count_set(&bm, 0, NB), 1);
        bitmap_set(&bm, idx[k]);            /* idempotent */
        assert_int_equal(bitmap_count_set(&bm, 0, NB), 1);
        bitmap_clear(&bm, idx[k]);
        assert_false(bitmap_test(&bm, idx[k]));
        assert_int_equal(bitmap_count_set(&bm, 0, NB), 0);
    }
}

static void BMP0004_out_of_range_index_ignored(void **state)
{
    bitmap_set(&bm, NB);
    bitmap_set(&bm, (size_t)-1);
    assert_false(bitmap_test(&bm, NB));
    assert_false(bitmap_test(&bm, (size_t)-1));
    assert_int_equal(words[3], 0);
    bitmap_init(&bm, words, NB, true);
    bitmap_clear(&bm, NB + 5);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), NB);
}

static void BMP0005_set_range_across_words(void **state)
{
    bitmap_set_range(&bm, 60, 70);          /* words 0, 1 and 2 */
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 70);
    assert_false(bitmap_test(&bm, 59));
    assert_true(bitmap_test(&bm, 60));
    assert_true(bitmap_test(&bm, 129));
    assert_false(bitmap_test(&bm, 130));
    assert_int_equal(words[1], ~0ULL);
    bitmap_set_range(&bm, 5, 0);            /* empty range */
    assert_false(bitmap_test(&bm, 5));
    bitmap_set_range(&bm, 64, 64);          /* exactly one word */
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 70);
}

static void BMP0006_clear_range_across_words(void **state)
{
    bitmap_init(&bm, words, NB, true);
    bitmap_clear_range(&bm, 1, 190);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), NB - 190);
    assert_true(bitmap_test(&bm, 0));
    assert_false(bitmap_test(&bm, 1));
    assert_false(bitmap_test(&bm, 190));
    assert_true(bitmap_test(&bm, 191));
    bitmap_clear_range(&bm, 0, 0);
    assert_true(bitmap_test(&bm, 0));
}

static void BMP0007_ranges_clipped_to_nbits(void **state)
{
    bitmap_set_range(&bm, 190, 1000);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 10);
    assert_int_equal(words[3] >> (NB - 192), 0);     /* tail untouched */
    assert_int_equal(words[4], 0xa5a5a5a5a5a5a5a5ULL);
    bitmap_set_range(&bm, 100, (size_t)-1);          /* start + n overflows */
    assert_int_equal(bitmap_count_set(&bm, 0, (size_t)-1), 100);
    bitmap_set_range(&bm, NB, 5);
    bitmap_set_range(&bm, (size_t)-1, (size_t)-1);
    assert_int_equal(words[4], 0xa5a5a5a5a5a5a5a5ULL);
    bitmap_clear_range(&bm, 150, (size_t)-1);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 50);
    bitmap_clear_range(&bm, NB + 1, 3);
    assert_int_equal(bitmap_count_set(&bm, 0, NB), 50);
}

static void BMP0008_count_set_partial_ranges(void **state)
{
    bitmap_set_range(&bm, 10, 100);          /* [10, 110) */
    assert_int_equal(bitmap_count_set(&bm, 0, 10), 0);
    assert_int_equal(bitmap_count_set(&bm, 10, 1), 1);
    assert_int_equal(bitmap_count_set(&bm, 60, 10), 10);
    assert_int_equal(bitmap_count_set(&bm, 100, 100), 10);
    assert_int_equal(bitmap_count_set(&bm, 5, 0), 0);
    assert_int_equal(bitmap_count_set(&bm, NB, 10), 0);
    assert_int_equal(bitmap_count_set(&bm, 109, (size_t)-1), 1);
}

static void BMP0009_find_clear_basic(void **state)
{
    assert_int_equal(bitmap_find_clear(&bm, 0, NB), 0);
    bitmap_set_range(&bm, 0, 5);
    assert_int_equal(bitmap_find_clear(&bm, 0, NB), 5);
    assert_int_equal(bitmap_find_clear(&bm, 3, NB), 5);
    assert_int_equal(bitmap_find_clear(&bm, 7, NB), 7);
    assert_int_equal(bitmap_find_clear(&bm, 199, NB), 199);
}

static void BMP0010_find_clear_skips_full_words(void **state)
{
    bitmap_set_range(&bm, 0, 197);
    assert_int_equal(bitmap_find_clear(&bm, 0, NB), 197);
    assert_int_equal(bitmap_find_clear(&bm, 70, NB), 197);
    bitmap_clear(&bm, 64);
    assert_int_equal(bitmap_find_clear(&bm, 0, NB), 64);
    assert_int_equal(bitmap_find_clear(&bm, 65, NB), 197);
}

static void BMP0011_find_clear_limit(void **state)
{
    bitmap_set_range(&bm, 0, 100);
    assert_int_equal(bitmap_find_clear(&bm, 0, 100), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, 0, 101), 100);
    assert_int_equal(bitmap_find_clear(&bm, 50, 50), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, 120, 110), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, NB, (size_t)-1), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, (size_t)-1, (size_t)-1),
                     BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, 150, (size_t)-1), 150);
}

static void BMP0012_find_clear_none_when_full(void **state)
{
    bitmap_init(&bm, words, NB, true);
    /* The clear tail bits past nbits must never be reported. */
    assert_int_equal(bitmap_find_clear(&bm, 0, (size_t)-1), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear(&bm, 195, (size_t)-1), BITMAP_NONE);
    bitmap_clear(&bm, NB - 1);
    assert_int_equal(bitmap_find_clear(&bm, 0, (size_t)-1), NB - 1);
}

static void BMP0013_find_clear_run_basic(void **state)
{
    bitmap_set_range(&bm, 0, 3);
    bitmap_set(&bm, 6);
    assert_int_equal(bitmap_find_clear_run(&bm, 3, 1, 0, NB), 3);
    assert_int_equal(bitmap_find_clear_run(&bm, 4, 1, 0, NB), 7);
    assert_int_equal(bitmap_find_clear_run(&bm, 1, 1, 0, NB), 3);
    assert_int_equal(bitmap_find_clear_run(&bm, 2, 1, 5, NB), 7);
    assert_int_equal(bitmap_find_clear_run(&bm, NB - 7, 1, 0, NB), 7);
    assert_int_equal(bitmap_find_clear_run(&bm, NB - 6, 1, 0, NB),
                     BITMAP_NONE);
}

static void BMP0014_find_clear_run_alignment(void **state)
{
    bitmap_set(&bm, 0);
    assert_int_equal(bitmap_find_clear_run(&bm, 4, 8, 0, NB), 8);
    assert_int_equal(bitmap_find_clear_run(&bm, 4, 64, 0, NB), 64);
    assert_int_equal(bitmap_find_clear_run(&bm, 2, 3, 0, NB), 3);  /* not 2^k */
    bitmap_set(&bm, 65);
    assert_int_equal(bitmap_find_clear_run(&bm, 4, 64, 0, NB), 128);
    assert_int_equal(bitmap_find_clear_run(&bm, 1, 64, 0, NB), 64);
    assert_int_equal(bitmap_find_clear_run(&bm, 80, 64, 0, NB), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 72, 64, 0, NB), 128);
    /* Huge alignments: only index 0 qualifies, and it is taken. */
    assert_int_equal(bitmap_find_clear_run(&bm, 1, (size_t)1 << 62, 0, NB),
                     BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 1, (size_t)-1, 1, NB),
                     BITMAP_NONE);
}

static void BMP0015_find_clear_run_across_words(void **state)
{
    bitmap_set_range(&bm, 0, NB);
    bitmap_clear_range(&bm, 40, 100);        /* [40, 140) spans three words */
    assert_int_equal(bitmap_find_clear_run(&bm, 100, 1, 0, NB), 40);
    assert_int_equal(bitmap_find_clear_run(&bm, 101, 1, 0, NB), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 76, 64, 0, NB), 64);
    assert_int_equal(bitmap_find_clear_run(&bm, 77, 64, 0, NB), BITMAP_NONE);
    bitmap_set(&bm, 100);
    assert_int_equal(bitmap_find_clear_run(&bm, 60, 1, 0, NB), 40);
    assert_int_equal(bitmap_find_clear_run(&bm, 61, 1, 0, NB), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 39, 1, 62, NB), 101);
}

static void BMP0016_find_clear_run_limits(void **state)
{
    assert_int_equal(bitmap_find_clear_run(&bm, 10, 1, 0, 10), 0);
    assert_int_equal(bitmap_find_clear_run(&bm, 10, 1, 0, 9), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 10, 1, 190, NB), 190);
    assert_int_equal(bitmap_find_clear_run(&bm, 10, 1, 191, (size_t)-1),
                     BITMAP_NONE);              /* limit clipped to nbits */
    assert_int_equal(bitmap_find_clear_run(&bm, 1, 1, NB, (size_t)-1),
                     BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 5, 1, 30, 20), BITMAP_NONE);
}

static void BMP0017_find_clear_run_degenerate(void **state)
{
    assert_int_equal(bitmap_find_clear_run(&bm, 0, 1, 0, NB), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 3, 0, 5, NB), 5); /* align 0 */
    assert_int_equal(bitmap_find_clear_run(&bm, NB + 1, 1, 0, NB),
                     BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, (size_t)-1, 1, 0, (size_t)-1),
                     BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&bm, 1, 8, (size_t)-3, (size_t)-1),
                     BITMAP_NONE);            /* start far past nbits */
}

static void BMP0018_zero_bits(void **state)
{
    uint64_t spare = 0x1234;
    struct bitmap z;

    bitmap_init(&z, &spare, 0, true);
    assert_int_equal(spare, 0x1234);
    bitmap_set(&z, 0);
    bitmap_set_range(&z, 0, 10);
    assert_false(bitmap_test(&z, 0));
    assert_int_equal(bitmap_count_set(&z, 0, 10), 0);
    assert_int_equal(bitmap_find_clear(&z, 0, 10), BITMAP_NONE);
    assert_int_equal(bitmap_find_clear_run(&z, 1, 1, 0, 10), BITMAP_NONE);
    bitmap_init(&z, NULL, 100, false);         /* no storage: empty bitmap */
    assert_int_equal(z.nbits, 0);
    assert_int_equal(bitmap_find_clear(&z, 0, 100), BITMAP_NONE);
}

/* ---- randomized comparison with a bool-array model ------------------- */

#define RB 777

static bool model[RB];

static size_t model_find_run(size_t n, size_t align, size_t start,
                             size_t limit)
{
    if (limit > RB)
        limit = RB;
    if (n == 0)
        return BITMAP_NONE;
    for (size_t p = (start + align - 1) / align * align; p + n <= limit;
         p += align) {
        size_t k = 0;

        while (k < n && !model[p + k])
            k++;
        if (k == n)
            return p;
    }
    return BITMAP_NONE;
}

static void random_op(struct bitmap *b, unsigned op, size_t s, size_t n)
{
    switch (op) {
    case 0:
        bitmap_set_range(b, s, n);
        for (size_t i = s; i < s + n && i < RB; i++)
            model[i] = true;
        break;
    case 1:
        bitmap_clear_range(b, s, n);
        for (size_t i = s; i < s + n && i < RB; i++)
            model[i] = false;
        break;
    case 2:
        bitmap_set(b, s);
        if (s < RB)
            model[s] = true;
        break;
    default:
        bitmap_clear(b, s);
        if (s < RB)
            model[s] = false;
        break;
    }
}

static void BMP0019_random_against_model(void **state)
{
    static uint64_t w[(RB + 63) / 64];
    struct bitmap b;
    size_t aligns[] = { 1, 2, 3, 8, 64, 128 };

    srand(0xb17);
    bitmap_init(&b, w, RB, false);
    memset(model, 0, sizeof(model));
    for (int iter = 0; iter < 4000; iter++) {
        size_t s = (size_t)rand() % (RB + 20), n = (size_t)rand() % 150;
        size_t lim = (size_t)rand() % (RB + 40), a = aligns[rand() % 6];
        size_t cnt = 0, first = BITMAP_NONE;

        random_op(&b, (unsigned)rand() % 4, s, n);
        for (size_t i = s; i < s + n && i < RB; i++)
            cnt += model[i];
        assert_int_equal(bitmap_count_set(&b, s, n), cnt);
        for (size_t i = s; i < lim && i < RB && first == BITMAP_NONE; i++)
            if (!model[i])
                first = i;
        assert_int_equal(bitmap_find_clear(&b, s, lim), first);
        assert_int_equal(bitmap_find_clear_run(&b, n / 4 + 1, a, s, lim),
                         model_find_run(n / 4 + 1, a, s, lim));
        assert_int_equal(w[bitmap_words_for(RB) - 1] >> (RB % 64), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(BMP0001_init_clear, setup),
        cmocka_unit_test_setup(BMP0002_init_set_all_keeps_tail_clear, setup),
        cmocka_unit_test_setup(BMP0003_set_clear_test_single, setup),
        cmocka_unit_test_setup(BMP0004_out_of_range_index_ignored, setup),
        cmocka_unit_test_setup(BMP0005_set_range_across_words, setup),
        cmocka_unit_test_setup(BMP0006_clear_range_across_words, setup),
        cmocka_unit_test_setup(BMP0007_ranges_clipped_to_nbits, setup),
        cmocka_unit_test_setup(BMP0008_count_set_partial_ranges, setup),
        cmocka_unit_test_setup(BMP0009_find_clear_basic, setup),
        cmocka_unit_test_setup(BMP0010_find_clear_skips_full_words, setup),
        cmocka_unit_test_setup(BMP0011_find_clear_limit, setup),
        cmocka_unit_test_setup(BMP0012_find_clear_none_when_full, setup),
        cmocka_unit_test_setup(BMP0013_find_clear_run_basic, setup),
        cmocka_unit_test_setup(BMP0014_find_clear_run_alignment, setup),
        cmocka_unit_test_setup(BMP0015_find_clear_run_across_words, setup),
        cmocka_unit_test_setup(BMP0016_find_clear_run_limits, setup),
        cmocka_unit_test_setup(BMP0017_find_clear_run_degenerate, setup),
        cmocka_unit_test_setup(BMP0018_zero_bits, setup),
        cmocka_unit_test_setup(BMP0019_random_against_model, setup),
    };

    return cmocka_run_group_tests_name("bitmap", tests, NULL, NULL);
}
