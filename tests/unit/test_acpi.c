/*
 * ACPI table parser tests (kernel/acpi/acpi_tables.c).
 *
 * Tables are laid out byte by byte in a fake physical memory array, with
 * checksums fixed up, and reached through a map callback that returns an
 * exact-size heap copy of the requested range: AddressSanitizer then flags
 * any read past what the parser asked for (the "length checked before a
 * byte is read" rule). Each copy keeps its address's alignment mod 16, so
 * UBSan sees the misalignment a real mapping would have. Every allocation
 * is tracked and freed in the per-test teardown, which also runs when a
 * test fails.
 *
 * ACPI0055/0056 run the parser on real tables captured from QEMU q35
 * -smp 4 (tests/unit/data); a missing file is a failure, not a skip.
 */
#include "unit.h"

#include <inttypes.h>

#include "acpi/acpi_tables.h"
#include "acpi_build.h"
#include "acpi_capture.h"

#define PHYS_BASE 0x100000u         /* non-zero: address 0 means "none" */
#define PHYS_SIZE 0x20000u
#define PHYS_HIGH 0x100000000ull    /* the same memory seen again above 4 GiB */

static uint8_t phys_mem[PHYS_SIZE];
static size_t phys_next;            /* bump allocator, offset in phys_mem */

struct map_ctx {
    uint64_t refuse_lo, refuse_hi;  /* requests touching [lo, hi) fail */
    size_t max_len;                 /* largest length ever requested */
    uint64_t grow_phys;             /* whole-table maps of this table see */
    uint32_t grow_to;               /* its length field changed to this */
    bool one_slot;                  /* each call unmaps the previous one */
    unsigned live;                  /* 1 + allocs[] index of that mapping */
};
static struct map_ctx mctx;

#define MAX_ALLOCS 2048
static void *allocs[MAX_ALLOCS];
static unsigned nallocs;

static int setup(void **state)
{
    memset(phys_mem, 0, sizeof phys_mem);
    phys_next = 0;
    memset(&mctx, 0, sizeof mctx);
    nallocs = 0;
    return 0;
}

static int teardown(void **state)
{
    for (unsigned i = 0; i < nallocs; i++)
        free(allocs[i]);
    nallocs = 0;
    capture_free();
    return 0;
}

/* ---- tracked memory and the map callback ------------------------------- */

static void *track_alloc(size_t len)
{
    void *p;

    assert_true(nallocs < MAX_ALLOCS);
    p = malloc(len ? len : 1);
    assert_non_null(p);
    allocs[nallocs++] = p;
    return p;
}

/* Exact-end copy of len bytes, placed at phys's alignment mod 16. */
static void *exact_copy(const void *src, size_t len, uint64_t phys)
{
    size_t pad = (size_t)(phys % 16);
    uint8_t *c = track_alloc(pad + len);

    memcpy(c + pad, src, len);
    return c + pad;
}

static uint8_t *at(uint64_t phys)
{
    if (phys >= PHYS_HIGH)
        phys -= PHYS_HIGH;
    assert_true(phys >= PHYS_BASE && phys - PHYS_BASE < PHYS_SIZE);
    return &phys_mem[phys - PHYS_BASE];
}

static const void *fake_map(uint64_t phys, size_t len, void *ctx)
{
    struct map_ctx *m = ctx;
    uint64_t off;
    uint8_t *c;

    if (len > m->max_len)
        m->max_len = len;
    if (phys > UINT64_MAX - len)
        fail_msg("map asked for a range that wraps: %#" PRIx64 " + %zu",
                 phys, len);
    if (m->one_slot && m->live) {   /* ASan catches any later use */
        free(allocs[m->live - 1]);
        allocs[m->live - 1] = NULL;
        m->live = 0;
    }
    if (phys >= PHYS_HIGH)
        phys -= PHYS_HIGH;
    if (len == 0 || phys < PHYS_BASE)
        return NULL;
    off = phys - PHYS_BASE;
    if (off > PHYS_SIZE || len > PHYS_SIZE - off)
        return NULL;
    if (phys < m->refuse_hi && m->refuse_lo < phys + len)
        return NULL;
    c = exact_copy(at(phys), len, phys);
    if (m->one_slot)
        m->live = nallocs;
    if (m->grow_phys && phys == m->grow_phys && len > 36) {
        /* Memory that changed since the header was read: a different
         * length, with a checksum that still adds up. */
        put_le(c + 4, m->grow_to, 4);
        fix_checksum(c, len, 9);
    }
    return c;
}

/* ---- table builders ----------------------------------------------------- */

static void sdt_header(uint8_t *p, const char *sig, uint32_t length)
{
    memset(p, 0, 36);
    memcpy(p, sig, 4);
    put_le(p + 4, length, 4);
    p[8] = 1;
    memcpy(p + 10, "AETHER", 6);
    memcpy(p + 16, "UNITTEST", 8);
    put_le(p + 24, 1, 4);
    memcpy(p + 28, "AEUT", 4);
    put_le(p + 32, 1, 4);
}

/* Reserves len bytes of fake memory at an address = misalign (mod 16). */
static uint64_t reserve(size_t len, size_t misalign)
{
    size_t off = ((phys_next + 15) & ~(size_t)15) + misalign;

    assert_true(off <= PHYS_SIZE && len <= PHYS_SIZE - off);
    phys_next = off + len;
    return PHYS_BASE + off;
}

static uint64_t put_table_at(const char *sig, const void *body,
                             size_t body_len, size_t misalign)
{
    size_t len = 36 + body_len;
    uint64_t phys = reserve(len, misalign);
    uint8_t *p = at(phys);

    sdt_header(p, sig, (uint32_t)len);
    if (body_len)
        memcpy(p + 36, body, body_len);
    fix_checksum(p, len, 9);
    return phys;
}

static uint64_t put_table(const char *sig, const void *body, size_t body_len)
{
    return put_table_at(sig, body, body_len, 0);
}

