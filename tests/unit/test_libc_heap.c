/*
 * Unit tests for the allocator's core (user/libc/stdlib/heap.c) over a
 * simulated source: a reserved region whose mapped part grows and shrinks
 * in pages, the unmapped rest poisoned for ASan, so a touch past the end
 * is caught. Misuse must end in the source's fail callback (here a
 * longjmp back into the test), never in corruption.
 */
#include "unit.h"

#include <sanitizer/asan_interface.h>

#include "user/libc/stdlib/heap.h"

#define REGION (64u << 20)
#define PAGE 4096u

static struct {
    char *mem;
    size_t mapped;              /* [mem, mem + mapped) is usable */
    size_t limit;               /* grow fails past this */
    size_t grows, shrinks;
    bool scatter;               /* hand out memory somewhere else */
    jmp_buf *expect_fail;
    const char *failed;
} src;

static void *sim_grow(void *ctx, size_t min, size_t *got)
{
    size_t n = (min + PAGE - 1) / PAGE * PAGE;

    if (src.mapped + n > src.limit)
        return NULL;
    char *p = src.mem + src.mapped + (src.scatter ? PAGE : 0);
    ASAN_UNPOISON_MEMORY_REGION(p, n);
    src.mapped += n;
    src.grows++;
    *got = n;
    return p;
}

static size_t sim_shrink(void *ctx, size_t max)
{
    size_t n = max / PAGE * PAGE;

    if (max == src.mapped)
        n = max;                /* the whole region: all of it */
    src.mapped -= n;
    memset(src.mem + src.mapped, 0xdd, n);
    ASAN_POISON_MEMORY_REGION(src.mem + src.mapped, n);
    src.shrinks++;
    return n;
}

static __attribute__((noreturn)) void sim_fail(void *ctx, const char *what, const void *p)
{
    src.failed = what;
    if (src.expect_fail)
        longjmp(*src.expect_fail, 1);
    print_error("heap failure: %s (%p)\n", what, p);
    abort();
}

static const struct heap_source source = {sim_grow, sim_shrink, sim_fail, NULL};
static struct heap H;

static int setup(void **state)
{
    if (!src.mem)
        src.mem = aligned_alloc(PAGE, REGION);
    ASAN_POISON_MEMORY_REGION(src.mem, REGION);
    src.mapped = src.grows = src.shrinks = 0;
    src.limit = REGION;
    src.scatter = false;
    src.expect_fail = NULL;
    src.failed = NULL;
    heap_init(&H, &source, 0x1234567890abcdefull);
    return 0;
}

/* Runs stmt, which must end in fail(); returns the failure's text. */
#define EXPECT_FAIL(stmt)                                                   \
    ({                                                                      \
        jmp_buf jb_;                                                        \
        src.failed = NULL;                                                  \
        src.expect_fail = &jb_;                                             \
        if (setjmp(jb_) == 0) {                                             \
            stmt;                                                           \
            print_error("expected a heap failure: " #stmt "\n");            \
            fail();                                                         \
        }                                                                   \
        src.expect_fail = NULL;                                             \
        src.failed;                                                         \
    })

static void LCH0001_alloc_free_basics(void **state)
{
    void *p[64];

    for (size_t i = 0; i < 64; i++) {
        p[i] = heap_alloc(&H, i * 13);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        assert_true(heap_usable_size(&H, p[i]) >= i * 13);
        memset(p[i], (int)i, i * 13);
    }
    assert_int_equal(heap_check(&H), 64 + 1);     /* and the free rest */
    for (size_t i = 0; i < 64; i += 2)
        heap_free(&H, p[i]);
    heap_check(&H);
    for (size_t i = 1; i < 64; i += 2)
        heap_free(&H, p[i]);
    assert_int_equal(H.nalloc, 0);
    assert_int_equal(H.in_use, 0);
    assert_int_equal(heap_check(&H), 1);          /* all coalesced into one */
    heap_free(&H, NULL);
    assert_non_null(heap_alloc(&H, 0));             /* malloc(0): a real pointer */
}

static void LCH0002_neighbours_coalesce(void **state)
{
    void *a = heap_alloc(&H, 100), *b = heap_alloc(&H, 100), *c = heap_alloc(&H, 100);
    void *d = heap_alloc(&H, 100);

    heap_free(&H, b);
    assert_int_equal(heap_check(&H), 5 + 0);      /* a, b(free), c, d, rest */
    heap_free(&H, a);                               /* merges forward with b */
    assert_int_equal(heap_check(&H), 4);
    heap_free(&H, c);                               /* merges both ways */
    assert_int_equal(heap_check(&H), 3);
    heap_free(&H, d);                               /* and with the rest */
    assert_int_equal(heap_check(&H), 1);
    /* the merged space is reused */
    void *big = heap_alloc(&H, 400);
    assert_ptr_equal(big, a);
}

static void LCH0003_double_free_detected(void **state)
{
    void *a = heap_alloc(&H, 40), *b = heap_alloc(&H, 40), *c = heap_alloc(&H, 40);

    heap_free(&H, b);
    assert_string_equal(EXPECT_FAIL(heap_free(&H, b)), "double free");
    heap_free(&H, a);                               /* b now inside a's free block */
    assert_string_equal(EXPECT_FAIL(heap_free(&H, b)), "double free");
    assert_string_equal(EXPECT_FAIL(heap_free(&H, a)), "double free");
    assert_string_equal(EXPECT_FAIL(heap_realloc(&H, a, 10)), "double free");
    heap_free(&H, c);
    heap_check(&H);
}

static void LCH0004_bad_pointers_detected(void **state)
{
    char *a = heap_alloc(&H, 200);
    int on_stack;

    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, a + 16)), "not from malloc"));
    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, a + 1)), "not from malloc"));
    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, &on_stack)), "not from malloc"));
    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, (void *)16)), "not from malloc"));
    assert_non_null(strstr(EXPECT_FAIL(heap_usable_size(&H, a + 32)), "not from malloc"));
    heap_free(&H, a);
    heap_check(&H);
}

