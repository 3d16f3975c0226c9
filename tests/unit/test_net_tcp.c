/*
 * Unit tests for the TCP state machine (user/lib/net/tcp*.c) driven by
 * hand-made segments against one stack: the test plays the peer, injects
 * segments with tcp_input, moves a virtual clock with tcp_timer, and
 * checks every segment the stack emits (flags, seq, ack, window, options,
 * payload) against the numbers RFC 9293, 5961, 6298, 5681/6582, 7323,
 * 1122 and 6528 give. Also the pieces on their own: rings, out-of-order
 * ranges, the RTO estimator, congestion control, SipHash-2-4 (vectors
 * checked against libsodium's crypto_shorthash_siphash24) and ISNs, and
 * 20000 hostile segments against live connections.
 */
#include "unit.h"

#include "net/inet_csum.h"
#include "net/net_bytes.h"
#include "net/tcp.h"

#define US    NET_IP4(10, 0, 0, 1)
#define PEER  NET_IP4(10, 0, 0, 2)
#define UPORT 80
#define PPORT 5000
#define MS    1000000ull
#define SEC   1000000000ull
#define NCONN 8
#define QMAX  512

struct pkt {
    uint32_t src, dst;
    size_t len;
    uint8_t b[4096];
    struct tcp_seg s;
};

struct h {
    struct tcp_stack st;
    struct tcp_conn conns[NCONN];
    struct tcp_params p;
    uint8_t *mem;
    struct pkt q[QMAX];
    unsigned head, n;
    uint64_t now;
    uint64_t hs_rtt;        /* time the fixtures let pass for handshakes */
    int l;                  /* listener on UPORT, once made */
    uint16_t urp;           /* urgent pointer of injected segments */
    struct pkt last;
};

static const uint8_t secret[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void emit_cb(void *ctx, uint32_t src, uint32_t dst, const uint8_t *hdr, size_t hl,
                    const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2)
{
    struct h *h = ctx;
    struct pkt *p;

    assert_true(h->n < QMAX);
    p = &h->q[(h->head + h->n++) % QMAX];
    assert_true(hl + n1 + n2 <= sizeof(p->b));
    p->src = src;
    p->dst = dst;
    p->len = hl + n1 + n2;
    memcpy(p->b, hdr, hl);
    if (n1)
        memcpy(p->b + hl, p1, n1);
    if (n2)
        memcpy(p->b + hl + n1, p2, n2);
    /* Every segment the stack sends parses, checksum included. */
    assert_int_equal(tcp_seg_parse(&p->s, src, dst, p->b, p->len), AE_OK);
}

static struct h *h_new(const struct tcp_params *p)
{
    struct h *h = calloc(1, sizeof(*h));

    assert_non_null(h);
    if (p)
        h->p = *p;
    else
        tcp_params_default(&h->p);
    h->mem = malloc(tcp_stack_mem(NCONN, &h->p));
    assert_non_null(h->mem);
    assert_int_equal(tcp_stack_init(&h->st, h->conns, NCONN, h->mem,
                                     tcp_stack_mem(NCONN, &h->p), secret, &h->p, emit_cb, h),
                     AE_OK);
    h->l = -1;
    h->now = 1000 * SEC;
    return h;
}

static void h_free(struct h *h)
{
    free(h->mem);
    free(h);
}

/* The oldest segment not yet looked at (copied: valid until next pop). */
static struct pkt *pop(struct h *h)
{
    assert_true(h->n > 0);
    h->last = h->q[h->head];
    h->last.s.data = h->last.b + h->last.s.hlen;
    h->head = (h->head + 1) % QMAX;
    h->n--;
    return &h->last;
}

static void none(struct h *h)
{
    if (h->n) {
        struct pkt *p = pop(h);

        fail_msg("unexpected segment flags %#x seq %u ack %u len %zu", p->s.flags, p->s.seq,
                 p->s.ack, p->s.len);
    }
}

static void drain(struct h *h)
{
    h->head = 0;
    h->n = 0;
}

static struct pkt *expect(struct h *h, uint8_t flags, uint32_t seq, uint32_t ack, size_t len)
{
    struct pkt *p = pop(h);

    assert_int_equal(p->s.flags, flags);
    assert_int_equal(p->s.seq, seq);
    if (flags & TCP_ACK)
        assert_int_equal(p->s.ack, ack);
    assert_int_equal(p->s.len, len);
    return p;
}

/* A segment from the peer. mss 0: no MSS option; ws < 0: no scaling. */
static int in_opt(struct h *h, uint32_t src, uint16_t sport, uint16_t dport, uint32_t seq,
                  uint32_t ack, uint8_t flags, uint16_t wnd, int mss, int ws, const void *data,
                  size_t len)
{
    uint8_t buf[TCP_HDR_MAX + 8192];
    struct tcp_seg o;
    size_t hl;

    assert_true(len <= 8192);
    memset(&o, 0, sizeof(o));
    o.sport = sport;
    o.dport = dport;
    o.seq = seq;
    o.ack = ack;
    o.flags = flags;
    o.wnd = wnd;
    o.urp = h->urp;
    if (mss) {
        o.opts |= TCP_HAS_MSS;
        o.mss = (uint16_t)mss;
    }
    if (ws >= 0) {
        o.opts |= TCP_HAS_WS;
        o.wscale = (uint8_t)ws;
    }
    hl = tcp_seg_build(buf, src, US, &o, data, len, NULL, 0);
    if (len)
        memcpy(buf + hl, data, len);
    return tcp_input(&h->st, src, US, buf, hl + len, h->now);
}

static int in(struct h *h, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
              const void *data, size_t len)
{
    return in_opt(h, PEER, PPORT, UPORT, seq, ack, flags, wnd, 0, -1, data, len);
}

static void at(struct h *h, uint64_t t)
{
    assert_true(t >= h->now);
    h->now = t;
    tcp_timer(&h->st, t);
}

static struct tcp_info info(struct h *h, int c)
{
    struct tcp_info i;

    assert_int_equal(tcp_info(&h->st, c, &i), AE_OK);
    return i;
}

static void listen80(struct h *h)
{
    if (h->l < 0) {
        h->l = tcp_listen(&h->st, 0, UPORT, 8);
        assert_true(h->l >= 0);
    }
}

/* Passive open from PEER:PPORT with the peer's ISS piss: returns the
 * accepted connection and our ISS. */
static int open_passive(struct h *h, uint32_t piss, uint16_t wnd, int mss, int ws,
                        uint32_t *iss)
{
    struct pkt *p;
    int c;

    listen80(h);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, piss, 0, TCP_SYN, wnd, mss, ws, NULL, 0),
                     AE_OK);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(p->s.ack, piss + 1);
    *iss = p->s.seq;
    h->now += h->hs_rtt;
    assert_int_equal(in(h, piss + 1, *iss + 1, TCP_ACK, wnd, NULL, 0), AE_OK);
    none(h);
    c = tcp_accept(&h->st, h->l);
    assert_true(c >= 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    return c;
}

/* Active open to PEER:UPORT... the peer answers from port pport with
 * ISS piss. Returns the connection; *iss and *lport are ours. */
static int open_active(struct h *h, uint32_t piss, uint16_t wnd, int mss, int ws, uint32_t *iss,
                       uint16_t *lport)
{
    struct pkt *p;
    int c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);

    assert_true(c >= 0);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_SYN);
    *iss = p->s.seq;
    *lport = p->s.sport;
    h->now += h->hs_rtt;
    assert_int_equal(in_opt(h, PEER, PPORT, *lport, piss, *iss + 1, TCP_SYN | TCP_ACK, wnd, mss,
                            ws, NULL, 0),
                     AE_OK);
    expect(h, TCP_ACK, *iss + 1, piss + 1, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    return c;
}

/* Segments from the peer to an actively opened connection's port. */
static int ina(struct h *h, uint16_t lport, uint32_t seq, uint32_t ack, uint8_t flags,
               uint16_t wnd, const void *data, size_t len)
{
    return in_opt(h, PEER, PPORT, lport, seq, ack, flags, wnd, 0, -1, data, len);
}

static void fill(uint8_t *b, size_t n, uint32_t from)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)((from + i) * 131 + ((from + i) >> 8));
}

/* ---- handshakes --------------------------------------------------------- */

static void TCP0001_passive_open_handshake(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *p;
    struct tcp_info i;
    uint32_t iss;
    uint8_t buf[200], got[200];
    int c, child;

    (void)state;
    h->l = tcp_listen(&h->st, 0, UPORT, 4);
    assert_true(h->l >= 0);
    assert_int_equal(tcp_listen(&h->st, US, UPORT, 4), AE_ERR_EXISTS);
    assert_int_equal(tcp_state(&h->st, h->l), TCP_LISTEN);
    assert_int_equal(tcp_accept(&h->st, h->l), AE_ERR_AGAIN);

    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 1000, 1200, 3, NULL, 0),
                     AE_OK);
    p = pop(h);
    none(h);
    assert_int_equal(p->src, US);
    assert_int_equal(p->dst, PEER);
    assert_int_equal(p->s.sport, UPORT);
    assert_int_equal(p->s.dport, PPORT);
    assert_int_equal(p->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(p->s.ack, 1001);
    iss = p->s.seq;
    /* RFC 6528: the ISN is the keyed hash of the tuple plus the clock. */
    assert_int_equal(iss, tcp_isn(secret, US, UPORT, PEER, PPORT, h->now));
    /* Our MSS, and a window scale answering the peer's (64 KiB: shift 1).
     * The SYN's window is never scaled. */
    assert_int_equal(p->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
    assert_int_equal(p->s.mss, 1460);
    assert_int_equal(p->s.wscale, 1);
    assert_int_equal(p->s.wnd, 65535);
    assert_int_equal(p->s.len, 0);

    /* Not acceptable yet: the child is half open. */
    assert_int_equal(tcp_accept(&h->st, h->l), AE_ERR_AGAIN);
    assert_int_equal(tcp_events(&h->st, h->l), 0);
    child = tcp_next_conn(&h->st, h->l);
    assert_true(child >= 0);
    i = info(h, child);
    assert_int_equal(i.state, TCP_SYN_RECEIVED);
    assert_int_equal(i.listener, h->l);
    while (tcp_changed(&h->st) >= 0)
        ;

    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_events(&h->st, h->l), TCP_EV_ACCEPT);
    assert_int_equal(tcp_changed(&h->st), h->l);
    assert_int_equal(tcp_changed(&h->st), -1);
    /* Data before the accept is kept for whoever accepts. */
    fill(buf, 100, 0);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK | TCP_PSH, 1000, buf, 100), AE_OK);
    none(h);
    c = tcp_accept(&h->st, h->l);
    assert_int_equal(c, child);
    assert_int_equal(tcp_accept(&h->st, h->l), AE_ERR_AGAIN);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    assert_int_equal(tcp_events(&h->st, c),
                     TCP_EV_CONNECTED | TCP_EV_WRITABLE | TCP_EV_READABLE);
    i = info(h, c);
    assert_int_equal(i.listener, -1);
    assert_int_equal(i.mss, 1200);
    assert_int_equal(i.snd_wscale, 3);
    assert_int_equal(i.rcv_wscale, 1);
    assert_int_equal(i.snd_wnd, 8000);     /* 1000 << 3 */
    assert_int_equal(i.snd_una, iss + 1);
    assert_int_equal(i.rcv_nxt, 1101);
    assert_int_equal(h->st.stats.passive_opens, 1);
    assert_int_equal(h->st.stats.established, 1);

    /* One segment is ACKed late (delayed ACK). */
    assert_true(tcp_events(&h->st, c) & TCP_EV_READABLE);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 100);
    assert_memory_equal(got, buf, 100);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_AGAIN);
    assert_int_equal(tcp_next_deadline(&h->st), h->now + 200 * MS);
    at(h, h->now + 200 * MS);
    p = expect(h, TCP_ACK, iss + 1, 1101, 0);
    /* The SYN-ACK promised up to 1001 + 65535. Reading 100 bytes frees
     * less than an MSS, so the edge stays (receiver SWS avoidance): the
     * field, rounded up to the scale unit, is ceil(65435 / 2). */
    assert_int_equal(p->s.wnd, 32718);

    /* Data from us. */
    assert_int_equal(tcp_send(&h->st, c, "0123456789", 10, h->now), 10);
    p = expect(h, TCP_ACK | TCP_PSH, iss + 1, 1101, 10);
    assert_memory_equal(p->s.data, "0123456789", 10);
    h_free(h);
}

static void TCP0002_active_open(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *p;
    struct tcp_info i;
    uint32_t iss;
    uint16_t lport;
    int c, c2;

    (void)state;
    c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    assert_true(c >= 0);
    p = pop(h);
    none(h);
    assert_int_equal(p->s.flags, TCP_SYN);
    assert_int_equal(p->s.dport, PPORT);
    lport = p->s.sport;
    assert_true(lport >= 49152);
    iss = p->s.seq;
    assert_int_equal(iss, tcp_isn(secret, US, lport, PEER, PPORT, h->now));
    /* An active open always offers scaling (64 KiB ring: shift 1). */
    assert_int_equal(p->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
    assert_int_equal(p->s.mss, 1460);
    assert_int_equal(p->s.wscale, 1);
    assert_int_equal(p->s.wnd, 65535);
    assert_int_equal(tcp_state(&h->st, c), TCP_SYN_SENT);
    assert_int_equal(tcp_events(&h->st, c), 0);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), AE_ERR_AGAIN);
    assert_int_equal(tcp_connect(&h->st, US, lport, PEER, PPORT, h->now), AE_ERR_EXISTS);
    c2 = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    assert_true(c2 >= 0);
    p = pop(h);
    assert_int_not_equal(p->s.sport, lport);
    assert_int_equal(tcp_abort(&h->st, c2, h->now), AE_OK);
    none(h);                    /* nothing to reset before the handshake */
    while (tcp_changed(&h->st) >= 0)
        ;

    h->now += 30 * MS;
    assert_int_equal(in_opt(h, PEER, PPORT, lport, 5000, iss + 1, TCP_SYN | TCP_ACK, 4096, 1000,
                            -1, NULL, 0),
                     AE_OK);
    p = expect(h, TCP_ACK, iss + 1, 5001, 0);
    assert_int_equal(p->s.opts, 0);
    /* The peer did not scale: neither do we, and 64 KiB shows as 65535. */
    assert_int_equal(p->s.wnd, 65535);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    assert_int_equal(tcp_events(&h->st, c), TCP_EV_CONNECTED | TCP_EV_WRITABLE);
    assert_int_equal(tcp_changed(&h->st), c);
    assert_int_equal(tcp_changed(&h->st), -1);
    i = info(h, c);
    assert_int_equal(i.mss, 1000);
    assert_int_equal(i.snd_wnd, 4096);
    assert_int_equal(i.snd_wscale, 0);
    assert_int_equal(i.rcv_wscale, 0);
    assert_int_equal(i.irs, 5000);
    /* The SYN was timed: 30 ms. RTO = 30 + 4 * 15 = 90 ms, raised to 200. */
    assert_int_equal(i.srtt_ns, 30 * MS);
    assert_int_equal(i.rttvar_ns, 15 * MS);
    assert_int_equal(i.rto_ns, 200 * MS);
    assert_int_equal(h->st.stats.active_opens, 2);
    h_free(h);
}

