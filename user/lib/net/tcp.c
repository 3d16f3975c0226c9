/*
 * The stack: parameters, connection slots, demultiplexing, and the calls
 * of the sockets layer. The protocol itself is in tcp_in.c (arrival),
 * tcp_out.c (sending) and tcp_timer.c (timers).
 */
#include "net/tcp.h"

#include <string.h>

#include "aether/errors.h"
#include "net/tcp_int.h"

#define EPHEMERAL_LO 49152u
#define EPHEMERAL_N  16384u

void tcp_params_default(struct tcp_params *p)
{
    memset(p, 0, sizeof(*p));
    p->mss = 1460;
    p->sndbuf = 64 << 10;
    p->rcvbuf = 64 << 10;
    p->msl_ns = 30 * TCP_SEC;
    p->rto_init_ns = TCP_SEC;
    p->rto_min_ns = 200 * 1000000ull;
    p->rto_max_ns = 60 * TCP_SEC;
    p->delack_ns = 200 * 1000000ull;
    p->max_retries = 12;
    p->syn_retries = 6;
    p->persist_min_ns = TCP_SEC;
    p->persist_max_ns = 60 * TCP_SEC;
    p->fin_wait2_ns = 60 * TCP_SEC;
    p->keep_idle_ns = 7200 * TCP_SEC;
    p->keep_intvl_ns = 75 * TCP_SEC;
    p->keep_cnt = 9;
}

size_t tcp_stack_mem(uint32_t nconn, const struct tcp_params *p)
{
    return (size_t)nconn * ((size_t)p->sndbuf + p->rcvbuf);
}

int tcp_stack_init(struct tcp_stack *st, struct tcp_conn *conns, uint32_t nconn, uint8_t *mem,
                   size_t memlen, const uint8_t secret[TCP_SECRET_LEN],
                   const struct tcp_params *p, tcp_emit_fn emit, void *ctx)
{
    uint8_t tag[] = {'p', 'o', 'r', 't'};

    if (!st || !conns || nconn == 0 || nconn > 0x7fffffff || !p || !emit || !secret ||
        p->mss < TCP_MIN_MSS || p->mss > 0xffff - TCP_HDR_MAX || p->keep_cnt == 0 ||
        p->sndbuf == 0 || p->sndbuf > TCP_RING_MAX ||
        p->rcvbuf == 0 || p->rcvbuf > TCP_RING_MAX || p->rto_min_ns == 0 ||
        p->rto_max_ns > 86400 * TCP_SEC || p->persist_max_ns > 86400 * TCP_SEC)
        return AE_ERR_INVAL;
    if (!mem || memlen < tcp_stack_mem(nconn, p))
        return AE_ERR_NOMEM;
    memset(st, 0, sizeof(*st));
    st->conns = conns;
    st->nconn = nconn;
    st->p = *p;
    memcpy(st->secret, secret, TCP_SECRET_LEN);
    st->emit = emit;
    st->ctx = ctx;
    /* Where the ephemeral ports start is secret too (RFC 6056). */
    st->next_port = (uint16_t)(EPHEMERAL_LO + tcp_siphash24(secret, tag, sizeof(tag)) %
                                                  EPHEMERAL_N);
    memset(conns, 0, nconn * sizeof(*conns));
    for (uint32_t i = 0; i < nconn; i++) {
        uint8_t *base = mem + (size_t)i * (p->sndbuf + p->rcvbuf);

        tcp_ring_init(&conns[i].snd, base, p->sndbuf);
        tcp_ring_init(&conns[i].rcv, base + p->sndbuf, p->rcvbuf);
        conns[i].parent = -1;
    }
    return AE_OK;
}

/* The closed connection in TIME_WAIT that has the least of it left, or
 * NULL. TIME_WAIT guards a 4-tuple against old duplicates for 2 MSL; a
 * server that closes first keeps one per connection, and with a bounded
 * table (RFC 9293 3.6.1 leaves the resources to the implementation) the
 * oldest is given up for a new connection rather than refusing it. */
static struct tcp_conn *oldest_time_wait(struct tcp_stack *st)
{
    struct tcp_conn *best = NULL;

    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (c->in_use && !c->owned && c->state == TCP_TIME_WAIT &&
            (!best || c->t_close < best->t_close))
            best = c;
    }
    return best;
}

