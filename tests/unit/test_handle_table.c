/*
 * Unit tests for kernel/cap/handle_table.c over a counting allocator that
 * records every block (with its n and entry size in a header, checked again
 * on free), fills new storage with junk so nothing relies on zeroing, and
 * refuses on demand. Covered: insert/lookup/remove/replace, handle format,
 * stale handles after remove and slot reuse, generation wrap, growth from
 * nothing through several doublings, refused growth leaving the table
 * intact, the max_handles limit and ht_set_max, iteration, destroy, garbage
 * handle values, and a randomized run against a model with a fixed seed.
 */
#include "unit.h"

#include "cap/handle_table.h"

#define SLOT_MASK (HT_MAX_SLOTS - 1)
#define GEN_MAX ((1u << HT_GEN_BITS) - 1)

/* Fake caps: the table only stores the pointers. */
static char caps[4096];
#define CAP(i) ((struct cap *)&caps[i])

struct hdr {
    size_t n, size;
    uint64_t magic;
    uint64_t pad;
};
#define MAGIC 0x4854414c4c4f43ULL

static struct counter {
    size_t live;            /* blocks handed out and not freed */
    size_t allocs, frees;
    size_t last_n;          /* n of the last successful alloc */
    long budget;            /* allocs still allowed; < 0: unlimited */
} ctr;

static void *c_alloc(size_t n, size_t size, void *ctx)
{
    struct counter *c = ctx;
    struct hdr *h;

    assert_ptr_equal(c, &ctr);
    assert_true(n >= 2 && n <= HT_MAX_SLOTS);
    if (c->budget == 0)
        return NULL;
    if (c->budget > 0)
        c->budget--;
    h = malloc(sizeof(*h) + n * size);
    assert_non_null(h);
    memset(h + 1, 0xcd, n * size);
    *h = (struct hdr){ n, size, MAGIC, 0 };
    c->live++;
    c->allocs++;
    c->last_n = n;
    return h + 1;
}

static void c_free(void *p, size_t n, size_t size, void *ctx)
{
    struct counter *c = ctx;
    struct hdr *h = (struct hdr *)p - 1;

    assert_ptr_equal(c, &ctr);
    assert_int_equal(h->magic, MAGIC);
    assert_int_equal(h->n, n);
    assert_int_equal(h->size, size);
    h->magic = 0;
    free(h);
    assert_true(c->live > 0);
    c->live--;
    c->frees++;
}

static const struct ht_ops ops = { c_alloc, c_free, &ctr };
static struct handle_table t;

static int setup(void **state)
{
    ctr = (struct counter){ .budget = -1 };
    ht_init(&t, &ops, 1000);
    return 0;
}

static int teardown(void **state)
{
    ht_destroy(&t, NULL, NULL);
    assert_int_equal(ctr.live, 0);
    return 0;
}

static uint32_t slot_of(ae_handle_t h) { return h & SLOT_MASK; }
static uint32_t gen_of(ae_handle_t h) { return h >> HT_SLOT_BITS; }

static ae_handle_t insert_ok(struct cap *c)
{
    ae_handle_t h = 0;

    assert_int_equal(ht_insert(&t, c, &h), AE_OK);
    assert_int_not_equal(h, 0);
    return h;
}

static void assert_maps(ae_handle_t h, struct cap *want)
{
    struct cap *c = NULL;

    assert_int_equal(ht_lookup(&t, h, &c), AE_OK);
    assert_ptr_equal(c, want);
}

static void assert_bad(ae_handle_t h)
{
    struct cap *c = CAP(999);

    assert_int_equal(ht_lookup(&t, h, &c), AE_ERR_BAD_HANDLE);
    assert_ptr_equal(c, CAP(999));
    assert_int_equal(ht_remove(&t, h, &c), AE_ERR_BAD_HANDLE);
    assert_ptr_equal(c, CAP(999));
    assert_int_equal(ht_replace(&t, h, CAP(1)), AE_ERR_BAD_HANDLE);
}

static void HT0001_insert_lookup_remove(void **state)
{
    ae_handle_t a, b;
    struct cap *c = NULL;

    assert_null(t.entries);                 /* nothing until the first insert */
    assert_int_equal(ctr.allocs, 0);
    a = insert_ok(CAP(1));
    b = insert_ok(CAP(2));
    assert_int_not_equal(a, b);
    assert_int_equal(t.count, 2);
    assert_maps(a, CAP(1));
    assert_maps(b, CAP(2));
    assert_int_equal(ht_lookup(&t, a, NULL), AE_OK);
    assert_int_equal(ht_remove(&t, a, &c), AE_OK);
    assert_ptr_equal(c, CAP(1));
    assert_int_equal(t.count, 1);
    assert_bad(a);
    assert_maps(b, CAP(2));
    assert_int_equal(ht_remove(&t, b, NULL), AE_OK);
    assert_int_equal(t.count, 0);
}

