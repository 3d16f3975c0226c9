/*
 * Unit tests for user/lib/net/ip_reasm.c: IPv4 fragment reassembly with
 * fragments built by ipv4_build and parsed by ipv4_parse. In order, out of
 * order, exact duplicates (ignored), every kind of overlap (datagram
 * dropped), oversized fragments (past 65515 or the slot), misaligned and
 * empty ones, inconsistent last fragments, the fragment count limit, the
 * timeout at its exact nanosecond with the ICMP quote, all slots busy
 * (eviction of the oldest incomplete, refusal when all are completed),
 * datagrams kept apart by their key, and a random storm whose completed
 * datagrams must always hold exactly the bytes that were sent.
 */
#include "unit.h"

#include "net/ip_reasm.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

#define S 1000000000ull

static uint8_t storage[IP_REASM_SLOTS * IP_REASM_SLOT_SIZE];

struct key {
    uint32_t src, dst;
    uint8_t proto;
    uint16_t id;
};

static const struct key K = {NET_IP4(10, 0, 2, 2), NET_IP4(10, 0, 2, 15), IPV4_PROTO_UDP, 100};

static struct key key_id(uint16_t id)
{
    struct key k = K;

    k.id = id;
    return k;
}

/* The byte a datagram of key k carries at offset i. */
static uint8_t pat(const struct key *k, uint32_t i)
{
    return (uint8_t)(i * 31 + (i >> 8) * 7 + k->id + k->proto * 3 + k->src + k->dst * 5);
}

/* Sends the fragment [off, off + len) of datagram k (its bytes XORed
 * with x) through ipv4_build and ipv4_parse into the reassembler. */
static int feed_x(struct ip_reasm *r, const struct key *k, uint32_t off, size_t len, bool mf,
                  uint64_t now, struct ip_reasm_result *out, uint8_t x)
{
    struct ipv4_tx tx = {.src = k->src, .dst = k->dst, .proto = k->proto, .id = k->id,
                         .mf = mf, .frag_off = (uint16_t)off};
    uint8_t *p = malloc(IPV4_HDR_MIN + len);
    struct ipv4_hdr h;
    int err;

    assert_int_equal(ipv4_build(p, IPV4_HDR_MIN + len, &tx, len), IPV4_HDR_MIN);
    for (size_t i = 0; i < len; i++)
        p[IPV4_HDR_MIN + i] = pat(k, off + (uint32_t)i) ^ x;
    assert_int_equal(ipv4_parse(p, IPV4_HDR_MIN + len, &h), AE_OK);
    err = ip_reasm_input(r, &h, now, out);
    free(p);
    return err;
}

static int feed(struct ip_reasm *r, const struct key *k, uint32_t off, size_t len, bool mf,
                uint64_t now, struct ip_reasm_result *out)
{
    return feed_x(r, k, off, len, mf, now, out, 0);
}

static void check_done(const struct ip_reasm_result *out, const struct key *k, size_t total)
{
    assert_int_equal(out->len, total);
    assert_int_equal(out->src, k->src);
    assert_int_equal(out->dst, k->dst);
    assert_int_equal(out->proto, k->proto);
    assert_int_equal(out->id, k->id);
    for (size_t i = 0; i < total; i++)
        if (out->payload[i] != pat(k, (uint32_t)i))
            fail_msg("byte %zu of the datagram differs", i);
}

static unsigned busy_slots(const struct ip_reasm *r)
{
    unsigned n = 0;

    for (int i = 0; i < IP_REASM_SLOTS; i++)
        n += r->slot[i].state != IP_REASM_FREE;
    return n;
}

