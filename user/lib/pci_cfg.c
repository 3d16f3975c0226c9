/*
 * See pci_cfg.h. BAR sizing: a BAR's writable bits are its address bits;
 * writing ones and reading back gives the size as the lowest of them. The
 * command register's decode bits are off while a BAR holds ones, so the
 * device never answers at that bogus address, and both come back as they
 * were.
 */
#include "pci_cfg.h"

#define CAP_HOPS_MAX 48     /* (256 - 64) / 4: more means a loop */

static uint32_t rd(const struct pci_cfg *c, unsigned off)
{
    return c->rd32(c->ctx, off);
}

int pci_present(const struct pci_cfg *c)
{
    return (rd(c, PCI_VENDOR) & 0xffff) != 0xffff;
}

/* Writes ones to the BAR dword at off, returns what reads back, and puts
 * the old value back. */
static uint32_t probe(const struct pci_cfg *c, unsigned off, uint32_t old)
{
    uint32_t mask;

    c->wr32(c->ctx, off, 0xffffffffu);
    mask = rd(c, off);
    c->wr32(c->ctx, off, old);
    return mask;
}

/* Sizes BAR slot i; returns the slots it took (2 for 64-bit memory). */
static unsigned size_bar(const struct pci_cfg *c, unsigned i, unsigned nbars,
                         struct ae_pci_bar *b)
{
    unsigned off = PCI_BAR0 + 4 * i;
    uint32_t lo = rd(c, off), mask_lo = probe(c, off, lo), hi = 0, mask_hi = 0;
    uint64_t mask;

    if (lo & 1) {                                   /* I/O: 16-bit ports, 2 flag bits */
        uint32_t m = mask_lo & 0xfffcu;
        b->flags = AE_PCI_BAR_IO;
        b->base = lo & 0xfffcu;
        b->size = m ? m & -m : 0;
        return 1;
    }
    if (((lo >> 1) & 3) == 2 && i + 1 < nbars) {    /* 64-bit memory */
        hi = rd(c, off + 4);
        mask_hi = probe(c, off + 4, hi);
        b->flags = AE_PCI_BAR_64;
        mask = (uint64_t)mask_hi << 32 | (mask_lo & ~0xfu);
    } else {                                        /* 32-bit (reserved types too) */
        mask = 0xffffffff00000000ull | (mask_lo & ~0xfu);
        if (!(mask_lo & ~0xfu))
            mask = 0;                               /* no address bit: no BAR */
    }
    if (lo & 8)
        b->flags |= AE_PCI_BAR_PREFETCH;
    b->base = (uint64_t)hi << 32 | (lo & ~0xfu);
    b->size = mask ? mask & -mask : 0;
    return b->flags & AE_PCI_BAR_64 ? 2 : 1;
}

static void read_caps(const struct pci_cfg *c, struct ae_pci_dev *d)
{
    unsigned off = rd(c, PCI_CAP_PTR) & 0xfc;

    if (!(d->status & PCI_STATUS_CAPS))
        return;
    for (unsigned hops = 0; off >= 0x40 && off < 0x100 && hops < CAP_HOPS_MAX; hops++) {
        uint32_t v = rd(c, off);

        switch (v & 0xff) {
        case PCI_CAP_ID_PM: d->caps |= AE_PCI_CAP_PM; break;
        case PCI_CAP_ID_MSI: d->caps |= AE_PCI_CAP_MSI; break;
        case PCI_CAP_ID_VENDOR: d->caps |= AE_PCI_CAP_VENDOR; break;
        case PCI_CAP_ID_PCIE: d->caps |= AE_PCI_CAP_PCIE; break;
        case PCI_CAP_ID_MSIX:
            d->caps |= AE_PCI_CAP_MSIX;
            d->msix_entries = (uint16_t)(((v >> 16) & 0x7ff) + 1);
            d->msix_cap = (uint8_t)off;
            d->msix_table = rd(c, off + 4);
            break;
        default: break;
        }
        off = (v >> 8) & 0xfc;
    }
}

void pci_read_function(const struct pci_cfg *c, struct ae_pci_dev *d)
{
    uint32_t id = rd(c, PCI_VENDOR), cr = rd(c, PCI_CLASS_REV), cmd = rd(c, PCI_COMMAND);
    uint32_t irq = rd(c, PCI_IRQ);
    unsigned type;

    d->vendor = (uint16_t)id;
    d->device = (uint16_t)(id >> 16);
    d->revision = (uint8_t)cr;
    d->prog_if = (uint8_t)(cr >> 8);
    d->subclass = (uint8_t)(cr >> 16);
    d->class_code = (uint8_t)(cr >> 24);
    d->header_type = (uint8_t)(rd(c, PCI_HEADER) >> 16);
    d->command = (uint16_t)cmd;
    d->status = (uint16_t)(cmd >> 16);
    d->irq_line = (uint8_t)irq;
    d->irq_pin = (uint8_t)(irq >> 8) <= 4 ? (uint8_t)(irq >> 8) : 0;
    type = d->header_type & 0x7f;
    d->nbars = type == 0 ? 6 : type == 1 ? 2 : 0;
    if (type == 0) {
        uint32_t ss = rd(c, PCI_SUBSYS);
        d->subsys_vendor = (uint16_t)ss;
        d->subsys = (uint16_t)(ss >> 16);
    } else if (type == 1) {
        uint32_t buses = rd(c, PCI_BRIDGE_BUSES);
        d->secondary_bus = (uint8_t)(buses >> 8);
        d->subordinate_bus = (uint8_t)(buses >> 16);
    }
    if (d->nbars) {
        /* Decoding off while BARs hold ones; then as it was. */
        c->wr32(c->ctx, PCI_COMMAND, cmd & 0xffffu & ~(PCI_CMD_IO | PCI_CMD_MEM));
        for (unsigned i = 0; i < d->nbars;)
            i += size_bar(c, i, d->nbars, &d->bar[i]);
        c->wr32(c->ctx, PCI_COMMAND, cmd & 0xffffu);
    }
    read_caps(c, d);
}

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    static const struct { uint8_t c, s; const char *name; } sub[] = {
        {0x01, 0x01, "IDE controller"}, {0x01, 0x06, "SATA controller"},
        {0x01, 0x08, "NVMe controller"}, {0x02, 0x00, "Ethernet controller"},
        {0x03, 0x00, "VGA controller"}, {0x06, 0x00, "host bridge"},
        {0x06, 0x01, "ISA bridge"}, {0x06, 0x04, "PCI bridge"},
        {0x0c, 0x03, "USB controller"}, {0x0c, 0x05, "SMBus controller"},
    };
    static const char *const cls[] = {
        "unclassified device", "mass storage controller", "network controller",
        "display controller", "multimedia controller", "memory controller", "bridge",
        "communication controller", "system peripheral", "input device", "docking station",
        "processor", "serial bus controller", "wireless controller",
    };

    for (unsigned i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
        if (sub[i].c == class_code && sub[i].s == subclass)
            return sub[i].name;
    return class_code < sizeof(cls) / sizeof(cls[0]) ? cls[class_code] : "device";
}
