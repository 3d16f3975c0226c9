/*
 * Two TCP stacks (user/lib/net/tcp*.c) talking through a simulated link:
 * a queue of segments with a delay, random loss, duplication, reordering
 * (random extra delay) and corruption, all driven by rng() and a virtual
 * clock that jumps to the next delivery or timer deadline. The
 * applications on both ends are driven only by tcp_changed() and
 * tcp_events(), so a missed event stalls the test. Covers: 1 MiB each way
 * on a clean and on lossy links (1 to 5 % loss, with reordering,
 * duplicates and damaged segments) with every byte checked and an orderly
 * close on both ends; many connections at once; a listener whose backlog
 * overflows; a slow reader (zero windows); a dead link (keepalive and
 * retransmission give-up); a simultaneous open; window scaling on a long
 * fat link.
 */
#include "unit.h"

#include "net/net_bytes.h"
#include "net/tcp.h"

#define MS  1000000ull
#define SEC 1000000000ull
#define IPA NET_IP4(192, 168, 1, 1)
#define IPB NET_IP4(192, 168, 1, 2)
#define MAXFLOW 16

static const uint8_t secret_a[16] = "secret-of-node-A";
static const uint8_t secret_b[16] = "secret-of-node-B";

struct seg {
    uint64_t t, order;      /* order: FIFO among equal times */
    uint32_t src, dst;
    size_t len;
    uint8_t b[1600];
};

struct link {
    struct seg *q;
    size_t n, cap;
    uint64_t now;
    uint64_t delay, jitter;             /* jitter: extra delay on reordered segments */
    unsigned loss, dup, reorder, corrupt; /* per ten thousand */
    bool down;
    uint64_t sent, lost, dups, damaged, pushed;
};

struct node {
    struct tcp_stack st;
    struct tcp_conn *conns;
    uint8_t *mem;
    uint32_t ip;
    struct link *link;
};

static bool chance(unsigned per10k)
{
    return rng() % 10000 < per10k;
}

static void push(struct link *l, uint64_t t, uint32_t src, uint32_t dst, const uint8_t *hdr,
                 size_t hl, const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2)
{
    struct seg *s;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->q = realloc(l->q, l->cap * sizeof(*l->q));
        assert_non_null(l->q);
    }
    s = &l->q[l->n++];
    assert_true(hl + n1 + n2 <= sizeof(s->b));
    s->t = t;
    s->order = l->pushed++;
    s->src = src;
    s->dst = dst;
    s->len = hl + n1 + n2;
    memcpy(s->b, hdr, hl);
    if (n1)
        memcpy(s->b + hl, p1, n1);
    if (n2)
        memcpy(s->b + hl + n1, p2, n2);
    if (chance(l->corrupt)) {
        s->b[rng() % s->len] ^= (uint8_t)(1 + rng() % 255);
        l->damaged++;
    }
}

static void emit_cb(void *ctx, uint32_t src, uint32_t dst, const uint8_t *hdr, size_t hl,
                    const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2)
{
    struct node *nd = ctx;
    struct link *l = nd->link;
    uint64_t t = l->now + l->delay;

    assert_int_equal(src, nd->ip);
    l->sent++;
    if (l->down || chance(l->loss)) {
        l->lost++;
        return;
    }
    if (chance(l->reorder))
        t += rng() % (l->jitter + 1);
    push(l, t, src, dst, hdr, hl, p1, n1, p2, n2);
    if (chance(l->dup)) {
        l->dups++;
        push(l, t + rng() % (l->jitter + 1), src, dst, hdr, hl, p1, n1, p2, n2);
    }
}

