/*
 * PCI Express: where the configuration space is (ECAM, from the firmware's
 * ACPI MCFG table), as the kernel tells init (boot info) and init tells
 * the pci V-Node (its info page), and the "pci" service the pci V-Node
 * serves (docs/PCI.md).
 *
 * ECAM: function (bus, dev, fn)'s 4 KiB of configuration space is at
 * base + (bus << 20 | dev << 15 | fn << 12), for bus_first <= bus <=
 * bus_last of the segment.
 */
#ifndef AETHER_PCI_H
#define AETHER_PCI_H

#include <stdint.h>

#define AE_PCI_ECAM_MAX 4u          /* regions passed on; more are ignored */

struct ae_pci_ecam {
    uint64_t base;              /* physical address of bus 0's space (MCFG's) */
    uint16_t segment;
    uint8_t bus_first, bus_last;
    uint32_t reserved;
};
_Static_assert(sizeof(struct ae_pci_ecam) == 16, "ABI");

/* Bytes of configuration space of buses [first, last]: 1 MiB a bus. */
#define AE_PCI_ECAM_BUS_BYTES (1ull << 20)

#endif
