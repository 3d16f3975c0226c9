/*
 * Per-process handle table (contract in handle_table.h).
 *
 * Every slot but 0 is either live (cap != NULL) or free (cap == NULL and on
 * the free list, linked through next_free and ended by 0). Invariants:
 * count is the number of live slots; the free list holds exactly the other
 * nslots - 1 - count slots, each once; every slot >= 1 has a generation in
 * 1 .. 2^HT_GEN_BITS - 1, so a handle is never 0 and bit 31 stays clear;
 * nslots is 0 (nothing allocated) or 2 .. HT_MAX_SLOTS; max_handles <=
 * HT_MAX_SLOTS - 1. Insert, lookup and remove are O(1) (growth amortised):
 * handle values come from user space, so decoding checks every field
 * before indexing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "aether/errors.h"
#include "cap/handle_table.h"
#include "lib/string.h"

#define HT_SLOT_MASK (HT_MAX_SLOTS - 1)
#define HT_GEN_MAX ((1u << HT_GEN_BITS) - 1)
#define HT_MAX_HANDLES (HT_MAX_SLOTS - 1)

struct ht_entry {
    struct cap *cap;        /* NULL when the slot is free */
    uint32_t gen;           /* generation of the slot's current/next handle */
    uint32_t next_free;     /* free list link while free, else 0 */
};

static ae_handle_t make_handle(uint32_t slot, uint32_t gen)
{
    return (gen << HT_SLOT_BITS) | slot;
}

/* The next generation: wraps within HT_GEN_BITS and skips 0. */
static uint32_t next_gen(uint32_t gen)
{
    gen = (gen + 1) & HT_GEN_MAX;
    return gen ? gen : 1;
}

/* The live entry named by h, or NULL. Every field of h is checked before
 * the slot is indexed: h is untrusted. */
static struct ht_entry *find(const struct handle_table *t, ae_handle_t h)
{
    uint32_t slot = h & HT_SLOT_MASK;
    uint32_t gen = h >> HT_SLOT_BITS;
    struct ht_entry *e;

    if (slot == 0 || slot >= t->nslots || gen == 0 || gen > HT_GEN_MAX)
        return NULL;
    e = &t->entries[slot];
    if (!e->cap || e->gen != gen)
        return NULL;
    return e;
}

void ht_init(struct handle_table *t, const struct ht_ops *ops, uint32_t max_handles)
{
    static const struct ht_ops no_ops;

    t->entries = NULL;
    t->nslots = 0;
    t->count = 0;
    /* Clamped: more handles than slots could never be stored. */
    t->max_handles = max_handles > HT_MAX_HANDLES ? HT_MAX_HANDLES : max_handles;
    t->free_head = 0;
    t->ops = ops ? *ops : no_ops;
}

/* Doubles the capacity (HT_INITIAL_SLOTS the first time), never beyond
 * max_handles + 1 slots. Only called with an empty free list. New storage
 * is fully initialised here (the allocator's zeroing is not relied on);
 * on any failure the table is untouched. */
static int grow(struct handle_table *t)
{
    uint32_t old_n = t->nslots;
    uint32_t new_n = old_n ? old_n * 2 : HT_INITIAL_SLOTS;
    uint32_t first = old_n ? old_n : 1;
    struct ht_entry *ne, *old = t->entries;

    if (new_n > t->max_handles + 1)
        new_n = t->max_handles + 1;
    if (new_n > HT_MAX_SLOTS)
        new_n = HT_MAX_SLOTS;
    if (new_n <= first || !t->ops.alloc || t->free_head != 0)
        return AE_ERR_QUOTA;
    ne = t->ops.alloc(new_n, sizeof(*ne), t->ops.ctx);
    if (!ne)
        return AE_ERR_QUOTA;
    if (old_n)
        memcpy(ne, old, (size_t)old_n * sizeof(*ne));
    else
        ne[0] = (struct ht_entry){ NULL, 0, 0 };
    /* New slots go on the list in ascending order: handles come out dense. */
    for (uint32_t i = first; i < new_n; i++)
        ne[i] = (struct ht_entry){ NULL, 1, i + 1 < new_n ? i + 1 : 0 };
    t->entries = ne;
    t->nslots = new_n;
    t->free_head = first;
    if (old && t->ops.free)
        t->ops.free(old, old_n, sizeof(*ne), t->ops.ctx);
    return AE_OK;
}

