/*
 * Unit tests for user/lib/net/ipv4.c and ipv4_addr.c: header parsing of a
 * real datagram, Ethernet padding trimmed, every truncation, total length
 * larger and smaller than the frame, IHL below 5 and past the data,
 * version, checksum, options (well formed and running past the header),
 * source address checks, fragment fields, build -> parse round trips and
 * build limits, the address helpers (for-us, broadcasts, next hop, masks,
 * formatting), and random corruption loops that must never crash.
 */
#include "unit.h"

#include "net/inet_csum.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

/* The classic worked example of the header checksum (0xb861): UDP,
 * 192.168.0.1 -> 192.168.0.199, total length 0x73, DF, TTL 64. */
static const uint8_t wiki_hdr[20] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

/* The example header followed by its 95 payload bytes. */
static void mk_wiki(uint8_t pkt[0x73])
{
    memcpy(pkt, wiki_hdr, 20);
    for (int i = 20; i < 0x73; i++)
        pkt[i] = (uint8_t)(i * 7);
}

/* Recomputes the checksum of the header at p (its IHL), independently of
 * the library: a plain sum of 16-bit words. */
static void fix_csum(uint8_t *p)
{
    size_t hlen = (size_t)(p[0] & 15) * 4;
    uint32_t s = 0;

    p[10] = p[11] = 0;
    for (size_t i = 0; i < hlen; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    net_put16(p + 10, (uint16_t)~s);
}

/* Parses exactly len bytes from a heap copy, so ASan sees any overread. */
static int parse_copy(const uint8_t *src, size_t len, struct ipv4_hdr *h)
{
    uint8_t *p = malloc(len ? len : 1);
    int err;

    memcpy(p, src, len);
    err = ipv4_parse(p, len, h);
    free(p);
    return err;
}

static void IP40001_parse_real_header(void **state)
{
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    mk_wiki(pkt);
    assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &h), AE_OK);
    assert_ptr_equal(h.hdr, pkt);
    assert_int_equal(h.hdr_len, 20);
    assert_ptr_equal(h.payload, pkt + 20);
    assert_int_equal(h.payload_len, 0x73 - 20);
    assert_int_equal(h.total_len, 0x73);
    assert_int_equal(h.id, 0);
    assert_true(h.df);
    assert_false(h.mf);
    assert_int_equal(h.frag_off, 0);
    assert_false(ipv4_is_fragment(&h));
    assert_int_equal(h.tos, 0);
    assert_int_equal(h.ttl, 64);
    assert_int_equal(h.proto, IPV4_PROTO_UDP);
    assert_int_equal(h.src, NET_IP4(192, 168, 0, 1));
    assert_int_equal(h.dst, NET_IP4(192, 168, 0, 199));
}

static void IP40002_ethernet_padding_trimmed(void **state)
{
    /* A 28-byte datagram (20 + 8) in a minimum frame's 46-byte payload. */
    uint8_t pkt[46] = {0x45, 0x00, 0x00, 28, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0, 0,
                       10, 0, 2, 2, 10, 0, 2, 15, 8, 0, 0xf7, 0xfe, 0, 1, 0, 0};
    struct ipv4_hdr h;

    (void)state;
    fix_csum(pkt);
    assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.payload_len, 8);
    assert_int_equal(h.total_len, 28);
    assert_int_equal(h.id, 0x1234);
    assert_int_equal(parse_copy(pkt, 28, &h), AE_OK);
    assert_int_equal(h.payload_len, 8);
}

static void IP40003_every_truncation_refused(void **state)
{
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    mk_wiki(pkt);
    for (size_t len = 0; len < sizeof(pkt); len++)
        assert_int_equal(parse_copy(pkt, len, &h), AE_ERR_INVAL);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
}

static void IP40004_total_length_against_frame(void **state)
{
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    mk_wiki(pkt);
    net_put16(pkt + 2, 0x74);                   /* one more than received */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    net_put16(pkt + 2, 0xffff);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    net_put16(pkt + 2, 19);                     /* smaller than the header */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    net_put16(pkt + 2, 0);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    net_put16(pkt + 2, 20);                     /* header only */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.payload_len, 0);
    net_put16(pkt + 2, 21);                     /* smaller than the frame: trimmed */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.payload_len, 1);
    /* IHL 6 with total length 20: below the header. */
    mk_wiki(pkt);
    pkt[0] = 0x46;
    memset(pkt + 20, 1, 4);
    net_put16(pkt + 2, 20);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    net_put16(pkt + 2, 24);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.payload_len, 0);
}