static void LCH0005_overflow_into_next_block_detected(void **state)
{
    char *a = heap_alloc(&H, 24), *b = heap_alloc(&H, 24);
    size_t usable = heap_usable_size(&H, a);

    memset(a, 'A', usable);                         /* in bounds: fine */
    heap_check(&H);
    a[usable] ^= 1;                                 /* one byte into b's header */
    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, a)), "overwritten"));
    assert_non_null(strstr(EXPECT_FAIL(heap_free(&H, b)), "not from malloc"));
    assert_non_null(strstr(EXPECT_FAIL(heap_check(&H)), "heap check"));
}

static void LCH0006_write_after_free_detected(void **state)
{
    void **a = heap_alloc(&H, 64);
    void *keep = heap_alloc(&H, 64);

    heap_free(&H, a);
    a[0] = (void *)0x1230;                          /* the free list's link */
    assert_non_null(strstr(EXPECT_FAIL(heap_alloc(&H, 64)), "free list corrupted"));
    (void)keep;
}

static void LCH0007_realloc(void **state)
{
    unsigned char *p = heap_realloc(&H, NULL, 10), *q, *blocker;

    for (int i = 0; i < 10; i++)
        p[i] = (unsigned char)i;
    /* grows in place into the free space after it */
    q = heap_realloc(&H, p, 1000);
    assert_ptr_equal(q, p);
    for (int i = 0; i < 10; i++)
        assert_int_equal(q[i], i);
    /* shrinks in place */
    assert_ptr_equal(heap_realloc(&H, q, 20), q);
    heap_check(&H);
    /* blocked: moves, keeping the contents */
    blocker = heap_alloc(&H, 10);
    p = heap_realloc(&H, q, 5000);
    assert_ptr_not_equal(p, q);
    for (int i = 0; i < 10; i++)
        assert_int_equal(p[i], i);
    heap_check(&H);
    assert_null(heap_realloc(&H, p, 0));            /* frees */
    heap_free(&H, blocker);
    assert_int_equal(H.nalloc, 0);
    /* too large: NULL, the old block untouched */
    p = heap_alloc(&H, 8);
    p[0] = 42;
    assert_null(heap_realloc(&H, p, (size_t)-1));
    assert_null(heap_realloc(&H, p, HEAP_MAX_REQUEST + 1));
    assert_int_equal(p[0], 42);
    heap_free(&H, p);
    heap_check(&H);
}

static void LCH0008_aligned(void **state)
{
    void *p[64];
    size_t k = 0;

    for (size_t align = 1; align <= 65536; align <<= 1)
        for (size_t n = 0; n < 300; n += 149) {
            p[k] = heap_alloc_aligned(&H, align, n);
            assert_non_null(p[k]);
            assert_int_equal((uintptr_t)p[k] % (align < 16 ? 16 : align), 0);
            assert_true(heap_usable_size(&H, p[k]) >= n);
            memset(p[k], 0xa5, n);
            heap_check(&H);
            k++;
        }
    assert_null(heap_alloc_aligned(&H, 48, 10));    /* not a power of two */
    for (size_t i = 0; i < k; i++)
        heap_free(&H, p[i]);
    assert_true(heap_check(&H) <= 1);      /* one free block, or all given back */
    assert_int_equal(H.nalloc, 0);
}

static void LCH0009_trimming_gives_memory_back(void **state)
{
    void *small = heap_alloc(&H, 100);
    void *big = heap_alloc(&H, 4u << 20);

    assert_true(src.mapped >= (4u << 20));
    heap_free(&H, big);                             /* top free block >= threshold */
    assert_true(src.mapped <= 128u * 1024);
    heap_check(&H);
    heap_free(&H, small);
    assert_true(heap_trim(&H, 0) > 0);              /* empty: everything back */
    assert_int_equal(src.mapped, 0);
    assert_int_equal(H.end, 0);
    assert_int_equal(heap_check(&H), 0);
    assert_int_equal(heap_trim(&H, 0), 0);
    assert_non_null(heap_alloc(&H, 1));             /* and it starts again */
    heap_check(&H);
}