static void node_init(struct node *nd, struct link *l, uint32_t ip, const uint8_t *secret,
                      uint32_t nconn, const struct tcp_params *p)
{
    size_t mem = tcp_stack_mem(nconn, p);

    nd->ip = ip;
    nd->link = l;
    nd->conns = calloc(nconn, sizeof(*nd->conns));
    nd->mem = malloc(mem);
    assert_non_null(nd->conns);
    assert_non_null(nd->mem);
    assert_int_equal(tcp_stack_init(&nd->st, nd->conns, nconn, nd->mem, mem, secret, p, emit_cb,
                                    nd),
                     AE_OK);
}

static void node_free(struct node *nd)
{
    free(nd->conns);
    free(nd->mem);
}

/* Delivers every segment due by now, earliest first. */
static void deliver(struct link *l, struct node *a, struct node *b)
{
    for (;;) {
        size_t best = l->n;
        struct seg s;

        for (size_t i = 0; i < l->n; i++)
            if (l->q[i].t <= l->now &&
                (best == l->n || l->q[i].t < l->q[best].t ||
                 (l->q[i].t == l->q[best].t && l->q[i].order < l->q[best].order)))
                best = i;
        if (best == l->n)
            return;
        s = l->q[best];
        l->q[best] = l->q[--l->n];
        tcp_input(s.dst == a->ip ? &a->st : &b->st, s.src, s.dst, s.b, s.len, l->now);
    }
}

static uint64_t next_time(const struct link *l, const struct node *a, const struct node *b)
{
    uint64_t t = tcp_next_deadline(&a->st);

    if (tcp_next_deadline(&b->st) < t)
        t = tcp_next_deadline(&b->st);
    for (size_t i = 0; i < l->n; i++)
        if (l->q[i].t < t)
            t = l->q[i].t;
    return t;
}

/* The byte at offset i of a flow's stream in one direction. */
static uint8_t pattern(uint64_t seed, uint64_t i)
{
    uint64_t z = (i >> 3) * 0x9e3779b97f4a7c15ull + seed;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return (uint8_t)(z >> (8 * (i & 7)));
}

/* One direction of a flow as its application sees it. */
struct end {
    int c;
    uint64_t seed_out, seed_in;
    size_t total_out, total_in;
    size_t sent, rcvd;
    bool shut, eof, closed;
    unsigned err;           /* TCP_EV_ERROR seen */
};

struct flow {
    struct end a, b;
};

static uint8_t tmp[65536];

/* Writes what the stack takes, reads and checks what it has. */
static void service(struct node *nd, struct end *e, uint64_t now, size_t read_max)
{
    unsigned ev;

    if (e->c < 0 || e->closed)
        return;
    ev = tcp_events(&nd->st, e->c);
    if (ev & TCP_EV_ERROR) {
        e->err++;
        return;
    }
    while (e->sent < e->total_out && (ev & TCP_EV_CONNECTED)) {
        size_t n = e->total_out - e->sent;
        long r;

        if (n > sizeof(tmp))
            n = sizeof(tmp);
        for (size_t i = 0; i < n; i++)
            tmp[i] = pattern(e->seed_out, e->sent + i);
        r = tcp_send(&nd->st, e->c, tmp, n, now);
        if (r == AE_ERR_AGAIN)
            break;
        assert_true(r > 0);
        e->sent += (size_t)r;
    }
    if (e->sent == e->total_out && !e->shut && (ev & TCP_EV_CONNECTED)) {
        assert_int_equal(tcp_shutdown(&nd->st, e->c, now), AE_OK);
        e->shut = true;
    }
    while (!e->eof && read_max) {
        size_t want = read_max < sizeof(tmp) ? read_max : sizeof(tmp);
        long r = tcp_recv(&nd->st, e->c, tmp, want, now);

        if (r == AE_ERR_AGAIN)
            break;
        assert_true(r >= 0);
        if (r == 0) {
            assert_int_equal(e->rcvd, e->total_in);
            e->eof = true;
            break;
        }
        assert_true(e->rcvd + (size_t)r <= e->total_in);
        for (long i = 0; i < r; i++)
            if (tmp[i] != pattern(e->seed_in, e->rcvd + (size_t)i))
                fail_msg("byte %zu of the stream differs", e->rcvd + (size_t)i);
        e->rcvd += (size_t)r;
        read_max -= (size_t)r;
    }
}