static uint64_t put_root_at(bool xsdt, const uint64_t *entries, size_t n,
                            size_t misalign)
{
    uint8_t body[8 * 64];
    size_t es = xsdt ? 8 : 4;

    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++)
        put_le(body + i * es, entries[i], (unsigned)es);
    return put_table_at(xsdt ? "XSDT" : "RSDT", body, n * es, misalign);
}

static uint64_t put_root(bool xsdt, const uint64_t *entries, size_t n)
{
    return put_root_at(xsdt, entries, n, 0);
}

static void make_rsdp(uint8_t r[36], uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    memset(r, 0, 36);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "AETHER", 6);
    r[15] = rev;
    put_le(r + 16, rsdt, 4);
    put_le(r + 20, 36, 4);
    put_le(r + 24, xsdt, 8);
    fix_checksum(r, 20, 8);         /* v1 checksum first: it is inside */
    fix_checksum(r, 36, 32);        /* the extended one's range */
}

static int parse_rsdp(const uint8_t *r, size_t len, struct acpi_rsdp_info *ri)
{
    return acpi_parse_rsdp(exact_copy(r, len, 0), len, ri);
}

static struct acpi_rsdp_info root_info(bool xsdt, uint64_t root)
{
    struct acpi_rsdp_info ri;

    memset(&ri, 0, sizeof ri);
    ri.revision = xsdt ? 2 : 0;
    ri.use_xsdt = xsdt;
    ri.root_phys = root;
    return ri;
}

/* acpi_find_table through fake_map, checking what a success promises: the
 * signature, and table->length readable bytes equal to memory at *phys. */
static int find(const struct acpi_rsdp_info *ri, const char *sig,
                unsigned index, uint64_t *phys)
{
    const struct acpi_sdt_header *t = (const void *)1;
    int rc;

    *phys = 0;
    rc = acpi_find_table(ri, sig, index, fake_map, &mctx, &t, phys);
    if (rc != AE_OK) {
        assert_null(t);
        return rc;
    }
    assert_non_null(t);
    assert_memory_equal(t->signature, sig, 4);
    assert_memory_equal(t, at(*phys), t->length);
    return rc;
}

/* MADT builder: header fields go in at mb_end, entries are appended. */
struct mb {
    uint8_t buf[4096];
    size_t len;
};

static void mb_begin(struct mb *b, uint32_t lapic, uint32_t flags)
{
    memset(b->buf, 0, sizeof b->buf);
    put_le(b->buf + 36, lapic, 4);
    put_le(b->buf + 40, flags, 4);
    b->len = 44;
}

/* Appends an entry of type and declared length len (zero body); lengths
 * below 2 still take the two bytes that say so. */
static uint8_t *mb_entry(struct mb *b, uint8_t type, uint8_t len)
{
    size_t room = len < 2 ? 2 : len;
    uint8_t *e = b->buf + b->len;

    assert_true(b->len + room <= sizeof b->buf);
    memset(e, 0, room);
    e[0] = type;
    e[1] = len;
    b->len += room;
    return e;
}

static size_t mb_end(struct mb *b)
{
    sdt_header(b->buf, "APIC", (uint32_t)b->len);
    fix_checksum(b->buf, b->len, 9);
    return b->len;
}

static int mb_parse(struct mb *b, struct madt_info *mi)
{
    size_t len = mb_end(b);

    return acpi_parse_madt(exact_copy(b->buf, len, 0), len, mi);
}

static void mb_lapic(struct mb *b, uint8_t uid, uint8_t id, uint32_t flags)
{
    uint8_t *e = mb_entry(b, 0, 8);

    e[2] = uid;
    e[3] = id;
    put_le(e + 4, flags, 4);
}

static void mb_ioapic(struct mb *b, uint8_t id, uint32_t addr, uint32_t gsi)
{
    uint8_t *e = mb_entry(b, 1, 12);

    e[2] = id;
    put_le(e + 4, addr, 4);
    put_le(e + 8, gsi, 4);
}

static void mb_iso(struct mb *b, uint8_t src, uint32_t gsi, uint16_t flags)
{
    uint8_t *e = mb_entry(b, 2, 10);

    e[2] = 0;                       /* bus: ISA */
    e[3] = src;
    put_le(e + 4, gsi, 4);
    put_le(e + 8, flags, 2);
}

static void mb_lapic_nmi(struct mb *b, uint8_t uid, uint16_t flags,
                         uint8_t lint)
{
    uint8_t *e = mb_entry(b, 4, 6);

    e[2] = uid;
    put_le(e + 3, flags, 2);
    e[5] = lint;
}

static void mb_lapic_override(struct mb *b, uint64_t addr)
{
    put_le(mb_entry(b, 5, 12) + 4, addr, 8);
}

static void mb_x2apic(struct mb *b, uint32_t id, uint32_t flags, uint32_t uid)
{
    uint8_t *e = mb_entry(b, 9, 16);

    put_le(e + 4, id, 4);
    put_le(e + 8, flags, 4);
    put_le(e + 12, uid, 4);
}

static void mb_x2apic_nmi(struct mb *b, uint16_t flags, uint32_t uid,
                          uint8_t lint)
{
    uint8_t *e = mb_entry(b, 0xA, 12);

    put_le(e + 2, flags, 2);
    put_le(e + 4, uid, 4);
    e[8] = lint;
}

/* A MADT with one IOAPIC, the LAPIC at the usual address, and ISOs: the
 * body most MADT tests start from. */
static void mb_begin_pc(struct mb *b)
{
    mb_begin(b, 0xFEE00000u, 1);
}

/* ---- checksum and RSDP -------------------------------------------------- */

static void ACPI0001_checksum_sum_zero_ok_else_refused(void **state)
{
    uint8_t b[4] = { 0x10, 0x20, 0x30, 0xA0 };

    assert_true(acpi_checksum_ok(b, sizeof b));     /* 0x100 */
    b[3]++;
    assert_false(acpi_checksum_ok(b, sizeof b));
    assert_true(acpi_checksum_ok(b, 0));            /* empty sums to 0 */
}

