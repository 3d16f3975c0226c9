/*
 * Unit tests for user/lib/net/dhcp_msg.c and dhcp.c: DISCOVER and REQUEST
 * bytes, a real QEMU slirp OFFER (10.0.2.15, router 10.0.2.2, DNS
 * 10.0.2.3, mask /24, lease 86400) parsed field by field and truncated at
 * every length, option errors (running past the end, length byte missing,
 * no end, zero-length and wrong-length options, duplicates), foreign xid
 * and chaddr; the client state machine through a full exchange (DISCOVER,
 * OFFER, REQUEST, ACK, BOUND, renewal at T1, ACK), renewal unanswered
 * (retransmissions, rebinding at T2, expiry), NAKs, retransmission backoff
 * and its jitter, the static-configuration fallback, REQUEST retries,
 * server T1/T2, infinite and tiny leases, and random corruption.
 */
#include "unit.h"

#include "net/dhcp.h"
#include "net/dhcp_msg.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

#define S 1000000000ull

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint32_t me = NET_IP4(10, 0, 2, 15), srv = NET_IP4(10, 0, 2, 2);

/* What QEMU's slirp answers to a DISCOVER with xid 0x3903f326: the whole
 * 548-byte BOOTP reply, options in slirp's order. */
static const uint8_t slirp_offer[548] = {
    2, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26,         /* op, htype, hlen, hops, xid */
    0, 0, 0, 0,                                 /* secs, flags */
    0, 0, 0, 0, 10, 0, 2, 15, 10, 0, 2, 2, 0, 0, 0, 0,  /* ciaddr yiaddr siaddr giaddr */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56,         /* chaddr */
    [236] = 0x63, 0x82, 0x53, 0x63,             /* magic cookie */
    53, 1, 2,                                   /* OFFER */
    54, 4, 10, 0, 2, 2,                         /* server id */
    1, 4, 255, 255, 255, 0,                     /* mask */
    3, 4, 10, 0, 2, 2,                          /* router */
    6, 4, 10, 0, 2, 3,                          /* DNS */
    51, 4, 0x00, 0x01, 0x51, 0x80,              /* lease 86400 s */
    255,
};
#define SLIRP_END 273                           /* index of the end option */

/* ---- a tiny server side, written apart from the library ---- */

struct srvmsg {
    uint8_t b[600];
    size_t len;
};

static void srv_opt(struct srvmsg *m, uint8_t code, uint8_t len, const void *v)
{
    m->b[m->len++] = code;
    m->b[m->len++] = len;
    memcpy(m->b + m->len, v, len);
    m->len += len;
}

static void srv_opt32(struct srvmsg *m, uint8_t code, uint32_t v)
{
    uint8_t b[4];

    net_put32(b, v);
    srv_opt(m, code, 4, b);
}

/* A reply's fixed part and message type; options follow with srv_opt,
 * then srv_end. */
static void srv_begin(struct srvmsg *m, uint8_t type, uint32_t xid, uint32_t yiaddr)
{
    memset(m, 0, sizeof(*m));
    m->b[0] = 2;
    m->b[1] = 1;
    m->b[2] = 6;
    net_put32(m->b + 4, xid);
    net_put32(m->b + 16, yiaddr);
    net_put32(m->b + 20, srv);
    memcpy(m->b + 28, mac, 6);
    net_put32(m->b + 236, DHCP_MAGIC);
    m->len = 240;
    srv_opt(m, 53, 1, &type);
}

static void srv_end(struct srvmsg *m)
{
    m->b[m->len++] = 255;
}

/* slirp's OFFER or ACK for xid, as srv_begin + options. */
static void slirp_reply(struct srvmsg *m, uint8_t type, uint32_t xid, uint32_t lease)
{
    srv_begin(m, type, xid, me);
    srv_opt32(m, 54, srv);
    srv_opt32(m, 1, 0xffffff00u);
    srv_opt32(m, 3, srv);
    srv_opt32(m, 6, NET_IP4(10, 0, 2, 3));
    srv_opt32(m, 51, lease);
    srv_end(m);
}

/* A client message as a server reads it. */
struct seen {
    uint8_t type;
    uint32_t xid, ciaddr;
    uint16_t secs, flags;
    uint32_t req_ip, server_id;         /* 0: option absent */
    bool client_id, params, max_size;
};

static void srv_read(const uint8_t *p, size_t len, struct seen *s)
{
    size_t i = 240;

    memset(s, 0, sizeof(*s));
    assert_int_equal(len, 300);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[1], 1);
    assert_int_equal(p[2], 6);
    assert_memory_equal(p + 28, mac, 6);
    assert_int_equal(net_get32(p + 236), DHCP_MAGIC);
    s->xid = net_get32(p + 4);
    s->secs = net_get16(p + 8);
    s->flags = net_get16(p + 10);
    s->ciaddr = net_get32(p + 12);
    while (p[i] != 255) {
        uint8_t code = p[i], l = p[i + 1];
        const uint8_t *v = p + i + 2;

        assert_true(i + 2 + l < len);
        if (code == 53)
            s->type = v[0];
        else if (code == 50)
            s->req_ip = net_get32(v);
        else if (code == 54)
            s->server_id = net_get32(v);
        else if (code == 61)
            s->client_id = l == 7 && v[0] == 1 && memcmp(v + 1, mac, 6) == 0;
        else if (code == 55)
            s->params = l == 6 && memcmp(v, "\x01\x03\x06\x33\x3a\x3b", 6) == 0;
        else if (code == 57)
            s->max_size = l == 2 && net_get16(v) == 1500;
        i += 2u + l;
    }
    for (i++; i < len; i++)
        assert_int_equal(p[i], 0);
}

/* Polls at now and reads what was sent (expecting something). */
static void poll_sent(struct dhcp_client *c, uint64_t now, int want_ev, struct dhcp_poll_out *po,
                      struct seen *s)
{
    uint8_t out[DHCP_MSG_LEN];

    assert_int_equal(dhcp_poll(c, now, out, sizeof(out), po), want_ev);
    assert_int_equal(po->len, DHCP_MSG_LEN);
    srv_read(out, po->len, s);
}