static void IP40005_version_ihl_and_checksum(void **state)
{
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        mk_wiki(pkt);
        pkt[0] = (uint8_t)(0x40 | ihl);
        assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    }
    /* IHL 15 (60 bytes) with only 40 bytes received. */
    mk_wiki(pkt);
    pkt[0] = 0x4f;
    net_put16(pkt + 2, 40);
    assert_int_equal(parse_copy(pkt, 40, &h), AE_ERR_INVAL);
    assert_int_equal(parse_copy(pkt, 59, &h), AE_ERR_INVAL);
    for (int v = 0; v < 16; v++) {
        if (v == 4)
            continue;
        mk_wiki(pkt);
        pkt[0] = (uint8_t)(v << 4 | 5);
        fix_csum(pkt);
        assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_INVAL);
    }
    /* Every single-bit flip of the header is caught by the checksum (or by
     * an earlier check). */
    for (int bit = 0; bit < 160; bit++) {
        mk_wiki(pkt);
        pkt[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
        assert_true(parse_copy(pkt, sizeof(pkt), &h) < 0);
    }
    mk_wiki(pkt);
    pkt[8] = 63;                                /* TTL changed, checksum not */
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_ERR_CORRUPT);
    pkt[10] = 0xb8 + 1;                         /* checksum adjusted by one in the high byte */
    pkt[11] = 0x61;
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.ttl, 63);
    /* A flipped payload byte is not the header checksum's business. */
    mk_wiki(pkt);
    pkt[50] ^= 0xff;
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
}

/* A header with the given option bytes (padded with zeros to IHL). */
static int parse_with_options(const uint8_t *opt, size_t optlen, uint8_t ihl, struct ipv4_hdr *h)
{
    uint8_t pkt[80];

    memset(pkt, 0, sizeof(pkt));
    memcpy(pkt, wiki_hdr, 20);
    pkt[0] = (uint8_t)(0x40 | ihl);
    net_put16(pkt + 2, (uint16_t)(ihl * 4 + 4));
    memcpy(pkt + 20, opt, optlen);
    fix_csum(pkt);
    return parse_copy(pkt, (size_t)ihl * 4 + 4, h);
}

static void IP40006_options_bounded(void **state)
{
    struct ipv4_hdr h;
    uint8_t rr[40];

    (void)state;
    assert_int_equal(parse_with_options((const uint8_t *)"\x01\x01\x01\x00", 4, 6, &h), AE_OK);
    assert_int_equal(h.hdr_len, 24);
    assert_int_equal(h.payload_len, 4);
    assert_ptr_equal(h.payload, h.hdr + 24);
    /* Record route, length 7, then end. */
    assert_int_equal(parse_with_options((const uint8_t *)"\x07\x07\x04\0\0\0\0\x00", 8, 7, &h),
                     AE_OK);
    /* An option ending exactly at the header's end. */
    assert_int_equal(parse_with_options((const uint8_t *)"\x01\x94\x03\x00", 4, 6, &h), AE_OK);
    /* Lengths 0 and 1 are impossible; past the header is refused. */
    assert_int_equal(parse_with_options((const uint8_t *)"\x94\x01\x00\x00", 4, 6, &h),
                     AE_ERR_INVAL);
    assert_int_equal(parse_with_options((const uint8_t *)"\x94\x00\x00\x00", 4, 6, &h),
                     AE_ERR_INVAL);
    assert_int_equal(parse_with_options((const uint8_t *)"\x94\x05\x00\x00", 4, 6, &h),
                     AE_ERR_INVAL);
    assert_int_equal(parse_with_options((const uint8_t *)"\x01\x94\xff\x00", 4, 6, &h),
                     AE_ERR_INVAL);
    /* A type byte as the last byte: its length byte is missing. */
    assert_int_equal(parse_with_options((const uint8_t *)"\x01\x01\x01\x07", 4, 6, &h),
                     AE_ERR_INVAL);
    /* The same with nothing after the header: the missing length byte
     * lies past the data, and must not be read (ASan watches). */
    {
        uint8_t pkt[24];

        memcpy(pkt, wiki_hdr, 20);
        memcpy(pkt + 20, "\x01\x01\x01\x07", 4);
        pkt[0] = 0x46;
        net_put16(pkt + 2, 24);
        fix_csum(pkt);
        assert_int_equal(parse_copy(pkt, 24, &h), AE_ERR_INVAL);
        pkt[23] = 0;
        fix_csum(pkt);
        assert_int_equal(parse_copy(pkt, 24, &h), AE_OK);
    }
    /* The longest header: 40 bytes of options. */
    memset(rr, 1, sizeof(rr));
    assert_int_equal(parse_with_options(rr, 40, 15, &h), AE_OK);
    assert_int_equal(h.hdr_len, 60);
    rr[0] = 0x07;
    rr[1] = 40;
    assert_int_equal(parse_with_options(rr, 40, 15, &h), AE_OK);
    rr[1] = 41;
    assert_int_equal(parse_with_options(rr, 40, 15, &h), AE_ERR_INVAL);
}

