/*
 * Ethernet in, IPv4 out: ARP (with frames parked until their next hop
 * answers), IPv4, ICMP echo, UDP for DHCP. Every parser below is from
 * user/lib/net and checks every length before use; what fails is counted
 * and dropped, never followed.
 */
#include <string.h>

#include "stack.h"
#include "net/arp.h"
#include "net/icmp.h"
#include "net/net_bytes.h"
#include "net/udp.h"
#include "aether/proto/net.h"

#define DHCP_CLIENT_PORT 68
#define DHCP_SERVER_PORT 67
#define L3_OFF ETH_HDR_LEN

/* The frame being handled came to the broadcast MAC: no ICMP error may
 * answer it (RFC 1122 3.2.2). */
static bool rx_link_bcast;

static void count_error(int err)
{
    if (err == AE_ERR_CORRUPT)
        st.n.bad_csum++;
    else
        st.n.malformed++;
}

/* When dhcp_poll must run next: 0 = now (a message came, or we started). */
static uint64_t dhcp_due;

static void send_arp_request(uint32_t ip)
{
    struct arp_pkt req = {.op = ARP_OP_REQUEST, .spa = st.ip, .tpa = ip};
    uint32_t slot;
    uint8_t *b = link_tx_buf(&slot);

    if (!b)
        return;                     /* arp_tick asks again */
    memcpy(req.sha, st.mac, ETH_ALEN);
    eth_build(b, AE_NETDEV_FRAME_MAX, eth_broadcast_mac, st.mac, ETH_TYPE_ARP);
    arp_build(b + ETH_HDR_LEN, AE_NETDEV_FRAME_MAX - ETH_HDR_LEN, &req);
    link_send(slot, (uint32_t)eth_pad(b, ETH_HDR_LEN + ARP_PKT_LEN, AE_NETDEV_FRAME_MAX));
}

/* A frame in tx slot `slot` whose Ethernet header still lacks the
 * destination: sends it now, or parks it until ARP answers. */
static int resolve_and_send(uint32_t slot, uint32_t len, uint32_t hop)
{
    uint8_t *f = st.tx_pool + (uint64_t)slot * AE_NETDEV_SLOT_SIZE + AE_NETDEV_FRAME_OFF;
    uint8_t mac[ETH_ALEN];
    int r;

    if (hop == IPV4_BROADCAST || ipv4_is_subnet_bcast(hop, st.ip, st.mask)) {
        memcpy(f, eth_broadcast_mac, ETH_ALEN);
        link_send(slot, len);
        return AE_OK;
    }
    r = arp_lookup(&st.arp, hop, now_ns(), mac);
    if (r == ARP_FOUND) {
        memcpy(f, mac, ETH_ALEN);
        link_send(slot, len);
        return AE_OK;
    }
    if (r < 0) {
        st.n.unroutable++;
        link_drop(slot);
        return r;
    }
    for (unsigned i = 0; i < PENDING_MAX; i++) {
        if (!st.pending[i].used) {
            st.pending[i] = (struct pending){true, hop, slot, len};
            break;
        }
        if (i == PENDING_MAX - 1) {
            st.n.unroutable++;
            link_drop(slot);
        }
    }
    if (r == ARP_SEND_REQUEST)
        send_arp_request(hop);
    return AE_OK;
}

/* Parked frames for ip: sent with mac, or dropped (mac NULL: ARP gave up). */
static void flush_pending(uint32_t ip, const uint8_t *mac)
{
    for (unsigned i = 0; i < PENDING_MAX; i++) {
        struct pending *p = &st.pending[i];
        if (!p->used || p->hop != ip)
            continue;
        p->used = false;
        if (mac) {
            memcpy(st.tx_pool + (uint64_t)p->slot * AE_NETDEV_SLOT_SIZE + AE_NETDEV_FRAME_OFF,
                   mac, ETH_ALEN);
            link_send(p->slot, p->len);
        } else {
            st.n.unroutable++;
            link_drop(p->slot);
        }
    }
}