static void HT0002_handle_format(void **state)
{
    for (int i = 0; i < 500; i++) {
        ae_handle_t h = insert_ok(CAP(i + 1));

        assert_int_not_equal(slot_of(h), 0);
        assert_int_not_equal(gen_of(h), 0);
        assert_true(gen_of(h) <= GEN_MAX);
        assert_int_equal(h >> 31, 0);
        /* Fresh slots are handed out densely from 1. */
        assert_int_equal(slot_of(h), i + 1);
    }
}

static void HT0003_insert_bad_args(void **state)
{
    ae_handle_t h = 77;

    assert_int_equal(ht_insert(&t, NULL, &h), AE_ERR_INVAL);
    assert_int_equal(h, 77);
    assert_int_equal(ht_insert(&t, CAP(1), NULL), AE_ERR_INVAL);
    assert_int_equal(t.count, 0);
    assert_int_equal(ctr.allocs, 0);
    h = insert_ok(CAP(1));
    assert_int_equal(ht_replace(&t, h, NULL), AE_ERR_INVAL);
    assert_maps(h, CAP(1));
}

static void HT0004_stale_after_remove(void **state)
{
    ae_handle_t h = insert_ok(CAP(5));

    assert_int_equal(ht_remove(&t, h, NULL), AE_OK);
    assert_bad(h);
    assert_int_equal(ht_remove(&t, h, NULL), AE_ERR_BAD_HANDLE);  /* double close */
    assert_int_equal(t.count, 0);
}

static void HT0005_stale_after_slot_reuse(void **state)
{
    ae_handle_t old = insert_ok(CAP(1)), reused;

    assert_int_equal(ht_remove(&t, old, NULL), AE_OK);
    reused = insert_ok(CAP(2));
    assert_int_equal(slot_of(reused), slot_of(old));    /* LIFO free list */
    assert_int_not_equal(reused, old);
    assert_bad(old);
    assert_maps(reused, CAP(2));
    /* A stale replace must not hit the new occupant. */
    assert_int_equal(ht_replace(&t, old, CAP(3)), AE_ERR_BAD_HANDLE);
    assert_maps(reused, CAP(2));
}

static void HT0006_generation_wraps_skipping_zero(void **state)
{
    ae_handle_t first = insert_ok(CAP(1)), h = first, prev;
    uint32_t prev_gen = gen_of(first);

    /* GEN_MAX frees bring the generation round to the start (1..GEN_MAX). */
    for (uint32_t i = 1; i <= GEN_MAX; i++) {
        prev = h;
        assert_int_equal(ht_remove(&t, h, NULL), AE_OK);
        h = insert_ok(CAP(1));
        assert_int_equal(slot_of(h), slot_of(first));
        assert_int_not_equal(gen_of(h), 0);
        assert_true(gen_of(h) <= GEN_MAX);
        assert_int_equal(gen_of(h), prev_gen == GEN_MAX ? 1 : prev_gen + 1);
        assert_int_equal(h >> 31, 0);
        assert_bad(prev);
        prev_gen = gen_of(h);
        if (i < GEN_MAX)
            assert_int_not_equal(h, first);
    }
    assert_int_equal(h, first);
    assert_int_equal(t.count, 1);
}

static void HT0007_growth_doubles_from_zero(void **state)
{
    static ae_handle_t hs[600];
    uint32_t want = HT_INITIAL_SLOTS;
    size_t grows = 0;

    ht_init(&t, &ops, 5000);
    for (int i = 0; i < 600; i++) {
        uint32_t before = t.nslots;

        hs[i] = insert_ok(CAP(i + 1));
        if (t.nslots != before) {
            grows++;
            assert_int_equal(t.nslots, want);
            assert_int_equal(ctr.last_n, want);
            want *= 2;
        }
        assert_int_equal(ctr.live, 1);          /* the old block was freed */
        assert_int_equal(t.count, i + 1);
    }
    assert_int_equal(grows, 7);                 /* 16 .. 1024 */
    assert_int_equal(t.nslots, 1024);
    assert_int_equal(ctr.allocs, 7);
    assert_int_equal(ctr.frees, 6);
    for (int i = 0; i < 600; i++)               /* entries copied intact */
        assert_maps(hs[i], CAP(i + 1));
}

