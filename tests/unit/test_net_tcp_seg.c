/*
 * Unit tests for user/lib/net/tcp_seg.c: TCP header and option parsing on
 * hand-built segments (every field, every truncation length, data offsets
 * below 5 and past the segment, options of length 0, 1 and past the
 * header, unknown and misfit options, EOL), checksums (every single-bit
 * change caught, the pseudo-header's addresses), the builder's exact bytes
 * and its two-piece payloads at odd lengths, 40000 random and mutated
 * segments against a reference option parser written independently here,
 * and sequence-number comparisons across the 2^32 wrap.
 */
#include "unit.h"

#include "net/inet_csum.h"
#include "net/net_bytes.h"
#include "net/tcp_seg.h"

#define SRC NET_IP4(10, 0, 2, 15)
#define DST NET_IP4(93, 184, 216, 34)

/* Fills in the checksum of a segment of len bytes, the way RFC 9293
 * says, independently of the builder. */
static void fix_csum(uint8_t *p, size_t len, uint32_t src, uint32_t dst)
{
    net_put16(p + 16, 0);
    net_put16(p + 16, inet_fold(inet_sum(inet_sum_pseudo4(src, dst, 6, (uint16_t)len), p, len)));
}

/* Parses a copy in a buffer of exactly len bytes, so AddressSanitizer
 * catches a single byte read past the end. */
static int parse_exact(struct tcp_seg *s, const uint8_t *p, size_t len, uint32_t src,
                       uint32_t dst)
{
    uint8_t *b = malloc(len ? len : 1);
    int rc;

    memcpy(b, p, len);
    rc = tcp_seg_parse(s, src, dst, b, len);
    if (rc == AE_OK) {
        /* The payload pointer must point into the copy; rebase it so the
         * caller can look at it after the copy is gone. */
        assert_true(s->data >= b + TCP_HDR_MIN && s->data <= b + len);
        s->data = p + (s->data - b);
    }
    free(b);
    return rc;
}

static const uint8_t syn_hdr[40] = {
    0x12, 0x34, 0x00, 0x50,             /* ports 4660 -> 80 */
    0x01, 0x02, 0x03, 0x04,             /* seq */
    0x00, 0x00, 0x00, 0x00,             /* ack */
    0xa0, 0x02,                         /* offset 10 words, SYN */
    0xff, 0xff,                         /* window */
    0x00, 0x00,                         /* checksum (filled in) */
    0x00, 0x00,                         /* urgent pointer */
    0x02, 0x04, 0x05, 0xb4,             /* MSS 1460 */
    0x01,                               /* NOP */
    0x03, 0x03, 0x07,                   /* window scale 7 */
    0x04, 0x02,                         /* SACK permitted */
    0x08, 0x0a, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x2a, /* TS */
};

static void TCPS0001_parse_hand_built_segments(void **state)
{
    uint8_t p[64];
    struct tcp_seg s;

    (void)state;
    memcpy(p, syn_hdr, sizeof(syn_hdr));
    fix_csum(p, 40, SRC, DST);
    assert_int_equal(parse_exact(&s, p, 40, SRC, DST), AE_OK);
    assert_int_equal(s.sport, 0x1234);
    assert_int_equal(s.dport, 80);
    assert_int_equal(s.seq, 0x01020304);
    assert_int_equal(s.ack, 0);
    assert_int_equal(s.hlen, 40);
    assert_int_equal(s.flags, TCP_SYN);
    assert_int_equal(s.wnd, 0xffff);
    assert_int_equal(s.urp, 0);
    assert_int_equal(s.opts, TCP_HAS_MSS | TCP_HAS_WS | TCP_HAS_SACKOK | TCP_HAS_TS);
    assert_int_equal(s.mss, 1460);
    assert_int_equal(s.wscale, 7);
    assert_int_equal(s.ts_val, 0xdeadbeef);
    assert_int_equal(s.ts_ecr, 42);
    assert_int_equal(s.len, 0);
    assert_int_equal(tcp_seg_seqlen(&s), 1);

    /* A bare 20-byte header with an odd-length payload, FIN|ACK|PSH|URG,
     * an urgent pointer far past the data (the parser does not judge it). */
    memset(p, 0, sizeof(p));
    net_put16(p, 40000);
    net_put16(p + 2, 22);
    net_put32(p + 4, 0xfffffffe);
    net_put32(p + 8, 0x80000001);
    p[12] = 5 << 4;
    p[13] = TCP_FIN | TCP_ACK | TCP_PSH | TCP_URG;
    net_put16(p + 14, 512);
    net_put16(p + 18, 60000);
    memcpy(p + 20, "hello", 5);
    fix_csum(p, 25, SRC, DST);
    assert_int_equal(parse_exact(&s, p, 25, SRC, DST), AE_OK);
    assert_int_equal(s.sport, 40000);
    assert_int_equal(s.dport, 22);
    assert_int_equal(s.seq, 0xfffffffe);
    assert_int_equal(s.ack, 0x80000001);
    assert_int_equal(s.flags, TCP_FIN | TCP_ACK | TCP_PSH | TCP_URG);
    assert_int_equal(s.wnd, 512);
    assert_int_equal(s.urp, 60000);
    assert_int_equal(s.opts, 0);
    assert_int_equal(s.len, 5);
    assert_memory_equal(s.data, "hello", 5);
    assert_int_equal(tcp_seg_seqlen(&s), 6);
}