uint8_t *ip_send_begin(uint32_t *slot)
{
    uint8_t *b = link_tx_buf(slot);
    return b ? b + L3_OFF + IPV4_HDR_MIN : NULL;
}

/* Frames slot with tx's header for len payload bytes already in place. */
static int send_ip(uint32_t slot, const struct ipv4_tx *tx, uint32_t len, uint32_t hop)
{
    uint8_t *f = st.tx_pool + (uint64_t)slot * AE_NETDEV_SLOT_SIZE + AE_NETDEV_FRAME_OFF;
    int r;

    eth_build(f, AE_NETDEV_FRAME_MAX, eth_broadcast_mac, st.mac, ETH_TYPE_IPV4);
    r = ipv4_build(f + L3_OFF, AE_NETDEV_FRAME_MAX - L3_OFF, tx, len);
    if (r < 0) {
        link_drop(slot);
        return r;
    }
    return resolve_and_send(slot, (uint32_t)eth_pad(f, L3_OFF + IPV4_HDR_MIN + len,
                                                    AE_NETDEV_FRAME_MAX), hop);
}

static uint32_t next_hop(uint32_t dst)
{
    return dst == IPV4_BROADCAST ? dst : ipv4_next_hop(dst, st.ip, st.mask, st.gw);
}

int ip_send_commit(uint32_t slot, uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
    struct ipv4_tx tx = {.src = src, .dst = dst, .proto = proto, .id = st.ip_id++};
    uint32_t hop = next_hop(dst);

    if (!hop || len > ETH_MTU - IPV4_HDR_MIN) {
        st.n.unroutable++;
        link_drop(slot);
        return AE_ERR_RANGE;
    }
    return send_ip(slot, &tx, len, hop);
}

int ip_send_fragments(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *payload,
                      uint32_t len)
{
    /* RFC 791: every fragment but the last carries a multiple of 8 bytes. */
    const uint32_t per = (ETH_MTU - IPV4_HDR_MIN) & ~7u;
    struct ipv4_tx tx = {.src = src, .dst = dst, .proto = proto, .id = st.ip_id++};
    uint32_t hop = next_hop(dst);

    if (!hop) {
        st.n.unroutable++;
        return AE_ERR_RANGE;
    }
    for (uint32_t off = 0; off < len; off += per) {
        uint32_t n = len - off < per ? len - off : per, slot;
        uint8_t *b = ip_send_begin(&slot);
        int r;

        if (!b)
            return AE_ERR_AGAIN;    /* the receiver drops the rest when it times out */
        memcpy(b, payload + off, n);
        tx.mf = off + n < len;
        tx.frag_off = (uint16_t)off;
        r = send_ip(slot, &tx, n, hop);
        if (r < 0)
            return r;
    }
    return AE_OK;
}

static void arp_in(const struct eth_frame *e)
{
    struct arp_input_result res;
    uint8_t reply[ARP_PKT_LEN];
    int r = arp_input(&st.arp, st.ip, st.mac, e->payload, e->payload_len, now_ns(), reply,
                      sizeof(reply), &res);

    if (r < 0) {
        count_error(r);
        return;
    }
    if (res.reply) {
        uint32_t s;
        uint8_t *b = link_tx_buf(&s);
        if (b) {
            eth_build(b, AE_NETDEV_FRAME_MAX, res.reply_dst, st.mac, ETH_TYPE_ARP);
            memcpy(b + ETH_HDR_LEN, reply, ARP_PKT_LEN);
            link_send(s, (uint32_t)eth_pad(b, ETH_HDR_LEN + ARP_PKT_LEN, AE_NETDEV_FRAME_MAX));
        }
    }
    if (res.resolved)
        flush_pending(res.resolved_ip, res.resolved_mac);
    if (res.conflict)
        ae_printf("net-stack: another host claims our address");
}

