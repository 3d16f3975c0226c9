/*
 * See tcp_buf.h. Indices are reduced modulo the size after each sum;
 * with rings of at most TCP_RING_MAX no sum reaches 2^32.
 */
#include "net/tcp_buf.h"

#include <string.h>

#include "net/tcp_seg.h"

static uint32_t wrap(const struct tcp_ring *r, uint32_t i)
{
    return i % r->size;
}

void tcp_ring_init(struct tcp_ring *r, uint8_t *buf, uint32_t size)
{
    r->buf = buf;
    r->size = size;
    r->head = 0;
    r->len = 0;
}

void tcp_ring_put(struct tcp_ring *r, uint32_t off, const uint8_t *p, uint32_t n)
{
    uint32_t i, first;

    if (n == 0)
        return;
    i = wrap(r, r->head + r->len + off);
    first = r->size - i < n ? r->size - i : n;
    memcpy(r->buf + i, p, first);
    memcpy(r->buf, p + first, n - first);
}

void tcp_ring_commit(struct tcp_ring *r, uint32_t n)
{
    r->len += n;
}

uint32_t tcp_ring_append(struct tcp_ring *r, const uint8_t *p, uint32_t n)
{
    uint32_t room = tcp_ring_free(r);

    if (n > room)
        n = room;
    tcp_ring_put(r, 0, p, n);
    r->len += n;
    return n;
}

void tcp_ring_span(const struct tcp_ring *r, uint32_t off, uint32_t n, const uint8_t **p1,
                   uint32_t *n1, const uint8_t **p2, uint32_t *n2)
{
    uint32_t i = n ? wrap(r, r->head + off) : 0;
    uint32_t first = r->size - i < n ? r->size - i : n;

    *p1 = r->buf + i;
    *n1 = first;
    *p2 = r->buf;
    *n2 = n - first;
}

void tcp_ring_consume(struct tcp_ring *r, uint32_t n)
{
    if (n > r->len)
        n = r->len;
    /* head moves even when the ring empties: out-of-order data may sit in
     * the free space at offsets counted from head + len. */
    r->head = wrap(r, r->head + n);
    r->len -= n;
}

uint32_t tcp_ring_read(struct tcp_ring *r, uint8_t *dst, uint32_t n)
{
    const uint8_t *a, *b;
    uint32_t na, nb;

    if (n > r->len)
        n = r->len;
    tcp_ring_span(r, 0, n, &a, &na, &b, &nb);
    memcpy(dst, a, na);
    memcpy(dst + na, b, nb);
    tcp_ring_consume(r, n);
    return n;
}

static void ooo_remove(struct tcp_ooo *o, uint32_t i)
{
    for (; i + 1 < o->n; i++) {
        o->start[i] = o->start[i + 1];
        o->end[i] = o->end[i + 1];
    }
    o->n--;
}

bool tcp_ooo_add(struct tcp_ooo *o, uint32_t start, uint32_t end)
{
    uint32_t i = 0;

    /* Skip the ranges that end before this one starts (not touching). */
    while (i < o->n && tcp_seq_lt(o->end[i], start))
        i++;
    if (i < o->n && tcp_seq_leq(o->start[i], end)) {
        /* Touches range i: widen it, then swallow the ones it now reaches. */
        if (tcp_seq_lt(start, o->start[i]))
            o->start[i] = start;
        if (tcp_seq_gt(end, o->end[i]))
            o->end[i] = end;
        while (i + 1 < o->n && tcp_seq_leq(o->start[i + 1], o->end[i])) {
            if (tcp_seq_gt(o->end[i + 1], o->end[i]))
                o->end[i] = o->end[i + 1];
            ooo_remove(o, i + 1);
        }
        return true;
    }
    if (o->n == TCP_OOO_MAX) {
        if (i == o->n)
            return false;
        o->n--;
    }
    for (uint32_t j = o->n; j > i; j--) {
        o->start[j] = o->start[j - 1];
        o->end[j] = o->end[j - 1];
    }
    o->start[i] = start;
    o->end[i] = end;
    o->n++;
    return true;
}

uint32_t tcp_ooo_take(struct tcp_ooo *o, uint32_t rcv_nxt)
{
    while (o->n && tcp_seq_leq(o->start[0], rcv_nxt)) {
        if (tcp_seq_gt(o->end[0], rcv_nxt))
            rcv_nxt = o->end[0];
        ooo_remove(o, 0);
    }
    return rcv_nxt;
}
