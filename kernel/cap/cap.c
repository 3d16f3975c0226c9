/*
 * Capability derivation tree (contract in cap.h).
 *
 * Each node's children form a doubly linked list from first_child through
 * next_sibling; the first child's prev_sibling is NULL and every child's
 * parent points back. Roots have no siblings. Every node of a tree names
 * the same object and type (derive copies them, unlink only moves nodes
 * up), and a child's rights are a subset of its parent's (rights never
 * change, and unlink re-parents to an ancestor, whose rights are wider).
 * cap_check_subtree verifies all of this.
 *
 * Trees are built by user programs and can be arbitrarily deep, so every
 * walk is iterative and uses the parent pointers instead of a stack. New
 * children go at the head of the list (O(1) derive).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "aether/errors.h"
#include "aether/rights.h"
#include "cap/cap.h"

void cap_init_root(struct cap *c, void *obj, uint32_t type, uint32_t rights,
                   uint64_t badge)
{
    c->obj = obj;
    c->rights = rights;
    c->type = type;
    c->badge = badge;
    c->parent = NULL;
    c->first_child = NULL;
    c->next_sibling = NULL;
    c->prev_sibling = NULL;
    c->revoked = false;
}

int cap_derive(struct cap *parent, struct cap *child, uint32_t rights,
               uint64_t badge, bool set_badge)
{
    if (!parent || !child || parent == child)
        return AE_ERR_INVAL;
    if (parent->revoked || !parent->obj)
        return AE_ERR_REVOKED;      /* no object: nothing to derive from */
    if (!(parent->rights & AE_RIGHT_DERIVE) || (rights & ~parent->rights))
        return AE_ERR_ACCESS;
    /* Badges are set once: a server tells its clients apart by badge, so a
     * client must not be able to re-badge what it was given. Setting the
     * value it already has is not a change. */
    if (set_badge && parent->badge != 0 && badge != parent->badge)
        return AE_ERR_INVAL;

    child->obj = parent->obj;
    child->type = parent->type;
    child->rights = rights;
    child->badge = set_badge ? badge : parent->badge;
    child->revoked = false;
    child->first_child = NULL;
    child->parent = parent;
    child->prev_sibling = NULL;
    child->next_sibling = parent->first_child;
    if (parent->first_child)
        parent->first_child->prev_sibling = child;
    parent->first_child = child;
    return AE_OK;
}

/* Leaves n with no links, no object and marked revoked. */
static void mark_revoked(struct cap *n)
{
    n->parent = NULL;
    n->first_child = NULL;
    n->next_sibling = NULL;
    n->prev_sibling = NULL;
    n->obj = NULL;
    n->revoked = true;
}

/*
 * Post-order without a stack: go down first children to a leaf, take the
 * leaf off the front of its parent's list, then continue with its next
 * sibling, or with the parent, which is a leaf once its last child is gone.
 * Each node is visited once: O(descendants). Everything needed to continue
 * is read before fn runs, so fn may free the node. fn must not change the
 * tree otherwise; it has no need to: every descendant names c->obj, which c
 * keeps alive, so dropping a reference in fn cannot destroy the object.
 */
unsigned cap_revoke(struct cap *c, void (*fn)(struct cap *, void *), void *ctx)
{
    struct cap *n = c ? c->first_child : NULL;
    unsigned count = 0;

    while (n) {
        struct cap *p, *next;

        while (n->first_child)
            n = n->first_child;
        p = n->parent;
        next = n->next_sibling;
        p->first_child = next;          /* n is always p's first child */
        if (next)
            next->prev_sibling = NULL;
        mark_revoked(n);
        count++;
        if (fn)
            fn(n, ctx);
        n = next ? next : (p == c ? NULL : p);
    }
    return count;
}

/* Splices c's children (first .. last) into the list of c's parent p in c's
 * place, or makes them roots when c has no parent. */