static void icmp_in(const struct ipv4_hdr *h)
{
    struct icmp_msg m;
    int r = icmp_parse(h->payload, h->payload_len, &m);

    if (r < 0) {
        count_error(r);
        return;
    }
    if (m.type == ICMP_ECHO_REPLY) {
        ping_input(h->src, h->ttl, m.id, m.seq);
    } else if (m.type == ICMP_ECHO_REQUEST && h->dst == st.ip) {
        uint32_t slot;
        uint8_t *p = ip_send_begin(&slot);
        if (!p)
            return;
        r = icmp_echo_reply(h->payload, h->payload_len, p, ETH_MTU - IPV4_HDR_MIN);
        if (r < 0)
            link_drop(slot);
        else
            ip_send_commit(slot, st.ip, h->src, IPV4_PROTO_ICMP, (uint32_t)r);
    }
}

static void configure(uint32_t ip, uint32_t mask, uint32_t gw, uint32_t dns, uint32_t how)
{
    char a[IPV4_ADDR_STR_LEN], g[IPV4_ADDR_STR_LEN];

    st.ip = ip;
    st.mask = mask;
    st.gw = gw;
    st.dns = dns;
    st.if_flags = (st.if_flags & AE_NET_IF_LINK) | how;
    ipv4_format(ip, a, sizeof(a));
    ipv4_format(gw, g, sizeof(g));
    ae_printf("net-stack: %s/%d gateway %s (%s)", a, __builtin_popcount(mask), g,
              how == AE_NET_IF_DHCP ? "DHCP" : "static");
}

static void dhcp_event(int ev)
{
    const struct dhcp_lease *l = dhcp_lease(&st.dhcp);

    if (ev == DHCP_EV_BOUND && l)
        configure(l->addr, l->mask, l->router, l->dns_count ? l->dns[0] : 0, AE_NET_IF_DHCP);
    else if ((ev == DHCP_EV_NAK || ev == DHCP_EV_EXPIRED) && (st.if_flags & AE_NET_IF_DHCP))
        configure(0, 0, 0, 0, 0);
    else if (ev == DHCP_EV_FALLBACK && !st.ip)
        configure(STATIC_IP, STATIC_MASK, STATIC_GW, 0, AE_NET_IF_STATIC);
}

/* The datagram being handled came out of reassembly (not in an rx slot). */
static bool reassembled;

static void udp_in(const struct ipv4_hdr *h)
{
    struct udp_dgram u;
    int r = udp_parse(h->payload, h->payload_len, h->src, h->dst, &u);

    if (r < 0) {
        count_error(r);
        return;
    }
    if (u.dst_port == DHCP_CLIENT_PORT) {
        if (u.src_port == DHCP_SERVER_PORT && (r = dhcp_input(&st.dhcp, u.payload,
                                                              u.payload_len, now_ns())) > 0) {
            dhcp_due = 0;           /* an offer is answered at once */
            dhcp_event(r);
        }
        return;
    }
    if (sock_udp_input(h, &u, !h->mf && h->frag_off == 0 && !reassembled))
        return;
    /* No socket listens there (there are no UDP sockets yet): say so,
     * when RFC 1122 allows an error at all. */
    uint32_t slot;
    uint8_t *p = ip_send_begin(&slot);
    if (!p)
        return;
    r = icmp_build_unreach(p, ETH_MTU - IPV4_HDR_MIN, ICMP_UNREACH_PORT, h, st.ip, st.mask,
                           rx_link_bcast);
    if (r > 0)
        ip_send_commit(slot, st.ip, h->src, IPV4_PROTO_ICMP, (uint32_t)r);
    else
        link_drop(slot);
}

/* Four datagrams of up to 64 KiB in reassembly at once (the library's
 * rules: overlaps, oversize and stragglers drop the datagram). */
static uint8_t reasm_store[IP_REASM_SLOTS * IP_REASM_SLOT_SIZE];

static void l4_in(const struct ipv4_hdr *h)
{
    switch (h->proto) {
    case IPV4_PROTO_ICMP: icmp_in(h); break;
    case IPV4_PROTO_UDP: udp_in(h); break;
    case IPV4_PROTO_TCP: stream_input(h); break;
    default: break;
    }
}

