/*
 * Powering off and resetting the machine through ACPI, with the data the
 * kernel read from the firmware's tables (struct ae_acpi_power, in init's
 * boot info: bi->acpi) and an I/O-port handle [WRITE] covering the ports
 * named there (init's bi->ioports, or a sub-range cut for a power service).
 * No AML interpreter: only the fixed registers the FADT names.
 *
 *     ae_acpi_poweroff(&bi->acpi, bi->ioports);    returns only on failure
 */
#ifndef USER_LIB_ACPI_POWER_H
#define USER_LIB_ACPI_POWER_H

#include "aether.h"

/* How long each call waits for the machine to go before giving up. */
#define AE_ACPI_POWER_WAIT_NS 5000000000ull

/* Enters S5 (soft off): if PM1a_CNT's SCI_EN is clear and there is an SMI
 * command port, enters ACPI mode first; writes SLP_TYP (\_S5's values) to
 * PM1a_CNT and PM1b_CNT, then SLP_TYP | SLP_EN, as ACPICA does. Returns
 * only when that failed: AE_ERR_UNSUPPORTED (no FADT, no PM1a_CNT I/O
 * port, or \_S5 unknown), the error of ae_ioport_enable (RANGE: the handle
 * does not cover the ports; ACCESS: no WRITE right), or AE_ERR_TIMEOUT
 * (the machine was still running AE_ACPI_POWER_WAIT_NS later). */
int ae_acpi_poweroff(const struct ae_acpi_power *acpi, ae_handle_t ioports);

/* Resets the machine through the FADT's reset register: writes
 * reset_value to it. Returns only when that failed: AE_ERR_UNSUPPORTED
 * (no reset register, or one outside the system I/O space), the error of
 * ae_ioport_enable, or AE_ERR_TIMEOUT. */
int ae_acpi_reboot(const struct ae_acpi_power *acpi, ae_handle_t ioports);

#endif
