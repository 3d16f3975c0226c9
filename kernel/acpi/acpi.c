/*
 * Kernel side of ACPI: the map callback reads tables through the direct map,
 * but only where the page tables say memory is mapped, so a bogus pointer in
 * a firmware table becomes AE_ERR_FAULT instead of a kernel page fault.
 */
#include "acpi/acpi.h"
#include "acpi/acpi_fadt.h"
#include "acpi/acpi_power.h"
#include "acpi/aml_prt.h"
#include "arch/x86_64/paging.h"
#include "boot/multiboot2.h"
#include "mm/layout.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "log.h"

#define DEFAULT_LAPIC 0xfee00000ull

static struct madt_info madt;
static struct acpi_rsdp_info rsdp;
static const struct acpi_sdt_header *madt_table;
static const void *rsdp_ptr;
static size_t rsdp_len;
static uint64_t rsdp_phys;      /* 0: a copy (the boot loader's tag) */
static struct ae_acpi_power power;
static struct ae_pci_ecam ecam[AE_PCI_ECAM_MAX];
static unsigned necam;
static struct ae_pci_route routes[AE_PCI_ROUTES_MAX];
static unsigned nroutes;

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

/* The FADT and \_S5 for init's poweroff and reset; failures only leave
 * fields unknown. */
static void read_power(void)
{
    const char *stage = NULL;
    int err = acpi_power_read(&rsdp, direct_map, NULL, &power, &stage);

    if (err)
        log_warn("acpi: power: %s unusable (error %d)", stage, err);
    log_info("acpi: power: PM1a_CNT %#x, PM1b_CNT %#x, S5 SLP_TYP %#x/%#x, "
             "reset %s %#lx <- %#x", power.pm1a_cnt, power.pm1b_cnt,
             power.slp_typ_a, power.slp_typ_b,
             power.reset_space == AE_ACPI_SPACE_IO ? "port" :
             power.reset_space == AE_ACPI_SPACE_NONE ? "none" : "other",
             (unsigned long)power.reset_addr, power.reset_value);
}

/* PCI Express ECAM regions for init's boot info; none when the firmware
 * has no (valid) MCFG: then there is no PCI Express configuration space. */
static void read_mcfg(void)
{
    const struct acpi_sdt_header *t;
    uint64_t phys;
    unsigned total;
    int err = acpi_find_table(&rsdp, "MCFG", 0, direct_map, NULL, &t, &phys);

    if (err == AE_ERR_NOTFOUND) {
        log_info("acpi: no MCFG: no PCI Express configuration space");
        return;
    }
    if (!err)
        err = acpi_parse_mcfg(t, t->length, ecam, AE_PCI_ECAM_MAX, &necam, &total);
    if (err) {
        necam = 0;
        log_warn("acpi: MCFG unusable (error %d): no PCI Express configuration space", err);
        return;
    }
    for (unsigned i = 0; i < necam; i++)
        log_info("acpi: MCFG: segment %u buses %u-%u at %#lx", ecam[i].segment,
                 ecam[i].bus_first, ecam[i].bus_last, (unsigned long)ecam[i].base);
    if (total > necam)
        log_warn("acpi: MCFG: %u more regions ignored", total - necam);
}

/* The root bus's INTx routing (_PRT) for init's boot info; none when the
 * DSDT's cannot be read without running AML. */
static void read_pci_routes(void)
{
    const struct acpi_sdt_header *t;
    struct acpi_fadt_info fadt;
    uint64_t phys;
    int n = acpi_find_table(&rsdp, "FACP", 0, direct_map, NULL, &t, &phys);

    if (!n)
        n = acpi_parse_fadt(t, t->length, &fadt);
    if (!n)
        n = acpi_map_table(fadt.dsdt_phys, "DSDT", direct_map, NULL, &t);
    if (!n)
        n = t->length > 36 ? aml_pci_routes((const uint8_t *)t + 36, t->length - 36, routes,
                                            AE_PCI_ROUTES_MAX)
                           : AE_ERR_NOTFOUND;
    if (n < 0) {
        log_info("acpi: no PCI routing table readable without AML (error %d): "
                 "no legacy INTx for drivers", n);
        return;
    }
    nroutes = (unsigned)n;
    log_info("acpi: PCI routing: %u device pins on GSIs (_PRT)", nroutes);
}

