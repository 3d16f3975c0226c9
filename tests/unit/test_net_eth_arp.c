/*
 * Unit tests for user/lib/net/eth.c, arp.c and arp_cache.c: Ethernet II
 * parsing and building, MAC helpers, ARP packets for IPv4 over Ethernet
 * (real-looking slirp frames, every truncation, refused variants), and the
 * ARP cache: RFC 826's merge rule, answering requests, resolution with
 * retries and expiry checked at exact nanosecond boundaries, replacement
 * when full, conflicts, and random corruption that must never crash.
 */
#include "unit.h"

#include "net/arp.h"
#include "net/arp_cache.h"
#include "net/eth.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

#define S 1000000000ull

static const uint8_t my_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t gw_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
static const uint32_t my_ip = NET_IP4(10, 0, 2, 15);
static const uint32_t gw_ip = NET_IP4(10, 0, 2, 2);

/* QEMU slirp asking who has 10.0.2.15: a broadcast ARP request padded to
 * the 60-byte minimum. */
static const uint8_t slirp_arp_frame[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,             /* Ethernet, IPv4, 6, 4, request */
    0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 10, 0, 2, 2,            /* sender */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 2, 15,           /* target */
};

static void ETH0001_parse_real_frame(void **state)
{
    struct eth_frame f;

    (void)state;
    assert_int_equal(eth_parse(slirp_arp_frame, sizeof(slirp_arp_frame), &f), AE_OK);
    assert_memory_equal(f.dst, eth_broadcast_mac, 6);
    assert_memory_equal(f.src, gw_mac, 6);
    assert_int_equal(f.type, ETH_TYPE_ARP);
    assert_ptr_equal(f.payload, slirp_arp_frame + 14);
    assert_int_equal(f.payload_len, 46);        /* 28 of ARP, 18 of padding */
}

static void ETH0002_short_and_unsupported_frames_refused(void **state)
{
    uint8_t fr[60];
    struct eth_frame f;

    (void)state;
    for (size_t len = 0; len < ETH_HDR_LEN; len++) {
        /* A heap copy of exactly len bytes: ASan catches any read past it. */
        uint8_t *p = malloc(len ? len : 1);

        memcpy(p, slirp_arp_frame, len);
        assert_int_equal(eth_parse(p, len, &f), AE_ERR_INVAL);
        free(p);
    }
    assert_int_equal(eth_parse(slirp_arp_frame, 14, &f), AE_OK);
    assert_int_equal(f.payload_len, 0);

    memcpy(fr, slirp_arp_frame, sizeof(fr));
    net_put16(fr + 12, 46);                     /* 802.3 length field */
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_UNSUPPORTED);
    net_put16(fr + 12, 0x05ff);
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_UNSUPPORTED);
    net_put16(fr + 12, 0x0600);
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_OK);
    net_put16(fr + 12, ETH_TYPE_VLAN);
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_UNSUPPORTED);
    net_put16(fr + 12, ETH_TYPE_QINQ);
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_UNSUPPORTED);

    memcpy(fr, slirp_arp_frame, sizeof(fr));
    fr[6] |= 1;                                 /* multicast source */
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_INVAL);
    memset(fr + 6, 0xff, 6);                    /* broadcast source */
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_INVAL);
    memset(fr + 6, 0, 6);                       /* zero source */
    assert_int_equal(eth_parse(fr, sizeof(fr), &f), AE_ERR_INVAL);
}

