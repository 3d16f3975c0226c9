/*
 * Resource quota accounts (contract in quota.h).
 *
 * Invariants, per kind and per node, checked by quota_check_tree:
 * used + carved <= limit (without overflow), and carved is the sum of the
 * children's limits. Hence a subtree's total use never exceeds its root's
 * limit, and charging only has to look at one node: O(1). Children form a
 * doubly linked list (first_child, next_sibling, prev_sibling; the first
 * child's prev_sibling is NULL) with parent pointers back; roots have no
 * siblings.
 *
 * Amounts come from system calls, so every sum is checked for overflow
 * and every refused call changes nothing. Trees can be deep (each process
 * may create children), so walks are iterative.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "aether/errors.h"
#include "quota/quota.h"

static bool kind_ok(enum quota_kind kind)
{
    return (unsigned)kind < QUOTA_KINDS;
}

/* limit - used - carved, or 0 when the node is inconsistent (so a corrupt
 * node grants nothing rather than wrapping round to a huge amount). */
static uint64_t avail(const struct quota *q, unsigned k)
{
    uint64_t room;

    if (q->used[k] > q->limit[k])
        return 0;
    room = q->limit[k] - q->used[k];
    return q->carved[k] > room ? 0 : room - q->carved[k];
}

static void unlink_node(struct quota *q)
{
    if (q->prev_sibling)
        q->prev_sibling->next_sibling = q->next_sibling;
    else if (q->parent)
        q->parent->first_child = q->next_sibling;
    if (q->next_sibling)
        q->next_sibling->prev_sibling = q->prev_sibling;
    q->parent = q->next_sibling = q->prev_sibling = NULL;
}

void quota_init_root(struct quota *q, const uint64_t limit[QUOTA_KINDS])
{
    q->parent = q->first_child = q->next_sibling = q->prev_sibling = NULL;
    for (unsigned k = 0; k < QUOTA_KINDS; k++) {
        q->limit[k] = limit ? limit[k] : 0;
        q->used[k] = 0;
        q->carved[k] = 0;
    }
    q->kbytes = 0;
}

__attribute__((weak)) void quota_refused(const struct quota *q, enum quota_kind kind,
                                        uint64_t asked)
{
}

int quota_charge(struct quota *q, enum quota_kind kind, uint64_t n)
{
    if (!q || !kind_ok(kind))
        return AE_ERR_INVAL;
    if (n > avail(q, kind)) {
        quota_refused(q, kind, n);
        return AE_ERR_QUOTA;
    }
    q->used[kind] += n;
    return AE_OK;
}

int quota_uncharge(struct quota *q, enum quota_kind kind, uint64_t n)
{
    if (!q || !kind_ok(kind) || n > q->used[kind])
        return AE_ERR_INVAL;
    q->used[kind] -= n;
    return AE_OK;
}

static uint64_t pages_for(uint64_t bytes)
{
    return bytes / QUOTA_PAGE_BYTES + (bytes % QUOTA_PAGE_BYTES != 0);
}

uint64_t quota_kbyte_pages(const struct quota *q)
{
    return q ? pages_for(q->kbytes) : 0;
}

int quota_charge_bytes(struct quota *q, uint64_t bytes)
{
    uint64_t total, grow;

    if (!q)
        return AE_ERR_INVAL;
    if (__builtin_add_overflow(q->kbytes, bytes, &total))
        return AE_ERR_QUOTA;
    grow = pages_for(total) - pages_for(q->kbytes);
    if (grow > avail(q, QUOTA_PAGES))
        return AE_ERR_QUOTA;
    q->used[QUOTA_PAGES] += grow;
    q->kbytes = total;
    return AE_OK;
}

int quota_uncharge_bytes(struct quota *q, uint64_t bytes)
{
    uint64_t left, shrink;

    if (!q || bytes > q->kbytes)
        return AE_ERR_INVAL;
    left = q->kbytes - bytes;
    shrink = pages_for(q->kbytes) - pages_for(left);
    if (shrink > q->used[QUOTA_PAGES])
        return AE_ERR_INVAL;            /* corrupt node: change nothing */
    q->used[QUOTA_PAGES] -= shrink;
    q->kbytes = left;
    return AE_OK;
}

int quota_transfer_bytes(struct quota *from, struct quota *to, uint64_t bytes)
{
    int err;

    if (!from || !to || bytes > from->kbytes)
        return AE_ERR_INVAL;
    if (from == to)
        return AE_OK;
    err = quota_charge_bytes(to, bytes);
    if (err)
        return err;
    if (quota_uncharge_bytes(from, bytes)) {
        quota_uncharge_bytes(to, bytes);
        return AE_ERR_INVAL;
    }
    return AE_OK;
}

/* The source is checked first: a transfer of more than it holds is a
 * caller error whatever the destination could take. */
int quota_transfer(struct quota *from, struct quota *to, enum quota_kind kind,
                   uint64_t n)
{
    if (!from || !to || !kind_ok(kind) || n > from->used[kind])
        return AE_ERR_INVAL;
    if (from == to)
        return AE_OK;
    if (n > avail(to, kind))
        return AE_ERR_QUOTA;
    from->used[kind] -= n;
    to->used[kind] += n;
    return AE_OK;
}

int quota_carve(struct quota *parent, struct quota *child,
                const uint64_t limit[QUOTA_KINDS])
{
    if (!parent || !child || !limit || parent == child)
        return AE_ERR_INVAL;
    /* Every kind is checked before any is taken: all or nothing. */
    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        if (limit[k] > avail(parent, k)) {
            quota_refused(parent, (enum quota_kind)k, limit[k]);
            return AE_ERR_QUOTA;
        }
    quota_init_root(child, limit);
    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        parent->carved[k] += limit[k];
    child->parent = parent;
    child->next_sibling = parent->first_child;
    if (parent->first_child)
        parent->first_child->prev_sibling = child;
    parent->first_child = child;
    return AE_OK;
}