static void ACPI0002_rsdp_v1_valid(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 0, 0x12345678u, 0);
    assert_int_equal(parse_rsdp(r, 20, &ri), AE_OK);  /* v1: 20 bytes */
    assert_int_equal(ri.revision, 0);
    assert_false(ri.use_xsdt);
    assert_int_equal(ri.root_phys, 0x12345678u);
    assert_string_equal(ri.oem_id, "AETHER");
}

static void ACPI0003_rsdp_v2_valid_uses_xsdt(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 2, 0x1000, 0x123456789ull);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_OK);
    assert_int_equal(ri.revision, 2);
    assert_true(ri.use_xsdt);
    assert_int_equal(ri.root_phys, 0x123456789ull);
    assert_string_equal(ri.oem_id, "AETHER");
}

static void ACPI0004_rsdp_v2_zero_xsdt_uses_rsdt(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 2, 0x2000, 0);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_OK);
    assert_false(ri.use_xsdt);
    assert_int_equal(ri.root_phys, 0x2000);
}

static void ACPI0005_rsdp_bad_signature(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 2, 0x1000, 0x2000);
    r[7] = '_';                     /* "RSD PTR_" */
    fix_checksum(r, 20, 8);
    fix_checksum(r, 36, 32);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_ERR_INVAL);
}

static void ACPI0006_rsdp_bad_checksum(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 0, 0x1000, 0);
    r[8] ^= 1;
    assert_int_equal(parse_rsdp(r, 20, &ri), AE_ERR_CORRUPT);
}

static void ACPI0007_rsdp_bad_extended_checksum(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 2, 0x1000, 0x2000);
    r[32] ^= 1;                     /* the v1 part is still fine */
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_ERR_CORRUPT);
    make_rsdp(r, 2, 0x1000, 0x2000);
    r[30] = 0x80;                   /* a byte only the extended sum covers */
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_ERR_CORRUPT);
}

static void ACPI0008_rsdp_too_short(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 0, 0x1000, 0);
    assert_int_equal(parse_rsdp(r, 19, &ri), AE_ERR_INVAL);
    make_rsdp(r, 2, 0x1000, 0x2000);
    assert_int_equal(parse_rsdp(r, 20, &ri), AE_ERR_INVAL);  /* v2 needs 36 */
    assert_int_equal(parse_rsdp(r, 35, &ri), AE_ERR_INVAL);
}

static void ACPI0009_rsdp_v2_bad_length_field(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 2, 0x1000, 0x2000);
    put_le(r + 20, 35, 4);          /* shorter than the v2 structure */
    fix_checksum(r, 36, 32);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_ERR_CORRUPT);
    put_le(r + 20, 40, 4);          /* more than the caller could give */
    fix_checksum(r, 36, 32);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_ERR_INVAL);
}

static void ACPI0010_rsdp_without_root_address(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 0, 0, 0);
    assert_int_equal(parse_rsdp(r, 20, &ri), AE_ERR_CORRUPT);
    assert_false(ri.use_xsdt);
    assert_int_equal(ri.root_phys, 0);
}

static void ACPI0011_rsdp_null_arguments(void **state)
{
    uint8_t r[36];
    struct acpi_rsdp_info ri;

    make_rsdp(r, 0, 0x1000, 0);
    assert_int_equal(acpi_parse_rsdp(NULL, 20, &ri), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_rsdp(r, 20, NULL), AE_ERR_INVAL);
}

/* ---- root table walk ---------------------------------------------------- */

static void ACPI0012_find_xsdt_preferred_over_rsdt(void **state)
{
    uint8_t body[8] = { 0 }, r[36];
    uint64_t via_x = put_table("APIC", body, 8);
    uint64_t via_r = put_table("APIC", body, 4);
    uint64_t x = put_root(true, &via_x, 1);
    uint64_t rs = put_root(false, &via_r, 1);
    struct acpi_rsdp_info ri;
    uint64_t phys;

    make_rsdp(r, 2, (uint32_t)rs, x);
    assert_int_equal(parse_rsdp(r, 36, &ri), AE_OK);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, via_x);
}

static void ACPI0013_find_rsdt_fallback_revision0(void **state)
{
    uint8_t body[8] = { 0 }, r[36];
    uint64_t via_x = put_table("APIC", body, 8);
    uint64_t via_r = put_table("APIC", body, 4);
    uint64_t x = put_root(true, &via_x, 1);
    uint64_t rs = put_root(false, &via_r, 1);
    struct acpi_rsdp_info ri;
    uint64_t phys;

    make_rsdp(r, 0, (uint32_t)rs, x);   /* v1: the XSDT field is not there */
    assert_int_equal(parse_rsdp(r, 20, &ri), AE_OK);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, via_r);
}

static void ACPI0014_find_second_table_of_signature(void **state)
{
    uint8_t body[4] = { 1, 2, 3, 4 };
    uint64_t e[3] = { put_table("SSDT", body, 1), put_table("FACP", body, 4),
                      put_table("SSDT", body, 2) };
    struct acpi_rsdp_info ri = root_info(true, put_root(true, e, 3));
    uint64_t phys;

    assert_int_equal(find(&ri, "SSDT", 0, &phys), AE_OK);
    assert_int_equal(phys, e[0]);
    assert_int_equal(find(&ri, "SSDT", 1, &phys), AE_OK);
    assert_int_equal(phys, e[2]);
    assert_int_equal(find(&ri, "SSDT", 2, &phys), AE_ERR_NOTFOUND);
}

static void ACPI0015_find_bad_checksum_table_skipped(void **state)
{
    uint8_t body[4] = { 0 };
    uint64_t e[2] = { put_table("APIC", body, 4), put_table("APIC", body, 4) };
    struct acpi_rsdp_info ri = root_info(true, put_root(true, e, 2));
    uint64_t phys;

    at(e[0])[38] ^= 0x5A;           /* body byte changed after the sum */
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, e[1]);
    assert_int_equal(find(&ri, "APIC", 1, &phys), AE_ERR_NOTFOUND);
}