struct tcp_conn *tcp_slot_alloc(struct tcp_stack *st)
{
    struct tcp_conn *c = NULL;
    uint8_t *sb, *rb;

    for (uint32_t i = 0; i < st->nconn && !c; i++)
        if (!st->conns[i].in_use)
            c = &st->conns[i];
    if (!c && (c = oldest_time_wait(st))) {
        tcp_slot_free(st, c);
        st->stats.tw_recycled++;
    }
    if (!c)
        return NULL;
    sb = c->snd.buf;
    rb = c->rcv.buf;
    memset(c, 0, sizeof(*c));
    tcp_ring_init(&c->snd, sb, st->p.sndbuf);
    tcp_ring_init(&c->rcv, rb, st->p.rcvbuf);
    c->in_use = true;
    c->owned = true;
    c->parent = -1;
    c->t_rexmit = c->t_persist = c->t_delack = c->t_keep = c->t_close = TCP_NEVER;
    return c;
}

void tcp_slot_free(struct tcp_stack *st, struct tcp_conn *c)
{
    (void)st;
    c->in_use = false;
    c->owned = false;
    c->state = TCP_CLOSED;
    c->flags = 0;
    c->parent = -1;
    c->t_rexmit = c->t_persist = c->t_delack = c->t_keep = c->t_close = TCP_NEVER;
}

/* The smallest shift that lets the window field cover the whole ring. */
uint8_t tcp_our_wscale(const struct tcp_stack *st)
{
    uint8_t ws = 0;

    while (ws < TCP_MAX_WSCALE && (st->p.rcvbuf >> ws) > 0xffff)
        ws++;
    return ws;
}

void tcp_conn_set_iss(struct tcp_conn *c, uint32_t iss)
{
    c->iss = iss;
    c->snd_una = c->snd_nxt = c->snd_max = iss;
    c->snd_seq = iss + 1;
    tcp_cc_init(&c->cc, c->mss, iss);
}

void tcp_conn_start(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->mss = st->p.mss;
    tcp_conn_set_iss(c, tcp_isn(st->secret, c->lip, c->lport, c->rip, c->rport, now));
    c->rcv_ws = tcp_our_wscale(st);
    tcp_rtt_init(&c->rtt, st->p.rto_init_ns, st->p.rto_min_ns, st->p.rto_max_ns);
    c->keep_idle = st->p.keep_idle_ns;
    c->keep_intvl = st->p.keep_intvl_ns;
    c->keep_cnt = st->p.keep_cnt;
    c->last_rcv = now;
}

void tcp_take_syn(struct tcp_stack *st, struct tcp_conn *c, const struct tcp_seg *s)
{
    uint32_t mss = (s->opts & TCP_HAS_MSS) ? s->mss : TCP_DEFAULT_MSS;

    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    c->rcv_adv = c->rcv_nxt;
    mss = tcp_min32(mss, st->p.mss);
    c->mss = (uint16_t)(mss < TCP_MIN_MSS ? TCP_MIN_MSS : mss);
    /* RFC 7323 2.2: scaling only when both SYNs carry the option. Ours
     * always does on an active open; on a passive one we answer in kind. */
    if (s->opts & TCP_HAS_WS) {
        c->flags |= TCP_CF_WSCALE;
        c->snd_ws = s->wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : s->wscale;
        c->rcv_ws = tcp_our_wscale(st);
    } else {
        c->flags &= (uint16_t)~TCP_CF_WSCALE;
        c->snd_ws = 0;
        c->rcv_ws = 0;
    }
    tcp_cc_init(&c->cc, c->mss, c->iss);
}

void tcp_mark(struct tcp_stack *st, struct tcp_conn *c)
{
    c->flags |= TCP_CF_CHANGED;
    if (c->parent >= 0)
        st->conns[c->parent].flags |= TCP_CF_CHANGED;
}

static struct tcp_conn *find_conn(struct tcp_stack *st, uint32_t lip, uint16_t lport,
                                  uint32_t rip, uint16_t rport)
{
    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (c->in_use && c->state != TCP_LISTEN && c->state != TCP_CLOSED &&
            c->lport == lport && c->rport == rport && c->lip == lip && c->rip == rip)
            return c;
    }
    return NULL;
}