int quota_release(struct quota *child)
{
    struct quota *p;

    if (!child || !child->parent)
        return AE_ERR_INVAL;        /* a root has nobody to return to */
    p = child->parent;
    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        if (child->used[k] || child->carved[k])
            return AE_ERR_BUSY;
    if (child->first_child || child->kbytes)
        return AE_ERR_BUSY;
    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        if (p->carved[k] < child->limit[k])
            return AE_ERR_CORRUPT;  /* would wrap: refuse, change nothing */
    for (unsigned k = 0; k < QUOTA_KINDS; k++) {
        p->carved[k] -= child->limit[k];
        child->limit[k] = 0;        /* a released account grants nothing */
    }
    unlink_node(child);
    return AE_OK;
}

int quota_shrink(struct quota *child)
{
    if (!child || !child->parent)
        return AE_ERR_INVAL;
    for (unsigned k = 0; k < QUOTA_KINDS; k++) {
        uint64_t spare = avail(child, k);
        child->limit[k] -= spare;
        child->parent->carved[k] -= spare;  /* it held at least the child's limit */
    }
    return AE_OK;
}

uint64_t quota_available(const struct quota *q, enum quota_kind kind)
{
    if (!q || !kind_ok(kind))
        return 0;
    return avail(q, kind);
}

/* Checks n's own counters and its children's links, and that n->carved is
 * the sum of the children's limits, for every kind. root is never a child:
 * that keeps the walk in quota_check_tree bounded. */
static bool node_ok(const struct quota *root, const struct quota *n)
{
    uint64_t sum[QUOTA_KINDS] = { 0 };
    const struct quota *prev = NULL;

    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        if (n->used[k] > n->limit[k] || n->carved[k] > n->limit[k] - n->used[k])
            return false;
    if (pages_for(n->kbytes) > n->used[QUOTA_PAGES])
        return false;
    /* Bounded: the prev_sibling check makes a cycle in the list impossible
     * (the first node re-entered would need two different predecessors). */
    for (const struct quota *ch = n->first_child; ch; ch = ch->next_sibling) {
        if (ch == root || ch->parent != n || ch->prev_sibling != prev)
            return false;
        for (unsigned k = 0; k < QUOTA_KINDS; k++) {
            /* sum[k] <= carved[k] holds here, so this cannot wrap. */
            if (ch->limit[k] > n->carved[k] - sum[k])
                return false;       /* children claim more than carved */
            sum[k] += ch->limit[k];
        }
        prev = ch;
    }
    for (unsigned k = 0; k < QUOTA_KINDS; k++)
        if (sum[k] != n->carved[k])
            return false;
    return true;
}

/* q's own place: linked into its parent's list, or a root without siblings. */
static bool position_ok(const struct quota *q)
{
    const struct quota *prev = q->prev_sibling, *next = q->next_sibling;

    if (!q->parent)
        return !prev && !next;
    if (prev ? prev->next_sibling != q || prev->parent != q->parent
             : q->parent->first_child != q)
        return false;
    return !next || (next->prev_sibling == q && next->parent == q->parent);
}

/*
 * Pre-order walk; node_ok has checked a node's children before the walk
 * enters them, so each node is entered once, from its parent or from its
 * predecessor's finished subtree, and never q again: the walk ends. Over
 * nodes that passed node_ok the total of used stays within q's limit, so
 * the overflow tests in the visitors cannot fire; they stay as a cheap
 * second line. Returns false as soon as a node is inconsistent or visit
 * refuses it.
 */
static bool walk_tree(const struct quota *q,
                      bool (*visit)(const struct quota *n, void *ctx), void *ctx)
{
    const struct quota *n = q;

    if (!position_ok(q))
        return false;
    while (n) {
        if (!node_ok(q, n) || !visit(n, ctx))
            return false;
        if (n->first_child) {
            n = n->first_child;
            continue;
        }
        while (n != q && !n->next_sibling)
            n = n->parent;
        n = n == q ? NULL : n->next_sibling;
    }
    return true;
}

struct sum_ctx {
    unsigned kind;
    uint64_t total, pages, bytes;
};

static bool add_used(const struct quota *n, void *ctx)
{
    struct sum_ctx *s = ctx;

    if (n->used[s->kind] > UINT64_MAX - s->total)
        return false;
    s->total += n->used[s->kind];
    return true;
}

static bool add_kbytes(const struct quota *n, void *ctx)
{
    struct sum_ctx *s = ctx;

    if (n->kbytes > UINT64_MAX - s->bytes)
        return false;
    s->bytes += n->kbytes;
    s->pages += pages_for(n->kbytes);      /* <= used pages: bounded */
    return true;
}

int quota_check_tree(const struct quota *q, enum quota_kind kind, uint64_t *used_sum)
{
    struct sum_ctx s = { .kind = kind };

    if (!q || !kind_ok(kind))
        return AE_ERR_INVAL;
    if (!walk_tree(q, add_used, &s))
        return AE_ERR_CORRUPT;
    if (used_sum)
        *used_sum = s.total;
    return AE_OK;
}

int quota_check_kbytes(const struct quota *q, uint64_t *pages_sum, uint64_t *bytes_sum)
{
    struct sum_ctx s = { 0 };

    if (!q)
        return AE_ERR_INVAL;
    if (!walk_tree(q, add_kbytes, &s))
        return AE_ERR_CORRUPT;
    if (pages_sum)
        *pages_sum = s.pages;
    if (bytes_sum)
        *bytes_sum = s.bytes;
    return AE_OK;
}
