/*
 * Unit tests for kernel/cap/cap.c: derive rights and badge rules and every
 * refusal, revoke of wide and very deep trees (deep enough that a recursive
 * walk would overflow the stack under AddressSanitizer), exact post-order
 * callback order with every node detached before its callback, unlink
 * re-parenting in place, cap_check_subtree on valid and deliberately
 * corrupted trees, and a randomized run against a reference model (ordered
 * child lists) with a fixed seed.
 */
#include "unit.h"

#include "aether/rights.h"
#include "cap/cap.h"

#define ALL AE_RIGHTS_ALL
#define RW (AE_RIGHT_READ | AE_RIGHT_WRITE)
#define RWD (RW | AE_RIGHT_DERIVE)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static char objects[8];
#define OBJ(i) ((void *)&objects[i])
#define TYPE 7

/* Revoke callback log. Each entry is checked as it arrives: the node must
 * already be detached, cleared and marked revoked. */
static struct log {
    struct cap **seq;
    size_t n, cap;
} lg;

static void logged(struct cap *c, void *ctx)
{
    assert_ptr_equal(ctx, &lg);
    assert_true(c->revoked);
    assert_null(c->obj);
    assert_null(c->parent);
    assert_null(c->first_child);
    assert_null(c->next_sibling);
    assert_null(c->prev_sibling);
    if (lg.n == lg.cap) {
        lg.cap = lg.cap ? 2 * lg.cap : 64;
        lg.seq = realloc(lg.seq, lg.cap * sizeof(*lg.seq));
        assert_non_null(lg.seq);
    }
    lg.seq[lg.n++] = c;
}

/* As logged, and the tree around ctx->root stays consistent throughout. */
static struct cap *check_root;

static void logged_checked(struct cap *c, void *ctx)
{
    logged(c, ctx);
    assert_int_equal(cap_check_subtree(check_root), AE_OK);
}

static int setup(void **state)
{
    lg.n = 0;
    return 0;
}

static int teardown(void **state)
{
    free(lg.seq);
    lg = (struct log){ 0 };
    return 0;
}

static void derive_ok(struct cap *p, struct cap *c, uint32_t rights)
{
    assert_int_equal(cap_derive(p, c, rights, 0, false), AE_OK);
}

static void CAP0001_init_root(void **state)
{
    struct cap r;

    memset(&r, 0xa5, sizeof(r));
    cap_init_root(&r, OBJ(1), TYPE, ALL, 42);
    assert_ptr_equal(r.obj, OBJ(1));
    assert_int_equal(r.rights, ALL);
    assert_int_equal(r.type, TYPE);
    assert_int_equal(r.badge, 42);
    assert_null(r.parent);
    assert_null(r.first_child);
    assert_null(r.next_sibling);
    assert_null(r.prev_sibling);
    assert_false(r.revoked);
    assert_int_equal(cap_count_descendants(&r), 0);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
}

static void CAP0002_derive_subset_rights(void **state)
{
    struct cap r, a, b, c;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    memset(&a, 0xa5, sizeof(a));            /* child storage is overwritten */
    derive_ok(&r, &a, RWD);
    assert_ptr_equal(a.obj, OBJ(1));
    assert_int_equal(a.type, TYPE);
    assert_int_equal(a.rights, RWD);
    assert_int_equal(a.badge, 0);
    assert_ptr_equal(a.parent, &r);
    assert_null(a.first_child);
    assert_false(a.revoked);
    derive_ok(&a, &b, RWD);                 /* equal rights are a subset */
    assert_int_equal(b.rights, RWD);
    derive_ok(&b, &c, 0);                   /* no rights at all */
    assert_int_equal(cap_count_descendants(&r), 3);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
}

