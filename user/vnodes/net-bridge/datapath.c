/*
 * The data path: frames between the device's queues and the client's
 * rings (include/aether/proto/netdev.h), by slot index, never copied.
 * One thread runs it, woken by our MSI lines and the client's kicks.
 *
 * Every slot has one owner (driver, device or client). An index the
 * client writes is followed only if the client owns that slot now, and a
 * length only if it fits a frame: anything else is counted in bad_ring and
 * dropped, so a broken client cannot make the device read or write
 * outside the pools, nor hand the same buffer to the device twice.
 */
#include <string.h>

#include "nb.h"
#include "netring.h"

#define POOL_VA(i) (0x0000240000000000ull + ((uint64_t)(i) << 32))
#define SHM_VA 0x0000260000000000ull
#define POOL_BYTES ((uint64_t)AE_NETDEV_SLOTS * AE_NETDEV_SLOT_SIZE)
#define HDR AE_NETDEV_FRAME_OFF         /* struct virtio_net_hdr, version 1 */
#define FRAME_MIN 14u

static void lock(void)
{
    while (__atomic_exchange_n(&nb.lock, 1, __ATOMIC_ACQUIRE))
        ae_yield();
}

static void unlock(void)
{
    __atomic_store_n(&nb.lock, 0, __ATOMIC_RELEASE);
}

/* A ring entry from the client, or false; nonsense indices are counted. */
static bool ring_pop(struct ae_netdev_ring *r, uint32_t *e)
{
    int got = netring_pop(r, e);

    if (got < 0)
        nb.n.bad_ring++;
    return got > 0;
}

static int make_pool(unsigned i, ae_handle_t *vmo, uint64_t size, uint64_t va, uint32_t flags,
                     uint64_t *phys)
{
    struct ae_vmo_info vi;
    int64_t v = ae_vmo_create(size, flags);

    if (v < 0)
        return (int)v;
    if (ae_vmo_info((ae_handle_t)v, &vi) ||
        ae_vmo_map((ae_handle_t)v, 0, va, 0, size, AE_PROT_READ | AE_PROT_WRITE)) {
        ae_handle_close((ae_handle_t)v);
        return AE_ERR_NOMEM;
    }
    *vmo = (ae_handle_t)v;
    if (phys)
        *phys = vi.phys;
    return AE_OK;
}

static void post_rx(uint32_t slot)
{
    if (virtq_post(&nb.q[NB_RXQ], nb.pool_phys[0] + (uint64_t)slot * AE_NETDEV_SLOT_SIZE,
                   AE_NETDEV_SLOT_SIZE, VIRTQ_WRITE, slot) == AE_OK)
        nb.rx_owner[slot] = SLOT_DEVICE;
    else
        nb.rx_owner[slot] = SLOT_DRIVER;
}

int dp_init(void)
{
    int err = AE_OK;

    for (unsigned i = 0; i < 2 && !err; i++)
        err = make_pool(i, &nb.pool_vmo[i], POOL_BYTES, POOL_VA(i), AE_VMO_CONTIGUOUS,
                        &nb.pool_phys[i]);
    if (!err)
        err = make_pool(2, &nb.shm_vmo, AE_NETDEV_SHM_BYTES, SHM_VA, 0, NULL);
    if (err)
        return err;
    for (unsigned i = 0; i < 2; i++)
        nb.pool[i] = (uint8_t *)POOL_VA(i);
    nb.shm = (struct ae_netdev_shm *)SHM_VA;
    for (uint32_t s = 0; s < AE_NETDEV_SLOTS; s++) {
        post_rx(s);                 /* as many as the queue holds */
        nb.tx_owner[s] = SLOT_DRIVER;
    }
    return AE_OK;
}

/* Received frames to the client (or straight back to the device when
 * there is none, or the frame is not one). */
static bool reap_rx(void)
{
    uint32_t slot, len;
    bool pushed = false;
    int r;

    while ((r = virtq_reap(&nb.q[NB_RXQ], &slot, &len)) == AE_OK) {
        uint32_t flen = len - HDR;
        if (slot >= AE_NETDEV_SLOTS || nb.rx_owner[slot] != SLOT_DEVICE)
            continue;               /* virtq vouches for it; never happens */
        if (len < HDR + FRAME_MIN || flen > AE_NETDEV_FRAME_MAX || !nb.client ||
            !netring_push(&nb.shm->rx_ready, AE_NETDEV_ENTRY(slot, flen))) {
            nb.n.rx_dropped++;
            post_rx(slot);
            continue;
        }
        nb.rx_owner[slot] = SLOT_CLIENT;
        nb.n.rx_frames++;
        nb.n.rx_bytes += flen;
        pushed = true;
    }
    if (r == AE_ERR_CORRUPT)
        ae_printf("net-bridge: the device returned a buffer it was not given (rx)");
    return pushed;
}