static void TCPS0002_every_truncation_length(void **state)
{
    uint8_t p[60];
    struct tcp_seg s;

    (void)state;
    memcpy(p, syn_hdr, 40);
    memcpy(p + 40, "0123456789abcdefghij", 20);
    fix_csum(p, 60, SRC, DST);
    assert_int_equal(parse_exact(&s, p, 60, SRC, DST), AE_OK);
    assert_int_equal(s.len, 20);
    for (size_t len = 0; len < 60; len++) {
        uint8_t q[60];
        int rc;

        /* As received: the checksum no longer matches (or the header
         * does not fit). */
        rc = parse_exact(&s, p, len, SRC, DST);
        if (len < TCP_HDR_MIN)
            assert_int_equal(rc, AE_ERR_TRUNCATED);
        else if (len < 40)
            assert_int_equal(rc, AE_ERR_INVAL);
        else
            assert_int_equal(rc, AE_ERR_CORRUPT);
        /* Truncated by the sender: the checksum matches the shorter
         * segment. The header still has to fit. */
        memcpy(q, p, len);
        if (len >= TCP_HDR_MIN)
            fix_csum(q, len, SRC, DST);
        rc = parse_exact(&s, q, len, SRC, DST);
        if (len < TCP_HDR_MIN) {
            assert_int_equal(rc, AE_ERR_TRUNCATED);
        } else if (len < 40) {
            assert_int_equal(rc, AE_ERR_INVAL);
        } else {
            assert_int_equal(rc, AE_OK);
            assert_int_equal(s.len, len - 40);
            assert_int_equal(s.mss, 1460);
        }
    }
    /* Longer than a pseudo-header length can say. */
    {
        uint8_t *big = calloc(1, 70000);

        memcpy(big, p, 60);
        assert_int_equal(tcp_seg_parse(&s, SRC, DST, big, 70000), AE_ERR_RANGE);
        free(big);
    }
}

static void TCPS0003_data_offset_bounds(void **state)
{
    uint8_t p[60];
    struct tcp_seg s;

    (void)state;
    memset(p, 0, sizeof(p));
    net_put16(p, 1);
    net_put16(p + 2, 2);
    for (unsigned off = 0; off < 16; off++) {
        for (size_t len = 20; len <= 60; len += 4) {
            int rc;

            p[12] = (uint8_t)(off << 4);
            fix_csum(p, len, SRC, DST);
            rc = parse_exact(&s, p, len, SRC, DST);
            if (off < 5 || off * 4 > len) {
                assert_int_equal(rc, AE_ERR_INVAL);
            } else {
                /* All-zero options: EOL at once. */
                assert_int_equal(rc, AE_OK);
                assert_int_equal(s.hlen, off * 4);
                assert_int_equal(s.len, len - off * 4);
                assert_int_equal(s.opts, 0);
            }
        }
    }
    /* The reserved bits of byte 12 do not change the offset. */
    p[12] = 5 << 4 | 0x0f;
    fix_csum(p, 20, SRC, DST);
    assert_int_equal(parse_exact(&s, p, 20, SRC, DST), AE_OK);
    assert_int_equal(s.hlen, 20);
}