struct sim {
    struct link l;
    struct node a, b;
    struct flow f[MAXFLOW];
    int nflow;
    int listener;           /* on b */
    uint64_t accept_every;  /* b accepts at most one connection per this */
    uint64_t next_accept;
    size_t read_max;        /* per wake-up, both ends */
    uint64_t read_every;    /* readers also wake on this period (0: never) */
    uint64_t next_read;
    uint64_t pause_from, pause_until;   /* readers read nothing meanwhile */
};

static struct flow *flow_of(struct sim *s, struct node *nd, int c, struct end **e)
{
    for (int i = 0; i < s->nflow; i++) {
        struct end *x = nd == &s->a ? &s->f[i].a : &s->f[i].b;

        if (x->c == c) {
            *e = x;
            return &s->f[i];
        }
    }
    return NULL;
}

static void accept_some(struct sim *s)
{
    int c;

    if (s->listener < 0 || s->l.now < s->next_accept)
        return;
    while ((c = tcp_accept(&s->b.st, s->listener)) >= 0) {
        struct tcp_info i;
        int k;

        assert_int_equal(tcp_info(&s->b.st, c, &i), AE_OK);
        /* Which flow: by the client's port. */
        for (k = 0; k < s->nflow; k++) {
            struct tcp_info ai;

            assert_int_equal(tcp_info(&s->a.st, s->f[k].a.c, &ai), AE_OK);
            if (ai.lport == i.rport)
                break;
        }
        assert_true(k < s->nflow);
        assert_int_equal(s->f[k].b.c, -1);
        s->f[k].b.c = c;
        service(&s->b, &s->f[k].b, s->l.now, s->read_max);
        if (s->accept_every) {
            s->next_accept = s->l.now + s->accept_every;
            break;
        }
    }
}

static bool all_done(const struct sim *s)
{
    for (int i = 0; i < s->nflow; i++) {
        const struct flow *f = &s->f[i];

        if (!f->a.eof || !f->b.eof || f->a.sent != f->a.total_out ||
            f->b.sent != f->b.total_out)
            return false;
    }
    return true;
}

/* What each end had when a run stalled. */
static void dump(const struct sim *s)
{
    for (int side = 0; side < 2; side++) {
        const struct node *nd = side ? &s->b : &s->a;

        for (int x = tcp_next_conn(&nd->st, -1); x >= 0; x = tcp_next_conn(&nd->st, x)) {
            struct tcp_info i;

            assert_int_equal(tcp_info(&nd->st, x, &i), AE_OK);
            fprintf(stderr, "%c%d %s reason %d una %u nxt %u wnd %u rcv_nxt %u cwnd %u "
                    "queued %u/%u events %#x\n", side ? 'b' : 'a', x, tcp_state_name(i.state),
                    i.reason, i.snd_una, i.snd_nxt, i.snd_wnd, i.rcv_nxt, i.cwnd, i.snd_queued,
                    i.rcv_queued, tcp_events(&nd->st, x));
        }
    }
    for (int i = 0; i < s->nflow; i++)
        fprintf(stderr, "flow %d: a sent %zu got %zu eof %d, b sent %zu got %zu eof %d\n", i,
                s->f[i].a.sent, s->f[i].a.rcvd, s->f[i].a.eof, s->f[i].b.sent, s->f[i].b.rcvd,
                s->f[i].b.eof);
}

/* Runs until every flow has sent and received everything (and the FINs),
 * or until limit. Returns the virtual time taken. */