static void FRAG0001_two_fragments_in_order(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    assert_int_equal(r.timeout_ns, IP_REASM_TIMEOUT_NS);
    assert_int_equal(ip_reasm_next_deadline(&r), UINT64_MAX);
    assert_int_equal(feed(&r, &K, 0, 1480, true, 10, &out), IP_REASM_HELD);
    assert_int_equal(ip_reasm_next_deadline(&r), 10 + IP_REASM_TIMEOUT_NS);
    ip_reasm_release(&r, 0);                    /* in progress: not the caller's to free */
    assert_int_equal(r.slot[0].state, IP_REASM_BUSY);
    assert_int_equal(feed(&r, &K, 1480, 520, false, 20, &out), IP_REASM_COMPLETE);
    check_done(&out, &K, 2000);
    /* The header is fragment zero's, as it came. */
    assert_int_equal(out.hdr_len, 20);
    assert_int_equal(out.hdr[0], 0x45);
    assert_int_equal(net_get16(out.hdr + 6), 0x2000);
    assert_int_equal(net_get16(out.hdr + 2), 1500);
    assert_int_equal(r.slot[out.slot].state, IP_REASM_DONE);
    assert_int_equal(r.stats.completed, 1);
    assert_int_equal(r.stats.fragments, 2);
    assert_int_equal(ip_reasm_next_deadline(&r), UINT64_MAX);
    ip_reasm_release(&r, out.slot);
    assert_int_equal(busy_slots(&r), 0);
    ip_reasm_release(&r, out.slot);
    ip_reasm_release(&r, 99);
    assert_int_equal(busy_slots(&r), 0);
}

static void FRAG0002_any_arrival_order(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    rng_state = 0xf2a9;
    for (uint16_t id = 1; id <= 300; id++) {
        struct key k = key_id(id);
        unsigned order[6] = {0, 1, 2, 3, 4, 5};

        for (int i = 5; i > 0; i--) {
            unsigned j = (unsigned)(rng() % (uint64_t)(i + 1)), t = order[i];

            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < 6; i++) {
            unsigned f = order[i];
            int want = i == 5 ? IP_REASM_COMPLETE : IP_REASM_HELD;

            /* 5 x 1480 and a last one of 101 bytes: 7501. */
            assert_int_equal(feed(&r, &k, f * 1480, f == 5 ? 101 : 1480, f != 5, id, &out), want);
        }
        check_done(&out, &k, 7501);
        ip_reasm_release(&r, out.slot);
    }
    assert_int_equal(r.stats.completed, 300);
    assert_int_equal(busy_slots(&r), 0);
}

static void FRAG0003_exact_duplicates_ignored(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    assert_int_equal(feed(&r, &K, 8, 16, true, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 8, 16, true, 2, &out), IP_REASM_HELD);
    assert_int_equal(r.stats.duplicates, 1);
    assert_int_equal(feed(&r, &K, 24, 5, false, 3, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 24, 5, false, 4, &out), IP_REASM_HELD);     /* last, twice */
    assert_int_equal(r.stats.duplicates, 2);
    assert_int_equal(feed(&r, &K, 0, 8, true, 5, &out), IP_REASM_COMPLETE);
    check_done(&out, &K, 29);
    /* While the caller holds it, late copies are ignored and change nothing. */
    assert_int_equal(feed(&r, &K, 0, 8, true, 6, &out), IP_REASM_HELD);
    assert_int_equal(feed_x(&r, &K, 8, 16, true, 6, &out, 0xff), IP_REASM_HELD);
    assert_int_equal(r.stats.duplicates, 4);
    assert_int_equal(r.slot[0].state, IP_REASM_DONE);
    assert_int_equal(r.slot[0].total, 29);
    assert_int_equal(storage[8], pat(&K, 8));
    assert_int_equal(busy_slots(&r), 1);
}