static void HT0008_growth_refused_leaves_table_intact(void **state)
{
    static ae_handle_t hs[HT_INITIAL_SLOTS];
    struct handle_table before;
    ae_handle_t h = 1234;

    for (int i = 1; i < HT_INITIAL_SLOTS; i++)
        hs[i] = insert_ok(CAP(i));
    assert_int_equal(t.nslots, HT_INITIAL_SLOTS);
    ctr.budget = 0;
    before = t;
    assert_int_equal(ht_insert(&t, CAP(100), &h), AE_ERR_QUOTA);
    assert_int_equal(h, 1234);
    assert_memory_equal(&before, &t, sizeof(t));
    assert_int_equal(ctr.live, 1);
    for (int i = 1; i < HT_INITIAL_SLOTS; i++)
        assert_maps(hs[i], CAP(i));
    /* Removing makes room without growth; then growth works again. */
    assert_int_equal(ht_remove(&t, hs[3], NULL), AE_OK);
    h = insert_ok(CAP(200));
    assert_int_equal(slot_of(h), 3);
    ctr.budget = -1;
    insert_ok(CAP(201));
    assert_int_equal(t.nslots, 2 * HT_INITIAL_SLOTS);
}

static void HT0009_first_growth_refused(void **state)
{
    ae_handle_t h = 5;

    ctr.budget = 0;
    assert_int_equal(ht_insert(&t, CAP(1), &h), AE_ERR_QUOTA);
    assert_int_equal(h, 5);
    assert_null(t.entries);
    assert_int_equal(t.nslots, 0);
    assert_int_equal(t.count, 0);
    ht_init(&t, NULL, 10);                      /* no allocator at all */
    assert_int_equal(ht_insert(&t, CAP(1), &h), AE_ERR_QUOTA);
}

static void HT0010_growth_capped_by_max_handles(void **state)
{
    ht_init(&t, &ops, 20);
    for (int i = 0; i < 20; i++)
        insert_ok(CAP(i + 1));
    assert_int_equal(t.nslots, 21);             /* 16, then 20 + 1, not 32 */
    assert_int_equal(ctr.last_n, 21);
    ht_destroy(&t, NULL, NULL);
    ht_init(&t, &ops, 1);
    insert_ok(CAP(1));
    assert_int_equal(t.nslots, 2);
}

static void HT0011_max_handles_limit(void **state)
{
    ae_handle_t hs[40], h = 9;

    ht_init(&t, &ops, 40);
    for (int i = 0; i < 40; i++)
        hs[i] = insert_ok(CAP(i + 1));
    assert_int_equal(ht_insert(&t, CAP(50), &h), AE_ERR_QUOTA);
    assert_int_equal(h, 9);
    assert_int_equal(t.count, 40);
    assert_int_equal(ht_remove(&t, hs[17], NULL), AE_OK);
    h = insert_ok(CAP(51));
    assert_maps(h, CAP(51));
    assert_int_equal(ht_insert(&t, CAP(52), &h), AE_ERR_QUOTA);
}

static void HT0012_max_handles_full_range(void **state)
{
    ae_handle_t h = 0;

    ht_init(&t, &ops, HT_MAX_SLOTS - 1);
    for (uint32_t i = 1; i < HT_MAX_SLOTS; i++) {
        assert_int_equal(ht_insert(&t, CAP(1), &h), AE_OK);
        assert_int_equal(slot_of(h), i);
    }
    assert_int_equal(t.nslots, HT_MAX_SLOTS);
    assert_int_equal(ht_insert(&t, CAP(2), &h), AE_ERR_QUOTA);
    assert_int_equal(ctr.live, 1);
    /* An out-of-range limit at init is clamped. */
    ht_destroy(&t, NULL, NULL);
    ht_init(&t, &ops, UINT32_MAX);
    assert_int_equal(t.max_handles, HT_MAX_SLOTS - 1);
}

