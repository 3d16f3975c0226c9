/*
 * See ip_reasm.h. Because overlaps are refused, the stored fragments are
 * disjoint intervals inside [0, total): the datagram is complete exactly
 * when the bytes stored add up to total, with no hole list to maintain.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/ip_reasm.h"

void ip_reasm_init(struct ip_reasm *r, uint8_t *storage, size_t slot_cap, uint64_t timeout_ns)
{
    memset(r, 0, sizeof(*r));
    r->storage = storage;
    r->slot_cap = slot_cap;
    r->timeout_ns = timeout_ns ? timeout_ns : IP_REASM_TIMEOUT_NS;
}

static uint64_t deadline(const struct ip_reasm *r, const struct ip_reasm_slot *s)
{
    uint64_t d = s->start_ns + r->timeout_ns;

    return d < s->start_ns ? UINT64_MAX : d;
}

static uint8_t *slot_buf(struct ip_reasm *r, const struct ip_reasm_slot *s)
{
    return r->storage + (size_t)(s - r->slot) * r->slot_cap;
}

static bool same_key(const struct ip_reasm_slot *s, const struct ipv4_hdr *h)
{
    return s->src == h->src && s->dst == h->dst && s->proto == h->proto && s->id == h->id;
}

/* Drops the datagram, counting why; returns err for the caller to pass on. */
static int drop(struct ip_reasm_slot *s, uint32_t *counter, int err)
{
    s->state = IP_REASM_FREE;
    (*counter)++;
    return err;
}

static struct ip_reasm_slot *new_slot(struct ip_reasm *r, const struct ipv4_hdr *h, uint64_t now_ns)
{
    struct ip_reasm_slot *s = NULL, *oldest = NULL;

    for (int i = 0; i < IP_REASM_SLOTS && !s; i++) {
        struct ip_reasm_slot *t = &r->slot[i];

        if (t->state == IP_REASM_FREE)
            s = t;
        else if (t->state == IP_REASM_BUSY && (!oldest || t->start_ns < oldest->start_ns))
            oldest = t;
    }
    if (!s && !oldest)
        return NULL;            /* all completed, waiting for release */
    if (!s) {
        /* A datagram still incomplete after the others started is the
         * likeliest to be lost already. */
        r->stats.evicted++;
        s = oldest;
    }
    memset(s, 0, sizeof(*s));
    s->state = IP_REASM_BUSY;
    s->src = h->src;
    s->dst = h->dst;
    s->proto = h->proto;
    s->id = h->id;
    s->start_ns = now_ns;
    return s;
}

int ip_reasm_input(struct ip_reasm *r, const struct ipv4_hdr *h, uint64_t now_ns,
                   struct ip_reasm_result *out)
{
    struct ip_reasm_slot *s = NULL;
    uint32_t start = h->frag_off, end = start + (uint32_t)h->payload_len;
    size_t limit = r->slot_cap < IP_REASM_MAX_PAYLOAD ? r->slot_cap : IP_REASM_MAX_PAYLOAD;
    uint8_t *buf;

    r->stats.fragments++;
    if (!ipv4_is_fragment(h) || h->payload_len == 0 || (h->mf && h->payload_len % 8)) {
        r->stats.malformed++;
        return AE_ERR_INVAL;
    }
    /* Expire here too, so a late tick cannot let a stale datagram absorb
     * fragments of a new one with a reused ID. */
    for (int i = 0; i < IP_REASM_SLOTS; i++)
        if (r->slot[i].state == IP_REASM_BUSY && now_ns >= deadline(r, &r->slot[i]))
            drop(&r->slot[i], &r->stats.timeouts, 0);
    for (int i = 0; i < IP_REASM_SLOTS; i++)
        if (r->slot[i].state != IP_REASM_FREE && same_key(&r->slot[i], h))
            s = &r->slot[i];
    if (s && s->state == IP_REASM_DONE) {
        r->stats.duplicates++;
        return IP_REASM_HELD;
    }
    if (h->payload_len > IP_REASM_MAX_PAYLOAD || end > limit) {
        if (s)
            return drop(s, &r->stats.oversize, AE_ERR_RANGE);
        r->stats.oversize++;
        return AE_ERR_RANGE;
    }
    if (!s) {
        s = new_slot(r, h, now_ns);
        if (!s) {
            r->stats.no_slot++;
            return AE_ERR_BUSY;
        }
    }
    buf = slot_buf(r, s);