static void ETH0003_build_pad_and_parse_back(void **state)
{
    uint8_t buf[64];
    struct eth_frame f;
    size_t len;

    (void)state;
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(eth_build(buf, 13, gw_mac, my_mac, ETH_TYPE_IPV4), AE_ERR_TRUNCATED);
    assert_int_equal(buf[0], 0xaa);
    assert_int_equal(eth_build(buf, sizeof(buf), gw_mac, my_mac, ETH_TYPE_IPV4), ETH_HDR_LEN);
    assert_memory_equal(buf, gw_mac, 6);
    assert_memory_equal(buf + 6, my_mac, 6);
    assert_int_equal(buf[12], 0x08);
    assert_int_equal(buf[13], 0x00);
    memcpy(buf + 14, "hi", 2);
    len = eth_pad(buf, 16, sizeof(buf));
    assert_int_equal(len, ETH_MIN_FRAME);
    for (size_t i = 16; i < 60; i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(buf[60], 0xaa);            /* nothing past the minimum */
    assert_int_equal(eth_pad(buf, 100, sizeof(buf)), 100);
    assert_int_equal(eth_pad(buf, 20, 30), 30); /* capped by cap */
    assert_int_equal(eth_parse(buf, len, &f), AE_OK);
    assert_memory_equal(f.dst, gw_mac, 6);
    assert_memory_equal(f.src, my_mac, 6);
    assert_int_equal(f.type, ETH_TYPE_IPV4);
    assert_int_equal(f.payload_len, 46);
}

static void ETH0004_mac_helpers(void **state)
{
    const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    const uint8_t zero[6] = {0};
    const uint8_t odd[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    char s[ETH_MAC_STR_LEN + 2];

    (void)state;
    assert_true(eth_mac_is_broadcast(eth_broadcast_mac));
    assert_false(eth_mac_is_broadcast(mc));
    assert_true(eth_mac_is_multicast(mc));
    assert_true(eth_mac_is_multicast(eth_broadcast_mac));
    assert_false(eth_mac_is_multicast(my_mac));
    assert_true(eth_mac_is_zero(zero));
    assert_false(eth_mac_is_zero(odd));
    assert_true(eth_mac_equal(my_mac, my_mac));
    assert_false(eth_mac_equal(my_mac, gw_mac));

    memset(s, 'x', sizeof(s));
    assert_int_equal(eth_mac_format(odd, s, ETH_MAC_STR_LEN - 1), AE_ERR_TRUNCATED);
    assert_int_equal(s[0], 'x');
    assert_int_equal(eth_mac_format(odd, s, ETH_MAC_STR_LEN), 17);
    assert_string_equal(s, "02:00:00:00:00:01");
    assert_int_equal(s[18], 'x');
    assert_int_equal(eth_mac_format(gw_mac, s, sizeof(s)), 17);
    assert_string_equal(s, "52:55:0a:00:02:02");
    assert_int_equal(eth_mac_format(eth_broadcast_mac, s, sizeof(s)), 17);
    assert_string_equal(s, "ff:ff:ff:ff:ff:ff");
}

static void ETH0005_random_frames_never_crash(void **state)
{
    (void)state;
    rng_state = 0xe7;
    for (int it = 0; it < 20000; it++) {
        size_t len = rng() % 80;
        uint8_t *p = malloc(len ? len : 1);
        struct eth_frame f;

        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)rng();
        if (len > 13 && (rng() & 1))
            net_put16(p + 12, rng() & 1 ? ETH_TYPE_ARP : ETH_TYPE_IPV4);
        if (eth_parse(p, len, &f) == AE_OK) {
            assert_true(len >= ETH_HDR_LEN);
            assert_ptr_equal(f.payload + f.payload_len, p + len);
            assert_true(f.type >= 0x0600);
            assert_false(eth_mac_is_multicast(f.src));
        }
        free(p);
    }
}

/* ---- ARP packets ---- */

static void ARP0001_parse_real_request(void **state)
{
    struct arp_pkt a;

    (void)state;
    assert_int_equal(arp_parse(slirp_arp_frame + 14, 46, &a), AE_OK);
    assert_int_equal(a.op, ARP_OP_REQUEST);
    assert_memory_equal(a.sha, gw_mac, 6);
    assert_int_equal(a.spa, gw_ip);
    assert_true(eth_mac_is_zero(a.tha));
    assert_int_equal(a.tpa, my_ip);
}

static void ARP0002_truncations_and_variants_refused(void **state)
{
    const uint8_t *good = slirp_arp_frame + 14;
    uint8_t p[28];
    struct arp_pkt a;

    (void)state;
    for (size_t len = 0; len < ARP_PKT_LEN; len++) {
        uint8_t *h = malloc(len ? len : 1);

        memcpy(h, good, len);
        assert_int_equal(arp_parse(h, len, &a), AE_ERR_INVAL);
        free(h);
    }
    assert_int_equal(arp_parse(good, 28, &a), AE_OK);

#define VARIANT(off, val, want)                                 \
    do {                                                        \
        memcpy(p, good, 28);                                    \
        p[off] = (val);                                         \
        assert_int_equal(arp_parse(p, 28, &a), (want));         \
    } while (0)
    VARIANT(1, 6, AE_ERR_UNSUPPORTED);          /* IEEE 802 hardware */
    VARIANT(0, 1, AE_ERR_UNSUPPORTED);          /* htype 0x0101 */
    VARIANT(2, 0x86, AE_ERR_UNSUPPORTED);       /* protocol 0x8600 */
    VARIANT(3, 0x06, AE_ERR_UNSUPPORTED);       /* protocol 0x0806 */
    VARIANT(4, 8, AE_ERR_INVAL);                /* hlen */
    VARIANT(4, 0, AE_ERR_INVAL);
    VARIANT(5, 16, AE_ERR_INVAL);               /* plen */
    VARIANT(7, 0, AE_ERR_UNSUPPORTED);          /* op 0 */
    VARIANT(7, 3, AE_ERR_UNSUPPORTED);          /* RARP request */
    VARIANT(7, 8, AE_ERR_UNSUPPORTED);          /* InARP */
    VARIANT(6, 1, AE_ERR_UNSUPPORTED);          /* op 0x0101 */
    VARIANT(8, 0x01, AE_ERR_INVAL);             /* multicast sender MAC */
    VARIANT(7, 2, AE_OK);                       /* a reply parses */
#undef VARIANT
    memcpy(p, good, 28);
    memset(p + 8, 0, 6);                        /* zero sender MAC */
    assert_int_equal(arp_parse(p, 28, &a), AE_ERR_INVAL);
}

static void ARP0003_build_round_trip(void **state)
{
    struct arp_pkt req = {.op = ARP_OP_REQUEST, .spa = my_ip, .tpa = gw_ip}, back;
    uint8_t buf[40];

    (void)state;
    memcpy(req.sha, my_mac, 6);
    memset(buf, 0xcc, sizeof(buf));
    assert_int_equal(arp_build(buf, 27, &req), AE_ERR_TRUNCATED);
    assert_int_equal(buf[0], 0xcc);
    assert_int_equal(arp_build(buf, sizeof(buf), &req), ARP_PKT_LEN);
    assert_int_equal(buf[28], 0xcc);
    /* Byte for byte what the wire format says. */
    assert_memory_equal(buf, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
    assert_memory_equal(buf + 8, my_mac, 6);
    assert_memory_equal(buf + 14, "\x0a\x00\x02\x0f", 4);
    assert_memory_equal(buf + 18, "\0\0\0\0\0\0", 6);
    assert_memory_equal(buf + 24, "\x0a\x00\x02\x02", 4);
    assert_int_equal(arp_parse(buf, ARP_PKT_LEN, &back), AE_OK);
    assert_int_equal(back.op, req.op);
    assert_memory_equal(back.sha, req.sha, 6);
    assert_int_equal(back.spa, req.spa);
    assert_memory_equal(back.tha, req.tha, 6);
    assert_int_equal(back.tpa, req.tpa);
    req.op = 3;
    assert_int_equal(arp_build(buf, sizeof(buf), &req), AE_ERR_INVAL);
}

/* ---- ARP cache ---- */

/* An ARP packet from mac/ip, op, aimed at tpa. */
static void mk_arp(uint8_t out[28], uint16_t op, const uint8_t sha[6], uint32_t spa,
                   uint32_t tpa)
{
    struct arp_pkt a = {.op = op, .spa = spa, .tpa = tpa};

    memcpy(a.sha, sha, 6);
    if (op == ARP_OP_REPLY)
        memcpy(a.tha, my_mac, 6);
    assert_int_equal(arp_build(out, 28, &a), 28);
}

static void mac_of(uint8_t mac[6], unsigned n)
{
    mac[0] = 0x02;
    mac[1] = 0;
    net_put32(mac + 2, n);
}

static void ARP0004_request_for_us_answered_and_learned(void **state)
{
    struct arp_cache c;
    struct arp_input_result r;
    uint8_t reply[64], mac[6];
    struct arp_pkt rp;

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    assert_int_equal(c.ttl_ns, ARP_TTL_NS);
    assert_int_equal(c.retry_ns, ARP_RETRY_NS);
    assert_int_equal(c.max_tries, ARP_MAX_TRIES);
    memset(reply, 0xee, sizeof(reply));
    assert_int_equal(arp_input(&c, my_ip, my_mac, slirp_arp_frame + 14, 46, 5 * S, reply,
                               sizeof(reply), &r), AE_OK);
    assert_true(r.reply);
    assert_memory_equal(r.reply_dst, gw_mac, 6);
    assert_false(r.resolved);
    assert_false(r.conflict);
    assert_int_equal(arp_parse(reply, ARP_PKT_LEN, &rp), AE_OK);
    assert_int_equal(rp.op, ARP_OP_REPLY);
    assert_memory_equal(rp.sha, my_mac, 6);
    assert_int_equal(rp.spa, my_ip);
    assert_memory_equal(rp.tha, gw_mac, 6);
    assert_int_equal(rp.tpa, gw_ip);
    assert_int_equal(reply[28], 0xee);
    /* The requester was learned (it was aimed at us). */
    assert_int_equal(arp_lookup(&c, gw_ip, 6 * S, mac), ARP_FOUND);
    assert_memory_equal(mac, gw_mac, 6);
    assert_int_equal(c.stats.learned, 1);

    /* A request for another host: no reply, sender not learned. */
    {
        uint8_t p[28], other[6];

        mac_of(other, 7);
        mk_arp(p, ARP_OP_REQUEST, other, NET_IP4(10, 0, 2, 7), NET_IP4(10, 0, 2, 8));
        assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 6 * S, reply, sizeof(reply), &r),
                         AE_OK);
        assert_false(r.reply);
        assert_null(arp_cache_find(&c, NET_IP4(10, 0, 2, 7)));
        /* Unconfigured (my_ip 0): nothing is ours, nothing answered. */
        mk_arp(p, ARP_OP_REQUEST, other, NET_IP4(10, 0, 2, 7), 0);
        assert_int_equal(arp_input(&c, 0, my_mac, p, 28, 6 * S, reply, sizeof(reply), &r),
                         AE_OK);
        assert_false(r.reply);
        assert_null(arp_cache_find(&c, NET_IP4(10, 0, 2, 7)));
    }
    /* A reply aimed at us is learned too; no reply to a reply. */
    {
        uint8_t p[28], other[6];

        mac_of(other, 9);
        mk_arp(p, ARP_OP_REPLY, other, NET_IP4(10, 0, 2, 9), my_ip);
        assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 6 * S, reply, sizeof(reply), &r),
                         AE_OK);
        assert_false(r.reply);
        assert_int_equal(arp_lookup(&c, NET_IP4(10, 0, 2, 9), 6 * S, mac), ARP_FOUND);
        assert_memory_equal(mac, other, 6);
    }
}