static void TCP0003_rst_for_closed_ports(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *p;
    uint8_t buf[TCP_HDR_MAX];
    struct tcp_seg o;
    size_t hl;

    (void)state;
    /* RFC 9293 3.10.7.1: no ACK -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>. */
    assert_int_equal(in_opt(h, PEER, 4444, 81, 7777, 0, TCP_SYN, 100, 1460, -1, NULL, 0),
                     AE_OK);
    p = expect(h, TCP_RST | TCP_ACK, 0, 7778, 0);
    assert_int_equal(p->src, US);
    assert_int_equal(p->dst, PEER);
    assert_int_equal(p->s.sport, 81);
    assert_int_equal(p->s.dport, 4444);
    assert_int_equal(p->s.opts, 0);
    /* ACK -> <SEQ=SEG.ACK><RST>. */
    assert_int_equal(in_opt(h, PEER, 4444, 81, 100, 4242, TCP_ACK, 100, 0, -1, NULL, 0), AE_OK);
    expect(h, TCP_RST, 4242, 0, 0);
    /* Data and FIN count in SEG.LEN. */
    assert_int_equal(in_opt(h, PEER, 4444, 81, 300, 0, TCP_FIN | TCP_PSH, 100, 0, -1,
                            "0123456789", 10),
                     AE_OK);
    expect(h, TCP_RST | TCP_ACK, 0, 311, 0);
    /* At the top of the sequence space the ACK wraps. */
    assert_int_equal(in_opt(h, PEER, 4444, 81, 0xffffffffu, 0, TCP_SYN, 100, 0, -1, NULL, 0),
                     AE_OK);
    expect(h, TCP_RST | TCP_ACK, 0, 0, 0);
    /* A RST is never answered. */
    assert_int_equal(in_opt(h, PEER, 4444, 81, 1, 0, TCP_RST, 0, 0, -1, NULL, 0), AE_OK);
    assert_int_equal(in_opt(h, PEER, 4444, 81, 1, 9, TCP_RST | TCP_ACK, 0, 0, -1, NULL, 0),
                     AE_OK);
    none(h);
    assert_int_equal(h->st.stats.no_conn, 6);
    assert_int_equal(h->st.stats.rst_out, 4);
    /* Nor is anything sent to a multicast or broadcast address. */
    memset(&o, 0, sizeof(o));
    o.sport = 4444;
    o.dport = 81;
    o.flags = TCP_SYN;
    hl = tcp_seg_build(buf, PEER, NET_IP4(224, 0, 0, 1), &o, NULL, 0, NULL, 0);
    assert_int_equal(tcp_input(&h->st, PEER, NET_IP4(224, 0, 0, 1), buf, hl, h->now), AE_OK);
    hl = tcp_seg_build(buf, PEER, 0xffffffffu, &o, NULL, 0, NULL, 0);
    assert_int_equal(tcp_input(&h->st, PEER, 0xffffffffu, buf, hl, h->now), AE_OK);
    none(h);
    /* Port 0 is malformed. */
    o.sport = 0;
    hl = tcp_seg_build(buf, PEER, US, &o, NULL, 0, NULL, 0);
    assert_int_equal(tcp_input(&h->st, PEER, US, buf, hl, h->now), AE_ERR_INVAL);
    none(h);
    /* Bad checksum: dropped, counted, unanswered. */
    o.sport = 4444;
    hl = tcp_seg_build(buf, PEER, US, &o, NULL, 0, NULL, 0);
    buf[4] ^= 1;
    assert_int_equal(tcp_input(&h->st, PEER, US, buf, hl, h->now), AE_ERR_CORRUPT);
    assert_int_equal(tcp_input(&h->st, PEER, US, buf, 7, h->now), AE_ERR_TRUNCATED);
    none(h);
    assert_int_equal(h->st.stats.bad_csum, 1);
    assert_int_equal(h->st.stats.malformed, 2);
    h_free(h);
}

static void TCP0004_syn_with_fin_or_rst_dropped(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    listen80(h);
    assert_int_equal(in(h, 1, 0, TCP_SYN | TCP_FIN, 1000, NULL, 0), AE_OK);
    assert_int_equal(in(h, 1, 0, TCP_SYN | TCP_RST, 1000, NULL, 0), AE_OK);
    assert_int_equal(in_opt(h, PEER, PPORT, 81, 1, 0, TCP_SYN | TCP_FIN | TCP_PSH | TCP_URG,
                            1000, 0, -1, NULL, 0),
                     AE_OK);
    none(h);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);   /* no child made */
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    assert_int_equal(in(h, 1001, iss + 1, TCP_SYN | TCP_FIN | TCP_ACK, 1000, NULL, 0), AE_OK);
    assert_int_equal(in(h, 1001, iss + 1, TCP_SYN | TCP_RST | TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    assert_int_equal(h->st.stats.bad_flags, 5);
    h_free(h);
}

static void TCP0005_unacceptable_segments_get_an_ack(void **state)
{
    struct h *h = h_new(NULL);
    uint8_t buf[100], got[100];
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    fill(buf, 100, 0);
    /* Past the window (65535 from RCV.NXT 1001). */
    assert_int_equal(in(h, 1001 + 65535, iss + 1, TCP_ACK, 1000, buf, 10), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    /* Wholly old. */
    assert_int_equal(in(h, 1001 - 500, iss + 1, TCP_ACK, 1000, buf, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    /* An empty segment just before the window (a keepalive). */
    assert_int_equal(in(h, 1000, iss + 1, TCP_ACK, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    none(h);
    assert_int_equal(h->st.stats.out_of_window, 3);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_AGAIN);
    /* Straddling the left edge: the new half is taken, and the duplicate
     * half gets an immediate ACK. */
    assert_int_equal(in(h, 951, iss + 1, TCP_ACK, 1000, buf, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1051, 0);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 50);
    assert_memory_equal(got, buf + 50, 50);
    /* Acknowledging what was never sent: ACK, and the text is dropped. */
    assert_int_equal(in(h, 1051, iss + 100, TCP_ACK, 1000, buf, 10), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1051, 0);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_AGAIN);
    /* Without ACK, text is dropped silently (RFC 9293 3.10.7.4 fifth). */
    assert_int_equal(in(h, 1051, 0, TCP_PSH, 1000, buf, 10), AE_OK);
    none(h);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_AGAIN);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    h_free(h);
}

static void TCP0006_rst_window_checks(void **state)
{
    struct h *h = h_new(NULL);
    uint8_t got[10];
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    /* Outside the window: ignored. */
    assert_int_equal(in(h, 1001 + 65535, 0, TCP_RST, 0, NULL, 0), AE_OK);
    assert_int_equal(in(h, 1000, 0, TCP_RST, 0, NULL, 0), AE_OK);
    assert_int_equal(in(h, 0x80000000u, 0, TCP_RST, 0, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    /* In the window but not RCV.NXT: a challenge ACK (RFC 5961 3.2). */
    assert_int_equal(in(h, 1002, 0, TCP_RST, 0, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(in(h, 1001 + 65534, iss + 1, TCP_RST | TCP_ACK, 0, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    /* At most ten challenges a second. */
    for (int k = 0; k < 12; k++)
        assert_int_equal(in(h, 1500, 0, TCP_RST, 0, NULL, 0), AE_OK);
    for (int k = 0; k < 8; k++)
        expect(h, TCP_ACK, iss + 1, 1001, 0);
    none(h);
    h->now += SEC;
    assert_int_equal(in(h, 1500, 0, TCP_RST, 0, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(h->st.stats.challenge_acks, 11);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    while (tcp_changed(&h->st) >= 0)
        ;
    /* Exactly RCV.NXT: reset. */
    assert_int_equal(in(h, 1001, 0, TCP_RST, 0, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_RESET);
    assert_int_equal(tcp_changed(&h->st), c);
    assert_int_equal(tcp_events(&h->st, c),
                     TCP_EV_CLOSED | TCP_EV_ERROR | TCP_EV_READABLE | TCP_EV_WRITABLE);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_PEER_CLOSED);
    assert_int_equal(tcp_send(&h->st, c, "x", 1, h->now), AE_ERR_PEER_CLOSED);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_ERR_PEER_CLOSED);
    assert_int_equal(h->st.stats.resets, 1);
    /* The tuple is free: the listener answers a stray ACK with a RST. */
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 1000, "x", 1), AE_OK);
    expect(h, TCP_RST, iss + 1, 0, 0);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    assert_int_equal(tcp_info(&h->st, c, &(struct tcp_info){0}), AE_ERR_INVAL);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_ERR_INVAL);
    none(h);
    h_free(h);
}

static void TCP0007_syn_on_a_synchronized_connection(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    /* RFC 5961 4.2: whatever its sequence number, a challenge ACK. */
    assert_int_equal(in(h, 1001, 0, TCP_SYN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(in(h, 5, 0, TCP_SYN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(in(h, 1000, iss + 1, TCP_SYN | TCP_ACK, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    h_free(h);
}

/* Active close from ESTABLISHED to TIME-WAIT; returns the time TIME-WAIT
 * began. */
static uint64_t close_to_time_wait(struct h *h, int c, uint32_t iss)
{
    uint8_t got[10];

    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    expect(h, TCP_FIN | TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_FIN_WAIT_1);
    assert_int_equal(tcp_send(&h->st, c, "x", 1, h->now), AE_ERR_INVAL);
    assert_int_equal(in(h, 1001, iss + 2, TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_FIN_WAIT_2);
    assert_int_equal(in(h, 1001, iss + 2, TCP_ACK | TCP_FIN, 1000, "hello", 5), AE_OK);
    expect(h, TCP_ACK, iss + 2, 1007, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_TIME_WAIT);
    assert_int_equal(tcp_events(&h->st, c), TCP_EV_CONNECTED | TCP_EV_READABLE | TCP_EV_EOF);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 5);
    assert_memory_equal(got, "hello", 5);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 0);
    return h->now;
}

static void TCP0008_active_close_and_time_wait_2msl(void **state)
{
    struct h *h = h_new(NULL);
    uint64_t t;
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    h->now += 5 * SEC;
    t = close_to_time_wait(h, c, iss);
    assert_int_equal(tcp_next_deadline(&h->st), t + 60 * SEC);
    at(h, t + 60 * SEC - 1);
    assert_int_equal(tcp_state(&h->st, c), TCP_TIME_WAIT);
    /* RFC 1337: an in-window RST does not end TIME-WAIT early. */
    assert_int_equal(in(h, 1007, 0, TCP_RST, 0, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_TIME_WAIT);
    at(h, t + 60 * SEC);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_NONE);
    assert_int_equal(tcp_events(&h->st, c),
                     TCP_EV_CLOSED | TCP_EV_READABLE | TCP_EV_WRITABLE | TCP_EV_EOF);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), 0);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);

    /* A retransmitted FIN in TIME-WAIT is ACKed and restarts the 2 MSL. */
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    t = close_to_time_wait(h, c, iss);
    at(h, t + 10 * SEC);
    assert_int_equal(in(h, 1006, iss + 2, TCP_ACK | TCP_FIN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 2, 1007, 0);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);  /* not ours any more */
    at(h, t + 70 * SEC - 1);
    assert_int_equal(tcp_next_conn(&h->st, h->l), c);
    assert_int_equal(info(h, c).state, TCP_TIME_WAIT);
    at(h, t + 70 * SEC);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);
    none(h);

    /* MSL is the caller's: 1 s makes TIME-WAIT 2 s. */
    {
        struct tcp_params p;
        struct h *h2;

        tcp_params_default(&p);
        p.msl_ns = SEC;
        h2 = h_new(&p);
        c = open_passive(h2, 1000, 1000, 1460, -1, &iss);
        t = close_to_time_wait(h2, c, iss);
        assert_int_equal(tcp_next_deadline(&h2->st), t + 2 * SEC);
        h_free(h2);
    }
    h_free(h);
}

static void TCP0009_passive_close(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *p;
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    while (tcp_changed(&h->st) >= 0)
        ;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK | TCP_FIN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1002, 0);         /* a FIN is ACKed at once */
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSE_WAIT);
    assert_int_equal(tcp_changed(&h->st), c);
    assert_int_equal(tcp_events(&h->st, c),
                     TCP_EV_CONNECTED | TCP_EV_READABLE | TCP_EV_EOF | TCP_EV_WRITABLE);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), 0);
    /* A duplicate of the FIN is old news: ACK again, nothing changes. */
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK | TCP_FIN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1002, 0);
    /* CLOSE-WAIT can still send. */
    assert_int_equal(tcp_send(&h->st, c, "abc", 3, h->now), 3);
    p = expect(h, TCP_ACK | TCP_PSH, iss + 1, 1002, 3);
    assert_memory_equal(p->s.data, "abc", 3);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 4, 1002, 0);
    assert_int_equal(info(h, c).state, TCP_LAST_ACK);
    /* Half the way: the data is acknowledged, the FIN not yet. */
    assert_int_equal(in(h, 1002, iss + 4, TCP_ACK, 1000, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).state, TCP_LAST_ACK);
    assert_int_equal(in(h, 1002, iss + 5, TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);    /* gone */
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    h_free(h);
}

static void TCP0010_simultaneous_close(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 1, 1001, 0);
    assert_int_equal(info(h, c).state, TCP_FIN_WAIT_1);
    /* The peer's FIN crosses ours: it does not acknowledge our FIN. */
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK | TCP_FIN, 1000, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 2, 1002, 0);
    assert_int_equal(info(h, c).state, TCP_CLOSING);
    assert_int_equal(in(h, 1002, iss + 2, TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).state, TCP_TIME_WAIT);
    at(h, h->now + 60 * SEC - 1);
    assert_int_equal(info(h, c).state, TCP_TIME_WAIT);
    at(h, h->now + 1);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);
    none(h);
    h_free(h);
}

