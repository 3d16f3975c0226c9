/*
 * PCI interrupt routing (the root bus's _PRT) from the DSDT without an AML
 * interpreter. A _PRT is a package of packages
 *     Package () { 0xSSSSFFFF, pin, Source, SourceIndex }
 * (ACPI 6.5, 6.2.13): device S's INTx pin (0 = INTA) arrives on GSI
 * SourceIndex when Source is Zero, else on the GSI that the interrupt link
 * device named Source has in its _CRS. Firmware often has two tables, for
 * PIC and for APIC mode, and a _PRT method picking one; here every
 * package in the AML that decodes as such a table is a candidate, and the
 * first whose every entry resolves to a GSI without running a method (a
 * direct GSI, or a link whose _CRS is a Name of a constant buffer with an
 * Interrupt or IRQ descriptor) is the answer. In QEMU's q35 that is the
 * APIC table (links GSIA-GSIH: GSIs 16-23); the PIC table's links compute
 * their _CRS in methods and are passed over. Pure: only (aml, len) is read.
 */
#ifndef KERNEL_ACPI_AML_PRT_H
#define KERNEL_ACPI_AML_PRT_H

#include <stddef.h>
#include <stdint.h>

#include "aether/bootinfo.h"

/* Fills out[0..max) with the first resolvable routing table's entries in
 * len bytes of AML (a definition block after its header); returns how
 * many (an entry past max is left out). AE_ERR_NOTFOUND when no table
 * resolves; AE_ERR_INVAL for a NULL argument. */
int aml_pci_routes(const void *aml, size_t len, struct ae_pci_route *out, unsigned max);

#endif
