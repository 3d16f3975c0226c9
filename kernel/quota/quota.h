/*
 * Resource quotas: a tree of accounts. Each process has one; a child's is
 * carved out of its creator's, so a subtree can never use more than its
 * root was given. Every kernel allocation made for a process is charged to
 * its account and uncharged when freed. Pure and caller-allocated, so it is
 * unit-tested on the host. Not locked: the caller serialises.
 *
 * For each kind: used + carved <= limit at every node, and carved equals
 * the sum of the children's limits. A node can be released (its limits
 * returned to the parent) only when it uses nothing and has no children.
 */
#ifndef KERNEL_QUOTA_QUOTA_H
#define KERNEL_QUOTA_QUOTA_H

#include <stdint.h>

enum quota_kind {
    QUOTA_PAGES,        /* 4 KiB frames: memory objects, page tables, stacks, tables */
    QUOTA_HANDLES,      /* handle table entries */
    QUOTA_THREADS,      /* threads */
    QUOTA_CPU,          /* CPU share in per-mille of one CPU (1000 = a whole CPU) */
    QUOTA_KINDS
};

struct quota {
    struct quota *parent;
    struct quota *first_child;
    struct quota *next_sibling;
    struct quota *prev_sibling;
    uint64_t limit[QUOTA_KINDS];
    uint64_t used[QUOTA_KINDS];
    uint64_t carved[QUOTA_KINDS];
    /* Kernel heap bytes charged (objects, tables): they hold
     * ceil(kbytes / QUOTA_PAGE_BYTES) of used[QUOTA_PAGES]. */
    uint64_t kbytes;
};

#define QUOTA_PAGE_BYTES 4096u

/* A root account with the given limits (init's: all free memory, ...). */
void quota_init_root(struct quota *q, const uint64_t limit[QUOTA_KINDS]);
/* Charges n of kind to q: AE_OK, or AE_ERR_QUOTA (nothing changes) when
 * used + carved + n would exceed the limit or overflow. In every function
 * here a kind out of range or a NULL account gives AE_ERR_INVAL. */
int quota_charge(struct quota *q, enum quota_kind kind, uint64_t n);
/* Told of each charge quota_charge or quota_carve refuses for want of
 * room (the kind, what was asked), before AE_ERR_QUOTA is returned.
 * quota.c defines it as a weak no-op; the kernel's tracing defines the
 * real one (trace_points.c: a QUOTA_DENY record), so every refusal is
 * recorded without each caller saying so. */
void quota_refused(const struct quota *q, enum quota_kind kind, uint64_t asked);
/* Returns n; AE_ERR_INVAL (nothing changes) if more than used. */
int quota_uncharge(struct quota *q, enum quota_kind kind, uint64_t n);
/* Moves a charge of n from one account to another (ownership transfer):
 * AE_ERR_QUOTA if `to` cannot take it; AE_ERR_INVAL if `from` has less
 * (checked first). from == to is a no-op. */
int quota_transfer(struct quota *from, struct quota *to, enum quota_kind kind,
                   uint64_t n);
/* Charges bytes of kernel memory: used[QUOTA_PAGES] grows by the whole
 * pages the byte total newly spans, so many small objects share a page.
 * AE_ERR_QUOTA (nothing changes) when those pages do not fit. */
int quota_charge_bytes(struct quota *q, uint64_t bytes);
/* Returns bytes; AE_ERR_INVAL (nothing changes) if more than kbytes. */
int quota_uncharge_bytes(struct quota *q, uint64_t bytes);
/* Moves a byte charge (an object changing owner); like quota_transfer. */
int quota_transfer_bytes(struct quota *from, struct quota *to, uint64_t bytes);
/* Pages held by q's byte charges: ceil(kbytes / QUOTA_PAGE_BYTES). */
uint64_t quota_kbyte_pages(const struct quota *q);
/* Makes child a new child of parent with the given limits, all or nothing:
 * AE_ERR_QUOTA when any kind exceeds what parent has left. */
int quota_carve(struct quota *parent, struct quota *child,
                const uint64_t limit[QUOTA_KINDS]);
/* Detaches child and returns its limits to its parent (the child's limits
 * become 0). AE_ERR_BUSY while the child still uses anything or has
 * children; AE_ERR_INVAL for a root; AE_ERR_CORRUPT (nothing changes) if
 * the parent's carved is less than the child's limits. */
int quota_release(struct quota *child);
/* A child whose owner is gone: whatever it neither uses nor has carved
 * out goes back to its parent now (limit drops to used + carved), rather
 * than when its last object dies. Objects others still hold keep their
 * charges; the child can take no new ones. AE_ERR_INVAL for a root. */
int quota_shrink(struct quota *child);
/* limit - used - carved. */
uint64_t quota_available(const struct quota *q, enum quota_kind kind);
/* Verifies the invariants over the subtree rooted at q and returns, in
 * *used_sum, the sum of used[kind] over it. AE_OK or AE_ERR_CORRUPT. */
int quota_check_tree(const struct quota *q, enum quota_kind kind, uint64_t *used_sum);
/* Sums over the subtree: pages held by byte charges and the bytes
 * themselves. AE_ERR_CORRUPT if the tree is inconsistent or a node's byte
 * charges hold more pages than its used[QUOTA_PAGES]. */
int quota_check_kbytes(const struct quota *q, uint64_t *pages_sum, uint64_t *bytes_sum);

#endif