/* Polls at now expecting nothing to send; returns the next deadline. */
static uint64_t poll_quiet(struct dhcp_client *c, uint64_t now)
{
    uint8_t out[DHCP_MSG_LEN];
    struct dhcp_poll_out po;

    assert_int_equal(dhcp_poll(c, now, out, sizeof(out), &po), DHCP_EV_NONE);
    assert_int_equal(po.len, 0);
    return po.next_ns;
}

static int feed(struct dhcp_client *c, const struct srvmsg *m, uint64_t now)
{
    /* An exact-size heap copy: ASan sees any read past the message. */
    uint8_t *p = malloc(m->len);
    int ev;

    memcpy(p, m->b, m->len);
    ev = dhcp_input(c, p, m->len, now);
    free(p);
    return ev;
}

/* Start at t0, take slirp's offer, get an ACK with this lease: BOUND,
 * with the REQUEST sent at t0 + 1 ms. */
static void bind_at(struct dhcp_client *c, const struct dhcp_config *cfg, uint64_t t0,
                    uint32_t lease)
{
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;

    dhcp_start(c, cfg, mac, 0x1234 + t0, t0);
    poll_sent(c, t0, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_OFFER, s.xid, lease);
    assert_int_equal(feed(c, &m, t0), DHCP_EV_OFFERED);
    poll_sent(c, t0 + 1000000, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_ACK, s.xid, lease);
    assert_int_equal(feed(c, &m, t0 + 2000000), DHCP_EV_BOUND);
    assert_int_equal(c->state, DHCP_BOUND);
}

static void DHCP0001_build_discover_and_request_bytes(void **state)
{
    uint8_t b[320];
    struct dhcp_tx tx = {.type = DHCP_DISCOVER, .xid = 0x11223344, .secs = 3, .broadcast = true,
                         .client_id = true, .max_size = 1500};
    static const uint8_t disc_opts[] = {53, 1, 1, 61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
                                        57, 2, 0x05, 0xdc, 55, 6, 1, 3, 6, 51, 58, 59, 255};
    static const uint8_t req_opts[] = {53, 1, 3, 50, 4, 10, 0, 2, 15, 54, 4, 10, 0, 2, 2,
                                       55, 6, 1, 3, 6, 51, 58, 59, 255};

    (void)state;
    memcpy(tx.mac, mac, 6);
    memset(b, 0xaa, sizeof(b));
    assert_int_equal(dhcp_build(b, 299, &tx), AE_ERR_TRUNCATED);
    assert_int_equal(b[0], 0xaa);
    assert_int_equal(dhcp_build(b, sizeof(b), &tx), 300);
    assert_int_equal(b[300], 0xaa);
    assert_memory_equal(b, "\x01\x01\x06\x00\x11\x22\x33\x44\x00\x03\x80\x00", 12);
    for (int i = 12; i < 28; i++)
        assert_int_equal(b[i], 0);              /* ciaddr yiaddr siaddr giaddr */
    assert_memory_equal(b + 28, mac, 6);
    for (int i = 34; i < 236; i++)
        assert_int_equal(b[i], 0);              /* chaddr padding, sname, file */
    assert_memory_equal(b + 236, "\x63\x82\x53\x63", 4);
    assert_memory_equal(b + 240, disc_opts, sizeof(disc_opts));
    for (size_t i = 240 + sizeof(disc_opts); i < 300; i++)
        assert_int_equal(b[i], 0);

    tx = (struct dhcp_tx){.type = DHCP_REQUEST, .xid = 1, .requested_ip = me, .server_id = srv};
    memcpy(tx.mac, mac, 6);
    assert_int_equal(dhcp_build(b, sizeof(b), &tx), 300);
    assert_int_equal(net_get16(b + 10), 0);     /* no broadcast flag */
    assert_memory_equal(b + 240, req_opts, sizeof(req_opts));
    /* Renewing: ciaddr, no 50 or 54. */
    tx = (struct dhcp_tx){.type = DHCP_REQUEST, .xid = 1, .ciaddr = me};
    assert_int_equal(dhcp_build(b, sizeof(b), &tx), 300);
    assert_int_equal(net_get32(b + 12), me);
    assert_memory_equal(b + 240, "\x35\x01\x03\x37\x06", 5);
    /* A RELEASE asks for nothing; server types are refused. */
    tx.type = DHCP_RELEASE;
    assert_int_equal(dhcp_build(b, sizeof(b), &tx), 300);
    assert_memory_equal(b + 240, "\x35\x01\x07\xff", 4);
    for (uint8_t t = 0; t < 12; t++) {
        bool client = t == 1 || t == 3 || t == 4 || t == 7 || t == 8;

        tx.type = t;
        assert_int_equal(dhcp_build(b, sizeof(b), &tx), client ? 300 : AE_ERR_INVAL);
    }
}

static int parse_copy(const uint8_t *src, size_t len, uint32_t xid, const uint8_t *m,
                      struct dhcp_reply *r)
{
    uint8_t *p = malloc(len ? len : 1);
    int err;

    memcpy(p, src, len);
    err = dhcp_parse(p, len, xid, m, r);
    free(p);
    return err;
}

static void DHCP0002_parse_slirp_offer(void **state)
{
    struct dhcp_reply r;

    (void)state;
    assert_int_equal(slirp_offer[SLIRP_END], 255);
    assert_int_equal(dhcp_parse(slirp_offer, sizeof(slirp_offer), 0x3903f326, mac, &r), AE_OK);
    assert_int_equal(r.type, DHCP_OFFER);
    assert_int_equal(r.xid, 0x3903f326);
    assert_int_equal(r.yiaddr, me);
    assert_int_equal(r.siaddr, srv);
    assert_int_equal(r.have, DHCP_HAVE_SERVER_ID | DHCP_HAVE_MASK | DHCP_HAVE_ROUTER |
                                 DHCP_HAVE_DNS | DHCP_HAVE_LEASE);
    assert_int_equal(r.server_id, srv);
    assert_int_equal(r.mask, 0xffffff00u);
    assert_int_equal(r.router, srv);
    assert_int_equal(r.dns_count, 1);
    assert_int_equal(r.dns[0], NET_IP4(10, 0, 2, 3));
    assert_int_equal(r.lease_s, 86400);
}

