/*
 * ACPI table parser: RSDP, RSDT/XSDT walk, MADT (contract in acpi_tables.h).
 *
 * Invariants:
 *  - No byte is read unless it lies inside a range the caller vouched for:
 *    the (pointer, len) passed in, or exactly the length we asked the map
 *    function for. A length field is read only after the bytes holding it
 *    were checked, and the copy we read is the bound used from then on.
 *  - A mapping is never used after the next map call, so a map function
 *    with a single temporary window works as well as a direct map.
 *  - Multi-byte fields are read with memcpy (acpi_bytes.h): a direct load
 *    could be misaligned.
 *  - Sizes are compared as "x > limit - offset" after checking offset <=
 *    limit, never as "offset + x > limit", so nothing can wrap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "acpi/acpi_tables.h"
#include "acpi/acpi_bytes.h"
#include "lib/string.h"
#include "aether/errors.h"

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u
#define SDT_HDR_LEN 36u
#define MADT_HDR_LEN 44u    /* SDT header + local APIC address + flags */

/* A root table is a header plus a few dozen pointers; anything near this
 * size is garbage, and the cap bounds the walk's map calls. */
#define ROOT_MAX_LEN (64u * 1024u)

/* True when [phys, phys + len) does not wrap around the address space. */
static bool phys_range_ok(uint64_t phys, uint64_t len)
{
    return phys <= UINT64_MAX - len;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return sum == 0;
}

/* ---- RSDP ---------------------------------------------------------------
 * Layout: 0 signature[8], 8 checksum (first 20 bytes), 9 oem_id[6],
 * 15 revision, 16 rsdt_address (u32); revision >= 2 adds 20 length (u32),
 * 24 xsdt_address (u64), 32 extended checksum (whole length), 33 reserved[3].
 */

/* Validates the revision-2 extension; sets *xsdt. */
static int rsdp_check_v2(const uint8_t *p, size_t len, uint64_t *xsdt)
{
    uint32_t length;

    if (len < RSDP_V2_LEN)
        return AE_ERR_INVAL;
    length = rd32(p + 20);
    if (length < RSDP_V2_LEN)
        return AE_ERR_CORRUPT;
    if (length > len)               /* caller gave fewer bytes than it has */
        return AE_ERR_INVAL;
    if (!acpi_checksum_ok(p, length))
        return AE_ERR_CORRUPT;
    *xsdt = rd64(p + 24);
    return AE_OK;
}

int acpi_parse_rsdp(const void *rsdp, size_t len, struct acpi_rsdp_info *out)
{
    const uint8_t *p = rsdp;
    uint64_t xsdt = 0;
    uint8_t revision;
    int err;

    if (!p || !out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof *out);
    if (len < RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0)
        return AE_ERR_INVAL;
    if (!acpi_checksum_ok(p, RSDP_V1_LEN))
        return AE_ERR_CORRUPT;
    revision = p[15];
    if (revision >= 2) {
        err = rsdp_check_v2(p, len, &xsdt);
        if (err)
            return err;
    }
    /* The XSDT supersedes the RSDT when present (ACPI 6.5, 5.2.5.3). */
    out->use_xsdt = xsdt != 0;
    out->root_phys = out->use_xsdt ? xsdt : rd32(p + 16);
    if (out->root_phys == 0) {
        memset(out, 0, sizeof *out);
        return AE_ERR_CORRUPT;      /* no root table at all */
    }
    out->revision = revision;
    memcpy(out->oem_id, p + 9, 6);
    out->oem_id[6] = '\0';
    return AE_OK;
}

/* ---- RSDT / XSDT walk --------------------------------------------------- */

struct root_view {
    uint64_t entries_phys;      /* first pointer, just past the header */
    size_t count;
    size_t entry_size;          /* 4 (RSDT) or 8 (XSDT) */
};

/* Reads pointer i through a mapping of its own: the root's mapping may be
 * gone once a table it points to has been mapped. */
static int root_entry(const struct root_view *rv, size_t i, acpi_map_fn map,
                      void *ctx, uint64_t *addr)
{
    const uint8_t *e = map(rv->entries_phys + i * rv->entry_size,
                           rv->entry_size, ctx);

    if (!e)
        return AE_ERR_FAULT;
    *addr = rv->entry_size == 8 ? rd64(e) : rd32(e);
    return AE_OK;
}

/* Maps and validates the root table: signature matching the RSDP's choice,
 * sane length, checksum. */
