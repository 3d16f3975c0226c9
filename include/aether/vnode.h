/*
 * What init hands each V-Node: a read-only page at AE_BOOTINFO_VA (its
 * address also arrives in the first argument register, as for init) that
 * names the handles the V-Node holds. Every handle a V-Node has at start
 * is listed here; its manifest decides which (docs/USERSPACE.md).
 */
#ifndef AETHER_VNODE_H
#define AETHER_VNODE_H

#include <stdint.h>

#include "aether/pci.h"
#include "aether/types.h"

#define AE_VNODE_INFO_MAGIC 0x45444f4e56454561ull   /* "aEEVNODE" */
#define AE_VNODE_INFO_VERSION 3     /* 2: PCI Express ECAM regions; 3: pci_device */
#define AE_VNODE_NAME_MAX 24        /* including the NUL */
#define AE_VNODE_HW_MAX 16

/* ae_vnode_hw.kind */
#define AE_VNODE_HW_IRQ 1u          /* base: ISA IRQ line, count 1 */
#define AE_VNODE_HW_IOPORTS 2u      /* ports [base, base + count) */
#define AE_VNODE_HW_DEVMEM 3u       /* pages [base, base + count) (page numbers) */
#define AE_VNODE_HW_PCI_ECAM 4u     /* devmem of ECAM region base (ecam[base]), count
                                     * pages: its buses bus_first..bus_last */

struct ae_vnode_hw {
    ae_handle_t handle;
    uint32_t kind;              /* AE_VNODE_HW_* */
    uint64_t base;
    uint64_t count;
};
_Static_assert(sizeof(struct ae_vnode_hw) == 24, "ABI");

struct ae_vnode_info {
    uint64_t magic;             /* AE_VNODE_INFO_MAGIC */
    uint32_t version;
    uint32_t id;                /* its V-Node id (init's), the badge init sees */
    char name[AE_VNODE_NAME_MAX];
    uint32_t generation;        /* how many times init has started it, from 1 */
    uint32_t ncpus;
    ae_handle_t ns;             /* init's name service [SEND], badged with id */
    ae_handle_t self;           /* its own process [READ] */
    uint64_t tsc_hz;
    uint32_t nhw;
    ae_handle_t trace;          /* the trace rings [READ MAP MANAGE] if the manifest
                                 * says trace = yes, else 0 */
    struct ae_vnode_hw hw[AE_VNODE_HW_MAX];
    /* version 2: with pci_ecam = yes, the PCI Express configuration space
     * regions (the boot info's); hw[] holds a devmem handle for each
     * (AE_VNODE_HW_PCI_ECAM) */
    uint32_t necam;
    uint32_t pci_device;        /* version 3: its manifest's pci_device (vendor << 16 |
                                 * device; 0: none), what it may PCI_CLAIM */
    struct ae_pci_ecam ecam[AE_PCI_ECAM_MAX];
};
_Static_assert(sizeof(struct ae_vnode_info) == 456 + 8 + 16 * AE_PCI_ECAM_MAX, "ABI");

#endif