static void CAP0003_derive_superset_refused(void **state)
{
    struct cap r, a, b, before;

    cap_init_root(&r, OBJ(1), TYPE, RWD, 0);
    derive_ok(&r, &a, RWD);
    before = a;
    assert_int_equal(cap_derive(&a, &b, RWD | AE_RIGHT_EXEC, 0, false), AE_ERR_ACCESS);
    assert_int_equal(cap_derive(&a, &b, AE_RIGHT_MANAGE, 0, false), AE_ERR_ACCESS);
    assert_int_equal(cap_derive(&a, &b, 1u << 20, 0, false), AE_ERR_ACCESS);
    assert_int_equal(cap_derive(&a, &b, UINT32_MAX, 0, false), AE_ERR_ACCESS);
    assert_memory_equal(&before, &a, sizeof(a));
    assert_int_equal(cap_count_descendants(&r), 1);
}

static void CAP0004_derive_needs_derive_right(void **state)
{
    struct cap r, a, b;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &a, RW);                  /* a may not derive further */
    assert_int_equal(cap_derive(&a, &b, AE_RIGHT_READ, 0, false), AE_ERR_ACCESS);
    assert_int_equal(cap_derive(&a, &b, 0, 0, false), AE_ERR_ACCESS);
    assert_null(a.first_child);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
}

static void CAP0005_badge_set_once(void **state)
{
    struct cap r, a, b, c, d;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    assert_int_equal(cap_derive(&r, &a, ALL, 77, true), AE_OK);
    assert_int_equal(a.badge, 77);
    derive_ok(&a, &b, RWD);                 /* inherits */
    assert_int_equal(b.badge, 77);
    assert_int_equal(cap_derive(&b, &c, RWD, 78, true), AE_ERR_INVAL);
    assert_int_equal(cap_derive(&b, &c, RWD, 0, true), AE_ERR_INVAL);
    assert_null(b.first_child);
    assert_int_equal(cap_derive(&b, &c, RWD, 77, true), AE_OK);   /* no change */
    assert_int_equal(c.badge, 77);
    /* Without set_badge the badge argument is ignored. */
    assert_int_equal(cap_derive(&c, &d, RWD, 99, false), AE_OK);
    assert_int_equal(d.badge, 77);
    /* A root made with a badge counts as badged too. */
    cap_init_root(&r, OBJ(2), TYPE, ALL, 5);
    assert_int_equal(cap_derive(&r, &a, ALL, 6, true), AE_ERR_INVAL);
}

static void CAP0006_bad_arguments(void **state)
{
    struct cap r, a;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    assert_int_equal(cap_derive(NULL, &a, 0, 0, false), AE_ERR_INVAL);
    assert_int_equal(cap_derive(&r, NULL, 0, 0, false), AE_ERR_INVAL);
    assert_int_equal(cap_derive(&r, &r, 0, 0, false), AE_ERR_INVAL);
    assert_null(r.first_child);
    assert_int_equal(cap_revoke(NULL, logged, &lg), 0);
    cap_unlink(NULL);
    assert_int_equal(cap_count_descendants(NULL), 0);
    assert_int_equal(cap_check_subtree(NULL), AE_ERR_INVAL);
    /* A node without an object is as good as revoked. */
    cap_init_root(&r, NULL, TYPE, ALL, 0);
    assert_int_equal(cap_derive(&r, &a, RW, 0, false), AE_ERR_REVOKED);
}

static void CAP0007_revoked_refuses_derive(void **state)
{
    struct cap r, a, b, c;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &a, ALL);
    derive_ok(&a, &b, ALL);
    assert_int_equal(cap_revoke(&r, logged, &lg), 2);
    assert_int_equal(cap_derive(&a, &c, RW, 0, false), AE_ERR_REVOKED);
    assert_int_equal(cap_derive(&b, &c, RW, 0, false), AE_ERR_REVOKED);
    assert_null(a.first_child);
    /* Revoked beats every other refusal. */
    assert_int_equal(cap_derive(&a, &c, UINT32_MAX, 5, true), AE_ERR_REVOKED);
    /* Revoking or unlinking a revoked node changes nothing. */
    assert_int_equal(cap_revoke(&a, logged, &lg), 0);
    cap_unlink(&a);
    assert_true(a.revoked);
    assert_int_equal(cap_check_subtree(&a), AE_OK);
    derive_ok(&r, &c, RW);                  /* the root itself still works */
}