static uint64_t run(struct sim *s, uint64_t limit, bool (*done)(const struct sim *))
{
    uint64_t start = s->l.now;
    bool reading = true;

    for (;;) {
        uint64_t t;
        int c;

        deliver(&s->l, &s->a, &s->b);
        tcp_timer(&s->a.st, s->l.now);
        tcp_timer(&s->b.st, s->l.now);
        if (s->read_every) {
            reading = s->l.now >= s->next_read;
            if (reading)
                s->next_read = s->l.now + s->read_every;
        }
        if (s->l.now >= s->pause_from && s->l.now < s->pause_until)
            reading = false;
        accept_some(s);
        /* Each end looks only at what tcp_changed reports (and, for a
         * periodic reader, at its own wake-up). */
        for (int side = 0; side < 2; side++) {
            struct node *nd = side ? &s->b : &s->a;
            struct end *e;

            while ((c = tcp_changed(&nd->st)) >= 0) {
                if (side && c == s->listener) {
                    accept_some(s);
                    continue;
                }
                assert_non_null(flow_of(s, nd, c, &e));
                service(nd, e, s->l.now, reading ? s->read_max : 0);
            }
            if (s->read_every && reading)
                for (int i = 0; i < s->nflow; i++)
                    service(nd, side ? &s->f[i].b : &s->f[i].a, s->l.now, s->read_max);
        }
        if (done(s))
            return s->l.now - start;
        t = next_time(&s->l, &s->a, &s->b);
        if (s->listener >= 0 && s->accept_every && s->next_accept > s->l.now &&
            s->next_accept < t)
            t = s->next_accept;
        if (s->read_every && s->next_read < t)
            t = s->next_read;
        if (t == TCP_NEVER)
            dump(s);
        if (t == TCP_NEVER)
            fail_msg("stalled at %llu ns: nothing queued, no timer",
                     (unsigned long long)(s->l.now - start));
        if (t - start > limit)
            fail_msg("not done after %llu s", (unsigned long long)(limit / SEC));
        if (t > s->l.now)
            s->l.now = t;
    }
}

static struct sim *sim_new(const struct tcp_params *pa, const struct tcp_params *pb,
                           uint32_t nconn)
{
    struct sim *s = calloc(1, sizeof(*s));

    assert_non_null(s);
    s->l.now = 5 * SEC;
    s->l.delay = 5 * MS;
    s->l.jitter = 10 * MS;
    node_init(&s->a, &s->l, IPA, secret_a, nconn, pa);
    node_init(&s->b, &s->l, IPB, secret_b, nconn, pb);
    s->listener = -1;
    s->read_max = SIZE_MAX;
    return s;
}

static void sim_free(struct sim *s)
{
    node_free(&s->a);
    node_free(&s->b);
    free(s->l.q);
    free(s);
}

/* n flows from a to b's port 80, each moving total bytes both ways. */
static void start_flows(struct sim *s, int n, size_t total, uint32_t backlog)
{
    s->listener = tcp_listen(&s->b.st, 0, 80, backlog);
    assert_true(s->listener >= 0);
    s->nflow = n;
    for (int i = 0; i < n; i++) {
        struct flow *f = &s->f[i];

        f->a.seed_out = f->b.seed_in = 1000 + 2 * (uint64_t)i;
        f->b.seed_out = f->a.seed_in = 1001 + 2 * (uint64_t)i;
        f->a.total_out = f->a.total_in = f->b.total_out = f->b.total_in = total;
        f->b.c = -1;
        f->a.c = tcp_connect(&s->a.st, IPA, 0, IPB, 80, s->l.now);
        assert_true(f->a.c >= 0);
    }
}

/* After the transfers: both ends' states are from an orderly close, no
 * error was ever seen; then both close, and after 2 MSL nothing is left. */