static bool take_rx_free(void)
{
    uint32_t e;
    bool posted = false;

    while (ring_pop(&nb.shm->rx_free, &e)) {
        uint32_t slot = AE_NETDEV_SLOT(e);
        if (slot >= AE_NETDEV_SLOTS || nb.rx_owner[slot] != SLOT_CLIENT) {
            nb.n.bad_ring++;
            continue;
        }
        post_rx(slot);
        posted = true;
    }
    return posted;
}

static bool reap_tx(void)
{
    uint32_t slot, len;
    bool pushed = false;
    int r;

    while ((r = virtq_reap(&nb.q[NB_TXQ], &slot, &len)) == AE_OK) {
        if (slot >= AE_NETDEV_SLOTS || nb.tx_owner[slot] != SLOT_DEVICE)
            continue;
        nb.tx_owner[slot] = SLOT_DRIVER;
        if (nb.client && netring_push(&nb.shm->tx_done, AE_NETDEV_ENTRY(slot, 0))) {
            nb.tx_owner[slot] = SLOT_CLIENT;
            pushed = true;
        }
    }
    if (r == AE_ERR_CORRUPT)
        ae_printf("net-bridge: the device returned a buffer it was not given (tx)");
    return pushed;
}

static bool take_tx(bool *done)
{
    uint32_t e;
    bool posted = false;

    while (ring_pop(&nb.shm->tx_send, &e)) {
        uint32_t slot = AE_NETDEV_SLOT(e), len = AE_NETDEV_LEN(e);
        uint8_t *p;

        if (slot >= AE_NETDEV_SLOTS || nb.tx_owner[slot] != SLOT_CLIENT) {
            nb.n.bad_ring++;
            continue;
        }
        p = nb.pool[1] + (uint64_t)slot * AE_NETDEV_SLOT_SIZE;
        memset(p, 0, HDR);          /* no offloads: an all-zero header */
        if (len < FRAME_MIN || len > AE_NETDEV_FRAME_MAX ||
            virtq_post(&nb.q[NB_TXQ], nb.pool_phys[1] + (p - nb.pool[1]), HDR + len, 0,
                       slot) != AE_OK) {
            if (len < FRAME_MIN || len > AE_NETDEV_FRAME_MAX)
                nb.n.bad_ring++;
            else
                nb.n.tx_dropped++;
            netring_push(&nb.shm->tx_done, AE_NETDEV_ENTRY(slot, 0));   /* it stays theirs */
            *done = true;
            continue;
        }
        nb.tx_owner[slot] = SLOT_DEVICE;
        nb.n.tx_frames++;
        nb.n.tx_bytes += len;
        posted = true;
    }
    return posted;
}

void dp_attach(ae_handle_t client)
{
    lock();
    if (nb.client)
        ae_handle_close(nb.client);
    memset(nb.shm, 0, sizeof(*nb.shm));
    nb.client = client;
    /* What the last client held is ours again: rx slots back to the
     * device, tx slots to the new client, announced through tx_done. */
    for (uint32_t s = 0; s < AE_NETDEV_SLOTS; s++) {
        if (nb.rx_owner[s] != SLOT_DEVICE)
            post_rx(s);
        if (nb.tx_owner[s] != SLOT_DEVICE) {
            nb.tx_owner[s] = SLOT_CLIENT;
            netring_push(&nb.shm->tx_done, AE_NETDEV_ENTRY(s, 0));
        }
    }
    vnet_notify(NB_RXQ);
    unlock();
    ae_notify_signal(client, AE_NETDEV_EVENT);
}

void dp_thread(void *arg)
{
    bool link = vnet_link_up();

    ae_printf("net-bridge: link %s", link ? "up" : "down");
    for (;;) {
        int64_t bits = ae_notify_wait(nb.notif, AE_WAIT_FOREVER);
        bool tell = false, done = false;

        if (bits < 0)
            continue;
        if (bits & NB_BIT_INTX) {
            /* Reading the ISR lowers the pin; then the line may fire again. */
            uint8_t isr = *nb.isr;

            ae_irq_ack(nb.gr.intx, nb.gr.intx_gsi);
            if (isr & 2)
                bits |= NB_BIT_CONFIG;
        }
        if (bits & (NB_BIT_RX | NB_BIT_TX | NB_BIT_CONFIG | NB_BIT_INTX))
            nb.n.irqs++;
        if ((bits & NB_BIT_CONFIG) && vnet_link_up() != link) {
            link = !link;
            ae_printf("net-bridge: link %s", link ? "up" : "down");
        }
        lock();
        tell |= reap_tx();
        if (take_tx(&done))
            vnet_notify(NB_TXQ);
        tell |= done | reap_rx();
        if (take_rx_free())
            vnet_notify(NB_RXQ);
        if (tell && nb.client)
            ae_notify_signal(nb.client, AE_NETDEV_EVENT);
        unlock();
    }
}
