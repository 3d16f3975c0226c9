/*
 * Unit tests for kernel/quota/quota.c: charge, uncharge and transfer at and
 * beyond the limits, overflow attempts with huge amounts, carve all or
 * nothing, release busy versus ok, very deep and wide trees, detection of
 * deliberately corrupted nodes, and a randomized run against a model that
 * computes in 128 bits (so it cannot share the code's overflow mistakes),
 * with a fixed seed. Every refused call is checked to change nothing.
 */
#include "unit.h"

#include "quota/quota.h"

#define K QUOTA_KINDS
#define PAGES QUOTA_PAGES
#define HANDLES QUOTA_HANDLES
#define THREADS QUOTA_THREADS
#define CPU QUOTA_CPU

static const uint64_t L[K] = { 1000, 100, 10, 1000 };
static struct quota root, c1, c2, c3;

/* The kernel's tracing hook (quota.h), here recording what it is told. */
static struct { const struct quota *q; enum quota_kind kind; uint64_t asked; unsigned calls; } refused;

void quota_refused(const struct quota *q, enum quota_kind kind, uint64_t asked)
{
    refused.q = q;
    refused.kind = kind;
    refused.asked = asked;
    refused.calls++;
}

static int setup(void **state)
{
    memset(&c1, 0x5a, sizeof(c1));
    memset(&c2, 0x5a, sizeof(c2));
    memset(&c3, 0x5a, sizeof(c3));
    quota_init_root(&root, L);
    return 0;
}

static void assert_tree_ok(const struct quota *q, enum quota_kind kind, uint64_t want)
{
    uint64_t sum = 12345;

    assert_int_equal(quota_check_tree(q, kind, &sum), AE_OK);
    assert_int_equal(sum, want);
}

static void QUOTA0001_init_root(void **state)
{
    struct quota q;

    memset(&q, 0xa5, sizeof(q));
    quota_init_root(&q, L);
    assert_null(q.parent);
    assert_null(q.first_child);
    assert_null(q.next_sibling);
    assert_null(q.prev_sibling);
    for (int k = 0; k < K; k++) {
        assert_int_equal(q.limit[k], L[k]);
        assert_int_equal(q.used[k], 0);
        assert_int_equal(q.carved[k], 0);
        assert_int_equal(quota_available(&q, k), L[k]);
        assert_tree_ok(&q, k, 0);
    }
    quota_init_root(&q, NULL);                  /* no limits: nothing */
    assert_int_equal(quota_available(&q, PAGES), 0);
    assert_int_equal(quota_charge(&q, PAGES, 1), AE_ERR_QUOTA);
}

static void QUOTA0002_charge_uncharge(void **state)
{
    assert_int_equal(quota_charge(&root, PAGES, 0), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 600), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 400), AE_OK);   /* exactly full */
    assert_int_equal(quota_available(&root, PAGES), 0);
    assert_int_equal(quota_charge(&root, PAGES, 1), AE_ERR_QUOTA);
    assert_int_equal(root.used[PAGES], 1000);
    assert_int_equal(quota_charge(&root, PAGES, 0), AE_OK);     /* 0 always fits */
    /* Kinds are independent. */
    assert_int_equal(quota_charge(&root, THREADS, 10), AE_OK);
    assert_int_equal(quota_charge(&root, HANDLES, 101), AE_ERR_QUOTA);
    assert_int_equal(root.used[HANDLES], 0);
    assert_int_equal(quota_uncharge(&root, PAGES, 1), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 1), AE_OK);
    assert_int_equal(quota_uncharge(&root, PAGES, 1000), AE_OK);
    assert_int_equal(quota_uncharge(&root, PAGES, 0), AE_OK);
    assert_int_equal(quota_available(&root, PAGES), 1000);
    assert_tree_ok(&root, THREADS, 10);
}

static void QUOTA0003_uncharge_more_than_used(void **state)
{
    assert_int_equal(quota_uncharge(&root, PAGES, 1), AE_ERR_INVAL);
    assert_int_equal(quota_charge(&root, PAGES, 5), AE_OK);
    assert_int_equal(quota_uncharge(&root, PAGES, 6), AE_ERR_INVAL);
    assert_int_equal(quota_uncharge(&root, PAGES, UINT64_MAX), AE_ERR_INVAL);
    assert_int_equal(root.used[PAGES], 5);
    assert_tree_ok(&root, PAGES, 5);
}

static void QUOTA0004_overflow_attempts(void **state)
{
    uint64_t big[K] = { UINT64_MAX, UINT64_MAX, UINT64_MAX - 1, 5 };
    uint64_t over[K] = { 1, 1, UINT64_MAX, 0 };

    assert_int_equal(quota_charge(&root, PAGES, UINT64_MAX), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&root, PAGES, 10), AE_OK);
    /* 10 + (2^64 - 5) wraps to 5, which would "fit" a naive check. */
    assert_int_equal(quota_charge(&root, PAGES, UINT64_MAX - 4), AE_ERR_QUOTA);
    assert_int_equal(root.used[PAGES], 10);
    quota_init_root(&root, big);
    assert_int_equal(quota_charge(&root, PAGES, UINT64_MAX), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 1), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&root, THREADS, 7), AE_OK);
    assert_int_equal(quota_charge(&root, THREADS, UINT64_MAX - 7), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&root, THREADS, UINT64_MAX - 8), AE_OK);
    assert_int_equal(quota_available(&root, THREADS), 0);
    /* Carving what is left, then one more, in a kind near the top. */
    assert_int_equal(quota_carve(&root, &c1, over), AE_ERR_QUOTA);
    over[PAGES] = over[THREADS] = 0;
    over[HANDLES] = UINT64_MAX;
    assert_int_equal(quota_carve(&root, &c1, over), AE_OK);
    assert_int_equal(quota_charge(&root, HANDLES, 1), AE_ERR_QUOTA);
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 0, 1, 0, 0 }), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&c1, HANDLES, UINT64_MAX), AE_OK);
    assert_int_equal(quota_transfer(&c1, &root, HANDLES, 1), AE_ERR_QUOTA);
    assert_tree_ok(&root, HANDLES, UINT64_MAX);
    assert_tree_ok(&root, PAGES, UINT64_MAX);
}

