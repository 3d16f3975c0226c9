/*
 * TCP sockets: each holds one connection (or listener) of the library.
 * The byte stream goes through the client's transfer buffer: NET_SENDTO
 * copies what fits into the connection's send ring, NET_RECVFROM copies
 * out what has arrived (the socket path's one copy each way).
 */
#include "sock.h"

struct sock *conn_owner[TCP_CONNS];

void tcp_sock_hold(struct sock *s, int c)
{
    s->conn = c;
    if (c >= 0 && c < TCP_CONNS)
        conn_owner[c] = s;
}

static unsigned status_bits(unsigned ev)
{
    /* The library's TCP_EV_* and the protocol's AE_NET_ST_* agree bit for bit. */
    _Static_assert(TCP_EV_READABLE == AE_NET_ST_READABLE && TCP_EV_WRITABLE == AE_NET_ST_WRITABLE &&
                   TCP_EV_ACCEPT == AE_NET_ST_ACCEPT && TCP_EV_CONNECTED == AE_NET_ST_CONNECTED &&
                   TCP_EV_EOF == AE_NET_ST_EOF && TCP_EV_CLOSED == AE_NET_ST_CLOSED &&
                   TCP_EV_ERROR == AE_NET_ST_ERROR, "same bits");
    return ev;
}

static int64_t err_of(const struct sock *s)
{
    struct tcp_info ti;

    if (s->conn < 0 || tcp_info(&tcps, s->conn, &ti))
        return 0;
    return ti.reason == TCP_REASON_TIMEOUT ? AE_ERR_TIMEOUT
           : ti.reason == TCP_REASON_NONE  ? 0
                                           : AE_ERR_PEER_CLOSED;
}

uint16_t tcp_sock_poll(const struct sock *s)
{
    unsigned ev = s->conn >= 0 ? tcp_events(&tcps, s->conn) : 0;
    uint16_t r = 0;

    if (ev & (TCP_EV_READABLE | TCP_EV_ACCEPT))
        r |= AE_NET_POLLIN;
    if ((ev & TCP_EV_WRITABLE) && (ev & TCP_EV_CONNECTED))
        r |= AE_NET_POLLOUT;
    if (ev & TCP_EV_ERROR)
        r |= AE_NET_POLLERR;
    if (ev & TCP_EV_CLOSED)
        r |= 16;                    /* POLLHUP */
    return r;
}

void tcp_sock_close(struct sock *s)
{
    if (s->conn >= 0) {
        tcp_close(&tcps, s->conn, now_ns());
        if (s->conn < TCP_CONNS)
            conn_owner[s->conn] = NULL;
    }
    s->conn = -1;
}

int64_t tcp_sock_connect(struct ae_msg *m, struct sock *s)
{
    uint32_t ip = AE_NET_EP_ADDR(m->w[1]);
    struct tcp_info ti;
    int c;

    if (s->conn >= 0)
        return AE_ERR_BUSY;         /* connecting or connected already */
    if ((m->w[1] >> 48) || !AE_NET_EP_PORT(m->w[1]) || !ipv4_is_unicast(ip))
        return AE_ERR_INVAL;
    if (!st.ip)
        return AE_ERR_UNSUPPORTED;
    c = tcp_connect(&tcps, s->lip ? s->lip : st.ip, s->lport, ip, AE_NET_EP_PORT(m->w[1]),
                    now_ns());
    if (c < 0)
        return c;
    tcp_sock_hold(s, c);
    if (tcp_info(&tcps, c, &ti) == AE_OK) {
        s->lip = ti.lip;
        s->lport = ti.lport;
    }
    s->rip = ip;
    s->rport = AE_NET_EP_PORT(m->w[1]);
    return AE_OK;
}

int64_t tcp_sock_listen(struct ae_msg *m, struct sock *s)
{
    int c;

    if (s->conn >= 0 || !s->lport || m->w[1] > 1024)
        return AE_ERR_INVAL;
    c = tcp_listen(&tcps, s->lip, s->lport, m->w[1] ? (uint32_t)m->w[1] : 1);
    if (c < 0)
        return c;
    tcp_sock_hold(s, c);
    return AE_OK;
}

int64_t tcp_sock_accept(struct ae_msg *m, struct sock *s)
{
    struct tcp_info ti;
    struct sock *n;
    int c;

    if (s->conn < 0 || tcp_state(&tcps, s->conn) != TCP_LISTEN)
        return AE_ERR_INVAL;
    n = sock_new(m->badge, AE_NET_TCP);
    if (!n)
        return AE_ERR_QUOTA;        /* the connection waits for a free socket */
    c = tcp_accept(&tcps, s->conn);
    if (c < 0) {
        n->used = false;
        return c;
    }
    tcp_sock_hold(n, c);
    if (tcp_info(&tcps, c, &ti) == AE_OK) {
        n->lip = ti.lip;            /* lport stays 0: the listener has the port */
        n->rip = ti.rip;
        n->rport = ti.rport;
    }
    m->w[0] = n->id;
    m->w[1] = AE_NET_EP(n->rip, n->rport);
    return AE_OK;
}