static int root_map(const struct acpi_rsdp_info *rsdp, acpi_map_fn map,
                    void *ctx, struct root_view *rv)
{
    const char *want = rsdp->use_xsdt ? "XSDT" : "RSDT";
    const uint8_t *hdr, *root;
    uint32_t length;

    if (!phys_range_ok(rsdp->root_phys, ROOT_MAX_LEN))  /* covers entries */
        return AE_ERR_CORRUPT;
    hdr = map(rsdp->root_phys, SDT_HDR_LEN, ctx);
    if (!hdr)
        return AE_ERR_FAULT;
    if (memcmp(hdr, want, 4) != 0)
        return AE_ERR_CORRUPT;
    length = rd32(hdr + 4);
    if (length < SDT_HDR_LEN || length > ROOT_MAX_LEN)
        return AE_ERR_CORRUPT;
    root = map(rsdp->root_phys, length, ctx);
    if (!root)
        return AE_ERR_FAULT;
    if (!acpi_checksum_ok(root, length))
        return AE_ERR_CORRUPT;
    rv->entry_size = rsdp->use_xsdt ? 8 : 4;
    rv->entries_phys = rsdp->root_phys + SDT_HDR_LEN;
    /* A trailing partial pointer is ignored rather than fatal, as other
     * OSes do: the checksum already vouched for the bytes we use. */
    rv->count = (length - SDT_HDR_LEN) / rv->entry_size;
    return AE_OK;
}

int acpi_map_table(uint64_t phys, const char *sig, acpi_map_fn map,
                   void *ctx, const struct acpi_sdt_header **table)
{
    const uint8_t *hdr, *t;
    char want[4];
    uint32_t length;

    if (table)
        *table = NULL;
    if (!map || !table || (sig && strnlen(sig, 4) != 4))
        return AE_ERR_INVAL;
    if (phys == 0)                  /* empty slot some firmware leaves */
        return AE_ERR_NOTFOUND;
    if (!phys_range_ok(phys, SDT_HDR_LEN))
        return AE_ERR_FAULT;
    hdr = map(phys, SDT_HDR_LEN, ctx);
    if (!hdr)
        return AE_ERR_FAULT;
    if (sig && memcmp(hdr, sig, 4) != 0)
        return AE_ERR_NOTFOUND;
    memcpy(want, hdr, 4);           /* hdr is gone after the next map */
    length = rd32(hdr + 4);
    if (length < SDT_HDR_LEN || !phys_range_ok(phys, length))
        return AE_ERR_CORRUPT;
    t = map(phys, length, ctx);
    if (!t)
        return AE_ERR_FAULT;
    /* The caller will trust t's own length field: it must be the one we
     * mapped, even if this mapping is a different view of the memory. */
    if (memcmp(t, want, 4) != 0 || rd32(t + 4) != length ||
        !acpi_checksum_ok(t, length))
        return AE_ERR_CORRUPT;
    *table = (const struct acpi_sdt_header *)(const void *)t;
    return AE_OK;
}

int acpi_root_entry(const struct acpi_rsdp_info *rsdp, unsigned index,
                    acpi_map_fn map, void *ctx, uint64_t *phys)
{
    struct root_view rv;
    int err;

    if (phys)
        *phys = 0;
    if (!rsdp || !map || !phys)
        return AE_ERR_INVAL;
    err = root_map(rsdp, map, ctx, &rv);
    if (err)
        return err;
    if (index >= rv.count)
        return AE_ERR_NOTFOUND;
    return root_entry(&rv, index, map, ctx, phys);
}

int acpi_find_table(const struct acpi_rsdp_info *rsdp, const char *sig,
                    unsigned index, acpi_map_fn map, void *ctx,
                    const struct acpi_sdt_header **table, uint64_t *phys)
{
    struct root_view rv;
    unsigned seen = 0;
    int err;

    if (table)
        *table = NULL;
    if (phys)
        *phys = 0;
    if (!rsdp || !sig || !map || !table || !phys || strnlen(sig, 4) != 4)
        return AE_ERR_INVAL;
    err = root_map(rsdp, map, ctx, &rv);
    if (err)
        return err;
    for (size_t i = 0; i < rv.count; i++) {
        uint64_t addr;
        const struct acpi_sdt_header *t = NULL;

        err = root_entry(&rv, i, map, ctx, &addr);
        if (err)
            return err;
        err = acpi_map_table(addr, sig, map, ctx, &t);
        if (err == AE_ERR_FAULT) {
            /* An unreadable entry might have been one of the matches, so
             * any index we reported past it could be the wrong table. */
            return AE_ERR_FAULT;
        }
        if (err == AE_OK && seen++ == index) {
            *table = t;
            *phys = addr;
            return AE_OK;
        }
    }
    return AE_ERR_NOTFOUND;
}

int acpi_check_table(const void *table, size_t len, const char *sig,
                     uint32_t min_len, uint32_t *length)
{
    const uint8_t *p = table;

    if (len < min_len || len < SDT_HDR_LEN || memcmp(p, sig, 4) != 0)
        return AE_ERR_INVAL;
    *length = rd32(p + 4);
    if (*length > len)              /* caller gave fewer bytes than it has */
        return AE_ERR_INVAL;
    if (*length < min_len || !acpi_checksum_ok(p, *length))
        return AE_ERR_CORRUPT;
    return AE_OK;
}

/* ---- MADT --------------------------------------------------------------- */

enum {
    MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_ISO = 2, MADT_NMI_SRC = 3,
    MADT_LAPIC_NMI = 4, MADT_LAPIC_OVERRIDE = 5, MADT_X2APIC = 9,
    MADT_X2APIC_NMI = 0xA,
};