static void ACPI0016_find_table_shorter_than_header_skipped(void **state)
{
    uint64_t e[2] = { put_table("HPET", NULL, 0), put_table("HPET", NULL, 0) };
    struct acpi_rsdp_info ri = root_info(false, put_root(false, e, 2));
    uint64_t phys;

    put_le(at(e[0]) + 4, 20, 4);    /* length 20 < header, sum kept valid */
    fix_checksum(at(e[0]), 36, 9);
    assert_int_equal(find(&ri, "HPET", 0, &phys), AE_OK);
    assert_int_equal(phys, e[1]);
}

static void ACPI0017_find_zero_entry_skipped(void **state)
{
    uint64_t e[2] = { 0, put_table("MCFG", NULL, 0) };
    struct acpi_rsdp_info ri = root_info(true, put_root(true, e, 2));
    uint64_t phys;

    assert_int_equal(find(&ri, "MCFG", 0, &phys), AE_OK);
    assert_int_equal(phys, e[1]);
}

static void ACPI0018_find_missing_signature_not_found(void **state)
{
    uint64_t e[2] = { put_table("FACP", NULL, 0), put_table("HPET", NULL, 0) };
    struct acpi_rsdp_info ri = root_info(true, put_root(true, e, 2));
    uint64_t phys;

    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_NOTFOUND);
    assert_int_equal(phys, 0);
}

static void ACPI0019_find_root_map_refused(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    mctx.refuse_lo = ri.root_phys;
    mctx.refuse_hi = ri.root_phys + 1;
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
    ri.root_phys = 0x10;            /* outside fake memory */
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
}

/* An entry that cannot be looked at might have been the wanted table, so
 * the walk fails rather than report a later one under the wrong index. */
static void ACPI0020_find_entry_map_refused(void **state)
{
    uint64_t e[2] = { put_table("APIC", NULL, 0), put_table("APIC", NULL, 0) };
    struct acpi_rsdp_info ri = root_info(true, put_root(true, e, 2));
    uint64_t phys;

    mctx.refuse_lo = e[0];
    mctx.refuse_hi = e[0] + 1;
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
    assert_int_equal(find(&ri, "FACP", 0, &phys), AE_ERR_FAULT);
}

static void ACPI0021_find_table_body_map_refused(void **state)
{
    uint8_t body[16] = { 0 };
    uint64_t e = put_table("APIC", body, sizeof body);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    mctx.refuse_lo = e + 40;        /* header maps, whole table does not */
    mctx.refuse_hi = e + 41;
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
}

static void ACPI0022_find_root_length_below_header(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    put_le(at(ri.root_phys) + 4, 35, 4);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_CORRUPT);
}

static void ACPI0023_find_root_truncated_by_memory_end(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    uint64_t root;
    struct acpi_rsdp_info ri;
    uint64_t phys;

    phys_next = PHYS_SIZE - 48;     /* XSDT with one entry: 44 bytes fit */
    root = put_root(true, &e, 1);
    put_le(at(root) + 4, 36 + 8 * 4, 4);    /* claims 4 entries */
    fix_checksum(at(root), 44, 9);
    ri = root_info(true, root);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
}

/* A pointer cut short by the root's length is ignored, not read. */
static void ACPI0024_find_root_partial_entry_ignored(void **state)
{
    uint64_t e[2] = { put_table("FACP", NULL, 0), put_table("APIC", NULL, 0) };
    uint64_t root = put_root(true, e, 2);
    struct acpi_rsdp_info ri = root_info(true, root);
    uint64_t phys;

    put_le(at(root) + 4, 36 + 8 + 5, 4);    /* second pointer: 5 of 8 bytes */
    fix_checksum(at(root), 36 + 8 + 5, 9);
    assert_int_equal(find(&ri, "FACP", 0, &phys), AE_OK);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_NOTFOUND);
}

static void ACPI0025_find_root_wrong_signature(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    uint64_t rsdt = put_root(false, &e, 1);
    struct acpi_rsdp_info ri = root_info(true, rsdt);   /* expects XSDT */
    uint64_t phys;

    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_CORRUPT);
}

static void ACPI0026_find_root_bad_checksum(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    struct acpi_rsdp_info ri = root_info(false, put_root(false, &e, 1));
    uint64_t phys;

    at(ri.root_phys)[9] ^= 1;
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_CORRUPT);
}

static void ACPI0027_find_root_absurd_length(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    put_le(at(ri.root_phys) + 4, 0xFFFFFFF0u, 4);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_CORRUPT);
    put_le(at(ri.root_phys) + 4, 64 * 1024 + 4, 4);
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_CORRUPT);
    assert_int_equal(mctx.max_len, 36);     /* never asked to map it */
}

/* Roots at odd addresses, as QEMU's SeaBIOS places its RSDT (0x7fe237f):
 * every pointer read is misaligned, which UBSan would report. */