static void FRAG0004_overlaps_drop_the_datagram(void **state)
{
    static const struct {
        uint32_t off1, len1;
        bool mf1;
        uint32_t off2, len2;
        bool mf2;
        uint8_t x2;
    } cases[] = {
        {0, 16, true, 8, 16, true, 0},          /* partial, same bytes */
        {8, 16, true, 0, 16, true, 0},          /* partial from below */
        {0, 64, true, 8, 16, true, 0},          /* contained */
        {8, 16, true, 0, 64, true, 0},          /* covering */
        {8, 16, true, 8, 16, true, 0x01},       /* same place, other bytes */
        {16, 24, false, 8, 16, true, 0},        /* into the last fragment */
        {16, 24, false, 16, 24, false, 0x80},   /* last, other bytes */
        {0, 8, true, 7 * 8, 8, true, 0},        /* control: no overlap */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ip_reasm r;
        struct ip_reasm_result out;
        bool control = i == sizeof(cases) / sizeof(cases[0]) - 1;

        ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
        assert_int_equal(feed(&r, &K, cases[i].off1, cases[i].len1, cases[i].mf1, 1, &out),
                         IP_REASM_HELD);
        assert_int_equal(feed_x(&r, &K, cases[i].off2, cases[i].len2, cases[i].mf2, 2, &out,
                                cases[i].x2),
                         control ? IP_REASM_HELD : AE_ERR_INVAL);
        assert_int_equal(r.stats.overlaps, control ? 0 : 1);
        assert_int_equal(busy_slots(&r), control ? 1 : 0);
    }
    /* After a drop, what is left of the datagram starts afresh and can
     * never complete with pieces from before. */
    {
        struct ip_reasm r;
        struct ip_reasm_result out;

        ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
        assert_int_equal(feed(&r, &K, 0, 16, true, 1, &out), IP_REASM_HELD);
        assert_int_equal(feed(&r, &K, 32, 8, false, 1, &out), IP_REASM_HELD);
        assert_int_equal(feed(&r, &K, 8, 16, true, 1, &out), AE_ERR_INVAL);
        assert_int_equal(feed(&r, &K, 16, 16, true, 1, &out), IP_REASM_HELD);
        assert_int_equal(feed(&r, &K, 32, 8, false, 1, &out), IP_REASM_HELD);
        assert_int_equal(r.stats.completed, 0);
        assert_int_equal(feed(&r, &K, 0, 16, true, 1, &out), IP_REASM_COMPLETE);
        check_done(&out, &K, 40);
    }
}

static void FRAG0005_oversize_refused(void **state)
{
    static uint8_t small[IP_REASM_SLOTS * 2048];
    struct ip_reasm r;
    struct ip_reasm_result out;
    struct ipv4_hdr h;
    uint8_t tiny[8] = {0};

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    /* The largest legal end, 65515, and one past it. */
    assert_int_equal(feed(&r, &K, 65512, 3, false, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 0, 8, true, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 65512, 4, false, 1, &out), AE_ERR_RANGE);
    assert_int_equal(r.stats.oversize, 1);
    assert_int_equal(busy_slots(&r), 0);                /* the datagram went with it */
    assert_int_equal(feed(&r, &K, 0x1fff * 8, 8, false, 1, &out), AE_ERR_RANGE);
    assert_int_equal(feed(&r, &K, 65504, 16, true, 1, &out), AE_ERR_RANGE);
    assert_int_equal(r.stats.oversize, 3);
    assert_int_equal(busy_slots(&r), 0);                /* refused before taking a slot */
    /* A lying length is refused before anything is read. */
    memset(&h, 0, sizeof(h));
    h.src = K.src;
    h.dst = K.dst;
    h.proto = K.proto;
    h.id = K.id;
    h.mf = true;
    h.hdr = tiny;
    h.payload = tiny;
    h.payload_len = (size_t)1 << 33;
    assert_int_equal(ip_reasm_input(&r, &h, 1, &out), AE_ERR_RANGE);

    /* The largest datagram, from 45 fragments sent backwards. */
    for (int f = 44; f >= 0; f--)
        assert_int_equal(feed(&r, &K, (uint32_t)f * 1480, f == 44 ? 395 : 1480, f != 44, 2, &out),
                         f == 0 ? IP_REASM_COMPLETE : IP_REASM_HELD);
    check_done(&out, &K, 65515);
    ip_reasm_release(&r, out.slot);

    /* A smaller slot bounds the datagram. */
    ip_reasm_init(&r, small, 2048, 0);
    assert_int_equal(feed(&r, &K, 0, 1024, true, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 1024, 1024, false, 1, &out), IP_REASM_COMPLETE);
    check_done(&out, &K, 2048);
    ip_reasm_release(&r, out.slot);
    assert_int_equal(feed(&r, &K, 0, 2048, true, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 2048, 1, false, 1, &out), AE_ERR_RANGE);
    assert_int_equal(busy_slots(&r), 0);
    assert_int_equal(feed(&r, &K, 2040, 9, false, 1, &out), AE_ERR_RANGE);
}

