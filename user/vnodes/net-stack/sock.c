/*
 * UDP sockets for the "net" service (include/aether/proto/net.h).
 *
 * A received datagram is queued where the network card wrote it: the
 * socket holds that rx slot until the client reads the datagram. On the
 * copying path (NET_RECVFROM) its payload is copied once, into the
 * client's transfer buffer, and the slot goes back; on the zero-copy path
 * (NET_ZC_RECV) the page itself, sliced off the pool, is moved to the
 * client and comes back only as that same page (NET_ZC_RELEASE), checked
 * by its physical address. Sending is the mirror image: NET_SENDTO copies
 * the payload from the transfer buffer into a tx slot, NET_ZC_SEND sends
 * from a tx page the client filled. `copied` counts every payload byte
 * this file copies, per socket.
 */
#include <string.h>

#include "serve.h"
#include "sock.h"
#include "net/udp.h"
#include "aether/proto/net.h"

struct sock socks[SOCKS_MAX];
struct ae_clients clients = {.base_va = CLIENT_BUF_VA};
static ae_handle_t client_notif[AE_CLIENTS_MAX];
static uint16_t next_port = EPHEMERAL_FIRST;
static unsigned rx_held_by_socks;

void sock_wake(uint64_t client)
{
    struct ae_client *c = ae_client_of(&clients, client);
    unsigned i = c ? ae_client_index(&clients, c) : AE_CLIENTS_MAX;

    if (i < AE_CLIENTS_MAX && client_notif[i])
        ae_notify_signal(client_notif[i], AE_NET_WAKE);
}

struct ae_client *sock_client(uint64_t client)
{
    struct ae_client *c = ae_client_of(&clients, client);
    return c && c->buf ? c : NULL;
}

/* A socket's id is its index + 1, so finding it takes no search; the
 * client must match, so nobody reaches another's socket by its number. */
struct sock *sock_new(uint64_t client, uint32_t type)
{
    for (unsigned i = 0; i < SOCKS_MAX; i++) {
        if (!socks[i].used) {
            socks[i] = (struct sock){.used = true, .type = type, .conn = -1, .client = client,
                                     .id = i + 1};
            return &socks[i];
        }
    }
    return NULL;
}

struct sock *sock_of(uint64_t client, uint64_t id)
{
    struct sock *s = id - 1 < SOCKS_MAX ? &socks[id - 1] : NULL;

    return s && s->used && s->client == client ? s : NULL;
}

/* TCP and UDP ports are separate spaces. */
static bool port_taken(uint32_t type, uint16_t port)
{
    for (unsigned i = 0; i < SOCKS_MAX; i++)
        if (socks[i].used && socks[i].type == type && socks[i].lport == port)
            return true;
    return false;
}

static uint8_t big_store[BIG_MAX][BIG_SIZE];
static bool big_used[BIG_MAX];

static const uint8_t *dgram_data(const struct dgram *d)
{
    if (d->slot & DGRAM_BIG)
        return big_store[d->slot & ~DGRAM_BIG];
    return st.rx_pool + (uint64_t)d->slot * AE_NETDEV_SLOT_SIZE + d->off;
}

/* Gives back what holds a datagram taken off s's queue. */
static void dgram_release(struct sock *s, const struct dgram *d)
{
    if (d->slot & DGRAM_BIG) {
        big_used[d->slot & ~DGRAM_BIG] = false;
        s->nbig--;
        return;
    }
    link_rx_release(d->slot);
    rx_held_by_socks--;
}

static void drop_queue(struct sock *s)
{
    for (; s->qn; s->qn--, s->qhead = (s->qhead + 1) % RXQ_MAX)
        dgram_release(s, &s->q[s->qhead]);
}

/* A reassembled datagram, copied into a buffer of its own; false when
 * none is free for s. */
static bool queue_big(struct sock *s, const struct ipv4_hdr *h, const struct udp_dgram *u)
{
    unsigned i;

    if (s->nbig == BIG_PER_SOCK || u->payload_len > BIG_SIZE)
        return false;
    for (i = 0; i < BIG_MAX && big_used[i]; i++)
        ;
    if (i == BIG_MAX)
        return false;
    big_used[i] = true;
    s->nbig++;
    memcpy(big_store[i], u->payload, u->payload_len);
    s->copied += u->payload_len;
    s->q[(s->qhead + s->qn++) % RXQ_MAX] = (struct dgram){
        (uint16_t)(DGRAM_BIG | i), 0, (uint16_t)u->payload_len, u->src_port, h->src};
    return true;
}