static void ACPI0028_find_through_unaligned_roots(void **state)
{
    uint64_t e[2] = { put_table_at("FACP", NULL, 0, 3),
                      put_table_at("APIC", NULL, 0, 7) };
    struct acpi_rsdp_info x = root_info(true, put_root_at(true, e, 2, 1));
    struct acpi_rsdp_info r = root_info(false, put_root_at(false, e, 2, 15));
    uint64_t phys;

    assert_int_equal(x.root_phys % 2, 1);
    assert_int_equal(find(&x, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, e[1]);
    assert_int_equal(find(&r, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, e[1]);
}

static void ACPI0029_find_invalid_arguments(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    const struct acpi_sdt_header *t;
    uint64_t phys;

    assert_int_equal(find(&ri, "API", 0, &phys), AE_ERR_INVAL);
    assert_int_equal(acpi_find_table(NULL, "APIC", 0, fake_map, &mctx, &t,
                                     &phys), AE_ERR_INVAL);
    assert_int_equal(acpi_find_table(&ri, NULL, 0, fake_map, &mctx, &t,
                                     &phys), AE_ERR_INVAL);
    assert_int_equal(acpi_find_table(&ri, "APIC", 0, NULL, &mctx, &t,
                                     &phys), AE_ERR_INVAL);
    assert_int_equal(acpi_find_table(&ri, "APIC", 0, fake_map, &mctx, NULL,
                                     &phys), AE_ERR_INVAL);
    assert_int_equal(acpi_find_table(&ri, "APIC", 0, fake_map, &mctx, &t,
                                     NULL), AE_ERR_INVAL);
}

/* The caller reads table->length bytes: a table whose length changed
 * between the header map and the whole-table map must not be returned. */
static void ACPI0057_find_table_changed_between_maps(void **state)
{
    uint8_t body[8] = { 0 };
    uint64_t e = put_table("APIC", body, sizeof body);
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    mctx.grow_phys = e;
    mctx.grow_to = 36 + 64;
    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_NOTFOUND);
}

/* A map function with one temporary window (each call unmaps the last)
 * must do: the walk may not read the root through a stale mapping. */
static void ACPI0058_find_with_one_slot_map(void **state)
{
    uint64_t e[4] = { put_table("FACP", NULL, 0), put_table("APIC", NULL, 0),
                      put_table("SSDT", NULL, 0), put_table("APIC", NULL, 0) };
    struct acpi_rsdp_info x = root_info(true, put_root(true, e, 4));
    struct acpi_rsdp_info r = root_info(false, put_root(false, e, 4));
    uint64_t phys;

    mctx.one_slot = true;
    assert_int_equal(find(&x, "APIC", 1, &phys), AE_OK);
    assert_int_equal(phys, e[3]);
    assert_int_equal(find(&r, "APIC", 1, &phys), AE_OK);
    assert_int_equal(phys, e[3]);
    assert_int_equal(find(&r, "APIC", 2, &phys), AE_ERR_NOTFOUND);
}

/* XSDT pointers are 64-bit: a table above 4 GiB is found there. */
static void ACPI0059_find_xsdt_entry_above_4gib(void **state)
{
    uint64_t e = put_table("APIC", NULL, 0) + PHYS_HIGH;
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_OK);
    assert_int_equal(phys, e);
}

/* A pointer at the very top of the address space is refused without a
 * map request that would wrap past 2^64 (fake_map fails on those). */
static void ACPI0060_find_entry_at_top_of_address_space(void **state)
{
    uint64_t e = UINT64_MAX - 15;
    struct acpi_rsdp_info ri = root_info(true, put_root(true, &e, 1));
    uint64_t phys;

    assert_int_equal(find(&ri, "APIC", 0, &phys), AE_ERR_FAULT);
}

/* ---- MADT: processors --------------------------------------------------- */

static void check_n_enabled_cpus(unsigned n)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    for (unsigned i = 0; i < n; i++)
        mb_lapic(&b, (uint8_t)i, (uint8_t)(i * 2), 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, n);
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(mi.cpus[i].acpi_uid, i);
        assert_int_equal(mi.cpus[i].apic_id, i * 2);
        assert_true(mi.cpus[i].enabled);
        assert_false(mi.cpus[i].online_capable);
        assert_false(mi.cpus[i].x2apic);
    }
    assert_int_equal(mi.dropped, 0);
    assert_int_equal(mi.unknown, 0);
    assert_int_equal(mi.lapic_phys, 0xFEE00000u);
    assert_int_equal(mi.flags, 1);
}

static void ACPI0030_madt_one_cpu(void **state)
{
    check_n_enabled_cpus(1);
}

static void ACPI0031_madt_two_cpus(void **state)
{
    check_n_enabled_cpus(2);
}

static void ACPI0032_madt_four_cpus(void **state)
{
    check_n_enabled_cpus(4);
}

/* 300 CPUs: the first 256 kept, the rest counted as dropped. IDs from
 * 255 on come as x2APIC entries, as firmware must list them. */
static void ACPI0033_madt_cpus_beyond_capacity_dropped(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    for (unsigned i = 0; i < 300; i++) {
        if (i < 255)
            mb_lapic(&b, (uint8_t)i, (uint8_t)i, 1);
        else
            mb_x2apic(&b, i, 1, i);
    }
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, MADT_MAX_CPUS);
    assert_int_equal(mi.dropped, 300 - MADT_MAX_CPUS);
    assert_int_equal(mi.cpus[254].apic_id, 254);
    assert_false(mi.cpus[254].x2apic);
    assert_int_equal(mi.cpus[255].apic_id, 255);
    assert_true(mi.cpus[255].x2apic);
}

static void ACPI0034_madt_disabled_cpu_recorded(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    mb_lapic(&b, 1, 1, 0);          /* neither enabled nor online-capable */
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, 2);
    assert_true(mi.cpus[0].enabled);
    assert_int_equal(mi.cpus[1].apic_id, 1);
    assert_false(mi.cpus[1].enabled);
    assert_false(mi.cpus[1].online_capable);
}

static void ACPI0035_madt_online_capable_cpu(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 5, 9, 2);
    mb_lapic(&b, 6, 10, 0xFFFFFFFCu);   /* reserved bits are ignored */
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_false(mi.cpus[0].enabled);
    assert_true(mi.cpus[0].online_capable);
    assert_int_equal(mi.cpus[0].apic_id, 9);
    assert_int_equal(mi.cpus[0].acpi_uid, 5);
    assert_false(mi.cpus[1].enabled);
    assert_false(mi.cpus[1].online_capable);
}

/* ---- MADT: interrupt routing -------------------------------------------- */