static void FRAG0006_misaligned_empty_and_whole_refused(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    assert_int_equal(feed(&r, &K, 0, 96, true, 1, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 96, 100, true, 1, &out), AE_ERR_INVAL);   /* not 8n */
    assert_int_equal(feed(&r, &K, 96, 1, true, 1, &out), AE_ERR_INVAL);
    assert_int_equal(feed(&r, &K, 96, 0, true, 1, &out), AE_ERR_INVAL);     /* empty */
    assert_int_equal(feed(&r, &K, 200, 0, false, 1, &out), AE_ERR_INVAL);   /* empty last */
    assert_int_equal(r.stats.malformed, 4);
    assert_int_equal(busy_slots(&r), 1);                /* only the fragment was refused */
    assert_int_equal(feed(&r, &K, 96, 105, false, 1, &out), IP_REASM_COMPLETE);
    check_done(&out, &K, 201);
    ip_reasm_release(&r, out.slot);
    /* A whole datagram is not a fragment. */
    assert_int_equal(feed(&r, &K, 0, 50, false, 1, &out), AE_ERR_INVAL);
    assert_int_equal(busy_slots(&r), 0);
}

static void FRAG0007_inconsistent_last_fragment(void **state)
{
    static const struct {
        uint32_t off1, len1;
        bool mf1;
        uint32_t off2, len2;
        bool mf2;
        int want;
    } cases[] = {
        {16, 8, false, 24, 16, false, AE_ERR_INVAL},    /* a second, different end */
        {16, 8, false, 8, 16, false, AE_ERR_INVAL},     /* second end, overlapping */
        {16, 8, false, 24, 8, true, AE_ERR_INVAL},      /* past the known end */
        {16, 8, false, 8, 8, false, AE_ERR_INVAL},      /* a second, shorter end */
        {16, 8, false, 16, 8, true, AE_ERR_INVAL},      /* same place, claims more follow */
        {32, 16, true, 16, 8, false, AE_ERR_INVAL},     /* end before stored data */
        {8, 8, true, 8, 8, false, AE_ERR_INVAL},        /* same place, claims to be last */
        {16, 8, false, 16, 8, false, IP_REASM_HELD},    /* a true duplicate */
        {16, 8, false, 8, 8, true, IP_REASM_HELD},      /* control */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ip_reasm r;
        struct ip_reasm_result out;

        ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
        assert_int_equal(feed(&r, &K, cases[i].off1, cases[i].len1, cases[i].mf1, 1, &out),
                         IP_REASM_HELD);
        assert_int_equal(feed(&r, &K, cases[i].off2, cases[i].len2, cases[i].mf2, 1, &out),
                         cases[i].want);
        assert_int_equal(busy_slots(&r), cases[i].want < 0 ? 0 : 1);
        assert_int_equal(r.stats.bad_end + r.stats.overlaps, cases[i].want < 0 ? 1 : 0);
    }
}

