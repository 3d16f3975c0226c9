/*
 * net-stack: AetherNet, the TCP/IP stack V-Node (docs/NETWORK.md). It
 * attaches to net-bridge's rings (link.c), runs the protocols on a packet
 * thread (ip.c) and serves "net" (include/aether/proto/net.h) on this one.
 */
#include "serve.h"
#include "stack.h"
#include "svc.h"
#include "aether/proto/net.h"
#include "aether/vnode.h"

#define LINK_STACK_VA 0x0000500000000000ull
#define LINK_STACK_SIZE (64 * 1024ull)

struct stack st;

void st_lock(void)
{
    while (__atomic_exchange_n(&st.lock, 1, __ATOMIC_ACQUIRE))
        ae_yield();
}

void st_unlock(void)
{
    if (st.kick) {
        st.kick = false;
        ae_notify_signal(st.bridge_notif, AE_NETDEV_KICK);
    }
    __atomic_store_n(&st.lock, 0, __ATOMIC_RELEASE);
}

uint64_t now_ns(void)
{
    return (uint64_t)ae_clock_get();
}

static int64_t op_ifconfig(struct ae_msg *m)
{
    uint64_t mac = 0;

    st_lock();
    for (unsigned i = 0; i < ETH_ALEN; i++)
        mac |= (uint64_t)st.mac[i] << (8 * i);
    m->w[0] = st.ip | (uint64_t)st.mask << 32;
    m->w[1] = st.gw | (uint64_t)st.dns << 32;
    m->w[2] = mac;
    m->w[3] = (st.if_flags & ~(uint64_t)AE_NET_IF_LINK) | (st.link_up ? AE_NET_IF_LINK : 0);
    st_unlock();
    return AE_OK;
}

static int64_t op_ifstats(struct ae_msg *m)
{
    st_lock();
    m->w[0] = st.n.rx_frames;
    m->w[1] = st.n.rx_bytes;
    m->w[2] = st.n.tx_frames;
    m->w[3] = st.n.tx_bytes;
    st_unlock();
    return AE_OK;
}

static int64_t op_iferrors(struct ae_msg *m)
{
    st_lock();
    m->w[0] = st.n.malformed;
    m->w[1] = st.n.bad_csum;
    m->w[2] = st.n.unroutable;
    m->w[3] = st.rx_held | st.n.zc_lost << 32;
    st_unlock();
    return AE_OK;
}

static int64_t op_ping(struct ae_msg *m)
{
    int64_t r;

    if (m->w[0] > UINT32_MAX || m->w[1] > UINT16_MAX)
        return AE_ERR_INVAL;
    st_lock();
    r = ping_send(m->badge, (uint32_t)m->w[0], (uint16_t)m->w[1],
                  m->w[2] > UINT32_MAX ? UINT32_MAX : (uint32_t)m->w[2]);
    st_unlock();
    return r;
}

static int64_t op_ping_poll(struct ae_msg *m)
{
    uint64_t w[3];
    int64_t r;

    if (m->w[0] > UINT16_MAX)
        return AE_ERR_INVAL;
    st_lock();
    r = ping_poll(m->badge, (uint16_t)m->w[0], w);
    st_unlock();
    if (r == AE_OK)
        for (unsigned i = 0; i < 3; i++)
            m->w[i] = w[i];
    return r;
}

static const struct ae_serve_op ops[] = {
    {AE_NET_IFCONFIG, op_ifconfig},
    {AE_NET_IFSTATS, op_ifstats},
    {AE_NET_IFERRORS, op_iferrors},
    {AE_NET_PING, op_ping},
    {AE_NET_PING_POLL, op_ping_poll},
    {AE_NET_SETBUF, sock_op},   {AE_NET_NOTIFY, sock_op},    {AE_NET_SOCKET, sock_op},
    {AE_NET_BIND, sock_op},     {AE_NET_CONNECT, sock_op},   {AE_NET_SENDTO, sock_op},
    {AE_NET_RECVFROM, sock_op}, {AE_NET_POLL, sock_op},      {AE_NET_CLOSE, sock_op},
    {AE_NET_SOCKETS, sock_op},  {AE_NET_ZC_RECV, sock_op},   {AE_NET_ZC_RELEASE, sock_op},
    {AE_NET_ZC_TXBUF, sock_op}, {AE_NET_ZC_SEND, sock_op},
    {AE_NET_LISTEN, sock_op},   {AE_NET_ACCEPT, sock_op},    {AE_NET_SHUTDOWN, sock_op},
    {AE_NET_STATUS, sock_op},   {AE_NET_SETOPT, sock_op},
};

int main(const struct ae_bootinfo *bi)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    char mac[ETH_MAC_STR_LEN];
    int64_t r;

    if (!vi)
        return 1;
    r = link_attach();
    if (r) {
        ae_printf("net-stack: no network interface: %s", ae_strerror(r));
        return r == AE_ERR_NOTFOUND || r == AE_ERR_PEER_CLOSED ? 0 : (int)r;
    }
    st.if_flags = st.link_up ? AE_NET_IF_LINK : 0;
    eth_mac_format(st.mac, mac, sizeof(mac));
    ae_printf("net-stack: attached to net-bridge, MAC %s, link %s", mac,
              st.link_up ? "up" : "down");
    r = stream_init();
    if (r)
        return (int)r;
    r = ae_thread_spawn(vi->self, link_thread, NULL, LINK_STACK_VA, LINK_STACK_SIZE);
    if (r < 0)
        return (int)r;
    return (int)ae_serve("net", ops, sizeof(ops) / sizeof(ops[0]));
}
