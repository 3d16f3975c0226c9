/*
 * Unit tests for user/lib/net/icmp.c and udp.c. ICMP: parsing a ping-like
 * echo request with the checksum over the whole message, every truncation
 * and bit flip, echo replies in place and copied, echo requests built and
 * parsed back, port unreachable quoting the header and 8 bytes, RFC 1122's
 * list of datagrams never answered with an error, quotes of received
 * errors. UDP: a DNS query parsed, the length field against the data,
 * checksums (none, wrong, pseudo-header), a computed 0 sent as 0xffff,
 * build limits. Both: random corruption loops that must never crash.
 * Checksums expected by the tests come from a plain reference sum here,
 * not from the library.
 */
#include "unit.h"

#include "net/icmp.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"
#include "net/udp.h"

static const uint32_t me = NET_IP4(10, 0, 2, 15), gw = NET_IP4(10, 0, 2, 2);
static const uint32_t mask = 0xffffff00u;

/* RFC 1071 written out the slow way, over any number of pieces. */
static uint32_t ref_add(uint32_t s, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    return s;
}

static uint16_t ref_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint16_t ref_udp(uint32_t src, uint32_t dst, const uint8_t *u, size_t len)
{
    uint8_t ph[12];

    net_put32(ph, src);
    net_put32(ph + 4, dst);
    ph[8] = 0;
    ph[9] = 17;
    net_put16(ph + 10, (uint16_t)len);
    return ref_fold(ref_add(ref_add(0, ph, 12), u, len));
}

/* A Linux-style ping: id 0x1c46, seq 1, 8 bytes of time then 0x10..0x37. */
static void mk_ping(uint8_t m[64])
{
    static const uint8_t head[16] = {8, 0, 0, 0, 0x1c, 0x46, 0x00, 0x01,
                                     0x5e, 0x3f, 0x6a, 0x65, 0x00, 0x00, 0x00, 0x00};

    memcpy(m, head, 16);
    for (int i = 16; i < 64; i++)
        m[i] = (uint8_t)i;
    net_put16(m + 2, ref_fold(ref_add(0, m, 64)));
}

static int icmp_parse_copy(const uint8_t *src, size_t len, struct icmp_msg *m)
{
    uint8_t *p = malloc(len ? len : 1);
    int err;

    memcpy(p, src, len);
    err = icmp_parse(p, len, m);
    free(p);
    return err;
}

static void ICMP0001_parse_echo_request(void **state)
{
    uint8_t m[64];
    struct icmp_msg msg;

    (void)state;
    mk_ping(m);
    assert_int_equal(icmp_parse(m, sizeof(m), &msg), AE_OK);
    assert_int_equal(msg.type, ICMP_ECHO_REQUEST);
    assert_int_equal(msg.code, 0);
    assert_int_equal(msg.id, 0x1c46);
    assert_int_equal(msg.seq, 1);
    assert_int_equal(msg.rest, 0x1c460001u);
    assert_ptr_equal(msg.data, m + 8);
    assert_int_equal(msg.data_len, 56);
    assert_false(icmp_is_error(msg.type));
}

