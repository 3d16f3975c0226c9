/*
 * Unit tests for kernel/lib/ksyms_lookup.c: tables shaped like the one
 * tools/gen_ksyms.py emits (ascending addresses, name offsets into one
 * string blob, the image bounds [text_start, text_end)). Lookups at symbol
 * addresses and inside symbols, every refusal (NULL or empty table, before
 * the first symbol, outside the image on either side), single-entry
 * tables, and 10000 random symbols against a linear-scan reference. Tables
 * are exact-size heap arrays, so ASan catches any read outside them.
 */
#include "unit.h"

#include "lib/ksyms_lookup.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define KBASE 0xffffffff80000000ULL

/* The table under test: heap copies, freed by teardown. */
static struct ksym_table t;
static uint64_t *addrs;
static uint32_t *offs;
static char *names;

/* Builds t from n symbols: addresses a[] and names nm[]. */
static void build(const uint64_t *a, const char *const *nm, size_t n,
                  uint64_t text_start, uint64_t text_end)
{
    size_t blob = 0, at = 0;

    for (size_t i = 0; i < n; i++)
        blob += strlen(nm[i]) + 1;
    addrs = malloc(n ? n * sizeof(*addrs) : 1);
    offs = malloc(n ? n * sizeof(*offs) : 1);
    names = malloc(blob ? blob : 1);
    assert_non_null(addrs);
    assert_non_null(offs);
    assert_non_null(names);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(nm[i]) + 1;

        addrs[i] = a[i];
        offs[i] = (uint32_t)at;
        memcpy(names + at, nm[i], len);
        at += len;
    }
    t.count = n;
    t.addrs = addrs;
    t.name_offs = offs;
    t.names = names;
    t.text_start = text_start;
    t.text_end = text_end;
}

static int teardown(void **state)
{
    free(addrs);
    free(offs);
    free(names);
    addrs = NULL;
    offs = NULL;
    names = NULL;
    memset(&t, 0, sizeof(t));
    return 0;
}

static void expect_sym(uint64_t addr, const char *want, uint64_t want_off)
{
    const char *name = NULL;
    uint64_t off = 0xdead;

    if (!ksym_lookup(&t, addr, &name, &off))
        fail_msg("no symbol for %#llx, want %s+%#llx",
                 (unsigned long long)addr, want, (unsigned long long)want_off);
    assert_non_null(name);
    assert_string_equal(name, want);
    assert_int_equal(off, want_off);
}

/* A refused lookup returns false and leaves the outputs alone. */
static void expect_none(const struct ksym_table *tab, uint64_t addr)
{
    const char *name = "untouched";
    uint64_t off = 0x5a5a;

    assert_false(ksym_lookup(tab, addr, &name, &off));
    assert_string_equal(name, "untouched");
    assert_int_equal(off, 0x5a5a);
}

/* A small kernel: the image spans [KBASE + 0x1000, KBASE + 0x9000). */
static const uint64_t small_addrs[] = {
    KBASE + 0x1000, KBASE + 0x1040, KBASE + 0x1200, KBASE + 0x1201,
    KBASE + 0x4000, KBASE + 0x8ff0,
};
static const char *const small_names[] = {
    "_start", "kmain", "panic", "panic_tail", "pmm_alloc_frame", "last_fn",
};
#define SMALL_START (KBASE + 0x1000)
#define SMALL_END (KBASE + 0x9000)

static void build_small(void)
{
    build(small_addrs, small_names, N(small_addrs), SMALL_START, SMALL_END);
}

static void KSYM0001_exact_symbol_addresses(void **state)
{
    build_small();
    for (size_t i = 0; i < N(small_addrs); i++)
        expect_sym(small_addrs[i], small_names[i], 0);
}

static void KSYM0002_inside_symbol(void **state)
{
    build_small();
    expect_sym(KBASE + 0x1001, "_start", 1);
    expect_sym(KBASE + 0x103f, "_start", 0x3f);
    expect_sym(KBASE + 0x1100, "kmain", 0xc0);
    expect_sym(KBASE + 0x11ff, "kmain", 0x1bf);
    expect_sym(KBASE + 0x1202, "panic_tail", 1);
    expect_sym(KBASE + 0x3fff, "panic_tail", 0x3fff - 0x1201);
    expect_sym(KBASE + 0x4abc, "pmm_alloc_frame", 0xabc);
    /* The last symbol extends to the end of the image. */
    expect_sym(KBASE + 0x8ff1, "last_fn", 1);
    expect_sym(SMALL_END - 1, "last_fn", 0xf);
}

static void KSYM0003_before_first_symbol(void **state)
{
    /* The image starts before its first symbol. */
    build(small_addrs, small_names, N(small_addrs), KBASE, SMALL_END);
    expect_none(&t, KBASE);
    expect_none(&t, KBASE + 0x800);
    expect_none(&t, KBASE + 0xfff);
    expect_sym(KBASE + 0x1000, "_start", 0);
}