static void IP40007_source_address_checks(void **state)
{
    static const struct {
        uint32_t src;
        int want;
    } cases[] = {
        {IPV4_BROADCAST, AE_ERR_INVAL},
        {NET_IP4(224, 0, 0, 1), AE_ERR_INVAL},
        {NET_IP4(239, 255, 255, 250), AE_ERR_INVAL},
        {NET_IP4(240, 0, 0, 1), AE_ERR_INVAL},
        {0, AE_OK},                             /* DHCP clients */
        {NET_IP4(10, 0, 2, 2), AE_OK},
        {NET_IP4(223, 255, 255, 255), AE_OK},
    };
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mk_wiki(pkt);
        net_put32(pkt + 12, cases[i].src);
        fix_csum(pkt);
        assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), cases[i].want);
    }
    /* Broadcast and multicast destinations parse (the caller filters). */
    mk_wiki(pkt);
    net_put32(pkt + 16, IPV4_BROADCAST);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_int_equal(h.dst, IPV4_BROADCAST);
}

static void IP40008_fragment_fields(void **state)
{
    uint8_t pkt[0x73];
    struct ipv4_hdr h;

    (void)state;
    mk_wiki(pkt);
    net_put16(pkt + 6, 0x2000 | 185);           /* MF, offset 1480 */
    net_put16(pkt + 4, 0xbeef);
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_true(h.mf);
    assert_false(h.df);
    assert_int_equal(h.frag_off, 1480);
    assert_int_equal(h.id, 0xbeef);
    assert_true(ipv4_is_fragment(&h));
    net_put16(pkt + 6, 0x1fff);                 /* last fragment, largest offset */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_false(h.mf);
    assert_int_equal(h.frag_off, 0x1fff * 8);
    assert_true(ipv4_is_fragment(&h));
    net_put16(pkt + 6, 0x2000);                 /* first fragment */
    fix_csum(pkt);
    assert_int_equal(parse_copy(pkt, sizeof(pkt), &h), AE_OK);
    assert_true(ipv4_is_fragment(&h));
    assert_int_equal(h.frag_off, 0);
}

static void IP40009_build_round_trip_and_limits(void **state)
{
    uint8_t buf[100];
    struct ipv4_tx tx = {.src = NET_IP4(10, 0, 2, 15), .dst = NET_IP4(8, 8, 8, 8),
                         .proto = IPV4_PROTO_ICMP, .ttl = 17, .tos = 0x10, .id = 0x4242,
                         .df = true};
    struct ipv4_hdr h;

    (void)state;
    memset(buf, 0x5a, sizeof(buf));
    assert_int_equal(ipv4_build(buf, sizeof(buf), &tx, 64), IPV4_HDR_MIN);
    assert_int_equal(buf[20], 0x5a);            /* payload untouched */
    assert_int_equal(inet_csum(buf, 20), 0);
    assert_int_equal(ipv4_parse(buf, 84, &h), AE_OK);
    assert_int_equal(h.total_len, 84);
    assert_int_equal(h.src, tx.src);
    assert_int_equal(h.dst, tx.dst);
    assert_int_equal(h.proto, IPV4_PROTO_ICMP);
    assert_int_equal(h.ttl, 17);
    assert_int_equal(h.tos, 0x10);
    assert_int_equal(h.id, 0x4242);
    assert_true(h.df);
    assert_false(h.mf);
    assert_int_equal(h.frag_off, 0);

    tx.ttl = 0;                                 /* never sent: the default instead */
    tx.df = false;
    tx.mf = true;
    tx.frag_off = 1480;
    assert_int_equal(ipv4_build(buf, sizeof(buf), &tx, 8), IPV4_HDR_MIN);
    assert_int_equal(ipv4_parse(buf, 28, &h), AE_OK);
    assert_int_equal(h.ttl, IPV4_DEFAULT_TTL);
    assert_true(h.mf);
    assert_false(h.df);
    assert_int_equal(h.frag_off, 1480);

    tx.frag_off = 0;
    tx.mf = false;
    assert_int_equal(ipv4_build(buf, 19, &tx, 0), AE_ERR_TRUNCATED);
    assert_int_equal(ipv4_build(buf, 20, &tx, 65515), IPV4_HDR_MIN);
    assert_int_equal(net_get16(buf + 2), 65535);
    assert_int_equal(ipv4_build(buf, 20, &tx, 65516), AE_ERR_RANGE);
    assert_int_equal(ipv4_build(buf, 20, &tx, (size_t)1 << 40), AE_ERR_RANGE);
    tx.frag_off = 7;
    assert_int_equal(ipv4_build(buf, 20, &tx, 8), AE_ERR_RANGE);
    tx.frag_off = 0x1fff * 8;
    assert_int_equal(ipv4_build(buf, 20, &tx, 8), IPV4_HDR_MIN);
    assert_int_equal(net_get16(buf + 6) & 0x1fff, 0x1fff);
}