static void QUOTA0005_transfer(void **state)
{
    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 100, 10, 1, 0 }), AE_OK);
    assert_int_equal(quota_charge(&c1, PAGES, 60), AE_OK);
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 50), AE_OK);
    assert_int_equal(c1.used[PAGES], 10);
    assert_int_equal(root.used[PAGES], 50);
    assert_int_equal(quota_transfer(&root, &c1, PAGES, 50), AE_OK);
    assert_int_equal(quota_transfer(&c1, &c1, PAGES, 60), AE_OK);   /* self */
    assert_int_equal(c1.used[PAGES], 60);
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 0), AE_OK);
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 60), AE_OK);
    assert_int_equal(c1.used[PAGES], 0);
    assert_tree_ok(&root, PAGES, 60);
}

static void QUOTA0006_transfer_refusals(void **state)
{
    struct quota r0, a0;

    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 100, 10, 1, 0 }), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 850), AE_OK);       /* 50 left */
    assert_int_equal(quota_charge(&c1, PAGES, 80), AE_OK);
    r0 = root;
    a0 = c1;
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 51), AE_ERR_QUOTA);  /* to full */
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 81), AE_ERR_INVAL);  /* from less */
    assert_int_equal(quota_transfer(&c1, &root, PAGES, UINT64_MAX), AE_ERR_INVAL);
    assert_int_equal(quota_transfer(&root, &c1, PAGES, 21), AE_ERR_QUOTA);
    assert_int_equal(quota_transfer(&c1, &c1, PAGES, 81), AE_ERR_INVAL);
    assert_int_equal(quota_transfer(NULL, &c1, PAGES, 0), AE_ERR_INVAL);
    assert_int_equal(quota_transfer(&c1, NULL, PAGES, 0), AE_ERR_INVAL);
    assert_memory_equal(&r0, &root, sizeof(root));
    assert_memory_equal(&a0, &c1, sizeof(c1));
    assert_int_equal(quota_transfer(&c1, &root, PAGES, 50), AE_OK);
    assert_int_equal(quota_available(&root, PAGES), 0);
}

static void QUOTA0007_bad_kind_and_args(void **state)
{
    struct quota r0 = root;
    uint64_t sum = 7;
    enum quota_kind bad[] = { K, (enum quota_kind)(K + 1), (enum quota_kind)-1,
                              (enum quota_kind)1000000 };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(quota_charge(&root, bad[i], 1), AE_ERR_INVAL);
        assert_int_equal(quota_uncharge(&root, bad[i], 0), AE_ERR_INVAL);
        assert_int_equal(quota_transfer(&root, &root, bad[i], 0), AE_ERR_INVAL);
        assert_int_equal(quota_available(&root, bad[i]), 0);
        assert_int_equal(quota_check_tree(&root, bad[i], &sum), AE_ERR_INVAL);
    }
    assert_int_equal(sum, 7);
    assert_int_equal(quota_charge(NULL, PAGES, 1), AE_ERR_INVAL);
    assert_int_equal(quota_uncharge(NULL, PAGES, 1), AE_ERR_INVAL);
    assert_int_equal(quota_available(NULL, PAGES), 0);
    assert_int_equal(quota_check_tree(NULL, PAGES, &sum), AE_ERR_INVAL);
    assert_int_equal(quota_carve(NULL, &c1, L), AE_ERR_INVAL);
    assert_int_equal(quota_carve(&root, NULL, L), AE_ERR_INVAL);
    assert_int_equal(quota_carve(&root, &c1, NULL), AE_ERR_INVAL);
    assert_int_equal(quota_carve(&root, &root, (uint64_t[K]){ 0 }), AE_ERR_INVAL);
    assert_int_equal(quota_release(NULL), AE_ERR_INVAL);
    assert_int_equal(quota_release(&root), AE_ERR_INVAL);          /* a root */
    assert_memory_equal(&r0, &root, sizeof(root));
    assert_int_equal(quota_check_tree(&root, PAGES, NULL), AE_OK);
}

