/*
 * Giving a driver V-Node its PCI function (AE_INIT_PCI_GRANT, from the pci
 * V-Node; docs/PCI.md). The pci V-Node knows the functions, init holds the
 * hardware: pci names the function a driver claimed and init checks it
 * against the driver's manifest (pci_device), then puts exactly that
 * function's configuration page, BARs and MSI lines into the driver's
 * handle table. init never calls pci, so neither can wait on the other.
 *
 * pci is trusted with the BAR addresses (it reads them; its ECAM access
 * could reprogram them anyway), but not with where configuration space
 * is: init computes the page from its own boot info.
 */
#include "init.h"
#include "scratch.h"
#include "aether/proto/init.h"
#include "aether/proto/pci.h"
#include "common/string.h"

#define CLAIMS_MAX 32

/* A function some V-Node drives, and the MSI lines set aside for it: they
 * stay with the function, whoever drives it next, so a driver's crash loop
 * never uses up the lines. */
struct claim {
    uint16_t segment;
    uint8_t bus, devfn;
    uint32_t owner;             /* V-Node id; 0: free slot */
    uint32_t generation;        /* the owner's run that was given it */
    uint32_t msi_first, msi_count;
    uint32_t intx_gsi;          /* valid with has_intx */
    uint16_t intx_flags;
    bool has_intx;
};

static struct claim claims[CLAIMS_MAX];
static uint32_t msi_next;       /* lines handed out so far, from the first */

static struct claim *claim_of(const struct ae_pci_dev *d)
{
    uint8_t devfn = (uint8_t)(d->dev << 3 | d->fn);

    for (unsigned i = 0; i < CLAIMS_MAX; i++)
        if (claims[i].owner && claims[i].segment == d->segment && claims[i].bus == d->bus &&
            claims[i].devfn == devfn)
            return &claims[i];
    for (unsigned i = 0; i < CLAIMS_MAX; i++)
        if (!claims[i].owner)
            return &claims[i];
    return NULL;
}

/* The configuration page of d, from the boot info's ECAM regions. */
static int config_page(const struct ae_pci_dev *d, uint64_t *phys)
{
    for (unsigned i = 0; i < g.bi->necam && i < AE_PCI_ECAM_MAX; i++) {
        const struct ae_pci_ecam *e = &g.bi->ecam[i];
        if (e->segment == d->segment && d->bus >= e->bus_first && d->bus <= e->bus_last &&
            d->dev < 32 && d->fn < 8) {
            *phys = e->base + ((uint64_t)d->bus << 20 | (uint64_t)d->dev << 15 |
                               (uint64_t)d->fn << 12);
            return AE_OK;
        }
    }
    return AE_ERR_NOTFOUND;
}

/* A sub-range of root moved into vn: its handle there, or an error. */
static int64_t give_range(struct vnode *vn, ae_handle_t root, uint64_t base, uint64_t count)
{
    int64_t h, v;

    if (base > UINT32_MAX || count > UINT32_MAX - base)
        return AE_ERR_RANGE;
    h = ae_hw_subrange(root, (uint32_t)base, (uint32_t)count);
    if (h < 0)
        return h;
    v = ae_handle_grant(vn->proc, (ae_handle_t)h);
    if (v < 0)
        ae_handle_close((ae_handle_t)h);
    return v;
}

static int64_t give_bar(struct vnode *vn, const struct ae_pci_bar *b)
{
    if (!b->size)
        return 0;
    if (b->flags & AE_PCI_BAR_IO) {
        if (b->base + b->size > 0x10000 || b->size > 0x10000)
            return AE_ERR_RANGE;
        return give_range(vn, g.bi->ioports, b->base, b->size);
    }
    if (b->base + b->size < b->base)
        return AE_ERR_RANGE;
    uint64_t first = b->base / 4096, end = (b->base + b->size + 4095) / 4096;
    return give_range(vn, g.bi->devmem, first, end - first);
}

/* The _PRT's GSI for d's INTx pin, when the kernel could read it: only
 * the root bus of segment 0 (a device behind a bridge has its pin swizzled
 * onto the bridge's, which the boot info does not say). */
