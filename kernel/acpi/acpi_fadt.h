/*
 * The FADT ("FACP"): where the power-management registers are, the DSDT's
 * address and the reset register. Pure, like acpi_tables.c: the table is
 * passed in already mapped, every field is read only when the table's own
 * length covers it (fields past the length read as absent, as ACPICA
 * does for short, older FADTs), and a malformed table gives an error.
 */
#ifndef KERNEL_ACPI_ACPI_FADT_H
#define KERNEL_ACPI_ACPI_FADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generic address structure address space ids (ACPI 6.5, 5.2.3.2). */
#define ACPI_SPACE_MEMORY     0
#define ACPI_SPACE_IO         1
#define ACPI_SPACE_PCI_CONFIG 2

struct acpi_gas {
    uint8_t space;              /* ACPI_SPACE_* */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;        /* 0 undefined, 1 byte .. 4 qword */
    uint64_t address;           /* 0: the register is not implemented */
};

/* FADT flags used here. */
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED    (1u << 20)

struct acpi_fadt_info {
    uint8_t revision;
    uint32_t flags;
    uint64_t dsdt_phys;         /* X_DSDT when present and non-zero, else DSDT */
    uint16_t sci_int;
    uint32_t smi_cmd;           /* 0: no SMI command port (ACPI mode fixed) */
    uint8_t acpi_enable;        /* written to smi_cmd to enter ACPI mode */
    /* The X_ block when present with a non-zero address, else the 32-bit
     * port as an I/O register PM1_CNT_LEN bytes wide; address 0 = none. */
    struct acpi_gas pm1a_cnt;
    struct acpi_gas pm1b_cnt;
    bool reset_supported;       /* RESET_REG_SUP and the fields are present */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
};

/* The smallest FADT accepted: ACPI 1.0's, up to and including Flags. */
#define FADT_MIN_LEN 116u

/* Parses a FADT of len bytes, already mapped.
 * AE_OK, AE_ERR_INVAL (NULL argument, signature not "FACP", len below
 * FADT_MIN_LEN or its length field), AE_ERR_CORRUPT (checksum, length
 * field below FADT_MIN_LEN). *out is zeroed on error. */
int acpi_parse_fadt(const void *fadt, size_t len, struct acpi_fadt_info *out);

#endif