static void LCH0010_source_failures(void **state)
{
    src.limit = 64 * 1024;
    void *a = heap_alloc(&H, 1000);
    assert_non_null(a);
    assert_null(heap_alloc(&H, 1u << 20));          /* the source says no */
    assert_null(heap_alloc(&H, HEAP_MAX_REQUEST + 1));
    assert_null(heap_alloc(&H, (size_t)-1));
    heap_check(&H);
    heap_free(&H, a);
    src.limit = REGION;
    src.scatter = true;                             /* not where the heap ends */
    assert_non_null(strstr(EXPECT_FAIL(heap_alloc(&H, 1u << 20)), "not contiguous"));
}

/* ---- random stress -------------------------------------------------------- */

struct live {
    unsigned char *p;
    size_t n;
    uint8_t seed;
};

static void fill(struct live *l)
{
    for (size_t i = 0; i < l->n; i++)
        l->p[i] = (uint8_t)(l->seed + i * 7);
}

static void verify(const struct live *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i] != (uint8_t)(l->seed + i * 7)) {
            print_error("block %p (%zu bytes) changed at %zu\n", (void *)l->p, l->n, i);
            fail();
        }
}

static int by_address(const void *a, const void *b)
{
    const struct live *x = a, *y = b;

    return (x->p > y->p) - (x->p < y->p);
}

/* Live blocks never overlap (usable sizes included). */
static void check_disjoint(struct live *set, size_t n)
{
    struct live sorted[512];

    memcpy(sorted, set, n * sizeof(*set));
    qsort(sorted, n, sizeof(*sorted), by_address);
    for (size_t i = 1; i < n; i++)
        assert_true(sorted[i - 1].p + heap_usable_size(&H, sorted[i - 1].p) <= sorted[i].p);
}

static size_t random_size(void)
{
    switch (rng() % 8) {
    case 0: return rng() % (1u << 18);              /* large */
    case 1: case 2: return rng() % 4096;
    default: return rng() % 200;
    }
}

static void LCH0011_random_stress(void **state)
{
    static struct live set[512];
    size_t n = 0;

    rng_state = 0x4ea9;
    for (int op = 0; op < 40000; op++) {
        unsigned action = (unsigned)(rng() % 10);
        if (n > 0 && (action < 4 || n == 512)) {            /* free */
            size_t i = rng() % n;
            verify(&set[i]);
            heap_free(&H, set[i].p);
            set[i] = set[--n];
        } else if (n > 0 && action < 7) {                   /* realloc */
            size_t i = rng() % n, m = random_size();
            verify(&set[i]);
            unsigned char *q = heap_realloc(&H, set[i].p, m ? m : 1);
            assert_non_null(q);
            size_t keep = set[i].n < m ? set[i].n : m;
            set[i].p = q;
            set[i].n = keep;
            verify(&set[i]);
            set[i].n = m ? m : 1;
            fill(&set[i]);
        } else {                                            /* malloc / aligned */
            size_t m = random_size();
            size_t align = rng() % 4 == 0 ? (size_t)16 << (rng() % 9) : 0;
            set[n].p = align ? heap_alloc_aligned(&H, align, m) : heap_alloc(&H, m);
            assert_non_null(set[n].p);
            if (align)
                assert_int_equal((uintptr_t)set[n].p % align, 0);
            set[n].n = m;
            set[n].seed = (uint8_t)rng();
            fill(&set[n]);
            n++;
        }
        if (op % 1000 == 0) {
            heap_check(&H);
            check_disjoint(set, n);
        }
    }
    while (n > 0) {
        verify(&set[n - 1]);
        heap_free(&H, set[--n].p);
    }
    assert_int_equal(heap_check(&H), 1);
    heap_trim(&H, 0);
    assert_int_equal(src.mapped, 0);
    print_message("stress: %zu grows, %zu shrinks\n", src.grows, src.shrinks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(LCH0001_alloc_free_basics, setup),
        cmocka_unit_test_setup(LCH0002_neighbours_coalesce, setup),
        cmocka_unit_test_setup(LCH0003_double_free_detected, setup),
        cmocka_unit_test_setup(LCH0004_bad_pointers_detected, setup),
        cmocka_unit_test_setup(LCH0005_overflow_into_next_block_detected, setup),
        cmocka_unit_test_setup(LCH0006_write_after_free_detected, setup),
        cmocka_unit_test_setup(LCH0007_realloc, setup),
        cmocka_unit_test_setup(LCH0008_aligned, setup),
        cmocka_unit_test_setup(LCH0009_trimming_gives_memory_back, setup),
        cmocka_unit_test_setup(LCH0010_source_failures, setup),
        cmocka_unit_test_setup(LCH0011_random_stress, setup),
    };

    return cmocka_run_group_tests_name("libc_heap", tests, NULL, NULL);
}