static void ICMP0002_truncations_and_bit_flips(void **state)
{
    uint8_t m[64];
    struct icmp_msg msg;

    (void)state;
    mk_ping(m);
    for (size_t len = 0; len < ICMP_HDR_LEN; len++)
        assert_int_equal(icmp_parse_copy(m, len, &msg), AE_ERR_INVAL);
    /* A shorter message verifies only when its own sum happens to. */
    for (size_t len = ICMP_HDR_LEN; len < sizeof(m); len++)
        assert_int_equal(icmp_parse_copy(m, len, &msg),
                         ref_fold(ref_add(0, m, len)) == 0 ? AE_OK : AE_ERR_CORRUPT);
    for (int bit = 0; bit < 64 * 8; bit++) {
        mk_ping(m);
        m[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(icmp_parse_copy(m, sizeof(m), &msg), AE_ERR_CORRUPT);
    }
    /* An odd length sums its last byte as a high byte. */
    {
        uint8_t o[9] = {8, 0, 0, 0, 0, 1, 0, 2, 0xab};

        net_put16(o + 2, ref_fold(ref_add(0, o, 9)));
        assert_int_equal(icmp_parse_copy(o, 9, &msg), AE_OK);
        assert_int_equal(msg.data_len, 1);
        o[8] = 0xac;
        assert_int_equal(icmp_parse_copy(o, 9, &msg), AE_ERR_CORRUPT);
    }
}

static void ICMP0003_echo_reply_in_place_and_copied(void **state)
{
    uint8_t m[64], out[80], small[63];
    struct icmp_msg msg;

    (void)state;
    mk_ping(m);
    memset(out, 0x77, sizeof(out));
    assert_int_equal(icmp_echo_reply(m, sizeof(m), out, sizeof(out)), 64);
    assert_int_equal(out[64], 0x77);
    assert_int_equal(ref_fold(ref_add(0, out, 64)), 0);
    assert_int_equal(icmp_parse(out, 64, &msg), AE_OK);
    assert_int_equal(msg.type, ICMP_ECHO_REPLY);
    assert_int_equal(msg.code, 0);
    assert_int_equal(msg.id, 0x1c46);
    assert_int_equal(msg.seq, 1);
    assert_memory_equal(out + 8, m + 8, 56);
    /* Only the type (and checksum) differ: 8 -> 0 adds 0x0800 to the checksum. */
    assert_int_equal(net_get16(out + 2), (uint16_t)(net_get16(m + 2) + 0x0800));

    assert_int_equal(icmp_echo_reply(m, sizeof(m), m, sizeof(m)), 64);      /* in place */
    assert_memory_equal(m, out, 64);
    /* A reply is not a request; too small a buffer; a bad checksum. */
    assert_int_equal(icmp_echo_reply(m, sizeof(m), out, sizeof(out)), AE_ERR_INVAL);
    mk_ping(m);
    assert_int_equal(icmp_echo_reply(m, sizeof(m), small, sizeof(small)), AE_ERR_TRUNCATED);
    m[20] ^= 1;
    assert_int_equal(icmp_echo_reply(m, sizeof(m), out, sizeof(out)), AE_ERR_CORRUPT);
    assert_int_equal(icmp_echo_reply(m, 7, out, sizeof(out)), AE_ERR_INVAL);
    /* A request with no data at all. */
    {
        uint8_t e[8] = {8, 0, 0, 0, 0, 9, 0, 10};

        net_put16(e + 2, ref_fold(ref_add(0, e, 8)));
        assert_int_equal(icmp_echo_reply(e, 8, e, 8), 8);
        assert_int_equal(e[0], 0);
        assert_int_equal(ref_fold(ref_add(0, e, 8)), 0);
    }
}

static void ICMP0004_build_echo_round_trip(void **state)
{
    uint8_t buf[100];
    const uint8_t data[13] = "abcdefghijklm";
    struct icmp_msg msg;

    (void)state;
    assert_int_equal(icmp_build_echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 0xbeef, 0x0102, data,
                                     sizeof(data)), 21);
    assert_int_equal(ref_fold(ref_add(0, buf, 21)), 0);
    assert_int_equal(icmp_parse(buf, 21, &msg), AE_OK);
    assert_int_equal(msg.type, ICMP_ECHO_REQUEST);
    assert_int_equal(msg.id, 0xbeef);
    assert_int_equal(msg.seq, 0x0102);
    assert_int_equal(msg.data_len, 13);
    assert_memory_equal(msg.data, data, 13);
    /* Data already in place, and no data. */
    memcpy(buf + 8, "xyz", 3);
    assert_int_equal(icmp_build_echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 1, 2, buf + 8, 3), 11);
    assert_int_equal(icmp_parse(buf, 11, &msg), AE_OK);
    assert_memory_equal(msg.data, "xyz", 3);
    assert_int_equal(icmp_build_echo(buf, 8, ICMP_ECHO_REPLY, 1, 2, NULL, 0), 8);
    assert_int_equal(icmp_parse(buf, 8, &msg), AE_OK);
    assert_int_equal(msg.type, ICMP_ECHO_REPLY);
    assert_int_equal(icmp_build_echo(buf, 20, ICMP_ECHO_REQUEST, 1, 2, data, 13), AE_ERR_TRUNCATED);
    assert_int_equal(icmp_build_echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 1, 2, data, 65508),
                     AE_ERR_RANGE);
}

