/*
 * The AML encodings the DSDT byte scans (aml_sleep.c, aml_prt.c) decode:
 * PkgLength and integer constants (ACPI 6.5, 20.2). Pure.
 */
#ifndef KERNEL_ACPI_AML_BYTES_H
#define KERNEL_ACPI_AML_BYTES_H

#include <stddef.h>
#include <stdint.h>

enum {
    AML_ZERO = 0x00, AML_ONE = 0x01, AML_NAME = 0x08, AML_BYTE = 0x0A,
    AML_WORD = 0x0B, AML_DWORD = 0x0C, AML_QWORD = 0x0E, AML_BUFFER = 0x11,
    AML_PACKAGE = 0x12, AML_DUAL_NAME = 0x2E, AML_MULTI_NAME = 0x2F,
    AML_EXT = 0x5B, AML_ROOT = 0x5C, AML_PARENT = 0x5E, AML_ONES = 0xFF,
    AML_EXT_DEVICE = 0x82,
};

/* The PkgLength at p[0] (avail bytes readable there): its value (which
 * counts its own bytes) in *value, its size in *size. AE_ERR_CORRUPT when
 * it runs past avail or sets bits it must not. */
int aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *value, size_t *size);

/* The integer constant at p[*off] (Zero, One, Ones or a Byte/Word/DWord/
 * QWord prefix and its value) within [0, end): *v, and *off past it.
 * AE_ERR_UNSUPPORTED for anything else, AE_ERR_CORRUPT when cut off. */
int aml_read_const(const uint8_t *p, size_t end, size_t *off, uint64_t *v);

#endif