/* Pages the client still holds are written off: it may keep reading
 * them, so they never carry anyone's data again. */
static void close_sock(struct sock *s)
{
    if (s->type == AE_NET_TCP)
        tcp_sock_close(s);
    drop_queue(s);
    st.n.zc_lost += s->nzc_rx + s->nzc_tx;
    rx_held_by_socks -= s->nzc_rx;      /* out of circulation, not held for reading */
    memset(s, 0, sizeof(*s));
}

bool sock_udp_input(const struct ipv4_hdr *h, const struct udp_dgram *u, bool in_slot)
{
    struct sock *s = NULL;
    const uint8_t *slot_base = st.rx_pool + (uint64_t)st.rx_slot * AE_NETDEV_SLOT_SIZE;

    for (unsigned i = 0; i < SOCKS_MAX && !s; i++) {
        struct sock *c = &socks[i];
        if (c->used && c->type == AE_NET_UDP && c->lport && c->lport == u->dst_port && (!c->lip || c->lip == h->dst) &&
            (!c->rip || (c->rip == h->src && c->rport == u->src_port)))
            s = c;
    }
    if (!s)
        return false;
    if (s->qn == RXQ_MAX || (in_slot && rx_held_by_socks >= RX_HELD_MAX) ||
        (!in_slot && !queue_big(s, h, u))) {
        s->rx_dropped++;
        return true;
    }
    if (in_slot) {
        s->q[(s->qhead + s->qn++) % RXQ_MAX] = (struct dgram){
            (uint16_t)st.rx_slot, (uint16_t)(u->payload - slot_base), (uint16_t)u->payload_len,
            u->src_port, h->src};
        rx_held_by_socks++;
        st.rx_keep = true;
    }
    s->rx_datagrams++;
    sock_wake(s->client);
    return true;
}

void sock_tx_ready(void)
{
    for (unsigned i = 0; i < AE_CLIENTS_MAX; i++)
        if (client_notif[i])
            ae_notify_signal(client_notif[i], AE_NET_WAKE);
}

/* ---- operations ------------------------------------------------------------ */

static int64_t op_setbuf(struct ae_msg *m)
{
    int64_t r = ae_client_setbuf(&clients, m->badge, m);

    /* A new session: whatever an earlier run of this client left ends. */
    for (unsigned i = 0; r == AE_OK && i < SOCKS_MAX; i++)
        if (socks[i].used && socks[i].client == m->badge)
            close_sock(&socks[i]);
    return r;
}

static int64_t op_notify(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct ae_handle_info hi;
    unsigned i;

    if (!c)
        return AE_ERR_QUOTA;
    if (AE_MSG_NHANDLES(m->info) != 1 || ae_handle_info(m->h[0], &hi) ||
        hi.type != AE_OBJ_NOTIFICATION || !(hi.rights & AE_RIGHT_SIGNAL))
        return AE_ERR_INVAL;
    i = ae_client_index(&clients, c);
    if (client_notif[i])
        ae_handle_close(client_notif[i]);
    client_notif[i] = m->h[0];
    m->h[0] = 0;                    /* kept */
    return AE_OK;
}

static int64_t op_socket(struct ae_msg *m)
{
    struct sock *s;

    if (m->w[0] != AE_NET_UDP && m->w[0] != AE_NET_TCP)
        return AE_ERR_UNSUPPORTED;
    s = sock_new(m->badge, (uint32_t)m->w[0]);
    if (!s)
        return AE_ERR_QUOTA;
    m->w[0] = s->id;
    return AE_OK;
}

int sock_bind_to(struct sock *s, uint32_t ip, uint16_t port)
{
    if (s->lport)
        return AE_ERR_INVAL;        /* bound already */
    if (ip && ip != st.ip)
        return AE_ERR_NOTFOUND;     /* not an address of ours */
    if (!port) {
        for (unsigned tries = 0; tries < 16384 && port_taken(s->type, next_port); tries++)
            next_port = next_port == 65535 ? EPHEMERAL_FIRST : next_port + 1;
        if (port_taken(s->type, next_port))
            return AE_ERR_BUSY;
        port = next_port;
    } else if (port_taken(s->type, port)) {
        return AE_ERR_EXISTS;
    }
    s->lip = ip;
    s->lport = port;
    return AE_OK;
}

static int64_t op_bind(struct ae_msg *m, struct sock *s)
{
    int err;

    if (m->w[1] >> 48)
        return AE_ERR_INVAL;
    err = sock_bind_to(s, AE_NET_EP_ADDR(m->w[1]), AE_NET_EP_PORT(m->w[1]));
    m->w[0] = AE_NET_EP(s->lip, s->lport);
    return err;
}