static void ARP0005_merge_rule_updates_known_senders(void **state)
{
    struct arp_cache c;
    struct arp_input_result r;
    uint8_t p[28], reply[28], mac[6], newmac[6];

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    mk_arp(p, ARP_OP_REQUEST, gw_mac, gw_ip, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1 * S, reply, sizeof(reply), &r), AE_OK);
    /* Gratuitous ARP from the gateway with a new MAC, aimed at itself:
     * not for us, but the sender is known, so the entry is updated and
     * its lifetime restarts. */
    mac_of(newmac, 0x4242);
    mk_arp(p, ARP_OP_REQUEST, newmac, gw_ip, gw_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 50 * S, reply, sizeof(reply), &r),
                     AE_OK);
    assert_false(r.reply);
    assert_false(r.resolved);                   /* it was resolved already */
    assert_int_equal(arp_lookup(&c, gw_ip, 50 * S + ARP_TTL_NS - 1, mac), ARP_FOUND);
    assert_memory_equal(mac, newmac, 6);
    assert_int_equal(arp_cache_find(&c, gw_ip)->deadline_ns, 50 * S + ARP_TTL_NS);
    assert_int_equal(c.stats.learned, 1);
}

static void ARP0006_resolution_answers_waiting_packets(void **state)
{
    struct arp_cache c;
    struct arp_input_result r;
    uint8_t p[28], reply[28], mac[6];

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    assert_int_equal(arp_next_deadline(&c), UINT64_MAX);
    assert_int_equal(arp_lookup(&c, gw_ip, 100, mac), ARP_SEND_REQUEST);
    assert_int_equal(arp_lookup(&c, gw_ip, 200, mac), ARP_WAITING);
    assert_int_equal(arp_lookup(&c, gw_ip, 100 + S - 1, mac), ARP_WAITING);
    assert_int_equal(arp_cache_find(&c, gw_ip)->state, ARP_ENTRY_INCOMPLETE);
    /* The reply is aimed at us; even an unrelated packet from gw would do. */
    mk_arp(p, ARP_OP_REPLY, gw_mac, gw_ip, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 500, reply, sizeof(reply), &r), AE_OK);
    assert_true(r.resolved);
    assert_int_equal(r.resolved_ip, gw_ip);
    assert_memory_equal(r.resolved_mac, gw_mac, 6);
    assert_false(r.reply);
    assert_int_equal(arp_lookup(&c, gw_ip, 600, mac), ARP_FOUND);
    assert_memory_equal(mac, gw_mac, 6);
    assert_int_equal(c.stats.resolved, 1);
    assert_int_equal(arp_next_deadline(&c), 500 + ARP_TTL_NS);
    /* A second reply only refreshes: no second "resolved". */
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 700, reply, sizeof(reply), &r), AE_OK);
    assert_false(r.resolved);
}