static void CAP0008_revoke_post_order(void **state)
{
    struct cap r, a, a1, a2, b, b1;
    struct cap *want[] = { &b1, &b, &a2, &a1, &a };

    /* Children are listed newest first: r: [b, a], a: [a2, a1], b: [b1]. */
    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &a, ALL);
    derive_ok(&a, &a1, RWD);
    derive_ok(&a, &a2, RW);
    derive_ok(&r, &b, ALL);
    derive_ok(&b, &b1, RW);
    assert_ptr_equal(r.first_child, &b);
    check_root = &r;
    assert_int_equal(cap_revoke(&r, logged_checked, &lg), 5);
    assert_int_equal(lg.n, 5);
    for (size_t i = 0; i < N(want); i++)
        assert_ptr_equal(lg.seq[i], want[i]);
}

static void CAP0009_revoke_leaves_node_itself(void **state)
{
    struct cap g, r, a, sib, before;

    cap_init_root(&g, OBJ(1), TYPE, ALL, 9);
    derive_ok(&g, &sib, RW);
    derive_ok(&g, &r, ALL);
    derive_ok(&r, &a, RW);
    before = r;
    assert_int_equal(cap_revoke(&r, logged, &lg), 1);
    assert_ptr_equal(lg.seq[0], &a);
    /* Only first_child changed; r stays linked under g next to sib. */
    before.first_child = NULL;
    assert_memory_equal(&before, &r, sizeof(r));
    assert_ptr_equal(g.first_child, &r);
    assert_ptr_equal(r.next_sibling, &sib);
    assert_int_equal(cap_count_descendants(&g), 2);
    assert_int_equal(cap_check_subtree(&g), AE_OK);
    assert_int_equal(cap_revoke(&r, NULL, NULL), 0);  /* nothing left */
    derive_ok(&r, &a, RW);                  /* revoke does not disable r */
    assert_int_equal(cap_revoke(&r, NULL, NULL), 1);  /* fn may be NULL */
    assert_true(a.revoked);
}

static void CAP0010_revoke_wide(void **state)
{
    enum { W = 5000 };
    struct cap r, *kids = calloc(2 * W, sizeof(*kids));

    assert_non_null(kids);
    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    for (int i = 0; i < W; i++) {
        derive_ok(&r, &kids[i], RWD);
        derive_ok(&kids[i], &kids[W + i], RW);
    }
    assert_int_equal(cap_count_descendants(&r), 2 * W);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
    assert_int_equal(cap_revoke(&r, logged, &lg), 2 * W);
    /* Each grandchild comes just before its parent; newest parent first. */
    for (int i = 0; i < W; i++) {
        assert_ptr_equal(lg.seq[2 * i], &kids[2 * W - 1 - i]);
        assert_ptr_equal(lg.seq[2 * i + 1], &kids[W - 1 - i]);
    }
    assert_null(r.first_child);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
    free(kids);
}

static void CAP0011_revoke_very_deep(void **state)
{
    enum { D = 1000000 };        /* a recursive walk overflows 8 MiB here */
    struct cap *chain = calloc(D, sizeof(*chain));

    assert_non_null(chain);
    cap_init_root(&chain[0], OBJ(1), TYPE, ALL, 0);
    for (int i = 1; i < D; i++)
        derive_ok(&chain[i - 1], &chain[i], ALL);
    assert_int_equal(cap_count_descendants(&chain[0]), D - 1);
    assert_int_equal(cap_check_subtree(&chain[0]), AE_OK);
    assert_int_equal(cap_check_subtree(&chain[D / 2]), AE_OK);
    /* Unlink in the middle: the lower half moves up and stays reachable. */
    cap_unlink(&chain[D / 2]);
    assert_int_equal(cap_count_descendants(&chain[0]), D - 2);
    assert_ptr_equal(chain[D / 2 + 1].parent, &chain[D / 2 - 1]);
    assert_int_equal(cap_revoke(&chain[1], logged, &lg), D - 3);
    for (int i = 0; i < D - 3; i++)          /* deepest first */
        assert_ptr_equal(lg.seq[i], &chain[D - 1 - i - (i >= D / 2 - 1)]);
    assert_int_equal(cap_count_descendants(&chain[0]), 1);
    assert_int_equal(cap_check_subtree(&chain[0]), AE_OK);
    free(chain);
}

