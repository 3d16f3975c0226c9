/*
 * The MCFG table: PCI Express ECAM regions. Pure, like the other table
 * parsers (acpi_tables.h): every length is checked before it is used.
 */
#ifndef KERNEL_ACPI_ACPI_MCFG_H
#define KERNEL_ACPI_ACPI_MCFG_H

#include <stddef.h>

#include "aether/pci.h"

/* Parses a mapped MCFG of len bytes into out (at most max regions, in
 * table order) and sets *n. A region whose bus range is reversed or whose
 * base is not 1 MiB-aligned, or that would wrap the address space, is
 * refused: the table is then corrupt. AE_OK (also with no region),
 * AE_ERR_INVAL (not an MCFG, len too short or below its length field),
 * AE_ERR_CORRUPT (checksum, length field not 44 + 16 k, a bad region).
 * Regions past max are counted in *n only up to max; *total gets them
 * all. */
int acpi_parse_mcfg(const void *table, size_t len, struct ae_pci_ecam *out, unsigned max,
                    unsigned *n, unsigned *total);

#endif