static void IP40010_address_helpers(void **state)
{
    const uint32_t me = NET_IP4(10, 0, 2, 15), m24 = 0xffffff00u, gw = NET_IP4(10, 0, 2, 2);
    char s[IPV4_ADDR_STR_LEN + 4];

    (void)state;
    assert_true(ipv4_for_us(me, me, m24));
    assert_true(ipv4_for_us(IPV4_BROADCAST, me, m24));
    assert_true(ipv4_for_us(NET_IP4(10, 0, 2, 255), me, m24));
    assert_false(ipv4_for_us(NET_IP4(10, 0, 2, 16), me, m24));
    assert_false(ipv4_for_us(NET_IP4(10, 0, 2, 0), me, m24));
    assert_false(ipv4_for_us(NET_IP4(10, 0, 3, 255), me, m24));
    assert_false(ipv4_for_us(NET_IP4(224, 0, 0, 1), me, m24));
    assert_true(ipv4_for_us(NET_IP4(10, 255, 255, 255), me, 0xff000000u));
    /* Unconfigured: only the limited broadcast (DHCP). */
    assert_true(ipv4_for_us(IPV4_BROADCAST, 0, 0));
    assert_false(ipv4_for_us(me, 0, 0));
    assert_false(ipv4_for_us(0, 0, 0));
    /* /31 and /32 have no broadcast address (RFC 3021). */
    assert_false(ipv4_is_subnet_bcast(NET_IP4(10, 0, 2, 15), NET_IP4(10, 0, 2, 14), 0xfffffffeu));
    assert_false(ipv4_is_subnet_bcast(me, me, 0xffffffffu));
    assert_true(ipv4_is_subnet_bcast(NET_IP4(10, 0, 2, 15), NET_IP4(10, 0, 2, 13), 0xfffffffcu));
    assert_false(ipv4_is_subnet_bcast(NET_IP4(10, 0, 2, 255), me, 0));
    assert_false(ipv4_is_subnet_bcast(NET_IP4(10, 0, 2, 255), me, 0xff00ff00u));

    assert_true(ipv4_same_subnet(me, gw, m24));
    assert_false(ipv4_same_subnet(me, NET_IP4(10, 0, 3, 2), m24));
    assert_int_equal(ipv4_next_hop(NET_IP4(10, 0, 2, 3), me, m24, gw), NET_IP4(10, 0, 2, 3));
    assert_int_equal(ipv4_next_hop(NET_IP4(8, 8, 8, 8), me, m24, gw), gw);
    assert_int_equal(ipv4_next_hop(NET_IP4(8, 8, 8, 8), me, m24, 0), 0);
    assert_int_equal(ipv4_next_hop(IPV4_BROADCAST, me, m24, gw), IPV4_BROADCAST);
    assert_int_equal(ipv4_next_hop(IPV4_BROADCAST, 0, 0, 0), IPV4_BROADCAST);
    assert_int_equal(ipv4_next_hop(NET_IP4(10, 0, 2, 255), me, m24, gw), NET_IP4(10, 0, 2, 255));
    assert_int_equal(ipv4_next_hop(NET_IP4(224, 0, 0, 251), me, m24, gw), NET_IP4(224, 0, 0, 251));
    assert_int_equal(ipv4_next_hop(NET_IP4(10, 0, 2, 3), 0, 0, gw), 0);

    assert_true(ipv4_mask_valid(0xffffffffu));
    assert_true(ipv4_mask_valid(0x80000000u));
    assert_true(ipv4_mask_valid(0xfffffe00u));
    assert_false(ipv4_mask_valid(0));
    assert_false(ipv4_mask_valid(0xff00ff00u));
    assert_false(ipv4_mask_valid(0x7fffffffu));
    assert_false(ipv4_mask_valid(0xfffffffdu));
    for (int bits = 1; bits <= 32; bits++)
        assert_true(ipv4_mask_valid(0xffffffffu << (32 - bits)));

    assert_true(ipv4_is_unicast(me));
    assert_false(ipv4_is_unicast(0));
    assert_false(ipv4_is_unicast(NET_IP4(127, 0, 0, 1)));
    assert_false(ipv4_is_unicast(NET_IP4(224, 0, 0, 1)));
    assert_false(ipv4_is_unicast(NET_IP4(240, 0, 0, 1)));
    assert_false(ipv4_is_unicast(IPV4_BROADCAST));
    assert_true(ipv4_is_loopback(NET_IP4(127, 1, 2, 3)));

    memset(s, 'x', sizeof(s));
    assert_int_equal(ipv4_format(NET_IP4(255, 255, 255, 255), s, 15), AE_ERR_TRUNCATED);
    assert_int_equal(s[0], 'x');
    assert_int_equal(ipv4_format(NET_IP4(255, 255, 255, 255), s, 16), 15);
    assert_string_equal(s, "255.255.255.255");
    assert_int_equal(ipv4_format(me, s, 10), 9);
    assert_string_equal(s, "10.0.2.15");
    assert_int_equal(ipv4_format(me, s, 9), AE_ERR_TRUNCATED);
    assert_int_equal(ipv4_format(0, s, sizeof(s)), 7);
    assert_string_equal(s, "0.0.0.0");
    assert_int_equal(ipv4_format(NET_IP4(192, 168, 100, 9), s, sizeof(s)), 13);
    assert_string_equal(s, "192.168.100.9");
}