static void DHCP0003_every_truncation_of_the_offer(void **state)
{
    struct dhcp_reply r;

    (void)state;
    for (size_t len = 0; len <= SLIRP_END; len++)
        assert_int_equal(parse_copy(slirp_offer, len, 0x3903f326, mac, &r), AE_ERR_INVAL);
    for (size_t len = SLIRP_END + 1; len <= sizeof(slirp_offer); len++)
        assert_int_equal(parse_copy(slirp_offer, len, 0x3903f326, mac, &r), AE_OK);
}

static void DHCP0004_option_and_header_errors(void **state)
{
    static const struct {
        const char *opts;
        size_t len;
        int want;
    } cases[] = {
#define C(s, w) {s, sizeof(s) - 1, w}
        C("\x35\x01\x02\xff", AE_OK),
        C("\x35\x01\x02", AE_ERR_INVAL),                        /* no end */
        C("", AE_ERR_INVAL),                                    /* no options at all */
        C("\x35\x01\x02\x33", AE_ERR_INVAL),                    /* length byte missing */
        C("\x35\x01\x02\x33\x04\x00\x00", AE_ERR_INVAL),        /* value past the end */
        C("\x35\x01\x02\xfa\xff\x00", AE_ERR_INVAL),            /* 255 bytes claimed */
        C("\x35\x01\x02\x01\x00\xff", AE_ERR_INVAL),            /* zero-length mask */
        C("\x35\x01\x02\xfa\x00\xff", AE_OK),                   /* zero-length unknown */
        C("\x35\x01\x02\x35\x01\x02\xff", AE_ERR_INVAL),        /* duplicate type */
        C("\x35\x01\x02\x35\x01\x05\xff", AE_ERR_INVAL),
        C("\x35\x02\x02\x00\xff", AE_ERR_INVAL),                /* type of length 2 */
        C("\x35\x00\xff", AE_ERR_INVAL),
        C("\x35\x01\x01\xff", AE_ERR_UNSUPPORTED),              /* a DISCOVER */
        C("\x35\x01\x03\xff", AE_ERR_UNSUPPORTED),
        C("\x35\x01\x09\xff", AE_ERR_UNSUPPORTED),              /* FORCERENEW */
        C("\x35\x01\x00\xff", AE_ERR_UNSUPPORTED),
        C("\xff", AE_ERR_INVAL),                                /* BOOTP: no type */
        C("\x00\x00\x35\x01\x05\x00\xff\x12\x34", AE_OK),       /* pads, junk after end */
        C("\x35\x01\x02\x33\x03\x00\x00\x01\xff", AE_ERR_INVAL),    /* lease of 3 bytes */
        C("\x35\x01\x02\x33\x05\x00\x00\x01\x00\x00\xff", AE_ERR_INVAL),
        C("\x35\x01\x02\x3a\x02\x00\x01\xff", AE_ERR_INVAL),    /* T1 of 2 */
        C("\x35\x01\x02\x3b\x08\0\0\0\1\0\0\0\2\xff", AE_ERR_INVAL),  /* T2 of 8 */
        C("\x35\x01\x02\x36\x04\x0a\0\2\2\x36\x04\x0a\0\2\2\xff", AE_ERR_INVAL), /* two ids */
        C("\x35\x01\x02\x03\x06\x0a\0\2\2\0\0\xff", AE_ERR_INVAL),  /* router of 6 */
        C("\x35\x01\x02\x03\x00\xff", AE_ERR_INVAL),
        C("\x35\x01\x02\x03\x08\x0a\0\2\2\x0a\0\2\1\xff", AE_OK),
        C("\x35\x01\x02\x03\x04\x0a\0\2\2\x03\x04\x0a\0\2\1\xff", AE_ERR_INVAL),
        C("\x35\x01\x02\x06\x03\x0a\0\2\xff", AE_ERR_INVAL),    /* DNS of 3 */
        C("\x35\x01\x02\x01\x04\xff\x00\xff\x00\xff", AE_ERR_INVAL),    /* odd mask */
        C("\x35\x01\x02\x01\x04\x00\x00\x00\x00\xff", AE_ERR_INVAL),    /* mask 0 */
        C("\x35\x01\x02\x01\x04\xff\xff\xff\xff\xff", AE_OK),   /* /32 */
        C("\x35\x01\x02\x34\x01\x03\xff", AE_OK),               /* overload: ignored */
        C("\x35\x01\x02\x0c\x05myvm!\xff", AE_OK),              /* host name: skipped */
#undef C
    };
    uint8_t b[300];
    struct dhcp_reply r;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(b, slirp_offer, 240);
        memcpy(b + 240, cases[i].opts, cases[i].len);
        if (parse_copy(b, 240 + cases[i].len, 0x3903f326, mac, &r) != cases[i].want)
            fail_msg("case %zu: want %d", i, cases[i].want);
    }
    /* Four DNS servers: the first three kept, in order. */
    memcpy(b, slirp_offer, 240);
    memcpy(b + 240, "\x35\x01\x05\x06\x10\x01\x01\x01\x01\x02\x02\x02\x02\x03\x03\x03\x03"
                    "\x04\x04\x04\x04\x03\x08\x0a\0\2\2\x0a\0\2\1\xff", 32);
    assert_int_equal(parse_copy(b, 272, 0x3903f326, mac, &r), AE_OK);
    assert_int_equal(r.type, DHCP_ACK);
    assert_int_equal(r.dns_count, 3);
    assert_int_equal(r.dns[0], NET_IP4(1, 1, 1, 1));
    assert_int_equal(r.dns[2], NET_IP4(3, 3, 3, 3));
    assert_int_equal(r.router, srv);

    /* The fixed part. */
#define HDR(off, val, want)                                                             \
    do {                                                                                \
        memcpy(b, slirp_offer, 300);                                                    \
        b[off] = (val);                                                                 \
        assert_int_equal(parse_copy(b, 300, 0x3903f326, mac, &r), (want));              \
    } while (0)
    HDR(0, 1, AE_ERR_INVAL);                    /* a request */
    HDR(1, 6, AE_ERR_INVAL);                    /* not Ethernet */
    HDR(2, 16, AE_ERR_INVAL);
    HDR(236, 0x64, AE_ERR_INVAL);               /* cookie */
    HDR(239, 0x00, AE_ERR_INVAL);
    HDR(4, 0x38, AE_ERR_NOTFOUND);              /* someone else's xid */
    HDR(7, 0x27, AE_ERR_NOTFOUND);
    HDR(28, 0x53, AE_ERR_NOTFOUND);             /* someone else's MAC */
    HDR(33, 0x57, AE_ERR_NOTFOUND);
    HDR(34, 0x99, AE_OK);                       /* chaddr past 6 bytes: not looked at */
    HDR(3, 1, AE_OK);                           /* hops */