/* A 20-byte header followed by the given option bytes (padded with EOL to
 * a multiple of 4), checksummed. Returns the length. */
static size_t with_options(uint8_t *p, const uint8_t *o, size_t n)
{
    size_t h = 20 + ((n + 3) & ~(size_t)3);

    memset(p, 0, 60);
    net_put16(p, 1000);
    net_put16(p + 2, 2000);
    p[12] = (uint8_t)(h / 4 << 4);
    p[13] = TCP_SYN;
    memcpy(p + 20, o, n);
    fix_csum(p, h, SRC, DST);
    return h;
}

static void TCPS0004_options_malformed_unknown_and_eol(void **state)
{
    uint8_t p[60];
    struct tcp_seg s;
    size_t h;

    (void)state;
    /* Length 0 and 1 (not EOL or NOP): malformed. */
    {
        const uint8_t o0[] = {0x02, 0x00, 0x05, 0xb4};
        const uint8_t o1[] = {0x01, 0x63, 0x01, 0x01};
        const uint8_t o1b[] = {0x03, 0x01, 0x00, 0x00};

        h = with_options(p, o0, sizeof(o0));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
        h = with_options(p, o1, sizeof(o1));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
        h = with_options(p, o1b, sizeof(o1b));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
    }
    /* Running past the header: the length, or the length byte itself. */
    {
        const uint8_t past[] = {0x01, 0x01, 0x02, 0x04};     /* MSS needs 2 more */
        const uint8_t nolen[] = {0x01, 0x01, 0x01, 0x02};    /* kind, no length */
        const uint8_t big[] = {0x63, 0x28, 0x00, 0x00};      /* 40 bytes in 4 */

        h = with_options(p, past, sizeof(past));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
        h = with_options(p, nolen, sizeof(nolen));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
        h = with_options(p, big, sizeof(big));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_ERR_INVAL);
        /* The same option that exactly fills the header is fine. */
        {
            uint8_t fill[40] = {0x63, 40};

            h = with_options(p, fill, sizeof(fill));
            assert_int_equal(h, 60);
            assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
            assert_int_equal(s.opts, 0);
        }
    }
    /* Unknown kinds are skipped by their length; the MSS after is read. */
    {
        const uint8_t o[] = {0x63, 0x03, 0xaa, 0x1e, 0x02, 0x02, 0x04, 0x02, 0x18};

        h = with_options(p, o, sizeof(o));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
        assert_int_equal(s.opts, TCP_HAS_MSS);
        assert_int_equal(s.mss, 536);
    }
    /* Known kinds with the wrong length are skipped, not believed. */
    {
        const uint8_t o[] = {0x02, 0x03, 0x05, 0x03, 0x04, 0x01, 0x00, 0x04, 0x03, 0x00,
                             0x08, 0x02};

        h = with_options(p, o, sizeof(o));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
        assert_int_equal(s.opts, 0);
    }
    /* EOL ends the list: what follows is padding, even if it looks bad. */
    {
        const uint8_t o[] = {0x03, 0x03, 0x0e, 0x00, 0x02, 0x00, 0x63, 0x01};

        h = with_options(p, o, sizeof(o));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
        assert_int_equal(s.opts, TCP_HAS_WS);
        assert_int_equal(s.wscale, 14);
    }
    /* A shift above 14 is reported as sent (the connection clamps it). */
    {
        const uint8_t o[] = {0x01, 0x03, 0x03, 0x20};

        h = with_options(p, o, sizeof(o));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
        assert_int_equal(s.wscale, 32);
    }
    /* Forty NOPs. */
    {
        uint8_t o[40];

        memset(o, 1, sizeof(o));
        h = with_options(p, o, sizeof(o));
        assert_int_equal(parse_exact(&s, p, h, SRC, DST), AE_OK);
        assert_int_equal(s.opts, 0);
    }
}

