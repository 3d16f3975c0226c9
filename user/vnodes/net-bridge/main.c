/*
 * net-bridge: the virtio-net driver V-Node (docs/NETWORK.md). It claims
 * the one PCI function its manifest names from pci (init hands over the
 * configuration page, BARs and MSI lines), brings the device up
 * (virtio_net.c), runs the data path on a second thread (datapath.c) and
 * serves "netdev" (include/aether/proto/netdev.h) to net-stack.
 */
#include <string.h>

#include "bufsvc.h"
#include "nb.h"
#include "serve.h"
#include "svc.h"
#include "aether/vnode.h"
#include "common/fmt.h"

#define PCI_BUF_VA 0x0000300000000000ull
#define DP_STACK_VA 0x0000310000000000ull
#define DP_STACK_SIZE (64 * 1024ull)

struct nb nb;

static int64_t op_attach(struct ae_msg *m)
{
    ae_handle_t out[4];
    /* DERIVE: net-stack slices single pages off the pools for its clients. */
    const uint32_t mem = AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP | AE_RIGHT_GRANT |
                         AE_RIGHT_DERIVE;
    struct ae_handle_info hi;
    int64_t r;

    if (AE_MSG_NHANDLES(m->info) != 1 || ae_handle_info(m->h[0], &hi) ||
        hi.type != AE_OBJ_NOTIFICATION || !(hi.rights & AE_RIGHT_SIGNAL))
        return AE_ERR_INVAL;
    for (unsigned i = 0; i < 4; i++) {
        r = i < 3 ? ae_handle_derive(i == 0 ? nb.shm_vmo : nb.pool_vmo[i - 1], mem, 0, 0)
                  : ae_handle_derive(nb.notif, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0);
        if (r < 0) {
            while (i--)
                ae_handle_close(out[i]);
            return r;
        }
        out[i] = (ae_handle_t)r;
    }
    dp_attach(m->h[0]);             /* keeps it */
    m->h[0] = 0;
    ae_serve_reply_handles(m, out, 4, true);
    return AE_OK;
}

static int64_t op_info(struct ae_msg *m)
{
    uint64_t mac = 0;

    for (unsigned i = 0; i < 6; i++)
        mac |= (uint64_t)nb.mac[i] << (8 * i);
    m->w[0] = mac;
    m->w[1] = (vnet_link_up() ? 1u : 0u) | (uint64_t)AE_NETDEV_MTU << 32;
    return AE_OK;
}

static int64_t op_stats(struct ae_msg *m)
{
    m->w[0] = nb.n.rx_frames;
    m->w[1] = nb.n.rx_bytes;
    m->w[2] = nb.n.tx_frames;
    m->w[3] = nb.n.tx_bytes;
    return AE_OK;
}

static int64_t op_errors(struct ae_msg *m)
{
    m->w[0] = nb.n.rx_dropped;
    m->w[1] = nb.n.tx_dropped;
    m->w[2] = nb.n.bad_ring;
    m->w[3] = nb.n.irqs;
    return AE_OK;
}

static const struct ae_serve_op ops[] = {
    {AE_NETDEV_ATTACH, op_attach},
    {AE_NETDEV_INFO, op_info},
    {AE_NETDEV_STATS, op_stats},
    {AE_NETDEV_ERRORS, op_errors},
};

static int claim(const struct ae_vnode_info *vi)
{
    static struct ae_bufsvc pci = AE_BUFSVC("pci", AE_PCI_SETBUF, PCI_BUF_VA, 4096);
    struct ae_msg m = {.info = AE_MSG_INFO(AE_PCI_CLAIM, 0), .w = {vi->pci_device}};
    int64_t r;

    if (!vi->pci_device)
        return AE_ERR_NOTFOUND;

    /* pci may still be starting: a lookup answers AGAIN until it is up. */
    for (unsigned tries = 0; (r = ae_bufsvc_call(&pci, &m)) == AE_ERR_AGAIN && tries < 200;
         tries++) {
        ae_sleep_until((uint64_t)ae_clock_get() + 50000000ull);
        m = (struct ae_msg){.info = AE_MSG_INFO(AE_PCI_CLAIM, 0), .w = {vi->pci_device}};
    }
    if (r == AE_OK)
        memcpy(&nb.gr, ae_bufsvc_buf(&pci), sizeof(nb.gr));
    return (int)r;
}

int main(const struct ae_bootinfo *bi)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    int64_t r;

    if (!vi)
        return 1;
    r = claim(vi);
    if (r) {
        /* No device is no fault: a machine without a network card. */
        ae_printf("net-bridge: no virtio-net device to drive: %s", ae_strerror(r));
        return r == AE_ERR_NOTFOUND ? 0 : (int)r;
    }
    r = ae_notify_create();
    if (r < 0)
        return (int)r;
    nb.notif = (ae_handle_t)r;
    r = vnet_init();
    if (r)
        return (int)r;
    {
        char irq[40];

        if (nb.intx)
            ae_snprintf(irq, sizeof(irq), "INTx on GSI %u", nb.gr.intx_gsi);
        else
            ae_snprintf(irq, sizeof(irq), "MSI lines %u-%u", nb.gr.msi_first - AE_IRQ_MSI_BASE,
                        nb.gr.msi_first - AE_IRQ_MSI_BASE + nb.gr.msi_count - 1);
        ae_printf("net-bridge: %02x:%02x:%02x:%02x:%02x:%02x on PCI %02x:%02x.%u, "
                  "%u rx / %u tx descriptors, %s",
                  nb.mac[0], nb.mac[1], nb.mac[2], nb.mac[3], nb.mac[4], nb.mac[5],
                  nb.gr.dev.bus, nb.gr.dev.dev, nb.gr.dev.fn, nb.q[NB_RXQ].n, nb.q[NB_TXQ].n,
                  irq);
    }
    r = ae_thread_spawn(vi->self, dp_thread, NULL, DP_STACK_VA, DP_STACK_SIZE);
    if (r < 0)
        return (int)r;
    return (int)ae_serve("netdev", ops, sizeof(ops) / sizeof(ops[0]));
}