/* A UDP datagram 10.0.2.2:5353 -> dst:9999 with plen payload bytes, IHL
 * ihl, parsed into *h (pointing into pkt). */
static void mk_udp_dgram(uint8_t *pkt, size_t cap, uint32_t src, uint32_t dst, size_t plen,
                         uint8_t ihl, uint16_t frag, struct ipv4_hdr *h)
{
    size_t hl = (size_t)ihl * 4;
    struct ipv4_tx tx = {.src = src, .dst = dst, .proto = IPV4_PROTO_UDP, .id = 77,
                         .frag_off = frag};
    uint8_t payload[64];

    assert_true(hl + 8 + plen <= cap);
    for (size_t i = 0; i < plen; i++)
        payload[i] = (uint8_t)('a' + i);
    assert_int_equal(udp_build(pkt + hl, cap - hl, src, dst, 5353, 9999, payload, plen),
                     (int)(8 + plen));
    assert_int_equal(ipv4_build(pkt, cap, &tx, hl - 20 + 8 + plen), 20);
    if (ihl > 5) {
        /* Options: NOPs, with the header fields fixed up by hand. */
        memset(pkt + 20, 1, hl - 20);
        pkt[0] = (uint8_t)(0x40 | ihl);
        net_put16(pkt + 2, (uint16_t)(hl + 8 + plen));
        net_put16(pkt + 10, 0);
        net_put16(pkt + 10, ref_fold(ref_add(0, pkt, hl)));
    }
    assert_int_equal(ipv4_parse(pkt, hl + 8 + plen, h), AE_OK);
}

static void ICMP0005_port_unreachable_quotes_header_and_8_bytes(void **state)
{
    uint8_t pkt[128], out[128];
    struct ipv4_hdr h;
    struct icmp_msg msg;
    struct icmp_quote q;

    (void)state;
    memset(pkt, 0, sizeof(pkt));
    mk_udp_dgram(pkt, sizeof(pkt), gw, me, 12, 5, 0, &h);
    memset(out, 0x33, sizeof(out));
    assert_int_equal(icmp_build_unreach(out, sizeof(out), ICMP_UNREACH_PORT, &h, me, mask, false),
                     8 + 20 + 8);
    assert_int_equal(out[36], 0x33);
    assert_int_equal(ref_fold(ref_add(0, out, 36)), 0);
    assert_int_equal(icmp_parse(out, 36, &msg), AE_OK);
    assert_int_equal(msg.type, ICMP_DEST_UNREACH);
    assert_int_equal(msg.code, ICMP_UNREACH_PORT);
    assert_int_equal(msg.rest, 0);
    assert_memory_equal(msg.data, pkt, 28);             /* header + 8 bytes, as received */
    assert_true(icmp_is_error(msg.type));
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_OK);
    assert_int_equal(q.src, gw);
    assert_int_equal(q.dst, me);
    assert_int_equal(q.proto, IPV4_PROTO_UDP);
    assert_int_equal(q.l4_len, 8);
    assert_int_equal(net_get16(q.l4), 5353);
    assert_int_equal(net_get16(q.l4 + 2), 9999);
    assert_int_equal(icmp_build_unreach(out, 35, ICMP_UNREACH_PORT, &h, me, mask, false),
                     AE_ERR_TRUNCATED);

    /* A header with options is quoted whole. */
    mk_udp_dgram(pkt, sizeof(pkt), gw, me, 12, 7, 0, &h);
    assert_int_equal(h.hdr_len, 28);
    assert_int_equal(icmp_build_unreach(out, sizeof(out), ICMP_UNREACH_PORT, &h, me, mask, false),
                     8 + 28 + 8);
    assert_memory_equal(out + 8, pkt, 36);
    assert_int_equal(icmp_parse(out, 44, &msg), AE_OK);
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_OK);
    assert_int_equal(net_get16(q.l4 + 2), 9999);

    /* Less than 8 bytes after the header: all of it. */
    {
        uint8_t raw[24];
        struct ipv4_tx tx = {.src = gw, .dst = me, .proto = 99};

        assert_int_equal(ipv4_build(raw, sizeof(raw), &tx, 4), 20);
        memcpy(raw + 20, "\x01\x02\x03\x04", 4);
        assert_int_equal(ipv4_parse(raw, sizeof(raw), &h), AE_OK);
        assert_int_equal(icmp_build_unreach(out, sizeof(out), ICMP_UNREACH_PROTO, &h, me, mask,
                                            false), 8 + 24);
        assert_memory_equal(out + 8, raw, 24);
        assert_int_equal(icmp_parse(out, 32, &msg), AE_OK);
        assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);     /* too short to use */
    }
    /* icmp_build_error checks what it quotes. */
    assert_int_equal(icmp_build_error(out, sizeof(out), 11, 1, 0, pkt, 19), AE_ERR_INVAL);
    pkt[0] = 0x44;
    assert_int_equal(icmp_build_error(out, sizeof(out), 11, 1, 0, pkt, 40), AE_ERR_INVAL);
    pkt[0] = 0x65;
    assert_int_equal(icmp_build_error(out, sizeof(out), 11, 1, 0, pkt, 40), AE_ERR_INVAL);
    pkt[0] = 0x4f;
    assert_int_equal(icmp_build_error(out, sizeof(out), 11, 1, 0, pkt, 59), AE_ERR_INVAL);
    assert_int_equal(icmp_build_error(out, sizeof(out), 11, 1, 0, pkt, 60), 68);
    assert_int_equal(icmp_build_error(out, sizeof(out), 3, 4, 1400, pkt, 100), 76);
    assert_int_equal(net_get32(out + 4), 1400);
    assert_int_equal(ref_fold(ref_add(0, out, 76)), 0);
}