static void FRAG0008_timeout_at_exact_boundary(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;
    struct ip_reasm_expired ev;
    const uint64_t t0 = 5 * S + 17;
    uint8_t hdr[20];
    struct ipv4_tx tx = {.src = K.src, .dst = K.dst, .proto = K.proto, .id = K.id, .mf = true};

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    assert_int_equal(feed(&r, &K, 0, 8, true, t0, &out), IP_REASM_HELD);
    assert_int_equal(ip_reasm_next_deadline(&r), t0 + 30 * S);
    assert_false(ip_reasm_tick(&r, t0 + 30 * S - 1, &ev));
    assert_int_equal(feed(&r, &K, 8, 8, true, t0 + 30 * S - 1, &out), IP_REASM_HELD);
    assert_int_equal(r.slot[0].nfrags, 2);              /* still the same datagram */
    assert_int_equal(ip_reasm_next_deadline(&r), t0 + 30 * S);  /* from the first fragment */
    assert_true(ip_reasm_tick(&r, t0 + 30 * S, &ev));
    assert_int_equal(ev.src, K.src);
    assert_int_equal(ev.dst, K.dst);
    assert_int_equal(ev.proto, K.proto);
    assert_int_equal(ev.id, K.id);
    /* The quote for ICMP time exceeded: fragment zero's header and 8 bytes. */
    assert_int_equal(ev.quote_len, 28);
    assert_int_equal(ipv4_build(hdr, sizeof(hdr), &tx, 8), 20);
    assert_memory_equal(ev.quote, hdr, 20);
    for (int i = 0; i < 8; i++)
        assert_int_equal(ev.quote[20 + i], pat(&K, (uint32_t)i));
    assert_false(ip_reasm_tick(&r, t0 + 30 * S, &ev));
    assert_int_equal(busy_slots(&r), 0);
    assert_int_equal(r.stats.timeouts, 1);
    assert_int_equal(ip_reasm_next_deadline(&r), UINT64_MAX);

    /* Without fragment zero there is nothing to quote. */
    assert_int_equal(feed(&r, &K, 8, 8, true, t0, &out), IP_REASM_HELD);
    assert_true(ip_reasm_tick(&r, t0 + 31 * S, &ev));
    assert_int_equal(ev.quote_len, 0);

    /* A fragment arriving at the deadline, with no tick, finds the old
     * datagram gone and starts a new one. */
    assert_int_equal(feed(&r, &K, 0, 8, true, t0, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 8, 8, false, t0 + 30 * S, &out), IP_REASM_HELD);
    assert_int_equal(r.stats.timeouts, 3);
    assert_int_equal(busy_slots(&r), 1);
    assert_int_equal(feed(&r, &K, 0, 8, true, t0 + 30 * S, &out), IP_REASM_COMPLETE);

    /* A configured timeout; completed datagrams never time out. */
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 2 * S);
    assert_int_equal(feed(&r, &K, 0, 8, true, 0, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, 8, 8, false, 1, &out), IP_REASM_COMPLETE);
    {
        struct key k7 = key_id(7);

        assert_int_equal(feed(&r, &k7, 0, 8, true, 0, &out), IP_REASM_HELD);
    }
    assert_false(ip_reasm_tick(&r, 2 * S - 1, &ev));
    assert_true(ip_reasm_tick(&r, 2 * S, &ev));
    assert_int_equal(ev.id, 7);
    assert_false(ip_reasm_tick(&r, 100 * S, &ev));
    assert_int_equal(r.slot[0].state, IP_REASM_DONE);
}