static void splice_children(struct cap *c)
{
    struct cap *p = c->parent, *first = c->first_child, *last = NULL;

    for (struct cap *k = first, *next; k; k = next) {
        next = k->next_sibling;
        k->parent = p;
        if (!p)
            k->next_sibling = k->prev_sibling = NULL;   /* roots: no siblings */
        last = k;
    }
    if (!p || !first)
        return;
    first->prev_sibling = c->prev_sibling;
    last->next_sibling = c->next_sibling;
    if (c->prev_sibling)
        c->prev_sibling->next_sibling = first;
    else
        p->first_child = first;
    if (c->next_sibling)
        c->next_sibling->prev_sibling = last;
}

void cap_unlink(struct cap *c)
{
    if (!c)
        return;
    if (c->first_child) {
        splice_children(c);
    } else if (c->parent) {
        if (c->prev_sibling)
            c->prev_sibling->next_sibling = c->next_sibling;
        else
            c->parent->first_child = c->next_sibling;
        if (c->next_sibling)
            c->next_sibling->prev_sibling = c->prev_sibling;
    }
    c->parent = NULL;
    c->first_child = NULL;
    c->next_sibling = NULL;
    c->prev_sibling = NULL;
}

/* The node after n in a pre-order walk of c's subtree, or NULL at the end:
 * its first child, else the next sibling of n or of its nearest ancestor
 * below c that has one. */
static const struct cap *preorder_next(const struct cap *c, const struct cap *n)
{
    if (n->first_child)
        return n->first_child;
    while (n != c && !n->next_sibling)
        n = n->parent;
    return n == c ? NULL : n->next_sibling;
}

unsigned cap_count_descendants(const struct cap *c)
{
    unsigned count = 0;

    if (!c)
        return 0;
    for (const struct cap *n = c->first_child; n; n = preorder_next(c, n))
        count++;
    return count;
}

/* c's own place: linked into its parent's list, or a root without siblings. */
static bool position_ok(const struct cap *c)
{
    const struct cap *prev = c->prev_sibling, *next = c->next_sibling;

    if (!c->parent)
        return !prev && !next;
    if (prev ? prev->next_sibling != c || prev->parent != c->parent
             : c->parent->first_child != c)
        return false;
    return !next || (next->prev_sibling == c && next->parent == c->parent);
}

/* The links and contents of n (just reached from the walk) agree with its
 * parent and its predecessor: the node before it in its parent's list. */
static bool node_ok(const struct cap *c, const struct cap *n,
                    const struct cap *parent, const struct cap *pred)
{
    if (n == c || n->parent != parent || n->prev_sibling != pred)
        return false;
    if (n->revoked || n->obj != c->obj || n->type != c->type)
        return false;
    return (n->rights & ~parent->rights) == 0;
}

/*
 * Pre-order walk checking every node as it is entered (node_ok). Bounded
 * even on a corrupt tree: a node entered without a predecessor in its list
 * was entered from its parent, else from its predecessor's finished
 * subtree, so entering a node twice would need its parent or predecessor
 * entered twice before, and so on back to c, which is never re-entered.
 * Climbing follows parent pointers that were checked on the way down.
 */
int cap_check_subtree(const struct cap *c)
{
    const struct cap *n;

    if (!c)
        return AE_ERR_INVAL;
    if (!position_ok(c))
        return AE_ERR_CORRUPT;
    if (c->revoked && (c->parent || c->first_child || c->obj))
        return AE_ERR_CORRUPT;
    n = c->first_child;
    if (n && !node_ok(c, n, c, NULL))
        return AE_ERR_CORRUPT;
    while (n) {
        if (n->first_child) {
            if (!node_ok(c, n->first_child, n, NULL))
                return AE_ERR_CORRUPT;
            n = n->first_child;
            continue;
        }
        while (n != c && !n->next_sibling)
            n = n->parent;
        if (n == c)
            break;
        if (!node_ok(c, n->next_sibling, n->parent, n))
            return AE_ERR_CORRUPT;
        n = n->next_sibling;
    }
    return AE_OK;
}