static void ICMP0006_no_errors_about_errors_broadcasts_fragments(void **state)
{
    uint8_t pkt[128], out[128];
    struct ipv4_hdr h;

    (void)state;
#define REFUSED(...) \
    assert_int_equal(icmp_build_unreach(out, sizeof(out), ICMP_UNREACH_PORT, __VA_ARGS__), \
                     AE_ERR_ACCESS)
    mk_udp_dgram(pkt, sizeof(pkt), gw, me, 12, 5, 0, &h);
    REFUSED(&h, me, mask, true);                                /* link-layer broadcast */
    mk_udp_dgram(pkt, sizeof(pkt), gw, IPV4_BROADCAST, 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);
    mk_udp_dgram(pkt, sizeof(pkt), gw, NET_IP4(10, 0, 2, 255), 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);                               /* subnet broadcast */
    assert_true(icmp_error_allowed(&h, me, 0, false));          /* mask unknown: not seen as one */
    mk_udp_dgram(pkt, sizeof(pkt), gw, NET_IP4(224, 0, 0, 251), 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);
    mk_udp_dgram(pkt, sizeof(pkt), gw, me, 16, 5, 1480, &h);
    REFUSED(&h, me, mask, false);                               /* not the first fragment */
    mk_udp_dgram(pkt, sizeof(pkt), 0, me, 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);                               /* source 0 */
    mk_udp_dgram(pkt, sizeof(pkt), NET_IP4(127, 0, 0, 1), me, 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);
    mk_udp_dgram(pkt, sizeof(pkt), NET_IP4(10, 0, 2, 255), me, 12, 5, 0, &h);
    REFUSED(&h, me, mask, false);                               /* source a broadcast */
    /* The first fragment (MF, offset 0) may be answered. */
    mk_udp_dgram(pkt, sizeof(pkt), gw, me, 12, 5, 0, &h);
    h.mf = true;
    assert_true(icmp_error_allowed(&h, me, mask, false));

    /* ICMP: errors and unknown types never draw an error; queries may. */
    for (int type = 0; type < 256; type++) {
        struct ipv4_tx tx = {.src = gw, .dst = me, .proto = IPV4_PROTO_ICMP};
        bool query = type == 0 || type == 8 || type == 9 || type == 10 ||
                     (type >= 13 && type <= 18);

        assert_int_equal(ipv4_build(pkt, sizeof(pkt), &tx, 8), 20);
        memset(pkt + 20, 0, 8);
        pkt[20] = (uint8_t)type;
        assert_int_equal(ipv4_parse(pkt, 28, &h), AE_OK);
        assert_int_equal(icmp_error_allowed(&h, me, mask, false), query);
        if (!query)
            REFUSED(&h, me, mask, false);
        /* With the ICMP payload cut off, the type is unknown: refused. */
        h.payload_len = 0;
        assert_false(icmp_error_allowed(&h, me, mask, false));
    }
#undef REFUSED
}