static struct tcp_conn *find_listener(struct tcp_stack *st, uint32_t ip, uint16_t port)
{
    struct tcp_conn *any = NULL;

    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (!c->in_use || c->state != TCP_LISTEN || c->lport != port)
            continue;
        if (c->lip == ip)
            return c;
        if (c->lip == 0)
            any = c;
    }
    return any;
}

/* No connection to broadcast or multicast addresses, and no RST there. */
static bool unicast(uint32_t ip)
{
    return ip != 0 && ip != 0xffffffffu && (ip >> 28) != 0xe;
}

int tcp_input(struct tcp_stack *st, uint32_t src, uint32_t dst, const uint8_t *seg,
              size_t len, uint64_t now)
{
    struct tcp_seg s;
    struct tcp_conn *c, *l;
    uint32_t iss_floor = 0;
    bool reopen = false;
    int rc = tcp_seg_parse(&s, src, dst, seg, len);

    st->stats.segs_in++;
    if (rc < 0) {
        if (rc == AE_ERR_CORRUPT)
            st->stats.bad_csum++;
        else
            st->stats.malformed++;
        return rc;
    }
    if (s.sport == 0 || s.dport == 0) {
        st->stats.malformed++;
        return AE_ERR_INVAL;
    }
    /* SYN with FIN or RST has no meaning (scanners send them to probe
     * stacks): dropped whatever the state. */
    if ((s.flags & TCP_SYN) && (s.flags & (TCP_FIN | TCP_RST))) {
        st->stats.bad_flags++;
        return AE_OK;
    }
    if (!unicast(src) || !unicast(dst)) {
        st->stats.no_conn++;
        return AE_OK;
    }
    c = find_conn(st, dst, s.dport, src, s.sport);
    l = find_listener(st, dst, s.dport);
    /* RFC 1122 4.2.2.13: a new SYN past the old incarnation's sequence
     * space may reopen a connection in TIME-WAIT; our new ISN must then
     * lie past everything the old one sent. */
    if (c && c->state == TCP_TIME_WAIT && l && (s.flags & TCP_SYN) && !(s.flags & TCP_ACK) &&
        tcp_seq_gt(s.seq, c->rcv_nxt)) {
        iss_floor = c->snd_max + 1;
        reopen = true;
        tcp_enter_closed(st, c, TCP_REASON_NONE);
        c = NULL;
    }
    if (c) {
        tcp_conn_input(st, c, &s, now);
    } else if (l) {
        tcp_listen_input(st, l, src, dst, &s, reopen ? &iss_floor : NULL, now);
    } else {
        st->stats.no_conn++;
        tcp_reset_reply(st, src, dst, &s);
    }
    return AE_OK;
}

static struct tcp_conn *owned_conn(struct tcp_stack *st, int id)
{
    if (id < 0 || (uint32_t)id >= st->nconn || !st->conns[id].in_use || !st->conns[id].owned)
        return NULL;
    return &st->conns[id];
}

static bool port_used(const struct tcp_stack *st, uint32_t lip, uint16_t port)
{
    for (uint32_t i = 0; i < st->nconn; i++) {
        const struct tcp_conn *c = &st->conns[i];

        if (c->in_use && c->lport == port && (c->lip == lip || c->lip == 0 || lip == 0))
            return true;
    }
    return false;
}

int tcp_listen(struct tcp_stack *st, uint32_t ip, uint16_t port, uint32_t backlog)
{
    struct tcp_conn *c;

    if (port == 0)
        return AE_ERR_INVAL;
    for (uint32_t i = 0; i < st->nconn; i++) {
        const struct tcp_conn *k = &st->conns[i];

        if (k->in_use && k->state == TCP_LISTEN && k->lport == port &&
            (k->lip == ip || k->lip == 0 || ip == 0))
            return AE_ERR_EXISTS;
    }
    c = tcp_slot_alloc(st);
    if (!c)
        return AE_ERR_NOMEM;
    c->state = TCP_LISTEN;
    c->lip = ip;
    c->lport = port;
    c->backlog = backlog ? (backlog < st->nconn ? backlog : st->nconn) : 1;
    return tcp_id(st, c);
}