static void ACPI0036_madt_ioapic_and_isos(void **state)
{
    struct mb b;
    struct madt_info mi;
    uint32_t gsi;
    uint16_t flags;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    mb_ioapic(&b, 0, 0xFEC00000u, 0);
    mb_ioapic(&b, 1, 0xFEC01000u, 24);
    mb_iso(&b, 0, 2, 0);
    mb_iso(&b, 9, 9, 0xD);          /* active high, level */
    mb_iso(&b, 9, 20, 0xF);         /* duplicate: the first one wins */
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.nioapics, 2);
    assert_int_equal(mi.ioapics[0].id, 0);
    assert_int_equal(mi.ioapics[0].phys, 0xFEC00000u);
    assert_int_equal(mi.ioapics[0].gsi_base, 0);
    assert_int_equal(mi.ioapics[1].id, 1);
    assert_int_equal(mi.ioapics[1].phys, 0xFEC01000u);
    assert_int_equal(mi.ioapics[1].gsi_base, 24);
    assert_int_equal(mi.nisos, 3);
    assert_int_equal(mi.isos[1].bus, 0);
    assert_int_equal(mi.isos[1].source, 9);
    madt_isa_irq_to_gsi(&mi, 0, &gsi, &flags);
    assert_int_equal(gsi, 2);
    assert_int_equal(flags, 0);
    madt_isa_irq_to_gsi(&mi, 9, &gsi, &flags);
    assert_int_equal(gsi, 9);
    assert_int_equal(flags, 0xD);
}

static void ACPI0037_madt_irq_identity_without_override(void **state)
{
    struct mb b;
    struct madt_info mi;
    uint32_t gsi = 99;
    uint16_t flags = 99;

    mb_begin_pc(&b);
    mb_iso(&b, 0, 2, 0);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    madt_isa_irq_to_gsi(&mi, 1, &gsi, &flags);
    assert_int_equal(gsi, 1);
    assert_int_equal(flags, 0);
    madt_isa_irq_to_gsi(&mi, 15, &gsi, &flags);
    assert_int_equal(gsi, 15);
}

static void ACPI0038_madt_lapic_address_override(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin(&b, 0xFEE00000u, 0);
    mb_lapic_override(&b, 0x0000001234567000ull);
    mb_lapic(&b, 0, 0, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.lapic_phys, 0x0000001234567000ull);
    assert_int_equal(mi.flags, 0);
    assert_int_equal(mi.ncpus, 1);
}

static void ACPI0039_madt_x2apic_entries(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_x2apic(&b, 0x100, 1, 7);
    mb_x2apic(&b, 0xFFFFFFFEu, 2, 0x12345678u);
    mb_x2apic_nmi(&b, 0x5, 0xFFFFFFFFu, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, 2);
    assert_int_equal(mi.cpus[0].apic_id, 0x100);
    assert_int_equal(mi.cpus[0].acpi_uid, 7);
    assert_true(mi.cpus[0].enabled);
    assert_true(mi.cpus[0].x2apic);
    assert_int_equal(mi.cpus[1].apic_id, 0xFFFFFFFEu);
    assert_int_equal(mi.cpus[1].acpi_uid, 0x12345678u);
    assert_false(mi.cpus[1].enabled);
    assert_true(mi.cpus[1].online_capable);
    assert_int_equal(mi.nnmis, 1);
    assert_int_equal(mi.nmis[0].acpi_uid, 0xFFFFFFFFu);
    assert_int_equal(mi.nmis[0].flags, 0x5);
    assert_int_equal(mi.nmis[0].lint, 1);
}

static void ACPI0040_madt_lapic_nmi(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic_nmi(&b, 0xFF, 0x000D, 1);
    mb_lapic_nmi(&b, 3, 0x0005, 0);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.nnmis, 2);
    assert_int_equal(mi.nmis[0].acpi_uid, 0xFF);
    assert_int_equal(mi.nmis[0].flags, 0x000D);
    assert_int_equal(mi.nmis[0].lint, 1);
    assert_int_equal(mi.nmis[1].acpi_uid, 3);
    assert_int_equal(mi.nmis[1].flags, 0x0005);
    assert_int_equal(mi.nmis[1].lint, 0);
}

static void ACPI0041_madt_nmi_source_and_unknown_counted(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_entry(&b, 3, 8);             /* NMI source */
    mb_entry(&b, 0x7F, 2);          /* unknown, bare */
    mb_entry(&b, 0x10, 40);         /* unknown, with a body */
    mb_lapic(&b, 0, 0, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.unknown, 3);
    assert_int_equal(mi.ncpus, 1);
}

static void ACPI0042_madt_routing_capacities_dropped(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    for (unsigned i = 0; i < MADT_MAX_IOAPICS + 1; i++)
        mb_ioapic(&b, (uint8_t)i, 0xFEC00000u + i * 0x1000, i * 24);
    for (unsigned i = 0; i < MADT_MAX_ISOS + 2; i++)
        mb_iso(&b, (uint8_t)i, i, 0);
    for (unsigned i = 0; i < MADT_MAX_NMIS + 3; i++)
        mb_lapic_nmi(&b, (uint8_t)i, 0, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.nioapics, MADT_MAX_IOAPICS);
    assert_int_equal(mi.nisos, MADT_MAX_ISOS);
    assert_int_equal(mi.nnmis, MADT_MAX_NMIS);
    assert_int_equal(mi.dropped, 1 + 2 + 3);
}

/* ---- MADT: malformed tables --------------------------------------------- */

static void ACPI0043_madt_longer_entry_accepted(void **state)
{
    struct mb b;
    struct madt_info mi;
    uint8_t *e;

    mb_begin_pc(&b);
    e = mb_entry(&b, 0, 12);        /* a LAPIC entry with 4 extra bytes */
    e[2] = 4;
    e[3] = 5;
    e[4] = 1;
    mb_lapic(&b, 6, 7, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, 2);
    assert_int_equal(mi.cpus[0].apic_id, 5);
    assert_true(mi.cpus[0].enabled);
    assert_int_equal(mi.cpus[1].apic_id, 7);
}