static void HT0013_set_max(void **state)
{
    ae_handle_t h;

    for (int i = 0; i < 10; i++)
        insert_ok(CAP(i + 1));
    assert_int_equal(ht_set_max(&t, 9), AE_ERR_QUOTA);
    assert_int_equal(t.max_handles, 1000);
    assert_int_equal(ht_set_max(&t, HT_MAX_SLOTS), AE_ERR_INVAL);
    assert_int_equal(ht_set_max(&t, UINT32_MAX), AE_ERR_INVAL);
    assert_int_equal(t.max_handles, 1000);
    assert_int_equal(ht_set_max(&t, 10), AE_OK);
    assert_int_equal(ht_insert(&t, CAP(11), &h), AE_ERR_QUOTA);
    assert_int_equal(ht_set_max(&t, 12), AE_OK);
    insert_ok(CAP(11));
    insert_ok(CAP(12));
    assert_int_equal(ht_insert(&t, CAP(13), &h), AE_ERR_QUOTA);
    /* Raising it lets the table grow past the old cap. */
    assert_int_equal(ht_set_max(&t, HT_MAX_SLOTS - 1), AE_OK);
    for (int i = 0; i < 100; i++)
        insert_ok(CAP(20 + i));
    assert_int_equal(t.count, 112);
    assert_int_equal(t.nslots, 128);
}

static void HT0014_next_iteration(void **state)
{
    ae_handle_t hs[40], h;
    struct cap *c;
    uint32_t s, seen = 0;

    assert_int_equal(ht_next(&t, 0, &h, &c), 0);        /* empty, no storage */
    for (int i = 0; i < 40; i++)
        hs[i] = insert_ok(CAP(i + 1));
    for (int i = 0; i < 40; i += 3)
        assert_int_equal(ht_remove(&t, hs[i], NULL), AE_OK);
    for (s = ht_next(&t, 0, &h, &c); s; s = ht_next(&t, s, &h, &c)) {
        int i = (int)s - 1;

        assert_true(i % 3 != 0);
        assert_int_equal(h, hs[i]);
        assert_ptr_equal(c, CAP(i + 1));
        assert_int_equal(slot_of(h), s);
        seen++;
    }
    assert_int_equal(seen, t.count);
    assert_int_equal(ht_next(&t, 2, NULL, NULL), 3);
    assert_int_equal(ht_next(&t, 3, NULL, NULL), 5);
    assert_int_equal(ht_next(&t, 40, NULL, NULL), 0);
    assert_int_equal(ht_next(&t, t.nslots - 1, NULL, NULL), 0);
    assert_int_equal(ht_next(&t, UINT32_MAX, NULL, NULL), 0);
}

static struct cap *destroyed[100];
static size_t ndestroyed;

static void record(struct cap *c, void *ctx)
{
    assert_ptr_equal(ctx, &ndestroyed);
    assert_true(ndestroyed < 100);
    destroyed[ndestroyed++] = c;
}

static void HT0015_destroy_order_and_storage(void **state)
{
    ae_handle_t hs[50];
    size_t k = 0;

    for (int i = 0; i < 50; i++)
        hs[i] = insert_ok(CAP(i + 1));
    for (int i = 0; i < 50; i += 2)
        assert_int_equal(ht_remove(&t, hs[i], NULL), AE_OK);
    assert_int_equal(ht_replace(&t, hs[1], CAP(500)), AE_OK);
    ndestroyed = 0;
    ht_destroy(&t, record, &ndestroyed);
    assert_int_equal(ndestroyed, 25);
    for (int i = 1; i < 50; i += 2)             /* slot order */
        assert_ptr_equal(destroyed[k++], i == 1 ? CAP(500) : CAP(i + 1));
    assert_int_equal(ctr.live, 0);
    assert_int_equal(ctr.allocs, ctr.frees);
    assert_null(t.entries);
    assert_int_equal(t.count, 0);
    assert_bad(hs[3]);
    assert_int_equal(ht_insert(&t, CAP(1), &hs[0]), AE_ERR_QUOTA);  /* unusable */
    ht_destroy(&t, record, &ndestroyed);        /* twice: harmless */
    assert_int_equal(ndestroyed, 25);
    ht_init(&t, &ops, 5);                       /* usable again after init */
    insert_ok(CAP(1));
}

static void HT0016_specific_bad_handles(void **state)
{
    ae_handle_t h;

    assert_bad(0);
    assert_bad(1u << HT_SLOT_BITS | 1);         /* no storage yet */
    h = insert_ok(CAP(1));
    assert_bad(0);
    assert_bad(h & ~SLOT_MASK);                 /* slot 0, right generation */
    assert_bad(h & SLOT_MASK);                  /* generation 0 */
    assert_bad(h | 1u << 31);                   /* bit 31 set */
    assert_bad(h ^ 1u << HT_SLOT_BITS);         /* other generation */
    assert_bad((h & ~SLOT_MASK) | 2);           /* unused slot in the table */
    assert_bad((h & ~SLOT_MASK) | t.nslots);    /* just beyond the table */
    assert_bad((h & ~SLOT_MASK) | SLOT_MASK);
    assert_bad(UINT32_MAX);
    assert_maps(h, CAP(1));
}

