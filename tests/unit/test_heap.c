/*
 * Unit tests for kernel/mm/heap.c over a page provider built on
 * aligned_alloc that records every page run it hands out, so the tests can
 * count pages, make the provider fail on demand, and catch the heap
 * returning pages it never got (or with the wrong count). New pages are
 * filled with junk so nothing relies on zeroed memory. In "retain" mode
 * returned pages stay readable (as frames in the kernel's direct map do),
 * which the double-free-after-return cases need; otherwise they are freed at
 * once so AddressSanitizer flags any touch after return.
 *
 * heap_free reads the page header at (p & ~4095), so foreign pointers passed
 * here always point into readable 4096-aligned buffers.
 */
#include "unit.h"

#include "mm/heap.h"

#define PG 4096u
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct run {
    void *p;
    size_t npages;
    bool live;
};

static struct provider {
    struct run *runs;
    size_t nruns, cap;
    size_t live_pages;      /* handed out and not returned */
    size_t alloc_calls;     /* successful alloc_pages calls */
    size_t free_calls;
    long budget;            /* pages still allowed; < 0 means unlimited */
    bool retain;
} prov;

static struct heap hp;

static void *prov_alloc(size_t npages, void *ctx)
{
    struct provider *pv = ctx;
    void *p;

    assert_ptr_equal(pv, &prov);
    if (npages == 0 || npages > 4096 ||
        (pv->budget >= 0 && (size_t)pv->budget < npages))
        return NULL;
    p = aligned_alloc(PG, npages * PG);
    assert_non_null(p);
    memset(p, 0xcd, npages * PG);
    if (pv->nruns == pv->cap) {
        pv->cap = pv->cap ? 2 * pv->cap : 64;
        pv->runs = realloc(pv->runs, pv->cap * sizeof(*pv->runs));
        assert_non_null(pv->runs);
    }
    pv->runs[pv->nruns++] = (struct run){ p, npages, true };
    pv->live_pages += npages;
    pv->alloc_calls++;
    if (pv->budget >= 0)
        pv->budget -= (long)npages;
    return p;
}

/* The heap must return exactly a run it was given, once. */
static void prov_free(void *pages, size_t npages, void *ctx)
{
    struct provider *pv = ctx;

    for (size_t i = 0; i < pv->nruns; i++) {
        struct run *r = &pv->runs[i];

        if (r->p != pages || !r->live)
            continue;
        assert_int_equal(r->npages, npages);
        pv->live_pages -= npages;
        pv->free_calls++;
        if (pv->retain) {
            r->live = false;
            memset(pages, 0xdd, npages * PG);
        } else {
            free(pages);
            *r = pv->runs[--pv->nruns];
        }
        return;
    }
    fail_msg("free_pages(%p, %zu): not a live run", pages, npages);
}

static const struct heap_page_ops ops = { prov_alloc, prov_free, &prov };

static int setup(void **state)
{
    memset(&prov, 0, sizeof(prov));
    prov.budget = -1;
    heap_init(&hp, &ops);
    return 0;
}

static int teardown(void **state)
{
    for (size_t i = 0; i < prov.nruns; i++)
        free(prov.runs[i].p);
    free(prov.runs);
    memset(&prov, 0, sizeof(prov));
    return 0;
}

static struct heap_stats stats(void)
{
    struct heap_stats s;

    heap_get_stats(&hp, &s);
    return s;
}

static void fill(void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)p)[i] = (uint8_t)(seed * 131 + i * 7);
}

static bool filled(const void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (((const uint8_t *)p)[i] != (uint8_t)(seed * 131 + i * 7))
            return false;
    return true;
}

