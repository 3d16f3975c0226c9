/*
 * What the kernel hands init: a read-only page at AE_BOOTINFO_VA (its
 * address also arrives in init's first argument register) naming the root
 * handles. Nothing else in the system holds authority except through
 * handles init passes on.
 */
#ifndef AETHER_BOOTINFO_H
#define AETHER_BOOTINFO_H

#include <stdint.h>

#include "aether/types.h"

#define AE_BOOTINFO_MAGIC 0x4945544845524241ull     /* "ABREHTEI" */
#define AE_BOOTINFO_VERSION 1
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
    uint32_t isa_irq_gsi[16];   /* the GSI each ISA IRQ arrives on (firmware
                                 * overrides applied): IRQ handles count GSIs */
};
_Static_assert(sizeof(struct ae_bootinfo) == 40 + 8 * 64 + 16 + 256 + 64, "ABI");

#endif