int tcp_accept(struct tcp_stack *st, int listener)
{
    struct tcp_conn *l = owned_conn(st, listener), *best = NULL;

    if (!l || l->state != TCP_LISTEN)
        return AE_ERR_INVAL;
    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (c->in_use && c->parent == listener && c->state != TCP_SYN_RECEIVED &&
            (!best || c->order < best->order))
            best = c;
    }
    if (!best)
        return AE_ERR_AGAIN;
    best->parent = -1;
    best->owned = true;
    best->flags |= TCP_CF_CHANGED;
    return tcp_id(st, best);
}

int tcp_connect(struct tcp_stack *st, uint32_t lip, uint16_t lport, uint32_t rip,
                uint16_t rport, uint64_t now)
{
    struct tcp_conn *c;

    if (!unicast(lip) || !unicast(rip) || rport == 0)
        return AE_ERR_INVAL;
    if (lport == 0) {
        for (uint32_t i = 0; i < EPHEMERAL_N && !lport; i++) {
            uint16_t p = st->next_port;
            uint32_t next = (uint32_t)p + 1;

            st->next_port = (uint16_t)(next >= EPHEMERAL_LO + EPHEMERAL_N ? EPHEMERAL_LO : next);
            if (!port_used(st, lip, p))
                lport = p;
        }
        if (!lport)
            return AE_ERR_BUSY;
    } else if (find_conn(st, lip, lport, rip, rport)) {
        return AE_ERR_EXISTS;
    }
    c = tcp_slot_alloc(st);
    if (!c)
        return AE_ERR_NOMEM;
    c->lip = lip;
    c->lport = lport;
    c->rip = rip;
    c->rport = rport;
    c->state = TCP_SYN_SENT;
    tcp_conn_start(st, c, now);
    st->stats.active_opens++;
    tcp_output(st, c, now);
    return tcp_id(st, c);
}

static int closed_error(const struct tcp_conn *c)
{
    switch (c->reason) {
    case TCP_REASON_TIMEOUT:
        return AE_ERR_TIMEOUT;
    case TCP_REASON_REFUSED:
    case TCP_REASON_RESET:
        return AE_ERR_PEER_CLOSED;
    default:
        return AE_ERR_INVAL;
    }
}

long tcp_send(struct tcp_stack *st, int id, const void *data, size_t len, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);
    uint32_t n;

    if (!c || c->state == TCP_LISTEN)
        return AE_ERR_INVAL;
    if (c->state == TCP_CLOSED)
        return closed_error(c);
    if (c->flags & TCP_CF_FIN_QUEUED)
        return AE_ERR_INVAL;
    if (len == 0)
        return 0;
    n = tcp_ring_append(&c->snd, data, len > TCP_RING_MAX ? TCP_RING_MAX : (uint32_t)len);
    if (n == 0)
        return AE_ERR_AGAIN;
    if (tcp_synced(c))
        tcp_output(st, c, now);
    return n;
}

static void after_read(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    tcp_mark(st, c);
    tcp_window_update(st, c, now);
}

long tcp_recv(struct tcp_stack *st, int id, void *buf, size_t len, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);
    uint32_t n;

    if (!c || c->state == TCP_LISTEN)
        return AE_ERR_INVAL;
    if (c->rcv.len) {
        if (len == 0)
            return 0;
        n = tcp_ring_read(&c->rcv, buf, len > TCP_RING_MAX ? TCP_RING_MAX : (uint32_t)len);
        after_read(st, c, now);
        return n;
    }
    if (c->flags & TCP_CF_FIN_RCVD)
        return 0;
    if (c->state == TCP_CLOSED)
        return c->reason == TCP_REASON_NONE ? 0 : closed_error(c);
    return AE_ERR_AGAIN;
}

size_t tcp_recv_peek(const struct tcp_stack *st, int id, const uint8_t **p1, size_t *n1,
                     const uint8_t **p2, size_t *n2)
{
    const struct tcp_conn *c;
    uint32_t a = 0, b = 0;

    *p1 = *p2 = NULL;
    *n1 = *n2 = 0;
    if (id < 0 || (uint32_t)id >= st->nconn || !st->conns[id].in_use ||
        !st->conns[id].owned)
        return 0;
    c = &st->conns[id];
    if (c->state == TCP_LISTEN || c->rcv.len == 0)
        return 0;
    tcp_ring_span(&c->rcv, 0, c->rcv.len, p1, &a, p2, &b);
    *n1 = a;
    *n2 = b;
    return a + b;
}