static void KSYM0004_at_or_after_text_end(void **state)
{
    build_small();
    expect_none(&t, SMALL_END);
    expect_none(&t, SMALL_END + 1);
    expect_none(&t, SMALL_END + 0x100000);
    expect_none(&t, UINT64_MAX);
    expect_sym(SMALL_END - 1, "last_fn", 0xf);
}

static void KSYM0005_below_text_start(void **state)
{
    /* A symbol below text_start (e.g. an absolute one): an address below
     * the image still has no symbol, though one lies at or below it. */
    static const uint64_t a[] = { KBASE + 0x100, KBASE + 0x2000 };
    static const char *const nm[] = { "abs_sym", "text_fn" };

    build(a, nm, N(a), KBASE + 0x1000, KBASE + 0x3000);
    expect_none(&t, 0);
    expect_none(&t, KBASE + 0x100);
    expect_none(&t, KBASE + 0xfff);
    /* Inside the image, the nearest symbol below still counts. */
    expect_sym(KBASE + 0x1000, "abs_sym", 0xf00);
    expect_sym(KBASE + 0x2001, "text_fn", 1);

    teardown(NULL);
    build_small();
    expect_none(&t, SMALL_START - 1);
    expect_none(&t, 0);
    expect_none(&t, 0x1000);
}

static void KSYM0006_single_entry(void **state)
{
    static const uint64_t a[] = { KBASE + 0x5000 };
    static const char *const nm[] = { "only" };

    build(a, nm, 1, KBASE + 0x4000, KBASE + 0x6000);
    expect_none(&t, KBASE + 0x4000);
    expect_none(&t, KBASE + 0x4fff);
    expect_sym(KBASE + 0x5000, "only", 0);
    expect_sym(KBASE + 0x5001, "only", 1);
    expect_sym(KBASE + 0x5fff, "only", 0xfff);
    expect_none(&t, KBASE + 0x6000);
}

static void KSYM0007_empty_table(void **state)
{
    build(NULL, NULL, 0, KBASE, KBASE + 0x10000);
    expect_none(&t, KBASE);
    expect_none(&t, KBASE + 0x1234);
    /* count 0 with no arrays at all: nothing may be dereferenced. */
    t.addrs = NULL;
    t.name_offs = NULL;
    t.names = NULL;
    expect_none(&t, KBASE + 0x1234);
}

static void KSYM0008_null_table(void **state)
{
    expect_none(NULL, KBASE);
    expect_none(NULL, 0);
}

static void KSYM0009_empty_image_range(void **state)
{
    /* text_end <= text_start leaves no address with a symbol. */
    build(small_addrs, small_names, N(small_addrs), SMALL_END, SMALL_END);
    expect_none(&t, SMALL_END);
    expect_none(&t, KBASE + 0x1000);
    t.text_start = SMALL_END;
    t.text_end = SMALL_START;
    expect_none(&t, KBASE + 0x4000);
}

static void KSYM0010_two_entries_boundaries(void **state)
{
    static const uint64_t a[] = { 0x1000, 0x1001 };
    static const char *const nm[] = { "a", "b" };

    build(a, nm, 2, 0, UINT64_MAX);
    expect_none(&t, 0xfff);
    expect_sym(0x1000, "a", 0);
    expect_sym(0x1001, "b", 0);
    expect_sym(0x1002, "b", 1);
    expect_sym(UINT64_MAX - 1, "b", UINT64_MAX - 1 - 0x1001);
    expect_none(&t, UINT64_MAX);
}

static void KSYM0011_symbol_at_address_zero(void **state)
{
    static const uint64_t a[] = { 0, 0x10, UINT64_MAX - 1 };
    static const char *const nm[] = { "zero", "ten", "top" };

    build(a, nm, 3, 0, UINT64_MAX);
    expect_sym(0, "zero", 0);
    expect_sym(0xf, "zero", 0xf);
    expect_sym(0x10, "ten", 0);
    expect_sym(UINT64_MAX - 2, "ten", UINT64_MAX - 2 - 0x10);
    expect_sym(UINT64_MAX - 1, "top", 0);
}


static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Checks one lookup against the reference index want (-1: no symbol). */
static void check_against_ref(uint64_t addr, long want)
{
    const char *name = NULL;
    uint64_t off = 0;
    bool got = ksym_lookup(&t, addr, &name, &off);

    if (want < 0) {
        if (got)
            fail_msg("%#llx: found %s+%#llx, reference has none",
                     (unsigned long long)addr, name, (unsigned long long)off);
        return;
    }
    if (!got)
        fail_msg("%#llx: not found, reference has sym%ld",
                 (unsigned long long)addr, want);
    assert_ptr_equal(name, t.names + t.name_offs[want]);
    assert_int_equal(off, addr - t.addrs[want]);
}

/* The reference: sorts the queries and walks them and the table together
 * in one linear scan, the index of the greatest address <= each query
 * (a scan per query would cost 10^9 steps under ASan). */