static void HEAP0001_size_zero_returns_null(void **state)
{
    assert_null(heap_alloc(&hp, 0));
    assert_null(heap_zalloc(&hp, 0));
    assert_int_equal(stats().allocs, 0);
    assert_int_equal(prov.alloc_calls, 0);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0002_class_boundaries(void **state)
{
    static const struct { size_t size, usable; } small[] = {
        { 1, 16 }, { 16, 16 }, { 17, 32 }, { 32, 32 }, { 33, 64 },
        { 100, 128 }, { 129, 256 }, { 500, 512 }, { 1000, 1024 },
        { 2047, 2048 }, { 2048, 2048 },
    };
    static const struct { size_t size, pages; } large[] = {
        { 2049, 1 }, { 4000, 1 }, { 4096, 2 }, { 10000, 3 }, { 65536, 17 },
    };

    for (size_t i = 0; i < N(small); i++) {
        void *p = heap_alloc(&hp, small[i].size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_int_equal(heap_usable_size(&hp, p), small[i].usable);
        assert_int_equal(heap_free(&hp, p), AE_OK);
    }
    for (size_t i = 0; i < N(large); i++) {
        size_t before = prov.live_pages;
        void *p = heap_alloc(&hp, large[i].size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_int_equal(prov.live_pages - before, large[i].pages);
        /* Usable space runs to the end of the last page. */
        assert_int_equal(heap_usable_size(&hp, p) + ((uintptr_t)p % PG),
                         large[i].pages * PG);
        fill(p, heap_usable_size(&hp, p), 3);
        assert_int_equal(heap_free(&hp, p), AE_OK);
        assert_int_equal(prov.live_pages, before);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0003_every_size_aligned_and_usable(void **state)
{
    static void *ptrs[3000];

    for (size_t i = 0; i < N(ptrs); i++) {
        ptrs[i] = heap_alloc(&hp, i + 1);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        assert_true(heap_usable_size(&hp, ptrs[i]) >= i + 1);
        fill(ptrs[i], heap_usable_size(&hp, ptrs[i]), (unsigned)i);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
    for (size_t i = 0; i < N(ptrs); i++) {
        assert_true(filled(ptrs[i], heap_usable_size(&hp, ptrs[i]),
                           (unsigned)i));
        assert_int_equal(heap_free(&hp, ptrs[i]), AE_OK);
    }
    assert_int_equal(stats().bytes_requested, 0);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0004_zalloc_zeroes(void **state)
{
    static const size_t sizes[] = { 1, 48, 2048, 3000, 10000 };

    for (size_t i = 0; i < N(sizes); i++) {
        void *dirty = heap_alloc(&hp, sizes[i]);
        void *keep = heap_alloc(&hp, sizes[i]);    /* keeps the slab alive */
        uint8_t *z;

        memset(dirty, 0xff, sizes[i]);
        assert_int_equal(heap_free(&hp, dirty), AE_OK);
        z = heap_zalloc(&hp, sizes[i]);
        assert_non_null(z);
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(z[k], 0);
        assert_int_equal(heap_free(&hp, z), AE_OK);
        assert_int_equal(heap_free(&hp, keep), AE_OK);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0005_free_null_is_noop(void **state)
{
    assert_int_equal(heap_free(&hp, NULL), AE_OK);
    assert_int_equal(stats().frees, 0);
    assert_int_equal(stats().bad_frees, 0);
    assert_int_equal(heap_usable_size(&hp, NULL), 0);
}

static void HEAP0006_double_free_small_refused(void **state)
{
    void *a = heap_alloc(&hp, 40), *b = heap_alloc(&hp, 40);

    assert_int_equal(heap_free(&hp, a), AE_OK);
    assert_int_equal(heap_free(&hp, a), AE_ERR_INVAL);
    assert_int_equal(heap_free(&hp, a), AE_ERR_INVAL);
    assert_int_equal(stats().bad_frees, 2);
    assert_int_equal(stats().frees, 1);
    assert_int_equal(heap_check(&hp), AE_OK);
    /* The object came back once, not twice. */
    void *c = heap_alloc(&hp, 40), *d = heap_alloc(&hp, 40);
    assert_ptr_equal(c, a);
    assert_ptr_not_equal(d, a);
    assert_ptr_not_equal(d, b);
    assert_int_equal(heap_free(&hp, b), AE_OK);
    assert_int_equal(heap_free(&hp, c), AE_OK);
    assert_int_equal(heap_free(&hp, d), AE_OK);
    assert_int_equal(heap_check(&hp), AE_OK);
}

/* Once the pages went back the header is read from a returned page; that is
 * fine in the kernel's direct map and emulated here by retain mode. */
static void HEAP0007_double_free_after_return_refused(void **state)
{
    void *big, *small[2];

    prov.retain = true;
    big = heap_alloc(&hp, 10000);
    assert_int_equal(heap_free(&hp, big), AE_OK);
    assert_int_equal(prov.live_pages, 0);
    assert_int_equal(heap_free(&hp, big), AE_ERR_INVAL);
    assert_int_equal(heap_usable_size(&hp, big), 0);
    /* Two empty 2048 slabs: one is kept, the other returned. */
    small[0] = heap_alloc(&hp, 2048);
    small[1] = heap_alloc(&hp, 2048);
    assert_int_equal(heap_free(&hp, small[0]), AE_OK);
    assert_int_equal(heap_free(&hp, small[1]), AE_OK);
    assert_int_equal(prov.live_pages, 1);
    assert_int_equal(heap_free(&hp, small[0]), AE_ERR_INVAL);
    assert_int_equal(heap_free(&hp, small[1]), AE_ERR_INVAL);
    assert_int_equal(stats().bad_frees, 3);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0008_misaligned_pointers_refused(void **state)
{
    char *s = heap_alloc(&hp, 32), *l = heap_alloc(&hp, 5000);
    char *page = (char *)((uintptr_t)s & ~(uintptr_t)(PG - 1));
    char *bad[] = { s + 1, s + 8, s + 16, s - 16, page, page + 8,
                    l + 1, l + 16, l - 16, l + PG, page + PG - 16 };

    for (size_t i = 0; i < N(bad); i++) {
        assert_int_equal(heap_free(&hp, bad[i]), AE_ERR_INVAL);
        assert_int_equal(heap_usable_size(&hp, bad[i]), 0);
    }
    assert_int_equal(stats().bad_frees, N(bad));
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_int_equal(heap_free(&hp, s), AE_OK);
    assert_int_equal(heap_free(&hp, l), AE_OK);
    assert_int_equal(stats().frees, 2);
}

static void HEAP0009_foreign_pointers_refused(void **state)
{
    uint8_t *junk = aligned_alloc(PG, 4 * PG);
    struct heap other;
    void *mine = heap_alloc(&hp, 64), *theirs;

    srand(0xf00);
    for (size_t i = 0; i < 4 * PG; i++)
        junk[i] = (uint8_t)rand();
    memset(junk + 2 * PG, 0, PG);                   /* an all-zero page */
    for (size_t off = 0; off < 4 * PG; off += 16 * 17)
        assert_int_equal(heap_free(&hp, junk + off), AE_ERR_INVAL);
    assert_int_equal(heap_usable_size(&hp, junk + 32), 0);
    /* Live pointers of another heap are foreign too. */
    heap_init(&other, &ops);
    theirs = heap_alloc(&other, 64);
    assert_int_equal(heap_free(&hp, theirs), AE_ERR_INVAL);
    void *their_big = heap_alloc(&other, 9000);
    assert_int_equal(heap_free(&hp, their_big), AE_ERR_INVAL);
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_int_equal(heap_check(&other), AE_OK);
    assert_int_equal(heap_free(&other, theirs), AE_OK);
    assert_int_equal(heap_free(&other, their_big), AE_OK);
    assert_int_equal(heap_free(&hp, mine), AE_OK);
    free(junk);
}

/* Objects per slab of a class, measured by counting provider pages. */
static size_t objs_per_slab(size_t size)
{
    static void *p[300];
    size_t n = 0, pages = prov.live_pages;

    do {
        p[n] = heap_alloc(&hp, size);
        assert_non_null(p[n]);
        n++;
    } while (prov.live_pages == pages + 1 || prov.live_pages == pages);
    n--;                             /* the last one opened a second slab */
    for (size_t i = 0; i <= n; i++)
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    return n;
}

static void HEAP0010_empty_slabs_returned(void **state)
{
    static void *p[2000];
    size_t per = objs_per_slab(64);

    assert_true(per >= 32 && per <= 63);
    for (size_t i = 0; i < N(p); i++)
        p[i] = heap_alloc(&hp, 64);
    assert_int_equal(prov.live_pages, (N(p) + per - 1) / per);
    assert_int_equal(stats().pages_held, prov.live_pages);
    for (size_t i = 0; i < N(p); i++)
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    /* Only the one cached empty slab stays. */
    assert_int_equal(prov.live_pages, 1);
    assert_int_equal(stats().pages_held, 1);
    assert_int_equal(heap_check(&hp), AE_OK);
    /* Ping-pong on the cached slab never goes to the provider. */
    size_t calls = prov.alloc_calls;
    for (int i = 0; i < 100; i++)
        assert_int_equal(heap_free(&hp, heap_alloc(&hp, 64)), AE_OK);
    assert_int_equal(prov.alloc_calls, calls);
}

static void HEAP0011_full_slab_transitions(void **state)
{
    static void *p[300];
    size_t per = objs_per_slab(256), pages;

    for (size_t i = 0; i < per; i++)
        p[i] = heap_alloc(&hp, 256);
    pages = prov.live_pages;
    assert_int_equal(heap_check(&hp), AE_OK);       /* slab now full */
    assert_int_equal(heap_free(&hp, p[3]), AE_OK);  /* full -> partial */
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_ptr_equal(heap_alloc(&hp, 200), p[3]);   /* reused, no new page */
    assert_int_equal(prov.live_pages, pages);
    p[per] = heap_alloc(&hp, 256);                  /* needs a second slab */
    assert_int_equal(prov.live_pages, pages + 1);
    for (size_t i = 0; i <= per; i++)
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    assert_int_equal(prov.live_pages, 1);
    assert_int_equal(heap_check(&hp), AE_OK);
    /* The 2048 class holds one object per slab: full <-> empty directly. */
    void *a = heap_alloc(&hp, 2048), *b = heap_alloc(&hp, 2048);
    assert_int_equal(prov.live_pages, 3);
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_int_equal(heap_free(&hp, a), AE_OK);
    assert_int_equal(heap_free(&hp, b), AE_OK);
    assert_int_equal(prov.live_pages, 2);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0012_provider_failure(void **state)
{
    static void *p[600];
    size_t n = 0;

    prov.budget = 0;
    assert_null(heap_alloc(&hp, 16));
    assert_null(heap_alloc(&hp, 5000));
    assert_null(heap_zalloc(&hp, 100));
    assert_int_equal(stats().allocs, 0);
    assert_int_equal(stats().pages_held, 0);
    assert_int_equal(heap_check(&hp), AE_OK);
    prov.budget = 2;
    while ((p[n] = heap_alloc(&hp, 16)) != NULL) {
        fill(p[n], 16, (unsigned)n);
        n++;
        assert_true(n < N(p));
    }
    assert_true(n > 2);
    assert_int_equal(prov.live_pages, 2);
    assert_null(heap_alloc(&hp, 3000));
    assert_int_equal(stats().allocs, n);
    assert_int_equal(stats().bytes_requested, 16 * n);
    assert_int_equal(heap_check(&hp), AE_OK);
    prov.budget = -1;
    p[n] = heap_alloc(&hp, 16);
    assert_non_null(p[n]);
    fill(p[n], 16, (unsigned)n);
    for (size_t i = 0; i <= n; i++) {
        assert_true(filled(p[i], 16, (unsigned)i));
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0013_huge_sizes_refused(void **state)
{
    static const size_t sizes[] = {
        SIZE_MAX, SIZE_MAX - 16, SIZE_MAX - PG, (size_t)1 << 63,
        (size_t)UINT32_MAX * PG + 1, (size_t)1 << 40,
    };

    for (size_t i = 0; i < N(sizes); i++)
        assert_null(heap_alloc(&hp, sizes[i]));
    assert_int_equal(stats().allocs, 0);
    assert_int_equal(stats().bytes_requested, 0);
    assert_int_equal(prov.live_pages, 0);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0014_stats_exact(void **state)
{
    void *a = heap_alloc(&hp, 10), *b = heap_alloc(&hp, 700);
    void *c = heap_alloc(&hp, 9000);
    struct heap_stats s = stats();

    assert_int_equal(s.bytes_requested, 10 + 700 + 9000);
    assert_int_equal(s.allocs, 3);
    assert_int_equal(s.pages_held, 1 + 1 + 3);
    assert_int_equal(s.pages_held, prov.live_pages);
    assert_int_equal(heap_free(&hp, b), AE_OK);
    assert_int_equal(heap_free(&hp, b), AE_ERR_INVAL);
    assert_int_equal(heap_free(&hp, c), AE_OK);
    s = stats();
    assert_int_equal(s.bytes_requested, 10);
    assert_int_equal(s.frees, 2);
    assert_int_equal(s.bad_frees, 1);
    assert_int_equal(s.allocs, 3);
    assert_int_equal(s.pages_held, prov.live_pages);
    assert_int_equal(heap_free(&hp, a), AE_OK);
    assert_int_equal(stats().bytes_requested, 0);
}

static void HEAP0015_usable_size_bad_pointers(void **state)
{
    void *keep = heap_alloc(&hp, 100), *p = heap_alloc(&hp, 100);

    assert_int_equal(heap_usable_size(&hp, p), 128);
    assert_int_equal(heap_free(&hp, p), AE_OK);
    assert_int_equal(heap_usable_size(&hp, p), 0);          /* freed */
    assert_int_equal(heap_usable_size(&hp, (char *)keep + 4), 0);
    assert_int_equal(heap_usable_size(&hp, keep), 128);
    assert_int_equal(stats().bad_frees, 0);     /* queries are not frees */
    assert_int_equal(heap_free(&hp, keep), AE_OK);
}

/* A write after free lands on the freelist link: heap_check notices, and
 * allocation still never hands out a live object or a wild pointer. */
static void HEAP0016_freelist_damage_recovered(void **state)
{
    static void *p[40];

    for (size_t i = 0; i < N(p); i++)
        p[i] = heap_alloc(&hp, 32);
    for (size_t i = 0; i < N(p); i += 2)
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    memcpy(p[38], &p[1], sizeof(void *));   /* link -> a live object */
    memset(p[20], 0x41, 16);                /* link -> garbage */
    assert_int_equal(heap_check(&hp), AE_ERR_CORRUPT);
    for (size_t i = 0; i < N(p); i += 2) {
        p[i] = heap_alloc(&hp, 32);
        assert_non_null(p[i]);
        for (size_t k = 1; k < N(p); k += 2)
            assert_ptr_not_equal(p[i], p[k]);
        for (size_t k = 0; k < i; k += 2)
            assert_ptr_not_equal(p[i], p[k]);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
    for (size_t i = 0; i < N(p); i++)
        assert_int_equal(heap_free(&hp, p[i]), AE_OK);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0017_check_detects_header_damage(void **state)
{
    void *p = heap_alloc(&hp, 64), *q = heap_alloc(&hp, 64);
    uint8_t *page = (uint8_t *)((uintptr_t)p & ~(uintptr_t)(PG - 1));
    uint8_t saved[64];

    memcpy(saved, page, sizeof(saved));
    for (size_t off = 0; off < sizeof(saved); off += 8) {
        page[off] ^= 0x10;
        assert_int_equal(heap_check(&hp), AE_ERR_CORRUPT);
        page[off] ^= 0x10;
    }
    assert_memory_equal(saved, page, sizeof(saved));
    assert_int_equal(heap_check(&hp), AE_OK);
    hp.stats.pages_held = 0;                /* fewer pages than slabs */
    assert_int_equal(heap_check(&hp), AE_ERR_CORRUPT);
    hp.stats.pages_held = 1;
    hp.stats.bytes_requested = 1;           /* less than what slabs hold */
    assert_int_equal(heap_check(&hp), AE_ERR_CORRUPT);
    hp.stats.bytes_requested = 128;
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_int_equal(heap_free(&hp, p), AE_OK);
    assert_int_equal(heap_free(&hp, q), AE_OK);
}

/* Thousands of random allocs and frees (fixed seed) with every object
 * filled with a pattern that is verified before it is freed. */
static void HEAP0018_random_stress(void **state)
{
    static void *p[1500];
    static size_t sz[N(p)];
    size_t bytes = 0;

    srand(0x5eed);
    for (int iter = 0; iter < 60000; iter++) {
        size_t k = (size_t)rand() % N(p);

        if (p[k]) {
            assert_true(filled(p[k], sz[k], (unsigned)k));
            assert_int_equal(heap_free(&hp, p[k]), AE_OK);
            bytes -= sz[k];
            p[k] = NULL;
        } else {
            sz[k] = rand() % 16 ? 1 + (size_t)rand() % HEAP_MAX_SMALL
                                : 1 + (size_t)rand() % 12000;
            p[k] = heap_alloc(&hp, sz[k]);
            assert_non_null(p[k]);
            assert_int_equal((uintptr_t)p[k] % 16, 0);
            assert_true(heap_usable_size(&hp, p[k]) >= sz[k]);
            fill(p[k], sz[k], (unsigned)k);
            bytes += sz[k];
        }
        if (iter % 5000 == 0)
            assert_int_equal(heap_check(&hp), AE_OK);
        assert_int_equal(stats().bytes_requested, bytes);
    }
    assert_int_equal(heap_check(&hp), AE_OK);
    assert_int_equal(stats().pages_held, prov.live_pages);
    for (size_t k = 0; k < N(p); k++) {
        if (p[k]) {
            assert_true(filled(p[k], sz[k], (unsigned)k));
            assert_int_equal(heap_free(&hp, p[k]), AE_OK);
        }
    }
    assert_int_equal(stats().bytes_requested, 0);
    assert_int_equal(stats().bad_frees, 0);
    assert_true(prov.live_pages <= HEAP_NCLASSES);  /* cached empties only */
    assert_int_equal(stats().pages_held, prov.live_pages);
    assert_int_equal(heap_check(&hp), AE_OK);
}

static void HEAP0019_no_provider(void **state)
{
    struct heap bare;

    heap_init(&bare, NULL);
    assert_null(heap_alloc(&bare, 16));
    assert_null(heap_alloc(&bare, 8192));
    assert_int_equal(heap_check(&bare), AE_OK);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(HEAP0001_size_zero_returns_null),
        T(HEAP0002_class_boundaries),
        T(HEAP0003_every_size_aligned_and_usable),
        T(HEAP0004_zalloc_zeroes),
        T(HEAP0005_free_null_is_noop),
        T(HEAP0006_double_free_small_refused),
        T(HEAP0007_double_free_after_return_refused),
        T(HEAP0008_misaligned_pointers_refused),
        T(HEAP0009_foreign_pointers_refused),
        T(HEAP0010_empty_slabs_returned),
        T(HEAP0011_full_slab_transitions),
        T(HEAP0012_provider_failure),
        T(HEAP0013_huge_sizes_refused),
        T(HEAP0014_stats_exact),
        T(HEAP0015_usable_size_bad_pointers),
        T(HEAP0016_freelist_damage_recovered),
        T(HEAP0017_check_detects_header_damage),
        T(HEAP0018_random_stress),
        T(HEAP0019_no_provider),
    };

    return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