static void FRAG0009_all_slots_busy(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    /* Four in progress; a fifth evicts the one started longest ago. */
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    assert_int_equal(feed(&r, &(struct key){K.src, K.dst, K.proto, 3}, 0, 8, true, 3, &out),
                     IP_REASM_HELD);
    for (uint16_t id = 1; id <= 4; id++) {
        struct key k = key_id(id);

        if (id != 3)
            assert_int_equal(feed(&r, &k, 0, 8, true, id, &out), IP_REASM_HELD);
    }
    assert_int_equal(feed(&r, &(struct key){K.src, K.dst, K.proto, 5}, 0, 8, true, 5, &out),
                     IP_REASM_HELD);
    assert_int_equal(r.stats.evicted, 1);
    for (int i = 0; i < IP_REASM_SLOTS; i++)
        assert_int_not_equal(r.slot[i].id, 1);
    for (uint16_t id = 2; id <= 5; id++) {
        struct key k = key_id(id);

        assert_int_equal(feed(&r, &k, 8, 8, false, 6, &out), IP_REASM_COMPLETE);
        check_done(&out, &k, 16);
    }
    /* All four completed and held: a new datagram is refused... */
    assert_int_equal(feed(&r, &(struct key){K.src, K.dst, K.proto, 9}, 0, 8, true, 7, &out),
                     AE_ERR_BUSY);
    assert_int_equal(r.stats.no_slot, 1);
    assert_int_equal(r.stats.evicted, 1);
    /* ...until one is released. */
    ip_reasm_release(&r, 2);
    assert_int_equal(feed(&r, &(struct key){K.src, K.dst, K.proto, 9}, 0, 8, true, 8, &out),
                     IP_REASM_HELD);
    assert_int_equal(r.slot[2].id, 9);
    /* With three completed and one in progress, the one in progress goes. */
    assert_int_equal(feed(&r, &(struct key){K.src, K.dst, K.proto, 10}, 0, 8, true, 9, &out),
                     IP_REASM_HELD);
    assert_int_equal(r.slot[2].id, 10);
    assert_int_equal(r.stats.evicted, 2);
    for (int i = 0; i < IP_REASM_SLOTS; i++)
        if (i != 2)
            assert_int_equal(r.slot[i].state, IP_REASM_DONE);
}

static void FRAG0010_key_fields_keep_datagrams_apart(void **state)
{
    const struct key keys[4] = {
        K,
        {NET_IP4(10, 0, 2, 3), K.dst, K.proto, K.id},
        {K.src, NET_IP4(10, 0, 2, 255), K.proto, K.id},
        {K.src, K.dst, IPV4_PROTO_ICMP, K.id},
    };
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(feed(&r, &keys[i], 0, 800, true, 1, &out), IP_REASM_HELD);
    for (int i = 0; i < 4; i++)
        assert_int_equal(feed(&r, &keys[i], 1600, 33, false, 1, &out), IP_REASM_HELD);
    for (int i = 3; i >= 0; i--) {
        assert_int_equal(feed(&r, &keys[i], 800, 800, true, 1, &out), IP_REASM_COMPLETE);
        check_done(&out, &keys[i], 1633);
    }
}

static void FRAG0011_fragment_count_limit(void **state)
{
    struct ip_reasm r;
    struct ip_reasm_result out;

    (void)state;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    for (uint32_t f = 0; f < IP_REASM_MAX_FRAGS; f++) {
        bool last = f == IP_REASM_MAX_FRAGS - 1;

        assert_int_equal(feed(&r, &K, f * 8, 8, !last, 1, &out),
                         last ? IP_REASM_COMPLETE : IP_REASM_HELD);
    }
    check_done(&out, &K, IP_REASM_MAX_FRAGS * 8);
    ip_reasm_release(&r, out.slot);
    for (uint32_t f = 0; f < IP_REASM_MAX_FRAGS; f++)
        assert_int_equal(feed(&r, &K, f * 16, 8, true, 2, &out), IP_REASM_HELD);
    assert_int_equal(feed(&r, &K, IP_REASM_MAX_FRAGS * 16, 8, false, 2, &out), AE_ERR_NOMEM);
    assert_int_equal(r.stats.too_many, 1);
    assert_int_equal(busy_slots(&r), 0);
}

static void check_slots(const struct ip_reasm *r, size_t limit)
{
    for (int i = 0; i < IP_REASM_SLOTS; i++) {
        const struct ip_reasm_slot *s = &r->slot[i];
        uint32_t sum = 0;

        if (s->state != IP_REASM_BUSY)
            continue;
        assert_true(s->nfrags >= 1 && s->nfrags <= IP_REASM_MAX_FRAGS);
        for (unsigned a = 0; a < s->nfrags; a++) {
            assert_true(s->fstart[a] < s->fend[a]);
            assert_true(s->fend[a] <= limit);
            if (s->total)
                assert_true(s->fend[a] <= s->total);
            sum += (uint32_t)(s->fend[a] - s->fstart[a]);
            for (unsigned b = a + 1; b < s->nfrags; b++)
                assert_true(s->fend[a] <= s->fstart[b] || s->fend[b] <= s->fstart[a]);
        }
        assert_int_equal(sum, s->have);
        if (s->total)
            assert_true(s->have < s->total);
    }
}

