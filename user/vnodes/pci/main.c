/*
 * pci: finds every PCI Express function in the configuration space init
 * gave it (its manifest says pci_ecam = yes: a devmem handle per ECAM
 * region, user/init/start.c) and serves the list as "pci"
 * (include/aether/proto/pci.h). It walks from bus 0 of each region down
 * the bridges (a bus is mapped only when something leads there), reads
 * each function with user/lib/pci_cfg.c, and answers from that snapshot:
 * the list is taken once at start, as the firmware left the machine.
 *
 * A driver claims its function (PCI_CLAIM): pci picks it and asks init,
 * which holds the hardware and the driver's manifest, to hand it over
 * (AE_INIT_PCI_GRANT, user/init/pcigrant.c).
 */
#include <stdbool.h>
#include <string.h>

#include "clientbuf.h"
#include "pci_cfg.h"
#include "serve.h"
#include "virtio_pci.h"
#include "svc.h"
#include "aether/pci.h"
#include "aether/proto/init.h"
#include "aether/proto/pci.h"
#include "aether/vnode.h"

#define ECAM_VA 0x0000200000000000ull       /* bus b of region r at + (r << 32 | b << 20) */
#define BUF_VA 0x0000300000000000ull
#define GRANT_VA 0x0000310000000000ull      /* the page shared with init for a grant */
#define DEVS_MAX 256

static struct ae_pci_dev devs[DEVS_MAX];
static unsigned ndevs, nfound;
static struct ae_clients clients = {.base_va = BUF_VA};

struct region {
    const struct ae_pci_ecam *e;
    ae_handle_t devmem;
    uint8_t mapped[256 / 8];    /* buses mapped at ECAM_VA */
};

static volatile uint32_t *bus_va(unsigned r, unsigned bus)
{
    return (volatile uint32_t *)(ECAM_VA + ((uint64_t)r << 32) + ((uint64_t)bus << 20));
}

/* Maps bus's 1 MiB of configuration space; false if it cannot be. */
static bool map_bus(struct region *rg, unsigned r, unsigned bus)
{
    uint64_t phys = rg->e->base + ((uint64_t)bus << 20);
    int64_t v;

    if (rg->mapped[bus / 8] & (1u << (bus % 8)))
        return true;
    v = ae_vmo_create_physical(rg->devmem, phys, AE_PCI_ECAM_BUS_BYTES);
    if (v < 0 || ae_vmo_map((ae_handle_t)v, 0, (uint64_t)bus_va(r, bus), 0,
                            AE_PCI_ECAM_BUS_BYTES, AE_PROT_READ | AE_PROT_WRITE) < 0) {
        ae_printf("pci: bus %u of segment %u: cannot map its configuration space", bus,
                  rg->e->segment);
        if (v >= 0)
            ae_handle_close((ae_handle_t)v);
        return false;
    }
    ae_handle_close((ae_handle_t)v);        /* the mapping holds it */
    rg->mapped[bus / 8] |= (uint8_t)(1u << (bus % 8));
    return true;
}

static uint32_t cfg_rd(void *ctx, unsigned off)
{
    return ((volatile uint32_t *)ctx)[off / 4];
}

static void cfg_wr(void *ctx, unsigned off, uint32_t v)
{
    ((volatile uint32_t *)ctx)[off / 4] = v;
}

static void scan_bus(struct region *rg, unsigned r, unsigned bus, unsigned depth);

static void scan_function(struct region *rg, unsigned r, unsigned bus, unsigned dev,
                          unsigned fn, unsigned depth)
{
    volatile uint32_t *f = bus_va(r, bus) + ((dev << 15 | fn << 12) / 4);
    struct pci_cfg c = {cfg_rd, cfg_wr, (void *)f};
    struct ae_pci_dev d = {.segment = rg->e->segment, .bus = (uint8_t)bus,
                           .dev = (uint8_t)dev, .fn = (uint8_t)fn};

    pci_read_function(&c, &d);
    if (d.vendor == 0x1af4)                     /* virtio: where its structures are */
        virtio_pci_find(&c, &d);
    nfound++;
    if (ndevs < DEVS_MAX)
        devs[ndevs++] = d;
    /* A bridge leads to buses of this region; a bus number outside it, or
     * not below the bridge's own, is firmware nonsense and not followed. */
    if ((d.header_type & 0x7f) == 1 && d.secondary_bus > bus &&
        d.secondary_bus >= rg->e->bus_first && d.secondary_bus <= rg->e->bus_last)
        scan_bus(rg, r, d.secondary_bus, depth + 1);
}

static void scan_bus(struct region *rg, unsigned r, unsigned bus, unsigned depth)
{
    if (depth > 32 || !map_bus(rg, r, bus))
        return;
    for (unsigned dev = 0; dev < 32; dev++) {
        volatile uint32_t *f0 = bus_va(r, bus) + ((dev << 15) / 4);
        struct pci_cfg c = {cfg_rd, cfg_wr, (void *)f0};

        if (!pci_present(&c))
            continue;
        /* Functions 1-7 exist only on a multi-function device. */
        unsigned nfn = (cfg_rd((void *)f0, PCI_HEADER) >> 16) & 0x80 ? 8 : 1;
        for (unsigned fn = 0; fn < nfn; fn++) {
            struct pci_cfg cf = {cfg_rd, cfg_wr, (void *)(f0 + (fn << 12) / 4)};
            if (pci_present(&cf))
                scan_function(rg, r, bus, dev, fn, depth);
        }
    }
}