#undef HDR
}

static void DHCP0005_full_exchange_and_renewal(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    const uint64_t t0 = 1000 * S;
    const struct dhcp_lease *l;
    uint32_t xid1, xid2;
    uint64_t t1, t2, exp;

    (void)state;
    dhcp_start(&c, NULL, mac, 42, t0);
    assert_null(dhcp_lease(&c));
    poll_sent(&c, t0, DHCP_EV_NONE, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_int_equal(po.src_ip, 0);
    assert_int_equal(po.dst_ip, IPV4_BROADCAST);
    assert_int_equal(s.flags, DHCP_FLAG_BROADCAST);
    assert_int_equal(s.ciaddr, 0);
    assert_int_equal(s.req_ip, 0);
    assert_int_equal(s.server_id, 0);
    assert_int_equal(s.secs, 0);
    assert_true(s.client_id && s.params && s.max_size);
    assert_true(po.next_ns >= t0 + 3 * S && po.next_ns <= t0 + 5 * S);
    xid1 = s.xid;
    assert_int_equal(c.state, DHCP_SELECTING);

    slirp_reply(&m, DHCP_OFFER, xid1, 86400);
    assert_int_equal(feed(&c, &m, t0 + S / 10), DHCP_EV_OFFERED);
    assert_int_equal(c.state, DHCP_REQUESTING);
    poll_sent(&c, t0 + 2 * S, DHCP_EV_NONE, &po, &s);
    assert_int_equal(s.type, DHCP_REQUEST);
    assert_int_equal(s.xid, xid1);              /* the offer's transaction */
    assert_int_equal(s.req_ip, me);
    assert_int_equal(s.server_id, srv);
    assert_int_equal(s.ciaddr, 0);
    assert_int_equal(s.flags, DHCP_FLAG_BROADCAST);
    assert_int_equal(s.secs, 2);
    assert_int_equal(po.dst_ip, IPV4_BROADCAST);
    assert_int_equal(po.src_ip, 0);

    slirp_reply(&m, DHCP_ACK, xid1, 86400);
    assert_int_equal(feed(&c, &m, t0 + 3 * S), DHCP_EV_BOUND);
    l = dhcp_lease(&c);
    assert_non_null(l);
    assert_int_equal(l->addr, me);
    assert_int_equal(l->mask, 0xffffff00u);
    assert_int_equal(l->router, srv);
    assert_int_equal(l->dns_count, 1);
    assert_int_equal(l->dns[0], NET_IP4(10, 0, 2, 3));
    assert_int_equal(l->server_id, srv);
    assert_int_equal(l->lease_s, 86400);
    /* Counted from when the REQUEST went out. */
    assert_int_equal(l->start_ns, t0 + 2 * S);
    t1 = t0 + 2 * S + 43200 * S;
    t2 = t0 + 2 * S + 75600 * S;
    exp = t0 + 2 * S + 86400 * S;
    assert_int_equal(l->t1_ns, t1);
    assert_int_equal(l->t2_ns, t2);
    assert_int_equal(l->expiry_ns, exp);
    assert_int_equal(poll_quiet(&c, t0 + 4 * S), t1);
    /* A late copy of the ACK changes nothing. */
    assert_int_equal(feed(&c, &m, t0 + 5 * S), DHCP_EV_NONE);
    assert_int_equal(poll_quiet(&c, t1 - 1), t1);

    /* T1: a unicast REQUEST from our address, in a new transaction. */
    poll_sent(&c, t1, DHCP_EV_NONE, &po, &s);
    assert_int_equal(c.state, DHCP_RENEWING);
    assert_int_equal(s.type, DHCP_REQUEST);
    assert_int_equal(po.dst_ip, srv);
    assert_int_equal(po.src_ip, me);
    assert_int_equal(s.ciaddr, me);
    assert_int_equal(s.req_ip, 0);              /* RFC 2131 table 5: MUST NOT */
    assert_int_equal(s.server_id, 0);
    assert_int_equal(s.flags, 0);
    assert_int_equal(s.secs, 0);
    assert_int_not_equal(s.xid, xid1);
    xid2 = s.xid;
    assert_int_equal(po.next_ns, t1 + (t2 - t1) / 2);
    assert_non_null(dhcp_lease(&c));            /* still usable */

    slirp_reply(&m, DHCP_ACK, xid2, 86400);
    assert_int_equal(feed(&c, &m, t1 + S), DHCP_EV_RENEWED);
    l = dhcp_lease(&c);
    assert_int_equal(c.state, DHCP_BOUND);
    assert_int_equal(l->start_ns, t1);
    assert_int_equal(l->t1_ns, t1 + 43200 * S);
    assert_int_equal(l->expiry_ns, t1 + 86400 * S);
    assert_int_equal(c.stats.offers, 1);
    assert_int_equal(c.stats.acks, 2);
    assert_int_equal(c.stats.sent, 3);
}

static void DHCP0006_renewal_unanswered_rebinding_and_expiry(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    const uint64_t t0 = 7 * S;
    uint64_t st, at;
    const uint64_t renew_at[] = {500000, 687500, 781250, 841250}; /* ms after start */

    (void)state;
    bind_at(&c, NULL, t0, 1000);
    st = dhcp_lease(&c)->start_ns;
    assert_int_equal(st, t0 + 1000000);
    assert_int_equal(dhcp_lease(&c)->t1_ns, st + 500 * S);
    assert_int_equal(dhcp_lease(&c)->t2_ns, st + 875 * S);
    /* Renewing: half the time left to T2, at least 60 s, never past T2:
     * 500, 687.5, 781.25, 841.25 s, then T2 at 875. */
    for (size_t i = 0; i < 4; i++) {
        at = st + renew_at[i] * 1000000ull;
        assert_int_equal(poll_quiet(&c, at - 1), at);
        poll_sent(&c, at, DHCP_EV_NONE, &po, &s);
        assert_int_equal(po.dst_ip, srv);
        assert_int_equal(po.next_ns, i < 3 ? st + renew_at[i + 1] * 1000000ull : st + 875 * S);
    }
    /* T2: rebinding, broadcast, same addresses in the message. */
    assert_int_equal(poll_quiet(&c, st + 875 * S - 1), st + 875 * S);
    poll_sent(&c, st + 875 * S, DHCP_EV_NONE, &po, &s);
    assert_int_equal(c.state, DHCP_REBINDING);
    assert_int_equal(po.dst_ip, IPV4_BROADCAST);
    assert_int_equal(po.src_ip, me);
    assert_int_equal(s.ciaddr, me);
    assert_int_equal(s.req_ip, 0);
    assert_int_equal(s.server_id, 0);
    assert_int_equal(s.flags, 0);
    /* Half the time left to expiry, at least 60 s: 937.5, 997.5, 1000. */
    assert_int_equal(po.next_ns, st + 937500 * 1000000ull);
    poll_sent(&c, st + 937500 * 1000000ull, DHCP_EV_NONE, &po, &s);
    assert_int_equal(po.next_ns, st + 997500 * 1000000ull);
    poll_sent(&c, st + 997500 * 1000000ull, DHCP_EV_NONE, &po, &s);
    assert_int_equal(po.next_ns, st + 1000 * S);
    assert_non_null(dhcp_lease(&c));
    assert_int_equal(poll_quiet(&c, st + 1000 * S - 1), st + 1000 * S);
    /* Expiry: told, and a DISCOVER for the old address goes out at once. */
    poll_sent(&c, st + 1000 * S, DHCP_EV_EXPIRED, &po, &s);
    assert_null(dhcp_lease(&c));
    assert_int_equal(c.state, DHCP_SELECTING);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_int_equal(s.req_ip, me);
    assert_int_equal(po.src_ip, 0);
    assert_int_equal(po.dst_ip, IPV4_BROADCAST);

    /* A client asleep through T1, T2 and expiry catches up in one poll. */
    bind_at(&c, NULL, t0, 1000);
    poll_sent(&c, t0 + 5000 * S, DHCP_EV_EXPIRED, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_null(dhcp_lease(&c));
}

static void DHCP0007_nak(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    uint32_t xid;

    (void)state;
    /* In REQUESTING: back to INIT, then a fresh DISCOVER. */
    dhcp_start(&c, NULL, mac, 7, 0);
    poll_sent(&c, 0, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_OFFER, s.xid, 3600);
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_OFFERED);
    poll_sent(&c, 2, DHCP_EV_NONE, &po, &s);
    xid = s.xid;
    srv_begin(&m, DHCP_NAK, xid, 0);
    srv_opt32(&m, 54, NET_IP4(10, 0, 2, 99));   /* another server: ignored */
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 3), DHCP_EV_NONE);
    assert_int_equal(c.state, DHCP_REQUESTING);
    srv_begin(&m, DHCP_NAK, xid, 0);
    srv_opt32(&m, 54, srv);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 3), DHCP_EV_NAK);
    assert_int_equal(c.state, DHCP_INIT);
    assert_null(dhcp_lease(&c));
    poll_sent(&c, 4, DHCP_EV_NONE, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_int_not_equal(s.xid, xid);
    assert_int_equal(s.req_ip, 0);

    /* In RENEWING: the lease is gone. A NAK without a server id counts. */
    bind_at(&c, NULL, 0, 1000);
    poll_sent(&c, 600 * S, DHCP_EV_NONE, &po, &s);
    assert_int_equal(c.state, DHCP_RENEWING);
    srv_begin(&m, DHCP_NAK, s.xid, 0);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 601 * S), DHCP_EV_NAK);
    assert_null(dhcp_lease(&c));
    poll_sent(&c, 601 * S, DHCP_EV_NONE, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_int_equal(s.req_ip, 0);              /* refused: not asked for again */

    /* In REBINDING any server may answer. */
    bind_at(&c, NULL, 0, 1000);
    poll_sent(&c, 900 * S, DHCP_EV_NONE, &po, &s);
    assert_int_equal(c.state, DHCP_REBINDING);
    srv_begin(&m, DHCP_NAK, s.xid, 0);
    srv_opt32(&m, 54, NET_IP4(10, 0, 2, 99));
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 901 * S), DHCP_EV_NAK);
    assert_null(dhcp_lease(&c));
}