static void ACPI0044_madt_entry_length_zero(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    mb_entry(&b, 0, 0);             /* would loop forever if accepted */
    mb_lapic(&b, 1, 1, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_ERR_CORRUPT);
}

static void ACPI0045_madt_entry_length_one(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_entry(&b, 0x7F, 1);
    assert_int_equal(mb_parse(&b, &mi), AE_ERR_CORRUPT);
}

static void ACPI0046_madt_entry_past_table_end(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    mb_ioapic(&b, 0, 0xFEC00000u, 0);
    b.len -= 6;                     /* table ends mid-IOAPIC entry */
    assert_int_equal(mb_parse(&b, &mi), AE_ERR_CORRUPT);
}

static void ACPI0047_madt_trailing_single_byte(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    b.buf[b.len++] = 0;             /* a type with no length byte */
    assert_int_equal(mb_parse(&b, &mi), AE_ERR_CORRUPT);
}

/* Each parsed type one byte shorter than it needs is refused; at exactly
 * its size it is accepted. */
static void ACPI0048_madt_entry_short_for_type(void **state)
{
    static const struct { uint8_t type, min; } need[] = {
        { 0, 8 }, { 1, 12 }, { 2, 10 }, { 3, 8 },
        { 4, 6 }, { 5, 12 }, { 9, 16 }, { 0xA, 12 },
    };
    struct mb b;
    struct madt_info mi;

    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        mb_begin_pc(&b);
        mb_entry(&b, need[i].type, (uint8_t)(need[i].min - 1));
        if (mb_parse(&b, &mi) != AE_ERR_CORRUPT)
            fail_msg("type %u accepted at length %u", need[i].type,
                     need[i].min - 1);
        mb_begin_pc(&b);
        mb_entry(&b, need[i].type, need[i].min);
        if (mb_parse(&b, &mi) != AE_OK)
            fail_msg("type %u refused at length %u", need[i].type,
                     need[i].min);
    }
}

static void ACPI0049_madt_bad_signature(void **state)
{
    struct mb b;
    struct madt_info mi;
    size_t len;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    len = mb_end(&b);
    memcpy(b.buf, "APIX", 4);
    fix_checksum(b.buf, len, 9);
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, len, 0), len, &mi),
                     AE_ERR_INVAL);
}

static void ACPI0050_madt_bad_checksum(void **state)
{
    struct mb b;
    struct madt_info mi;
    size_t len;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    len = mb_end(&b);
    b.buf[47] ^= 1;                 /* the CPU's APIC ID */
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, len, 0), len, &mi),
                     AE_ERR_CORRUPT);
}

static void ACPI0051_madt_too_short(void **state)
{
    struct mb b;
    struct madt_info mi;
    size_t len;

    mb_begin_pc(&b);
    len = mb_end(&b);               /* 44: header only */
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, 43, 0), 43, &mi),
                     AE_ERR_INVAL);
    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    len = mb_end(&b);               /* caller maps less than length says */
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, len - 1, 0), len - 1,
                                     &mi), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_madt(NULL, len, &mi), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_madt(b.buf, len, NULL), AE_ERR_INVAL);
}

static void ACPI0052_madt_length_field_below_header(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_end(&b);
    put_le(b.buf + 4, 40, 4);
    fix_checksum(b.buf, 40, 9);
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, 44, 0), 44, &mi),
                     AE_ERR_CORRUPT);
    /* Given only those 40 bytes, the caller is the one short of data. */
    assert_int_equal(acpi_parse_madt(exact_copy(b.buf, 40, 0), 40, &mi),
                     AE_ERR_INVAL);
}

static void ACPI0053_madt_error_clears_output(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin_pc(&b);
    mb_lapic(&b, 0, 0, 1);
    mb_ioapic(&b, 0, 0xFEC00000u, 0);
    mb_entry(&b, 1, 11);            /* bad entry after good ones */
    assert_int_equal(mb_parse(&b, &mi), AE_ERR_CORRUPT);
    assert_int_equal(mi.ncpus, 0);
    assert_int_equal(mi.nioapics, 0);
    assert_int_equal(mi.lapic_phys, 0);
}

static void ACPI0054_madt_header_only(void **state)
{
    struct mb b;
    struct madt_info mi;

    mb_begin(&b, 0xFEE00000u, 0);
    assert_int_equal(mb_parse(&b, &mi), AE_OK);
    assert_int_equal(mi.ncpus, 0);
    assert_int_equal(mi.lapic_phys, 0xFEE00000u);
}

/* ---- real tables captured from QEMU q35 -smp 4 -------------------------- */

static uint8_t *load_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long size = -1;

    if (!f)
        fail_msg("missing captured ACPI data file %s (tables of a real "
                 "QEMU -machine q35 -smp 4 boot)", path);
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size <= 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        fail_msg("cannot size %s", path);
    }
    buf = track_alloc((size_t)size);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        fail_msg("short read of %s", path);
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* What QEMU q35 -smp 4 describes: 4 enabled CPUs, APIC IDs 0-3, one
 * IOAPIC at 0xFEC00000 from GSI 0, the LAPIC at 0xFEE00000, ISA IRQ 0 on
 * GSI 2, dual 8259s present. */
static void assert_qemu_q35_smp4(const struct madt_info *mi)
{
    uint32_t gsi;
    uint16_t flags;

    assert_int_equal(mi->ncpus, 4);
    for (unsigned i = 0; i < 4; i++) {
        assert_true(mi->cpus[i].enabled);
        assert_int_equal(mi->cpus[i].apic_id, i);
    }
    assert_int_equal(mi->nioapics, 1);
    assert_int_equal(mi->ioapics[0].phys, 0xFEC00000u);
    assert_int_equal(mi->ioapics[0].gsi_base, 0);
    assert_int_equal(mi->lapic_phys, 0xFEE00000u);
    madt_isa_irq_to_gsi(mi, 0, &gsi, &flags);
    assert_int_equal(gsi, 2);
    assert_true(mi->flags & 1u);
    assert_int_equal(mi->dropped, 0);
}