static void TCP0011_zero_window_persist_probes_back_off(void **state)
{
    struct tcp_params p;
    struct h *h;
    struct pkt *s;
    uint8_t buf[100];
    uint32_t iss;
    uint64_t t, iv;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.persist_min_ns = 100 * MS;
    p.persist_max_ns = 5 * SEC;
    p.max_retries = 3;
    h = h_new(&p);
    h->hs_rtt = 100 * MS;       /* SRTT 100, RTTVAR 50: RTO 300 ms */
    c = open_passive(h, 1000, 0, 1460, -1, &iss);
    assert_int_equal(info(h, c).rto_ns, 300 * MS);
    assert_int_equal(info(h, c).snd_wnd, 0);
    fill(buf, 100, 0);
    assert_int_equal(tcp_send(&h->st, c, buf, 100, h->now), 100);
    none(h);
    /* Probes after 300, 600, 1200, 2400, 4800 ms, then every 5 s (the
     * maximum), each answered with a zero window: no giving up however
     * many (RFC 1122 4.2.2.17), though max_retries is 3. */
    t = h->now;
    iv = 300 * MS;
    for (int k = 0; k < 9; k++) {
        assert_int_equal(tcp_next_deadline(&h->st), t + iv);
        at(h, t + iv - 1);
        none(h);
        at(h, t + iv);
        s = expect(h, TCP_ACK, iss + 1, 1001, 1);
        assert_int_equal(s->s.data[0], buf[0]);
        none(h);
        t += iv;
        iv = iv * 2 > 5 * SEC ? 5 * SEC : iv * 2;
        h->now += 10 * MS;
        assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 0, NULL, 0), AE_OK);
        none(h);
    }
    assert_int_equal(h->st.stats.persist_probes, 9);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    /* The peer takes the probe's byte but keeps the window shut: the next
     * probe carries the next byte. */
    assert_int_equal(in(h, 1001, iss + 2, TCP_ACK, 0, NULL, 0), AE_OK);
    none(h);
    at(h, t + iv);
    s = expect(h, TCP_ACK, iss + 2, 1001, 1);
    assert_int_equal(s->s.data[0], buf[1]);
    /* The window opens: the rest goes at once, and probing stops. */
    assert_int_equal(in(h, 1001, iss + 2, TCP_ACK, 1000, NULL, 0), AE_OK);
    s = expect(h, TCP_ACK | TCP_PSH, iss + 2, 1001, 99);
    assert_memory_equal(s->s.data, buf + 1, 99);
    none(h);
    assert_int_equal(in(h, 1001, iss + 101, TCP_ACK, 0, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);

    /* Unanswered probes are retries: after max_retries (3), the 4th
     * expiry gives up with a RST. */
    assert_int_equal(tcp_send(&h->st, c, buf, 10, h->now), 10);
    none(h);
    t = h->now;
    iv = 300 * MS;
    for (int k = 0; k < 3; k++) {
        at(h, t + iv);
        expect(h, TCP_ACK, iss + 101, 1001, 1);
        t += iv;
        iv *= 2;
    }
    at(h, t + iv - 1);
    none(h);
    at(h, t + iv);
    expect(h, TCP_RST, iss + 101, 0, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_TIMEOUT);
    assert_int_equal(tcp_send(&h->st, c, buf, 1, h->now), AE_ERR_TIMEOUT);
    h_free(h);
}

static void TCP0012_urgent_pointer_past_the_data_is_harmless(void **state)
{
    struct h *h = h_new(NULL);
    uint8_t got[32];
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    h->urp = 60000;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK | TCP_URG | TCP_PSH, 1000, "0123456789", 10),
                     AE_OK);
    h->urp = 0xffff;
    assert_int_equal(in(h, 1011, iss + 1, TCP_ACK | TCP_URG, 1000, NULL, 0), AE_OK);
    h->urp = 0;
    assert_int_equal(in(h, 1011, iss + 1, TCP_ACK | TCP_URG, 1000, "abcde", 5), AE_OK);
    /* The second data segment triggers the ACK. */
    expect(h, TCP_ACK, iss + 1, 1016, 0);
    none(h);
    /* The data is ordinary in-line data. */
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 15);
    assert_memory_equal(got, "0123456789abcde", 15);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    h_free(h);
}

static void TCP0013_rto_from_measured_rtts(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint8_t buf[1000];
    uint32_t iss;
    uint16_t lport;
    uint64_t t;
    int c;

    (void)state;
    fill(buf, 1000, 0);
    h->hs_rtt = 100 * MS;
    c = open_active(h, 5000, 65535, 1460, -1, &iss, &lport);
    /* R = 100 ms: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 300. */
    i = info(h, c);
    assert_int_equal(i.srtt_ns, 100 * MS);
    assert_int_equal(i.rttvar_ns, 50 * MS);
    assert_int_equal(i.rto_ns, 300 * MS);

    h->now += SEC;
    t = h->now;
    assert_int_equal(tcp_send(&h->st, c, buf, 1000, h->now), 1000);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 1000);
    assert_int_equal(tcp_next_deadline(&h->st), t + 300 * MS);
    h->now = t + 140 * MS;
    assert_int_equal(ina(h, lport, 5001, iss + 1001, TCP_ACK, 65535, NULL, 0), AE_OK);
    /* R' = 140: RTTVAR = 3/4 50 + 1/4 |100 - 140| = 47.5;
     *           SRTT = 7/8 100 + 1/8 140 = 105; RTO = 105 + 190 = 295. */
    i = info(h, c);
    assert_int_equal(i.rttvar_ns, 47500000);
    assert_int_equal(i.srtt_ns, 105 * MS);
    assert_int_equal(i.rto_ns, 295 * MS);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);

    h->now += SEC;
    t = h->now;
    assert_int_equal(tcp_send(&h->st, c, buf, 1000, h->now), 1000);
    expect(h, TCP_ACK | TCP_PSH, iss + 1001, 5001, 1000);
    h->now = t + 60 * MS;
    assert_int_equal(ina(h, lport, 5001, iss + 2001, TCP_ACK, 65535, NULL, 0), AE_OK);
    /* R' = 60: RTTVAR = (3 * 47.5 + 45) / 4 = 46.875;
     *          SRTT = (7 * 105 + 60) / 8 = 99.375; RTO = 99.375 + 187.5. */
    i = info(h, c);
    assert_int_equal(i.rttvar_ns, 46875000);
    assert_int_equal(i.srtt_ns, 99375000);
    assert_int_equal(i.rto_ns, 286875000);

    /* The retransmission comes exactly one RTO after the send. */
    h->now += SEC;
    t = h->now;
    assert_int_equal(tcp_send(&h->st, c, buf, 1000, h->now), 1000);
    expect(h, TCP_ACK | TCP_PSH, iss + 2001, 5001, 1000);
    at(h, t + 286875000 - 1);
    none(h);
    at(h, t + 286875000);
    expect(h, TCP_ACK | TCP_PSH, iss + 2001, 5001, 1000);
    none(h);
    h_free(h);
}

static void TCP0014_backoff_doubles_then_gives_up(void **state)
{
    struct tcp_params p;
    struct h *h;
    struct pkt *s;
    uint8_t buf[500];
    uint32_t iss;
    uint16_t lport;
    uint64_t t, iv;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.max_retries = 4;
    h = h_new(&p);
    h->hs_rtt = 100 * MS;
    c = open_active(h, 5000, 65535, 1460, -1, &iss, &lport);
    fill(buf, 500, 7);
    assert_int_equal(tcp_send(&h->st, c, buf, 500, h->now), 500);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 500);
    t = h->now;
    iv = 300 * MS;
    for (int k = 0; k < 4; k++) {
        at(h, t + iv - 1);
        none(h);
        at(h, t + iv);
        s = expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 500);
        assert_memory_equal(s->s.data, buf, 500);
        assert_int_equal(info(h, c).rto_ns, 2 * iv);
        t += iv;
        iv *= 2;
    }
    at(h, t + iv - 1);
    none(h);
    at(h, t + iv);
    expect(h, TCP_RST, iss + 501, 0, 0);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_TIMEOUT);
    assert_int_equal(tcp_events(&h->st, c) & (TCP_EV_CLOSED | TCP_EV_ERROR),
                     TCP_EV_CLOSED | TCP_EV_ERROR);
    assert_int_equal(tcp_recv(&h->st, c, buf, 10, h->now), AE_ERR_TIMEOUT);
    assert_int_equal(tcp_send(&h->st, c, buf, 10, h->now), AE_ERR_TIMEOUT);
    assert_int_equal(h->st.stats.rto_expiries, 4);
    assert_int_equal(h->st.stats.retrans_segs, 4);
    assert_int_equal(h->st.stats.timeouts, 1);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    assert_int_equal(tcp_next_conn(&h->st, -1), -1);
    h_free(h);

    /* The doubling stops at the maximum RTO. */
    tcp_params_default(&p);
    p.rto_max_ns = SEC;
    h = h_new(&p);
    h->hs_rtt = 100 * MS;
    c = open_active(h, 5000, 65535, 1460, -1, &iss, &lport);
    assert_int_equal(tcp_send(&h->st, c, buf, 500, h->now), 500);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 500);
    t = h->now;
    {
        const uint64_t ivs[] = {300 * MS, 600 * MS, SEC, SEC, SEC};

        for (int k = 0; k < 5; k++) {
            t += ivs[k];
            at(h, t - 1);
            none(h);
            at(h, t);
            expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 500);
        }
    }
    h_free(h);
}

static void TCP0015_karn_no_sample_from_retransmissions(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint8_t buf[100];
    uint32_t iss;
    uint16_t lport;
    uint64_t t;
    int c;

    (void)state;
    fill(buf, 100, 0);
    h->hs_rtt = 100 * MS;
    c = open_active(h, 5000, 65535, 1460, -1, &iss, &lport);
    t = h->now;
    assert_int_equal(tcp_send(&h->st, c, buf, 100, h->now), 100);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 100);
    at(h, t + 300 * MS);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 100);
    /* The ACK may be for either copy: no sample, and the backed-off RTO
     * stays until a valid sample. */
    h->now = t + 350 * MS;
    assert_int_equal(ina(h, lport, 5001, iss + 101, TCP_ACK, 65535, NULL, 0), AE_OK);
    i = info(h, c);
    assert_int_equal(i.srtt_ns, 100 * MS);
    assert_int_equal(i.rttvar_ns, 50 * MS);
    assert_int_equal(i.rto_ns, 600 * MS);
    h->now = t + 400 * MS;
    assert_int_equal(tcp_send(&h->st, c, buf, 100, h->now), 100);
    expect(h, TCP_ACK | TCP_PSH, iss + 101, 5001, 100);
    assert_int_equal(tcp_next_deadline(&h->st), t + 1000 * MS);
    /* Fresh data, ACKed after 80 ms: a valid sample, the backoff ends.
     * RTTVAR = (3 * 50 + 20) / 4 = 42.5, SRTT = (7 * 100 + 80) / 8 = 97.5. */
    h->now = t + 480 * MS;
    assert_int_equal(ina(h, lport, 5001, iss + 201, TCP_ACK, 65535, NULL, 0), AE_OK);
    i = info(h, c);
    assert_int_equal(i.rttvar_ns, 42500000);
    assert_int_equal(i.srtt_ns, 97500000);
    assert_int_equal(i.rto_ns, 267500000);
    h->now = t + 500 * MS;
    assert_int_equal(tcp_send(&h->st, c, buf, 100, h->now), 100);
    expect(h, TCP_ACK | TCP_PSH, iss + 201, 5001, 100);
    assert_int_equal(tcp_next_deadline(&h->st), t + 500 * MS + 267500000);
    h_free(h);
}

/* An actively opened connection to a peer with MSS 1000 and a 64 KiB
 * window, with 20 segments' worth queued; the peer ACKs one segment at a
 * time until eight are in flight (segments 4..11), cwnd 8000. */
#define SEGN(k) (iss + 1 + 1000u * (k))
static int cc_setup(struct h *h, uint32_t *issp, uint16_t *lport, size_t total)
{
    static uint8_t buf[40000];
    uint32_t iss;
    int c;

    h->hs_rtt = 10 * MS;
    c = open_active(h, 5000, 65535, 1000, -1, &iss, lport);
    *issp = iss;
    fill(buf, total, 0);
    assert_int_equal(info(h, c).cwnd, 4000);    /* RFC 5681: 4 SMSS at 1000 */
    assert_int_equal(info(h, c).ssthresh, 0x7fffffff);
    assert_int_equal(tcp_send(&h->st, c, buf, total, h->now), total);
    for (int k = 0; k < 4; k++)
        expect(h, TCP_ACK, SEGN(k), 5001, 1000);
    none(h);
    for (int k = 1; k <= 4; k++) {
        assert_int_equal(ina(h, *lport, 5001, SEGN(k), TCP_ACK, 65535, NULL, 0), AE_OK);
        assert_int_equal(info(h, c).cwnd, 4000 + 1000u * k);
        expect(h, TCP_ACK, SEGN(2 * k + 2), 5001, 1000);
        expect(h, TCP_ACK, SEGN(2 * k + 3), 5001, 1000);
        none(h);
    }
    return c;
}