static void finish(struct sim *s)
{
    for (int i = 0; i < s->nflow; i++) {
        struct flow *f = &s->f[i];
        enum tcp_state sa, sb;
        struct tcp_info ia, ib;

        assert_int_equal(f->a.err + f->b.err, 0);
        assert_int_equal(tcp_info(&s->a.st, f->a.c, &ia), AE_OK);
        assert_int_equal(tcp_info(&s->b.st, f->b.c, &ib), AE_OK);
        assert_int_equal(ia.reason, TCP_REASON_NONE);
        assert_int_equal(ib.reason, TCP_REASON_NONE);
        sa = ia.state;
        sb = ib.state;
        /* Both sent FIN and got FIN: each is past it, or waiting for the
         * last ACK of its own FIN. */
        assert_true(sa == TCP_TIME_WAIT || sa == TCP_CLOSED || sa == TCP_LAST_ACK ||
                    sa == TCP_CLOSING);
        assert_true(sb == TCP_TIME_WAIT || sb == TCP_CLOSED || sb == TCP_LAST_ACK ||
                    sb == TCP_CLOSING);
        if (sa == TCP_TIME_WAIT || sa == TCP_CLOSED)
            assert_int_equal(ia.snd_queued, 0);
        if (sb == TCP_TIME_WAIT || sb == TCP_CLOSED)
            assert_int_equal(ib.snd_queued, 0);
        assert_int_equal(tcp_close(&s->a.st, f->a.c, s->l.now), AE_OK);
        assert_int_equal(tcp_close(&s->b.st, f->b.c, s->l.now), AE_OK);
        f->a.closed = f->b.closed = true;
    }
    if (s->listener >= 0)
        assert_int_equal(tcp_close(&s->b.st, s->listener, s->l.now), AE_OK);
    s->listener = -1;
    /* Run out the clock: every slot comes free, with at least one side of
     * each connection having gone through TIME-WAIT. */
    for (uint64_t end = s->l.now + 2 * s->a.st.p.msl_ns + 130 * SEC; s->l.now < end;) {
        uint64_t t;

        deliver(&s->l, &s->a, &s->b);
        tcp_timer(&s->a.st, s->l.now);
        tcp_timer(&s->b.st, s->l.now);
        while (tcp_changed(&s->a.st) >= 0 || tcp_changed(&s->b.st) >= 0)
            ;
        t = next_time(&s->l, &s->a, &s->b);
        if (t == TCP_NEVER)
            break;
        s->l.now = t > s->l.now ? t : s->l.now + 1;
    }
    assert_int_equal(tcp_next_conn(&s->a.st, -1), -1);
    assert_int_equal(tcp_next_conn(&s->b.st, -1), -1);
}

static struct tcp_params params(void)
{
    struct tcp_params p;

    tcp_params_default(&p);
    p.msl_ns = SEC;
    return p;
}

static void TCPL0001_one_mib_each_way_clean_link(void **state)
{
    struct tcp_params p = params();
    struct sim *s = sim_new(&p, &p, 4);
    uint64_t took;

    (void)state;
    rng_state = 1;
    start_flows(s, 1, 1 << 20, 4);
    took = run(s, 600 * SEC, all_done);
    /* Nothing lost, nothing resent; 64 KiB windows over a 10 ms RTT. */
    assert_int_equal(s->a.st.stats.retrans_segs, 0);
    assert_int_equal(s->b.st.stats.retrans_segs, 0);
    assert_true(took < 2 * SEC);
    assert_int_equal(s->a.st.stats.rst_out + s->b.st.stats.rst_out, 0);
    finish(s);
    sim_free(s);
}

static void lossy(unsigned loss, uint64_t seed)
{
    struct tcp_params p = params();
    struct sim *s = sim_new(&p, &p, 4);

    rng_state = seed;
    s->l.loss = loss;
    s->l.reorder = 1000;
    s->l.dup = 100;
    s->l.corrupt = 50;
    start_flows(s, 1, 1 << 20, 4);
    run(s, 3600 * SEC, all_done);
    assert_true(s->l.lost > 0);
    assert_true(s->a.st.stats.retrans_segs + s->b.st.stats.retrans_segs > 0);
    assert_true(s->a.st.stats.bad_csum + s->b.st.stats.bad_csum > 0);
    finish(s);
    sim_free(s);
}

