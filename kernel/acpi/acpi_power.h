/*
 * The ACPI power data handed to init (struct ae_acpi_power in
 * include/aether/bootinfo.h): the FADT's PM1 control ports, SMI command
 * and reset register, and \_S5's sleep types from the DSDT. Pure: tables
 * are reached through the caller's map function, as in acpi_tables.h.
 */
#ifndef KERNEL_ACPI_ACPI_POWER_H
#define KERNEL_ACPI_ACPI_POWER_H

#include "acpi/acpi_fadt.h"
#include "acpi/acpi_tables.h"
#include "aether/bootinfo.h"

/* out with nothing known: no ports, unknown sleep types, no reset. */
void acpi_power_unknown(struct ae_acpi_power *out);

/* The FADT's part of out (flags, ports, reset register); ports that are
 * not I/O ports below 0x10000 read as 0 (none). */
void acpi_power_from_fadt(const struct acpi_fadt_info *f, struct ae_acpi_power *out);

/* Finds the FADT through the root table, then the DSDT it names and \_S5
 * in it, and fills out with everything found. AE_OK when all of it was;
 * else the first error (out keeps what was found before it, the rest
 * unknown) and *stage, when stage is not NULL, names the step that failed:
 * "FADT", "DSDT" or "\_S5". Errors are those of acpi_find_table and
 * acpi_parse_fadt (FADT), acpi_map_table (DSDT), aml_sleep_type (\_S5). */
int acpi_power_read(const struct acpi_rsdp_info *rsdp, acpi_map_fn map,
                    void *ctx, struct ae_acpi_power *out, const char **stage);

#endif
