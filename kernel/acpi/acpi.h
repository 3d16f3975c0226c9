/*
 * ACPI at boot: find the RSDP (multiboot2 tag, else the BIOS areas), parse
 * the MADT once, keep the result for the interrupt and SMP code; read the
 * FADT and \_S5 once for init's boot info.
 */
#ifndef KERNEL_ACPI_ACPI_H
#define KERNEL_ACPI_ACPI_H

#include "acpi/acpi_mcfg.h"
#include "acpi/acpi_tables.h"
#include "aether/bootinfo.h"

struct boot_info;

/* AE_OK, or an error when there is no usable RSDP or MADT (the kernel then
 * runs on the boot CPU alone with the LAPIC at its architectural address). */
int acpi_init(const struct boot_info *bi);
const struct madt_info *acpi_madt(void);
/* Power-off and reset data for init's boot info (fields unknown when the
 * tables lack them). */
const struct ae_acpi_power *acpi_power(void);
/* The PCI Express ECAM regions of the MCFG (*n of them; 0 when it has
 * none or is unusable). */
const struct ae_pci_ecam *acpi_pci_ecam(unsigned *n);
/* The root bus's INTx routes from the _PRT (0 when unreadable). */
const struct ae_pci_route *acpi_pci_routes(unsigned *n);
/* Hex dump of the RSDP, the root table, every table it lists and the DSDT
 * on the console (boot option `acpidump`), in acpidump's text format: how
 * the unit tests' captured tables are made. */
void acpi_dump(void);

#endif