static void ARP0007_retries_at_exact_boundaries(void **state)
{
    struct arp_cache c;
    struct arp_tick_event ev;
    uint8_t mac[6];
    const uint64_t t0 = 1234567891ull;

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    assert_int_equal(arp_lookup(&c, gw_ip, t0, mac), ARP_SEND_REQUEST);      /* request 1 */
    assert_int_equal(arp_next_deadline(&c), t0 + S);
    assert_false(arp_tick(&c, t0 + S - 1, &ev));
    assert_true(arp_tick(&c, t0 + S, &ev));                                 /* request 2 */
    assert_int_equal(ev.kind, ARP_TICK_RESEND);
    assert_int_equal(ev.ip, gw_ip);
    assert_false(arp_tick(&c, t0 + S, &ev));
    assert_int_equal(arp_next_deadline(&c), t0 + 2 * S);
    assert_false(arp_tick(&c, t0 + 2 * S - 1, &ev));
    assert_true(arp_tick(&c, t0 + 2 * S, &ev));                             /* request 3 */
    assert_int_equal(ev.kind, ARP_TICK_RESEND);
    assert_int_equal(arp_cache_find(&c, gw_ip)->tries, 3);
    assert_false(arp_tick(&c, t0 + 3 * S - 1, &ev));
    assert_int_equal(arp_lookup(&c, gw_ip, t0 + 3 * S - 1, mac), ARP_WAITING);
    assert_true(arp_tick(&c, t0 + 3 * S, &ev));                             /* give up */
    assert_int_equal(ev.kind, ARP_TICK_FAILED);
    assert_int_equal(ev.ip, gw_ip);
    assert_false(arp_tick(&c, t0 + 3 * S, &ev));
    assert_null(arp_cache_find(&c, gw_ip));
    assert_int_equal(c.stats.failed, 1);
    assert_int_equal(arp_next_deadline(&c), UINT64_MAX);
    /* A new packet starts over. */
    assert_int_equal(arp_lookup(&c, gw_ip, t0 + 4 * S, mac), ARP_SEND_REQUEST);

    /* A late tick retries from now, not from the missed deadline. */
    arp_cache_init(&c, 0, 250000000ull, 5);
    assert_int_equal(arp_lookup(&c, gw_ip, 0, mac), ARP_SEND_REQUEST);
    assert_true(arp_tick(&c, 10 * S, &ev));
    assert_int_equal(ev.kind, ARP_TICK_RESEND);
    assert_false(arp_tick(&c, 10 * S, &ev));
    assert_int_equal(arp_next_deadline(&c), 10 * S + 250000000ull);
    for (int i = 3; i <= 5; i++) {
        assert_true(arp_tick(&c, 10 * S + (uint64_t)(i - 2) * 250000000ull, &ev));
        assert_int_equal(ev.kind, ARP_TICK_RESEND);
    }
    assert_false(arp_tick(&c, 10 * S + 1000000000ull - 1, &ev));
    assert_true(arp_tick(&c, 10 * S + 1000000000ull, &ev));
    assert_int_equal(ev.kind, ARP_TICK_FAILED);

    /* Several due entries come out one per call. */
    arp_cache_init(&c, 0, 0, 1);
    for (unsigned i = 1; i <= 3; i++)
        assert_int_equal(arp_lookup(&c, NET_IP4(10, 0, 2, 100 + i), 0, mac), ARP_SEND_REQUEST);
    for (int i = 0; i < 3; i++) {
        assert_true(arp_tick(&c, S, &ev));
        assert_int_equal(ev.kind, ARP_TICK_FAILED);
    }
    assert_false(arp_tick(&c, S, &ev));
}