static const struct ae_pci_route *route_of(const struct ae_pci_dev *d)
{
    if (d->segment || d->bus || d->irq_pin < 1 || d->irq_pin > 4)
        return NULL;
    for (uint32_t i = 0; i < g.bi->npci_routes && i < AE_PCI_ROUTES_MAX; i++) {
        const struct ae_pci_route *r = &g.bi->pci_routes[i];
        if (r->dev == d->dev && r->pin == d->irq_pin - 1)
            return r;
    }
    return NULL;
}

/* The INTx line, unless another claimed function has the same GSI: a
 * line's interrupt goes to one binding, so it is not shared. */
static int give_intx(struct vnode *vn, struct claim *c, struct ae_pci_grant *gr)
{
    const struct ae_pci_route *r = route_of(&gr->dev);
    int64_t h;

    if (!r)
        return AE_OK;
    for (unsigned i = 0; i < CLAIMS_MAX; i++)
        if (&claims[i] != c && claims[i].owner && claims[i].has_intx &&
            claims[i].intx_gsi == r->gsi)
            return AE_OK;
    h = give_range(vn, g.bi->irq, r->gsi, 1);
    if (h < 0)
        return (int)h;
    c->has_intx = true;
    c->intx_gsi = r->gsi;
    c->intx_flags = r->inti_flags;
    gr->intx = (ae_handle_t)h;
    gr->intx_gsi = r->gsi;
    gr->intx_flags = r->inti_flags;
    return AE_OK;
}

static int grant(struct vnode *vn, struct ae_pci_grant *gr)
{
    const struct ae_pci_dev *d = &gr->dev;
    struct claim *c = claim_of(d);
    int64_t h;
    int err;

    if (!c)
        return AE_ERR_BUSY;
    if (c->owner && c->owner != vn->id) {
        const struct vnode *other = vnode_by_id(c->owner);
        if (other && other->state == VN_RUNNING)
            return AE_ERR_BUSY;
    }
    if (c->owner == vn->id && c->generation == vn->generation)
        return AE_ERR_EXISTS;
    err = config_page(d, &gr->config_phys);
    if (err)
        return err;
    if (!c->msi_count && (d->caps & AE_PCI_CAP_MSIX)) {
        uint32_t n = d->msix_entries < AE_PCI_GRANT_MSI_MAX ? d->msix_entries
                                                              : AE_PCI_GRANT_MSI_MAX;
        if (msi_next + n <= AE_IRQ_MSI_COUNT) {
            c->msi_first = AE_IRQ_MSI_BASE + msi_next;
            c->msi_count = n;
            msi_next += n;
        }
    }
    *c = (struct claim){d->segment, d->bus, (uint8_t)(d->dev << 3 | d->fn), vn->id,
                        vn->generation, c->msi_first, c->msi_count, 0, 0, false};
    h = give_range(vn, g.bi->devmem, gr->config_phys / 4096, 1);
    if (h < 0)
        return (int)h;
    gr->config = (ae_handle_t)h;
    if (c->msi_count) {
        h = give_range(vn, g.bi->msi, c->msi_first, c->msi_count);
        if (h < 0)
            return (int)h;
        gr->msi = (ae_handle_t)h;
        gr->msi_first = c->msi_first;
        gr->msi_count = c->msi_count;
    }
    for (unsigned i = 0; i < 6 && i < d->nbars; i++) {
        h = give_bar(vn, &d->bar[i]);
        if (h < 0)
            return (int)h;
        gr->bar[i] = (ae_handle_t)h;
    }
    return give_intx(vn, c, gr);
}

/* The dead driver's MSI lines are bound to a notification of init's that
 * nobody waits on: a binding holds its notification, and that holds the
 * dead driver's quota account (and so its CPU and memory carve) alive. */
