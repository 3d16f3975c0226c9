/*
 * ACPI poweroff and reset from user space (see acpi_power.h). The register
 * sequence follows ACPICA's acpi_hw_legacy_sleep: SLP_TYP first, then
 * SLP_TYP with SLP_EN, each written to PM1a and PM1b, other bits of the
 * control registers kept.
 */
#include "acpi_power.h"
#include "common/portio.h"

#define PM1_SCI_EN       (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN       (1u << 13)
#define ACPI_MODE_WAIT_NS 1000000000ull     /* firmware's SMI handler */

/* Writes the sleep type (and SLP_EN when en) to one PM1 control block. */
static void pm1_write(uint16_t port, uint16_t slp_typ, int en)
{
    uint16_t v = inw(port) & (uint16_t)~(PM1_SLP_TYP_MASK | PM1_SLP_EN);

    v |= (uint16_t)(slp_typ << PM1_SLP_TYP_SHIFT);
    if (en)
        v |= PM1_SLP_EN;
    outw(port, v);
}

/* Sleeps in 10 ms steps until deadline, or until cond(port) holds when
 * cond is not NULL. */
static int wait_until(uint64_t ns, int (*cond)(uint16_t), uint16_t port)
{
    uint64_t deadline = (uint64_t)ae_clock_get() + ns;

    while ((uint64_t)ae_clock_get() < deadline) {
        if (cond && cond(port))
            return AE_OK;
        ae_sleep_until((uint64_t)ae_clock_get() + 10000000);
    }
    return AE_ERR_TIMEOUT;
}

static int sci_enabled(uint16_t pm1a)
{
    return inw(pm1a) & PM1_SCI_EN;
}

/* Legacy firmware starts in SMM mode; writing acpi_enable to the SMI
 * command port hands the registers to the OS (ACPI 6.5, 4.8.2.1). */
static int enter_acpi_mode(const struct ae_acpi_power *acpi, ae_handle_t ioports)
{
    int64_t err;

    if (sci_enabled(acpi->pm1a_cnt) || acpi->smi_cmd == 0 || acpi->acpi_enable == 0)
        return AE_OK;
    err = ae_ioport_enable(ioports, acpi->smi_cmd, 1);
    if (err)
        return (int)err;
    outb(acpi->smi_cmd, acpi->acpi_enable);
    /* Not fatal when it does not take: the sleep write may still work. */
    wait_until(ACPI_MODE_WAIT_NS, sci_enabled, acpi->pm1a_cnt);
    return AE_OK;
}

int ae_acpi_poweroff(const struct ae_acpi_power *acpi, ae_handle_t ioports)
{
    int64_t err;

    if (!(acpi->flags & AE_ACPI_POWER_FADT) || acpi->pm1a_cnt == 0 ||
        acpi->slp_typ_a > 7 || (acpi->pm1b_cnt && acpi->slp_typ_b > 7))
        return AE_ERR_UNSUPPORTED;
    err = ae_ioport_enable(ioports, acpi->pm1a_cnt, 2);
    if (!err && acpi->pm1b_cnt)
        err = ae_ioport_enable(ioports, acpi->pm1b_cnt, 2);
    if (!err)
        err = enter_acpi_mode(acpi, ioports);
    if (err)
        return (int)err;
    for (int en = 0; en <= 1; en++) {
        pm1_write(acpi->pm1a_cnt, acpi->slp_typ_a, en);
        if (acpi->pm1b_cnt)
            pm1_write(acpi->pm1b_cnt, acpi->slp_typ_b, en);
    }
    return wait_until(AE_ACPI_POWER_WAIT_NS, NULL, 0);
}

int ae_acpi_reboot(const struct ae_acpi_power *acpi, ae_handle_t ioports)
{
    int64_t err;

    if (acpi->reset_space != AE_ACPI_SPACE_IO || acpi->reset_addr == 0 ||
        acpi->reset_addr > 0xffff)
        return AE_ERR_UNSUPPORTED;
    err = ae_ioport_enable(ioports, (uint32_t)acpi->reset_addr, 1);
    if (err)
        return (int)err;
    outb((uint16_t)acpi->reset_addr, acpi->reset_value);
    return wait_until(AE_ACPI_POWER_WAIT_NS, NULL, 0);
}
