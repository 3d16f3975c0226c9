/*
 * Bringing a virtio-net device up over the virtio 1.x PCI transport
 * (virtio 1.2, 3.1.1 and 4.1.5): reset, acknowledge, negotiate features
 * (VERSION_1 and MAC required; STATUS if offered; no offloads, so every
 * frame is whole and unmerged), give the device its two queues, point
 * each queue and the configuration at an MSI-X table entry holding one of
 * our MSI lines, then DRIVER_OK.
 */
#include <string.h>

#include "nb.h"

#define CFG_VA 0x0000200000000000ull
#define BAR_VA(i) (0x0000210000000000ull + ((uint64_t)(i) << 32))
#define QMEM_VA 0x0000230000000000ull

/* common configuration (virtio 1.2, 4.1.4.3) */
#define VC_DFSELECT 0x00
#define VC_DF 0x04
#define VC_GFSELECT 0x08
#define VC_GF 0x0c
#define VC_MSIX_CONFIG 0x10
#define VC_NUM_QUEUES 0x12
#define VC_STATUS 0x14
#define VC_Q_SELECT 0x16
#define VC_Q_SIZE 0x18
#define VC_Q_MSIX 0x1a
#define VC_Q_ENABLE 0x1c
#define VC_Q_NOTIFY_OFF 0x1e
#define VC_Q_DESC 0x20
#define VC_Q_DRIVER 0x28
#define VC_Q_DEVICE 0x30

#define ST_ACK 1u
#define ST_DRIVER 2u
#define ST_DRIVER_OK 4u
#define ST_FEATURES_OK 8u
#define ST_FAILED 128u

#define F_MAC 5
#define F_STATUS 16
#define F_VERSION_1 32

#define NO_VECTOR 0xffffu
#define MSIX_ENABLE (1u << 15)
#define MSIX_MASKALL (1u << 14)

#define PCI_CMD_MEM 2u
#define PCI_CMD_MASTER 4u
#define PCI_CMD_INTX_OFF (1u << 10)

static void w8(volatile uint8_t *b, unsigned off, uint8_t v) { *(volatile uint8_t *)(b + off) = v; }
static void w16(volatile uint8_t *b, unsigned off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static void w32(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static uint8_t r8(volatile uint8_t *b, unsigned off) { return *(volatile uint8_t *)(b + off); }
static uint16_t r16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static uint32_t r32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }

static void w64(volatile uint8_t *b, unsigned off, uint64_t v)
{
    w32(b, off, (uint32_t)v);
    w32(b, off + 4, (uint32_t)(v >> 32));
}

/* Maps a device range (whole pages) at va. */
static int map_device(ae_handle_t devmem, uint64_t phys, uint64_t size, uint64_t va)
{
    uint64_t first = phys & ~4095ull, len = ((phys + size + 4095) & ~4095ull) - first;
    int64_t v = ae_vmo_create_physical(devmem, first, len);
    int64_t r;

    if (v < 0)
        return (int)v;
    r = ae_vmo_map((ae_handle_t)v, 0, va, 0, len, AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)v);            /* the mapping keeps it */
    return (int)r;
}

/* The address of a virtio structure: its BAR mapped once. */
static volatile uint8_t *region(const struct ae_pci_virtio_region *rg, uint8_t *mapped)
{
    const struct ae_pci_bar *b = &nb.gr.dev.bar[rg->bar];

    if (rg->bar > 5 || !nb.gr.bar[rg->bar] || (b->flags & AE_PCI_BAR_IO) ||
        (uint64_t)rg->offset + rg->length > b->size)
        return NULL;
    if (!(*mapped & (1u << rg->bar))) {
        if (map_device(nb.gr.bar[rg->bar], b->base, b->size, BAR_VA(rg->bar)) < 0)
            return NULL;
        *mapped |= (uint8_t)(1u << rg->bar);
    }
    return (volatile uint8_t *)(BAR_VA(rg->bar) + (b->base & 4095) + rg->offset);
}

static int fail(const char *what)
{
    ae_printf("net-bridge: %s", what);
    if (nb.common)
        w8(nb.common, VC_STATUS, ST_FAILED);
    return AE_ERR_UNSUPPORTED;
}

