/*
 * MCFG (PCI Firmware Specification 3.x, "MCFG table"): the 36-byte SDT
 * header, 8 reserved bytes, then 16-byte entries: base address (8),
 * segment group (2), start bus (1), end bus (1), reserved (4).
 */
#include "acpi/acpi_mcfg.h"
#include "acpi/acpi_bytes.h"
#include "acpi/acpi_tables.h"
#include "aether/errors.h"

#define MCFG_ENTRIES 44u
#define MCFG_ENTRY 16u

int acpi_parse_mcfg(const void *table, size_t len, struct ae_pci_ecam *out, unsigned max,
                    unsigned *n, unsigned *total)
{
    const uint8_t *t = table;
    uint32_t length;
    unsigned count, kept = 0;
    int err;

    *n = 0;
    *total = 0;
    err = acpi_check_table(table, len, "MCFG", MCFG_ENTRIES, &length);
    if (err)
        return err;
    if ((length - MCFG_ENTRIES) % MCFG_ENTRY)
        return AE_ERR_CORRUPT;
    count = (length - MCFG_ENTRIES) / MCFG_ENTRY;
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *e = t + MCFG_ENTRIES + i * MCFG_ENTRY;
        struct ae_pci_ecam r = {
            .base = rd64(e), .segment = rd16(e + 8), .bus_first = e[10], .bus_last = e[11],
        };
        uint64_t end = r.base + ((uint64_t)r.bus_last + 1) * AE_PCI_ECAM_BUS_BYTES;

        if (r.bus_last < r.bus_first || (r.base & (AE_PCI_ECAM_BUS_BYTES - 1)) ||
            end <= r.base || r.base == 0)
            return AE_ERR_CORRUPT;
        if (kept < max)
            out[kept++] = r;
    }
    *n = kept;
    *total = count;
    return AE_OK;
}