static void park_lines(const struct claim *c)
{
    static int64_t parked;

    if (!parked)
        parked = ae_notify_create();
    for (uint32_t i = 0; parked > 0 && i < c->msi_count; i++)
        ae_irq_bind(g.bi->msi, c->msi_first + i, (ae_handle_t)parked, 1, 0);
    /* The INTx line too: masked at its first interrupt, never acked. */
    if (parked > 0 && c->has_intx)
        ae_irq_bind(g.bi->irq, c->intx_gsi, (ae_handle_t)parked, 1,
                    AE_IRQ_INTI(c->intx_flags));
}

/* Clearing Bus Master Enable stops the function's DMA and its MSI writes
 * until a new driver turns it on again. Memory the dead driver gave the
 * device is freed when its process dies, a moment before this runs: the
 * window in which a device could still write there closes here (an IOMMU
 * would close it altogether). */
void pcigrant_release(struct vnode *vn)
{
    for (unsigned i = 0; i < CLAIMS_MAX; i++) {
        struct claim *c = &claims[i];
        struct ae_pci_dev d = {.segment = c->segment, .bus = c->bus,
                               .dev = (uint8_t)(c->devfn >> 3), .fn = c->devfn & 7};
        uint64_t phys;
        int64_t v, va;

        if (c->owner != vn->id || config_page(&d, &phys))
            continue;
        park_lines(c);
        v = ae_vmo_create_physical(g.bi->devmem, phys, 4096);
        va = v < 0 ? v : ae_scratch_map((ae_handle_t)v, 0, 4096);
        if (va >= 0) {
            volatile uint16_t *cmd = (volatile uint16_t *)(va + 4);
            /* Bus Master off, and Interrupt Disable on: the pin is quiet too. */
            *cmd = (uint16_t)((*cmd & ~4u) | 0x400u);
            ae_scratch_unmap((uint64_t)va, 4096);
            ae_printf("init: PCI %04x:%02x:%02x.%u: bus mastering and INTx off (%s ended)",
                      d.segment,
                      d.bus, d.dev, d.fn, vn->m.name);
        }
        if (v >= 0)
            ae_handle_close((ae_handle_t)v);
    }
}

int64_t pcigrant_serve(struct vnode *caller, struct ae_msg *m)
{
    struct vnode *vn = m->w[0] <= UINT32_MAX ? vnode_by_id((uint32_t)m->w[0]) : NULL;
    struct ae_pci_grant *gr;
    struct ae_vmo_info vi;
    int64_t va;
    int err;

    if (!caller->m.pci_ecam)
        return AE_ERR_ACCESS;
    if (AE_MSG_NHANDLES(m->info) != 1 || ae_vmo_info(m->h[0], &vi) || vi.size < 4096)
        return AE_ERR_INVAL;
    if (!vn || vn->state != VN_RUNNING)
        return AE_ERR_NOTFOUND;
    va = ae_scratch_map(m->h[0], 0, 4096);
    if (va < 0)
        return va;
    gr = (struct ae_pci_grant *)va;
    if (!vn->m.pci_device ||
        vn->m.pci_device != ((uint32_t)gr->dev.vendor << 16 | gr->dev.device)) {
        err = AE_ERR_ACCESS;
    } else {
        memset((char *)gr + sizeof(gr->dev), 0, sizeof(*gr) - sizeof(gr->dev));
        err = grant(vn, gr);
    }
    if (err)
        ae_printf("init: no PCI function %04x:%04x for %s: %s", gr->dev.vendor,
                  gr->dev.device, vn->m.name, ae_strerror(err));
    else if (gr->intx)
        ae_printf("init: %s drives PCI %04x:%02x:%02x.%u (%04x:%04x), MSI lines %u, "
                  "INTx GSI %u", vn->m.name, gr->dev.segment, gr->dev.bus, gr->dev.dev,
                  gr->dev.fn, gr->dev.vendor, gr->dev.device, gr->msi_count, gr->intx_gsi);
    else
        ae_printf("init: %s drives PCI %04x:%02x:%02x.%u (%04x:%04x), MSI lines %u, no INTx",
                  vn->m.name, gr->dev.segment, gr->dev.bus, gr->dev.dev, gr->dev.fn,
                  gr->dev.vendor, gr->dev.device, gr->msi_count);
    ae_scratch_unmap((uint64_t)va, 4096);
    return err;
}