static void CAP0012_unlink_reparents_in_place(void **state)
{
    struct cap p, x, c, y, c1, c2, c3;
    struct cap *want[] = { &x, &c1, &c2, &c3, &y };
    struct cap *k = NULL;

    cap_init_root(&p, OBJ(1), TYPE, ALL, 0);
    derive_ok(&p, &y, RW);
    derive_ok(&p, &c, ALL);
    derive_ok(&p, &x, RW);                  /* p: [x, c, y] */
    derive_ok(&c, &c3, RW);
    derive_ok(&c, &c2, RW);
    derive_ok(&c, &c1, RW);                 /* c: [c1, c2, c3] */
    cap_unlink(&c);
    assert_null(c.parent);
    assert_null(c.first_child);
    assert_null(c.next_sibling);
    assert_null(c.prev_sibling);
    assert_ptr_equal(c.obj, OBJ(1));        /* the caller still drops it */
    k = p.first_child;
    for (size_t i = 0; i < N(want); i++, k = k->next_sibling) {
        assert_ptr_equal(k, want[i]);
        assert_ptr_equal(k->parent, &p);
    }
    assert_null(k);
    assert_int_equal(cap_check_subtree(&p), AE_OK);
    assert_int_equal(cap_count_descendants(&p), 5);
}

static void CAP0013_unlink_first_last_and_leaf(void **state)
{
    struct cap p, a, b, a1, b1;

    cap_init_root(&p, OBJ(1), TYPE, ALL, 0);
    derive_ok(&p, &b, ALL);
    derive_ok(&p, &a, ALL);                 /* p: [a, b] */
    derive_ok(&a, &a1, RW);
    derive_ok(&b, &b1, RW);
    cap_unlink(&a);                         /* first child with a child */
    assert_ptr_equal(p.first_child, &a1);
    assert_ptr_equal(a1.next_sibling, &b);
    assert_int_equal(cap_check_subtree(&p), AE_OK);
    cap_unlink(&b);                         /* last child with a child */
    assert_ptr_equal(a1.next_sibling, &b1);
    assert_null(b1.next_sibling);
    assert_int_equal(cap_check_subtree(&p), AE_OK);
    cap_unlink(&a1);                        /* a leaf */
    assert_ptr_equal(p.first_child, &b1);
    assert_null(b1.prev_sibling);
    cap_unlink(&b1);
    assert_null(p.first_child);
    assert_int_equal(cap_check_subtree(&p), AE_OK);
    cap_unlink(&p);                         /* a lone root */
    assert_int_equal(cap_check_subtree(&p), AE_OK);
}

static void CAP0014_unlink_root_makes_roots(void **state)
{
    struct cap r, a, b, a1;

    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &b, ALL);
    derive_ok(&r, &a, ALL);
    derive_ok(&a, &a1, RW);
    cap_unlink(&r);
    assert_null(r.first_child);
    assert_null(a.parent);
    assert_null(a.next_sibling);
    assert_null(b.parent);
    assert_null(b.prev_sibling);
    assert_ptr_equal(a.first_child, &a1);
    assert_int_equal(cap_check_subtree(&a), AE_OK);
    assert_int_equal(cap_check_subtree(&b), AE_OK);
    assert_int_equal(cap_revoke(&a, logged, &lg), 1);
}