int64_t tcp_sock_send(struct ae_msg *m, struct sock *s)
{
    struct ae_client *c = sock_client(m->badge);
    long n;

    if (!c || m->w[1] > c->size || s->conn < 0)
        return AE_ERR_INVAL;
    n = tcp_send(&tcps, s->conn, c->buf, m->w[1], now_ns());
    if (n < 0 && n != AE_ERR_AGAIN && n != AE_ERR_INVAL)
        return n;
    if (n == AE_ERR_INVAL)
        return err_of(s) ? err_of(s) : AE_ERR_INVAL;
    if (n < 0)
        return n;
    s->copied += (uint64_t)n;
    m->w[0] = (uint64_t)n;
    return AE_OK;
}

int64_t tcp_sock_recv(struct ae_msg *m, struct sock *s)
{
    struct ae_client *c = sock_client(m->badge);
    long n;

    uint64_t max;

    if (!c || s->conn < 0)
        return AE_ERR_INVAL;
    max = m->w[1] && m->w[1] < c->size ? m->w[1] : c->size;
    n = tcp_recv(&tcps, s->conn, c->buf, max, now_ns());
    if (n < 0)
        return n;
    s->copied += (uint64_t)n;
    m->w[0] = (uint64_t)n;
    m->w[1] = AE_NET_EP(s->rip, s->rport);
    m->w[2] = (uint64_t)n;
    return AE_OK;
}

int64_t tcp_sock_status(struct ae_msg *m, struct sock *s)
{
    m->w[0] = s->conn >= 0 ? status_bits(tcp_events(&tcps, s->conn)) : 0;
    m->w[1] = s->conn >= 0 ? (uint64_t)tcp_state(&tcps, s->conn) : TCP_CLOSED;
    m->w[2] = (uint64_t)err_of(s);
    return AE_OK;
}

int64_t tcp_sock_setopt(struct ae_msg *m, struct sock *s)
{
    if (s->conn < 0 || m->w[2] > 1)
        return AE_ERR_INVAL;
    if (m->w[1] == AE_NET_OPT_NODELAY)
        return tcp_set_nodelay(&tcps, s->conn, m->w[2], now_ns());
    if (m->w[1] == AE_NET_OPT_KEEPALIVE)
        return tcp_set_keepalive(&tcps, s->conn, m->w[2], 0, 0, 0, now_ns());
    return AE_ERR_UNSUPPORTED;
}

int64_t tcp_sock_shutdown(struct ae_msg *m, struct sock *s)
{
    return s->conn >= 0 ? tcp_shutdown(&tcps, s->conn, now_ns()) : AE_ERR_INVAL;
}

static void info_of(int c, uint32_t client, uint32_t id, uint64_t copied,
                    struct ae_net_sockinfo *out)
{
    struct tcp_info ti = {0};

    tcp_info(&tcps, c, &ti);
    *out = (struct ae_net_sockinfo){client, id, AE_NET_TCP, ti.state,
                                    AE_NET_EP(ti.lip, ti.lport),
                                    ti.state == TCP_LISTEN ? 0 : AE_NET_EP(ti.rip, ti.rport),
                                    ti.rcv_queued, ti.snd_queued, ti.bytes_in, ti.bytes_out,
                                    ti.retransmits, copied, {0, 0}};
}

uint32_t tcp_sock_info(const struct sock *s, struct ae_net_sockinfo *out)
{
    if (s->conn < 0) {
        *out = (struct ae_net_sockinfo){(uint32_t)s->client, s->id, AE_NET_TCP, TCP_CLOSED,
                                        AE_NET_EP(s->lip, s->lport), 0, 0, 0, 0, 0, 0,
                                        s->copied, {0, 0}};
        return 1;
    }
    info_of(s->conn, (uint32_t)s->client, s->id, s->copied, out);
    return 1;
}

uint64_t tcp_orphans_info(struct ae_net_sockinfo *out, uint64_t max)
{
    uint64_t n = 0;

    for (int c = tcp_next_conn(&tcps, -1); c >= 0 && n < max; c = tcp_next_conn(&tcps, c)) {
        bool held = c < TCP_CONNS && conn_owner[c];
        struct tcp_info ti;
        /* Unaccepted children of a listener are the listener's, not orphans. */
        if (!held && tcp_info(&tcps, c, &ti) == AE_OK && ti.listener < 0)
            info_of(c, 0, 0, 0, &out[n++]);
    }
    return n;
}