static void TCP0016_three_dup_acks_fast_retransmit_and_recovery(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = cc_setup(h, &iss, &lport, 20000);
    /* Segment 4 is lost; 5, 6 and 7 bring duplicate ACKs. */
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).cwnd, 8000);
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    /* ssthresh = FlightSize / 2 = 4000, cwnd = ssthresh + 3 SMSS. */
    expect(h, TCP_ACK, SEGN(4), 5001, 1000);
    none(h);
    i = info(h, c);
    assert_int_equal(i.ssthresh, 4000);
    assert_int_equal(i.cwnd, 7000);
    assert_int_equal(h->st.stats.fast_retrans, 1);
    /* Each further duplicate inflates by one SMSS; new data goes once
     * cwnd passes the 8000 in flight. */
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).cwnd, 8000);
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, SEGN(12), 5001, 1000);
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, SEGN(13), 5001, 1000);
    none(h);
    assert_int_equal(info(h, c).cwnd, 10000);
    /* A duplicate that changes the window, or carries data, is not one. */
    assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65000, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).cwnd, 10000);
    /* The full ACK (everything up to "recover", segment 12's start):
     * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS) = min(4000, 3000). */
    assert_int_equal(ina(h, lport, 5001, SEGN(12), TCP_ACK, 65535, NULL, 0), AE_OK);
    i = info(h, c);
    assert_int_equal(i.cwnd, 3000);
    assert_int_equal(i.ssthresh, 4000);
    expect(h, TCP_ACK, SEGN(14), 5001, 1000);
    none(h);
    /* Slow start again below ssthresh: + min(acked, SMSS). */
    assert_int_equal(ina(h, lport, 5001, SEGN(15), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 4000);
    for (int k = 15; k < 19; k++)
        expect(h, TCP_ACK, SEGN(k), 5001, 1000);
    none(h);
    /* At ssthresh: congestion avoidance, + SMSS * SMSS / cwnd. */
    assert_int_equal(ina(h, lport, 5001, SEGN(19), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 4250);
    expect(h, TCP_ACK | TCP_PSH, SEGN(19), 5001, 1000);
    none(h);
    /* Duplicates of data older than "recover" start no new recovery. */
    assert_int_equal(h->st.stats.fast_retrans, 1);
    h_free(h);
}

static void TCP0017_newreno_partial_ack(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = cc_setup(h, &iss, &lport, 20000);
    /* Segments 4 and 7 lost: 5, 6, 8 bring three duplicates. */
    for (int k = 0; k < 3; k++)
        assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, SEGN(4), 5001, 1000);
    none(h);
    /* 9, 10, 11: cwnd 8000, 9000 (segment 12), 10000 (segment 13). */
    for (int k = 0; k < 3; k++)
        assert_int_equal(ina(h, lport, 5001, SEGN(4), TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, SEGN(12), 5001, 1000);
    expect(h, TCP_ACK, SEGN(13), 5001, 1000);
    none(h);
    /* The retransmission fills the first hole: ACK up to segment 7, short
     * of recover. RFC 6582: retransmit segment 7 at once, deflate cwnd by
     * the 3000 acknowledged and add back one SMSS: 10000 - 3000 + 1000. */
    assert_int_equal(ina(h, lport, 5001, SEGN(7), TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, SEGN(7), 5001, 1000);
    i = info(h, c);
    assert_int_equal(i.cwnd, 8000);
    assert_int_equal(i.ssthresh, 4000);
    /* 7000 in flight (7..13) under 8000: one new segment. */
    expect(h, TCP_ACK, SEGN(14), 5001, 1000);
    none(h);
    assert_int_equal(h->st.stats.fast_retrans, 2);
    /* Full ACK past recover: min(4000, max(1000, 1000) + 1000). */
    assert_int_equal(ina(h, lport, 5001, SEGN(14), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 2000);
    expect(h, TCP_ACK, SEGN(15), 5001, 1000);
    none(h);
    h_free(h);
}

static void TCP0018_slow_start_avoidance_timeout_and_idle(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint32_t iss, cw;
    uint16_t lport;
    uint64_t t;
    int c;

    (void)state;
    c = cc_setup(h, &iss, &lport, 30000);
    /* Eight in flight, cwnd 8000. Nothing comes back: the RTO (200 ms,
     * the minimum) fires. ssthresh = 8000 / 2, cwnd = one SMSS, and the
     * oldest segment goes again. */
    t = h->now;
    assert_int_equal(tcp_next_deadline(&h->st), t + 200 * MS);
    at(h, t + 200 * MS);
    expect(h, TCP_ACK, SEGN(4), 5001, 1000);
    none(h);
    i = info(h, c);
    assert_int_equal(i.ssthresh, 4000);
    assert_int_equal(i.cwnd, 1000);
    /* A second timeout of the same data leaves ssthresh alone. */
    at(h, t + 600 * MS);
    expect(h, TCP_ACK, SEGN(4), 5001, 1000);
    i = info(h, c);
    assert_int_equal(i.ssthresh, 4000);
    assert_int_equal(i.cwnd, 1000);
    /* Slow start from one segment: 2000, 3000, 4000... */
    assert_int_equal(ina(h, lport, 5001, SEGN(5), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 2000);
    expect(h, TCP_ACK, SEGN(5), 5001, 1000);
    expect(h, TCP_ACK, SEGN(6), 5001, 1000);
    none(h);
    /* An ACK of two segments still adds only one SMSS (RFC 5681 3.1). */
    assert_int_equal(ina(h, lport, 5001, SEGN(7), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 3000);
    for (int k = 7; k < 10; k++)
        expect(h, TCP_ACK, SEGN(k), 5001, 1000);
    none(h);
    assert_int_equal(ina(h, lport, 5001, SEGN(10), TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).cwnd, 4000);
    for (int k = 10; k < 14; k++)
        expect(h, TCP_ACK, SEGN(k), 5001, 1000);
    none(h);
    /* cwnd >= ssthresh: each ACK adds SMSS * SMSS / cwnd. */
    cw = 4000;
    {
        const uint32_t want[] = {4250, 4485, 4707, 4919};

        for (int k = 0; k < 4; k++) {
            cw += 1000000 / cw;
            assert_int_equal(cw, want[k]);
            assert_int_equal(ina(h, lport, 5001, SEGN(11 + k), TCP_ACK, 65535, NULL, 0), AE_OK);
            assert_int_equal(info(h, c).cwnd, cw);
            drain(h);
        }
    }
    /* Everything acknowledged, then idle for longer than the RTO: the
     * next burst starts from the initial window (RFC 5681 4.1). */
    assert_int_equal(ina(h, lport, 5001, iss + 1 + 30000 - info(h, c).snd_queued, TCP_ACK,
                         65535, NULL, 0),
                     AE_OK);
    drain(h);
    while (info(h, c).snd_queued) {
        struct tcp_info k = info(h, c);

        assert_int_equal(ina(h, lport, 5001, k.snd_nxt, TCP_ACK, 65535, NULL, 0), AE_OK);
        drain(h);
    }
    assert_true(info(h, c).cwnd > 4000);
    h->now += 10 * SEC;
    {
        static uint8_t more[10000];

        assert_int_equal(tcp_send(&h->st, c, more, sizeof(more), h->now), sizeof(more));
    }
    assert_int_equal(info(h, c).cwnd, 4000);
    for (int k = 0; k < 4; k++)
        pop(h);
    none(h);
    h_free(h);
}

static void TCP0019_window_scale_negotiation(void **state)
{
    struct tcp_params p;
    struct h *h;
    struct pkt *s;
    struct tcp_info i;
    uint8_t got[100];
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.rcvbuf = 256 << 10;       /* needs shift 3 */

    /* Both SYNs carry the option: scaling both ways. */
    h = h_new(&p);
    listen80(h);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 40000, 1460, 5, NULL, 0),
                     AE_OK);
    s = pop(h);
    assert_int_equal(s->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
    assert_int_equal(s->s.wscale, 3);
    assert_int_equal(s->s.wnd, 65535);          /* unscaled in the SYN */
    iss = s->s.seq;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 100, NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    i = info(h, c);
    assert_int_equal(i.snd_wscale, 5);
    assert_int_equal(i.rcv_wscale, 3);
    assert_int_equal(i.snd_wnd, 3200);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 100, "0123456789", 10), AE_OK);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 10);
    at(h, h->now + 200 * MS);
    s = expect(h, TCP_ACK, iss + 1, 1011, 0);
    assert_int_equal(s->s.wnd, 32768);           /* 256 KiB >> 3 */
    h_free(h);

    /* Only the peer's SYN lacks it: no scaling either way. */
    h = h_new(&p);
    listen80(h);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 40000, 1460, -1, NULL, 0),
                     AE_OK);
    s = pop(h);
    assert_int_equal(s->s.opts, TCP_HAS_MSS);
    assert_int_equal(s->s.wnd, 65535);
    iss = s->s.seq;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 100, NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    i = info(h, c);
    assert_int_equal(i.snd_wscale, 0);
    assert_int_equal(i.rcv_wscale, 0);
    assert_int_equal(i.snd_wnd, 100);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 100, "0123456789", 10), AE_OK);
    at(h, h->now + 200 * MS);
    s = expect(h, TCP_ACK, iss + 1, 1011, 0);
    assert_int_equal(s->s.wnd, 65535);
    h_free(h);

    /* Our SYN offers it, the SYN-ACK does not: off. */
    h = h_new(&p);
    c = open_active(h, 5000, 1000, 1460, -1, &iss, &lport);
    i = info(h, c);
    assert_int_equal(i.snd_wscale, 0);
    assert_int_equal(i.rcv_wscale, 0);
    assert_int_equal(i.snd_wnd, 1000);
    h_free(h);

    /* The SYN-ACK offers 20: taken as 14 (RFC 7323 2.3). Its own window
     * is not scaled; the next segment's is. */
    h = h_new(&p);
    c = open_active(h, 5000, 1, 1460, 20, &iss, &lport);
    i = info(h, c);
    assert_int_equal(i.snd_wscale, 14);
    assert_int_equal(i.rcv_wscale, 3);
    assert_int_equal(i.snd_wnd, 1);
    assert_int_equal(ina(h, lport, 5001, iss + 1, TCP_ACK, 1, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).snd_wnd, 16384);
    h_free(h);
}

static void TCP0020_mss_option_honoured(void **state)
{
    static uint8_t buf[3000];
    struct h *h;
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    fill(buf, sizeof(buf), 0);
    /* 500: segments of 500, initial window 4 * 500. */
    h = h_new(NULL);
    c = open_passive(h, 1000, 65535, 500, -1, &iss);
    assert_int_equal(info(h, c).mss, 500);
    assert_int_equal(tcp_send(&h->st, c, buf, 3000, h->now), 3000);
    for (int k = 0; k < 4; k++)
        expect(h, TCP_ACK, iss + 1 + 500u * k, 1001, 500);
    none(h);
    h_free(h);
    /* None: 536 (RFC 9293 3.7.1). */
    h = h_new(NULL);
    c = open_active(h, 5000, 65535, 0, -1, &iss, &lport);
    assert_int_equal(info(h, c).mss, 536);
    assert_int_equal(tcp_send(&h->st, c, buf, 3000, h->now), 3000);
    for (int k = 0; k < 4; k++)
        expect(h, TCP_ACK, iss + 1 + 536u * k, 5001, 536);
    none(h);
    h_free(h);
    /* Larger than ours: ours (1460); a silly 1: the floor of 64. */
    h = h_new(NULL);
    c = open_passive(h, 1000, 65535, 9000, -1, &iss);
    assert_int_equal(info(h, c).mss, 1460);
    assert_int_equal(tcp_send(&h->st, c, buf, 3000, h->now), 3000);
    expect(h, TCP_ACK, iss + 1, 1001, 1460);
    expect(h, TCP_ACK, iss + 1461, 1001, 1460);
    none(h);                    /* Nagle holds the 80-byte tail */
    h_free(h);
    h = h_new(NULL);
    c = open_passive(h, 1000, 65535, 1, -1, &iss);
    assert_int_equal(info(h, c).mss, 64);
    h_free(h);
}

static void TCP0021_keepalive_probes_and_drop(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    uint64_t t;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    /* Off by default: an idle connection has no timer at all. */
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    at(h, h->now + 3 * 3600 * SEC);
    none(h);
    t = h->now;
    assert_int_equal(tcp_set_keepalive(&h->st, c, true, 10 * SEC, SEC, 3, h->now), AE_OK);
    assert_int_equal(tcp_next_deadline(&h->st), t + 10 * SEC);
    at(h, t + 10 * SEC - 1);
    none(h);
    at(h, t + 10 * SEC);
    /* SEG.SEQ = SND.NXT - 1, no data. */
    expect(h, TCP_ACK, iss, 1001, 0);
    none(h);
    assert_int_equal(tcp_next_deadline(&h->st), t + 11 * SEC);
    /* Answered: idle time counts again from the answer. */
    h->now = t + 10 * SEC + 500 * MS;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 1000, NULL, 0), AE_OK);
    none(h);
    t = h->now;
    assert_int_equal(tcp_next_deadline(&h->st), t + 10 * SEC);
    for (int k = 0; k < 3; k++) {
        at(h, t + 10 * SEC + k * SEC);
        expect(h, TCP_ACK, iss, 1001, 0);
    }
    at(h, t + 13 * SEC - 1);
    none(h);
    at(h, t + 13 * SEC);
    expect(h, TCP_RST, iss + 1, 0, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_TIMEOUT);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), AE_ERR_TIMEOUT);
    assert_int_equal(h->st.stats.keep_probes, 4);
    /* Turning it off stops the timer. */
    {
        int c2 = open_passive(h, 9000, 1000, 1460, -1, &iss);

        assert_int_equal(tcp_set_keepalive(&h->st, c2, true, 0, 0, 0, h->now), AE_OK);
        assert_int_equal(tcp_next_deadline(&h->st), h->now + 7200 * SEC);
        assert_int_equal(tcp_set_keepalive(&h->st, c2, false, 0, 0, 0, h->now), AE_OK);
        assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
        tcp_abort(&h->st, c2, h->now);
        drain(h);
    }
    /* Asked for before the handshake: armed when it completes, even if
     * the peer then says nothing more. */
    {
        uint16_t lport;
        int c3 = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
        struct pkt *s = pop(h);

        iss = s->s.seq;
        lport = s->s.sport;
        assert_int_equal(tcp_set_keepalive(&h->st, c3, true, 5 * SEC, SEC, 2, h->now), AE_OK);
        h->now += 2 * SEC;
        assert_int_equal(ina(h, lport, 7000, iss + 1, TCP_SYN | TCP_ACK, 1000, NULL, 0), AE_OK);
        expect(h, TCP_ACK, iss + 1, 7001, 0);
        assert_int_equal(tcp_next_deadline(&h->st), h->now + 5 * SEC);
        at(h, h->now + 5 * SEC);
        expect(h, TCP_ACK, iss, 7001, 0);
    }
    h_free(h);
}

