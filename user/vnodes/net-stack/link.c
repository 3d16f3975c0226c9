/*
 * The link: net-bridge's rings (include/aether/proto/netdev.h). Received
 * frames are read where the device wrote them and the slot goes straight
 * back; frames to send are built in a tx slot we own and handed over by
 * index. Nothing is copied between the device and the protocol code.
 */
#include <string.h>

#include "bufsvc.h"
#include "netring.h"
#include "stack.h"
#include "svc.h"

#define SHM_VA 0x0000400000000000ull
#define RX_VA 0x0000410000000000ull
#define TX_VA 0x0000420000000000ull
#define POOL_BYTES ((uint64_t)AE_NETDEV_SLOTS * AE_NETDEV_SLOT_SIZE)

static struct ae_svc netdev;

/* keep: the pools stay in our table, for slicing pages off (sock.c). */
static int map(ae_handle_t vmo, uint64_t va, uint64_t len, bool keep)
{
    int64_t r = ae_vmo_map(vmo, 0, va, 0, len, AE_PROT_READ | AE_PROT_WRITE);
    if (!keep)
        ae_handle_close(vmo);       /* the mapping keeps it */
    return (int)r;
}

int link_attach(void)
{
    struct ae_msg m;
    int64_t n = ae_notify_create(), give, r;

    if (n < 0)
        return (int)n;
    st.notif = (ae_handle_t)n;
    /* Waits while net-bridge starts; PEER_CLOSED: it ended (no device). */
    r = ae_svc_connect(&netdev, "netdev");
    if (r)
        return (int)r;
    give = ae_handle_derive(st.notif, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0);
    if (give < 0)
        return (int)give;
    m = (struct ae_msg){.info = AE_MSG_INFO(AE_NETDEV_ATTACH, 1), .h = {(ae_handle_t)give}};
    r = ae_ipc_call(netdev.ep, &m);
    if (r == AE_OK)
        r = AE_MSG_STATUS(m.info);
    if (r || AE_MSG_NHANDLES(m.info) != 4)
        return r ? (int)r : AE_ERR_INVAL;
    st.bridge_notif = m.h[3];
    if ((r = map(m.h[0], SHM_VA, AE_NETDEV_SHM_BYTES, false)) ||
        (r = map(m.h[1], RX_VA, POOL_BYTES, true)) || (r = map(m.h[2], TX_VA, POOL_BYTES, true)))
        return (int)r;
    st.pool_vmo[0] = m.h[1];
    st.pool_vmo[1] = m.h[2];
    for (unsigned i = 0; i < 2; i++) {
        struct ae_vmo_info vi;
        if ((r = ae_vmo_info(st.pool_vmo[i], &vi)) || vi.size != POOL_BYTES ||
            !(vi.flags & AE_VMO_CONTIGUOUS))
            return r ? (int)r : AE_ERR_INVAL;
        st.pool_phys[i] = vi.phys;
    }
    st.shm = (struct ae_netdev_shm *)SHM_VA;
    st.rx_pool = (uint8_t *)RX_VA;
    st.tx_pool = (uint8_t *)TX_VA;
    m = (struct ae_msg){.info = AE_MSG_INFO(AE_NETDEV_INFO, 0)};
    if (ae_svc_call(&netdev, &m) == AE_OK && AE_MSG_STATUS(m.info) == AE_OK) {
        for (unsigned i = 0; i < ETH_ALEN; i++)
            st.mac[i] = (uint8_t)(m.w[0] >> (8 * i));
        st.link_up = m.w[1] & 1;
    }
    return AE_OK;
}

uint8_t *link_tx_buf(uint32_t *slot)
{
    if (!st.ntx_free)
        return NULL;
    *slot = st.tx_free[--st.ntx_free];
    return st.tx_pool + (uint64_t)*slot * AE_NETDEV_SLOT_SIZE + AE_NETDEV_FRAME_OFF;
}

void link_send(uint32_t slot, uint32_t len)
{
    if (!netring_push(&st.shm->tx_send, AE_NETDEV_ENTRY(slot, len))) {
        link_drop(slot);
        return;
    }
    st.n.tx_frames++;
    st.n.tx_bytes += len;
    st.kick = true;
}

void link_drop(uint32_t slot)
{
    if (st.ntx_free < AE_NETDEV_SLOTS)
        st.tx_free[st.ntx_free++] = slot;
}

void link_rx_release(uint32_t slot)
{
    if (netring_push(&st.shm->rx_free, AE_NETDEV_ENTRY(slot, 0))) {
        st.rx_held--;
        st.kick = true;
    }
}

/* Everything the bridge has for us: finished tx slots, received frames. */
static void drain(void)
{
    bool had_tx = st.ntx_free > 0;
    uint32_t e;

    while (netring_pop(&st.shm->tx_done, &e) > 0)
        if (AE_NETDEV_SLOT(e) < AE_NETDEV_SLOTS)
            link_drop(AE_NETDEV_SLOT(e));
    if (!had_tx && st.ntx_free)
        sock_tx_ready();
    while (netring_pop(&st.shm->rx_ready, &e) > 0) {
        uint32_t slot = AE_NETDEV_SLOT(e), len = AE_NETDEV_LEN(e);
        if (slot >= AE_NETDEV_SLOTS)
            continue;
        st.rx_held++;
        st.rx_slot = slot;
        st.rx_keep = false;
        if (len <= AE_NETDEV_FRAME_MAX) {
            st.n.rx_frames++;
            st.n.rx_bytes += len;
            eth_input(st.rx_pool + (uint64_t)slot * AE_NETDEV_SLOT_SIZE + AE_NETDEV_FRAME_OFF,
                      len);
        }
        /* A socket queued the datagram where it lies: the slot is its
         * until read (sock.c gives it back). */
        if (!st.rx_keep)
            link_rx_release(slot);
    }
}

#define CHECK_NS 1000000000ull

/* Once a second: is net-bridge still there, and its link up? Our rings
 * and pools die with it, so when it is gone we end, and init starts us
 * again to attach to its successor (restart = on-failure). */
static void check_bridge(void)
{
    struct ae_msg m = {.info = AE_MSG_INFO(AE_NETDEV_INFO, 0)};
    int64_t r = ae_ipc_call(netdev.ep, &m);

    if (r == AE_ERR_PEER_CLOSED) {
        ae_printf("net-stack: net-bridge went away: starting over");
        ae_process_exit(AE_ERR_PEER_CLOSED);
    }
    if (r == AE_OK && AE_MSG_STATUS(m.info) == AE_OK) {
        st_lock();
        st.link_up = m.w[1] & 1;
        st_unlock();
    }
}

void link_thread(void *arg)
{
    uint64_t next = 0, check = now_ns() + CHECK_NS;

    st_lock();
    dhcp_begin();
    st_unlock();
    for (;;) {
        uint64_t now = now_ns(), due = next < check ? next : check;
        int64_t bits = ae_notify_wait(st.notif, due > now ? due - now : 0);

        if (now_ns() >= check) {
            check_bridge();
            check = now_ns() + CHECK_NS;
        }
        st_lock();
        if (bits > 0)
            drain();
        next = ip_timers(now_ns());
        st_unlock();
    }
}
