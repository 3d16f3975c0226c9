/*
 * The "pci" service (user/vnodes/pci, docs/PCI.md): the PCI Express
 * functions the pci V-Node found in the configuration space init gave it.
 * Bulk results go into the caller's transfer buffer (PCI_SETBUF), as for
 * init and scope.
 *
 *   PCI_SETBUF  h[0] VMO [READ WRITE MAP], w[0] size (4096..65536, pages)
 *   PCI_LIST    -> AE_OK, w[0] n: n struct ae_pci_dev in the buffer (by
 *               segment, bus, device, function), w[1] how many there are
 *   PCI_CLAIM   w[0] vendor << 16 | device: the function the caller's
 *               manifest names (pci_device) -> AE_OK, struct ae_pci_grant in
 *               the buffer; the handles it lists are already the caller's
 *               (init put them in its handle table). ACCESS: its manifest
 *               names another device or none; NOTFOUND: no such function;
 *               BUSY: another running V-Node drives it; EXISTS: already
 *               claimed in this run.
 */
#ifndef AETHER_PROTO_PCI_H
#define AETHER_PROTO_PCI_H

#include <stdint.h>

#include "aether/types.h"

enum ae_pci_op {
    AE_PCI_SETBUF = 1,
    AE_PCI_LIST = 2,
    AE_PCI_CLAIM = 3,
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
    uint8_t msix_cap;           /* with AE_PCI_CAP_MSIX: its capability's offset */
    uint16_t msix_entries;      /* with AE_PCI_CAP_MSIX: its table size */
    uint16_t reserved2;
    uint32_t msix_table;        /* with AE_PCI_CAP_MSIX: the table's BAR (bits 0-2)
                                 * and offset in it (the rest) */
    struct ae_pci_bar bar[6];
    struct ae_pci_virtio virtio;        /* vendor 0x1af4: its virtio 1.x structures */
};
_Static_assert(sizeof(struct ae_pci_dev) == 40 + 6 * 24 + 56, "ABI");

#define AE_PCI_GRANT_MSI_MAX 8u     /* MSI lines given to one function at most */

/* What a driver gets for its function (PCI_CLAIM). Memory BARs come as
 * devmem of their whole pages (vmo_create_physical), I/O BARs as I/O-port
 * ranges (ioport_enable); a BAR that shares a page with another
 * function's is not given (0). The driver turns on bus mastering and
 * MSI-X itself, in its own configuration space. */
struct ae_pci_grant {
    struct ae_pci_dev dev;
    uint64_t config_phys;       /* its 4 KiB of configuration space */
    ae_handle_t config;         /* devmem of that page */
    ae_handle_t msi;            /* IRQ object of its MSI lines (0: none) */
    uint32_t msi_first;         /* AE_IRQ_MSI_BASE + k: irq_bind, irq_msi_message */
    uint32_t msi_count;         /* min(MSI-X table size, AE_PCI_GRANT_MSI_MAX) */
    ae_handle_t bar[6];         /* devmem or ioports; 0: no BAR or not given */
    /* Its legacy INTx pin, where the firmware's _PRT routes it (boot info
     * v6): an IRQ handle of that one GSI, to bind with intx_flags and ack
     * after each interrupt (the line is level-triggered and stays masked
     * until then). 0 when the function has no pin, the routing is unknown,
     * or another claimed function already has that GSI (not shared). */
    ae_handle_t intx;
    uint32_t intx_gsi;
    uint16_t intx_flags;        /* MPS INTI polarity and trigger */
    uint16_t reserved_intx[3];
};
_Static_assert(sizeof(struct ae_pci_grant) == 240 + 8 + 16 + 24 + 16, "ABI");

#endif