static void TCP0022_sequence_numbers_wrap(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    uint8_t a[100], b[100], got[300], out[600];
    uint32_t iss, f;
    int c;

    (void)state;
    /* Pick the clock so our ISS is 0xffffff00: ISS = now/4us + F(tuple). */
    f = tcp_isn(secret, US, UPORT, PEER, PPORT, 0);
    h->now = (uint64_t)(uint32_t)(0xffffff00u - f) * 4000;
    c = open_passive(h, 0xffffffc0u, 65535, 1460, -1, &iss);
    assert_int_equal(iss, 0xffffff00u);
    fill(a, 100, 0);
    fill(b, 100, 100);
    /* Their data crosses 2^32: A = [ffffffc1, 25), B = [25, 89). B first. */
    assert_int_equal(in(h, 0x25, iss + 1, TCP_ACK, 65535, b, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 0xffffffc1u, 0);
    assert_int_equal(in(h, 0xffffffc1u, iss + 1, TCP_ACK, 65535, a, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 0x89, 0);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 200);
    assert_memory_equal(got, a, 100);
    assert_memory_equal(got + 100, b, 100);
    /* Ours crosses it too: 600 bytes from ffffff01 to 159. */
    fill(out, 600, 3);
    assert_int_equal(tcp_send(&h->st, c, out, 600, h->now), 600);
    s = expect(h, TCP_ACK | TCP_PSH, 0xffffff01u, 0x89, 600);
    assert_memory_equal(s->s.data, out, 600);
    h->now += 10 * MS;
    assert_int_equal(in(h, 0x89, 0x159, TCP_ACK, 65535, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).snd_una, 0x159);
    assert_int_equal(info(h, c).snd_queued, 0);
    /* The sample survived the wrap: 7/8 of the handshake's 0 + 1/8 10 ms. */
    assert_int_equal(info(h, c).srtt_ns, 10 * MS / 8);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, 0x159, 0x89, 0);
    assert_int_equal(in(h, 0x89, 0x15a, TCP_ACK | TCP_FIN, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, 0x15a, 0x8a, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_TIME_WAIT);
    h_free(h);
}

static void TCP0023_siphash_vectors_and_isn(void **state)
{
    /* SipHash-2-4, key 00..0f, message 00..n-1 (the paper's appendix has
     * n = 15; all checked against libsodium). */
    static const struct {
        size_t n;
        uint64_t h;
    } v[] = {
        {0, 0x726fdb47dd0e0e31ull},  {1, 0x74f839c593dc67fdull},  {7, 0xab0200f58b01d137ull},
        {8, 0x93f5f5799a932462ull},  {15, 0xa129ca6149be45e5ull}, {16, 0x3f2acc7f57c29bdbull},
        {31, 0x32d892fad841c342ull}, {63, 0x958a324ceb064572ull},
    };
    uint8_t key[16], msg[64];
    static uint32_t isns[2000];
    uint8_t other[16];

    (void)state;
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_int_equal(tcp_siphash24(key, msg, v[i].n), v[i].h);

    /* M: one tick per 4 us. */
    {
        uint32_t i0 = tcp_isn(secret, US, 80, PEER, 5000, 12345 * 4000ull);

        assert_int_equal(tcp_isn(secret, US, 80, PEER, 5000, 12345 * 4000ull + 3999), i0);
        assert_int_equal(tcp_isn(secret, US, 80, PEER, 5000, 12346 * 4000ull), i0 + 1);
        assert_int_equal(tcp_isn(secret, US, 80, PEER, 5000, 12345 * 4000ull + 4 * SEC),
                         i0 + 1000000);
        /* Each part of the tuple, and the secret, changes F. */
        assert_int_not_equal(tcp_isn(secret, US, 81, PEER, 5000, 12345 * 4000ull), i0);
        assert_int_not_equal(tcp_isn(secret, US, 80, PEER, 5001, 12345 * 4000ull), i0);
        assert_int_not_equal(tcp_isn(secret, US + 1, 80, PEER, 5000, 12345 * 4000ull), i0);
        assert_int_not_equal(tcp_isn(secret, US, 80, PEER + 1, 5000, 12345 * 4000ull), i0);
        /* Swapping the ends is another tuple. */
        assert_int_not_equal(tcp_isn(secret, PEER, 5000, US, 80, 12345 * 4000ull), i0);
        memcpy(other, secret, 16);
        other[15] ^= 0x80;
        assert_int_not_equal(tcp_isn(other, US, 80, PEER, 5000, 12345 * 4000ull), i0);
    }
    /* 2000 client ports at the same instant: all different. */
    for (int i = 0; i < 2000; i++)
        isns[i] = tcp_isn(secret, US, 80, PEER, (uint16_t)(10000 + i), 777);
    for (int i = 0; i < 2000; i++)
        for (int j = i + 1; j < 2000; j++)
            assert_true(isns[i] != isns[j]);
}

static void TCP0024_out_of_order_held_then_delivered(void **state)
{
    struct h *h = h_new(NULL);
    static uint8_t d[4000], got[4000];
    uint32_t iss;
    int c;

    (void)state;
    fill(d, sizeof(d), 0);
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    /* C, then D with the FIN, then A, then B. */
    assert_int_equal(in(h, 3001, iss + 1, TCP_ACK, 65535, d + 2000, 1000), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);       /* duplicate ACK at once */
    assert_int_equal(in(h, 4001, iss + 1, TCP_ACK | TCP_FIN, 65535, d + 3000, 1000), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1001, 0);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), AE_ERR_AGAIN);
    assert_int_equal(info(h, c).rcv_queued, 0);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 65535, d, 1000), AE_OK);
    expect(h, TCP_ACK, iss + 1, 2001, 0);       /* part of a gap filled: at once */
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 1000);
    assert_memory_equal(got, d, 1000);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    assert_int_equal(in(h, 2001, iss + 1, TCP_ACK, 65535, d + 1000, 1000), AE_OK);
    expect(h, TCP_ACK, iss + 1, 5002, 0);       /* all of it, and the FIN */
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSE_WAIT);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 3000);
    assert_memory_equal(got, d + 1000, 3000);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 0);
    assert_int_equal(h->st.stats.ooo_segs, 2);
    h_free(h);

    /* Ten holes: eight ranges are kept (the two highest are forgotten and
     * must come again); overlapping pieces merge. */
    h = h_new(NULL);
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    for (int k = 1; k < 20; k += 2)
        assert_int_equal(in(h, 1001 + 100u * k, iss + 1, TCP_ACK, 65535, d + 100 * k, 100),
                         AE_OK);
    assert_int_equal(in(h, 1001 + 150, iss + 1, TCP_ACK, 65535, d + 150, 100), AE_OK);
    drain(h);
    for (int k = 0; k < 20; k += 2)
        assert_int_equal(in(h, 1001 + 100u * k, iss + 1, TCP_ACK, 65535, d + 100 * k, 100),
                         AE_OK);
    assert_int_equal(info(h, c).rcv_nxt, 1001 + 1700);
    assert_int_equal(in(h, 1001 + 1700, iss + 1, TCP_ACK, 65535, d + 1700, 300), AE_OK);
    assert_int_equal(info(h, c).rcv_nxt, 1001 + 2000);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 2000);
    assert_memory_equal(got, d, 2000);
    h_free(h);
}

static void TCP0025_delayed_ack(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 65535, "a", 1), AE_OK);
    none(h);
    assert_int_equal(tcp_next_deadline(&h->st), h->now + 200 * MS);
    at(h, h->now + 199 * MS);
    none(h);
    at(h, h->now + MS);
    expect(h, TCP_ACK, iss + 1, 1002, 0);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    /* Every second segment: at once. */
    assert_int_equal(in(h, 1002, iss + 1, TCP_ACK, 65535, "b", 1), AE_OK);
    none(h);
    assert_int_equal(in(h, 1003, iss + 1, TCP_ACK, 65535, "c", 1), AE_OK);
    expect(h, TCP_ACK, iss + 1, 1004, 0);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    /* Data of ours takes the ACK along and cancels the delayed one. */
    assert_int_equal(in(h, 1004, iss + 1, TCP_ACK, 65535, "d", 1), AE_OK);
    none(h);
    assert_int_equal(tcp_send(&h->st, c, "x", 1, h->now), 1);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 1005, 1);
    assert_int_equal(tcp_next_deadline(&h->st), h->now + info(h, c).rto_ns);
    h_free(h);
}

static void TCP0026_receive_window_sws_avoidance_and_updates(void **state)
{
    struct tcp_params p;
    struct h *h;
    struct pkt *s;
    static uint8_t d[5000], got[5000];
    uint32_t iss;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.rcvbuf = 4096;
    h = h_new(&p);
    fill(d, sizeof(d), 0);
    listen80(h);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 65535, 1000, -1, NULL, 0),
                     AE_OK);
    s = pop(h);
    assert_int_equal(s->s.wnd, 4096);
    iss = s->s.seq;
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 65535, NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(in(h, 1001 + 1000u * k, iss + 1, TCP_ACK, 65535, d + 1000 * k, 1000),
                         AE_OK);
        if (k % 2) {
            s = expect(h, TCP_ACK, iss + 1, 1001 + 1000u * (k + 1), 0);
            assert_int_equal(s->s.wnd, 4096 - 1000 * (k + 1));
        }
    }
    none(h);
    assert_int_equal(in(h, 5001, iss + 1, TCP_ACK, 65535, d + 4000, 96), AE_OK);
    at(h, h->now + 200 * MS);
    s = expect(h, TCP_ACK, iss + 1, 5097, 0);
    assert_int_equal(s->s.wnd, 0);
    /* A window probe gets an ACK with the window still shut; its byte is
     * not taken, but its ACK field is (here it acknowledges 3 bytes of
     * ours). */
    assert_int_equal(tcp_send(&h->st, c, "xyz", 3, h->now), 3);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5097, 3);
    assert_int_equal(in(h, 5097, iss + 4, TCP_ACK, 65535, d + 4096, 1), AE_OK);
    s = expect(h, TCP_ACK, iss + 4, 5097, 0);
    assert_int_equal(s->s.wnd, 0);
    assert_int_equal(info(h, c).rcv_queued, 4096);
    assert_int_equal(info(h, c).snd_una, iss + 4);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    /* Reading less than min(MSS, buffer/2) does not reopen the window
     * (receiver SWS avoidance): no update, and an ACK would still say 0. */
    assert_int_equal(tcp_recv(&h->st, c, got, 500, h->now), 500);
    assert_int_equal(tcp_recv(&h->st, c, got + 500, 499, h->now), 499);
    none(h);
    assert_int_equal(in(h, 5097, iss + 4, TCP_ACK, 65535, d + 4096, 1), AE_OK);
    s = expect(h, TCP_ACK, iss + 4, 5097, 0);
    assert_int_equal(s->s.wnd, 0);
    /* One more byte makes a full MSS: the update goes at once. */
    assert_int_equal(tcp_recv(&h->st, c, got + 999, 1, h->now), 1);
    s = expect(h, TCP_ACK, iss + 4, 5097, 0);
    assert_int_equal(s->s.wnd, 1000);
    /* Opening by less than two MSS once the peer can send: quiet. Two
     * MSS: an update. */
    assert_int_equal(tcp_recv(&h->st, c, got + 1000, 1999, h->now), 1999);
    none(h);
    assert_int_equal(tcp_recv(&h->st, c, got + 2999, 1, h->now), 1);
    s = expect(h, TCP_ACK, iss + 4, 5097, 0);
    assert_int_equal(s->s.wnd, 3000);
    assert_int_equal(tcp_recv(&h->st, c, got + 3000, 2000, h->now), 1096);
    assert_memory_equal(got, d, 4096);
    h_free(h);
}

static void TCP0027_nagle_and_nodelay(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    static uint8_t d[3000];
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    fill(d, sizeof(d), 0);
    c = open_active(h, 5000, 65535, 1000, -1, &iss, &lport);
    assert_int_equal(tcp_send(&h->st, c, d, 10, h->now), 10);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 5001, 10);
    /* Small writes while data is unacknowledged wait and coalesce. */
    assert_int_equal(tcp_send(&h->st, c, d + 10, 10, h->now), 10);
    assert_int_equal(tcp_send(&h->st, c, d + 20, 20, h->now), 20);
    none(h);
    assert_int_equal(ina(h, lport, 5001, iss + 11, TCP_ACK, 65535, NULL, 0), AE_OK);
    s = expect(h, TCP_ACK | TCP_PSH, iss + 11, 5001, 30);
    assert_memory_equal(s->s.data, d + 10, 30);
    none(h);
    /* No delay: out at once, unacknowledged data or not. */
    assert_int_equal(tcp_set_nodelay(&h->st, c, true, h->now), AE_OK);
    assert_int_equal(tcp_send(&h->st, c, d + 40, 5, h->now), 5);
    expect(h, TCP_ACK | TCP_PSH, iss + 41, 5001, 5);
    assert_int_equal(tcp_set_nodelay(&h->st, c, false, h->now), AE_OK);
    /* Full segments go regardless; the short tail waits for the ACK. */
    assert_int_equal(tcp_send(&h->st, c, d + 45, 2500, h->now), 2500);
    expect(h, TCP_ACK, iss + 46, 5001, 1000);
    expect(h, TCP_ACK, iss + 1046, 5001, 1000);
    none(h);
    assert_int_equal(ina(h, lport, 5001, iss + 2046, TCP_ACK, 65535, NULL, 0), AE_OK);
    s = expect(h, TCP_ACK | TCP_PSH, iss + 2046, 5001, 500);
    assert_memory_equal(s->s.data, d + 2045, 500);
    none(h);
    h_free(h);
}

static void TCP0028_listen_backlog(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    uint32_t iss[8];
    int l, a, k;

    (void)state;
    l = tcp_listen(&h->st, 0, UPORT, 2);
    h->l = l;
#define SYN_FROM(port) in_opt(h, PEER, (port), UPORT, 100, 0, TCP_SYN, 65535, 1460, -1, NULL, 0)
#define ACK_FROM(port, i) \
    in_opt(h, PEER, (port), UPORT, 101, iss[i] + 1, TCP_ACK, 65535, 0, -1, NULL, 0)
    SYN_FROM(6001);
    iss[1] = pop(h)->s.seq;
    SYN_FROM(6002);
    iss[2] = pop(h)->s.seq;
    /* The SYN queue (2) is full. */
    SYN_FROM(6003);
    none(h);
    assert_int_equal(h->st.stats.syn_drops, 1);
    ACK_FROM(6001, 1);
    ACK_FROM(6002, 2);
    none(h);
    /* Now the accept queue is. */
    SYN_FROM(6004);
    none(h);
    assert_int_equal(h->st.stats.syn_drops, 2);
    a = tcp_accept(&h->st, l);
    assert_int_equal(info(h, a).rport, 6001);
    SYN_FROM(6005);
    iss[5] = pop(h)->s.seq;
    SYN_FROM(6006);
    iss[6] = pop(h)->s.seq;
    ACK_FROM(6005, 5);
    /* Accept queue full again: the handshake's ACK is ignored... */
    ACK_FROM(6006, 6);
    none(h);
    assert_int_equal(h->st.stats.syn_drops, 3);
    /* ...until there is room, then our SYN-ACK retransmission (or the
     * peer's next ACK) completes it. */
    a = tcp_accept(&h->st, l);
    assert_int_equal(info(h, a).rport, 6002);
    at(h, h->now + SEC);
    s = expect(h, TCP_SYN | TCP_ACK, iss[6], 101, 0);
    assert_int_equal(s->s.dport, 6006);
    ACK_FROM(6006, 6);
    none(h);
    a = tcp_accept(&h->st, l);
    assert_int_equal(info(h, a).rport, 6005);
    a = tcp_accept(&h->st, l);
    assert_int_equal(info(h, a).rport, 6006);
    assert_int_equal(tcp_accept(&h->st, l), AE_ERR_AGAIN);
    /* Closing the listener resets what it has not handed out. */
    SYN_FROM(6007);
    iss[7] = pop(h)->s.seq;
    assert_int_equal(tcp_close(&h->st, l, h->now), AE_OK);
    s = expect(h, TCP_RST, iss[7] + 1, 0, 0);
    assert_int_equal(s->s.dport, 6007);
    none(h);
    /* Four accepted connections stay. */
    for (a = -1, k = 0; (a = tcp_next_conn(&h->st, a)) >= 0; k++)
        assert_int_equal(tcp_state(&h->st, a), TCP_ESTABLISHED);
    assert_int_equal(k, 4);
    h_free(h);

    /* No free slot: the SYN is dropped too (8 slots, 1 the listener). */
    h = h_new(NULL);
    l = tcp_listen(&h->st, 0, UPORT, 100);
    for (int port = 7000; port < 7008; port++)
        SYN_FROM(port);
    for (k = 0; k < 7; k++)
        pop(h);
    none(h);
    assert_int_equal(h->st.stats.syn_drops, 1);
    assert_int_equal(tcp_connect(&h->st, US, 0, PEER, 1, h->now), AE_ERR_NOMEM);
    h_free(h);
#undef SYN_FROM
#undef ACK_FROM
}

