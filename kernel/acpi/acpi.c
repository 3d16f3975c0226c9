/*
 * Kernel side of ACPI: the map callback reads tables through the direct map,
 * but only where the page tables say memory is mapped, so a bogus pointer in
 * a firmware table becomes AE_ERR_FAULT instead of a kernel page fault.
 */
#include "acpi/acpi.h"
#include "arch/x86_64/paging.h"
#include "boot/multiboot2.h"
#include "mm/layout.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "arch/x86_64/serial.h"
#include "log.h"

#define DEFAULT_LAPIC 0xfee00000ull

static struct madt_info madt;
static struct acpi_rsdp_info rsdp;
static const struct acpi_sdt_header *madt_table;
static const void *rsdp_ptr;
static size_t rsdp_len;

static const void *direct_map(uint64_t phys, size_t len, void *ctx)
{
    uint64_t end;

    if (len == 0 || __builtin_add_overflow(phys, len - 1, &end))
        return NULL;
    for (uint64_t p = phys & ~0xfffull; p <= end; p += 4096) {
        if (!paging_translate(DIRECT_MAP_BASE + p, 0, 0))
            return NULL;
    }
    return phys_to_virt(phys);
}

/* The ACPI spec's fallback: RSDP on a 16-byte boundary in the first KiB of
 * the EBDA or in 0xe0000-0xfffff. */
static const void *scan_bios_areas(void)
{
    const uint16_t *ebda_seg = phys_to_virt(0x40e);
    uint64_t areas[2][2] = {{(uint64_t)*ebda_seg << 4, 0}, {0xe0000, 0x100000}};
    areas[0][1] = areas[0][0] + 1024;

    for (int a = 0; a < 2; a++) {
        if (areas[a][0] < 0x400 || areas[a][1] > 0x100000)
            continue;
        for (uint64_t p = areas[a][0]; p + 36 <= areas[a][1]; p += 16) {
            struct acpi_rsdp_info tmp;
            if (acpi_parse_rsdp(phys_to_virt(p), 36, &tmp) == AE_OK ||
                acpi_parse_rsdp(phys_to_virt(p), 20, &tmp) == AE_OK)
                return phys_to_virt(p);
        }
    }
    return NULL;
}

static void madt_defaults(void)
{
    memset(&madt, 0, sizeof(madt));
    madt.lapic_phys = DEFAULT_LAPIC;
}

int acpi_init(const struct boot_info *bi)
{
    uint64_t phys;
    int err;

    madt_defaults();
    rsdp_ptr = bi->rsdp_len ? bi->rsdp : scan_bios_areas();
    rsdp_len = bi->rsdp_len ? bi->rsdp_len : 36;
    if (!rsdp_ptr) {
        log_err("acpi: no RSDP (neither from the boot loader nor in BIOS memory)");
        return AE_ERR_NOTFOUND;
    }
    /* Like ACPICA, a bad extended checksum rejects the RSDP outright. */
    err = acpi_parse_rsdp(rsdp_ptr, rsdp_len, &rsdp);
    if (err) {
        log_err("acpi: RSDP rejected (error %d)", err);
        return err;
    }
    log_info("acpi: RSDP rev %u, OEM \"%s\", %s at %#lx", rsdp.revision,
             rsdp.oem_id, rsdp.use_xsdt ? "XSDT" : "RSDT",
             (unsigned long)rsdp.root_phys);
    err = acpi_find_table(&rsdp, "APIC", 0, direct_map, NULL, &madt_table, &phys);
    if (!err)
        err = acpi_parse_madt(madt_table, madt_table->length, &madt);
    if (err) {
        log_err("acpi: no valid MADT (error %d); single CPU", err);
        madt_defaults();
        return err;
    }
    log_info("acpi: MADT: %u CPU entries, %u I/O APICs, %u overrides, LAPIC at %#lx%s",
             madt.ncpus, madt.nioapics, madt.nisos, (unsigned long)madt.lapic_phys,
             madt.flags & 1 ? ", legacy PICs present" : "");
    return AE_OK;
}

const struct madt_info *acpi_madt(void)
{
    return &madt;
}

static void emit(char c, void *ctx)
{
    serial_write(&c, 1);
}

void acpi_dump(void)
{
    if (rsdp_ptr) {
        log_info("acpidump: RSDP (%zu bytes)", rsdp_len);
        ae_hexdump(emit, NULL, rsdp_ptr, rsdp_len);
    }
    if (madt_table) {
        log_info("acpidump: MADT (%u bytes)", madt_table->length);
        ae_hexdump(emit, NULL, madt_table, madt_table->length);
    }
    log_info("acpidump: end");
}
