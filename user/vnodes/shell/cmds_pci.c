/*
 * lspci [-v]: the PCI Express functions the pci V-Node found
 * (proto/pci.h, docs/PCI.md): address, vendor:device, class; with -v
 * also each BAR, the interrupt pin and the capabilities.
 */
#include <stdbool.h>

#include "cmds.h"
#include "pci_cfg.h"
#include "aether/proto/pci.h"
#include "common/string.h"

static struct ae_bufsvc pcisvc = AE_BUFSVC("pci", AE_PCI_SETBUF, 0x0000160000000000ull,
                                           SH_SVC_BUF);

/* "16 KiB", "32 B", ... */
static void size_text(uint64_t n, char *out, size_t len)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned u = 0;

    while (n >= 1024 && !(n % 1024) && u < 4) {
        n /= 1024;
        u++;
    }
    ae_snprintf(out, len, "%lu %s", (unsigned long)n, unit[u]);
}

static void print_detail(struct sh_io *io, const struct ae_pci_dev *d)
{
    static const struct { uint32_t bit; const char *name; } caps[] = {
        {AE_PCI_CAP_MSIX, "MSI-X"}, {AE_PCI_CAP_MSI, "MSI"}, {AE_PCI_CAP_PCIE, "PCIe"},
        {AE_PCI_CAP_PM, "power management"}, {AE_PCI_CAP_VENDOR, "vendor-specific"},
    };

    for (unsigned i = 0; i < d->nbars && i < 6; i++) {
        const struct ae_pci_bar *b = &d->bar[i];
        char sz[24];

        if (!b->size)
            continue;
        size_text(b->size, sz, sizeof(sz));
        sh_printf(io, "    BAR%u %s %#lx, %s%s\n", i,
                  b->flags & AE_PCI_BAR_IO ? "I/O ports" : b->flags & AE_PCI_BAR_64 ? "memory64" : "memory",
                  (unsigned long)b->base, sz, b->flags & AE_PCI_BAR_PREFETCH ? ", prefetchable" : "");
    }
    if ((d->header_type & 0x7f) == 1)
        sh_printf(io, "    buses %u-%u behind it\n", d->secondary_bus, d->subordinate_bus);
    if (d->irq_pin)
        sh_printf(io, "    interrupt pin %c, line %u\n", 'A' + d->irq_pin - 1, d->irq_line);
    if (d->virtio.found) {
        static const char *const names[] = {"common", "notify", "ISR", "device"};
        const struct ae_pci_virtio_region *r[] = {&d->virtio.common, &d->virtio.notify,
                                                  &d->virtio.isr, &d->virtio.device};

        sh_printf(io, "    virtio:");
        for (unsigned i = 0; i < 4; i++)
            if (d->virtio.found & (1u << i))
                sh_printf(io, " %s BAR%u+%#x (%#x)", names[i], r[i]->bar, r[i]->offset,
                          r[i]->length);
        if (d->virtio.found & AE_PCI_VIRTIO_NOTIFY)
            sh_printf(io, ", notify multiplier %u", d->virtio.notify_off_multiplier);
        sh_printf(io, "\n");
    }
    if (d->caps) {
        sh_printf(io, "    capabilities:");
        for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
            if (d->caps & caps[i].bit) {
                sh_printf(io, " %s", caps[i].name);
                if (caps[i].bit == AE_PCI_CAP_MSIX)
                    sh_printf(io, " (%u vectors)", d->msix_entries);
            }
        sh_printf(io, "\n");
    }
}

int cmd_lspci(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_PCI_LIST, 0), {0}, {0}, 0};
    const struct ae_pci_dev *d = ae_bufsvc_buf(&pcisvc);
    bool verbose = argc == 2 && !strcmp(argv[1], "-v");
    int64_t r;

    if (argc > 2 || (argc == 2 && !verbose))
        return sh_fail(io, 2, "lspci", "usage: lspci [-v]");
    r = ae_bufsvc_call(&pcisvc, &m);
    if (r)
        return sh_fail(io, 1, "lspci", "%s", ae_strerror(r));
    for (uint64_t i = 0; i < m.w[0]; i++) {
        sh_printf(io, "%04x:%02x:%02x.%u %04x:%04x %s (class %02x%02x%02x rev %02x)\n",
                  d[i].segment, d[i].bus, d[i].dev, d[i].fn, d[i].vendor, d[i].device,
                  pci_class_name(d[i].class_code, d[i].subclass), d[i].class_code,
                  d[i].subclass, d[i].prog_if, d[i].revision);
        if (verbose)
            print_detail(io, &d[i]);
    }
    if (m.w[1] > m.w[0])
        sh_printf(io, "(%lu more not listed)\n", (unsigned long)(m.w[1] - m.w[0]));
    return 0;
}
