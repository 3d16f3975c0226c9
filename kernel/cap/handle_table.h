/*
 * Per-process handle table: maps handle values to capability nodes (struct
 * cap, opaque here). Pure: storage growth goes through caller callbacks
 * (the kernel charges it to the process's quota), so it is unit-tested on
 * the host. Not locked: the caller serialises (the kernel lock).
 *
 * A handle value is (generation << 20) | slot, never 0: slot 0 is never
 * used, and a slot's generation changes every time it is freed, so a stale
 * handle (closed, moved away) is refused with AE_ERR_BAD_HANDLE even when
 * its slot has been reused. Generations use 11 bits and wrap, skipping 0.
 */
#ifndef KERNEL_CAP_HANDLE_TABLE_H
#define KERNEL_CAP_HANDLE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "aether/types.h"

#define HT_SLOT_BITS 20
#define HT_MAX_SLOTS (1u << HT_SLOT_BITS)    /* slot 0 unused */
#define HT_GEN_BITS 11
#define HT_INITIAL_SLOTS 16

struct cap;

struct ht_ops {
    /* Returns zeroed storage for n entries of entry_size bytes, or NULL
     * (NOMEM or the owner's quota is exhausted: the table reports
     * AE_ERR_QUOTA). Called when the table grows. */
    void *(*alloc)(size_t n, size_t entry_size, void *ctx);
    void (*free)(void *p, size_t n, size_t entry_size, void *ctx);
    void *ctx;
};

struct ht_entry;                 /* private to handle_table.c */

struct handle_table {
    struct ht_entry *entries;    /* nslots entries; [0] unused */
    uint32_t nslots;             /* capacity, including slot 0 */
    uint32_t count;              /* live handles */
    uint32_t max_handles;        /* the quota: count never exceeds it */
    uint32_t free_head;          /* first free slot, 0 = none */
    struct ht_ops ops;
};

/* An empty table that may hold up to max_handles handles (1 .. 2^20 - 1;
 * larger values are clamped). Allocates nothing until the first insert.
 * ops may be NULL: the table then never grows. */
void ht_init(struct handle_table *t, const struct ht_ops *ops, uint32_t max_handles);
/* Stores c under a new handle. AE_OK; AE_ERR_QUOTA when count ==
 * max_handles or growth storage is refused (the table is then unchanged);
 * AE_ERR_INVAL for NULL c or out. */
int ht_insert(struct handle_table *t, struct cap *c, ae_handle_t *out);
/* AE_OK and *c (c may be NULL); AE_ERR_BAD_HANDLE for 0, an unused slot,
 * a stale generation or a slot beyond the table. */
int ht_lookup(const struct handle_table *t, ae_handle_t h, struct cap **c);
/* Like lookup, and frees the slot (the handle becomes stale). */
int ht_remove(struct handle_table *t, ae_handle_t h, struct cap **c);
/* Replaces the cap stored under h (same handle value); AE_ERR_INVAL for
 * NULL c. */
int ht_replace(struct handle_table *t, ae_handle_t h, struct cap *c);
/* Changes the quota; AE_ERR_QUOTA if count already exceeds it,
 * AE_ERR_INVAL beyond 2^20 - 1. Storage never shrinks. */
int ht_set_max(struct handle_table *t, uint32_t max_handles);
/* Calls fn on every live cap (in slot order), then frees the storage; the
 * table is empty and unusable afterwards until ht_init. fn may be NULL. */
void ht_destroy(struct handle_table *t, void (*fn)(struct cap *, void *), void *ctx);
/* Iteration: the first live slot > after (0 to start), its handle and cap;
 * 0 when none. */
uint32_t ht_next(const struct handle_table *t, uint32_t after, ae_handle_t *h,
                 struct cap **c);

#endif