static int64_t op_connect(struct ae_msg *m, struct sock *s)
{
    uint32_t ip = AE_NET_EP_ADDR(m->w[1]);

    if ((m->w[1] >> 48) || !AE_NET_EP_PORT(m->w[1]) || !ipv4_is_unicast(ip))
        return AE_ERR_INVAL;
    if (!s->lport && sock_bind_to(s, 0, 0))
        return AE_ERR_BUSY;
    s->rip = ip;
    s->rport = AE_NET_EP_PORT(m->w[1]);
    return AE_OK;
}

/* Where a datagram goes: the given endpoint or the connected one. */
static int dest_of(struct sock *s, uint64_t ep, uint32_t *ip, uint16_t *port)
{
    if (ep >> 48)
        return AE_ERR_INVAL;
    *ip = ep ? AE_NET_EP_ADDR(ep) : s->rip;
    *port = ep ? AE_NET_EP_PORT(ep) : s->rport;
    if (!*port || (!ipv4_is_unicast(*ip) && *ip != IPV4_BROADCAST))
        return AE_ERR_INVAL;
    if (!st.ip)
        return AE_ERR_UNSUPPORTED;
    if (!s->lport && sock_bind_to(s, 0, 0))
        return AE_ERR_BUSY;
    return AE_OK;
}

/* A datagram that needs fragments is built whole here first. */
static uint8_t big_tx[UDP_HDR_LEN + UDP_PAYLOAD_MAX];

static int64_t op_sendto(struct ae_msg *m, struct sock *s)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    const uint32_t max = ETH_MTU - IPV4_HDR_MIN - UDP_HDR_LEN;
    uint32_t ip, slot;
    uint16_t port;
    uint8_t *p;
    int r;

    if (!c || !c->buf || m->w[1] > UDP_PAYLOAD_MAX || m->w[1] > c->size)
        return !c || !c->buf ? AE_ERR_INVAL : AE_ERR_RANGE;
    if ((r = dest_of(s, m->w[2], &ip, &port)))
        return r;
    if (m->w[1] > max) {
        r = udp_build(big_tx, sizeof(big_tx), st.ip, ip, s->lport, port, c->buf, m->w[1]);
        if (r < 0)
            return r;
        r = ip_send_fragments(st.ip, ip, IPV4_PROTO_UDP, big_tx, (uint32_t)r);
        s->copied += m->w[1];       /* into big_tx, then into the fragments */
    } else {
        if (!(p = ip_send_begin(&slot)))
            return AE_ERR_AGAIN;
        r = udp_build(p, ETH_MTU - IPV4_HDR_MIN, st.ip, ip, s->lport, port, c->buf, m->w[1]);
        if (r < 0) {
            link_drop(slot);
            return r;
        }
        r = ip_send_commit(slot, st.ip, ip, IPV4_PROTO_UDP, (uint32_t)r);
    }
    s->copied += m->w[1];
    s->tx_datagrams++;
    m->w[0] = m->w[1];
    return r;
}

static struct dgram *head_of(struct sock *s)
{
    return s->qn ? &s->q[s->qhead] : NULL;
}

static void pop(struct sock *s)
{
    s->qhead = (s->qhead + 1) % RXQ_MAX;
    s->qn--;
}

static int64_t op_recvfrom(struct ae_msg *m, struct sock *s)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct dgram *d;
    uint32_t n;

    if (!c || !c->buf)
        return AE_ERR_INVAL;
    if (!(d = head_of(s)))
        return AE_ERR_AGAIN;
    n = d->len < c->size ? d->len : (uint32_t)c->size;
    memcpy(c->buf, dgram_data(d), n);
    s->copied += n;
    m->w[0] = n;
    m->w[1] = AE_NET_EP(d->src, d->sport);
    m->w[2] = d->len;
    dgram_release(s, d);
    pop(s);
    return AE_OK;
}

static int64_t op_poll(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct ae_net_pollfd *p;
    uint64_t ready = 0;

    if (!c || !c->buf || m->w[0] > c->size / sizeof(*p))
        return AE_ERR_INVAL;
    p = (struct ae_net_pollfd *)c->buf;
    for (uint64_t i = 0; i < m->w[0]; i++) {
        struct sock *s = sock_of(m->badge, p[i].sock);
        uint16_t ev = 0;
        if (!s)
            ev = AE_NET_POLLNVAL;
        else if (s->type == AE_NET_TCP)
            ev = tcp_sock_poll(s);
        else
            ev = (uint16_t)((s->qn ? AE_NET_POLLIN : 0) | (st.ntx_free ? AE_NET_POLLOUT : 0));
        p[i].revents = (uint16_t)(ev & (p[i].events | AE_NET_POLLERR | AE_NET_POLLNVAL));
        ready += p[i].revents != 0;
    }
    m->w[0] = ready;
    return AE_OK;
}