static void ARP0008_expiry_at_exact_boundaries(void **state)
{
    struct arp_cache c;
    struct arp_input_result r;
    struct arp_tick_event ev;
    uint8_t p[28], reply[28], mac[6];
    const uint64_t t1 = 777;
    const uint64_t ttl = 5 * S + 3;

    (void)state;
    arp_cache_init(&c, ttl, 0, 0);
    mk_arp(p, ARP_OP_REQUEST, gw_mac, gw_ip, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, t1, reply, sizeof(reply), &r), AE_OK);
    assert_int_equal(arp_next_deadline(&c), t1 + ttl);
    assert_int_equal(arp_lookup(&c, gw_ip, t1 + ttl - 1, mac), ARP_FOUND);
    assert_false(arp_tick(&c, t1 + ttl - 1, &ev));
    assert_non_null(arp_cache_find(&c, gw_ip));
    /* Exactly at the deadline the entry is gone for a lookup... */
    assert_int_equal(arp_lookup(&c, gw_ip, t1 + ttl, mac), ARP_SEND_REQUEST);
    assert_int_equal(arp_cache_find(&c, gw_ip)->state, ARP_ENTRY_INCOMPLETE);

    /* ...and for a tick, which frees it silently. */
    arp_cache_init(&c, ttl, 0, 0);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, t1, reply, sizeof(reply), &r), AE_OK);
    assert_false(arp_tick(&c, t1 + ttl, &ev));
    assert_null(arp_cache_find(&c, gw_ip));
    assert_int_equal(c.stats.expired, 1);

    /* A confirmation restarts the lifetime. */
    arp_cache_init(&c, ttl, 0, 0);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, t1, reply, sizeof(reply), &r), AE_OK);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, t1 + 4 * S, reply, sizeof(reply), &r),
                     AE_OK);
    assert_int_equal(arp_lookup(&c, gw_ip, t1 + 4 * S + ttl - 1, mac), ARP_FOUND);
    assert_int_equal(arp_lookup(&c, gw_ip, t1 + 4 * S + ttl, mac), ARP_SEND_REQUEST);
}