static void QUOTA0008_carve_and_use(void **state)
{
    assert_int_equal(quota_charge(&root, PAGES, 100), AE_OK);
    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 300, 50, 2, 500 }), AE_OK);
    assert_ptr_equal(c1.parent, &root);
    assert_ptr_equal(root.first_child, &c1);
    assert_null(c1.first_child);
    assert_int_equal(c1.limit[HANDLES], 50);
    assert_int_equal(c1.used[PAGES], 0);
    assert_int_equal(c1.carved[PAGES], 0);
    assert_int_equal(root.carved[PAGES], 300);
    assert_int_equal(quota_available(&root, PAGES), 600);
    assert_int_equal(quota_available(&root, CPU), 500);
    /* The child can use exactly its share, the parent exactly the rest. */
    assert_int_equal(quota_charge(&c1, PAGES, 301), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&c1, PAGES, 300), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 601), AE_ERR_QUOTA);
    assert_int_equal(quota_charge(&root, PAGES, 600), AE_OK);
    /* Nested carve out of the child. */
    assert_int_equal(quota_carve(&c1, &c2, (uint64_t[K]){ 0, 50, 2, 500 }), AE_OK);
    assert_int_equal(quota_available(&c1, HANDLES), 0);
    assert_int_equal(quota_charge(&c2, CPU, 500), AE_OK);
    assert_tree_ok(&root, PAGES, 1000);
    assert_tree_ok(&root, CPU, 500);
    assert_tree_ok(&c1, CPU, 500);
    assert_tree_ok(&c2, HANDLES, 0);
}

static void QUOTA0009_carve_all_or_nothing(void **state)
{
    struct quota r0;

    assert_int_equal(quota_charge(&root, THREADS, 4), AE_OK);
    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 100, 10, 1, 0 }), AE_OK);
    r0 = root;
    /* Only the last kind is short: nothing is taken from the others. */
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 900, 90, 5, 1001 }), AE_ERR_QUOTA);
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 901, 0, 0, 0 }), AE_ERR_QUOTA);
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 0, 0, 6, 0 }), AE_ERR_QUOTA);
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 0, UINT64_MAX, 0, 0 }), AE_ERR_QUOTA);
    assert_memory_equal(&r0, &root, sizeof(root));
    assert_ptr_equal(root.first_child, &c1);
    assert_tree_ok(&root, THREADS, 4);
    /* Exactly what is left works, and leaves nothing. */
    assert_int_equal(quota_carve(&root, &c2, (uint64_t[K]){ 900, 90, 5, 1000 }), AE_OK);
    for (int k = 0; k < K; k++)
        assert_int_equal(quota_available(&root, k), 0);
    assert_int_equal(quota_carve(&root, &c3, (uint64_t[K]){ 0 }), AE_OK);  /* empty */
    assert_tree_ok(&root, PAGES, 0);
}

static void QUOTA0010_release_busy_vs_ok(void **state)
{
    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 100, 10, 2, 0 }), AE_OK);
    assert_int_equal(quota_carve(&c1, &c2, (uint64_t[K]){ 50, 0, 1, 0 }), AE_OK);
    assert_int_equal(quota_charge(&c2, THREADS, 1), AE_OK);
    assert_int_equal(quota_release(&c1), AE_ERR_BUSY);          /* has a child */
    assert_int_equal(quota_release(&c2), AE_ERR_BUSY);          /* uses a thread */
    assert_int_equal(quota_uncharge(&c2, THREADS, 1), AE_OK);
    assert_int_equal(quota_charge(&c1, HANDLES, 3), AE_OK);
    assert_int_equal(quota_release(&c2), AE_OK);
    assert_null(c2.parent);
    assert_null(c1.first_child);
    assert_int_equal(c1.carved[PAGES], 0);
    assert_int_equal(quota_available(&c1, PAGES), 100);
    assert_int_equal(quota_release(&c2), AE_ERR_INVAL);         /* twice */
    assert_int_equal(quota_release(&c1), AE_ERR_BUSY);          /* uses handles */
    assert_int_equal(quota_uncharge(&c1, HANDLES, 3), AE_OK);
    assert_int_equal(quota_release(&c1), AE_OK);
    for (int k = 0; k < K; k++) {
        assert_int_equal(root.carved[k], 0);
        assert_int_equal(quota_available(&root, k), L[k]);
        assert_int_equal(c1.limit[k], 0);       /* a released account is empty */
    }
    assert_null(root.first_child);
    assert_tree_ok(&root, PAGES, 0);
}

static void QUOTA0011_release_any_sibling(void **state)
{
    static const uint64_t s[K] = { 10, 1, 1, 10 };

    for (int round = 0; round < 3; round++) {
        struct quota *gone = round == 0 ? &c2 : round == 1 ? &c3 : &c1;

        assert_int_equal(quota_carve(&root, &c1, s), AE_OK);
        assert_int_equal(quota_carve(&root, &c2, s), AE_OK);
        assert_int_equal(quota_carve(&root, &c3, s), AE_OK);    /* [c3, c2, c1] */
        assert_int_equal(quota_release(gone), AE_OK);           /* middle, first, last */
        assert_tree_ok(&root, PAGES, 0);
        assert_int_equal(root.carved[PAGES], 20);
        for (struct quota *q = root.first_child; q; q = q->next_sibling)
            assert_ptr_not_equal(q, gone);
        while (root.first_child)
            assert_int_equal(quota_release(root.first_child), AE_OK);
        assert_int_equal(root.carved[PAGES], 0);
    }
}