static void check_all_against_linear_scan(uint64_t *q, size_t nq)
{
    uint64_t i = 0;
    long cur = -1;

    qsort(q, nq, sizeof(q[0]), cmp_u64);
    for (size_t k = 0; k < nq; k++) {
        while (i < t.count && t.addrs[i] <= q[k])
            cur = (long)i++;
        check_against_ref(q[k], q[k] < t.text_start || q[k] >= t.text_end
                                ? -1 : cur);
    }
}

#define MANY 10000
#define QUERIES 100000

static void KSYM0012_many_symbols_against_linear_scan(void **state)
{
    static uint64_t a[MANY];
    static char namebuf[MANY][16];
    static const char *nm[MANY];
    static uint64_t q[QUERIES + 3 * MANY + 8];
    const uint64_t span = 16ULL << 20;      /* a 16 MiB image */
    const uint64_t start = KBASE + 0x100000;
    size_t n = 0, nq = 0;

    rng_state = 0x4b53594d30303132ULL;
    /* Random unique addresses inside the image, sorted: draw, sort, drop
     * duplicates, and draw again until there are MANY. */
    while (n < MANY) {
        a[n++] = start + 0x1000 + rng() % (span - 0x2000);
        if (n == MANY) {
            size_t u = 1;

            qsort(a, n, sizeof(a[0]), cmp_u64);
            for (size_t i = 1; i < n; i++)
                if (a[i] != a[u - 1])
                    a[u++] = a[i];
            n = u;
        }
    }
    for (size_t i = 0; i < MANY; i++) {
        assert_true(i == 0 || a[i - 1] < a[i]);
        snprintf(namebuf[i], sizeof(namebuf[i]), "sym%zu", i);
        nm[i] = namebuf[i];
    }
    build(a, nm, MANY, start, start + span);

    /* Every symbol and its neighbours, the edges, and random points. */
    for (size_t i = 0; i < MANY; i++) {
        expect_sym(a[i], nm[i], 0);
        q[nq++] = a[i] - 1;
        q[nq++] = a[i];
        q[nq++] = a[i] + 1;
    }
    q[nq++] = 0;
    q[nq++] = start - 1;
    q[nq++] = start;
    q[nq++] = a[0] - 1;
    q[nq++] = start + span - 1;
    q[nq++] = start + span;
    q[nq++] = UINT64_MAX;
    for (int k = 0; k < QUERIES; k++) {
        uint64_t r = rng();

        switch (r % 8) {
        case 0:                 /* anywhere at all */
            q[nq++] = rng();
            break;
        case 1:                 /* near the image edges */
            q[nq++] = (r & 16 ? start : start + span) - 64 + (r >> 8) % 128;
            break;
        default:                /* inside the image, and a little around */
            q[nq++] = start - 0x100 + rng() % (span + 0x200);
            break;
        }
    }
    assert_true(nq <= N(q));
    check_all_against_linear_scan(q, nq);
}

static void KSYM0013_table_sizes_around_powers_of_two(void **state)
{
    static uint64_t a[130];
    static char namebuf[130][8];
    static const char *nm[130];

    /* Binary search edge cases: every count from 1 to 130, each symbol
     * 0x10 apart, queried at every symbol and between them. */
    for (size_t i = 0; i < N(a); i++) {
        a[i] = KBASE + 0x1000 + i * 0x10;
        snprintf(namebuf[i], sizeof(namebuf[i]), "f%zu", i);
        nm[i] = namebuf[i];
    }
    for (size_t n = 1; n <= N(a); n++) {
        build(a, nm, n, KBASE, KBASE + 0x1000 + n * 0x10);
        expect_none(&t, KBASE + 0xfff);
        for (size_t i = 0; i < n; i++) {
            expect_sym(a[i], nm[i], 0);
            expect_sym(a[i] + 0xf, nm[i], 0xf);
        }
        expect_none(&t, KBASE + 0x1000 + n * 0x10);
        teardown(NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(KSYM0001_exact_symbol_addresses, teardown),
        cmocka_unit_test_teardown(KSYM0002_inside_symbol, teardown),
        cmocka_unit_test_teardown(KSYM0003_before_first_symbol, teardown),
        cmocka_unit_test_teardown(KSYM0004_at_or_after_text_end, teardown),
        cmocka_unit_test_teardown(KSYM0005_below_text_start, teardown),
        cmocka_unit_test_teardown(KSYM0006_single_entry, teardown),
        cmocka_unit_test_teardown(KSYM0007_empty_table, teardown),
        cmocka_unit_test_teardown(KSYM0008_null_table, teardown),
        cmocka_unit_test_teardown(KSYM0009_empty_image_range, teardown),
        cmocka_unit_test_teardown(KSYM0010_two_entries_boundaries, teardown),
        cmocka_unit_test_teardown(KSYM0011_symbol_at_address_zero, teardown),
        cmocka_unit_test_teardown(KSYM0012_many_symbols_against_linear_scan, teardown),
        cmocka_unit_test_teardown(KSYM0013_table_sizes_around_powers_of_two, teardown),
    };

    return cmocka_run_group_tests_name("ksyms", tests, NULL, NULL);
}
