/*
 * What the kernel hands init: a read-only page at AE_BOOTINFO_VA (its
 * address also arrives in init's first argument register) naming the root
 * handles. Nothing else in the system holds authority except through
 * handles init passes on.
 */
#ifndef AETHER_BOOTINFO_H
#define AETHER_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#include "aether/pci.h"
#include "aether/types.h"

#define AE_BOOTINFO_MAGIC 0x4945544845524241ull     /* "ABREHTEI" */
#define AE_BOOTINFO_VERSION 6          /* 2: log handle, ACPI power data; 3: trace;
                                        * 4: PCI Express ECAM regions; 5: MSI lines;
                                        * 6: PCI interrupt routing */
#define AE_BOOTINFO_VA 0x00007ff000000000ull
#define AE_STACK_TOP 0x00007fff00000000ull          /* init's first stack */
#define AE_STACK_SIZE (256 * 1024ull)
#define AE_BOOT_MODULES_MAX 8

struct ae_boot_module {
    ae_handle_t vmo;            /* read-only memory object [READ MAP GRANT DERIVE] */
    uint32_t reserved;
    uint64_t size;              /* bytes of the module */
    char name[48];
};
_Static_assert(sizeof(struct ae_boot_module) == 64, "ABI");

/*
 * What the firmware's ACPI tables say about powering off and resetting,
 * read by the kernel at boot (FADT and the DSDT's \_S5 package) so that
 * init, which holds every I/O port, can do it without an AML interpreter:
 *   poweroff: outw(pm1a_cnt, slp_typ_a << 10 | 1 << 13) (SLP_TYP | SLP_EN),
 *             the same with slp_typ_b on pm1b_cnt when it is not 0;
 *   reset:    write reset_value to reset_addr in reset_space.
 * If PM1a_CNT's SCI_EN bit (0) is clear, the machine is not in ACPI mode
 * yet: writing acpi_enable to the smi_cmd port first switches it.
 */
#define AE_ACPI_POWER_FADT       (1u << 0)  /* a valid FADT was found */
#define AE_ACPI_POWER_HW_REDUCED (1u << 1)  /* hardware-reduced ACPI: no PM1 blocks */
#define AE_ACPI_SLP_TYP_UNKNOWN  0xffffu    /* \_S5 not found or not readable */
#define AE_ACPI_SPACE_MEMORY     0u         /* generic address space ids */
#define AE_ACPI_SPACE_IO         1u
#define AE_ACPI_SPACE_PCI_CONFIG 2u
#define AE_ACPI_SPACE_NONE       0xffu      /* no reset register */

struct ae_acpi_power {
    uint32_t flags;             /* AE_ACPI_POWER_* */
    uint16_t pm1a_cnt;          /* I/O port of PM1a_CNT; 0 = none */
    uint16_t pm1b_cnt;          /* I/O port of PM1b_CNT; 0 = none */
    uint16_t slp_typ_a;         /* \_S5 SLP_TYPa (0-7) or AE_ACPI_SLP_TYP_UNKNOWN */
    uint16_t slp_typ_b;         /* \_S5 SLP_TYPb (0-7) or AE_ACPI_SLP_TYP_UNKNOWN */
    uint16_t smi_cmd;           /* SMI command port; 0 = none (ACPI mode is fixed) */
    uint8_t acpi_enable;        /* value for smi_cmd that enters ACPI mode */
    uint8_t reset_space;        /* AE_ACPI_SPACE_* of the reset register */
    uint64_t reset_addr;        /* port, physical address or PCI config address */
    uint8_t reset_value;        /* what to write there */
    uint8_t reset_width;        /* register width in bits (8 in practice) */
    uint8_t reserved[6];
};
_Static_assert(sizeof(struct ae_acpi_power) == 32, "ABI");
_Static_assert(offsetof(struct ae_acpi_power, reset_addr) == 16, "ABI");

/*
 * Where a legacy PCI interrupt (INTx) of a device on the first bus of
 * segment 0 arrives, from the ACPI _PRT (kernel/acpi/aml_prt.c): pin
 * (0 = INTA) of device dev is GSI gsi, with the polarity and trigger of
 * inti_flags (MPS INTI bits, as IRQ handles take them).
 */
#define AE_PCI_ROUTES_MAX 128

struct ae_pci_route {
    uint8_t dev;                /* 0-31 */
    uint8_t pin;                /* 0-3: INTA-INTD */
    uint16_t inti_flags;
    uint32_t gsi;
};
_Static_assert(sizeof(struct ae_pci_route) == 8, "ABI");

struct ae_bootinfo {
    uint64_t magic;
    uint32_t version;
    uint32_t ncpus;
    ae_handle_t self;           /* init's own process [all rights] */
    ae_handle_t fault_ep;       /* an endpoint for children's faults */
    ae_handle_t irq;            /* every IRQ line (GSIs) [all rights] */
    ae_handle_t ioports;        /* every I/O port 0-0xffff [all rights] */
    ae_handle_t devmem;         /* all physical pages outside RAM [all rights] */
    uint32_t nmodules;
    struct ae_boot_module modules[AE_BOOT_MODULES_MAX];
    uint64_t quota_pages;       /* init's memory quota */
    uint64_t tsc_hz;
    char cmdline[256];
    /* version 2 */
    ae_handle_t log;            /* the kernel log [READ DERIVE GRANT] (log_read) */
    /* version 3 (was a reserved 0 word before) */
    ae_handle_t trace;          /* the trace rings [READ WRITE MAP MANAGE DERIVE GRANT]
                                 * (trace_map, trace_ctl, trace_emit) */
    struct ae_acpi_power acpi;
    uint32_t isa_irq_gsi[16];   /* the GSI each ISA IRQ arrives on (firmware
                                 * overrides applied): IRQ handles count GSIs */
    /* version 4: PCI Express configuration space (ACPI MCFG); the pages
     * are in devmem's range */
    uint32_t necam;             /* regions below: 0 when the firmware has none */
    uint32_t reserved4;
    struct ae_pci_ecam ecam[AE_PCI_ECAM_MAX];
    /* version 5 */
    ae_handle_t msi;            /* every MSI line: AE_IRQ_MSI_BASE .. + AE_IRQ_MSI_COUNT
                                 * [all rights] */
    uint32_t reserved5;
    /* version 6: 0 routes when the firmware's _PRT cannot be read without
     * running AML (then a driver has MSI or MSI-X only) */
    uint32_t npci_routes;
    uint32_t reserved6;
    struct ae_pci_route pci_routes[AE_PCI_ROUTES_MAX];
};
_Static_assert(sizeof(struct ae_bootinfo) ==
               40 + 8 * 64 + 16 + 256 + 8 + 32 + 64 + 8 + 16 * AE_PCI_ECAM_MAX + 8 + 8 +
               8 * AE_PCI_ROUTES_MAX, "ABI");
_Static_assert(sizeof(struct ae_bootinfo) <= 4096, "one page");
_Static_assert(offsetof(struct ae_bootinfo, log) == 824, "ABI");
_Static_assert(offsetof(struct ae_bootinfo, trace) == 828, "ABI");
_Static_assert(offsetof(struct ae_bootinfo, acpi) == 832, "ABI");

#endif