static void DHCP0008_backoff_values_and_retransmissions(void **state)
{
    static const uint64_t base[] = {4, 8, 16, 32, 64, 64, 64, 64};
    struct dhcp_client c;
    struct dhcp_config cfg = {.fallback_after = 100};
    struct dhcp_poll_out po;
    struct seen s;
    uint64_t now = 5 * S, next;
    uint32_t xid;
    bool varied = false;
    int64_t first_jitter = 0;

    (void)state;
    for (unsigned a = 0; a < 8; a++) {
        assert_int_equal(dhcp_backoff_ns(a, 1000), base[a] * S);
        assert_int_equal(dhcp_backoff_ns(a, 0), base[a] * S - S);
        assert_int_equal(dhcp_backoff_ns(a, 2000), base[a] * S + S);
        assert_int_equal(dhcp_backoff_ns(a, 2001), base[a] * S - S);
        assert_int_equal(dhcp_backoff_ns(a, 1500), base[a] * S + S / 2);
    }
    assert_int_equal(dhcp_backoff_ns(1000, 1000), 64 * S);
    assert_int_equal(dhcp_backoff_ns(0, 0xffffffffu), 4 * S - S + (0xffffffffu % 2001) * 1000000ull);

    dhcp_start(&c, &cfg, mac, 99, now);
    poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
    xid = s.xid;
    for (unsigned a = 0; a < 8; a++) {
        int64_t jitter;

        next = po.next_ns;
        jitter = (int64_t)(next - now) - (int64_t)(base[a] * S);
        assert_true(jitter >= -(int64_t)S && jitter <= (int64_t)S);
        if (a == 0)
            first_jitter = jitter;
        else if (jitter != first_jitter)
            varied = true;
        assert_int_equal(poll_quiet(&c, next - 1), next);
        now = next;
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
        assert_int_equal(s.type, DHCP_DISCOVER);
        assert_int_equal(s.xid, xid);           /* retransmissions keep the xid */
        assert_int_equal(s.secs, (now - 5 * S) / S);
    }
    assert_true(varied);
    assert_int_equal(c.stats.sent, 9);
}