/* MSI-X: table entry i raises our MSI line msi_first + i. Entries the
 * device has beyond our lines stay masked. */
static int msix_setup(volatile uint8_t *cfg, uint8_t *mapped)
{
    const struct ae_pci_dev *d = &nb.gr.dev;
    unsigned bar = d->msix_table & 7, n = nb.gr.msi_count;
    struct ae_pci_virtio_region rg = {(uint8_t)bar, {0}, d->msix_table & ~7u,
                                      16u * d->msix_entries};
    volatile uint8_t *table;

    if (!(d->caps & AE_PCI_CAP_MSIX) || n < 3 || !(table = region(&rg, mapped)))
        return AE_ERR_UNSUPPORTED;
    for (unsigned i = 0; i < d->msix_entries; i++) {
        struct ae_msi_message msg;
        bool ours = i < n &&
                    ae_irq_msi_message(nb.gr.msi, nb.gr.msi_first + i, &msg) == AE_OK;
        w32(table, 16 * i + 12, 1);                         /* masked while written */
        if (!ours)
            continue;
        w32(table, 16 * i, (uint32_t)msg.address);
        w32(table, 16 * i + 4, (uint32_t)(msg.address >> 32));
        w32(table, 16 * i + 8, msg.data);
        w32(table, 16 * i + 12, 0);
    }
    /* Our lines: 0 configuration, 1 rx, 2 tx, each its own bit. */
    static const uint64_t bits[3] = {NB_BIT_CONFIG, NB_BIT_RX, NB_BIT_TX};
    for (unsigned i = 0; i < 3; i++)
        if (ae_irq_bind(nb.gr.msi, nb.gr.msi_first + i, nb.notif, bits[i], 0) < 0)
            return AE_ERR_UNSUPPORTED;
    uint16_t ctl = r16(cfg, d->msix_cap + 2);
    w16(cfg, d->msix_cap + 2, (uint16_t)((ctl | MSIX_ENABLE) & ~MSIX_MASKALL));
    return AE_OK;
}

static int queue_setup(unsigned qi, uint8_t *qmem, uint64_t qphys)
{
    volatile uint8_t *c = nb.common;
    unsigned n;

    w16(c, VC_Q_SELECT, (uint16_t)qi);
    n = r16(c, VC_Q_SIZE);
    if (n > VIRTQ_MAX)
        n = VIRTQ_MAX;
    while (n & (n - 1))             /* packed rings may not be powers of two; split must */
        n &= n - 1;
    if (!n || virtq_init(&nb.q[qi], qmem, qphys, n) != AE_OK)
        return fail("a queue of no size");
    w16(c, VC_Q_SIZE, (uint16_t)n);
    w64(c, VC_Q_DESC, nb.q[qi].desc_phys);
    w64(c, VC_Q_DRIVER, nb.q[qi].avail_phys);
    w64(c, VC_Q_DEVICE, nb.q[qi].used_phys);
    if (!nb.intx) {
        w16(c, VC_Q_MSIX, (uint16_t)(1 + qi));
        if (r16(c, VC_Q_MSIX) != 1 + qi)
            return fail("the device refused a queue's MSI-X vector");
    }
    nb.notify_off[qi] = r16(c, VC_Q_NOTIFY_OFF);
    if ((uint64_t)nb.notify_off[qi] * nb.notify_mult + 2 > nb.gr.dev.virtio.notify.length)
        return fail("a queue's notification address lies outside its area");
    w16(c, VC_Q_ENABLE, 1);
    return AE_OK;
}

