/*
 * Unit tests for the C library's qsort and bsearch: random arrays against
 * glibc's qsort, element sizes that are not word multiples, inputs built
 * against quicksort (sorted, reversed, equal, organ pipe, McIlroy's
 * adversary) with a bound on comparisons, and a comparator that lies.
 */
#include "unit.h"

#include <math.h>

#include "libc_host.h"

static unsigned long comparisons;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    comparisons++;
    return (x > y) - (x < y);
}

static void sort_both_and_compare(int *a, size_t n)
{
    int *b = malloc((n + 1) * sizeof(int));

    memcpy(b, a, n * sizeof(int));
    lc_qsort(a, n, sizeof(int), cmp_int);
    qsort(b, n, sizeof(int), cmp_int);
    assert_memory_equal(a, b, n * sizeof(int));
    free(b);
}

static void LCQ0001_random_like_glibc(void **state)
{
    int a[3000];

    rng_state = 0x9507;
    for (size_t n = 0; n < 3000; n = n < 40 ? n + 1 : n * 3 / 2) {
        for (long range = 2; range <= 1L << 30; range <<= 7) {
            for (size_t i = 0; i < n; i++)
                a[i] = (int)((long)(rng() % (uint64_t)range) - range / 2);
            sort_both_and_compare(a, n);
        }
    }
}

/* Records of 1, 3, 13 and 100 bytes: sorted by key, nothing lost. */
static int cmp_key(const void *a, const void *b)
{
    unsigned char x = *(const unsigned char *)a, y = *(const unsigned char *)b;

    return (x > y) - (x < y);
}

static void LCQ0002_odd_element_sizes(void **state)
{
    static const size_t sizes[] = {1, 3, 13, 100};
    unsigned char buf[500 * 100];

    rng_state = 0x5123;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t size = sizes[s], n = sizeof(buf) / size < 500 ? sizeof(buf) / size : 500;
        uint64_t sum_before = 0, sum_after = 0;
        for (size_t i = 0; i < n * size; i++) {
            buf[i] = (unsigned char)rng();
            sum_before += buf[i] * (i % size + 1);
        }
        lc_qsort(buf, n, size, cmp_key);
        for (size_t i = 1; i < n; i++)
            assert_true(buf[(i - 1) * size] <= buf[i * size]);
        for (size_t i = 0; i < n * size; i++)
            sum_after += buf[i] * (i % size + 1);
        assert_int_equal(sum_before, sum_after);        /* records moved whole */
    }
}

/* McIlroy, "A killer adversary for quicksort" (1999): values are fixed
 * only as the sort compares them, always so as to hurt it most. */
static struct {
    int *val;
    int gas, nsolid, candidate;
} adv;

static int cmp_adversary(const void *px, const void *py)
{
    int x = *(const int *)px, y = *(const int *)py;

    comparisons++;
    if (adv.val[x] == adv.gas && adv.val[y] == adv.gas) {
        if (x == adv.candidate)
            adv.val[x] = adv.nsolid++;
        else
            adv.val[y] = adv.nsolid++;
    }
    if (adv.val[x] == adv.gas)
        adv.candidate = x;
    else if (adv.val[y] == adv.gas)
        adv.candidate = y;
    return adv.val[x] - adv.val[y];
}

static unsigned long bound(size_t n)
{
    return (unsigned long)(5.0 * n * log2((double)n)) + n;
}

static void LCQ0003_adversarial_inputs_stay_n_log_n(void **state)
{
    enum { N = 20000 };
    static int a[N];

    for (int shape = 0; shape < 7; shape++) {
        for (int i = 0; i < N; i++) {
            switch (shape) {
            case 0: a[i] = i; break;                            /* sorted */
            case 1: a[i] = N - i; break;                        /* reversed */
            case 2: a[i] = 7; break;                            /* all equal */
            case 3: a[i] = i < N / 2 ? i : N - i; break;        /* organ pipe */
            case 4: a[i] = i % 100; break;                      /* sawtooth */
            case 5: a[i] = (int)(rng() % 3); break;             /* few keys */
            default: a[i] = i % 2 ? i : N - i; break;           /* interleaved */
            }
        }
        comparisons = 0;
        sort_both_and_compare(a, N);            /* counts both libraries... */
        comparisons = 0;
        for (int i = 0; i < N; i++)             /* ...so count ours alone */
            a[i] = shape == 2 ? 7 : i;
        lc_qsort(a, N, sizeof(int), cmp_int);
        assert_true(comparisons <= bound(N));
    }

    static int val[N], idx[N];
    adv.val = val;
    adv.gas = N;
    adv.nsolid = adv.candidate = 0;
    for (int i = 0; i < N; i++) {
        val[i] = N;
        idx[i] = i;
    }
    comparisons = 0;
    lc_qsort(idx, N, sizeof(int), cmp_adversary);
    print_message("adversary: %lu comparisons for %d elements (bound %lu)\n", comparisons, N,
                  bound(N));
    assert_true(comparisons <= bound(N));
    for (int i = 1; i < N; i++)
        assert_true(val[idx[i - 1]] <= val[idx[i]]);
}

/* A comparator that answers at random: the order is anyone's, but every
 * access stays inside the array (ASan would say) and nothing is lost. */
static int cmp_random(const void *a, const void *b)
{
    return (int)(rng() % 3) - 1;
}

static void LCQ0004_lying_comparator_is_safe(void **state)
{
    int a[1000];
    long sum = 0, after = 0;

    rng_state = 0x11e;
    for (int i = 0; i < 1000; i++)
        sum += a[i] = (int)(rng() % 100000);
    for (int round = 0; round < 20; round++)
        lc_qsort(a, 1000, sizeof(int), cmp_random);
    for (int i = 0; i < 1000; i++)
        after += a[i];
    assert_int_equal(sum, after);
    lc_qsort(NULL, 0, sizeof(int), cmp_int);
    lc_qsort(a, 1, sizeof(int), cmp_int);
}

static void LCQ0005_bsearch(void **state)
{
    int a[200], key;

    for (int i = 0; i < 200; i++)
        a[i] = 3 * i;
    for (size_t n = 0; n <= 200; n += n < 10 ? 1 : 37)
        for (key = -2; key < 610; key++) {
            void *l = lc_bsearch(&key, a, n, sizeof(int), cmp_int);
            void *g = bsearch(&key, a, n, sizeof(int), cmp_int);
            assert_ptr_equal(l, g);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCQ0001_random_like_glibc),
        cmocka_unit_test(LCQ0002_odd_element_sizes),
        cmocka_unit_test(LCQ0003_adversarial_inputs_stay_n_log_n),
        cmocka_unit_test(LCQ0004_lying_comparator_is_safe),
        cmocka_unit_test(LCQ0005_bsearch),
    };

    return cmocka_run_group_tests_name("libc_qsort", tests, NULL, NULL);
}