static void TCPS0005_checksum_catches_every_bit(void **state)
{
    uint8_t p[57];
    struct tcp_seg s;

    (void)state;
    memcpy(p, syn_hdr, 40);
    p[13] = TCP_ACK | TCP_PSH;
    for (int i = 40; i < 57; i++)
        p[i] = (uint8_t)(i * 37);
    fix_csum(p, sizeof(p), SRC, DST);
    assert_int_equal(parse_exact(&s, p, sizeof(p), SRC, DST), AE_OK);
    for (size_t i = 0; i < sizeof(p) * 8; i++) {
        int rc;

        p[i / 8] ^= (uint8_t)(1 << (i % 8));
        rc = parse_exact(&s, p, sizeof(p), SRC, DST);
        /* Bits of the data offset may make the header not fit first. */
        if (i / 8 == 12 && i % 8 >= 4)
            assert_true(rc == AE_ERR_CORRUPT || rc == AE_ERR_INVAL);
        else
            assert_int_equal(rc, AE_ERR_CORRUPT);
        p[i / 8] ^= (uint8_t)(1 << (i % 8));
    }
    /* The pseudo-header: another source or destination address. */
    assert_int_equal(parse_exact(&s, p, sizeof(p), SRC + 1, DST), AE_ERR_CORRUPT);
    assert_int_equal(parse_exact(&s, p, sizeof(p), SRC, DST ^ 0x01000000), AE_ERR_CORRUPT);
    assert_int_equal(parse_exact(&s, p, sizeof(p), DST, SRC), AE_OK); /* sum is symmetric */
}

static void TCPS0006_builder_exact_bytes_and_pieces(void **state)
{
    uint8_t hdr[TCP_HDR_MAX], seg[200], one[200];
    struct tcp_seg o, s;
    size_t h;
    const uint8_t want[28] = {
        0xc0, 0x00, 0x00, 0x50, 0xff, 0xff, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x00,
        0x70, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
        0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x02,
    };
    uint8_t w[28];

    (void)state;
    memset(&o, 0, sizeof(o));
    o.sport = 0xc000;
    o.dport = 80;
    o.seq = 0xfffffff0;
    o.flags = TCP_SYN;
    o.wnd = 0xffff;
    o.opts = TCP_HAS_MSS | TCP_HAS_WS;
    o.mss = 1460;
    o.wscale = 2;
    h = tcp_seg_build(hdr, SRC, DST, &o, NULL, 0, NULL, 0);
    assert_int_equal(h, 28);
    memcpy(w, want, 28);
    fix_csum(w, 28, SRC, DST);
    assert_memory_equal(hdr, w, 28);

    /* Every option, then a parse gives back every field. */
    o.flags = TCP_SYN | TCP_ACK;
    o.ack = 0x12345678;
    o.urp = 7;
    o.opts = TCP_HAS_MSS | TCP_HAS_WS | TCP_HAS_SACKOK | TCP_HAS_TS;
    o.ts_val = 1;
    o.ts_ecr = 0xffffffff;
    h = tcp_seg_build(hdr, SRC, DST, &o, NULL, 0, NULL, 0);
    assert_int_equal(h, 44);
    assert_int_equal(parse_exact(&s, hdr, h, SRC, DST), AE_OK);
    assert_int_equal(s.seq, o.seq);
    assert_int_equal(s.ack, o.ack);
    assert_int_equal(s.flags, o.flags);
    assert_int_equal(s.urp, 7);
    assert_int_equal(s.opts, o.opts);
    assert_int_equal(s.mss, 1460);
    assert_int_equal(s.wscale, 2);
    assert_int_equal(s.ts_val, 1);
    assert_int_equal(s.ts_ecr, 0xffffffff);

    /* A payload in two pieces at every split, odd or even, sums like the
     * payload in one piece. */
    rng_state = 6;
    for (int i = 0; i < 150; i++)
        one[i] = (uint8_t)rng();
    memset(&o, 0, sizeof(o));
    o.sport = 1;
    o.dport = 2;
    o.flags = TCP_ACK;
    for (size_t n = 0; n <= 150; n += (n < 10 ? 1 : 7)) {
        uint16_t whole;

        h = tcp_seg_build(hdr, SRC, DST, &o, one, n, NULL, 0);
        whole = net_get16(hdr + 16);
        for (size_t k = 0; k <= n; k++) {
            h = tcp_seg_build(hdr, SRC, DST, &o, one, k, one + k, n - k);
            assert_int_equal(net_get16(hdr + 16), whole);
            h = tcp_seg_build(hdr, SRC, DST, &o, NULL, 0, one, n);
            assert_int_equal(net_get16(hdr + 16), whole);
        }
        memcpy(seg, hdr, h);
        memcpy(seg + h, one, n);
        assert_int_equal(parse_exact(&s, seg, h + n, SRC, DST), AE_OK);
        assert_int_equal(s.len, n);
        assert_memory_equal(s.data, one, n);
    }
}

