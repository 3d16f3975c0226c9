/*
 * ACPI table parsing: RSDP, RSDT/XSDT walk, MADT. Pure: tables are reached
 * through a caller-supplied map function (the kernel's direct map; the host
 * tests' captured blobs), every length and checksum is checked before a
 * byte is trusted, and a malformed table gives an error, never a fault.
 */
#ifndef KERNEL_ACPI_ACPI_TABLES_H
#define KERNEL_ACPI_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acpi_sdt_header {
    char signature[4];
    uint32_t length;            /* whole table, header included */
    uint8_t revision;
    uint8_t checksum;           /* all bytes of the table sum to 0 mod 256 */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header is 36 bytes");

struct acpi_rsdp_info {
    uint8_t revision;           /* 0 = ACPI 1.0 (RSDT only), >= 2 = XSDT */
    char oem_id[7];             /* NUL-terminated */
    uint64_t root_phys;         /* XSDT when use_xsdt, else RSDT */
    bool use_xsdt;
};

/* Returns a pointer through which len bytes at physical address phys can be
 * read, or NULL when that range is not accessible. The pointer need only
 * stay valid until the next call: the parser never uses an older mapping
 * after making a new one (a one-slot temporary window is enough). */
typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len, void *ctx);

/* Sum of len bytes mod 256 == 0. */
bool acpi_checksum_ok(const void *p, size_t len);

/* Validates an RSDP of len available bytes: "RSD PTR " signature, the 20-byte
 * checksum, and for revision >= 2 the extended length and checksum. Uses the
 * XSDT when revision >= 2 and its address is non-zero.
 * AE_OK, AE_ERR_INVAL (NULL argument, bad signature, too short: len < 20, or
 * revision >= 2 with len < 36 or len < its length field), AE_ERR_CORRUPT
 * (checksum, length field < 36, no root table address). *out is zeroed on
 * error. */
int acpi_parse_rsdp(const void *rsdp, size_t len, struct acpi_rsdp_info *out);

/* Finds the index-th table (0 = first) with signature sig (4 chars) through
 * the root table; validates root and found table (length >= 36, checksum).
 * Sets *table (mapped, table->length bytes readable; it is the last mapping
 * made, so valid until the next map call) and *phys.
 * AE_OK, AE_ERR_NOTFOUND, AE_ERR_CORRUPT (bad root table: signature not the
 * XSDT/RSDT the RSDP chose, length < 36 or > 64 KiB, checksum), AE_ERR_FAULT
 * (map refused, for the root or any entry looked at before the match: an
 * unreadable entry could have been a match, so the index would be wrong),
 * AE_ERR_INVAL (NULL argument, sig shorter than 4 chars). A found table with
 * a bad checksum or length < 36 is skipped and not counted; so are zero
 * entries and a trailing partial entry of the root table. */
int acpi_find_table(const struct acpi_rsdp_info *rsdp, const char *sig,
                    unsigned index, acpi_map_fn map, void *ctx,
                    const struct acpi_sdt_header **table, uint64_t *phys);

/* Checks a mapped table of len bytes before a parser reads it: signature
 * sig, len >= min_len (>= 36 in any case), its length field <= len and
 * >= min_len, checksum. Sets *length (the length field: the bound to
 * parse within). AE_OK, AE_ERR_INVAL (signature, len too short),
 * AE_ERR_CORRUPT (length field < min_len, checksum). */
int acpi_check_table(const void *table, size_t len, const char *sig,
                     uint32_t min_len, uint32_t *length);

/* Maps and validates the table at phys: signature sig (4 chars; NULL
 * accepts any), length >= 36, checksum, and the same signature and length
 * in the whole-table mapping as in the header read first. Sets *table
 * (table->length bytes readable until the next map call).
 * AE_OK, AE_ERR_NOTFOUND (phys is 0, or another signature), AE_ERR_CORRUPT
 * (length < 36 or wrapping, checksum, table changed between the maps),
 * AE_ERR_FAULT (map refused), AE_ERR_INVAL (NULL map or table, sig shorter
 * than 4 chars). */
int acpi_map_table(uint64_t phys, const char *sig, acpi_map_fn map,
                   void *ctx, const struct acpi_sdt_header **table);

/* The physical address in the index-th entry (0 = first) of the root table
 * (validated as for acpi_find_table), whatever it points to: for walking
 * every table (the acpidump boot option). AE_OK, AE_ERR_NOTFOUND (index
 * past the last whole entry), the root table's errors, AE_ERR_INVAL (NULL
 * argument). */
int acpi_root_entry(const struct acpi_rsdp_info *rsdp, unsigned index,
                    acpi_map_fn map, void *ctx, uint64_t *phys);

#define MADT_MAX_CPUS 256
#define MADT_MAX_IOAPICS 16
#define MADT_MAX_ISOS 32
#define MADT_MAX_NMIS 16

struct madt_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool enabled;               /* flags bit 0 */
    bool online_capable;        /* flags bit 1 (may be enabled later) */
    bool x2apic;                /* came from a type-9 entry */
};

struct madt_ioapic {
    uint8_t id;
    uint32_t phys;
    uint32_t gsi_base;
};

struct madt_iso {               /* interrupt source override */
    uint8_t bus;
    uint8_t source;             /* ISA IRQ */
    uint32_t gsi;
    uint16_t flags;             /* MPS INTI polarity (bits 0-1), trigger (2-3) */
};

struct madt_nmi {               /* local APIC NMI pin */
    uint32_t acpi_uid;          /* 0xFF / 0xFFFFFFFF = all processors */
    uint16_t flags;
    uint8_t lint;
};

struct madt_info {
    uint64_t lapic_phys;        /* type-5 override wins over the header */
    uint32_t flags;             /* bit 0: PC-AT dual 8259 present */
    unsigned ncpus;
    struct madt_cpu cpus[MADT_MAX_CPUS];
    unsigned nioapics;
    struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
    unsigned nisos;
    struct madt_iso isos[MADT_MAX_ISOS];
    unsigned nnmis;
    struct madt_nmi nmis[MADT_MAX_NMIS];
    unsigned dropped;           /* entries beyond a capacity above */
    unsigned unknown;           /* entries of types not parsed here */
};

/* Parses a MADT ("APIC" signature) of len bytes, already mapped.
 * Checks signature, length <= len, checksum, and every entry's length
 * (>= 2, within the table, at least the size its type needs).
 * AE_OK, AE_ERR_INVAL (NULL argument, wrong signature, too short: len < 44
 * or len < its length field), AE_ERR_CORRUPT (checksum, length field < 44,
 * a bad entry). *out is zeroed on error. Entries longer than their type
 * needs are accepted (later revisions append fields); NMI sources (type 3)
 * and other types are counted in unknown; the last type-5 entry wins. */
int acpi_parse_madt(const void *madt, size_t len, struct madt_info *out);

/* Looks up the ISO for an ISA IRQ: the GSI and flags it maps to, or the
 * identity mapping (gsi = irq, flags = 0) when there is none. The first
 * override for an IRQ wins; bus is not compared (the spec fixes it at 0). */
void madt_isa_irq_to_gsi(const struct madt_info *m, uint8_t irq,
                         uint32_t *gsi, uint16_t *flags);

#endif
