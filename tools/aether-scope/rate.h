/*
 * Message rate over a sliding window of trace time: a ring of fixed-width
 * buckets, so an edge costs the same memory at 10 messages a second as at
 * a million, and the rate follows the guest's clock (record timestamps),
 * not the host's: a recorded stream replays with the rates it had live.
 */
#ifndef SCOPE_RATE_H
#define SCOPE_RATE_H

#include <stdint.h>

#define SR_BUCKETS 20u
#define SR_BUCKET_NS 100000000ull                   /* 100 ms */
#define SR_WINDOW_NS (SR_BUCKETS * SR_BUCKET_NS)    /* 2 s */

struct sr_rate {
    uint64_t epoch[SR_BUCKETS];     /* ts / SR_BUCKET_NS + 1 of what a bucket counts; 0 unused */
    uint32_t count[SR_BUCKETS];
};

/* Counts one event at ts. Events older than the window are ignored. */
void sr_add(struct sr_rate *r, uint64_t ts, uint64_t now);
/* Events per second over the window that ends at now. */
double sr_per_sec(const struct sr_rate *r, uint64_t now);
/* Adds src's buckets into dst (both seen from the same now). */
void sr_merge(struct sr_rate *dst, const struct sr_rate *src, uint64_t now);

#endif