static void DHCP0009_fallback_after_unanswered_discovers(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    uint64_t now = 0;

    (void)state;
    dhcp_start(&c, NULL, mac, 5, now);          /* default: after 3 */
    assert_int_equal(c.cfg.fallback_after, DHCP_FALLBACK_AFTER);
    for (int i = 1; i <= 3; i++) {
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
        now = po.next_ns;
    }
    /* The third DISCOVER timed out: fall back, keep trying. */
    poll_sent(&c, now, DHCP_EV_FALLBACK, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    for (int i = 0; i < 3; i++) {
        now = po.next_ns;
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);      /* said once only */
    }
    /* A late server still gets us bound. */
    slirp_reply(&m, DHCP_OFFER, s.xid, 1000);
    assert_int_equal(feed(&c, &m, now + 1), DHCP_EV_OFFERED);
    poll_sent(&c, now + 1, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_ACK, s.xid, 1000);
    assert_int_equal(feed(&c, &m, now + 2), DHCP_EV_BOUND);
    /* Losing the lease starts the count again, and the fallback is said
     * again after three more. */
    now += 2000 * S;
    poll_sent(&c, now, DHCP_EV_EXPIRED, &po, &s);
    for (int i = 2; i <= 3; i++) {
        now = po.next_ns;
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
    }
    now = po.next_ns;
    poll_sent(&c, now, DHCP_EV_FALLBACK, &po, &s);

    /* A NAK after binding: the count restarts from the binding. */
    slirp_reply(&m, DHCP_OFFER, s.xid, 1000);
    assert_int_equal(feed(&c, &m, now + 1), DHCP_EV_OFFERED);
    poll_sent(&c, now + 1, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_ACK, s.xid, 1000);
    assert_int_equal(feed(&c, &m, now + 2), DHCP_EV_BOUND);
    now += 600 * S;
    poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
    assert_int_equal(c.state, DHCP_RENEWING);
    srv_begin(&m, DHCP_NAK, s.xid, 0);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, now), DHCP_EV_NAK);
    for (int i = 1; i <= 3; i++) {
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
        now = po.next_ns;
    }
    poll_sent(&c, now, DHCP_EV_FALLBACK, &po, &s);

    /* Configurable: after 1. */
    {
        struct dhcp_config cfg = {.fallback_after = 1};

        dhcp_start(&c, &cfg, mac, 5, 0);
        poll_sent(&c, 0, DHCP_EV_NONE, &po, &s);
        poll_sent(&c, po.next_ns, DHCP_EV_FALLBACK, &po, &s);
    }
}

static void DHCP0010_foreign_and_unexpected_messages_ignored(void **state)
{
    struct dhcp_client c, saved;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    uint32_t xid;

    (void)state;
    dhcp_start(&c, NULL, mac, 11, 0);
    /* Nothing outstanding yet (INIT): ignored. */
    slirp_reply(&m, DHCP_OFFER, c.xid, 100);
    assert_int_equal(feed(&c, &m, 0), DHCP_EV_NONE);
    assert_int_equal(c.state, DHCP_INIT);
    poll_sent(&c, 0, DHCP_EV_NONE, &po, &s);
    xid = s.xid;
    memcpy(&saved, &c, sizeof(c));

    slirp_reply(&m, DHCP_OFFER, xid + 1, 100);
    assert_int_equal(feed(&c, &m, 1), AE_ERR_NOTFOUND);
    slirp_reply(&m, DHCP_OFFER, xid, 100);
    m.b[33] ^= 1;                               /* another client's MAC */
    assert_int_equal(feed(&c, &m, 1), AE_ERR_NOTFOUND);
    slirp_reply(&m, DHCP_ACK, xid, 100);        /* an ACK while selecting */
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_NONE);
    srv_begin(&m, DHCP_OFFER, xid, me);         /* no server id */
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_NONE);
    srv_begin(&m, DHCP_OFFER, xid, 0);          /* no address */
    srv_opt32(&m, 54, srv);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_NONE);
    srv_begin(&m, DHCP_OFFER, xid, NET_IP4(224, 0, 0, 5));
    srv_opt32(&m, 54, srv);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_NONE);
    slirp_reply(&m, DHCP_OFFER, xid, 100);
    m.len = 250;                                /* truncated */
    assert_int_equal(feed(&c, &m, 1), AE_ERR_INVAL);
    assert_int_equal(c.state, DHCP_SELECTING);
    assert_int_equal(c.stats.bad, 3);
    assert_int_equal(c.stats.ignored, 5);
    c.stats = saved.stats;
    assert_memory_equal(&c, &saved, sizeof(c));  /* nothing else moved */

    slirp_reply(&m, DHCP_OFFER, xid, 100);
    assert_int_equal(feed(&c, &m, 1), DHCP_EV_OFFERED);
    poll_sent(&c, 2, DHCP_EV_NONE, &po, &s);
    /* REQUESTING: a second offer, and answers from another server or for
     * another address, are ignored; an ACK without a lease time refused. */
    assert_int_equal(feed(&c, &m, 3), DHCP_EV_NONE);
    srv_begin(&m, DHCP_ACK, xid, me);
    srv_opt32(&m, 54, NET_IP4(10, 0, 2, 99));
    srv_opt32(&m, 51, 100);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 3), DHCP_EV_NONE);
    slirp_reply(&m, DHCP_ACK, xid, 100);
    net_put32(m.b + 16, NET_IP4(10, 0, 2, 16));
    assert_int_equal(feed(&c, &m, 3), DHCP_EV_NONE);
    srv_begin(&m, DHCP_ACK, xid, me);
    srv_opt32(&m, 54, srv);
    srv_end(&m);
    assert_int_equal(feed(&c, &m, 3), AE_ERR_INVAL);
    assert_int_equal(c.state, DHCP_REQUESTING);
    slirp_reply(&m, DHCP_ACK, xid, 100);
    assert_int_equal(feed(&c, &m, 4), DHCP_EV_BOUND);
    /* BOUND: nothing outstanding. */
    assert_int_equal(feed(&c, &m, 5), DHCP_EV_NONE);
    m.len = 10;
    assert_int_equal(feed(&c, &m, 5), DHCP_EV_NONE);
    assert_int_equal(c.state, DHCP_BOUND);
}