static void TCP0029_abort_close_with_unread_data_and_orphans(void **state)
{
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    /* Abort: <SEQ=SND.NXT><RST>, and the slot is free. */
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_abort(&h->st, c, h->now), AE_OK);
    expect(h, TCP_RST, iss + 1, 0, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);
    assert_int_equal(tcp_send(&h->st, c, "x", 1, h->now), AE_ERR_INVAL);

    /* Close with unread data: a RST rather than a FIN (RFC 2525 2.17). */
    c = open_passive(h, 2000, 65535, 1460, -1, &iss);
    assert_int_equal(in(h, 2001, iss + 1, TCP_ACK, 65535, "unread", 6), AE_OK);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    expect(h, TCP_RST, iss + 1, 0, 0);
    none(h);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);

    /* Data arriving after close, in FIN-WAIT-2: nobody will read it. */
    c = open_passive(h, 3000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 1, 3001, 0);
    assert_int_equal(in(h, 3001, iss + 2, TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).state, TCP_FIN_WAIT_2);
    assert_int_equal(in(h, 3001, iss + 2, TCP_ACK, 65535, "late", 4), AE_OK);
    expect(h, TCP_RST, iss + 2, 0, 0);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);

    /* An orphan whose peer never sends its FIN is dropped from FIN-WAIT-2
     * after fin_wait2_ns (60 s), silently. */
    c = open_passive(h, 4000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 1, 4001, 0);
    assert_int_equal(in(h, 4001, iss + 2, TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(tcp_next_deadline(&h->st), h->now + 60 * SEC);
    at(h, h->now + 60 * SEC - 1);
    assert_int_equal(info(h, c).state, TCP_FIN_WAIT_2);
    at(h, h->now + 1);
    assert_int_equal(tcp_next_conn(&h->st, h->l), -1);
    none(h);
    /* But a half-closed connection the caller still holds waits. */
    c = open_passive(h, 5000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 1, 5001, 0);
    assert_int_equal(in(h, 5001, iss + 2, TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    h_free(h);
}

static void TCP0030_half_close_keeps_receiving(void **state)
{
    struct h *h = h_new(NULL);
    static uint8_t d[300], got[300];
    uint32_t iss;
    int c;

    (void)state;
    fill(d, sizeof(d), 9);
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    expect(h, TCP_ACK | TCP_FIN, iss + 1, 1001, 0);
    none(h);
    assert_int_equal(tcp_events(&h->st, c), TCP_EV_CONNECTED);
    assert_int_equal(in(h, 1001, iss + 2, TCP_ACK, 65535, d, 100), AE_OK);
    assert_int_equal(in(h, 1101, iss + 2, TCP_ACK, 65535, d + 100, 100), AE_OK);
    expect(h, TCP_ACK, iss + 2, 1201, 0);
    assert_int_equal(info(h, c).state, TCP_FIN_WAIT_2);
    assert_int_equal(in(h, 1201, iss + 2, TCP_ACK | TCP_FIN, 65535, d + 200, 100), AE_OK);
    expect(h, TCP_ACK, iss + 2, 1302, 0);
    assert_int_equal(info(h, c).state, TCP_TIME_WAIT);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 300);
    assert_memory_equal(got, d, 300);
    assert_int_equal(tcp_recv(&h->st, c, got, sizeof(got), h->now), 0);
    h_free(h);
}

static void TCP0031_syn_retransmission_and_connect_timeout(void **state)
{
    struct tcp_params p;
    struct h *h;
    struct pkt *s;
    uint32_t iss;
    uint16_t lport;
    uint64_t t;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.syn_retries = 3;
    h = h_new(&p);
    t = h->now;
    c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    iss = pop(h)->s.seq;
    /* Initial RTO 1 s, doubling: SYNs at +1, +3, +7; given up at +15. */
    {
        const uint64_t when[] = {1 * SEC, 3 * SEC, 7 * SEC};

        for (int k = 0; k < 3; k++) {
            at(h, t + when[k] - 1);
            none(h);
            at(h, t + when[k]);
            s = expect(h, TCP_SYN, iss, 0, 0);
            assert_int_equal(s->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
        }
    }
    at(h, t + 15 * SEC - 1);
    none(h);
    at(h, t + 15 * SEC);
    none(h);                    /* nothing to reset */
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_TIMEOUT);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), AE_ERR_TIMEOUT);
    assert_int_equal(tcp_events(&h->st, c) & TCP_EV_ERROR, TCP_EV_ERROR);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);

    /* RFC 6298 5.7: a SYN that timed out makes the data phase start from
     * an RTO of 3 s (Karn leaves no sample). */
    t = h->now;
    c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    s = pop(h);
    iss = s->s.seq;
    lport = s->s.sport;
    at(h, t + SEC);
    expect(h, TCP_SYN, iss, 0, 0);
    h->now = t + SEC + 50 * MS;
    assert_int_equal(ina(h, lport, 7000, iss + 1, TCP_SYN | TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 1, 7001, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_ESTABLISHED);
    assert_int_equal(info(h, c).srtt_ns, 0);
    assert_int_equal(info(h, c).rto_ns, 3 * SEC);
    assert_int_equal(tcp_send(&h->st, c, "x", 1, h->now), 1);
    pop(h);
    assert_int_equal(tcp_next_deadline(&h->st), h->now + 3 * SEC);
    h_free(h);
}