static void CAP0015_unlink_then_revoke_grandparent(void **state)
{
    struct cap g, p, k1, k2, k21;

    cap_init_root(&g, OBJ(1), TYPE, ALL, 0);
    derive_ok(&g, &p, ALL);
    derive_ok(&p, &k1, RW);
    derive_ok(&p, &k2, RWD);
    derive_ok(&k2, &k21, RW);
    cap_unlink(&p);                         /* p's handle closed */
    assert_int_equal(cap_count_descendants(&g), 3);
    check_root = &g;
    assert_int_equal(cap_revoke(&g, logged_checked, &lg), 3);
    assert_ptr_equal(lg.seq[0], &k21);
    assert_ptr_equal(lg.seq[1], &k2);
    assert_ptr_equal(lg.seq[2], &k1);
    assert_true(k1.revoked && k2.revoked && k21.revoked);
    assert_false(p.revoked);                /* no longer in the tree */
}

/* A tree for the corruption cases: r: [b, a], a: [a2, a1], a1: [x]. */
static struct cap r, a, a1, a2, b, x;

static void build_small(void)
{
    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &a, ALL);
    derive_ok(&a, &a1, RWD);
    derive_ok(&a, &a2, RW);
    derive_ok(&r, &b, RW);
    derive_ok(&a1, &x, AE_RIGHT_READ);
    assert_int_equal(cap_check_subtree(&r), AE_OK);
}

/* Sets *field to bad, expects CORRUPT from check(at), restores. */
#define CORRUPT_FIELD(at, field, bad)                                   \
    do {                                                                \
        __typeof__(field) saved_ = (field);                             \
        (field) = (bad);                                                \
        assert_int_equal(cap_check_subtree(at), AE_ERR_CORRUPT);        \
        (field) = saved_;                                               \
        assert_int_equal(cap_check_subtree(at), AE_OK);                 \
    } while (0)

static void CAP0016_check_detects_bad_links(void **state)
{
    build_small();
    CORRUPT_FIELD(&r, a1.parent, &r);               /* wrong parent */
    CORRUPT_FIELD(&r, x.parent, NULL);
    CORRUPT_FIELD(&r, a1.prev_sibling, NULL);       /* broken back link */
    CORRUPT_FIELD(&r, a2.prev_sibling, &b);         /* first child with prev */
    CORRUPT_FIELD(&r, a1.next_sibling, &a2);        /* sibling cycle */
    CORRUPT_FIELD(&r, a1.next_sibling, &b);         /* sibling of another parent */
    CORRUPT_FIELD(&r, a1.first_child, &a);          /* cycle through a */
    CORRUPT_FIELD(&r, x.first_child, &a1);
    CORRUPT_FIELD(&a, a.parent, &b);                /* a not in b's list */
    CORRUPT_FIELD(&a, a.next_sibling, &a2);
    CORRUPT_FIELD(&r, r.next_sibling, &b);          /* root with a sibling */
    CORRUPT_FIELD(&r, r.prev_sibling, &b);
}

static void CAP0017_check_detects_cycle_through_start(void **state)
{
    build_small();
    /* x claims r as its child and r claims x as its parent: every local
     * link agrees, only re-entering r shows the cycle. */
    x.first_child = &r;
    r.parent = &x;
    assert_int_equal(cap_check_subtree(&r), AE_ERR_CORRUPT);
    assert_int_equal(cap_check_subtree(&a), AE_ERR_CORRUPT);
    x.first_child = NULL;
    r.parent = NULL;
    assert_int_equal(cap_check_subtree(&r), AE_OK);
    /* The same with equal rights everywhere, so only the re-entry check
     * can stop the walk. */
    cap_init_root(&r, OBJ(1), TYPE, ALL, 0);
    derive_ok(&r, &a, ALL);
    derive_ok(&a, &b, ALL);
    b.first_child = &r;
    r.parent = &b;
    assert_int_equal(cap_check_subtree(&r), AE_ERR_CORRUPT);
    assert_int_equal(cap_check_subtree(&a), AE_ERR_CORRUPT);
    assert_int_equal(cap_check_subtree(&b), AE_ERR_CORRUPT);
}