static void QUOTA0012_deep_tree(void **state)
{
    enum { D = 500000 };
    struct quota *q = calloc(D, sizeof(*q));
    uint64_t big[K] = { D, D, D, D };

    assert_non_null(q);
    quota_init_root(&q[0], big);
    /* Each level keeps one of each kind and passes the rest down. */
    for (int i = 1; i < D; i++) {
        uint64_t lim[K];

        for (int k = 0; k < K; k++)
            lim[k] = (uint64_t)(D - i);
        assert_int_equal(quota_carve(&q[i - 1], &q[i], lim), AE_OK);
        assert_int_equal(quota_charge(&q[i - 1], PAGES, 1), AE_OK);
    }
    assert_int_equal(quota_charge(&q[D - 1], PAGES, 1), AE_OK);
    assert_int_equal(quota_charge(&q[D - 1], PAGES, 1), AE_ERR_QUOTA);
    assert_tree_ok(&q[0], PAGES, D);
    assert_tree_ok(&q[0], CPU, 0);
    assert_tree_ok(&q[D / 2], PAGES, D - D / 2);
    assert_int_equal(quota_release(&q[1]), AE_ERR_BUSY);
    for (int i = D - 1; i > 0; i--) {
        assert_int_equal(quota_release(&q[i]), AE_ERR_BUSY);
        assert_int_equal(quota_uncharge(&q[i], PAGES, 1), AE_OK);
        assert_int_equal(quota_release(&q[i]), AE_OK);
    }
    assert_null(q[0].first_child);
    assert_int_equal(quota_available(&q[0], PAGES), D - 1);
    assert_tree_ok(&q[0], PAGES, 1);
    free(q);
}

/* r: [b, a], a: [a2, a1] for the corruption cases. */
static struct quota r, a, a1, a2, b;

static void build_small(void)
{
    quota_init_root(&r, L);
    assert_int_equal(quota_carve(&r, &a, (uint64_t[K]){ 500, 50, 5, 500 }), AE_OK);
    assert_int_equal(quota_carve(&a, &a1, (uint64_t[K]){ 100, 10, 1, 100 }), AE_OK);
    assert_int_equal(quota_carve(&a, &a2, (uint64_t[K]){ 100, 10, 1, 100 }), AE_OK);
    assert_int_equal(quota_carve(&r, &b, (uint64_t[K]){ 100, 10, 1, 100 }), AE_OK);
    assert_int_equal(quota_charge(&a1, PAGES, 7), AE_OK);
    assert_int_equal(quota_charge(&b, PAGES, 3), AE_OK);
    assert_tree_ok(&r, PAGES, 10);
}

/* Sets field to bad, expects CORRUPT from check(at), restores. */
#define CORRUPT_FIELD(at, field, bad)                                       \
    do {                                                                    \
        __typeof__(field) saved_ = (field);                                 \
        uint64_t sum_ = 99;                                                 \
        (field) = (bad);                                                    \
        assert_int_equal(quota_check_tree(at, PAGES, &sum_), AE_ERR_CORRUPT); \
        assert_int_equal(sum_, 99);                                         \
        (field) = saved_;                                                   \
        assert_int_equal(quota_check_tree(at, PAGES, &sum_), AE_OK);        \
    } while (0)

static void QUOTA0013_check_detects_bad_counters(void **state)
{
    build_small();
    CORRUPT_FIELD(&r, a1.used[PAGES], 101);             /* over its limit */
    CORRUPT_FIELD(&r, a1.used[CPU], 101);               /* any kind is checked */
    CORRUPT_FIELD(&r, a.carved[HANDLES], 21);           /* not the children's sum */
    CORRUPT_FIELD(&r, a.carved[PAGES], 199);
    CORRUPT_FIELD(&r, a2.limit[THREADS], 2);            /* child claims more */
    CORRUPT_FIELD(&r, a2.limit[THREADS], UINT64_MAX);   /* sum would wrap */
    /* 3 + (2^64 - 1) wraps to exactly a's carved 2: only a check before
     * each addition sees it. */
    a1.limit[THREADS] = 3;
    a2.limit[THREADS] = UINT64_MAX;
    assert_int_equal(quota_check_tree(&r, PAGES, NULL), AE_ERR_CORRUPT);
    a1.limit[THREADS] = a2.limit[THREADS] = 1;
    assert_tree_ok(&r, PAGES, 10);
    CORRUPT_FIELD(&r, r.used[PAGES], 401);              /* used + carved > limit */
    CORRUPT_FIELD(&r, r.used[PAGES], UINT64_MAX);
    CORRUPT_FIELD(&r, b.carved[PAGES], UINT64_MAX);     /* wraps with used */
    CORRUPT_FIELD(&a1, a1.carved[CPU], 1);              /* carved, no children */
}