static void TCP0032_syn_sent_bad_acks_and_refusal(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    s = pop(h);
    iss = s->s.seq;
    lport = s->s.sport;
    /* An ACK of something we never sent: <SEQ=SEG.ACK><RST>. */
    assert_int_equal(ina(h, lport, 7000, iss + 5, TCP_SYN | TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_RST, iss + 5, 0, 0);
    assert_int_equal(ina(h, lport, 7000, iss, TCP_ACK, 65535, NULL, 0), AE_OK);
    expect(h, TCP_RST, iss, 0, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_SYN_SENT);
    /* RSTs that do not acknowledge our SYN are ignored. */
    assert_int_equal(ina(h, lport, 7000, 0, TCP_RST, 0, NULL, 0), AE_OK);
    assert_int_equal(ina(h, lport, 7000, iss + 2, TCP_RST | TCP_ACK, 0, NULL, 0), AE_OK);
    assert_int_equal(ina(h, lport, 7000, iss, TCP_RST | TCP_ACK, 0, NULL, 0), AE_OK);
    /* Neither SYN nor RST: dropped. */
    assert_int_equal(ina(h, lport, 7000, iss + 1, TCP_ACK, 0, "x", 1), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_SYN_SENT);
    /* One that does: connection refused. */
    assert_int_equal(ina(h, lport, 0, iss + 1, TCP_RST | TCP_ACK, 0, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(tcp_state(&h->st, c), TCP_CLOSED);
    assert_int_equal(info(h, c).reason, TCP_REASON_REFUSED);
    assert_int_equal(tcp_recv(&h->st, c, NULL, 0, h->now), AE_ERR_PEER_CLOSED);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    h_free(h);
}

static void TCP0033_simultaneous_open(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    struct tcp_info i;
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = tcp_connect(&h->st, US, 0, PEER, PPORT, h->now);
    s = pop(h);
    iss = s->s.seq;
    lport = s->s.sport;
    /* RFC 9293 figure 8: the peer's SYN crosses ours. */
    assert_int_equal(in_opt(h, PEER, PPORT, lport, 7000, 0, TCP_SYN, 30000, 1000, 2, NULL, 0),
                     AE_OK);
    s = expect(h, TCP_SYN | TCP_ACK, iss, 7001, 0);
    assert_int_equal(s->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
    assert_int_equal(info(h, c).state, TCP_SYN_RECEIVED);
    /* Its SYN-ACK completes it; nothing more is due. */
    assert_int_equal(in_opt(h, PEER, PPORT, lport, 7000, iss + 1, TCP_SYN | TCP_ACK, 30000, 1000,
                            2, NULL, 0),
                     AE_OK);
    none(h);
    i = info(h, c);
    assert_int_equal(i.state, TCP_ESTABLISHED);
    assert_int_equal(i.snd_wscale, 2);
    assert_int_equal(i.rcv_wscale, 1);
    assert_int_equal(i.mss, 1000);
    assert_int_equal(i.listener, -1);
    assert_int_equal(tcp_send(&h->st, c, "hi", 2, h->now), 2);
    expect(h, TCP_ACK | TCP_PSH, iss + 1, 7001, 2);
    h_free(h);
}

static void TCP0034_time_wait_reopened_by_a_new_syn(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *s;
    uint32_t iss;
    int c;

    (void)state;
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    close_to_time_wait(h, c, iss);
    assert_int_equal(tcp_close(&h->st, c, h->now), AE_OK);
    /* An old-looking SYN: a challenge ACK, TIME-WAIT stays. */
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 500, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    expect(h, TCP_ACK, iss + 2, 1007, 0);
    assert_int_equal(info(h, c).state, TCP_TIME_WAIT);
    /* RFC 1122 4.2.2.13: a SYN beyond the old sequence space reopens. */
    h->now += SEC;
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 90000, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    s = pop(h);
    none(h);
    assert_int_equal(s->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(s->s.ack, 90001);
    assert_true(tcp_seq_gt(s->s.seq, iss + 2));     /* the clock moved on */
    assert_int_equal(in(h, 90001, s->s.seq + 1, TCP_ACK, 1000, NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    assert_true(c >= 0);
    assert_int_equal(info(h, c).irs, 90000);
    h_free(h);

    /* Reopened at the very instant the old one was opened: the clock has
     * not moved the ISN, so it is put past the old SND.MAX (iss + 2). */
    h = h_new(NULL);
    c = open_passive(h, 1000, 1000, 1460, -1, &iss);
    close_to_time_wait(h, c, iss);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 90000, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    s = pop(h);
    assert_int_equal(s->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(s->s.seq, iss + 3);
    assert_int_equal(in(h, 90001, iss + 4, TCP_ACK, 1000, "x", 1), AE_OK);
    c = tcp_accept(&h->st, h->l);
    assert_true(c >= 0);
    assert_int_equal(info(h, c).snd_una, iss + 4);
    h_free(h);
}

/* Checks what must hold of every connection whatever arrived. */
static void check_invariants(struct h *h)
{
    for (uint32_t i = 0; i < NCONN; i++) {
        const struct tcp_conn *c = &h->conns[i];

        if (!c->in_use || c->state == TCP_LISTEN || c->state == TCP_CLOSED)
            continue;
        assert_true(c->rcv.len <= c->rcv.size);
        assert_true(c->snd.len <= c->snd.size);
        assert_true(c->rcv.head < c->rcv.size);
        assert_true(c->snd.head < c->snd.size);
        if (c->state == TCP_SYN_SENT)
            continue;
        assert_true(tcp_seq_leq(c->snd_una, c->snd_nxt));
        assert_true(tcp_seq_leq(c->snd_nxt, c->snd_max));
        assert_true(tcp_seq_leq(c->snd_max, c->snd_seq + c->snd.len + 1));
        assert_true(c->ooo.n <= TCP_OOO_MAX);
        for (uint32_t k = 0; k < c->ooo.n; k++) {
            assert_true(tcp_seq_gt(c->ooo.start[k], c->rcv_nxt));
            assert_true(tcp_seq_lt(c->ooo.start[k], c->ooo.end[k]));
            assert_true(tcp_seq_leq(c->ooo.end[k], c->rcv_nxt + (c->rcv.size - c->rcv.len)));
            if (k)
                assert_true(tcp_seq_gt(c->ooo.start[k], c->ooo.end[k - 1]));
        }
    }
}

static void TCP0035_hostile_segments_never_break_it(void **state)
{
    struct tcp_params p;
    struct h *h;
    static uint8_t junk[2000];
    uint32_t iss, iss2;
    uint16_t lport;
    int c, c2;
    unsigned sent = 0;

    (void)state;
    tcp_params_default(&p);
    p.rcvbuf = 8192;
    p.sndbuf = 8192;
    h = h_new(&p);
    rng_state = 0x5eed;
    c = open_passive(h, 1000, 65535, 1460, 4, &iss);
    c2 = open_active(h, 50000, 65535, 1000, -1, &iss2, &lport);
    for (int it = 0; it < 20000; it++) {
        struct tcp_conn *k = &h->conns[c];
        uint32_t r = (uint32_t)rng();
        uint32_t seq, ack;
        uint16_t sport = PPORT, dport = UPORT;
        size_t len = rng() % 4 ? rng() % 1500 : 0;
        uint8_t flags = (uint8_t)rng();

        if (r % 3 == 0) {
            dport = lport;
            k = &h->conns[c2];
        } else if (r % 7 == 0) {
            sport = (uint16_t)rng();
            dport = (uint16_t)(rng() % 4 ? UPORT : rng());
        }
        if (rng() % 4 == 0)
            flags &= TCP_ACK | TCP_PSH;
        seq = k->in_use && rng() % 2 ? k->rcv_nxt + (uint32_t)(rng() % 20000) - 10000
                                     : (uint32_t)rng();
        ack = k->in_use && rng() % 2 ? k->snd_una + (uint32_t)(rng() % 4000) - 1000
                                     : (uint32_t)rng();
        for (size_t b = 0; b < len; b++)
            junk[b] = (uint8_t)rng();
        {
            uint32_t src = rng() % 16 ? PEER : (uint32_t)rng();
            uint16_t wnd = (uint16_t)rng();
            int mss = rng() % 4 ? 0 : (int)(rng() % 65536);
            int ws = rng() % 4 ? -1 : (int)(rng() % 256);

            in_opt(h, src, sport, dport, seq, ack, flags, wnd, mss, ws, junk, len);
        }
        /* No segment storms: an arrival calls for a handful at most. */
        assert_true(h->n <= 8);
        sent += h->n;
        drain(h);
        if (rng() % 16 == 0)
            at(h, h->now + rng() % (2 * SEC));
        drain(h);
        if (rng() % 8 == 0) {
            uint8_t tmp[3000];

            tcp_recv(&h->st, c, tmp, sizeof(tmp), h->now);
            tcp_send(&h->st, c2, junk, rng() % sizeof(junk), h->now);
            tcp_send(&h->st, c, junk, rng() % sizeof(junk), h->now);
            tcp_recv(&h->st, c2, tmp, sizeof(tmp), h->now);
        }
        drain(h);
        check_invariants(h);
        /* Reopen what the noise closed. */
        if (tcp_state(&h->st, c) == TCP_CLOSED || tcp_state(&h->st, c) == TCP_TIME_WAIT) {
            tcp_abort(&h->st, c, h->now);
            drain(h);
            while (tcp_accept(&h->st, h->l) >= 0)
                ;
            for (int x = tcp_next_conn(&h->st, -1); x >= 0; x = tcp_next_conn(&h->st, x))
                if (x != h->l && x != c2 && !h->conns[x].owned)
                    tcp_abort(&h->st, x, h->now);
            drain(h);
            c = open_passive(h, (uint32_t)rng(), 65535, 1460, 4, &iss);
        }
        if (tcp_state(&h->st, c2) == TCP_CLOSED || tcp_state(&h->st, c2) == TCP_TIME_WAIT) {
            tcp_abort(&h->st, c2, h->now);
            drain(h);
            c2 = open_active(h, (uint32_t)rng(), 65535, 1000, -1, &iss2, &lport);
        }
    }
    assert_true(sent > 1000);
    assert_true(h->st.stats.segs_in >= 20000);
    h_free(h);
}

static void TCP0036_netstat_enumeration_info_and_stats(void **state)
{
    struct h *h = h_new(NULL);
    struct tcp_info i;
    uint32_t iss, iss2;
    uint16_t lport;
    int c, c2, n, x;
    uint64_t out;

    (void)state;
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    c2 = open_active(h, 5000, 65535, 1460, -1, &iss2, &lport);
    for (n = 0, x = -1; (x = tcp_next_conn(&h->st, x)) >= 0; n++)
        assert_true(x == h->l || x == c || x == c2);
    assert_int_equal(n, 3);
    i = info(h, h->l);
    assert_int_equal(i.state, TCP_LISTEN);
    assert_int_equal(i.lport, UPORT);
    assert_int_equal(i.lip, 0);
    i = info(h, c2);
    assert_int_equal(i.lip, US);
    assert_int_equal(i.rip, PEER);
    assert_int_equal(i.lport, lport);
    assert_int_equal(i.rport, PPORT);
    assert_int_equal(i.iss, iss2);
    assert_int_equal(i.irs, 5000);
    assert_int_equal(tcp_send(&h->st, c2, "abc", 3, h->now), 3);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 65535, "defg", 4), AE_OK);
    i = info(h, c2);
    assert_int_equal(i.bytes_out, 3);
    assert_int_equal(i.snd_queued, 3);
    assert_int_equal(i.segs_out, 3);     /* SYN, ACK, data */
    i = info(h, c);
    assert_int_equal(i.bytes_in, 4);
    assert_int_equal(i.rcv_queued, 4);
    assert_int_equal(i.segs_in, 3);      /* SYN, ACK, data */
    assert_int_equal(i.rcv_wnd, 65535 - 4);
    out = h->st.stats.segs_out;
    assert_int_equal(out, 4);            /* SYN-ACK, SYN, ACK, data */
    assert_int_equal(h->st.stats.segs_in, 4);
    assert_string_equal(tcp_state_name(TCP_CLOSED), "CLOSED");
    assert_string_equal(tcp_state_name(TCP_SYN_RECEIVED), "SYN_RECEIVED");
    assert_string_equal(tcp_state_name(TCP_TIME_WAIT), "TIME_WAIT");
    assert_string_equal(tcp_state_name((enum tcp_state)99), "?");
    assert_int_equal(tcp_info(&h->st, -1, &i), AE_ERR_INVAL);
    assert_int_equal(tcp_info(&h->st, NCONN, &i), AE_ERR_INVAL);
    h_free(h);
}

static void TCP0037_events_and_changes(void **state)
{
    struct tcp_params p;
    struct h *h;
    static uint8_t d[3000];
    uint32_t iss;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.sndbuf = 1000;
    h = h_new(&p);
    c = open_passive(h, 1000, 65535, 500, -1, &iss);
    while (tcp_changed(&h->st) >= 0)
        ;
    assert_int_equal(tcp_changed(&h->st), -1);
    /* A full send ring: not writable. */
    assert_int_equal(tcp_send(&h->st, c, d, sizeof(d), h->now), 1000);
    assert_int_equal(tcp_send(&h->st, c, d, sizeof(d), h->now), AE_ERR_AGAIN);
    assert_int_equal(tcp_events(&h->st, c), TCP_EV_CONNECTED);
    drain(h);
    /* The ACK frees room: changed, and writable again. */
    assert_int_equal(in(h, 1001, iss + 501, TCP_ACK, 65535, NULL, 0), AE_OK);
    assert_int_equal(tcp_changed(&h->st), c);
    assert_int_equal(tcp_changed(&h->st), -1);
    assert_int_equal(tcp_events(&h->st, c), TCP_EV_CONNECTED | TCP_EV_WRITABLE);
    drain(h);
    /* Data: readable. */
    assert_int_equal(in(h, 1001, iss + 1001, TCP_ACK, 65535, "z", 1), AE_OK);
    assert_int_equal(tcp_changed(&h->st), c);
    assert_true(tcp_events(&h->st, c) & TCP_EV_READABLE);
    h_free(h);
}

static void TCP0038_zero_copy_receive(void **state)
{
    struct tcp_params p;
    struct h *h;
    static uint8_t d[6000];
    const uint8_t *p1, *p2;
    size_t n1, n2;
    uint32_t iss;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.rcvbuf = 4096;
    h = h_new(&p);
    fill(d, sizeof(d), 0);
    c = open_passive(h, 1000, 65535, 1000, -1, &iss);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 65535, d, 1000), AE_OK);
    assert_int_equal(in(h, 2001, iss + 1, TCP_ACK, 65535, d + 1000, 1000), AE_OK);
    assert_int_equal(in(h, 3001, iss + 1, TCP_ACK, 65535, d + 2000, 1000), AE_OK);
    assert_int_equal(tcp_recv_peek(&h->st, c, &p1, &n1, &p2, &n2), 3000);
    assert_int_equal(n1, 3000);
    assert_int_equal(n2, 0);
    assert_memory_equal(p1, d, 3000);
    assert_int_equal(tcp_recv_consume(&h->st, c, 3001, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_recv_consume(&h->st, c, 2500, h->now), AE_OK);
    drain(h);
    /* The next 1596 bytes wrap around the end of the ring. */
    assert_int_equal(in(h, 4001, iss + 1, TCP_ACK, 65535, d + 3000, 1000), AE_OK);
    assert_int_equal(in(h, 5001, iss + 1, TCP_ACK, 65535, d + 4000, 1000), AE_OK);
    assert_int_equal(tcp_recv_peek(&h->st, c, &p1, &n1, &p2, &n2), 2500);
    assert_int_equal(n1, 1596);
    assert_int_equal(n2, 904);
    assert_memory_equal(p1, d + 2500, 1596);
    assert_memory_equal(p2, d + 4096, 904);
    assert_int_equal(tcp_recv_consume(&h->st, c, 2500, h->now), AE_OK);
    assert_int_equal(tcp_recv_peek(&h->st, c, &p1, &n1, &p2, &n2), 0);
    h_free(h);
}

static void TCP0039_rings_and_out_of_order_ranges(void **state)
{
    uint8_t mem[10], out[10];
    struct tcp_ring r;
    struct tcp_ooo o;
    const uint8_t *a, *b;
    uint32_t na, nb;

    (void)state;
    tcp_ring_init(&r, mem, 10);
    assert_int_equal(tcp_ring_append(&r, (const uint8_t *)"abcdefgh", 8), 8);
    assert_int_equal(tcp_ring_read(&r, out, 6), 6);
    assert_memory_equal(out, "abcdef", 6);
    /* head 6, len 2: 8 more fit, wrapping. */
    assert_int_equal(tcp_ring_append(&r, (const uint8_t *)"ijklmnopqr", 10), 8);
    assert_int_equal(tcp_ring_free(&r), 0);
    tcp_ring_span(&r, 1, 8, &a, &na, &b, &nb);
    assert_int_equal(na, 3);
    assert_int_equal(nb, 5);
    assert_memory_equal(a, "hij", 3);
    assert_memory_equal(b, "klmno", 5);
    tcp_ring_consume(&r, 10);
    assert_int_equal(r.len, 0);
    assert_int_equal(r.head, 6);
    /* Bytes put past the data stay where they are when the data is read,
     * even all of it. */
    tcp_ring_init(&r, mem, 10);
    tcp_ring_append(&r, (const uint8_t *)"abc", 3);
    tcp_ring_put(&r, 2, (const uint8_t *)"XY", 2);
    tcp_ring_consume(&r, 3);
    tcp_ring_put(&r, 0, (const uint8_t *)"VW", 2);
    tcp_ring_commit(&r, 4);
    assert_int_equal(tcp_ring_read(&r, out, 10), 4);
    assert_memory_equal(out, "VWXY", 4);
    /* Free space addressed past the data; commit makes it data. */
    tcp_ring_init(&r, mem, 10);
    tcp_ring_put(&r, 3, (const uint8_t *)"DEF", 3);
    tcp_ring_put(&r, 0, (const uint8_t *)"ABC", 3);
    tcp_ring_commit(&r, 6);
    assert_int_equal(tcp_ring_read(&r, out, 10), 6);
    assert_memory_equal(out, "ABCDEF", 6);

    memset(&o, 0, sizeof(o));
    assert_true(tcp_ooo_add(&o, 100, 200));
    assert_true(tcp_ooo_add(&o, 300, 400));
    assert_true(tcp_ooo_add(&o, 200, 300));     /* touches both: one range */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.start[0], 100);
    assert_int_equal(o.end[0], 400);
    assert_true(tcp_ooo_add(&o, 400, 450));     /* adjacent after: merged */
    assert_true(tcp_ooo_add(&o, 90, 100));      /* adjacent before: merged */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.start[0], 90);
    assert_int_equal(o.end[0], 450);
    assert_true(tcp_ooo_add(&o, 460, 470));
    assert_true(tcp_ooo_add(&o, 450, 460));     /* fills a gap exactly */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.end[0], 470);
    assert_true(tcp_ooo_add(&o, 50, 60));
    assert_true(tcp_ooo_add(&o, 500, 600));
    assert_int_equal(o.n, 3);
    assert_true(tcp_ooo_add(&o, 55, 550));      /* swallows everything */
    assert_int_equal(o.n, 1);
    assert_int_equal(o.start[0], 50);
    assert_int_equal(o.end[0], 600);
    /* Full: a higher range is refused, a lower one evicts the highest. */
    memset(&o, 0, sizeof(o));
    for (uint32_t k = 0; k < TCP_OOO_MAX; k++)
        assert_true(tcp_ooo_add(&o, 1000 + 100 * k, 1050 + 100 * k));
    assert_false(tcp_ooo_add(&o, 5000, 5100));
    assert_true(tcp_ooo_add(&o, 10, 20));
    assert_int_equal(o.n, TCP_OOO_MAX);
    assert_int_equal(o.start[0], 10);
    assert_int_equal(o.end[TCP_OOO_MAX - 1], 1050 + 100 * (TCP_OOO_MAX - 2));
    /* Taking: ranges reached are consumed, a straddled one extends. */
    assert_int_equal(tcp_ooo_take(&o, 5), 5);
    assert_int_equal(tcp_ooo_take(&o, 15), 20);
    assert_int_equal(o.n, TCP_OOO_MAX - 1);
    assert_int_equal(tcp_ooo_take(&o, 1100), 1150);
    assert_int_equal(o.n, TCP_OOO_MAX - 3);
    /* Across the wrap. */
    memset(&o, 0, sizeof(o));
    assert_true(tcp_ooo_add(&o, 0xfffffff0u, 0x10));
    assert_true(tcp_ooo_add(&o, 0x10, 0x20));
    assert_int_equal(o.n, 1);
    assert_int_equal(tcp_ooo_take(&o, 0xffffffe0u), 0xffffffe0u);
    assert_int_equal(tcp_ooo_take(&o, 0xfffffff0u), 0x20);
}

static void TCP0040_rtt_estimator_and_congestion_control(void **state)
{
    struct tcp_rtt r;
    struct tcp_cc cc;

    (void)state;
    tcp_rtt_init(&r, SEC, 200 * MS, 60 * SEC);
    assert_int_equal(tcp_rtt_timeout(&r), SEC);
    tcp_rtt_backoff(&r);
    assert_int_equal(tcp_rtt_timeout(&r), 2 * SEC);
    for (int k = 0; k < 30; k++)
        tcp_rtt_backoff(&r);
    assert_int_equal(tcp_rtt_timeout(&r), 60 * SEC);
    /* A sample ends the backoff. 1 ms samples settle at the minimum. */
    for (int k = 0; k < 50; k++)
        tcp_rtt_sample(&r, MS);
    assert_int_equal(r.srtt, MS);
    assert_int_equal(tcp_rtt_timeout(&r), 200 * MS);
    /* With a 1 ns minimum, G (1 ms) is the floor of the variance term. */
    tcp_rtt_init(&r, SEC, 1, 60 * SEC);
    for (int k = 0; k < 60; k++)
        tcp_rtt_sample(&r, 10 * MS);
    assert_int_equal(r.rttvar, 0);
    assert_int_equal(tcp_rtt_timeout(&r), 11 * MS);
    /* A huge sample is capped, at the maximum. */
    tcp_rtt_sample(&r, UINT64_MAX);
    assert_int_equal(tcp_rtt_timeout(&r), 60 * SEC);

    /* RFC 5681 3.1 equation 1. */
    assert_int_equal(tcp_cc_initial_window(536), 2144);
    assert_int_equal(tcp_cc_initial_window(1095), 4380);
    assert_int_equal(tcp_cc_initial_window(1096), 3288);
    assert_int_equal(tcp_cc_initial_window(1460), 4380);
    assert_int_equal(tcp_cc_initial_window(2190), 6570);
    assert_int_equal(tcp_cc_initial_window(2191), 4382);
    tcp_cc_init(&cc, 1000, 100);
    /* Two duplicates do nothing; a third starts recovery. */
    assert_int_equal(tcp_cc_dupack(&cc, 5000, 20000, 15000), TCP_CC_NONE);
    assert_int_equal(tcp_cc_dupack(&cc, 5000, 20000, 15000), TCP_CC_NONE);
    assert_int_equal(tcp_cc_dupack(&cc, 5000, 20000, 15000), TCP_CC_RETRANSMIT);
    assert_int_equal(cc.ssthresh, 7500);
    assert_int_equal(cc.cwnd, 10500);
    assert_int_equal(tcp_cc_dupack(&cc, 5000, 20000, 15000), TCP_CC_SEND);
    assert_int_equal(cc.cwnd, 11500);
    /* A small flight still leaves ssthresh at 2 SMSS. */
    tcp_cc_init(&cc, 1000, 100);
    for (int k = 0; k < 3; k++)
        tcp_cc_dupack(&cc, 5000, 6000, 1000);
    assert_int_equal(cc.ssthresh, 2000);
    assert_int_equal(cc.cwnd, 5000);
    assert_int_equal(tcp_cc_ack(&cc, 1000, 6000, 0), TCP_CC_SEND);
    assert_int_equal(cc.cwnd, 1000 + 1000);     /* min(2000, max(0, 1000) + 1000) */
    /* Duplicates below recover (6000) after a timeout do not recover. */
    tcp_cc_timeout(&cc, 8000, 9000, true);
    assert_int_equal(cc.ssthresh, 4000);
    assert_int_equal(cc.cwnd, 1000);
    for (int k = 0; k < 5; k++)
        assert_int_equal(tcp_cc_dupack(&cc, 7000, 9000, 2000), TCP_CC_NONE);
    tcp_cc_timeout(&cc, 2000, 9000, false);
    assert_int_equal(cc.ssthresh, 4000);
}

static void TCP0041_bad_calls_refused(void **state)
{
    struct tcp_params p;
    struct tcp_stack st;
    struct tcp_conn conns[2];
    static uint8_t mem[4 << 10];
    struct h *h = h_new(NULL);
    uint32_t iss;
    int c;

    (void)state;
    tcp_params_default(&p);
    p.sndbuf = p.rcvbuf = 1024;
    assert_int_equal(tcp_stack_mem(2, &p), 4096);
    assert_int_equal(tcp_stack_init(&st, conns, 2, mem, 4095, secret, &p, emit_cb, h),
                     AE_ERR_NOMEM);
    assert_int_equal(tcp_stack_init(&st, conns, 0, mem, 4096, secret, &p, emit_cb, h),
                     AE_ERR_INVAL);
    p.mss = 10;
    assert_int_equal(tcp_stack_init(&st, conns, 2, mem, 4096, secret, &p, emit_cb, h),
                     AE_ERR_INVAL);
    p.mss = 1460;
    p.rcvbuf = 0;
    assert_int_equal(tcp_stack_init(&st, conns, 2, mem, 4096, secret, &p, emit_cb, h),
                     AE_ERR_INVAL);
    p.rcvbuf = 1024;
    assert_int_equal(tcp_stack_init(&st, conns, 2, mem, 4096, secret, &p, NULL, h),
                     AE_ERR_INVAL);
    assert_int_equal(tcp_stack_init(&st, conns, 2, mem, 4096, secret, &p, emit_cb, h), AE_OK);

    assert_int_equal(tcp_listen(&h->st, 0, 0, 1), AE_ERR_INVAL);
    assert_int_equal(tcp_connect(&h->st, US, 0, PEER, 0, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_connect(&h->st, 0, 0, PEER, 80, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_connect(&h->st, US, 0, NET_IP4(239, 1, 1, 1), 80, h->now),
                     AE_ERR_INVAL);
    c = open_passive(h, 1000, 65535, 1460, -1, &iss);
    assert_int_equal(tcp_send(&h->st, h->l, "x", 1, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_recv(&h->st, h->l, NULL, 0, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_accept(&h->st, c), AE_ERR_INVAL);
    assert_int_equal(tcp_accept(&h->st, 99), AE_ERR_INVAL);
    assert_int_equal(tcp_send(&h->st, -1, "x", 1, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_send(&h->st, c, "x", 0, h->now), 0);
    assert_int_equal(tcp_shutdown(&h->st, h->l, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_set_nodelay(&h->st, NCONN, true, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_recv_consume(&h->st, c, 1, h->now), AE_ERR_INVAL);
    assert_int_equal(tcp_state(&h->st, 1000), TCP_CLOSED);
    assert_int_equal(tcp_events(&h->st, -5), TCP_EV_CLOSED);
    /* A connection the listener has not handed out is not the caller's. */
    assert_int_equal(in_opt(h, PEER, 6000, UPORT, 1, 0, TCP_SYN, 1000, 0, -1, NULL, 0), AE_OK);
    drain(h);
    {
        int child = -1;

        for (int x = tcp_next_conn(&h->st, -1); x >= 0; x = tcp_next_conn(&h->st, x))
            if (info(h, x).rport == 6000)
                child = x;
        assert_true(child >= 0);
        assert_int_equal(tcp_send(&h->st, child, "x", 1, h->now), AE_ERR_INVAL);
        assert_int_equal(tcp_close(&h->st, child, h->now), AE_ERR_INVAL);
    }
    h_free(h);
}

static void TCP0042_acks_after_a_timeout_carry_snd_max(void **state)
{
    struct h *h = h_new(NULL);
    static uint8_t d[3000];
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = open_active(h, 5000, 65535, 1000, -1, &iss, &lport);
    assert_int_equal(tcp_send(&h->st, c, d, 3000, h->now), 3000);
    for (int k = 0; k < 3; k++)
        pop(h);
    /* The timeout sends SND.NXT back to SND.UNA and resends one segment. */
    at(h, h->now + 200 * MS);
    expect(h, TCP_ACK, iss + 1, 5001, 1000);
    assert_int_equal(info(h, c).snd_nxt, iss + 1001);
    /* The peer, which got all three, sends data. Our ACK is numbered
     * SND.MAX: numbered SND.NXT it would lie left of the peer's window and
     * be ignored (and the peer's ACKs, numbered likewise after its own
     * timeout, ignored by us: a livelock two lossy ends once fell into). */
    assert_int_equal(ina(h, lport, 5001, iss + 1, TCP_ACK, 65535, "ab", 2), AE_OK);
    assert_int_equal(ina(h, lport, 5003, iss + 1, TCP_ACK, 65535, "cd", 2), AE_OK);
    expect(h, TCP_ACK, iss + 3001, 5005, 0);
    /* Challenge ACKs likewise. */
    assert_int_equal(ina(h, lport, 5005, 0, TCP_SYN, 65535, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 3001, 5005, 0);
    /* A pure ACK from the peer numbered at its SND.MAX is taken whatever
     * our view, and moves SND.UNA past what we resent. */
    assert_int_equal(ina(h, lport, 5005, iss + 3001, TCP_ACK, 65535, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).snd_una, iss + 3001);
    assert_int_equal(info(h, c).snd_nxt, iss + 3001);
    assert_int_equal(tcp_next_deadline(&h->st), TCP_NEVER);
    h_free(h);
}

static void TCP0043_window_update_rule_and_old_acks(void **state)
{
    struct h *h = h_new(NULL);
    static uint8_t d[3000];
    uint32_t iss;
    uint16_t lport;
    int c;

    (void)state;
    c = open_active(h, 5000, 20000, 1000, -1, &iss, &lport);
    assert_int_equal(info(h, c).snd_wnd, 20000);
    /* The peer's second segment (window 30000) overtakes its first
     * (window 10000): the older one must not set the window back
     * (SND.WL1 < SEG.SEQ, RFC 9293 3.10.7.4). */
    assert_int_equal(ina(h, lport, 5101, iss + 1, TCP_ACK, 30000, d, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 5001, 0);       /* out of order: duplicate ACK */
    assert_int_equal(info(h, c).snd_wnd, 30000);
    assert_int_equal(ina(h, lport, 5001, iss + 1, TCP_ACK, 10000, d, 100), AE_OK);
    expect(h, TCP_ACK, iss + 1, 5201, 0);
    assert_int_equal(info(h, c).snd_wnd, 30000);
    /* Same SEG.SEQ with a newer ACK does update it (SND.WL2 <= SEG.ACK). */
    assert_int_equal(tcp_send(&h->st, c, d, 2000, h->now), 2000);
    pop(h);
    pop(h);
    assert_int_equal(ina(h, lport, 5201, iss + 1001, TCP_ACK, 25000, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).snd_wnd, 25000);
    assert_int_equal(ina(h, lport, 5201, iss + 2001, TCP_ACK, 26000, NULL, 0), AE_OK);
    assert_int_equal(info(h, c).snd_wnd, 26000);
    none(h);
    /* RFC 5961 5.2: an ACK older than SND.UNA - MAX.SND.WND (30000) is
     * answered with a challenge ACK and otherwise ignored; one just
     * inside that range is merely old. */
    assert_int_equal(ina(h, lport, 5201, iss + 2001 - 30001, TCP_ACK, 100, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 2001, 5201, 0);
    assert_int_equal(ina(h, lport, 5201, iss + 2001 - 30000, TCP_ACK, 100, NULL, 0), AE_OK);
    none(h);
    assert_int_equal(info(h, c).snd_wnd, 26000);
    assert_int_equal(h->st.stats.challenge_acks, 1);
    h_free(h);
}

static void TCP0044_repeated_syn_gets_the_syn_ack_again(void **state)
{
    struct h *h = h_new(NULL);
    struct pkt *p;
    uint32_t iss;
    int c;

    (void)state;
    listen80(h);
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 1000, 1460, 2, NULL, 0),
                     AE_OK);
    p = pop(h);
    iss = p->s.seq;
    /* Our SYN-ACK was lost: the peer's SYN comes again and is answered at
     * once with the same SYN-ACK (not a second connection). */
    h->now += 500 * MS;
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 1000, 0, TCP_SYN, 1000, 1460, 2, NULL, 0),
                     AE_OK);
    p = expect(h, TCP_SYN | TCP_ACK, iss, 1001, 0);
    assert_int_equal(p->s.opts, TCP_HAS_MSS | TCP_HAS_WS);
    none(h);
    assert_int_equal(tcp_next_conn(&h->st, tcp_next_conn(&h->st, h->l)), -1);
    /* A SYN with another ISS on the half-open tuple is ignored. */
    assert_int_equal(in_opt(h, PEER, PPORT, UPORT, 7000, 0, TCP_SYN, 1000, 1460, 2, NULL, 0),
                     AE_OK);
    none(h);
    assert_int_equal(in(h, 1001, iss + 1, TCP_ACK, 1000, NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    assert_true(c >= 0);
    assert_int_equal(info(h, c).irs, 1000);
    h_free(h);
}

/* A connection from PEER:pport accepted, closed by us first and ACKed by
 * the peer's FIN: ours, in TIME-WAIT. */
static int time_wait_from(struct h *h, uint16_t pport, uint32_t piss)
{
    struct pkt *p;
    uint32_t iss;
    int c;

    assert_int_equal(in_opt(h, PEER, pport, UPORT, piss, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_SYN | TCP_ACK);
    iss = p->s.seq;
    assert_int_equal(in_opt(h, PEER, pport, UPORT, piss + 1, iss + 1, TCP_ACK, 1000, 0, -1,
                            NULL, 0), AE_OK);
    c = tcp_accept(&h->st, h->l);
    assert_true(c >= 0);
    assert_int_equal(tcp_shutdown(&h->st, c, h->now), AE_OK);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_FIN | TCP_ACK);
    assert_int_equal(in_opt(h, PEER, pport, UPORT, piss + 1, iss + 2, TCP_ACK | TCP_FIN, 1000, 0,
                            -1, NULL, 0), AE_OK);
    expect(h, TCP_ACK, iss + 2, piss + 2, 0);
    assert_int_equal(tcp_state(&h->st, c), TCP_TIME_WAIT);
    return c;
}

static void TCP0045_full_table_gives_up_the_oldest_time_wait(void **state)
{
    struct h *h = h_new(NULL);
    int c[NCONN - 1];
    struct pkt *p;

    (void)state;
    listen80(h);
    /* Every slot but the listener's in TIME-WAIT, a second apart; the
     * first one's socket still open. */
    for (int k = 0; k < NCONN - 1; k++) {
        c[k] = time_wait_from(h, (uint16_t)(6000 + k), 1000u * (uint32_t)k);
        if (k)
            assert_int_equal(tcp_close(&h->st, c[k], h->now), AE_OK);
        h->now += SEC;
    }
    assert_int_equal(h->st.stats.tw_recycled, 0);
    /* A new SYN is answered, in the slot of the oldest TIME-WAIT nobody
     * holds (the second: the first is still its socket's). */
    assert_int_equal(in_opt(h, PEER, 7000, UPORT, 50000, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(p->s.dport, 7000);
    assert_int_equal(h->st.stats.tw_recycled, 1);
    assert_int_equal(h->st.stats.syn_drops, 0);
    assert_int_equal(info(h, c[1]).rport, 7000);
    assert_int_equal(info(h, c[1]).state, TCP_SYN_RECEIVED);
    assert_int_equal(info(h, c[0]).state, TCP_TIME_WAIT);
    assert_int_equal(info(h, c[2]).state, TCP_TIME_WAIT);
    assert_int_equal(info(h, c[2]).rport, 6002);
    /* The next takes the next oldest. */
    assert_int_equal(in_opt(h, PEER, 7001, UPORT, 60000, 0, TCP_SYN, 1000, 1460, -1, NULL, 0),
                     AE_OK);
    p = pop(h);
    assert_int_equal(p->s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(p->s.ack, 60001);
    assert_int_equal(h->st.stats.tw_recycled, 2);
    assert_int_equal(info(h, c[2]).rport, 7001);
    h_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(TCP0001_passive_open_handshake),
        cmocka_unit_test(TCP0002_active_open),
        cmocka_unit_test(TCP0003_rst_for_closed_ports),
        cmocka_unit_test(TCP0004_syn_with_fin_or_rst_dropped),
        cmocka_unit_test(TCP0005_unacceptable_segments_get_an_ack),
        cmocka_unit_test(TCP0006_rst_window_checks),
        cmocka_unit_test(TCP0007_syn_on_a_synchronized_connection),
        cmocka_unit_test(TCP0008_active_close_and_time_wait_2msl),
        cmocka_unit_test(TCP0009_passive_close),
        cmocka_unit_test(TCP0010_simultaneous_close),
        cmocka_unit_test(TCP0011_zero_window_persist_probes_back_off),
        cmocka_unit_test(TCP0012_urgent_pointer_past_the_data_is_harmless),
        cmocka_unit_test(TCP0013_rto_from_measured_rtts),
        cmocka_unit_test(TCP0014_backoff_doubles_then_gives_up),
        cmocka_unit_test(TCP0015_karn_no_sample_from_retransmissions),
        cmocka_unit_test(TCP0016_three_dup_acks_fast_retransmit_and_recovery),
        cmocka_unit_test(TCP0017_newreno_partial_ack),
        cmocka_unit_test(TCP0018_slow_start_avoidance_timeout_and_idle),
        cmocka_unit_test(TCP0019_window_scale_negotiation),
        cmocka_unit_test(TCP0020_mss_option_honoured),
        cmocka_unit_test(TCP0021_keepalive_probes_and_drop),
        cmocka_unit_test(TCP0022_sequence_numbers_wrap),
        cmocka_unit_test(TCP0023_siphash_vectors_and_isn),
        cmocka_unit_test(TCP0024_out_of_order_held_then_delivered),
        cmocka_unit_test(TCP0025_delayed_ack),
        cmocka_unit_test(TCP0026_receive_window_sws_avoidance_and_updates),
        cmocka_unit_test(TCP0027_nagle_and_nodelay),
        cmocka_unit_test(TCP0028_listen_backlog),
        cmocka_unit_test(TCP0029_abort_close_with_unread_data_and_orphans),
        cmocka_unit_test(TCP0030_half_close_keeps_receiving),
        cmocka_unit_test(TCP0031_syn_retransmission_and_connect_timeout),
        cmocka_unit_test(TCP0032_syn_sent_bad_acks_and_refusal),
        cmocka_unit_test(TCP0033_simultaneous_open),
        cmocka_unit_test(TCP0034_time_wait_reopened_by_a_new_syn),
        cmocka_unit_test(TCP0035_hostile_segments_never_break_it),
        cmocka_unit_test(TCP0036_netstat_enumeration_info_and_stats),
        cmocka_unit_test(TCP0037_events_and_changes),
        cmocka_unit_test(TCP0038_zero_copy_receive),
        cmocka_unit_test(TCP0039_rings_and_out_of_order_ranges),
        cmocka_unit_test(TCP0040_rtt_estimator_and_congestion_control),
        cmocka_unit_test(TCP0041_bad_calls_refused),
        cmocka_unit_test(TCP0042_acks_after_a_timeout_carry_snd_max),
        cmocka_unit_test(TCP0043_window_update_rule_and_old_acks),
        cmocka_unit_test(TCP0044_repeated_syn_gets_the_syn_ack_again),
        cmocka_unit_test(TCP0045_full_table_gives_up_the_oldest_time_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