static void ICMP0007_quote_parse_refusals(void **state)
{
    uint8_t m[8 + 28];
    struct icmp_msg msg;
    struct icmp_quote q;
    struct ipv4_tx tx = {.src = me, .dst = gw, .proto = IPV4_PROTO_UDP};

    (void)state;
    memset(m, 0, sizeof(m));
    m[0] = ICMP_TIME_EXCEEDED;
    assert_int_equal(ipv4_build(m + 8, 20, &tx, 8), 20);
    net_put16(m + 2, ref_fold(ref_add(0, m, sizeof(m))));
    assert_int_equal(icmp_parse(m, sizeof(m), &msg), AE_OK);
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_OK);
    assert_int_equal(q.src, me);
    assert_int_equal(q.dst, gw);
    for (size_t len = 0; len < 28; len++) {
        msg.data_len = len;
        assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);
    }
    msg.data_len = 28;
    msg.type = ICMP_ECHO_REPLY;
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);
    msg.type = ICMP_DEST_UNREACH;
    m[8] = 0x44;                                /* IHL 4 */
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);
    m[8] = 0x46;                                /* IHL 6: 24 + 8 > 28 */
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);
    m[8] = 0x65;                                /* IPv6 */
    assert_int_equal(icmp_parse_quote(&msg, &q), AE_ERR_INVAL);
}

static void ICMP0008_random_messages_never_crash(void **state)
{
    (void)state;
    rng_state = 0x1c3;
    for (int it = 0; it < 30000; it++) {
        size_t len = rng() % 100;
        uint8_t *p = malloc(len ? len : 1), out[128];
        struct icmp_msg msg;
        struct icmp_quote q;

        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)rng();
        if (len >= 8 && rng() % 2) {
            p[0] = (uint8_t)(rng() % 2 ? ICMP_DEST_UNREACH : ICMP_ECHO_REQUEST);
            if (len >= 28 && rng() % 2)
                p[8] = (uint8_t)(0x40 | rng() % 16);
            net_put16(p + 2, 0);
            net_put16(p + 2, ref_fold(ref_add(0, p, len)));
        }
        if (icmp_parse(p, len, &msg) == AE_OK) {
            assert_true(len >= 8);
            assert_ptr_equal(msg.data + msg.data_len, p + len);
            if (icmp_parse_quote(&msg, &q) == AE_OK) {
                assert_true(q.l4_len >= 8);
                assert_ptr_equal(q.l4 + q.l4_len, p + len);
            }
            if (icmp_echo_reply(p, len, out, sizeof(out)) > 0)
                assert_int_equal(ref_fold(ref_add(0, out, len)), 0);
        }
        (void)icmp_build_error(out, sizeof(out), 3, 3, 0, p, len);
        free(p);
    }
}

/* ---- UDP ---- */

/* A DNS query for example.com, 10.0.2.15:40000 -> 10.0.2.3:53. */
static size_t mk_dns(uint8_t u[64])
{
    static const uint8_t q[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x00, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
                                0x00, 0x01, 0x00, 0x01};
    size_t len = 8 + sizeof(q);

    net_put16(u, 40000);
    net_put16(u + 2, 53);
    net_put16(u + 4, (uint16_t)len);
    net_put16(u + 6, 0);
    memcpy(u + 8, q, sizeof(q));
    net_put16(u + 6, ref_udp(me, NET_IP4(10, 0, 2, 3), u, len));
    return len;
}