static void ACPI0055_real_qemu_q35_smp4_madt(void **state)
{
    size_t len;
    const uint8_t *blob = load_file(UNIT_DATA("qemu_q35_smp4_madt.bin"), &len);
    struct madt_info mi;

    assert_int_equal(acpi_parse_madt(blob, len, &mi), AE_OK);
    assert_qemu_q35_smp4(&mi);
}

static void walk_to_madt(const struct acpi_rsdp_info *ri)
{
    const struct acpi_sdt_header *t;
    struct madt_info mi;
    uint64_t phys;

    assert_int_equal(acpi_find_table(ri, "FACP", 0, capture_map, NULL, &t,
                                     &phys), AE_OK);
    assert_int_equal(acpi_find_table(ri, "APIC", 0, capture_map, NULL, &t,
                                     &phys), AE_OK);
    assert_int_equal(acpi_parse_madt(t, t->length, &mi), AE_OK);
    assert_qemu_q35_smp4(&mi);
    assert_int_equal(acpi_find_table(ri, "APIC", 1, capture_map, NULL, &t,
                                     &phys), AE_ERR_NOTFOUND);
}

/* RSDP -> root -> MADT over the captured tables; with a revision-2 RSDP
 * both its XSDT and its RSDT are walked. */
static void ACPI0056_real_qemu_q35_smp4_rsdp_root_walk(void **state)
{
    const struct capture_table *r;
    struct acpi_rsdp_info ri, legacy;

    capture_load(UNIT_DATA("qemu_q35_smp4_rsdp_xsdt.txt"));
    r = capture_find("RSDP");
    if (!r)
        fail_msg("no RSDP in %s", UNIT_DATA("qemu_q35_smp4_rsdp_xsdt.txt"));
    assert_int_equal(acpi_parse_rsdp(exact_copy(r->data, r->len, r->phys),
                                     r->len, &ri), AE_OK);
    walk_to_madt(&ri);
    if (ri.use_xsdt) {
        legacy = ri;
        legacy.use_xsdt = false;
        legacy.root_phys = (uint32_t)(r->data[16] | r->data[17] << 8 |
                                      r->data[18] << 16 |
                                      (uint32_t)r->data[19] << 24);
        walk_to_madt(&legacy);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(ACPI0001_checksum_sum_zero_ok_else_refused),
        T(ACPI0002_rsdp_v1_valid),
        T(ACPI0003_rsdp_v2_valid_uses_xsdt),
        T(ACPI0004_rsdp_v2_zero_xsdt_uses_rsdt),
        T(ACPI0005_rsdp_bad_signature),
        T(ACPI0006_rsdp_bad_checksum),
        T(ACPI0007_rsdp_bad_extended_checksum),
        T(ACPI0008_rsdp_too_short),
        T(ACPI0009_rsdp_v2_bad_length_field),
        T(ACPI0010_rsdp_without_root_address),
        T(ACPI0011_rsdp_null_arguments),
        T(ACPI0012_find_xsdt_preferred_over_rsdt),
        T(ACPI0013_find_rsdt_fallback_revision0),
        T(ACPI0014_find_second_table_of_signature),
        T(ACPI0015_find_bad_checksum_table_skipped),
        T(ACPI0016_find_table_shorter_than_header_skipped),
        T(ACPI0017_find_zero_entry_skipped),
        T(ACPI0018_find_missing_signature_not_found),
        T(ACPI0019_find_root_map_refused),
        T(ACPI0020_find_entry_map_refused),
        T(ACPI0021_find_table_body_map_refused),
        T(ACPI0022_find_root_length_below_header),
        T(ACPI0023_find_root_truncated_by_memory_end),
        T(ACPI0024_find_root_partial_entry_ignored),
        T(ACPI0025_find_root_wrong_signature),
        T(ACPI0026_find_root_bad_checksum),
        T(ACPI0027_find_root_absurd_length),
        T(ACPI0028_find_through_unaligned_roots),
        T(ACPI0029_find_invalid_arguments),
        T(ACPI0057_find_table_changed_between_maps),
        T(ACPI0058_find_with_one_slot_map),
        T(ACPI0059_find_xsdt_entry_above_4gib),
        T(ACPI0060_find_entry_at_top_of_address_space),
        T(ACPI0030_madt_one_cpu),
        T(ACPI0031_madt_two_cpus),
        T(ACPI0032_madt_four_cpus),
        T(ACPI0033_madt_cpus_beyond_capacity_dropped),
        T(ACPI0034_madt_disabled_cpu_recorded),
        T(ACPI0035_madt_online_capable_cpu),
        T(ACPI0036_madt_ioapic_and_isos),
        T(ACPI0037_madt_irq_identity_without_override),
        T(ACPI0038_madt_lapic_address_override),
        T(ACPI0039_madt_x2apic_entries),
        T(ACPI0040_madt_lapic_nmi),
        T(ACPI0041_madt_nmi_source_and_unknown_counted),
        T(ACPI0042_madt_routing_capacities_dropped),
        T(ACPI0043_madt_longer_entry_accepted),
        T(ACPI0044_madt_entry_length_zero),
        T(ACPI0045_madt_entry_length_one),
        T(ACPI0046_madt_entry_past_table_end),
        T(ACPI0047_madt_trailing_single_byte),
        T(ACPI0048_madt_entry_short_for_type),
        T(ACPI0049_madt_bad_signature),
        T(ACPI0050_madt_bad_checksum),
        T(ACPI0051_madt_too_short),
        T(ACPI0052_madt_length_field_below_header),
        T(ACPI0053_madt_error_clears_output),
        T(ACPI0054_madt_header_only),
        T(ACPI0055_real_qemu_q35_smp4_madt),
        T(ACPI0056_real_qemu_q35_smp4_rsdp_root_walk),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