static void ARP0009_full_table_replaces_oldest_resolved(void **state)
{
    struct arp_cache c;
    struct arp_input_result r;
    uint8_t p[28], reply[28], mac[6], m[6];

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    /* 32 resolved entries, learned at t = 1..32 s; entry 1 is confirmed
     * again later, so entry 2 is the one confirmed longest ago. */
    for (unsigned i = 1; i <= ARP_CACHE_SIZE; i++) {
        mac_of(m, i);
        mk_arp(p, ARP_OP_REQUEST, m, NET_IP4(10, 0, 3, i), my_ip);
        assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, i * S, reply, sizeof(reply), &r),
                         AE_OK);
    }
    mac_of(m, 1);
    mk_arp(p, ARP_OP_REQUEST, m, NET_IP4(10, 0, 3, 1), my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 40 * S, reply, sizeof(reply), &r), AE_OK);
    assert_int_equal(c.stats.learned, ARP_CACHE_SIZE);
    assert_int_equal(arp_lookup(&c, gw_ip, 41 * S, mac), ARP_SEND_REQUEST);
    assert_int_equal(c.stats.replaced, 1);
    assert_null(arp_cache_find(&c, NET_IP4(10, 0, 3, 2)));      /* the oldest went */
    assert_non_null(arp_cache_find(&c, NET_IP4(10, 0, 3, 1)));  /* refreshed, kept */
    for (unsigned i = 3; i <= ARP_CACHE_SIZE; i++)
        assert_non_null(arp_cache_find(&c, NET_IP4(10, 0, 3, i)));
    /* Learning also replaces the oldest (now entry 3). */
    mac_of(m, 99);
    mk_arp(p, ARP_OP_REQUEST, m, NET_IP4(10, 0, 4, 99), my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 42 * S, reply, sizeof(reply), &r), AE_OK);
    assert_null(arp_cache_find(&c, NET_IP4(10, 0, 3, 3)));
    assert_non_null(arp_cache_find(&c, NET_IP4(10, 0, 4, 99)));
    assert_non_null(arp_cache_find(&c, gw_ip));                 /* incomplete: kept */

    /* A table full of incomplete entries refuses new lookups and learns
     * nothing, but still answers. */
    arp_cache_init(&c, 0, 0, 0);
    for (unsigned i = 1; i <= ARP_CACHE_SIZE; i++)
        assert_int_equal(arp_lookup(&c, NET_IP4(10, 0, 5, i), i, mac), ARP_SEND_REQUEST);
    assert_int_equal(arp_lookup(&c, NET_IP4(10, 0, 6, 1), 100, mac), AE_ERR_BUSY);
    assert_int_equal(c.stats.table_full, 1);
    mk_arp(p, ARP_OP_REQUEST, gw_mac, gw_ip, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 200, reply, sizeof(reply), &r), AE_OK);
    assert_true(r.reply);
    assert_null(arp_cache_find(&c, gw_ip));
    assert_int_equal(c.stats.table_full, 2);
    for (unsigned i = 1; i <= ARP_CACHE_SIZE; i++)
        assert_int_equal(arp_cache_find(&c, NET_IP4(10, 0, 5, i))->state, ARP_ENTRY_INCOMPLETE);
}