/*
 * Reference option parser, written apart from the library's: returns 0
 * and the options found, or -1 for a malformed list.
 */
static int ref_options(const uint8_t *o, size_t n, uint8_t *opts, uint16_t *mss, uint8_t *ws)
{
    size_t i = 0;

    *opts = 0;
    while (i < n && o[i] != 0) {
        size_t len;

        if (o[i] == 1) {
            i += 1;
            continue;
        }
        if (n - i < 2)
            return -1;
        len = o[i + 1];
        if (len < 2 || i + len > n)
            return -1;
        if (o[i] == 2 && len == 4) {
            *opts |= TCP_HAS_MSS;
            *mss = (uint16_t)(o[i + 2] * 256 + o[i + 3]);
        } else if (o[i] == 3 && len == 3) {
            *opts |= TCP_HAS_WS;
            *ws = o[i + 2];
        } else if (o[i] == 4 && len == 2) {
            *opts |= TCP_HAS_SACKOK;
        } else if (o[i] == 8 && len == 10) {
            *opts |= TCP_HAS_TS;
        }
        i += len;
    }
    return 0;
}

static void TCPS0007_random_and_mutated_segments(void **state)
{
    static const uint8_t kinds[] = {0, 1, 2, 3, 4, 8, 99, 254};
    uint8_t p[120];
    struct tcp_seg s;
    unsigned ok = 0, inval = 0, corrupt = 0;

    (void)state;
    rng_state = 0x7c9;
    for (int iter = 0; iter < 40000; iter++) {
        size_t h = 20 + 4 * (rng() % 11), len, olen = h - 20;
        int rc, want;
        uint8_t ropts;
        uint16_t rmss = 0;
        uint8_t rws = 0;

        /* Options made of plausible pieces with random lengths. */
        for (size_t i = 0; i < olen;) {
            uint8_t k = kinds[rng() % sizeof(kinds)];
            uint8_t l = (uint8_t)(rng() % 4 == 0 ? rng() % 12 : (k == 2 ? 4 : k == 3 ? 3 :
                                                                  k == 4 ? 2 : k == 8 ? 10 :
                                                                  2 + rng() % 4));

            p[20 + i++] = k;
            if (i < olen)
                p[20 + i++] = l;
            for (uint8_t j = 2; j < l && i < olen; j++)
                p[20 + i++] = (uint8_t)rng();
        }
        len = h + rng() % (sizeof(p) - h + 1);
        for (size_t i = h; i < len; i++)
            p[i] = (uint8_t)rng();
        for (int i = 0; i < 20; i++)
            p[i] = (uint8_t)rng();
        p[12] = (uint8_t)(h / 4 << 4 | (p[12] & 0x0f));
        if (rng() % 8 == 0)
            p[12] = (uint8_t)(p[12] ^ (rng() % 16) << 4); /* lying data offset */
        fix_csum(p, len, SRC, DST);
        if (rng() % 4 == 0)
            p[rng() % len] ^= (uint8_t)(1 + rng() % 255); /* damaged after the sum */
        if (rng() % 8 == 0)
            len = rng() % (len + 1);                    /* cut short */

        rc = parse_exact(&s, p, len, SRC, DST);
        if (len < 20) {
            want = AE_ERR_TRUNCATED;
        } else if ((p[12] >> 4) < 5 || (size_t)(p[12] >> 4) * 4 > len) {
            want = AE_ERR_INVAL;
        } else if (inet_fold(inet_sum(inet_sum_pseudo4(SRC, DST, 6, (uint16_t)len), p, len))) {
            want = AE_ERR_CORRUPT;
        } else {
            want = ref_options(p + 20, (size_t)(p[12] >> 4) * 4 - 20, &ropts, &rmss, &rws)
                       ? AE_ERR_INVAL : AE_OK;
        }
        assert_int_equal(rc, want);
        if (rc == AE_OK) {
            ok++;
            assert_int_equal(s.hlen, (p[12] >> 4) * 4);
            assert_int_equal(s.len, len - s.hlen);
            assert_ptr_equal(s.data, p + s.hlen);
            assert_int_equal(s.opts, ropts);
            if (ropts & TCP_HAS_MSS)
                assert_int_equal(s.mss, rmss);
            if (ropts & TCP_HAS_WS)
                assert_int_equal(s.wscale, rws);
            assert_int_equal(s.seq, net_get32(p + 4));
            assert_int_equal(s.ack, net_get32(p + 8));
        } else if (rc == AE_ERR_INVAL) {
            inval++;
        } else if (rc == AE_ERR_CORRUPT) {
            corrupt++;
        }
    }
    /* The generator reaches every outcome often. */
    assert_true(ok > 5000);
    assert_true(inval > 5000);
    assert_true(corrupt > 5000);
}

