/*
 * ACPI at boot: find the RSDP (multiboot2 tag, else the BIOS areas), parse
 * the MADT once, keep the result for the interrupt and SMP code.
 */
#ifndef KERNEL_ACPI_ACPI_H
#define KERNEL_ACPI_ACPI_H

#include "acpi/acpi_tables.h"

struct boot_info;

/* AE_OK, or an error when there is no usable RSDP or MADT (the kernel then
 * runs on the boot CPU alone with the LAPIC at its architectural address). */
int acpi_init(const struct boot_info *bi);
const struct madt_info *acpi_madt(void);
/* Hex dump of the RSDP, root table and MADT on the console (boot option
 * `acpidump`): how the unit tests' captured blobs were made. */
void acpi_dump(void);

#endif
