/*
 * ACPI power data for init (contract in acpi_power.h): the one place that
 * turns the FADT and DSDT into the boot-info ABI.
 */
#include <stddef.h>
#include <stdint.h>

#include "acpi/acpi_power.h"
#include "acpi/aml_sleep.h"
#include "lib/string.h"
#include "aether/errors.h"

#define SDT_HDR_LEN 36u

void acpi_power_unknown(struct ae_acpi_power *out)
{
    memset(out, 0, sizeof *out);
    out->slp_typ_a = AE_ACPI_SLP_TYP_UNKNOWN;
    out->slp_typ_b = AE_ACPI_SLP_TYP_UNKNOWN;
    out->reset_space = AE_ACPI_SPACE_NONE;
}

/* An I/O register user space can reach with in/out, else 0. */
static uint16_t io_port(const struct acpi_gas *g)
{
    if (g->space != ACPI_SPACE_IO || g->address > 0xffff)
        return 0;
    return (uint16_t)g->address;
}

void acpi_power_from_fadt(const struct acpi_fadt_info *f, struct ae_acpi_power *out)
{
    out->flags |= AE_ACPI_POWER_FADT;
    if (f->flags & FADT_HW_REDUCED)
        out->flags |= AE_ACPI_POWER_HW_REDUCED;
    out->pm1a_cnt = io_port(&f->pm1a_cnt);
    out->pm1b_cnt = io_port(&f->pm1b_cnt);
    if (f->smi_cmd <= 0xffff) {
        out->smi_cmd = (uint16_t)f->smi_cmd;
        out->acpi_enable = f->acpi_enable;
    }
    if (f->reset_supported && f->reset_reg.address &&
        f->reset_reg.space <= ACPI_SPACE_PCI_CONFIG) {
        out->reset_space = f->reset_reg.space;
        out->reset_addr = f->reset_reg.address;
        out->reset_value = f->reset_value;
        out->reset_width = f->reset_reg.bit_width;
    }
}

static int fail(const char **stage, const char *what, int err)
{
    if (stage)
        *stage = what;
    return err;
}

int acpi_power_read(const struct acpi_rsdp_info *rsdp, acpi_map_fn map,
                    void *ctx, struct ae_acpi_power *out, const char **stage)
{
    const struct acpi_sdt_header *t;
    struct acpi_fadt_info fadt;
    uint64_t phys;
    uint8_t a, b;
    int err;

    if (stage)
        *stage = NULL;
    if (!out)
        return AE_ERR_INVAL;
    acpi_power_unknown(out);
    err = acpi_find_table(rsdp, "FACP", 0, map, ctx, &t, &phys);
    if (!err)
        err = acpi_parse_fadt(t, t->length, &fadt);
    if (err)
        return fail(stage, "FADT", err);
    acpi_power_from_fadt(&fadt, out);
    /* The FADT's mapping is gone after this map call; fadt is a copy. */
    err = acpi_map_table(fadt.dsdt_phys, "DSDT", map, ctx, &t);
    if (err)
        return fail(stage, "DSDT", err);
    err = aml_sleep_type((const uint8_t *)t + SDT_HDR_LEN,
                         t->length - SDT_HDR_LEN, 5, &a, &b);
    if (err)
        return fail(stage, "\\_S5", err);
    out->slp_typ_a = a;
    out->slp_typ_b = b;
    return AE_OK;
}