static int udp_parse_copy(const uint8_t *src, size_t len, uint32_t s, uint32_t d,
                          struct udp_dgram *out)
{
    uint8_t *p = malloc(len ? len : 1);
    int err;

    memcpy(p, src, len);
    err = udp_parse(p, len, s, d, out);
    free(p);
    return err;
}

static void UDP0001_parse_dns_query(void **state)
{
    uint8_t u[64];
    size_t len = mk_dns(u);
    struct udp_dgram d;

    (void)state;
    assert_int_equal(len, 37);
    assert_int_equal(udp_parse(u, len, me, NET_IP4(10, 0, 2, 3), &d), AE_OK);
    assert_int_equal(d.src_port, 40000);
    assert_int_equal(d.dst_port, 53);
    assert_int_equal(d.len, 37);
    assert_int_equal(d.csum, net_get16(u + 6));
    assert_ptr_equal(d.payload, u + 8);
    assert_int_equal(d.payload_len, 29);
    assert_int_equal(d.payload[12], 7);
}

static void UDP0002_length_field_against_data(void **state)
{
    uint8_t u[64];
    size_t len = mk_dns(u);
    struct udp_dgram d;
    const uint32_t dns = NET_IP4(10, 0, 2, 3);

    (void)state;
    for (size_t l = 0; l < len; l++)
        assert_int_equal(udp_parse_copy(u, l, me, dns, &d), AE_ERR_INVAL);
    /* IP payload longer than the UDP length: the rest is not UDP's. */
    memset(u + len, 0xee, sizeof(u) - len);
    assert_int_equal(udp_parse_copy(u, sizeof(u), me, dns, &d), AE_OK);
    assert_int_equal(d.payload_len, 29);
    /* Length fields below 8 or above the data. */
    for (unsigned l = 0; l < 8; l++) {
        net_put16(u + 4, (uint16_t)l);
        assert_int_equal(udp_parse_copy(u, len, me, dns, &d), AE_ERR_INVAL);
    }
    net_put16(u + 4, (uint16_t)(len + 1));
    assert_int_equal(udp_parse_copy(u, len, me, dns, &d), AE_ERR_INVAL);
    net_put16(u + 4, 0xffff);
    assert_int_equal(udp_parse_copy(u, len, me, dns, &d), AE_ERR_INVAL);
    /* Header only, no checksum. */
    {
        uint8_t e[8] = {0, 1, 0, 2, 0, 8, 0, 0};

        assert_int_equal(udp_parse_copy(e, 8, me, dns, &d), AE_OK);
        assert_int_equal(d.payload_len, 0);
    }
}