static void QUOTA0014_check_detects_bad_links(void **state)
{
    build_small();
    CORRUPT_FIELD(&r, a1.parent, &r);
    CORRUPT_FIELD(&r, a2.parent, NULL);
    CORRUPT_FIELD(&r, a1.prev_sibling, NULL);
    CORRUPT_FIELD(&r, a2.prev_sibling, &b);
    CORRUPT_FIELD(&r, a1.next_sibling, &a2);            /* sibling cycle */
    CORRUPT_FIELD(&r, a1.next_sibling, &b);             /* another parent's */
    CORRUPT_FIELD(&r, a1.first_child, &a);              /* cycle */
    CORRUPT_FIELD(&a, a.parent, &b);                    /* not in b's list */
    CORRUPT_FIELD(&a, a.next_sibling, &b);
    CORRUPT_FIELD(&r, r.next_sibling, &b);              /* root with a sibling */
    /* A cycle back to the start where every local link agrees. */
    a1.first_child = &r;
    r.parent = &a1;
    assert_int_equal(quota_check_tree(&r, PAGES, NULL), AE_ERR_CORRUPT);
    a1.first_child = NULL;
    r.parent = NULL;
    assert_tree_ok(&r, PAGES, 10);
    /* The same where the counters agree too (the child got everything), so
     * only the re-entry check can stop the walk. */
    quota_init_root(&r, L);
    assert_int_equal(quota_carve(&r, &a, L), AE_OK);
    a.first_child = &r;
    memcpy(a.carved, L, sizeof(L));
    r.parent = &a;
    assert_int_equal(quota_check_tree(&r, PAGES, NULL), AE_ERR_CORRUPT);
    assert_int_equal(quota_check_tree(&a, PAGES, NULL), AE_ERR_CORRUPT);
}

static void QUOTA0015_release_refuses_corrupt_parent(void **state)
{
    struct quota a0;

    build_small();
    a.carved[CPU] = 50;                                 /* less than a1's 100 */
    a0 = a;
    assert_int_equal(quota_release(&a2), AE_ERR_CORRUPT);
    assert_memory_equal(&a0, &a, sizeof(a));
    assert_ptr_equal(a2.parent, &a);
}

static void QUOTA0016_corrupt_node_grants_nothing(void **state)
{
    build_small();
    a1.used[PAGES] = 101;                               /* over its limit */
    assert_int_equal(quota_available(&a1, PAGES), 0);
    assert_int_equal(quota_charge(&a1, PAGES, 1), AE_ERR_QUOTA);
    assert_int_equal(quota_transfer(&b, &a1, PAGES, 1), AE_ERR_QUOTA);
    a1.used[PAGES] = 7;
    a1.carved[PAGES] = 94;                              /* 7 + 94 > 100 */
    assert_int_equal(quota_available(&a1, PAGES), 0);
    assert_int_equal(quota_charge(&a1, PAGES, 1), AE_ERR_QUOTA);
    assert_int_equal(quota_carve(&a1, &c1, (uint64_t[K]){ 1, 0, 0, 0 }), AE_ERR_QUOTA);
    /* Carved without children: never released as if empty. */
    assert_int_equal(quota_uncharge(&a1, PAGES, 7), AE_OK);
    assert_int_equal(quota_release(&a1), AE_ERR_BUSY);
    assert_ptr_equal(a1.parent, &a);
}

/*
 * Randomized run against a model. The model keeps its own counters and
 * tree (parent index, child count) and decides every result in 128-bit
 * arithmetic; after every step all nodes' counters and parents must match
 * and every root's tree must check with the model's sums.
 */
enum { MN = 48 };
static struct quota pool[MN];
static struct qmodel {
    bool used;
    int parent, nkids;
    uint64_t limit[K], use[K], carved[K];
} m[MN];

static unsigned __int128 room(int i, int k)
{
    return (unsigned __int128)m[i].limit[k] - m[i].use[k] - m[i].carved[k];
}

static uint64_t amount(uint64_t scale)
{
    switch (rng() % 8) {
    case 0: return UINT64_MAX - rng() % 4;          /* overflow attempts */
    case 1: return 0;
    default: return scale < UINT64_MAX - 1 ? rng() % (scale + 2) : rng();
    }
}

static void m_charge(int i)
{
    int k = (int)(rng() % K);
    uint64_t n = amount(m[i].limit[k] / 4);
    int want = n > room(i, k) ? AE_ERR_QUOTA : AE_OK;

    assert_int_equal(quota_charge(&pool[i], k, n), want);
    if (want == AE_OK)
        m[i].use[k] += n;
}

static void m_uncharge(int i)
{
    int k = (int)(rng() % K);
    uint64_t n = rng() % 2 ? m[i].use[k] : amount(m[i].use[k]);
    int want = n > m[i].use[k] ? AE_ERR_INVAL : AE_OK;

    assert_int_equal(quota_uncharge(&pool[i], k, n), want);
    if (want == AE_OK)
        m[i].use[k] -= n;
}

static void m_transfer(int i, int j)
{
    int k = (int)(rng() % K);
    uint64_t n = amount(m[i].use[k]);
    int want = n > m[i].use[k] ? AE_ERR_INVAL
             : i != j && n > room(j, k) ? AE_ERR_QUOTA : AE_OK;

    assert_int_equal(quota_transfer(&pool[i], &pool[j], k, n), want);
    if (want == AE_OK) {
        m[i].use[k] -= n;
        m[j].use[k] += n;
    }
}

static void m_carve(int i, int j)
{
    uint64_t lim[K];
    int want = AE_OK;

    for (int k = 0; k < K; k++) {
        lim[k] = amount((uint64_t)(room(i, k) > 8 ? room(i, k) / 2 : 8));
        if (lim[k] > room(i, k))
            want = AE_ERR_QUOTA;
    }
    assert_int_equal(quota_carve(&pool[i], &pool[j], lim), want);
    if (want != AE_OK)
        return;
    m[j] = (struct qmodel){ .used = true, .parent = i };
    for (int k = 0; k < K; k++) {
        m[j].limit[k] = lim[k];
        m[i].carved[k] += lim[k];
    }
    m[i].nkids++;
}