static void TCPL0002_one_mib_each_way_lossy_reordering_links(void **state)
{
    (void)state;
    lossy(100, 11);
    lossy(100, 12);
    lossy(300, 13);
    lossy(300, 14);
    lossy(500, 15);
    lossy(500, 16);
}

static void TCPL0003_many_connections_at_once(void **state)
{
    struct tcp_params p = params();
    struct sim *s = sim_new(&p, &p, 16);

    (void)state;
    rng_state = 21;
    s->l.loss = 200;
    s->l.reorder = 1000;
    s->l.dup = 100;
    start_flows(s, 12, 200 << 10, 16);
    run(s, 3600 * SEC, all_done);
    finish(s);
    sim_free(s);
}

static void TCPL0004_listen_backlog_overflows(void **state)
{
    struct tcp_params p = params();
    struct sim *s = sim_new(&p, &p, 16);

    (void)state;
    rng_state = 31;
    /* Six clients, a backlog of 2, an application accepting one
     * connection every 2 s: SYNs and handshake ACKs are dropped until
     * there is room, and the clients' retransmissions get them all in. */
    s->accept_every = 2 * SEC;
    start_flows(s, 6, 10000, 2);
    run(s, 120 * SEC, all_done);
    assert_true(s->b.st.stats.syn_drops > 0);
    assert_int_equal(s->a.st.stats.timeouts, 0);
    finish(s);
    sim_free(s);
}

static void TCPL0005_slow_reader_zero_windows(void **state)
{
    struct tcp_params p = params();
    struct sim *s;

    (void)state;
    p.rcvbuf = 8192;
    p.persist_min_ns = 200 * MS;
    s = sim_new(&p, &p, 4);
    rng_state = 41;
    s->l.loss = 1000;
    s->l.reorder = 500;
    /* Readers take 2 KiB every 500 ms: the 8 KiB windows shut again and
     * again; window updates reopen them, and when one is lost (10 % loss
     * here) the sender's persist timer finds out. From 2 s to 12 s they
     * read nothing: both windows stay shut and both senders probe, the
     * intervals doubling from the RTO (200 ms or more). */
    s->read_max = 2048;
    s->read_every = 500 * MS;
    s->pause_from = s->l.now + 2 * SEC;
    s->pause_until = s->l.now + 12 * SEC;
    start_flows(s, 1, 96 << 10, 4);
    run(s, 600 * SEC, all_done);
    assert_true(s->a.st.stats.persist_probes >= 3);
    assert_true(s->b.st.stats.persist_probes >= 3);
    finish(s);
    sim_free(s);
}

static bool errors_seen(const struct sim *s)
{
    return s->f[0].a.err && s->f[0].b.err;
}

