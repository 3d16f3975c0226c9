/*
 * Capability nodes and the derivation tree. A node names one kernel object
 * with a set of rights and a badge; each node lives in exactly one handle
 * table slot (IPC transfer moves the node, it does not copy it), so the tree
 * follows a capability across processes and revoke() reaches every handle
 * derived from it wherever it went. Pure: nodes are caller-allocated and the
 * object pointer is opaque, so the tree is unit-tested on the host. Not
 * locked: the caller serialises (the kernel lock).
 *
 * Invariants: a child's rights are a subset of its parent's at derive time;
 * a revoked node has no parent and no children, obj == NULL, and stays
 * revoked until freed; revoke never touches the node it is called on.
 */
#ifndef KERNEL_CAP_CAP_H
#define KERNEL_CAP_CAP_H

#include <stdbool.h>
#include <stdint.h>

struct cap {
    void *obj;                  /* the kernel object; NULL once revoked */
    uint32_t rights;
    uint32_t type;              /* object type, copied at derive */
    uint64_t badge;
    struct cap *parent;
    struct cap *first_child;
    struct cap *next_sibling;
    struct cap *prev_sibling;
    bool revoked;
};

/* A root node (no parent) for obj. */
void cap_init_root(struct cap *c, void *obj, uint32_t type, uint32_t rights,
                   uint64_t badge);
/* Makes child a new child of parent with rights (must be a subset of
 * parent->rights) and, when set_badge, the given badge, else parent's.
 * child is uninitialised storage, not in any tree. New children go first
 * in parent's list. AE_OK; AE_ERR_REVOKED if parent is revoked (or has no
 * object); AE_ERR_ACCESS if parent lacks AE_RIGHT_DERIVE or rights is not a
 * subset; AE_ERR_INVAL for a badge change on a node that already has a
 * non-zero badge (badges are set once, as in seL4; repeating the same
 * value is not a change). Checked in that order, after AE_ERR_INVAL for a
 * NULL node or child == parent. */
int cap_derive(struct cap *parent, struct cap *child, uint32_t rights,
               uint64_t badge, bool set_badge);
/* Revokes every descendant of c (not c itself), iteratively (no recursion:
 * trees can be deep). For each, in post-order (children before parents,
 * siblings in list order), calls fn(node, ctx) after marking it revoked and
 * detaching it; fn drops the node's object reference. The node's obj is
 * already NULL then: every descendant names c->obj, so pass it in ctx.
 * fn may free the node but must not otherwise change the tree. fn may be
 * NULL. Returns the number revoked. */
unsigned cap_revoke(struct cap *c, void (*fn)(struct cap *, void *), void *ctx);
/* Removes c from the tree before it is freed (handle closed): its children
 * move to c's parent (or become roots), keeping their order, so a later
 * revoke of an ancestor still reaches them. */
void cap_unlink(struct cap *c);
/* Number of descendants (for tests and diagnostics). */
unsigned cap_count_descendants(const struct cap *c);
/* Checks the tree around c: sibling links consistent, parents right, no
 * cycles (bounded walk). AE_OK or AE_ERR_CORRUPT. */
int cap_check_subtree(const struct cap *c);

#endif