/* Fragments on a 64-byte grid (so datagrams do complete now and then),
 * of one or two cells, overlapping, duplicated, misaligned, too far,
 * for six datagrams at once, with time running and releases at random. */
static unsigned storm(struct ip_reasm *r, size_t limit, uint32_t cells, int iterations)
{
    uint64_t now = 0;
    unsigned completed = 0;

    for (int it = 0; it < iterations; it++) {
        struct key k = key_id((uint16_t)(rng() % 6));
        uint32_t off = (uint32_t)(rng() % cells) * 64;
        bool mf = rng() % 6 != 0;
        size_t len = mf ? (size_t)(1 + rng() % 2) * 64 : (size_t)(1 + rng() % 64);
        struct ip_reasm_result out;
        struct ip_reasm_expired ev;
        int err;

        if (rng() % 32 == 0)
            len = (size_t)(rng() % 9);          /* misaligned, tiny or empty */
        if (rng() % 32 == 0)
            off += 8;                           /* off the grid */
        now += rng() % 256 == 0 ? 31 * S : rng() % (S / 2);
        err = feed(r, &k, off, len, mf, now, &out);
        assert_true(err == IP_REASM_HELD || err == IP_REASM_COMPLETE || err == AE_ERR_INVAL ||
                    err == AE_ERR_RANGE || err == AE_ERR_NOMEM || err == AE_ERR_BUSY);
        if (err == IP_REASM_COMPLETE) {
            /* Whatever the order and the drops, a completed datagram holds
             * exactly what was sent. */
            assert_true(out.len <= limit);
            check_done(&out, &k, out.len);
            completed++;
        }
        for (int i = 0; i < IP_REASM_SLOTS; i++)
            if (r->slot[i].state == IP_REASM_DONE && rng() % 3 == 0)
                ip_reasm_release(r, (unsigned)i);
        while (ip_reasm_tick(r, now, &ev))
            assert_true(ev.quote_len == 0 || ev.quote_len == 28);
        check_slots(r, limit);
    }
    return completed;
}

static void FRAG0012_random_fragment_storm(void **state)
{
    static uint8_t small[IP_REASM_SLOTS * 1024];
    struct ip_reasm r;
    unsigned n;

    (void)state;
    rng_state = 0x5eed;
    ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
    n = storm(&r, IP_REASM_MAX_PAYLOAD, 6, 30000);
    assert_true(n > 50);
    assert_true(r.stats.overlaps > 0 && r.stats.duplicates > 0 && r.stats.bad_end > 0);
    assert_true(r.stats.timeouts > 0 && r.stats.evicted > 0 && r.stats.malformed > 0);
    ip_reasm_init(&r, small, 1024, 3 * S);
    n = storm(&r, 1024, 20, 30000);
    assert_true(n > 0);                 /* 1024 bytes: 16 cells, complete ones are rarer */
    assert_true(r.stats.oversize > 0 && r.stats.timeouts > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(FRAG0001_two_fragments_in_order),
        cmocka_unit_test(FRAG0002_any_arrival_order),
        cmocka_unit_test(FRAG0003_exact_duplicates_ignored),
        cmocka_unit_test(FRAG0004_overlaps_drop_the_datagram),
        cmocka_unit_test(FRAG0005_oversize_refused),
        cmocka_unit_test(FRAG0006_misaligned_empty_and_whole_refused),
        cmocka_unit_test(FRAG0007_inconsistent_last_fragment),
        cmocka_unit_test(FRAG0008_timeout_at_exact_boundary),
        cmocka_unit_test(FRAG0009_all_slots_busy),
        cmocka_unit_test(FRAG0010_key_fields_keep_datagrams_apart),
        cmocka_unit_test(FRAG0011_fragment_count_limit),
        cmocka_unit_test(FRAG0012_random_fragment_storm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