static int64_t op_setbuf(struct ae_msg *m)
{
    return ae_client_setbuf(&clients, m->badge, m);
}

static int64_t op_list(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    uint64_t n = ndevs;

    if (!c || !c->buf)
        return AE_ERR_INVAL;
    if (n > c->size / sizeof(devs[0]))
        n = c->size / sizeof(devs[0]);
    memcpy(c->buf, devs, n * sizeof(devs[0]));
    m->w[0] = n;
    m->w[1] = nfound;
    return AE_OK;
}

static bool pages_overlap(const struct ae_pci_bar *a, const struct ae_pci_bar *b)
{
    uint64_t a0 = a->base / 4096, a1 = (a->base + a->size - 1) / 4096;
    uint64_t b0 = b->base / 4096, b1 = (b->base + b->size - 1) / 4096;

    return a->size && b->size && !((a->flags ^ b->flags) & AE_PCI_BAR_IO) && a0 <= b1 &&
           b0 <= a1;
}

/* Memory BARs are given as whole pages: one that shares a page with
 * another function's BAR would give that function away too, so it is not
 * given (its size is 0 in what init sees). */
static void drop_shared_bars(struct ae_pci_dev *d, const struct ae_pci_dev *self)
{
    for (unsigned i = 0; i < 6; i++) {
        if (d->bar[i].flags & AE_PCI_BAR_IO)
            continue;
        for (unsigned k = 0; k < ndevs && d->bar[i].size; k++)
            for (unsigned j = 0; j < 6 && &devs[k] != self; j++)
                if (pages_overlap(&d->bar[i], &devs[k].bar[j])) {
                    ae_printf("pci: BAR%u of %02x:%02x.%u shares a page with %02x:%02x.%u: "
                              "not given", i, d->bus, d->dev, d->fn, devs[k].bus,
                              devs[k].dev, devs[k].fn);
                    d->bar[i].size = 0;
                    break;
                }
    }
}

static int64_t op_claim(struct ae_msg *m)
{
    static int64_t page;        /* the grant page's VMO, made once */
    struct ae_client *c = ae_client_of(&clients, m->badge);
    const struct ae_pci_dev *d = NULL;
    struct ae_pci_grant *gr = (struct ae_pci_grant *)GRANT_VA;
    struct ae_msg req;
    int64_t r;

    if (!c || !c->buf || c->size < sizeof(*gr))
        return AE_ERR_INVAL;
    for (unsigned i = 0; i < ndevs && !d; i++)
        if (((uint32_t)devs[i].vendor << 16 | devs[i].device) == m->w[0] &&
            (devs[i].header_type & 0x7f) == 0)
            d = &devs[i];
    if (!d)
        return AE_ERR_NOTFOUND;
    if (!page) {
        page = ae_vmo_create(4096, 0);
        if (page < 0 || (r = ae_vmo_map((ae_handle_t)page, 0, GRANT_VA, 0, 4096,
                                        AE_PROT_READ | AE_PROT_WRITE)) < 0) {
            r = page < 0 ? page : r;
            page = 0;
            return r;
        }
    }
    memset(gr, 0, sizeof(*gr));
    gr->dev = *d;
    drop_shared_bars(&gr->dev, d);
    r = ae_handle_derive((ae_handle_t)page, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP |
                         AE_RIGHT_GRANT, 0, 0);
    if (r < 0)
        return r;
    /* SHARE: a moved memory object would lose our mapping of it. */
    req = (struct ae_msg){.info = AE_MSG_INFO(AE_INIT_PCI_GRANT, 1) | AE_MSG_SHARE,
                          .w = {m->badge}, .h = {(ae_handle_t)r}};
    r = ae_ipc_call(ae_vnode_info()->ns, &req);
    if (r == AE_OK)
        r = AE_MSG_STATUS(req.info);
    if (r == AE_OK)
        memcpy(c->buf, gr, sizeof(*gr));
    return r;
}

static const struct ae_serve_op ops[] = {
    {AE_PCI_SETBUF, op_setbuf},
    {AE_PCI_LIST, op_list},
    {AE_PCI_CLAIM, op_claim},
};

int main(const struct ae_bootinfo *bi)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    static struct region regions[AE_PCI_ECAM_MAX];
    unsigned nregions = 0;

    if (!vi)
        return 1;
    /* The hw[] entries of kind PCI_ECAM name their region by index. */
    for (unsigned i = 0; i < vi->nhw && i < AE_VNODE_HW_MAX; i++) {
        const struct ae_vnode_hw *h = &vi->hw[i];
        if (h->kind != AE_VNODE_HW_PCI_ECAM || h->base >= vi->necam ||
            h->base >= AE_PCI_ECAM_MAX || nregions >= AE_PCI_ECAM_MAX)
            continue;
        regions[nregions++] = (struct region){.e = &vi->ecam[h->base], .devmem = h->handle};
    }
    if (!nregions)
        ae_printf("pci: no PCI Express configuration space (no MCFG): no devices");
    for (unsigned r = 0; r < nregions; r++)
        scan_bus(&regions[r], r, regions[r].e->bus_first, 0);
    ae_printf("pci: %u functions on %u segment%s", nfound, nregions, nregions == 1 ? "" : "s");
    return (int)ae_serve("pci", ops, sizeof(ops) / sizeof(ops[0]));
}
