/*
 * Where a virtio 1.x PCI device keeps its structures (virtio 1.2, 4.1.4,
 * "Virtio Structure PCI Capabilities"): vendor-specific capabilities
 * naming, for the common configuration, the notification area, the ISR
 * status and the device configuration, a BAR and a range in it. Pure:
 * read through pci_cfg's accessors, every capability's length and every
 * range checked (a BAR slot past 5, a range that wraps, a capability
 * shorter than its type needs: not used).
 */
#ifndef USER_LIB_VIRTIO_PCI_H
#define USER_LIB_VIRTIO_PCI_H

#include <stdint.h>

#include "pci_cfg.h"
#include "aether/proto/pci.h"

/* Finds the structures in c's capability list (the first valid one of each
 * type, as the specification asks drivers to use) and fills d->virtio.
 * Returns the AE_PCI_VIRTIO_* bits found. */
uint32_t virtio_pci_find(const struct pci_cfg *c, struct ae_pci_dev *d);

#endif
