/*
 * The reader's side of the ring protocol (include/aether/trace.h). The
 * writer zeroes a slot's seq, fills the slot, then stores the new seq and
 * then the header's head, each store ordered after the ones before. So:
 *   - once head >= s has been read (acquire), record s was complete in its
 *     slot at some point, and the slot holds s or something newer;
 *   - a copy that read any byte of a newer record is followed by a seq
 *     read (after an acquire fence) that sees 0 or the newer seq.
 * The ring's memory changes under the reader, so every word is read with
 * an atomic load. Records are delivered with their times in nanoseconds
 * (ring_to_ns).
 */
#include "trace_read.h"

#define MASK (AE_TRACE_RING_RECORDS - 1)

typedef uint64_t __attribute__((may_alias)) trace_word;

uint64_t ae_trace_head(const struct ae_trace_ring_hdr *hdr)
{
    return __atomic_load_n(&hdr->head, __ATOMIC_ACQUIRE);
}

/* Copies slot into *out; true if it held record `seq` throughout. */
static int copy_checked(const struct ae_trace_rec *slot, uint64_t seq,
                        struct ae_trace_rec *out)
{
    const trace_word *src = (const trace_word *)slot;
    trace_word *dst = (trace_word *)out;
    uint64_t before = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE), after;

    if (before != seq)
        return 0;
    for (size_t i = 1; i < sizeof(*slot) / sizeof(trace_word); i++)
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    after = __atomic_load_n(&slot->seq, __ATOMIC_RELAXED);
    out->seq = seq;
    return after == seq;
}

/* The ring holds TSC values: the record's time and, in an IPC record,
 * when the side that waited began to (0: unknown). Out come nanoseconds
 * since boot and nanoseconds waited, and the ring's CPU. */
static void ring_to_ns(const struct ae_trace_ring_hdr *hdr, struct ae_trace_rec *r)
{
    uint64_t tsc = r->ts_ns;

    r->cpu = (uint16_t)hdr->cpu;        /* the kernel leaves it to the ring */
    r->ts_ns = ae_trace_tsc_to_ns(hdr, tsc);
    if (r->type >= AE_TRACE_IPC_SEND && r->type <= AE_TRACE_IPC_RECV)
        r->arg[2] = r->arg[2] && r->arg[2] <= tsc
                        ? ae_trace_tsc_to_ns(hdr, tsc) - ae_trace_tsc_to_ns(hdr, r->arg[2])
                        : 0;
}

size_t ae_trace_read(const struct ae_trace_ring_hdr *hdr, const struct ae_trace_rec *ring,
                     uint64_t *cursor, struct ae_trace_rec *out, size_t max, uint64_t *lost)
{
    uint64_t next = *cursor + 1;
    size_t n = 0;

    while (n < max) {
        uint64_t head = ae_trace_head(hdr);
        uint64_t oldest = head >= AE_TRACE_RING_RECORDS ? head - AE_TRACE_RING_RECORDS + 1 : 1;

        if (next > head)
            break;
        if (next < oldest) {            /* lapped: those are gone */
            *lost += oldest - next;
            next = oldest;
        }
        if (copy_checked(&ring[next & MASK], next, &out[n]))
            ring_to_ns(hdr, &out[n++]);
        else
            (*lost)++;                  /* overwritten since head was read */
        next++;
    }
    *cursor = next - 1;
    return n;
}