static void CAP0018_check_detects_bad_contents(void **state)
{
    build_small();
    CORRUPT_FIELD(&r, x.rights, (uint32_t)AE_RIGHT_EXEC);   /* wider than a1 */
    CORRUPT_FIELD(&r, a.rights, (uint32_t)RW);       /* narrower than a1 */
    CORRUPT_FIELD(&r, a1.revoked, true);            /* revoked yet linked */
    CORRUPT_FIELD(&r, b.obj, OBJ(2));
    CORRUPT_FIELD(&r, b.obj, NULL);
    CORRUPT_FIELD(&r, a2.type, TYPE + 1);
    /* A revoked start must be bare. */
    CORRUPT_FIELD(&r, r.revoked, true);
    assert_int_equal(cap_revoke(&a1, NULL, NULL), 1);
    CORRUPT_FIELD(&x, x.first_child, &b);
    CORRUPT_FIELD(&x, x.obj, OBJ(1));
}

/*
 * Randomized test against a model with ordered child lists. Operations:
 * new root, derive (rights sometimes not a subset, badges sometimes
 * changed), unlink-and-free, revoke (the callback order must equal the
 * model's post-order). After every step every node's links are compared
 * with the model and every root's subtree is checked and counted.
 */
enum { MN = 64 };
static struct cap pool[MN];
static struct mnode {
    bool used, revoked;
    int parent;
    int kids[MN], nkids;
} m[MN];

static int model_index_in(int p, int k)
{
    for (int i = 0; i < m[p].nkids; i++)
        if (m[p].kids[i] == k)
            return i;
    fail();
    return -1;
}

/* Post-order of i's descendants in list order (recursion is fine here: the
 * model is at most MN deep). */
static void model_post(int i, int *out, int *n)
{
    for (int j = 0; j < m[i].nkids; j++) {
        model_post(m[i].kids[j], out, n);
        out[(*n)++] = m[i].kids[j];
    }
}

static int model_count(int i)
{
    int out[MN], n = 0;

    model_post(i, out, &n);
    return n;
}

static void model_unlink(int i)
{
    int p = m[i].parent, at, nk = m[i].nkids;

    for (int j = 0; j < nk; j++)
        m[m[i].kids[j]].parent = p;
    if (p >= 0) {
        at = model_index_in(p, i);
        memmove(&m[p].kids[at + nk], &m[p].kids[at + 1],
                (size_t)(m[p].nkids - at - 1) * sizeof(int));
        memcpy(&m[p].kids[at], m[i].kids, (size_t)nk * sizeof(int));
        m[p].nkids += nk - 1;
    }
    m[i].used = false;
    m[i].nkids = 0;
    m[i].parent = -1;
}

static void compare_node(int i)
{
    struct cap *c = &pool[i], *k = c->first_child, *prev = NULL;

    assert_int_equal(c->revoked, m[i].revoked);
    assert_ptr_equal(c->parent, m[i].parent < 0 ? NULL : &pool[m[i].parent]);
    for (int j = 0; j < m[i].nkids; j++, prev = k, k = k->next_sibling) {
        assert_ptr_equal(k, &pool[m[i].kids[j]]);
        assert_ptr_equal(k->prev_sibling, prev);
    }
    assert_null(k);
    if (m[i].parent < 0) {
        assert_int_equal(cap_check_subtree(c), AE_OK);
        assert_int_equal(cap_count_descendants(c), model_count(i));
    }
}

static int expect_derive(int p, uint32_t rights, uint64_t badge, bool set)
{
    const struct cap *c = &pool[p];

    if (m[p].revoked)
        return AE_ERR_REVOKED;
    if (!(c->rights & AE_RIGHT_DERIVE) || (rights & ~c->rights))
        return AE_ERR_ACCESS;
    if (set && c->badge && badge != c->badge)
        return AE_ERR_INVAL;
    return AE_OK;
}