static void UDP0003_checksums(void **state)
{
    uint8_t u[64];
    size_t len = mk_dns(u);
    struct udp_dgram d;
    const uint32_t dns = NET_IP4(10, 0, 2, 3);

    (void)state;
    for (size_t bit = 0; bit < len * 8; bit++) {
        mk_dns(u);
        u[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        /* Flips in the length field may fail the length check first. */
        assert_true(udp_parse_copy(u, len, me, dns, &d) < 0);
    }
    mk_dns(u);
    assert_int_equal(udp_parse(u, len, me, NET_IP4(10, 0, 2, 4), &d), AE_ERR_CORRUPT);
    assert_int_equal(udp_parse(u, len, NET_IP4(10, 0, 2, 16), dns, &d), AE_ERR_CORRUPT);
    /* 0: the sender computed none, so anything goes. */
    net_put16(u + 6, 0);
    u[20] ^= 0x55;
    assert_int_equal(udp_parse(u, len, me, dns, &d), AE_OK);
    assert_int_equal(d.csum, 0);
}

static void UDP0004_build_round_trip_and_zero_as_ffff(void **state)
{
    uint8_t buf[64], pl[2] = {0, 0};
    struct udp_dgram d;
    uint16_t c;

    (void)state;
    assert_int_equal(udp_build(buf, sizeof(buf), me, gw, 68, 67, (const uint8_t *)"hello", 5), 13);
    assert_int_equal(net_get16(buf), 68);
    assert_int_equal(net_get16(buf + 2), 67);
    assert_int_equal(net_get16(buf + 4), 13);
    assert_int_equal(ref_udp(me, gw, buf, 13), 0);
    assert_int_equal(udp_parse(buf, 13, me, gw, &d), AE_OK);
    assert_memory_equal(d.payload, "hello", 5);
    /* Payload already in place. */
    memcpy(buf + 8, "in place", 8);
    assert_int_equal(udp_build(buf, sizeof(buf), me, gw, 1, 2, buf + 8, 8), 16);
    assert_int_equal(udp_parse(buf, 16, me, gw, &d), AE_OK);
    assert_memory_equal(d.payload, "in place", 8);

    /* Two payload bytes equal to the checksum they would get when zero
     * make the computed checksum 0, which is sent as 0xffff. */
    assert_int_equal(udp_build(buf, sizeof(buf), me, gw, 1000, 2000, pl, 2), 10);
    c = net_get16(buf + 6);
    net_put16(pl, c);
    assert_int_equal(udp_build(buf, sizeof(buf), me, gw, 1000, 2000, pl, 2), 10);
    assert_int_equal(net_get16(buf + 6), 0xffff);
    assert_int_equal(udp_parse(buf, 10, me, gw, &d), AE_OK);
    assert_int_equal(d.csum, 0xffff);

    assert_int_equal(udp_build(buf, 12, me, gw, 1, 2, pl, 5), AE_ERR_TRUNCATED);
    assert_int_equal(udp_build(buf, 7, me, gw, 1, 2, NULL, 0), AE_ERR_TRUNCATED);
    assert_int_equal(udp_build(buf, 8, me, gw, 1, 2, NULL, 0), 8);
    assert_int_equal(udp_build(buf, sizeof(buf), me, gw, 1, 2, pl, 65528), AE_ERR_RANGE);
    {
        static uint8_t big[65535];

        assert_int_equal(udp_build(big, sizeof(big), me, gw, 1, 2, big + 8, 65527), 65535);
        assert_int_equal(udp_parse(big, sizeof(big), me, gw, &d), AE_OK);
        assert_int_equal(d.payload_len, 65527);
    }
}

static void UDP0005_random_datagrams_never_crash(void **state)
{
    int ok = 0;

    (void)state;
    rng_state = 0x0d9;
    for (int it = 0; it < 30000; it++) {
        size_t len = rng() % 80;
        uint8_t *p = malloc(len ? len : 1);
        struct udp_dgram d;

        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)rng();
        if (len >= 8 && rng() % 2) {
            net_put16(p + 4, (uint16_t)(rng() % (len + 4)));
            if (rng() % 2)
                net_put16(p + 6, 0);
        }
        if (udp_parse(p, len, me, gw, &d) == AE_OK) {
            assert_true(d.len >= 8 && d.len <= len);
            assert_ptr_equal(d.payload, p + 8);
            assert_true(d.payload + d.payload_len <= p + len);
            assert_true(d.csum == 0 || ref_udp(me, gw, p, d.len) == 0);
            ok++;
        }
        free(p);
    }
    assert_true(ok > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ICMP0001_parse_echo_request),
        cmocka_unit_test(ICMP0002_truncations_and_bit_flips),
        cmocka_unit_test(ICMP0003_echo_reply_in_place_and_copied),
        cmocka_unit_test(ICMP0004_build_echo_round_trip),
        cmocka_unit_test(ICMP0005_port_unreachable_quotes_header_and_8_bytes),
        cmocka_unit_test(ICMP0006_no_errors_about_errors_broadcasts_fragments),
        cmocka_unit_test(ICMP0007_quote_parse_refusals),
        cmocka_unit_test(ICMP0008_random_messages_never_crash),
        cmocka_unit_test(UDP0001_parse_dns_query),
        cmocka_unit_test(UDP0002_length_field_against_data),
        cmocka_unit_test(UDP0003_checksums),
        cmocka_unit_test(UDP0004_build_round_trip_and_zero_as_ffff),
        cmocka_unit_test(UDP0005_random_datagrams_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