int tcp_recv_consume(struct tcp_stack *st, int id, size_t n, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c || c->state == TCP_LISTEN || n > c->rcv.len)
        return AE_ERR_INVAL;
    if (n) {
        tcp_ring_consume(&c->rcv, (uint32_t)n);
        after_read(st, c, now);
    }
    return AE_OK;
}

/* Queues our FIN after the data (RFC 9293 3.10.4). Before the handshake
 * completes the FIN waits for it (established() moves on to FIN-WAIT-1). */
static void shut(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    if (c->flags & TCP_CF_FIN_QUEUED)
        return;
    c->flags |= TCP_CF_FIN_QUEUED;
    if (c->state == TCP_ESTABLISHED)
        c->state = TCP_FIN_WAIT_1;
    else if (c->state == TCP_CLOSE_WAIT)
        c->state = TCP_LAST_ACK;
    tcp_mark(st, c);
    tcp_output(st, c, now);
}

int tcp_shutdown(struct tcp_stack *st, int id, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c || c->state == TCP_LISTEN)
        return AE_ERR_INVAL;
    if (c->state == TCP_CLOSED)
        return c->reason == TCP_REASON_NONE ? AE_OK : closed_error(c);
    shut(st, c, now);
    return AE_OK;
}

static void close_listener(struct tcp_stack *st, struct tcp_conn *l, uint64_t now)
{
    int id = tcp_id(st, l);

    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (c->in_use && c->parent == id)
            tcp_drop(st, c, TCP_REASON_ABORTED, true, now);
    }
    tcp_slot_free(st, l);
}

int tcp_close(struct tcp_stack *st, int id, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c)
        return AE_ERR_INVAL;
    if (c->state == TCP_LISTEN) {
        close_listener(st, c, now);
        return AE_OK;
    }
    c->owned = false;
    if (c->state == TCP_CLOSED || c->state == TCP_SYN_SENT) {
        tcp_enter_closed(st, c, TCP_REASON_NONE);
        return AE_OK;
    }
    if (c->rcv.len) {
        /* RFC 2525 2.17: closing with unread data loses it; say so. */
        tcp_drop(st, c, TCP_REASON_ABORTED, true, now);
        return AE_OK;
    }
    shut(st, c, now);
    if (c->in_use && c->state == TCP_FIN_WAIT_2 && c->t_close == TCP_NEVER)
        c->t_close = now + st->p.fin_wait2_ns;
    return AE_OK;
}

int tcp_abort(struct tcp_stack *st, int id, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c)
        return AE_ERR_INVAL;
    if (c->state == TCP_LISTEN) {
        close_listener(st, c, now);
        return AE_OK;
    }
    c->owned = false;
    if (c->state == TCP_CLOSED)
        tcp_slot_free(st, c);
    else
        tcp_drop(st, c, TCP_REASON_ABORTED, true, now);
    return AE_OK;
}

int tcp_set_nodelay(struct tcp_stack *st, int id, bool on, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c || c->state == TCP_LISTEN)
        return AE_ERR_INVAL;
    if (on) {
        c->flags |= TCP_CF_NODELAY;
        if (tcp_synced(c))
            tcp_output(st, c, now);
    } else {
        c->flags &= (uint16_t)~TCP_CF_NODELAY;
    }
    return AE_OK;
}

int tcp_set_keepalive(struct tcp_stack *st, int id, bool on, uint64_t idle_ns,
                      uint64_t intvl_ns, uint32_t cnt, uint64_t now)
{
    struct tcp_conn *c = owned_conn(st, id);

    if (!c || c->state == TCP_LISTEN)
        return AE_ERR_INVAL;
    if (!on) {
        c->flags &= (uint16_t)~TCP_CF_KEEPALIVE;
        c->t_keep = TCP_NEVER;
        return AE_OK;
    }
    c->keep_idle = idle_ns ? idle_ns : st->p.keep_idle_ns;
    c->keep_intvl = intvl_ns ? intvl_ns : st->p.keep_intvl_ns;
    c->keep_cnt = cnt ? cnt : st->p.keep_cnt;
    c->keep_probes = 0;
    c->flags |= TCP_CF_KEEPALIVE;
    /* Idle time counts from now: the connection may have been silent for
     * long before anyone asked for keepalives. */
    if (c->state != TCP_CLOSED)
        c->t_keep = now + c->keep_idle;
    return AE_OK;
}