static void TCPS0008_sequence_comparisons_wrap(void **state)
{
    (void)state;
    assert_true(tcp_seq_lt(0xfffffff0u, 0x10));
    assert_true(tcp_seq_gt(0x10, 0xfffffff0u));
    assert_false(tcp_seq_lt(0x10, 0xfffffff0u));
    assert_true(tcp_seq_leq(5, 5));
    assert_true(tcp_seq_geq(5, 5));
    assert_false(tcp_seq_lt(5, 5));
    assert_true(tcp_seq_lt(0x7ffffffe, 0x7fffffff));
    assert_true(tcp_seq_lt(0xffffffffu, 0));
    assert_true(tcp_seq_lt(0, 0x7fffffff));
    assert_true(tcp_seq_gt(0, 0x80000001u));
    assert_true(tcp_seq_in(0xffffffffu, 0xfffffff0u, 0x20));
    assert_true(tcp_seq_in(0x0000000fu, 0xfffffff0u, 0x20));
    assert_false(tcp_seq_in(0x00000010u, 0xfffffff0u, 0x20));
    assert_false(tcp_seq_in(0xffffffefu, 0xfffffff0u, 0x20));
    assert_false(tcp_seq_in(5, 5, 0));
    assert_int_equal(tcp_seq_max(0xfffffff0u, 3), 3);
    assert_int_equal(tcp_seq_max(3, 0xfffffff0u), 3);
    /* Against the definition, over random pairs. */
    rng_state = 8;
    for (int i = 0; i < 100000; i++) {
        uint32_t a = (uint32_t)rng(), d = (uint32_t)rng() % 0x7fffffffu + 1;

        assert_true(tcp_seq_lt(a, a + d));
        assert_true(tcp_seq_gt(a + d, a));
        assert_false(tcp_seq_geq(a, a + d));
        assert_true(tcp_seq_in(a + d - 1, a, d));
        assert_false(tcp_seq_in(a + d, a, d));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(TCPS0001_parse_hand_built_segments),
        cmocka_unit_test(TCPS0002_every_truncation_length),
        cmocka_unit_test(TCPS0003_data_offset_bounds),
        cmocka_unit_test(TCPS0004_options_malformed_unknown_and_eol),
        cmocka_unit_test(TCPS0005_checksum_catches_every_bit),
        cmocka_unit_test(TCPS0006_builder_exact_bytes_and_pieces),
        cmocka_unit_test(TCPS0007_random_and_mutated_segments),
        cmocka_unit_test(TCPS0008_sequence_comparisons_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