/* Smallest length each parsed entry type needs (ACPI 6.5, 5.2.12). Longer
 * entries are accepted: later revisions append fields. */
static size_t madt_min_len(uint8_t type)
{
    switch (type) {
    case MADT_LAPIC:            return 8;
    case MADT_IOAPIC:           return 12;
    case MADT_ISO:              return 10;
    case MADT_NMI_SRC:          return 8;
    case MADT_LAPIC_NMI:        return 6;
    case MADT_LAPIC_OVERRIDE:   return 12;
    case MADT_X2APIC:           return 16;
    case MADT_X2APIC_NMI:       return 12;
    default:                    return 2;
    }
}

/* CPUs are recorded whether or not they are enabled: the kernel reports
 * the disabled ones and starts only the enabled. */
static void madt_add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid,
                         uint32_t flags, bool x2apic)
{
    struct madt_cpu *c;

    if (m->ncpus >= MADT_MAX_CPUS) {
        m->dropped++;
        return;
    }
    c = &m->cpus[m->ncpus++];
    c->apic_id = apic_id;
    c->acpi_uid = uid;
    c->enabled = flags & 1u;
    c->online_capable = (flags >> 1) & 1u;
    c->x2apic = x2apic;
}

static void madt_add_ioapic(struct madt_info *m, const uint8_t *e)
{
    struct madt_ioapic *io;

    if (m->nioapics >= MADT_MAX_IOAPICS) {
        m->dropped++;
        return;
    }
    io = &m->ioapics[m->nioapics++];
    io->id = e[2];
    io->phys = rd32(e + 4);
    io->gsi_base = rd32(e + 8);
}

static void madt_add_iso(struct madt_info *m, const uint8_t *e)
{
    struct madt_iso *iso;

    if (m->nisos >= MADT_MAX_ISOS) {
        m->dropped++;
        return;
    }
    iso = &m->isos[m->nisos++];
    iso->bus = e[2];
    iso->source = e[3];
    iso->gsi = rd32(e + 4);
    iso->flags = rd16(e + 8);
}

static void madt_add_nmi(struct madt_info *m, uint32_t uid, uint16_t flags,
                         uint8_t lint)
{
    struct madt_nmi *n;

    if (m->nnmis >= MADT_MAX_NMIS) {
        m->dropped++;
        return;
    }
    n = &m->nmis[m->nnmis++];
    n->acpi_uid = uid;
    n->flags = flags;
    n->lint = lint;
}

/* Records one entry whose length was already checked against its type. */
static void madt_entry(struct madt_info *m, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LAPIC:
        madt_add_cpu(m, e[3], e[2], rd32(e + 4), false);
        break;
    case MADT_IOAPIC:
        madt_add_ioapic(m, e);
        break;
    case MADT_ISO:
        madt_add_iso(m, e);
        break;
    case MADT_LAPIC_NMI:
        madt_add_nmi(m, e[2], rd16(e + 3), e[5]);
        break;
    case MADT_LAPIC_OVERRIDE:
        m->lapic_phys = rd64(e + 4);
        break;
    case MADT_X2APIC:
        madt_add_cpu(m, rd32(e + 4), rd32(e + 12), rd32(e + 8), true);
        break;
    case MADT_X2APIC_NMI:
        madt_add_nmi(m, rd32(e + 4), rd16(e + 2), e[8]);
        break;
    default:                        /* incl. NMI source: unused here */
        m->unknown++;
        break;
    }
}

/* Walks the entries in [MADT_HDR_LEN, length); p holds length bytes. */
static int madt_walk(const uint8_t *p, size_t length, struct madt_info *m)
{
    size_t off = MADT_HDR_LEN;

    while (off < length) {
        size_t left = length - off;
        size_t elen;

        if (left < 2)               /* not even a type and a length */
            return AE_ERR_CORRUPT;
        elen = p[off + 1];
        if (elen < 2 || elen > left || elen < madt_min_len(p[off]))
            return AE_ERR_CORRUPT;
        madt_entry(m, p + off);
        off += elen;
    }
    return AE_OK;
}

int acpi_parse_madt(const void *madt, size_t len, struct madt_info *out)
{
    const uint8_t *p = madt;
    uint32_t length;
    int err;

    if (!p || !out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof *out);
    err = acpi_check_table(p, len, "APIC", MADT_HDR_LEN, &length);
    if (err)
        return err;
    out->lapic_phys = rd32(p + 36);
    out->flags = rd32(p + 40);
    err = madt_walk(p, length, out);
    if (err)                        /* never hand out half a table */
        memset(out, 0, sizeof *out);
    return err;
}

void madt_isa_irq_to_gsi(const struct madt_info *m, uint8_t irq,
                         uint32_t *gsi, uint16_t *flags)
{
    /* Bus is always 0 (ISA) per the spec, so only the source is matched;
     * the first override for an IRQ wins. */
    for (unsigned i = 0; m && i < m->nisos; i++) {
        if (m->isos[i].source == irq) {
            *gsi = m->isos[i].gsi;
            *flags = m->isos[i].flags;
            return;
        }
    }
    *gsi = irq;
    *flags = 0;
}