static void DHCP0011_request_retries_then_start_over(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    uint32_t xid;
    uint64_t now = 0;

    (void)state;
    dhcp_start(&c, NULL, mac, 3, now);
    poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
    xid = s.xid;
    slirp_reply(&m, DHCP_OFFER, xid, 100);
    assert_int_equal(feed(&c, &m, now), DHCP_EV_OFFERED);
    for (unsigned i = 0; i < DHCP_REQUEST_TRIES; i++) {
        poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
        assert_int_equal(s.type, DHCP_REQUEST);
        assert_int_equal(s.xid, xid);
        assert_true(po.next_ns - now >= (4ull << i) * S - S && po.next_ns - now <= (4ull << i) * S + S);
        assert_int_equal(poll_quiet(&c, po.next_ns - 1), po.next_ns);
        now = po.next_ns;
    }
    /* The last REQUEST went unanswered: a new DISCOVER, new xid. */
    poll_sent(&c, now, DHCP_EV_NONE, &po, &s);
    assert_int_equal(s.type, DHCP_DISCOVER);
    assert_int_not_equal(s.xid, xid);
    assert_int_equal(c.state, DHCP_SELECTING);
    assert_true(po.next_ns - now >= 3 * S && po.next_ns - now <= 5 * S);

    /* An ACK to a retransmitted REQUEST: the lease still runs from the
     * first one (RFC 2131 4.4.1: the earliest time it can have started). */
    dhcp_start(&c, NULL, mac, 3, 0);
    poll_sent(&c, 0, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_OFFER, s.xid, 1000);
    assert_int_equal(feed(&c, &m, S), DHCP_EV_OFFERED);
    poll_sent(&c, 2 * S, DHCP_EV_NONE, &po, &s);
    poll_sent(&c, po.next_ns, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_ACK, s.xid, 1000);
    assert_int_equal(feed(&c, &m, 9 * S), DHCP_EV_BOUND);
    assert_int_equal(dhcp_lease(&c)->start_ns, 2 * S);
    assert_int_equal(dhcp_lease(&c)->expiry_ns, 1002 * S);
}

static void DHCP0012_lease_times_and_contents(void **state)
{
    struct dhcp_client c;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg m;
    const struct dhcp_lease *l;

    (void)state;
#define ACK_WITH(...)                                                   \
    do {                                                                \
        dhcp_start(&c, NULL, mac, 77, 0);                               \
        poll_sent(&c, 0, DHCP_EV_NONE, &po, &s);                        \
        slirp_reply(&m, DHCP_OFFER, s.xid, 1000);                       \
        assert_int_equal(feed(&c, &m, 0), DHCP_EV_OFFERED);             \
        poll_sent(&c, 10 * S, DHCP_EV_NONE, &po, &s);                   \
        srv_begin(&m, DHCP_ACK, s.xid, me);                             \
        srv_opt32(&m, 54, srv);                                         \
        __VA_ARGS__;                                                    \
        srv_end(&m);                                                    \
        assert_int_equal(feed(&c, &m, 11 * S), DHCP_EV_BOUND);          \
        l = dhcp_lease(&c);                                             \
    } while (0)

    /* The server's T1 and T2. */
    ACK_WITH(srv_opt32(&m, 51, 1000); srv_opt32(&m, 58, 100); srv_opt32(&m, 59, 200));
    assert_int_equal(l->t1_ns, 110 * S);
    assert_int_equal(l->t2_ns, 210 * S);
    assert_int_equal(l->expiry_ns, 1010 * S);
    /* Inconsistent ones: the defaults (0.5 and 0.875). */
    ACK_WITH(srv_opt32(&m, 51, 1000); srv_opt32(&m, 58, 900); srv_opt32(&m, 59, 800));
    assert_int_equal(l->t1_ns, 510 * S);
    assert_int_equal(l->t2_ns, 885 * S);
    ACK_WITH(srv_opt32(&m, 51, 1000); srv_opt32(&m, 59, 1001));
    assert_int_equal(l->t2_ns, 885 * S);
    ACK_WITH(srv_opt32(&m, 51, 1000); srv_opt32(&m, 58, 300));
    assert_int_equal(l->t1_ns, 310 * S);
    assert_int_equal(l->t2_ns, 885 * S);
    /* Infinite: never renewed. */
    ACK_WITH(srv_opt32(&m, 51, DHCP_INFINITE));
    assert_int_equal(l->expiry_ns, UINT64_MAX);
    assert_int_equal(poll_quiet(&c, 1000000 * S), UINT64_MAX);
    assert_int_equal(poll_quiet(&c, UINT64_MAX - 1), UINT64_MAX);
    assert_int_equal(c.state, DHCP_BOUND);
    /* A 10 s lease is taken as 60 s. */
    ACK_WITH(srv_opt32(&m, 51, 10));
    assert_int_equal(l->lease_s, DHCP_MIN_LEASE_S);
    assert_int_equal(l->expiry_ns, 70 * S);
    assert_int_equal(l->t1_ns, 40 * S);
    /* No mask: the classful one; no router; only usable DNS servers. */
    ACK_WITH(srv_opt32(&m, 51, 1000);
             srv_opt(&m, 6, 12, "\x00\x00\x00\x00\x0a\x00\x02\x03\xff\xff\xff\xff"));
    assert_int_equal(l->mask, 0xff000000u);
    assert_int_equal(l->router, 0);
    assert_int_equal(l->dns_count, 1);
    assert_int_equal(l->dns[0], NET_IP4(10, 0, 2, 3));
    ACK_WITH(srv_opt32(&m, 51, 1000); srv_opt32(&m, 3, IPV4_BROADCAST));
    assert_int_equal(l->router, 0);
    assert_int_equal(l->mask, 0xff000000u);
#undef ACK_WITH

    /* A renewal that hands out another address is a new binding. */
    poll_sent(&c, 600 * S, DHCP_EV_NONE, &po, &s);
    slirp_reply(&m, DHCP_ACK, s.xid, 1000);
    net_put32(m.b + 16, NET_IP4(10, 0, 2, 16));
    assert_int_equal(feed(&c, &m, 601 * S), DHCP_EV_BOUND);
    assert_int_equal(dhcp_lease(&c)->addr, NET_IP4(10, 0, 2, 16));
    assert_int_equal(dhcp_lease(&c)->mask, 0xffffff00u);
}