static void check_invariants(const uint8_t *p, size_t len, const struct ipv4_hdr *h)
{
    assert_ptr_equal(h->hdr, p);
    assert_true(h->hdr_len >= 20 && h->hdr_len <= 60 && h->hdr_len <= len);
    assert_ptr_equal(h->payload, p + h->hdr_len);
    assert_true(h->hdr_len + h->payload_len == h->total_len);
    assert_true(h->total_len <= len);
    assert_int_equal(inet_csum(p, h->hdr_len), 0);
    assert_false(ipv4_is_multicast(h->src) || ipv4_is_reserved(h->src));
}

static void IP40011_random_corruption_never_crashes(void **state)
{
    int ok = 0;

    (void)state;
    rng_state = 0x1b4;
    for (int it = 0; it < 40000; it++) {
        size_t len = rng() % 90;
        uint8_t *p = malloc(len ? len : 1);
        struct ipv4_hdr h;

        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)rng();
        if (len >= 20 && (rng() & 3)) {
            /* Mostly plausible headers with a valid checksum, so the checks
             * after the checksum get exercised too. */
            p[0] = (uint8_t)(0x40 | (rng() & 1 ? 5 : rng() % 16));
            if (rng() & 1)
                net_put16(p + 2, (uint16_t)(rng() % (len + 8)));
            if ((size_t)(p[0] & 15) * 4 <= len && rng() % 4)
                fix_csum(p);
        }
        if (ipv4_parse(p, len, &h) == AE_OK) {
            check_invariants(p, len, &h);
            ok++;
        }
        free(p);
    }
    /* The loop must really reach the success path, or it tests little. */
    assert_true(ok > 1000);

    /* Byte corruption of a valid packet. */
    for (int it = 0; it < 20000; it++) {
        uint8_t pkt[0x73], *p;
        size_t len = sizeof(pkt) - rng() % 8;
        struct ipv4_hdr h;

        mk_wiki(pkt);
        for (int k = 1 + (int)(rng() % 3); k > 0; k--)
            pkt[rng() % 24] = (uint8_t)rng();
        if (rng() & 1)
            fix_csum(pkt);
        p = malloc(len);
        memcpy(p, pkt, len);
        if (ipv4_parse(p, len, &h) == AE_OK)
            check_invariants(p, len, &h);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(IP40001_parse_real_header),
        cmocka_unit_test(IP40002_ethernet_padding_trimmed),
        cmocka_unit_test(IP40003_every_truncation_refused),
        cmocka_unit_test(IP40004_total_length_against_frame),
        cmocka_unit_test(IP40005_version_ihl_and_checksum),
        cmocka_unit_test(IP40006_options_bounded),
        cmocka_unit_test(IP40007_source_address_checks),
        cmocka_unit_test(IP40008_fragment_fields),
        cmocka_unit_test(IP40009_build_round_trip_and_limits),
        cmocka_unit_test(IP40010_address_helpers),
        cmocka_unit_test(IP40011_random_corruption_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