static void ipv4_in(const struct eth_frame *e)
{
    struct ip_reasm_result whole;
    struct ipv4_hdr h;
    int r = ipv4_parse(e->payload, e->payload_len, &h);

    if (r < 0) {
        count_error(r);
        return;
    }
    if (!ipv4_for_us(h.dst, st.ip, st.mask))
        return;
    if (!ipv4_is_fragment(&h)) {
        l4_in(&h);
        return;
    }
    r = ip_reasm_input(&st.reasm, &h, now_ns(), &whole);
    if (r < 0) {
        st.n.malformed++;
        return;
    }
    if (r != IP_REASM_COMPLETE)
        return;
    /* The whole datagram, with the first fragment's header. */
    h.payload = whole.payload;
    h.payload_len = whole.len;
    h.mf = false;
    h.frag_off = 0;
    reassembled = true;
    l4_in(&h);
    reassembled = false;
    ip_reasm_release(&st.reasm, whole.slot);
}

void eth_input(const uint8_t *frame, uint32_t len)
{
    struct eth_frame e;
    int r = eth_parse(frame, len, &e);

    if (r < 0) {
        if (r != AE_ERR_UNSUPPORTED)
            count_error(r);
        return;
    }
    if (!eth_mac_equal(e.dst, st.mac) && !eth_mac_is_broadcast(e.dst))
        return;
    rx_link_bcast = eth_mac_is_broadcast(e.dst);
    if (e.type == ETH_TYPE_ARP)
        arp_in(&e);
    else if (e.type == ETH_TYPE_IPV4)
        ipv4_in(&e);
}

void dhcp_begin(void)
{
    uint64_t seed = (uint64_t)ae_clock_get() ^ ((uint64_t)st.mac[5] << 40);

    arp_cache_init(&st.arp, 0, 0, 0);
    ip_reasm_init(&st.reasm, reasm_store, IP_REASM_SLOT_SIZE, 0);
    dhcp_start(&st.dhcp, NULL, st.mac, seed * 0x9e3779b97f4a7c15ull, now_ns());
    dhcp_due = 0;
}

/* DHCP's turn, when it is due: sends what the client asks and says when
 * it must run again. */
static void dhcp_run(uint64_t now)
{
    struct dhcp_poll_out po;
    uint32_t slot;
    uint8_t *p;
    int r, n;

    if (now < dhcp_due)
        return;
    if (!(p = ip_send_begin(&slot))) {
        dhcp_due = now + 10000000ull;   /* no tx slot: try again soon */
        return;
    }
    r = dhcp_poll(&st.dhcp, now, p + UDP_HDR_LEN, ETH_MTU - IPV4_HDR_MIN - UDP_HDR_LEN, &po);
    n = po.len && r >= 0 ? udp_build(p, ETH_MTU - IPV4_HDR_MIN, po.src_ip, po.dst_ip,
                                     DHCP_CLIENT_PORT, DHCP_SERVER_PORT, p + UDP_HDR_LEN,
                                     po.len) : 0;
    if (n > 0)
        ip_send_commit(slot, po.src_ip, po.dst_ip, IPV4_PROTO_UDP, (uint32_t)n);
    else
        link_drop(slot);
    dhcp_due = po.next_ns;
    if (r > 0)
        dhcp_event(r);
}

static uint64_t earlier(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t ip_timers(uint64_t now)
{
    struct arp_tick_event ev;
    struct ip_reasm_expired gone;

    while (arp_tick(&st.arp, now, &ev)) {
        if (ev.kind == ARP_TICK_FAILED)
            flush_pending(ev.ip, NULL);
        else
            send_arp_request(ev.ip);
    }
    while (ip_reasm_tick(&st.reasm, now, &gone))
        st.n.malformed++;           /* a datagram never completed */
    dhcp_run(now);
    return earlier(earlier(arp_next_deadline(&st.arp), ip_reasm_next_deadline(&st.reasm)),
                   earlier(dhcp_due, st.ip ? stream_timers(now) : UINT64_MAX));
}