static void m_release(int i)
{
    int p = m[i].parent, want = p < 0 ? AE_ERR_INVAL : AE_OK;

    if (rng() % 2) {                        /* often: empty it first */
        for (int k = 0; k < K; k++) {
            assert_int_equal(quota_uncharge(&pool[i], k, m[i].use[k]), AE_OK);
            m[i].use[k] = 0;
        }
    }
    for (int k = 0; k < K && want == AE_OK; k++)
        if (m[i].use[k] || m[i].nkids)
            want = AE_ERR_BUSY;
    assert_int_equal(quota_release(&pool[i]), want);
    if (want != AE_OK)
        return;
    for (int k = 0; k < K; k++)
        m[p].carved[k] -= m[i].limit[k];
    m[p].nkids--;
    m[i].used = false;
}

/* Every node's counters and parent match the model, and every root's tree
 * checks with the model's per-tree sums of used. */
static void compare_all(void)
{
    uint64_t sum[MN][K];

    memset(sum, 0, sizeof(sum));
    for (int i = 0; i < MN; i++) {
        int top = i;

        if (!m[i].used)
            continue;
        assert_ptr_equal(pool[i].parent, m[i].parent < 0 ? NULL : &pool[m[i].parent]);
        assert_memory_equal(pool[i].limit, m[i].limit, sizeof(m[i].limit));
        assert_memory_equal(pool[i].used, m[i].use, sizeof(m[i].use));
        assert_memory_equal(pool[i].carved, m[i].carved, sizeof(m[i].carved));
        while (m[top].parent >= 0)
            top = m[top].parent;
        for (int k = 0; k < K; k++)
            sum[top][k] += m[i].use[k];
    }
    for (int i = 0; i < MN; i++)
        if (m[i].used && m[i].parent < 0)
            for (int k = 0; k < K; k++)
                assert_tree_ok(&pool[i], k, sum[i][k]);
}

static void QUOTA0017_random_against_model(void **state)
{
    int ok_carves = 0, releases = 0, roots = 0, tries = 0, maxdepth = 0;

    rng_state = 0x9407a;
    memset(m, 0, sizeof(m));
    for (int step = 0; step < 30000; step++) {
        int i = (int)(rng() % MN), j = (int)(rng() % MN);
        unsigned op = rng() % 16;

        if (!m[i].used) {
            uint64_t lim[K];

            if (roots >= 4)
                continue;
            for (int k = 0; k < K; k++)
                lim[k] = rng() % 8 ? rng() % 100000 : UINT64_MAX;
            quota_init_root(&pool[i], lim);
            m[i] = (struct qmodel){ .used = true, .parent = -1 };
            memcpy(m[i].limit, lim, sizeof(lim));
            roots++;
        } else if (op < 4) {
            m_charge(i);
        } else if (op < 7) {
            m_uncharge(i);
        } else if (op < 9 && m[j].used) {
            m_transfer(i, j);
        } else if (op < 12) {
            for (int k = 0; k < MN && m[j].used; k++)
                j = (j + 1) % MN;           /* any free node */
            if (m[j].used)
                continue;
            tries++;
            m_carve(i, j);
            ok_carves += m[j].used;
        } else if (op < 15) {
            m_release(i);
            releases += !m[i].used;
        } else if (m[i].parent < 0 && m[i].nkids == 0) {
            m[i].used = false;              /* a childless root is dropped */
            roots--;
        }
        compare_all();
        for (int k = 0; k < MN; k++) {
            int d = 0;

            for (int u = k; m[k].used && m[u].parent >= 0; u = m[u].parent)
                d++;
            maxdepth = d > maxdepth ? d : maxdepth;
        }
    }
    /* The run really exercised carving, refusals, release and depth. */
    assert_true(ok_carves > 1000 && tries - ok_carves > 1000 && releases > 1000);
    assert_true(maxdepth >= 5);
}

/* Byte charges share pages: the page count follows ceil(bytes / 4096). */
static void QUOTA0018_bytes_share_pages(void **state)
{
    uint64_t pages = 9, bytes = 9;

    assert_int_equal(quota_charge_bytes(&root, 100), AE_OK);
    assert_int_equal(root.used[PAGES], 1);
    assert_int_equal(quota_charge_bytes(&root, 3996), AE_OK);    /* 4096: still one */
    assert_int_equal(root.used[PAGES], 1);
    assert_int_equal(quota_charge_bytes(&root, 1), AE_OK);       /* 4097: two */
    assert_int_equal(root.used[PAGES], 2);
    assert_int_equal(quota_kbyte_pages(&root), 2);
    assert_int_equal(quota_charge(&root, PAGES, 10), AE_OK);      /* whole pages mix in */
    assert_int_equal(quota_check_kbytes(&root, &pages, &bytes), AE_OK);
    assert_int_equal(pages, 2);
    assert_int_equal(bytes, 4097);
    assert_int_equal(quota_uncharge_bytes(&root, 1), AE_OK);
    assert_int_equal(root.used[PAGES], 11);
    assert_int_equal(quota_uncharge_bytes(&root, 4096), AE_OK);
    assert_int_equal(root.used[PAGES], 10);
    assert_int_equal(root.kbytes, 0);
    assert_int_equal(quota_uncharge(&root, PAGES, 10), AE_OK);
    assert_tree_ok(&root, PAGES, 0);
}