static void ARP0010_bad_addresses_probes_and_conflicts(void **state)
{
    struct arp_cache c, before;
    struct arp_input_result r;
    uint8_t p[28], reply[28], mac[6], other[6];
    struct arp_pkt rp;

    (void)state;
    arp_cache_init(&c, 0, 0, 0);
    assert_int_equal(arp_lookup(&c, 0, 1, mac), AE_ERR_INVAL);
    assert_int_equal(arp_lookup(&c, IPV4_BROADCAST, 1, mac), AE_ERR_INVAL);
    assert_int_equal(arp_lookup(&c, NET_IP4(224, 0, 0, 1), 1, mac), AE_ERR_INVAL);
    assert_int_equal(arp_lookup(&c, NET_IP4(240, 0, 0, 1), 1, mac), AE_ERR_INVAL);
    assert_int_equal(arp_lookup(&c, NET_IP4(127, 0, 0, 1), 1, mac), AE_ERR_INVAL);
    assert_int_equal(arp_next_deadline(&c), UINT64_MAX);

    /* RFC 5227 probe (sender 0.0.0.0) for our address: answered, not learned. */
    mac_of(other, 5);
    mk_arp(p, ARP_OP_REQUEST, other, 0, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, sizeof(reply), &r), AE_OK);
    assert_true(r.reply);
    assert_int_equal(arp_parse(reply, 28, &rp), AE_OK);
    assert_int_equal(rp.tpa, 0);
    assert_memory_equal(rp.tha, other, 6);
    assert_null(arp_cache_find(&c, 0));
    /* Non-unicast senders are never learned. */
    mk_arp(p, ARP_OP_REQUEST, other, IPV4_BROADCAST, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, sizeof(reply), &r), AE_OK);
    mk_arp(p, ARP_OP_REQUEST, other, NET_IP4(224, 1, 2, 3), my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, sizeof(reply), &r), AE_OK);
    assert_int_equal(arp_next_deadline(&c), UINT64_MAX);

    /* Someone else using our address. */
    mk_arp(p, ARP_OP_REQUEST, other, my_ip, gw_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, sizeof(reply), &r), AE_OK);
    assert_true(r.conflict);
    assert_memory_equal(r.conflict_mac, other, 6);
    assert_false(r.reply);
    assert_null(arp_cache_find(&c, my_ip));
    assert_int_equal(c.stats.conflicts, 1);
    /* Our own announcement looped back is no conflict. */
    mk_arp(p, ARP_OP_REQUEST, my_mac, my_ip, my_ip);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, sizeof(reply), &r), AE_OK);
    assert_false(r.conflict);
    assert_false(r.reply);

    /* No room for the reply: refused, cache untouched. */
    mk_arp(p, ARP_OP_REQUEST, gw_mac, gw_ip, my_ip);
    memcpy(&before, &c, sizeof(c));
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, reply, 27, &r), AE_ERR_TRUNCATED);
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 28, 1, NULL, 0, &r), AE_ERR_TRUNCATED);
    assert_memory_equal(&before, &c, sizeof(c));
    /* A malformed packet changes nothing either. */
    assert_int_equal(arp_input(&c, my_ip, my_mac, p, 27, 1, reply, 28, &r), AE_ERR_INVAL);
    assert_memory_equal(&before, &c, sizeof(c));
}