int vnet_init(void)
{
    const struct ae_pci_virtio *v = &nb.gr.dev.virtio;
    uint8_t mapped = 0;
    volatile uint8_t *cfg = (volatile uint8_t *)CFG_VA;
    uint64_t features;
    size_t qbytes = virtq_bytes(VIRTQ_MAX);
    struct ae_vmo_info vi;
    int64_t qv;
    int err;

    if (map_device(nb.gr.config, nb.gr.config_phys, 4096, CFG_VA) < 0)
        return fail("cannot map its configuration space");
    if ((v->found & 0xf) != 0xf)
        return fail("not a virtio 1.x device: structures missing");
    nb.common = region(&v->common, &mapped);
    nb.notify = region(&v->notify, &mapped);
    nb.isr = region(&v->isr, &mapped);
    nb.devcfg = region(&v->device, &mapped);
    nb.notify_mult = v->notify_off_multiplier;
    if (!nb.common || !nb.notify || !nb.isr || !nb.devcfg || v->common.length < 0x38 ||
        v->device.length < 8)
        return fail("cannot map the virtio structures");
    /* Memory decoding and bus mastering on (the device DMAs our queues),
     * the legacy INTx pin off unless MSI-X cannot be had (below). */
    w16(cfg, 4, (uint16_t)(r16(cfg, 4) | PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_OFF));

    volatile uint8_t *c = nb.common;
    w8(c, VC_STATUS, 0);
    for (unsigned spin = 0; r8(c, VC_STATUS) != 0; spin++)
        if (spin > 1000000)
            return fail("the device does not reset");
    w8(c, VC_STATUS, ST_ACK);
    w8(c, VC_STATUS, ST_ACK | ST_DRIVER);
    w32(c, VC_DFSELECT, 0);
    features = r32(c, VC_DF);
    w32(c, VC_DFSELECT, 1);
    features |= (uint64_t)r32(c, VC_DF) << 32;
    if (!(features & (1ull << F_VERSION_1)) || !(features & (1ull << F_MAC)))
        return fail("the device offers neither VERSION_1 nor MAC");
    features &= 1ull << F_VERSION_1 | 1ull << F_MAC | 1ull << F_STATUS;
    nb.has_status = features & (1ull << F_STATUS);
    w32(c, VC_GFSELECT, 0);
    w32(c, VC_GF, (uint32_t)features);
    w32(c, VC_GFSELECT, 1);
    w32(c, VC_GF, (uint32_t)(features >> 32));
    w8(c, VC_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(r8(c, VC_STATUS) & ST_FEATURES_OK))
        return fail("the device refused our features");

    if (msix_setup(cfg, &mapped) == AE_OK) {
        w16(c, VC_MSIX_CONFIG, 0);
        if (r16(c, VC_MSIX_CONFIG) != 0)
            return fail("the device refused the configuration's MSI-X vector");
    } else if (nb.gr.intx) {
        /* The legacy pin: one level-triggered line for the queues and the
         * configuration; the ISR register says which (virtio 1.x, 4.1.4.5). */
        if (ae_irq_bind(nb.gr.intx, nb.gr.intx_gsi, nb.notif, NB_BIT_INTX,
                        AE_IRQ_INTI(nb.gr.intx_flags)) < 0)
            return fail("cannot bind its INTx line");
        nb.intx = true;
        w16(cfg, 4, (uint16_t)(r16(cfg, 4) & ~PCI_CMD_INTX_OFF));
    } else {
        return fail("no MSI-X (or fewer than 3 MSI lines given) and no INTx line");
    }
    if (r16(c, VC_NUM_QUEUES) < 2)
        return fail("fewer than 2 queues");

    /* Both queues in one contiguous block: the device reads them by
     * physical address. */
    qv = ae_vmo_create(2 * ((qbytes + 4095) & ~4095ull), AE_VMO_CONTIGUOUS);
    if (qv < 0 || ae_vmo_info((ae_handle_t)qv, &vi) ||
        ae_vmo_map((ae_handle_t)qv, 0, QMEM_VA, 0, vi.size, AE_PROT_READ | AE_PROT_WRITE))
        return fail("no memory for the queues");
    for (unsigned qi = 0; qi < 2; qi++) {
        uint64_t off = qi * (vi.size / 2);
        err = queue_setup(qi, (uint8_t *)QMEM_VA + off, vi.phys + off);
        if (err)
            return err;
    }
    for (unsigned i = 0; i < 6; i++)
        nb.mac[i] = r8(nb.devcfg, (unsigned)i);
    err = dp_init();                /* rx buffers posted before the device runs */
    if (err)
        return fail("no memory for the packet pools");
    w8(c, VC_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    vnet_notify(NB_RXQ);
    return AE_OK;
}

bool vnet_link_up(void)
{
    return !nb.has_status || (r16(nb.devcfg, 6) & 1);
}

void vnet_notify(unsigned q)
{
    w16(nb.notify, nb.notify_off[q] * nb.notify_mult, (uint16_t)q);
}