/* A byte charge that needs a page the quota lacks is refused whole; one
 * that fits in the page already held needs no room at all. */
static void QUOTA0019_bytes_at_the_limit(void **state)
{
    struct quota before;

    assert_int_equal(quota_charge(&root, PAGES, L[PAGES] - 1), AE_OK);
    assert_int_equal(quota_charge_bytes(&root, 4000), AE_OK);     /* the last page */
    before = root;
    assert_int_equal(quota_charge_bytes(&root, 97), AE_ERR_QUOTA);
    assert_memory_equal(&before, &root, sizeof(root));
    assert_int_equal(quota_charge_bytes(&root, 96), AE_OK);       /* exactly 4096 */
    assert_int_equal(root.used[PAGES], L[PAGES]);
    before = root;
    assert_int_equal(quota_charge_bytes(&root, UINT64_MAX), AE_ERR_QUOTA);
    assert_int_equal(quota_charge_bytes(&root, UINT64_MAX - 4095), AE_ERR_QUOTA);
    assert_int_equal(quota_uncharge_bytes(&root, 4097), AE_ERR_INVAL);
    assert_int_equal(quota_charge_bytes(NULL, 1), AE_ERR_INVAL);
    assert_int_equal(quota_uncharge_bytes(NULL, 1), AE_ERR_INVAL);
    assert_memory_equal(&before, &root, sizeof(root));
    assert_int_equal(quota_charge_bytes(&root, 0), AE_OK);
    assert_memory_equal(&before, &root, sizeof(root));
}

/* Transfer of bytes: pages follow on both sides; refused transfers change
 * nothing; a node holding bytes cannot be released. */
static void QUOTA0020_bytes_transfer_and_release(void **state)
{
    const uint64_t lim[K] = { 2, 1, 1, 1 };
    struct quota before_root, before_c1;

    assert_int_equal(quota_carve(&root, &c1, lim), AE_OK);
    assert_int_equal(quota_charge_bytes(&root, 5000), AE_OK);      /* 2 pages */
    assert_int_equal(quota_transfer_bytes(&root, &c1, 4000), AE_OK);
    assert_int_equal(root.used[PAGES], 1);                          /* 1000 left */
    assert_int_equal(c1.used[PAGES], 1);
    assert_int_equal(quota_charge(&c1, PAGES, 1), AE_OK);           /* c1 full */
    before_root = root;
    before_c1 = c1;
    assert_int_equal(quota_transfer_bytes(&root, &c1, 200), AE_ERR_QUOTA);
    assert_int_equal(quota_transfer_bytes(&root, &c1, 1001), AE_ERR_INVAL);
    assert_int_equal(quota_transfer_bytes(NULL, &c1, 1), AE_ERR_INVAL);
    assert_int_equal(quota_transfer_bytes(&root, NULL, 1), AE_ERR_INVAL);
    assert_memory_equal(&before_root, &root, sizeof(root));
    assert_memory_equal(&before_c1, &c1, sizeof(c1));
    assert_int_equal(quota_transfer_bytes(&root, &c1, 96), AE_OK);  /* fits c1's page */
    assert_int_equal(quota_transfer_bytes(&root, &root, 10), AE_OK);
    assert_int_equal(quota_uncharge(&c1, PAGES, 1), AE_OK);
    assert_int_equal(quota_release(&c1), AE_ERR_BUSY);
    assert_int_equal(quota_uncharge_bytes(&c1, 4096), AE_OK);
    assert_int_equal(c1.used[PAGES], 0);
    assert_int_equal(quota_release(&c1), AE_OK);
    assert_int_equal(quota_uncharge_bytes(&root, 904), AE_OK);
    assert_tree_ok(&root, PAGES, 0);
}

/* The check refuses a node whose byte charges claim more pages than it
 * uses, and sums bytes and pages over a tree. */
static void QUOTA0021_check_kbytes(void **state)
{
    const uint64_t lim[K] = { 10, 1, 1, 1 };
    uint64_t pages = 0, bytes = 0;

    assert_int_equal(quota_carve(&root, &c1, lim), AE_OK);
    assert_int_equal(quota_carve(&c1, &c2, lim), AE_OK);
    assert_int_equal(quota_charge_bytes(&root, 10), AE_OK);
    assert_int_equal(quota_charge_bytes(&c2, 8193), AE_OK);
    assert_int_equal(quota_check_kbytes(&root, &pages, &bytes), AE_OK);
    assert_int_equal(pages, 4);
    assert_int_equal(bytes, 8203);
    assert_tree_ok(&root, PAGES, 4);
    c2.used[PAGES]--;                           /* 3 pages of bytes, 2 used */
    assert_int_equal(quota_check_kbytes(&root, &pages, &bytes), AE_ERR_CORRUPT);
    assert_int_equal(quota_check_tree(&root, PAGES, NULL), AE_ERR_CORRUPT);
    assert_int_equal(quota_uncharge_bytes(&c2, 8193), AE_ERR_INVAL);
    c2.used[PAGES]++;
    assert_int_equal(quota_check_kbytes(NULL, &pages, &bytes), AE_ERR_INVAL);
    assert_int_equal(quota_check_kbytes(&root, NULL, NULL), AE_OK);
}

/* Each refusal for want of room, and only those, is told to quota_refused
 * with the account, the kind and what was asked (for a carve: the first
 * kind that does not fit). */