static void DHCP0013_random_corruption_never_crashes(void **state)
{
    struct dhcp_client c, requesting, renewing;
    struct dhcp_poll_out po;
    struct seen s;
    struct srvmsg ack, ack2;
    int bound = 0;

    (void)state;
    rng_state = 0xd4c9;
    dhcp_start(&requesting, NULL, mac, 1, 0);
    poll_sent(&requesting, 0, DHCP_EV_NONE, &po, &s);
    slirp_reply(&ack, DHCP_OFFER, s.xid, 3600);
    assert_int_equal(feed(&requesting, &ack, 0), DHCP_EV_OFFERED);
    poll_sent(&requesting, 1, DHCP_EV_NONE, &po, &s);
    slirp_reply(&ack, DHCP_ACK, s.xid, 3600);
    memcpy(&c, &requesting, sizeof(c));
    assert_int_equal(feed(&c, &ack, 2), DHCP_EV_BOUND);
    poll_sent(&c, 2000 * S, DHCP_EV_NONE, &po, &s);
    memcpy(&renewing, &c, sizeof(c));
    slirp_reply(&ack2, DHCP_ACK, s.xid, 3600);

    for (int it = 0; it < 40000; it++) {
        const struct srvmsg *base = it & 1 ? &ack2 : &ack;
        struct srvmsg m = *base;
        int ev;

        if (rng() % 4 == 0)
            m.len = 200 + rng() % (m.len - 199);
        if (rng() % 8 == 0) {
            /* Random options after a valid type. */
            m.len = 243;
            for (int k = (int)(rng() % 40); k > 0; k--)
                m.b[m.len++] = (uint8_t)(rng() % 8 == 0 ? 255 : rng() % 64);
        }
        for (int k = (int)(rng() % 4); k > 0; k--)
            m.b[240 + rng() % (m.len > 240 ? m.len - 240 : 1)] = (uint8_t)rng();
        if (rng() % 16 == 0)
            m.b[rng() % 240] ^= (uint8_t)(1u << (rng() % 8));
        memcpy(&c, it & 1 ? &renewing : &requesting, sizeof(c));
        ev = feed(&c, &m, 2001 * S);
        if (ev == DHCP_EV_BOUND || ev == DHCP_EV_RENEWED) {
            const struct dhcp_lease *l = dhcp_lease(&c);

            bound++;
            assert_non_null(l);
            assert_true(ipv4_is_unicast(l->addr));
            assert_true(ipv4_mask_valid(l->mask));
            assert_true(l->router == 0 || ipv4_is_unicast(l->router));
            assert_true(l->dns_count <= DHCP_MAX_DNS);
            assert_true(l->lease_s >= DHCP_MIN_LEASE_S);
            assert_true(l->t1_ns <= l->t2_ns && l->t2_ns <= l->expiry_ns);
        } else if (ev < 0) {
            assert_true(ev == AE_ERR_INVAL || ev == AE_ERR_NOTFOUND || ev == AE_ERR_UNSUPPORTED);
        }
    }
    assert_true(bound > 100);
}

static void DHCP0014_poll_needs_a_full_buffer(void **state)
{
    struct dhcp_client c, saved;
    struct dhcp_poll_out po;
    uint8_t out[DHCP_MSG_LEN];

    (void)state;
    dhcp_start(&c, NULL, mac, 1, 0);
    memcpy(&saved, &c, sizeof(c));
    assert_int_equal(dhcp_poll(&c, 0, out, DHCP_MSG_LEN - 1, &po), AE_ERR_TRUNCATED);
    assert_memory_equal(&c, &saved, sizeof(c));
    /* A zeroed client is stopped: nothing to do, ever. */
    memset(&c, 0, sizeof(c));
    assert_int_equal(dhcp_poll(&c, 5 * S, out, sizeof(out), &po), DHCP_EV_NONE);
    assert_int_equal(po.len, 0);
    assert_int_equal(po.next_ns, UINT64_MAX);
    assert_int_equal(dhcp_input(&c, slirp_offer, sizeof(slirp_offer), 0), DHCP_EV_NONE);
    assert_null(dhcp_lease(&c));
    /* The client id can be left out. */
    {
        struct dhcp_config cfg = {.omit_client_id = true, .max_msg_size = 1000};
        struct seen s;

        dhcp_start(&c, &cfg, mac, 1, 0);
        assert_int_equal(dhcp_poll(&c, 0, out, sizeof(out), &po), DHCP_EV_NONE);
        srv_read(out, po.len, &s);
        assert_false(s.client_id);
        assert_false(s.max_size);               /* 1000, not 1500 */
        assert_true(s.params);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(DHCP0001_build_discover_and_request_bytes),
        cmocka_unit_test(DHCP0002_parse_slirp_offer),
        cmocka_unit_test(DHCP0003_every_truncation_of_the_offer),
        cmocka_unit_test(DHCP0004_option_and_header_errors),
        cmocka_unit_test(DHCP0005_full_exchange_and_renewal),
        cmocka_unit_test(DHCP0006_renewal_unanswered_rebinding_and_expiry),
        cmocka_unit_test(DHCP0007_nak),
        cmocka_unit_test(DHCP0008_backoff_values_and_retransmissions),
        cmocka_unit_test(DHCP0009_fallback_after_unanswered_discovers),
        cmocka_unit_test(DHCP0010_foreign_and_unexpected_messages_ignored),
        cmocka_unit_test(DHCP0011_request_retries_then_start_over),
        cmocka_unit_test(DHCP0012_lease_times_and_contents),
        cmocka_unit_test(DHCP0013_random_corruption_never_crashes),
        cmocka_unit_test(DHCP0014_poll_needs_a_full_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
