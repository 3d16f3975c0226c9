/*
 * The "pci" service (user/vnodes/pci, docs/PCI.md): the PCI Express
 * functions the pci V-Node found in the configuration space init gave it.
 * Bulk results go into the caller's transfer buffer (PCI_SETBUF), as for
 * init and scope.
 *
 *   PCI_SETBUF  h[0] VMO [READ WRITE MAP], w[0] size (4096..65536, pages)
 *   PCI_LIST    -> AE_OK, w[0] n: n struct ae_pci_dev in the buffer (by
 *               segment, bus, device, function), w[1] how many there are
 */
#ifndef AETHER_PROTO_PCI_H
#define AETHER_PROTO_PCI_H

#include <stdint.h>

enum ae_pci_op {
    AE_PCI_SETBUF = 1,
    AE_PCI_LIST = 2,
};

/* ae_pci_bar.flags */
#define AE_PCI_BAR_IO 1u            /* I/O ports (else memory) */
#define AE_PCI_BAR_64 2u            /* 64-bit memory BAR (it takes the next slot too) */
#define AE_PCI_BAR_PREFETCH 4u      /* prefetchable memory */

struct ae_pci_bar {
    uint64_t base;              /* as programmed by the firmware; 0 with size 0: unused */
    uint64_t size;              /* bytes it decodes (0: no BAR in this slot) */
    uint32_t flags;             /* AE_PCI_BAR_* */
    uint32_t reserved;
};
_Static_assert(sizeof(struct ae_pci_bar) == 24, "ABI");

/* ae_pci_dev.caps: capabilities found in its list */
#define AE_PCI_CAP_MSI (1u << 0)
#define AE_PCI_CAP_MSIX (1u << 1)
#define AE_PCI_CAP_PCIE (1u << 2)
#define AE_PCI_CAP_PM (1u << 3)
#define AE_PCI_CAP_VENDOR (1u << 4)     /* vendor-specific (virtio 1.x puts its structures there) */

/* A virtio 1.x structure: bytes [offset, offset + length) of BAR bar. */
struct ae_pci_virtio_region {
    uint8_t bar;
    uint8_t reserved[3];
    uint32_t offset;
    uint32_t length;
};
_Static_assert(sizeof(struct ae_pci_virtio_region) == 12, "ABI");

/* ae_pci_dev.virtio_found: which of the regions below its capabilities name */
#define AE_PCI_VIRTIO_COMMON (1u << 0)
#define AE_PCI_VIRTIO_NOTIFY (1u << 1)
#define AE_PCI_VIRTIO_ISR (1u << 2)
#define AE_PCI_VIRTIO_DEVICE (1u << 3)

struct ae_pci_virtio {
    uint32_t found;             /* AE_PCI_VIRTIO_* */
    uint32_t notify_off_multiplier;
    struct ae_pci_virtio_region common, notify, isr, device;
};
_Static_assert(sizeof(struct ae_pci_virtio) == 56, "ABI");

struct ae_pci_dev {
    uint16_t segment;
    uint8_t bus, dev, fn;
    uint8_t header_type;        /* bits 0-6: 0 device, 1 PCI-PCI bridge, 2 CardBus; bit 7 multi-function */
    uint8_t irq_pin;            /* 0 none, 1-4 INTA-INTD */
    uint8_t irq_line;           /* as the firmware routed it (legacy) */
    uint16_t vendor, device;
    uint16_t subsys_vendor, subsys;
    uint8_t class_code, subclass, prog_if, revision;
    uint32_t caps;              /* AE_PCI_CAP_* */
    uint16_t command, status;
    uint8_t secondary_bus;      /* bridges: the bus behind it */
    uint8_t subordinate_bus;
    uint8_t nbars;              /* BAR slots: 6 for a device, 2 for a bridge */
    uint8_t reserved;
    uint16_t msix_entries;      /* with AE_PCI_CAP_MSIX: its table size */
    uint16_t reserved2;
    uint32_t reserved3;
    struct ae_pci_bar bar[6];
    struct ae_pci_virtio virtio;        /* vendor 0x1af4: its virtio 1.x structures */
};
_Static_assert(sizeof(struct ae_pci_dev) == 40 + 6 * 24 + 56, "ABI");

#endif