static int read_madt(void)
{
    uint64_t phys;
    int err = acpi_find_table(&rsdp, "APIC", 0, direct_map, NULL, &madt_table, &phys);

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

int acpi_init(const struct boot_info *bi)
{
    int err;

    madt_defaults();
    acpi_power_unknown(&power);
    rsdp_ptr = bi->rsdp_len ? bi->rsdp : scan_bios_areas();
    rsdp_len = bi->rsdp_len ? bi->rsdp_len : 36;
    rsdp_phys = bi->rsdp_len || !rsdp_ptr ? 0 : virt_to_phys_direct(rsdp_ptr);
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
    err = read_madt();
    read_power();
    read_mcfg();
    read_pci_routes();
    return err;
}

const struct madt_info *acpi_madt(void)
{
    return &madt;
}

const struct ae_acpi_power *acpi_power(void)
{
    return &power;
}

const struct ae_pci_route *acpi_pci_routes(unsigned *n)
{
    *n = nroutes;
    return routes;
}

const struct ae_pci_ecam *acpi_pci_ecam(unsigned *n)
{
    *n = necam;
    return ecam;
}

/* acpidump's text format ("SIG @ 0xADDR", then "    OFFS: XX XX ...
 * ascii" lines), which acpixtract and the unit tests' loader read: the
 * captured tables in tests/unit/data are this output (scripts/capture-acpi.sh). */
static void dump_bytes(const char *sig, uint64_t phys, const void *data, size_t len)
{
    const uint8_t *p = data;

    kprintf("%.4s @ 0x%016lx\n", sig, (unsigned long)phys);
    for (size_t off = 0; off < len; off += 16) {
        char hex[16 * 3 + 1], text[17];
        size_t n = len - off < 16 ? len - off : 16;

        for (size_t i = 0; i < 16; i++) {
            ae_snprintf(hex + 3 * i, 4, i < n ? "%02X " : "   ", i < n ? p[off + i] : 0);
            text[i] = i >= n ? '\0' : p[off + i] >= 0x20 && p[off + i] < 0x7f
                                          ? (char)p[off + i] : '.';
        }
        text[n] = '\0';
        kprintf("    %04lX: %s %s\n", (unsigned long)off, hex, text);
    }
    kprintf("\n");
}

static void dump_table(uint64_t phys, const char *sig)
{
    const struct acpi_sdt_header *t;
    int err = acpi_map_table(phys, sig, direct_map, NULL, &t);

    if (err)
        log_warn("acpidump: table at %#lx: error %d", (unsigned long)phys, err);
    else
        dump_bytes(t->signature, phys, t, t->length);
}

void acpi_dump(void)
{
    const struct acpi_sdt_header *t;
    struct acpi_fadt_info fadt;
    uint64_t phys;

    log_info("acpidump: begin");
    if (rsdp_ptr)
        dump_bytes("RSDP", rsdp_phys, rsdp_ptr, rsdp_len);
    if (rsdp.root_phys) {
        dump_table(rsdp.root_phys, NULL);
        for (unsigned i = 0; acpi_root_entry(&rsdp, i, direct_map, NULL, &phys) == AE_OK; i++)
            dump_table(phys, NULL);
        if (acpi_find_table(&rsdp, "FACP", 0, direct_map, NULL, &t, &phys) == AE_OK &&
            acpi_parse_fadt(t, t->length, &fadt) == AE_OK)
            dump_table(fadt.dsdt_phys, "DSDT");
    }
    log_info("acpidump: end");
}