static void HT0017_garbage_handles(void **state)
{
    static ae_handle_t hs[300];
    static bool live[300];
    unsigned nvalid = 0;

    rng_state = 0x4854;
    for (int i = 0; i < 300; i++) {
        hs[i] = insert_ok(CAP(i + 1));
        live[i] = true;
    }
    for (int i = 0; i < 300; i += 2) {
        assert_int_equal(ht_remove(&t, hs[i], NULL), AE_OK);
        live[i] = false;
    }
    for (int n = 0; n < 300000; n++) {
        static const uint32_t gens[] = { 0, 1, 2, 3, GEN_MAX, GEN_MAX + 1 };
        ae_handle_t h = (ae_handle_t)rng();
        struct cap *c = NULL;
        bool valid;
        uint32_t s;

        /* Narrow the space two times in three so that in-table slots and
         * live generations are hit often, not once in 2^32. */
        if (n % 3 == 1)
            h = (h & ~SLOT_MASK) | (uint32_t)(rng() % 520);
        else if (n % 3 == 2)
            h = gens[rng() % 6] << HT_SLOT_BITS | (uint32_t)(rng() % 520);
        s = slot_of(h);
        valid = s >= 1 && s <= 300 && live[s - 1] && hs[s - 1] == h;
        assert_int_equal(ht_lookup(&t, h, &c), valid ? AE_OK : AE_ERR_BAD_HANDLE);
        if (valid)
            assert_ptr_equal(c, CAP(s));
        nvalid += valid;
    }
    assert_true(nvalid > 1000);
    assert_int_equal(t.count, 150);
}

/* Random insert/remove/replace against a model: slot -> (handle, cap). */
static void HT0018_random_against_model(void **state)
{
    enum { MAXH = 200 };
    static ae_handle_t held[MAXH], stale[4096];
    static struct cap *held_cap[MAXH];
    size_t nheld = 0, nstale = 0;

    rng_state = 0x7ab1e;
    ht_init(&t, &ops, MAXH);
    for (int step = 0; step < 100000; step++) {
        unsigned op = rng() % 8;
        struct cap *c = CAP(rng() % 4000 + 1);
        ae_handle_t h;

        if (op < 4) {
            int r = ht_insert(&t, c, &h);

            assert_int_equal(r, nheld == MAXH ? AE_ERR_QUOTA : AE_OK);
            if (r == AE_OK) {
                for (size_t i = 0; i < nheld; i++)
                    assert_int_not_equal(held[i], h);
                held[nheld] = h;
                held_cap[nheld++] = c;
            }
        } else if (op < 7 && nheld) {
            size_t k = rng() % nheld;
            struct cap *got = NULL;

            if (op == 6) {
                assert_int_equal(ht_replace(&t, held[k], c), AE_OK);
                held_cap[k] = c;
                continue;
            }
            assert_int_equal(ht_remove(&t, held[k], &got), AE_OK);
            assert_ptr_equal(got, held_cap[k]);
            stale[nstale++ % 4096] = held[k];
            held[k] = held[--nheld];
            held_cap[k] = held_cap[nheld];
        } else if (nstale) {
            /* A stale handle fails unless its value came round again. */
            bool again = false;

            h = stale[rng() % (nstale < 4096 ? nstale : 4096)];
            for (size_t i = 0; i < nheld; i++)
                again |= held[i] == h;
            assert_int_equal(ht_lookup(&t, h, NULL), again ? AE_OK : AE_ERR_BAD_HANDLE);
        }
        assert_int_equal(t.count, nheld);
    }
    for (size_t i = 0; i < nheld; i++)
        assert_maps(held[i], held_cap[i]);
    assert_true(t.nslots <= MAXH + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(HT0001_insert_lookup_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0002_handle_format, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0003_insert_bad_args, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0004_stale_after_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0005_stale_after_slot_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0006_generation_wraps_skipping_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0007_growth_doubles_from_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0008_growth_refused_leaves_table_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0009_first_growth_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0010_growth_capped_by_max_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0011_max_handles_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0012_max_handles_full_range, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0013_set_max, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0014_next_iteration, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0015_destroy_order_and_storage, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0016_specific_bad_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0017_garbage_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(HT0018_random_against_model, setup, teardown),
    };

    return cmocka_run_group_tests_name("handle_table", tests, NULL, NULL);
}