static void QUOTA0022_refusals_reach_the_hook(void **state)
{
    memset(&refused, 0, sizeof(refused));
    assert_int_equal(quota_charge(&root, HANDLES, 100), AE_OK);
    assert_int_equal(quota_charge(&root, PAGES, 2000), AE_ERR_QUOTA);
    assert_int_equal(refused.calls, 1);
    assert_ptr_equal(refused.q, &root);
    assert_int_equal(refused.kind, PAGES);
    assert_int_equal(refused.asked, 2000);
    assert_int_equal(quota_charge(&root, HANDLES, 1), AE_ERR_QUOTA);
    assert_int_equal(refused.kind, HANDLES);
    assert_int_equal(refused.calls, 2);
    assert_int_equal(quota_charge(&root, K, 1), AE_ERR_INVAL);     /* not a refusal */
    assert_int_equal(quota_charge(NULL, PAGES, 1), AE_ERR_INVAL);
    assert_int_equal(refused.calls, 2);
    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 10, 0, 11, 0 }), AE_ERR_QUOTA);
    assert_int_equal(refused.calls, 3);
    assert_ptr_equal(refused.q, &root);
    assert_int_equal(refused.kind, THREADS);
    assert_int_equal(refused.asked, 11);
}

static void QUOTA0023_shrink_returns_all_but_what_is_held(void **state)
{
    uint64_t sum;

    assert_int_equal(quota_carve(&root, &c1, (uint64_t[K]){ 300, 40, 4, 300 }), AE_OK);
    assert_int_equal(quota_carve(&c1, &c2, (uint64_t[K]){ 100, 10, 1, 100 }), AE_OK);
    assert_int_equal(quota_charge(&c1, PAGES, 50), AE_OK);      /* an object others hold */
    assert_int_equal(quota_charge(&c1, CPU, 200), AE_OK);
    assert_int_equal(quota_uncharge(&c1, CPU, 200), AE_OK);     /* its threads are gone */
    assert_int_equal(quota_shrink(&c1), AE_OK);
    /* It keeps what it uses and what its child has; the rest is back. */
    assert_int_equal(c1.limit[PAGES], 150);
    assert_int_equal(c1.limit[HANDLES], 10);
    assert_int_equal(c1.limit[THREADS], 1);
    assert_int_equal(c1.limit[CPU], 100);
    assert_int_equal(quota_available(&root, PAGES), 1000 - 150);
    assert_int_equal(quota_available(&root, CPU), 1000 - 100);
    assert_int_equal(quota_charge(&c1, PAGES, 1), AE_ERR_QUOTA);  /* nothing new */
    assert_int_equal(quota_check_tree(&root, PAGES, &sum), AE_OK);
    assert_int_equal(quota_check_tree(&root, CPU, &sum), AE_OK);
    /* When what it held goes, releasing returns the rest. */
    assert_int_equal(quota_uncharge(&c1, PAGES, 50), AE_OK);
    assert_int_equal(quota_release(&c2), AE_OK);
    assert_int_equal(quota_release(&c1), AE_OK);
    assert_int_equal(quota_available(&root, PAGES), 1000);
    assert_int_equal(quota_available(&root, CPU), 1000);
    assert_int_equal(quota_shrink(&root), AE_ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(QUOTA0001_init_root, setup),
        cmocka_unit_test_setup(QUOTA0002_charge_uncharge, setup),
        cmocka_unit_test_setup(QUOTA0003_uncharge_more_than_used, setup),
        cmocka_unit_test_setup(QUOTA0004_overflow_attempts, setup),
        cmocka_unit_test_setup(QUOTA0005_transfer, setup),
        cmocka_unit_test_setup(QUOTA0006_transfer_refusals, setup),
        cmocka_unit_test_setup(QUOTA0007_bad_kind_and_args, setup),
        cmocka_unit_test_setup(QUOTA0008_carve_and_use, setup),
        cmocka_unit_test_setup(QUOTA0009_carve_all_or_nothing, setup),
        cmocka_unit_test_setup(QUOTA0010_release_busy_vs_ok, setup),
        cmocka_unit_test_setup(QUOTA0011_release_any_sibling, setup),
        cmocka_unit_test_setup(QUOTA0012_deep_tree, setup),
        cmocka_unit_test_setup(QUOTA0013_check_detects_bad_counters, setup),
        cmocka_unit_test_setup(QUOTA0014_check_detects_bad_links, setup),
        cmocka_unit_test_setup(QUOTA0015_release_refuses_corrupt_parent, setup),
        cmocka_unit_test_setup(QUOTA0016_corrupt_node_grants_nothing, setup),
        cmocka_unit_test_setup(QUOTA0017_random_against_model, setup),
        cmocka_unit_test_setup(QUOTA0018_bytes_share_pages, setup),
        cmocka_unit_test_setup(QUOTA0019_bytes_at_the_limit, setup),
        cmocka_unit_test_setup(QUOTA0020_bytes_transfer_and_release, setup),
        cmocka_unit_test_setup(QUOTA0021_check_kbytes, setup),
        cmocka_unit_test_setup(QUOTA0022_refusals_reach_the_hook, setup),
        cmocka_unit_test_setup(QUOTA0023_shrink_returns_all_but_what_is_held, setup),
    };

    return cmocka_run_group_tests_name("quota", tests, NULL, NULL);
}