    if (s->total && (end > s->total || (h->mf && end == s->total) ||
                     (!h->mf && end != s->total)))
        return drop(s, &r->stats.bad_end, AE_ERR_INVAL);
    for (unsigned i = 0; i < s->nfrags; i++) {
        if (start == s->fstart[i] && end == s->fend[i]) {
            if (memcmp(buf + start, h->payload, h->payload_len) != 0)
                return drop(s, &r->stats.overlaps, AE_ERR_INVAL);
            if (!h->mf && s->total != end)   /* claims last, was not */
                return drop(s, &r->stats.bad_end, AE_ERR_INVAL);
            r->stats.duplicates++;
            return IP_REASM_HELD;
        }
        if (start < s->fend[i] && s->fstart[i] < end)
            return drop(s, &r->stats.overlaps, AE_ERR_INVAL);
        /* A last fragment must end after everything already stored. */
        if (!h->mf && s->fend[i] > end)
            return drop(s, &r->stats.bad_end, AE_ERR_INVAL);
    }
    if (s->nfrags == IP_REASM_MAX_FRAGS)
        return drop(s, &r->stats.too_many, AE_ERR_NOMEM);

    memcpy(buf + start, h->payload, h->payload_len);
    s->fstart[s->nfrags] = (uint16_t)start;
    s->fend[s->nfrags] = (uint16_t)end;
    s->nfrags++;
    s->have += (uint32_t)h->payload_len;
    if (!h->mf)
        s->total = end;
    if (start == 0 && h->hdr_len <= IPV4_HDR_MAX) {
        memcpy(s->hdr, h->hdr, h->hdr_len);
        s->hdr_len = (uint8_t)h->hdr_len;
    }
    if (!s->total || s->have != s->total)
        return IP_REASM_HELD;

    s->state = IP_REASM_DONE;
    r->stats.completed++;
    out->slot = (unsigned)(s - r->slot);
    out->src = s->src;
    out->dst = s->dst;
    out->proto = s->proto;
    out->id = s->id;
    out->payload = buf;
    out->len = s->total;
    out->hdr = s->hdr;
    out->hdr_len = s->hdr_len;
    return IP_REASM_COMPLETE;
}

void ip_reasm_release(struct ip_reasm *r, unsigned slot)
{
    if (slot < IP_REASM_SLOTS && r->slot[slot].state == IP_REASM_DONE)
        r->slot[slot].state = IP_REASM_FREE;
}

bool ip_reasm_tick(struct ip_reasm *r, uint64_t now_ns, struct ip_reasm_expired *ev)
{
    for (int i = 0; i < IP_REASM_SLOTS; i++) {
        struct ip_reasm_slot *s = &r->slot[i];

        if (s->state != IP_REASM_BUSY || now_ns < deadline(r, s))
            continue;
        memset(ev, 0, sizeof(*ev));
        ev->src = s->src;
        ev->dst = s->dst;
        ev->proto = s->proto;
        ev->id = s->id;
        if (s->hdr_len) {
            /* Fragment zero carries at least 8 bytes (a non-empty multiple
             * of 8 with MF set), all stored at offset 0. */
            memcpy(ev->quote, s->hdr, s->hdr_len);
            memcpy(ev->quote + s->hdr_len, slot_buf(r, s), 8);
            ev->quote_len = s->hdr_len + 8u;
        }
        drop(s, &r->stats.timeouts, 0);
        return true;
    }
    return false;
}

uint64_t ip_reasm_next_deadline(const struct ip_reasm *r)
{
    uint64_t next = UINT64_MAX;

    for (int i = 0; i < IP_REASM_SLOTS; i++)
        if (r->slot[i].state == IP_REASM_BUSY && deadline(r, &r->slot[i]) < next)
            next = deadline(r, &r->slot[i]);
    return next;
}
