/*
 * FADT parser (contract in acpi_fadt.h). Offsets are those of ACPI 6.5,
 * 5.2.9; every revision only appended fields, so a field exists exactly
 * when the table's length covers it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "acpi/acpi_fadt.h"
#include "acpi/acpi_tables.h"
#include "acpi/acpi_bytes.h"
#include "lib/string.h"
#include "aether/errors.h"

enum {
    FADT_DSDT = 40,             /* u32 */
    FADT_SCI_INT = 46,          /* u16 */
    FADT_SMI_CMD = 48,          /* u32 */
    FADT_ACPI_ENABLE = 52,      /* u8 */
    FADT_PM1A_CNT_BLK = 64,     /* u32 port */
    FADT_PM1B_CNT_BLK = 68,     /* u32 port */
    FADT_PM1_CNT_LEN = 89,      /* u8 bytes */
    FADT_FLAGS = 112,           /* u32 */
    FADT_RESET_REG = 116,       /* GAS */
    FADT_RESET_VALUE = 128,     /* u8 */
    FADT_X_DSDT = 140,          /* u64 */
    FADT_X_PM1A_CNT_BLK = 172,  /* GAS */
    FADT_X_PM1B_CNT_BLK = 184,  /* GAS */
};
#define GAS_LEN 12u

/* True when the length-byte table holds the field [off, off + size). */
static bool has(uint32_t length, size_t off, size_t size)
{
    return off <= length && size <= length - off;
}

static void read_gas(const uint8_t *p, struct acpi_gas *g)
{
    g->space = p[0];
    g->bit_width = p[1];
    g->bit_offset = p[2];
    g->access_size = p[3];
    g->address = rd64(p + 4);
}

/* A PM1x control block: the extended GAS wins when present and non-zero
 * (the 32-bit field is then to be ignored, ACPI 6.5 5.2.9), else the
 * legacy port, an I/O register PM1_CNT_LEN bytes wide. */
static void pm1_cnt(const uint8_t *p, uint32_t length, size_t x_off,
                    size_t port_off, struct acpi_gas *g)
{
    memset(g, 0, sizeof *g);
    if (has(length, x_off, GAS_LEN)) {
        read_gas(p + x_off, g);
        if (g->address)
            return;
    }
    memset(g, 0, sizeof *g);
    g->address = rd32(p + port_off);
    if (g->address) {
        g->space = ACPI_SPACE_IO;
        g->bit_width = (uint8_t)(p[FADT_PM1_CNT_LEN] * 8);
    }
}

int acpi_parse_fadt(const void *fadt, size_t len, struct acpi_fadt_info *out)
{
    const uint8_t *p = fadt;
    uint32_t length;

    int err;

    if (!p || !out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof *out);
    err = acpi_check_table(p, len, "FACP", FADT_MIN_LEN, &length);
    if (err)
        return err;

    out->revision = p[8];
    out->flags = rd32(p + FADT_FLAGS);
    out->sci_int = rd16(p + FADT_SCI_INT);
    out->smi_cmd = rd32(p + FADT_SMI_CMD);
    out->acpi_enable = p[FADT_ACPI_ENABLE];
    out->dsdt_phys = rd32(p + FADT_DSDT);
    if (has(length, FADT_X_DSDT, 8) && rd64(p + FADT_X_DSDT))
        out->dsdt_phys = rd64(p + FADT_X_DSDT);
    pm1_cnt(p, length, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK, &out->pm1a_cnt);
    pm1_cnt(p, length, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK, &out->pm1b_cnt);
    if ((out->flags & FADT_RESET_REG_SUP) && has(length, FADT_RESET_VALUE, 1)) {
        out->reset_supported = true;
        read_gas(p + FADT_RESET_REG, &out->reset_reg);
        out->reset_value = p[FADT_RESET_VALUE];
    }
    return AE_OK;
}