static int64_t op_close(struct ae_msg *m, struct sock *s)
{

    close_sock(s);
    return AE_OK;
}

static int64_t op_sockets(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct ae_net_sockinfo *out;
    uint64_t n = 0;

    if (!c || !c->buf)
        return AE_ERR_INVAL;
    out = (struct ae_net_sockinfo *)c->buf;
    for (unsigned i = 0; i < SOCKS_MAX && n < c->size / sizeof(*out); i++) {
        const struct sock *s = &socks[i];
        if (!s->used)
            continue;
        if (s->type == AE_NET_TCP) {
            n += tcp_sock_info(s, &out[n]);
            continue;
        }
        out[n++] = (struct ae_net_sockinfo){
            (uint32_t)s->client, s->id, AE_NET_UDP, 0, AE_NET_EP(s->lip, s->lport),
            AE_NET_EP(s->rip, s->rport), s->qn, s->nzc_rx + s->nzc_tx, s->rx_datagrams,
            s->tx_datagrams, s->rx_dropped, s->copied, {0, 0}};
    }
    n += tcp_orphans_info(&out[n], c->size / sizeof(*out) - n);
    m->w[0] = n;
    return AE_OK;
}

/* ---- zero copy --------------------------------------------------------------- */

/* The slot of the pool page a client handed back: it must be a one-page
 * slice of our pool (checked by physical address: nobody else can hold
 * an object over that page) that this socket was given. Then the slice is
 * closed: it was moved here, so the client's mappings of it are gone, and
 * with our handle the last reference goes. */
static int page_back(struct ae_msg *m, unsigned pool, uint16_t *list, unsigned *n,
                     uint16_t *slot)
{
    struct ae_vmo_info vi;

    if (AE_MSG_NHANDLES(m->info) != 1 || ae_vmo_info(m->h[0], &vi) || vi.size != PAGE ||
        vi.phys < st.pool_phys[pool] ||
        vi.phys >= st.pool_phys[pool] + (uint64_t)AE_NETDEV_SLOTS * PAGE)
        return AE_ERR_INVAL;
    for (unsigned i = 0; i < *n; i++) {
        if (list[i] == (vi.phys - st.pool_phys[pool]) / PAGE) {
            *slot = list[i];
            list[i] = list[--*n];
            ae_handle_close(m->h[0]);
            m->h[0] = 0;
            return AE_OK;
        }
    }
    return AE_ERR_INVAL;
}

static int64_t give_page(struct ae_msg *m, unsigned pool, uint32_t slot, uint32_t rights)
{
    int64_t h = ae_vmo_slice(st.pool_vmo[pool], (uint64_t)slot * PAGE, PAGE, rights);
    ae_handle_t out;

    if (h < 0)
        return h;
    out = (ae_handle_t)h;
    ae_serve_reply_handles(m, &out, 1, false);
    return AE_OK;
}

static int64_t op_zc_recv(struct ae_msg *m, struct sock *s)
{
    struct dgram *d;
    int64_t r;

    if (!(d = head_of(s)))
        return AE_ERR_AGAIN;
    if (d->slot & DGRAM_BIG)
        return AE_ERR_RANGE;        /* not in a card's page: NET_RECVFROM takes it */
    if (s->nzc_rx == AE_NET_ZC_HELD)
        return AE_ERR_BUSY;
    r = give_page(m, 0, d->slot, AE_RIGHT_READ | AE_RIGHT_MAP | AE_RIGHT_GRANT);
    if (r)
        return r;
    s->zc_rx[s->nzc_rx++] = d->slot;
    m->w[0] = d->off;               /* a slot is a page: the same offset in it */
    m->w[1] = d->len;
    m->w[2] = AE_NET_EP(d->src, d->sport);
    pop(s);
    return AE_OK;
}

static int64_t op_zc_release(struct ae_msg *m, struct sock *s)
{
    uint16_t slot;
    int err;

    err = page_back(m, 0, s->zc_rx, &s->nzc_rx, &slot);
    if (err)
        return err;
    link_rx_release(slot);
    rx_held_by_socks--;
    return AE_OK;
}