static void ARP0011_random_corruption_never_crashes(void **state)
{
    struct arp_cache c;
    uint8_t reply[28];

    (void)state;
    rng_state = 0xa59;
    arp_cache_init(&c, 3 * S, S / 2, 2);
    for (int it = 0; it < 50000; it++) {
        uint8_t base[28], *p;
        size_t len = rng() % 40;
        struct arp_input_result r;
        struct arp_tick_event ev;
        uint8_t m[6];
        uint64_t now = (uint64_t)it * (S / 100);

        mac_of(m, (uint32_t)(rng() % 50));
        mk_arp(base, rng() & 1 ? ARP_OP_REQUEST : ARP_OP_REPLY, m,
               NET_IP4(10, 0, 2, rng() % 64), rng() & 1 ? my_ip : NET_IP4(10, 0, 2, rng() % 64));
        p = malloc(len ? len : 1);
        for (size_t i = 0; i < len; i++)
            p[i] = i < 28 ? base[i] : (uint8_t)rng();
        for (int k = rng() % 4; k > 0 && len; k--)
            p[rng() % len] ^= (uint8_t)(1u << (rng() % 8));
        (void)arp_input(&c, my_ip, my_mac, p, len, now, reply, sizeof(reply), &r);
        free(p);
        if (rng() % 8 == 0)
            (void)arp_lookup(&c, NET_IP4(10, 0, 2, 16 + rng() % 48), now, m);
        while (arp_tick(&c, now, &ev))
            assert_true(ev.kind == ARP_TICK_RESEND || ev.kind == ARP_TICK_FAILED);
        for (int i = 0; i < ARP_CACHE_SIZE; i++) {
            const struct arp_entry *e = &c.e[i];

            if (e->state == ARP_ENTRY_FREE)
                continue;
            assert_true(ipv4_is_unicast(e->ip));
            assert_true(e->ip != my_ip);
            if (e->state == ARP_ENTRY_RESOLVED) {
                assert_false(eth_mac_is_multicast(e->mac));
                assert_false(eth_mac_is_zero(e->mac));
            }
            for (int j = i + 1; j < ARP_CACHE_SIZE; j++)
                assert_true(c.e[j].state == ARP_ENTRY_FREE || c.e[j].ip != e->ip);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ETH0001_parse_real_frame),
        cmocka_unit_test(ETH0002_short_and_unsupported_frames_refused),
        cmocka_unit_test(ETH0003_build_pad_and_parse_back),
        cmocka_unit_test(ETH0004_mac_helpers),
        cmocka_unit_test(ETH0005_random_frames_never_crash),
        cmocka_unit_test(ARP0001_parse_real_request),
        cmocka_unit_test(ARP0002_truncations_and_variants_refused),
        cmocka_unit_test(ARP0003_build_round_trip),
        cmocka_unit_test(ARP0004_request_for_us_answered_and_learned),
        cmocka_unit_test(ARP0005_merge_rule_updates_known_senders),
        cmocka_unit_test(ARP0006_resolution_answers_waiting_packets),
        cmocka_unit_test(ARP0007_retries_at_exact_boundaries),
        cmocka_unit_test(ARP0008_expiry_at_exact_boundaries),
        cmocka_unit_test(ARP0009_full_table_replaces_oldest_resolved),
        cmocka_unit_test(ARP0010_bad_addresses_probes_and_conflicts),
        cmocka_unit_test(ARP0011_random_corruption_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