enum tcp_state tcp_state(const struct tcp_stack *st, int id)
{
    if (id < 0 || (uint32_t)id >= st->nconn || !st->conns[id].in_use)
        return TCP_CLOSED;
    return (enum tcp_state)st->conns[id].state;
}

unsigned tcp_events(const struct tcp_stack *st, int id)
{
    const struct tcp_conn *c;
    unsigned ev = 0;

    if (id < 0 || (uint32_t)id >= st->nconn || !st->conns[id].in_use)
        return TCP_EV_CLOSED;
    c = &st->conns[id];
    if (c->state == TCP_LISTEN) {
        for (uint32_t i = 0; i < st->nconn; i++) {
            const struct tcp_conn *k = &st->conns[i];

            if (k->in_use && k->parent == id && k->state != TCP_SYN_RECEIVED)
                return TCP_EV_ACCEPT;
        }
        return 0;
    }
    if (c->rcv.len || (c->flags & TCP_CF_FIN_RCVD))
        ev |= TCP_EV_READABLE;
    if (c->flags & TCP_CF_FIN_RCVD)
        ev |= TCP_EV_EOF;
    if (c->state == TCP_CLOSED) {
        ev |= TCP_EV_CLOSED | TCP_EV_READABLE | TCP_EV_WRITABLE;
        if (c->reason != TCP_REASON_NONE)
            ev |= TCP_EV_ERROR;
        return ev;
    }
    if (tcp_synced(c))
        ev |= TCP_EV_CONNECTED;
    if ((c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT) &&
        !(c->flags & TCP_CF_FIN_QUEUED) && tcp_ring_free(&c->snd))
        ev |= TCP_EV_WRITABLE;
    return ev;
}

int tcp_changed(struct tcp_stack *st)
{
    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        if (c->in_use && (c->flags & TCP_CF_CHANGED)) {
            c->flags &= (uint16_t)~TCP_CF_CHANGED;
            if (c->owned)
                return (int)i;
        }
    }
    return -1;
}

int tcp_info(const struct tcp_stack *st, int id, struct tcp_info *o)
{
    const struct tcp_conn *c;

    if (id < 0 || (uint32_t)id >= st->nconn || !st->conns[id].in_use)
        return AE_ERR_INVAL;
    c = &st->conns[id];
    memset(o, 0, sizeof(*o));
    o->state = (enum tcp_state)c->state;
    o->reason = (enum tcp_reason)c->reason;
    o->lip = c->lip;
    o->rip = c->rip;
    o->lport = c->lport;
    o->rport = c->rport;
    o->listener = c->owned ? -1 : c->parent;
    o->iss = c->iss;
    o->irs = c->irs;
    o->snd_una = c->snd_una;
    o->snd_nxt = c->snd_nxt;
    o->snd_wnd = c->snd_wnd;
    o->rcv_nxt = c->rcv_nxt;
    o->rcv_wnd = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    o->cwnd = c->cc.cwnd;
    o->ssthresh = c->cc.ssthresh;
    o->mss = c->mss;
    o->snd_wscale = c->snd_ws;
    o->rcv_wscale = c->rcv_ws;
    o->srtt_ns = c->rtt.srtt;
    o->rttvar_ns = c->rtt.rttvar;
    o->rto_ns = tcp_rtt_timeout(&c->rtt);
    o->snd_queued = c->snd.len;
    o->rcv_queued = c->rcv.len;
    o->bytes_in = c->bytes_in;
    o->bytes_out = c->bytes_out;
    o->segs_in = c->segs_in;
    o->segs_out = c->segs_out;
    o->retransmits = c->retransmits;
    return AE_OK;
}

int tcp_next_conn(const struct tcp_stack *st, int prev)
{
    for (uint32_t i = prev < 0 ? 0 : (uint32_t)prev + 1; i < st->nconn; i++)
        if (st->conns[i].in_use)
            return (int)i;
    return -1;
}

const char *tcp_state_name(enum tcp_state s)
{
    static const char *const names[] = {
        "CLOSED",     "LISTEN",     "SYN_SENT",   "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
        "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",    "LAST_ACK",     "TIME_WAIT",
    };

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