static int64_t op_zc_txbuf(struct ae_msg *m, struct sock *s)
{
    uint32_t slot;
    int64_t r;

    if (s->nzc_tx == AE_NET_ZC_HELD)
        return AE_ERR_BUSY;
    if (!link_tx_buf(&slot))
        return AE_ERR_AGAIN;
    r = give_page(m, 1, slot, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP | AE_RIGHT_GRANT);
    if (r) {
        link_drop(slot);
        return r;
    }
    s->zc_tx[s->nzc_tx++] = (uint16_t)slot;
    m->w[0] = ZC_TX_OFF;
    m->w[1] = ETH_MTU - IPV4_HDR_MIN - UDP_HDR_LEN;
    return AE_OK;
}

static int64_t op_zc_send(struct ae_msg *m, struct sock *s)
{
    uint8_t *udp_hdr;
    uint16_t slot, port;
    uint32_t ip;
    int r;

    r = page_back(m, 1, s->zc_tx, &s->nzc_tx, &slot);
    if (r)
        return r;
    if (m->w[1] > ETH_MTU - IPV4_HDR_MIN - UDP_HDR_LEN || (r = dest_of(s, m->w[2], &ip, &port))) {
        link_drop(slot);            /* the page is ours again: nothing is sent */
        return r ? r : AE_ERR_RANGE;
    }
    /* The payload is where ip_send_begin's would be: headers go in front. */
    udp_hdr = st.tx_pool + (uint64_t)slot * PAGE + ZC_TX_OFF - UDP_HDR_LEN;
    r = udp_build(udp_hdr, ETH_MTU - IPV4_HDR_MIN, st.ip, ip, s->lport, port,
                  udp_hdr + UDP_HDR_LEN, m->w[1]);
    if (r < 0) {
        link_drop(slot);
        return r;
    }
    s->tx_datagrams++;
    return ip_send_commit(slot, st.ip, ip, IPV4_PROTO_UDP, (uint32_t)r);
}

/* Every operation: without a socket (any), or on the socket w[0] names,
 * by its type (NULL: that type has no such operation). */
typedef int64_t (*sock_fn)(struct ae_msg *m, struct sock *s);
static const struct {
    uint32_t op;
    int64_t (*any)(struct ae_msg *m);
    sock_fn udp, tcp;
} ops[] = {
    {AE_NET_SETBUF, op_setbuf, NULL, NULL},
    {AE_NET_NOTIFY, op_notify, NULL, NULL},
    {AE_NET_SOCKET, op_socket, NULL, NULL},
    {AE_NET_POLL, op_poll, NULL, NULL},
    {AE_NET_SOCKETS, op_sockets, NULL, NULL},
    {AE_NET_BIND, NULL, op_bind, op_bind},
    {AE_NET_CLOSE, NULL, op_close, op_close},
    {AE_NET_CONNECT, NULL, op_connect, tcp_sock_connect},
    {AE_NET_SENDTO, NULL, op_sendto, tcp_sock_send},
    {AE_NET_RECVFROM, NULL, op_recvfrom, tcp_sock_recv},
    {AE_NET_LISTEN, NULL, NULL, tcp_sock_listen},
    {AE_NET_ACCEPT, NULL, NULL, tcp_sock_accept},
    {AE_NET_SHUTDOWN, NULL, NULL, tcp_sock_shutdown},
    {AE_NET_STATUS, NULL, NULL, tcp_sock_status},
    {AE_NET_SETOPT, NULL, NULL, tcp_sock_setopt},
    {AE_NET_ZC_RECV, NULL, op_zc_recv, NULL},
    {AE_NET_ZC_RELEASE, NULL, op_zc_release, NULL},
    {AE_NET_ZC_TXBUF, NULL, op_zc_txbuf, NULL},
    {AE_NET_ZC_SEND, NULL, op_zc_send, NULL},
};

static int64_t dispatch(struct ae_msg *m)
{
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        struct sock *s;
        sock_fn fn;
        if (ops[i].op != AE_MSG_LABEL(m->info))
            continue;
        if (ops[i].any)
            return ops[i].any(m);
        if (!(s = sock_of(m->badge, m->w[0])))
            return AE_ERR_INVAL;
        fn = s->type == AE_NET_TCP ? ops[i].tcp : ops[i].udp;
        return fn ? fn(m, s) : AE_ERR_UNSUPPORTED;
    }
    return AE_ERR_UNSUPPORTED;
}

int64_t sock_op(struct ae_msg *m)
{
    int64_t r;

    st_lock();
    r = dispatch(m);
    stream_events();
    st_unlock();
    return r;
}
