/*
 * Reading one PCI function's configuration header: identity, class, BARs
 * (sized the standard way: write all ones, read back the mask, restore,
 * with decoding off meanwhile), bridge bus numbers and the capability
 * list. Pure: the configuration space is reached through the caller's
 * accessors (ECAM in the pci V-Node, a fake in tests/unit/test_pci_cfg.c),
 * and nothing read from the device is trusted: a capability list that
 * points outside the header, loops or runs too long is cut off.
 */
#ifndef USER_LIB_PCI_CFG_H
#define USER_LIB_PCI_CFG_H

#include <stdint.h>

#include "aether/proto/pci.h"

/* Configuration registers (PCI Local Bus 3.0, type 0 and 1 headers). */
#define PCI_VENDOR 0x00
#define PCI_COMMAND 0x04            /* 16 bits; status above it */
#define PCI_CLASS_REV 0x08          /* revision, prog-if, subclass, class */
#define PCI_HEADER 0x0c             /* byte 2 of this dword: header type */
#define PCI_BAR0 0x10
#define PCI_SUBSYS 0x2c             /* type 0 */
#define PCI_CAP_PTR 0x34
#define PCI_IRQ 0x3c                /* line, pin */
#define PCI_BRIDGE_BUSES 0x18       /* type 1: primary, secondary, subordinate */
#define PCI_CMD_IO 1u
#define PCI_CMD_MEM 2u
#define PCI_STATUS_CAPS 0x10u       /* status bit 4: a capability list exists */

#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_PCIE 0x10
#define PCI_CAP_ID_MSIX 0x11

struct pci_cfg {
    uint32_t (*rd32)(void *ctx, unsigned off);      /* off: dword-aligned, < 4096 */
    void (*wr32)(void *ctx, unsigned off, uint32_t v);
    void *ctx;
};

/* Whether a function answers at this address (vendor not 0xffff). */
int pci_present(const struct pci_cfg *c);

/* Fills everything in *d but its address (segment, bus, dev, fn). */
void pci_read_function(const struct pci_cfg *c, struct ae_pci_dev *d);

/* "network controller", ... for a class code and subclass; the class's
 * name alone when the subclass is not one named here. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);

#endif
