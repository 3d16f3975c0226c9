/*
 * Reading the kernel's trace rings from a TraceBuf mapping (trace_map,
 * include/aether/trace.h, docs/TRACE.md). Pure: no system calls, so the
 * same code is unit-tested on the host (tests/unit/test_trace_read.c).
 *
 * The kernel rewrites a ring while it is read: each record is copied and
 * accepted only if its seq is the expected one both before and after the
 * copy. A reader keeps, per CPU, a cursor: the seq of the last record it
 * has (0 before the first). Records the ring overwrote before they could
 * be copied are skipped and counted as lost.
 */
#ifndef USER_LIB_TRACE_READ_H
#define USER_LIB_TRACE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "aether/trace.h"

/* How many rings a mapping of `bytes` (trace_map's result) holds. */
static inline unsigned ae_trace_nrings(uint64_t bytes)
{
    return bytes < AE_TRACE_HEADER_BYTES
               ? 0 : (unsigned)((bytes - AE_TRACE_HEADER_BYTES) / AE_TRACE_RING_BYTES);
}

/* CPU cpu's header and ring in the mapping at base. */
static inline const struct ae_trace_ring_hdr *ae_trace_hdr(const void *base, unsigned cpu)
{
    return (const struct ae_trace_ring_hdr *)base + cpu;
}

static inline const struct ae_trace_rec *ae_trace_ring(const void *base, unsigned cpu)
{
    return (const struct ae_trace_rec *)((const char *)base + AE_TRACE_HEADER_BYTES +
                                         (uint64_t)cpu * AE_TRACE_RING_BYTES);
}

/* A TSC value of the ring's clock in nanoseconds since boot. */
static inline uint64_t ae_trace_tsc_to_ns(const struct ae_trace_ring_hdr *hdr, uint64_t tsc)
{
    return tsc <= hdr->tsc_base
               ? 0 : (uint64_t)((unsigned __int128)(tsc - hdr->tsc_base) * hdr->tsc_mult >> 32);
}

/* The seq of the newest record published in the ring (0: none yet). */
uint64_t ae_trace_head(const struct ae_trace_ring_hdr *hdr);

/*
 * Copies into out (at most max) the records of one ring with seq greater
 * than *cursor, oldest first, each checked as above, and sets *cursor to
 * the seq of the last record copied or skipped. Records no longer in the
 * ring, or overwritten during their copy, are skipped and added to *lost.
 * Returns the number copied (0: nothing newer than *cursor, or max 0).
 * Times come out in nanoseconds: ts_ns, and arg2 of IPC records (how long
 * the side that had been waiting waited; 0 if unknown).
 */
size_t ae_trace_read(const struct ae_trace_ring_hdr *hdr, const struct ae_trace_rec *ring,
                     uint64_t *cursor, struct ae_trace_rec *out, size_t max, uint64_t *lost);

#endif