static void random_derive(int p, int c)
{
    uint32_t rights = (uint32_t)rng() & ALL;
    uint64_t badge = rng() % 3;
    bool set = rng() % 2;
    int want;

    if (rng() % 4)                          /* mostly a subset */
        rights &= pool[p].rights;
    if (rng() % 8)                          /* mostly keep DERIVE: depth */
        rights |= pool[p].rights & AE_RIGHT_DERIVE;
    want = expect_derive(p, rights, badge, set);
    assert_int_equal(cap_derive(&pool[p], &pool[c], rights, badge, set), want);
    if (want != AE_OK)
        return;
    m[c] = (struct mnode){ .used = true, .parent = p };
    memmove(&m[p].kids[1], &m[p].kids[0], (size_t)m[p].nkids * sizeof(int));
    m[p].kids[0] = c;
    m[p].nkids++;
}

static void random_revoke(int i)
{
    int want[MN], n = 0;

    model_post(i, want, &n);
    lg.n = 0;
    assert_int_equal(cap_revoke(&pool[i], logged, &lg), n);
    assert_int_equal(lg.n, n);
    for (int j = 0; j < n; j++) {
        assert_ptr_equal(lg.seq[j], &pool[want[j]]);
        m[want[j]] = (struct mnode){ .used = true, .revoked = true, .parent = -1 };
    }
    m[i].nkids = 0;
}

static void CAP0019_random_against_model(void **state)
{
    int revokes = 0, derived = 0, maxdepth = 0, last = 0, tries = 0;

    rng_state = 0xca9;
    memset(m, 0, sizeof(m));
    for (int step = 0; step < 40000; step++) {
        int i = (int)(rng() % MN), j = (int)(rng() % MN);
        unsigned op = rng() % 32;

        /* Deriving from the newest node half the time builds deep trees. */
        if (op < 20 && rng() % 2 && m[last].used)
            i = last;
        if (!m[i].used) {
            cap_init_root(&pool[i], OBJ(i % 8), TYPE, (uint32_t)rng() & ALL,
                          rng() % 2);
            pool[i].rights |= AE_RIGHT_DERIVE;
            m[i] = (struct mnode){ .used = true, .parent = -1 };
        } else if (op < 20) {
            for (int k = 0; k < MN && m[j].used; k++)
                j = (j + 1) % MN;           /* any free node */
            if (m[j].used)
                continue;
            tries++;
            random_derive(i, j);
            derived += m[j].used;
            last = m[j].used ? j : last;
        } else if (op < 29) {
            cap_unlink(&pool[i]);
            model_unlink(i);
        } else {
            random_revoke(i);
            revokes++;
        }
        for (int k = 0; k < MN; k++) {
            int d = 0;

            if (!m[k].used)
                continue;
            compare_node(k);
            for (int u = k; m[u].parent >= 0; u = m[u].parent)
                d++;
            maxdepth = d > maxdepth ? d : maxdepth;
        }
    }
    /* The run really exercised refusals, revokes and depth. */
    assert_true(revokes > 1000 && derived > 5000 && tries - derived > 5000);
    assert_true(maxdepth >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(CAP0001_init_root, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0002_derive_subset_rights, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0003_derive_superset_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0004_derive_needs_derive_right, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0005_badge_set_once, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0006_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0007_revoked_refuses_derive, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0008_revoke_post_order, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0009_revoke_leaves_node_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0010_revoke_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0011_revoke_very_deep, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0012_unlink_reparents_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0013_unlink_first_last_and_leaf, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0014_unlink_root_makes_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0015_unlink_then_revoke_grandparent, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0016_check_detects_bad_links, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0017_check_detects_cycle_through_start, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0018_check_detects_bad_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(CAP0019_random_against_model, setup, teardown),
    };

    return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
