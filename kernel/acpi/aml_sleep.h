/*
 * Sleep-state values from the DSDT without an AML interpreter: \_Sx is,
 * in every firmware that matters, a named package of integer constants
 *     Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
 * which encodes as NameOp 0x08, ['\' 0x5C,] "_S5_", PackageOp 0x12,
 * PkgLength, NumElements, then per element ZeroOp 0x00, OneOp 0x01,
 * OnesOp 0xFF, or BytePrefix 0x0A / WordPrefix 0x0B / DWordPrefix 0x0C /
 * QWordPrefix 0x0E and the value. Pure: only the (aml, len) bytes given
 * are ever read.
 */
#ifndef KERNEL_ACPI_AML_SLEEP_H
#define KERNEL_ACPI_AML_SLEEP_H

#include <stddef.h>
#include <stdint.h>

/* Finds Name(_Sx, Package) for state x (0-5) in len bytes of AML (a
 * definition block's body: the DSDT after its 36-byte header) and reads
 * SLP_TYPa and SLP_TYPb: elements 0 and 1, or, for a one-element package,
 * the low and next byte of its only element (as ACPICA reads it). The
 * first well-formed definition wins.
 * AE_OK; AE_ERR_NOTFOUND (no such name followed by a package);
 * AE_ERR_CORRUPT (every candidate malformed: PkgLength past the AML or too
 * small for what it must hold, no elements, an element cut off by the
 * package's end); AE_ERR_UNSUPPORTED (an element that is not an integer
 * constant); AE_ERR_RANGE (a value above 7: SLP_TYP is a 3-bit field);
 * AE_ERR_INVAL (NULL argument, state > 5). The error reported is the
 * first candidate's. *a and *b are set only on success. */
int aml_sleep_type(const void *aml, size_t len, unsigned state,
                   uint8_t *slp_typ_a, uint8_t *slp_typ_b);

#endif
