/*
 * See virtio_pci.h. A virtio capability: cap_vndr (0x09), cap_next,
 * cap_len, cfg_type, bar, id, 2 padding bytes, offset (le32), length
 * (le32); the notification one adds notify_off_multiplier (le32).
 */
#include <stddef.h>

#include "virtio_pci.h"

#define CAP_HOPS_MAX 48

enum {
    CFG_COMMON = 1,
    CFG_NOTIFY = 2,
    CFG_ISR = 3,
    CFG_DEVICE = 4,
};

static uint32_t rd(const struct pci_cfg *c, unsigned off)
{
    return c->rd32(c->ctx, off);
}

/* The region a capability at off names, if it is sound: a BAR slot 0-5
 * and a range that does not wrap. */
static int region(const struct pci_cfg *c, unsigned off, struct ae_pci_virtio_region *r)
{
    uint32_t head = rd(c, off + 4), start = rd(c, off + 8), len = rd(c, off + 12);
    uint8_t bar = (uint8_t)head;

    if (bar > 5 || (uint64_t)start + len > 0xffffffffull)
        return 0;
    *r = (struct ae_pci_virtio_region){.bar = bar, .offset = start, .length = len};
    return 1;
}

uint32_t virtio_pci_find(const struct pci_cfg *c, struct ae_pci_dev *d)
{
    struct ae_pci_virtio *v = &d->virtio;
    unsigned off = rd(c, PCI_CAP_PTR) & 0xfc;

    if (!(d->status & PCI_STATUS_CAPS))
        return 0;
    for (unsigned hops = 0; off >= 0x40 && off <= 0xf0 && hops < CAP_HOPS_MAX; hops++) {
        uint32_t h = rd(c, off);
        unsigned len = (h >> 16) & 0xff, type = h >> 24;
        struct ae_pci_virtio_region r, *slot = NULL;
        uint32_t flag = 0;

        switch (type) {
        case CFG_COMMON: slot = &v->common; flag = AE_PCI_VIRTIO_COMMON; break;
        case CFG_NOTIFY: slot = &v->notify; flag = AE_PCI_VIRTIO_NOTIFY; break;
        case CFG_ISR: slot = &v->isr; flag = AE_PCI_VIRTIO_ISR; break;
        case CFG_DEVICE: slot = &v->device; flag = AE_PCI_VIRTIO_DEVICE; break;
        default: break;         /* PCI configuration access, shared memory: not used */
        }
        /* The notify one must hold its multiplier too: 20 bytes. */
        if (slot && !(v->found & flag) && (h & 0xff) == PCI_CAP_ID_VENDOR &&
            len >= (type == CFG_NOTIFY ? 20u : 16u) && off + len <= 0x100 &&
            region(c, off, &r)) {
            *slot = r;
            v->found |= flag;
            if (type == CFG_NOTIFY)
                v->notify_off_multiplier = rd(c, off + 16);
        }
        off = (h >> 8) & 0xfc;
    }
    return v->found;
}