int ht_insert(struct handle_table *t, struct cap *c, ae_handle_t *out)
{
    struct ht_entry *e;
    uint32_t slot;
    int err;

    if (!c || !out)
        return AE_ERR_INVAL;
    if (t->count >= t->max_handles)
        return AE_ERR_QUOTA;
    if (t->free_head == 0) {
        err = grow(t);
        if (err)
            return err;
    }
    slot = t->free_head;
    e = &t->entries[slot];
    t->free_head = e->next_free;
    e->next_free = 0;
    e->cap = c;
    t->count++;
    *out = make_handle(slot, e->gen);
    return AE_OK;
}

int ht_lookup(const struct handle_table *t, ae_handle_t h, struct cap **c)
{
    const struct ht_entry *e = find(t, h);

    if (!e)
        return AE_ERR_BAD_HANDLE;
    if (c)
        *c = e->cap;
    return AE_OK;
}

int ht_remove(struct handle_table *t, ae_handle_t h, struct cap **c)
{
    struct ht_entry *e = find(t, h);
    uint32_t slot = h & HT_SLOT_MASK;

    if (!e)
        return AE_ERR_BAD_HANDLE;
    if (c)
        *c = e->cap;
    e->cap = NULL;
    /* A new generation makes every copy of h stale, even once the slot is
     * reused (until the generation comes round again, 2047 frees later). */
    e->gen = next_gen(e->gen);
    e->next_free = t->free_head;
    t->free_head = slot;
    t->count--;
    return AE_OK;
}

int ht_replace(struct handle_table *t, ae_handle_t h, struct cap *c)
{
    struct ht_entry *e = find(t, h);

    if (!e)
        return AE_ERR_BAD_HANDLE;
    if (!c)
        return AE_ERR_INVAL;        /* NULL would silently free the slot */
    e->cap = c;
    return AE_OK;
}

int ht_set_max(struct handle_table *t, uint32_t max_handles)
{
    if (max_handles > HT_MAX_HANDLES)
        return AE_ERR_INVAL;
    if (t->count > max_handles)
        return AE_ERR_QUOTA;
    /* Never shrinks storage: slots above the new limit stay usable until
     * count reaches it, which insert enforces. */
    t->max_handles = max_handles;
    return AE_OK;
}

void ht_destroy(struct handle_table *t, void (*fn)(struct cap *, void *), void *ctx)
{
    for (uint32_t i = 1; i < t->nslots; i++) {
        struct cap *c = t->entries[i].cap;

        if (!c)
            continue;
        /* Freed before fn runs, so the table never names a cap that fn may
         * already have released. */
        t->entries[i].cap = NULL;
        t->count--;
        if (fn)
            fn(c, ctx);
    }
    if (t->entries && t->ops.free)
        t->ops.free(t->entries, t->nslots, sizeof(*t->entries), t->ops.ctx);
    t->entries = NULL;
    t->nslots = 0;
    t->count = 0;
    t->max_handles = 0;     /* inserts fail until ht_init */
    t->free_head = 0;
}

uint32_t ht_next(const struct handle_table *t, uint32_t after, ae_handle_t *h,
                 struct cap **c)
{
    if (after >= t->nslots)
        return 0;
    for (uint32_t i = after + 1; i < t->nslots; i++) {
        const struct ht_entry *e = &t->entries[i];

        if (!e->cap)
            continue;
        if (h)
            *h = make_handle(i, e->gen);
        if (c)
            *c = e->cap;
        return i;
    }
    return 0;
}