static void TCPL0006_dead_link_keepalive_and_give_up(void **state)
{
    struct tcp_params p = params();
    struct sim *s;
    struct tcp_info i;
    uint64_t took;

    (void)state;
    p.max_retries = 5;
    s = sim_new(&p, &p, 4);
    rng_state = 51;
    /* a only listens for data that never comes (keepalive); b has data
     * in flight when the link dies (retransmission give-up). */
    start_flows(s, 1, 0, 4);
    s->f[0].b.total_out = s->f[0].a.total_in = 1 << 20;
    s->f[0].a.total_out = s->f[0].b.total_in = 0;
    while (s->f[0].b.c < 0 || s->f[0].b.sent < 100000) {
        uint64_t t;

        deliver(&s->l, &s->a, &s->b);
        tcp_timer(&s->a.st, s->l.now);
        tcp_timer(&s->b.st, s->l.now);
        accept_some(s);
        service(&s->a, &s->f[0].a, s->l.now, SIZE_MAX);
        service(&s->b, &s->f[0].b, s->l.now, SIZE_MAX);
        t = next_time(&s->l, &s->a, &s->b);
        s->l.now = t > s->l.now ? t : s->l.now;
    }
    assert_int_equal(tcp_set_keepalive(&s->a.st, s->f[0].a.c, true, 5 * SEC, SEC, 3, s->l.now),
                     AE_OK);
    s->l.down = true;
    took = run(s, 600 * SEC, errors_seen);
    assert_int_equal(tcp_info(&s->a.st, s->f[0].a.c, &i), AE_OK);
    assert_int_equal(i.reason, TCP_REASON_TIMEOUT);
    assert_int_equal(tcp_info(&s->b.st, s->f[0].b.c, &i), AE_OK);
    assert_int_equal(i.reason, TCP_REASON_TIMEOUT);
    assert_int_equal(s->a.st.stats.keep_probes, 3);
    assert_true(took < 200 * SEC);
    assert_int_equal(s->a.st.stats.timeouts, 1);
    assert_int_equal(s->b.st.stats.timeouts, 1);
    sim_free(s);
}

static void TCPL0007_simultaneous_open(void **state)
{
    struct tcp_params p = params();
    struct sim *s = sim_new(&p, &p, 4);

    (void)state;
    rng_state = 61;
    s->l.reorder = 0;
    /* Both ends connect to each other at the same instant. */
    s->nflow = 1;
    s->f[0].a.seed_out = s->f[0].b.seed_in = 7;
    s->f[0].b.seed_out = s->f[0].a.seed_in = 8;
    s->f[0].a.total_out = s->f[0].a.total_in = 100000;
    s->f[0].b.total_out = s->f[0].b.total_in = 100000;
    s->f[0].a.c = tcp_connect(&s->a.st, IPA, 7000, IPB, 8000, s->l.now);
    s->f[0].b.c = tcp_connect(&s->b.st, IPB, 8000, IPA, 7000, s->l.now);
    assert_true(s->f[0].a.c >= 0 && s->f[0].b.c >= 0);
    run(s, 60 * SEC, all_done);
    assert_int_equal(s->a.st.stats.passive_opens + s->b.st.stats.passive_opens, 0);
    finish(s);
    sim_free(s);
}

static void TCPL0008_window_scaling_on_a_long_fat_link(void **state)
{
    struct tcp_params p = params();
    struct sim *s;
    struct tcp_info i;
    uint64_t took;

    (void)state;
    p.rcvbuf = p.sndbuf = 2 << 20;
    s = sim_new(&p, &p, 2);
    rng_state = 71;
    s->l.delay = 100 * MS;          /* 200 ms RTT */
    s->l.reorder = 0;
    start_flows(s, 1, 8 << 20, 1);
    took = run(s, 600 * SEC, all_done);
    assert_int_equal(tcp_info(&s->a.st, s->f[0].a.c, &i), AE_OK);
    assert_int_equal(i.snd_wscale, 6);      /* 2 MiB >> 6 = 32768 */
    assert_int_equal(i.rcv_wscale, 6);
    /* With 64 KiB windows 8 MiB would need 128 RTTs, 25.6 s. */
    assert_true(took < 6 * SEC);
    finish(s);
    sim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(TCPL0001_one_mib_each_way_clean_link),
        cmocka_unit_test(TCPL0002_one_mib_each_way_lossy_reordering_links),
        cmocka_unit_test(TCPL0003_many_connections_at_once),
        cmocka_unit_test(TCPL0004_listen_backlog_overflows),
        cmocka_unit_test(TCPL0005_slow_reader_zero_windows),
        cmocka_unit_test(TCPL0006_dead_link_keepalive_and_give_up),
        cmocka_unit_test(TCPL0007_simultaneous_open),
        cmocka_unit_test(TCPL0008_window_scaling_on_a_long_fat_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
