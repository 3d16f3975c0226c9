/*
 * Sliding-window rate. The window is the SR_BUCKETS buckets ending with
 * the one now falls in; a bucket whose epoch is older is stale and reads
 * as zero, so nothing has to be cleared as time moves on.
 */
#include "rate.h"

static uint64_t epoch_of(uint64_t ts)
{
    return ts / SR_BUCKET_NS + 1;
}

static int in_window(uint64_t epoch, uint64_t now)
{
    uint64_t cur = epoch_of(now);

    return epoch != 0 && epoch <= cur && cur - epoch < SR_BUCKETS;
}

void sr_add(struct sr_rate *r, uint64_t ts, uint64_t now)
{
    uint64_t e = epoch_of(ts);
    unsigned i = (unsigned)(e % SR_BUCKETS);

    /* Records from several CPUs arrive slightly out of order, and one from
     * "the future" (ts > now) moves now forward in the model first; only
     * what already fell out of the window is dropped. */
    if (!in_window(e, now > ts ? now : ts))
        return;
    if (r->epoch[i] != e) {
        if (r->epoch[i] > e)
            return;             /* the slot already holds a newer bucket */
        r->epoch[i] = e;
        r->count[i] = 0;
    }
    if (r->count[i] != UINT32_MAX)
        r->count[i]++;
}

double sr_per_sec(const struct sr_rate *r, uint64_t now)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < SR_BUCKETS; i++)
        if (in_window(r->epoch[i], now))
            n += r->count[i];
    return (double)n * 1e9 / (double)SR_WINDOW_NS;
}

void sr_merge(struct sr_rate *dst, const struct sr_rate *src, uint64_t now)
{
    for (unsigned i = 0; i < SR_BUCKETS; i++) {
        if (!in_window(src->epoch[i], now))
            continue;
        if (dst->epoch[i] != src->epoch[i]) {
            if (in_window(dst->epoch[i], now) && dst->epoch[i] > src->epoch[i])
                continue;
            dst->epoch[i] = src->epoch[i];
            dst->count[i] = 0;
        }
        dst->count[i] = UINT32_MAX - dst->count[i] < src->count[i] ? UINT32_MAX
                                                                   : dst->count[i] + src->count[i];
    }
}
