/*
 * The byte rings behind a TCP connection, and the out-of-order ranges of
 * the receive side. Pure; the memory is the caller's.
 *
 * A ring holds `len` bytes of data starting at index `head`. Past the data
 * is free space, addressed by offset from the end of the data: the receive
 * side writes an out-of-order segment there at its distance from RCV.NXT
 * and only counts it as data (tcp_ring_commit) once the gap before it
 * fills. Reading from the front never moves the free-space offsets, since
 * head + len stays put.
 *
 *     struct tcp_ring r;
 *     tcp_ring_init(&r, mem, 65536);
 *     tcp_ring_append(&r, p, n);          // send side: user data
 *     tcp_ring_span(&r, off, n, &a, &na, &b, &nb);   // a segment's bytes
 *     tcp_ring_consume(&r, acked);        // acknowledged: drop the front
 *
 *     tcp_ring_put(&r, gap, seg, n);      // receive side, out of order
 *     tcp_ooo_add(&ooo, seq, seq + n);
 *     ...
 *     nxt = tcp_ooo_take(&ooo, rcv_nxt);  // the gap filled: how far now
 *     tcp_ring_commit(&r, nxt - rcv_nxt);
 */
#ifndef USER_LIB_NET_TCP_BUF_H
#define USER_LIB_NET_TCP_BUF_H

#include <stdbool.h>
#include <stdint.h>

/* Rings are at most 1 GiB: the most a scaled window (65535 << 14) covers,
 * and small enough that head + len + off never overflows 32 bits. */
#define TCP_RING_MAX (1u << 30)

struct tcp_ring {
    uint8_t *buf;
    uint32_t size, head, len;
};

static inline uint32_t tcp_ring_free(const struct tcp_ring *r)
{
    return r->size - r->len;
}

void tcp_ring_init(struct tcp_ring *r, uint8_t *buf, uint32_t size);
/* Copies n bytes to the free space at off past the data; off + n must not
 * exceed tcp_ring_free. The data length does not change. */
void tcp_ring_put(struct tcp_ring *r, uint32_t off, const uint8_t *p, uint32_t n);
/* Counts n bytes of free space (already written) as data. */
void tcp_ring_commit(struct tcp_ring *r, uint32_t n);
/* Appends as much of p[0..n) as fits; returns the bytes appended. */
uint32_t tcp_ring_append(struct tcp_ring *r, const uint8_t *p, uint32_t n);
/* The data bytes [off, off + n) (within len) as one or two pieces. */
void tcp_ring_span(const struct tcp_ring *r, uint32_t off, uint32_t n, const uint8_t **p1,
                   uint32_t *n1, const uint8_t **p2, uint32_t *n2);
/* Drops n bytes (at most len) from the front. */
void tcp_ring_consume(struct tcp_ring *r, uint32_t n);
/* Copies min(n, len) bytes from the front to dst and drops them. */
uint32_t tcp_ring_read(struct tcp_ring *r, uint8_t *dst, uint32_t n);

/*
 * Out-of-order data held past RCV.NXT: disjoint, non-adjacent sequence
 * ranges [start, end), sorted. Eight ranges are plenty for a peer that
 * loses a few segments per window; a peer that scatters more only gets
 * them dropped (and resends them).
 */
#define TCP_OOO_MAX 8

struct tcp_ooo {
    uint32_t n;
    uint32_t start[TCP_OOO_MAX], end[TCP_OOO_MAX];
};

/* Records [start, end) (start before end), merging with what it touches.
 * When all slots are taken by ranges it does not touch, the highest range
 * is forgotten if the new one lies below it (data nearer RCV.NXT is worth
 * more); otherwise the new range is. Returns whether it was recorded. */
bool tcp_ooo_add(struct tcp_ooo *o, uint32_t start, uint32_t end);
/* RCV.NXT has reached rcv_nxt: drops the ranges it reaches or passes and
 * returns the end of the contiguous data (rcv_nxt or further). */
uint32_t tcp_ooo_take(struct tcp_ooo *o, uint32_t rcv_nxt);

#endif
