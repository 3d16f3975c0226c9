/*
 * ACPI power data tests: the FADT parser (kernel/acpi/acpi_fadt.c), the
 * \_Sx package reader (aml_sleep.c), the boot-info summary (acpi_power.c)
 * and the table helpers they use (acpi_map_table, acpi_root_entry).
 *
 * Real tables: QEMU 7.2 -machine q35 and -machine pc under SeaBIOS, as the
 * kernel reads them (tests/unit/data/qemu_{q35,pc}_seabios_acpi.txt, made
 * by scripts/capture-acpi.sh), and the OVMF q35 capture of test_acpi.c.
 * Every parser input is an exact-size heap copy, so AddressSanitizer fails
 * a test that reads one byte past what it was given; acpi_power_read runs
 * over a one-slot map, so using a mapping after the next map call fails too.
 */
#include "unit.h"

#include "acpi/acpi_fadt.h"
#include "acpi/acpi_power.h"
#include "acpi/acpi_tables.h"
#include "acpi/aml_sleep.h"
#include "acpi_build.h"
#include "acpi_capture.h"

#define Q35 UNIT_DATA("qemu_q35_seabios_acpi.txt")
#define PC UNIT_DATA("qemu_pc_seabios_acpi.txt")
#define OVMF_Q35 UNIT_DATA("qemu_q35_smp4_rsdp_xsdt.txt")

static int setup(void **state)
{
    return 0;
}

static int teardown(void **state)
{
    capture_free();
    return 0;
}

static const struct capture_table *table(const char *sig)
{
    const struct capture_table *t = capture_find(sig);

    if (!t)
        fail_msg("no %s in the capture", sig);
    return t;
}

/* The captured table's bytes, to corrupt on purpose (the capture is the
 * test's own copy). */
static uint8_t *table_bytes(const char *sig)
{
    return ((struct capture_table *)table(sig))->data;
}

static const void *copy_of(const char *sig)
{
    const struct capture_table *t = table(sig);

    return capture_copy(t->data, t->len, t->phys);
}

static struct acpi_rsdp_info captured_rsdp(void)
{
    const struct capture_table *r = table("RSDP");
    struct acpi_rsdp_info ri;

    assert_int_equal(acpi_parse_rsdp(capture_copy(r->data, r->len, 0), r->len,
                                     &ri), AE_OK);
    return ri;
}

/* ---- FADT --------------------------------------------------------------- */

static void APWR0001_fadt_real_qemu_q35(void **state)
{
    struct acpi_fadt_info f;

    capture_load(Q35);
    assert_int_equal(acpi_parse_fadt(copy_of("FACP"), table("FACP")->len, &f), AE_OK);
    assert_int_equal(f.revision, 3);
    assert_int_equal(f.dsdt_phys, table("DSDT")->phys);
    assert_int_equal(f.sci_int, 9);
    assert_int_equal(f.smi_cmd, 0xB2);
    assert_int_equal(f.acpi_enable, 2);
    assert_int_equal(f.pm1a_cnt.space, ACPI_SPACE_IO);
    assert_int_equal(f.pm1a_cnt.address, 0x604);
    assert_int_equal(f.pm1a_cnt.bit_width, 16);
    assert_int_equal(f.pm1b_cnt.address, 0);
    /* QEMU's ICH9 reset control register: 0xCF9, value 0x0F (full reset). */
    assert_true(f.reset_supported);
    assert_int_equal(f.reset_reg.space, ACPI_SPACE_IO);
    assert_int_equal(f.reset_reg.address, 0xCF9);
    assert_int_equal(f.reset_reg.bit_width, 8);
    assert_int_equal(f.reset_value, 0x0F);
    assert_false(f.flags & FADT_HW_REDUCED);
}

static void APWR0002_fadt_real_qemu_pc_acpi1(void **state)
{
    struct acpi_fadt_info f;

    capture_load(PC);
    /* i440fx: a 116-byte revision 1 FADT: no reset register, no X_ fields. */
    assert_int_equal(table("FACP")->len, FADT_MIN_LEN);
    assert_int_equal(acpi_parse_fadt(copy_of("FACP"), FADT_MIN_LEN, &f), AE_OK);
    assert_int_equal(f.revision, 1);
    assert_int_equal(f.dsdt_phys, table("DSDT")->phys);
    assert_int_equal(f.pm1a_cnt.space, ACPI_SPACE_IO);
    assert_int_equal(f.pm1a_cnt.address, 0x604);
    assert_int_equal(f.pm1a_cnt.bit_width, 16);     /* PM1_CNT_LEN 2 */
    assert_int_equal(f.pm1b_cnt.address, 0);
    assert_false(f.reset_supported);
    assert_int_equal(f.reset_reg.address, 0);
}

static void APWR0003_fadt_real_ovmf_x_dsdt(void **state)
{
    struct acpi_fadt_info f;

    capture_load(OVMF_Q35);
    assert_int_equal(acpi_parse_fadt(copy_of("FACP"), table("FACP")->len, &f), AE_OK);
    assert_int_equal(f.dsdt_phys, 0x0777A000u);
    assert_int_equal(f.pm1a_cnt.address, 0x604);
    assert_int_equal(f.reset_reg.address, 0xCF9);
}

/* A synthetic FADT of length bytes (>= 36, <= 276) with the fields set
 * that the tests vary. */
static uint8_t fadt[276];

static void make_fadt(uint32_t length, uint8_t rev)
{
    memset(fadt, 0, sizeof fadt);
    memcpy(fadt, "FACP", 4);
    put_le(fadt + 4, length, 4);
    fadt[8] = rev;
    put_le(fadt + 40, 0x1000, 4);       /* DSDT */
    put_le(fadt + 64, 0x404, 4);        /* PM1a_CNT_BLK */
    put_le(fadt + 68, 0x444, 4);        /* PM1b_CNT_BLK */
    fadt[89] = 2;                       /* PM1_CNT_LEN */
    put_le(fadt + 112, FADT_RESET_REG_SUP, 4);
    if (length >= 129) {
        fadt[116] = ACPI_SPACE_IO;
        fadt[117] = 8;
        put_le(fadt + 120, 0xCF9, 8);
        fadt[128] = 6;
    }
    if (length >= 148)
        put_le(fadt + 140, 0x123456789000ull, 8);   /* X_DSDT */
    if (length >= 196) {
        fadt[172] = ACPI_SPACE_IO;      /* X_PM1a_CNT_BLK */
        fadt[173] = 16;
        put_le(fadt + 176, 0x504, 8);
    }
}

/* Fixes the checksum over the length field's bytes and parses an exact
 * copy of len bytes. */
static int parse_fadt(size_t len, struct acpi_fadt_info *f)
{
    uint32_t length = (uint32_t)(fadt[4] | fadt[5] << 8 | fadt[6] << 16 |
                                 (uint32_t)fadt[7] << 24);

    if (length <= sizeof fadt)
        fix_checksum(fadt, length, 9);
    return acpi_parse_fadt(capture_copy(fadt, len, 0), len, f);
}

static void APWR0004_fadt_x_fields_win_when_nonzero(void **state)
{
    struct acpi_fadt_info f;

    make_fadt(244, 3);
    assert_int_equal(parse_fadt(244, &f), AE_OK);
    assert_int_equal(f.dsdt_phys, 0x123456789000ull);
    assert_int_equal(f.pm1a_cnt.address, 0x504);
    assert_int_equal(f.pm1a_cnt.bit_width, 16);
    /* X_PM1b is zero: the 32-bit port stands, an I/O register of
     * PM1_CNT_LEN bytes. */
    assert_int_equal(f.pm1b_cnt.space, ACPI_SPACE_IO);
    assert_int_equal(f.pm1b_cnt.address, 0x444);
    assert_int_equal(f.pm1b_cnt.bit_width, 16);
    /* Zero X_ fields: the 32-bit ones. */
    memset(fadt + 140, 0, 8);
    memset(fadt + 172, 0, 12);
    assert_int_equal(parse_fadt(244, &f), AE_OK);
    assert_int_equal(f.dsdt_phys, 0x1000);
    assert_int_equal(f.pm1a_cnt.address, 0x404);
}

static void APWR0005_fadt_fields_past_length_are_absent(void **state)
{
    struct acpi_fadt_info f;

    /* 150 bytes: X_DSDT is in, X_PM1a_CNT_BLK (172..184) is not, though
     * the buffer behind the copy would have it. */
    make_fadt(244, 3);
    put_le(fadt + 4, 150, 4);
    assert_int_equal(parse_fadt(150, &f), AE_OK);
    assert_int_equal(f.dsdt_phys, 0x123456789000ull);
    assert_int_equal(f.pm1a_cnt.address, 0x404);
    /* 128 bytes: RESET_REG_SUP is set but RESET_VALUE (byte 128) is
     * missing: no reset register. */
    make_fadt(244, 2);
    put_le(fadt + 4, 128, 4);
    assert_int_equal(parse_fadt(128, &f), AE_OK);
    assert_false(f.reset_supported);
    put_le(fadt + 4, 129, 4);
    assert_int_equal(parse_fadt(129, &f), AE_OK);
    assert_true(f.reset_supported);
    assert_int_equal(f.reset_value, 6);
}

static void APWR0006_fadt_reset_needs_the_flag(void **state)
{
    struct acpi_fadt_info f;

    make_fadt(244, 3);
    put_le(fadt + 112, 0, 4);
    assert_int_equal(parse_fadt(244, &f), AE_OK);
    assert_false(f.reset_supported);
    assert_int_equal(f.reset_reg.address, 0);
}

static void APWR0007_fadt_malformed(void **state)
{
    struct acpi_fadt_info f;

    make_fadt(244, 3);
    assert_int_equal(parse_fadt(244, &f), AE_OK);
    fadt[50] ^= 1;                      /* checksum no longer adds up */
    assert_int_equal(acpi_parse_fadt(capture_copy(fadt, 244, 0), 244, &f),
                     AE_ERR_CORRUPT);
    assert_int_equal(f.pm1a_cnt.address, 0);        /* cleared on error */
    make_fadt(FADT_MIN_LEN - 1, 1);     /* shorter than ACPI 1.0's */
    assert_int_equal(parse_fadt(FADT_MIN_LEN + 8, &f), AE_ERR_CORRUPT);
    assert_int_equal(parse_fadt(FADT_MIN_LEN - 1, &f), AE_ERR_INVAL);
    make_fadt(244, 3);
    assert_int_equal(parse_fadt(243, &f), AE_ERR_INVAL);   /* len < length */
    memcpy(fadt, "FADT", 4);
    assert_int_equal(parse_fadt(244, &f), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_fadt(NULL, 244, &f), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_fadt(fadt, 244, NULL), AE_ERR_INVAL);
}

/* Every truncation of a real FADT is refused without reading past it. */
static void APWR0008_fadt_every_truncation_refused(void **state)
{
    const struct capture_table *t;
    struct acpi_fadt_info f;

    capture_load(Q35);
    t = table("FACP");
    for (size_t len = 0; len < t->len; len++)
        assert_int_equal(acpi_parse_fadt(capture_copy(t->data, len, t->phys),
                                         len, &f), AE_ERR_INVAL);
    assert_int_equal(acpi_parse_fadt(capture_copy(t->data, t->len, t->phys),
                                     t->len, &f), AE_OK);
}

/* ---- \_Sx packages ------------------------------------------------------ */

static int sleep_type(const uint8_t *aml, size_t len, unsigned state,
                      uint8_t *a, uint8_t *b)
{
    return aml_sleep_type(capture_copy(aml, len, 0), len, state, a, b);
}

#define S5(...) {0x08, '_', 'S', '5', '_', 0x12, __VA_ARGS__}

static void expect_s5(const uint8_t *aml, size_t len, int err, uint8_t a, uint8_t b)
{
    uint8_t ga = 0xee, gb = 0xee;

    assert_int_equal(sleep_type(aml, len, 5, &ga, &gb), err);
    if (err == AE_OK) {
        assert_int_equal(ga, a);
        assert_int_equal(gb, b);
    } else {
        assert_int_equal(ga, 0xee);     /* untouched on error */
        assert_int_equal(gb, 0xee);
    }
}
#define EXPECT_S5(err, a, b, ...)                                           \
    do {                                                                    \
        static const uint8_t aml_[] = __VA_ARGS__;                          \
        expect_s5(aml_, sizeof aml_, err, a, b);                            \
    } while (0)

/* QEMU's DSDTs: _S3 {One, One}, _S4 {0x02, 0x02} (BytePrefix), _S5
 * {Zero, Zero}: the three encodings the brief names, in real AML. */
static void check_real_dsdt(const char *path)
{
    const struct capture_table *t;
    uint8_t a, b;

    capture_load(path);
    t = table("DSDT");
    assert_true(t->len > 36);
    for (unsigned s = 3; s <= 5; s++) {
        static const uint8_t want[6] = {[3] = 1, [4] = 2, [5] = 0};

        assert_int_equal(sleep_type(t->data + 36, t->len - 36, s, &a, &b), AE_OK);
        assert_int_equal(a, want[s]);
        assert_int_equal(b, want[s]);
    }
    assert_int_equal(sleep_type(t->data + 36, t->len - 36, 1, &a, &b),
                     AE_ERR_NOTFOUND);
}

static void APWR0010_aml_real_qemu_q35(void **state)
{
    check_real_dsdt(Q35);
}

static void APWR0011_aml_real_qemu_pc(void **state)
{
    check_real_dsdt(PC);
}

static void APWR0012_aml_encodings(void **state)
{
    EXPECT_S5(AE_OK, 5, 5, S5(0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00));
    EXPECT_S5(AE_OK, 0, 1, S5(0x04, 0x02, 0x00, 0x01));
    EXPECT_S5(AE_OK, 7, 3, S5(0x07, 0x02, 0x0B, 0x07, 0x00, 0x0A, 0x03));
    EXPECT_S5(AE_OK, 4, 2, S5(0x10, 0x02, 0x0C, 0x04, 0, 0, 0, 0x0E, 2, 0, 0, 0, 0, 0, 0, 0));
    /* \_S5_ with the root prefix. */
    EXPECT_S5(AE_OK, 6, 6, {0x08, 0x5C, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                            0x0A, 0x06, 0x0A, 0x06, 0x00, 0x00});
    /* A two-byte PkgLength (0x48 0x00 = 8). */
    EXPECT_S5(AE_OK, 5, 5, S5(0x48, 0x00, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00));
    /* One element: SLP_TYPa in its low byte, SLP_TYPb in the next. */
    EXPECT_S5(AE_OK, 5, 7, S5(0x05, 0x01, 0x0B, 0x05, 0x07));
    /* Elements past the second are not looked at. */
    EXPECT_S5(AE_OK, 1, 1, S5(0x05, 0x04, 0x01, 0x01, 0x70));
}

static void APWR0013_aml_not_found(void **state)
{
    uint8_t a, b;

    EXPECT_S5(AE_ERR_NOTFOUND, 0, 0, {0x00});
    /* A reference to _S5_, not its definition. */
    EXPECT_S5(AE_ERR_NOTFOUND, 0, 0, {0x70, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0, 0});
    /* Name(_S5_, 5): not a package. */
    EXPECT_S5(AE_ERR_NOTFOUND, 0, 0, {0x08, '_', 'S', '5', '_', 0x0A, 0x05});
    /* Another state's package. */
    EXPECT_S5(AE_ERR_NOTFOUND, 0, 0, {0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0, 0});
    assert_int_equal(aml_sleep_type("", 0, 5, &a, &b), AE_ERR_NOTFOUND);
    assert_int_equal(aml_sleep_type(NULL, 0, 5, &a, &b), AE_ERR_INVAL);
    assert_int_equal(aml_sleep_type("", 0, 6, &a, &b), AE_ERR_INVAL);
    assert_int_equal(aml_sleep_type("", 0, 5, NULL, &b), AE_ERR_INVAL);
}

static void APWR0014_aml_lying_pkglength(void **state)
{
    /* Longer than the AML that is left. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x3F, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00));
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x4F, 0xFF, 0x04, 0x00, 0x00));
    /* Too short for the elements it claims: element 0's byte is outside. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x03, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00));
    /* Too short to hold even NumElements and one element. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x02, 0x04, 0x00, 0x00));
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x00));
    /* Follow bytes announced past the end of the AML. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0xC0));
    /* A multi-byte lead with bits 5-4 set is not a PkgLength. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x76, 0x00, 0x04, 0x00, 0x00, 0x00));
}

static void APWR0015_aml_bad_elements(void **state)
{
    /* No elements; two declared but one initialised. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x03, 0x00, 0x00));
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x03, 0x02, 0x00));
    /* A DWord cut by the package's end (the AML goes on). */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, S5(0x05, 0x02, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x00));
    /* A name where a constant should be. */
    EXPECT_S5(AE_ERR_UNSUPPORTED, 0, 0, S5(0x07, 0x02, 0x5C, 'S', 'L', 'P', 'A', 0x00));
    /* SLP_TYP is 3 bits. */
    EXPECT_S5(AE_ERR_RANGE, 0, 0, S5(0x05, 0x02, 0x0A, 0x08, 0x00));
    EXPECT_S5(AE_ERR_RANGE, 0, 0, S5(0x04, 0x02, 0x00, 0xFF));
    EXPECT_S5(AE_ERR_RANGE, 0, 0, S5(0x05, 0x01, 0x0B, 0x05, 0x08));
}

static void APWR0016_aml_first_good_candidate_wins(void **state)
{
    /* A malformed candidate, then a good one. */
    EXPECT_S5(AE_OK, 3, 4, {0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x00, 0x00,
                            0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                            0x0A, 0x03, 0x0A, 0x04, 0x00, 0x00});
    /* Two bad ones: the first one's error. */
    EXPECT_S5(AE_ERR_CORRUPT, 0, 0, {0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x00, 0x00,
                                     0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02,
                                     0x5C, 0x00});
}

/* The package cut at every length: an error (never a value), and no read
 * past the cut. */
static void APWR0017_aml_every_truncation(void **state)
{
    static const uint8_t aml[] = S5(0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00);
    uint8_t a, b;

    for (size_t len = 0; len < sizeof aml; len++) {
        int err = sleep_type(aml, len, 5, &a, &b);

        assert_int_equal(err, len < 6 ? AE_ERR_NOTFOUND : AE_ERR_CORRUPT);
    }
    assert_int_equal(sleep_type(aml, sizeof aml, 5, &a, &b), AE_OK);
}

/* Random bytes after a _S5_ header, and random AML with headers sprinkled
 * in: any error code the contract allows, values in range on success,
 * never a read past the buffer (ASan). */
static void APWR0018_aml_random(void **state)
{
    static const uint8_t heads[2][7] = {
        {0x08, 0x5C, '_', 'S', '5', '_', 0x12},
        {0x08, '_', 'S', '5', '_', 0x12, 0x00},     /* 6 bytes, or 7 with a 0 */
    };
    unsigned seen[17] = {0};

    rng_state = 0xacb1;
    for (int iter = 0; iter < 200000; iter++) {
        size_t len = rng() % 48;
        uint8_t *p = malloc(len ? len : 1);
        uint8_t a = 0xee, b = 0xee;
        int err;

        assert_non_null(p);
        for (size_t i = 0; i < len; i++) {
            uint64_t r = rng();
            /* Small values most of the time: they are the opcodes. */
            p[i] = (uint8_t)(r % 4 ? r % 16 : r >> 8);
        }
        for (size_t at = rng() % 8; at + 7 <= len; at += 7 + rng() % 24)
            memcpy(p + at, heads[rng() % 2], rng() % 2 ? 7 : 6);
        err = aml_sleep_type(p, len, 5, &a, &b);
        assert_true(err == AE_OK || err == AE_ERR_NOTFOUND || err == AE_ERR_CORRUPT ||
                    err == AE_ERR_UNSUPPORTED || err == AE_ERR_RANGE);
        if (err == AE_OK)
            assert_true(a <= 7 && b <= 7);
        else
            assert_true(a == 0xee && b == 0xee);
        seen[-err]++;
        free(p);
    }
    /* The generator reaches every outcome. */
    assert_true(seen[0] && seen[-AE_ERR_NOTFOUND] && seen[-AE_ERR_CORRUPT] &&
                seen[-AE_ERR_UNSUPPORTED] && seen[-AE_ERR_RANGE]);
}

/* ---- table helpers ------------------------------------------------------ */

static void APWR0020_root_entry_walks_every_table(void **state)
{
    static const char *const sigs[] = {"FACP", "APIC", "HPET", "MCFG", "WAET"};
    struct acpi_rsdp_info ri;
    uint64_t phys = 1;

    capture_load(Q35);
    ri = captured_rsdp();
    assert_false(ri.use_xsdt);                      /* SeaBIOS: RSDT */
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(acpi_root_entry(&ri, i, capture_map_one_slot, NULL, &phys), AE_OK);
        assert_int_equal(phys, table(sigs[i])->phys);
    }
    assert_int_equal(acpi_root_entry(&ri, 5, capture_map_one_slot, NULL, &phys),
                     AE_ERR_NOTFOUND);
    assert_int_equal(phys, 0);
    assert_int_equal(acpi_root_entry(NULL, 0, capture_map_one_slot, NULL, &phys),
                     AE_ERR_INVAL);
    ri.root_phys = 0x1000;                          /* not captured */
    assert_int_equal(acpi_root_entry(&ri, 0, capture_map_one_slot, NULL, &phys),
                     AE_ERR_FAULT);
}

static void APWR0021_map_table(void **state)
{
    const struct acpi_sdt_header *t = (const void *)1;
    uint64_t dsdt;

    capture_load(Q35);
    dsdt = table("DSDT")->phys;
    assert_int_equal(acpi_map_table(dsdt, "DSDT", capture_map_one_slot, NULL, &t), AE_OK);
    assert_int_equal(t->length, table("DSDT")->len);
    assert_int_equal(acpi_map_table(dsdt, NULL, capture_map_one_slot, NULL, &t), AE_OK);
    assert_memory_equal(t->signature, "DSDT", 4);
    assert_int_equal(acpi_map_table(dsdt, "FACP", capture_map_one_slot, NULL, &t),
                     AE_ERR_NOTFOUND);
    assert_null(t);
    assert_int_equal(acpi_map_table(0, "DSDT", capture_map_one_slot, NULL, &t),
                     AE_ERR_NOTFOUND);
    assert_int_equal(acpi_map_table(0x1000, "DSDT", capture_map_one_slot, NULL, &t),
                     AE_ERR_FAULT);
    assert_int_equal(acpi_map_table(UINT64_MAX - 8, "DSDT", capture_map_one_slot,
                                    NULL, &t), AE_ERR_FAULT);
    assert_int_equal(acpi_map_table(dsdt, "DSD", capture_map_one_slot, NULL, &t),
                     AE_ERR_INVAL);
    assert_int_equal(acpi_map_table(dsdt, "DSDT", NULL, NULL, &t), AE_ERR_INVAL);
    table_bytes("DSDT")[100] ^= 0x40;
    assert_int_equal(acpi_map_table(dsdt, "DSDT", capture_map_one_slot, NULL, &t),
                     AE_ERR_CORRUPT);
    put_le(table_bytes("DSDT") + 4, 35, 4);
    assert_int_equal(acpi_map_table(dsdt, "DSDT", capture_map_one_slot, NULL, &t),
                     AE_ERR_CORRUPT);
    /* Longer than the memory behind it: the whole-table map is refused. */
    put_le(table_bytes("DSDT") + 4, (uint32_t)table("DSDT")->len + 1, 4);
    assert_int_equal(acpi_map_table(dsdt, "DSDT", capture_map_one_slot, NULL, &t),
                     AE_ERR_FAULT);
}

/* ---- the boot-info summary ---------------------------------------------- */

static int power_read(struct ae_acpi_power *p, const char **stage)
{
    struct acpi_rsdp_info ri = captured_rsdp();

    return acpi_power_read(&ri, capture_map_one_slot, NULL, p, stage);
}

/* The whole struct, reserved bytes included, as init receives it. */
static void check_power(const char *path, const struct ae_acpi_power *want)
{
    struct ae_acpi_power p;
    const char *stage = "x";

    capture_load(path);
    assert_int_equal(power_read(&p, &stage), AE_OK);
    assert_null(stage);
    assert_memory_equal(&p, want, sizeof p);
}

static void APWR0030_power_real_qemu_q35(void **state)
{
    const struct ae_acpi_power want = {
        .flags = AE_ACPI_POWER_FADT, .pm1a_cnt = 0x604, .slp_typ_a = 0,
        .slp_typ_b = 0, .smi_cmd = 0xB2, .acpi_enable = 2,
        .reset_space = AE_ACPI_SPACE_IO, .reset_addr = 0xCF9,
        .reset_value = 0x0F, .reset_width = 8,
    };

    check_power(Q35, &want);
}

static void APWR0031_power_real_qemu_pc(void **state)
{
    /* An ACPI 1.0 FADT: no reset register. */
    const struct ae_acpi_power want = {
        .flags = AE_ACPI_POWER_FADT, .pm1a_cnt = 0x604, .slp_typ_a = 0,
        .slp_typ_b = 0, .smi_cmd = 0xB2, .acpi_enable = 0xF1,
        .reset_space = AE_ACPI_SPACE_NONE,
    };

    check_power(PC, &want);
}

/* power_read fails with err at the step named stage. */
static void power_fails(struct ae_acpi_power *p, int err, const char *stage)
{
    const char *got = NULL;

    assert_int_equal(power_read(p, &got), err);
    assert_non_null(got);
    assert_string_equal(got, stage);
}

static void APWR0032_power_dsdt_missing_keeps_fadt_data(void **state)
{
    struct ae_acpi_power p;

    capture_load(OVMF_Q35);             /* its DSDT was not captured */
    power_fails(&p, AE_ERR_FAULT, "DSDT");
    assert_int_equal(p.pm1a_cnt, 0x604);
    assert_int_equal(p.reset_addr, 0xCF9);
    assert_int_equal(p.slp_typ_a, AE_ACPI_SLP_TYP_UNKNOWN);
    assert_int_equal(p.slp_typ_b, AE_ACPI_SLP_TYP_UNKNOWN);
}

static void APWR0033_power_bad_dsdt_or_no_s5(void **state)
{
    struct ae_acpi_power p;
    uint8_t *d;
    size_t len;

    capture_load(Q35);
    d = table_bytes("DSDT");
    len = table("DSDT")->len;
    d[200] ^= 1;                        /* checksum */
    power_fails(&p, AE_ERR_CORRUPT, "DSDT");
    assert_int_equal(p.pm1a_cnt, 0x604);
    d[200] ^= 1;
    for (size_t i = 36; i + 4 <= len; i++)      /* no _S5_ any more */
        if (memcmp(d + i, "_S5_", 4) == 0)
            d[i + 2] = '6';
    fix_checksum(d, len, 9);
    power_fails(&p, AE_ERR_NOTFOUND, "\\_S5");
    assert_int_equal(p.slp_typ_a, AE_ACPI_SLP_TYP_UNKNOWN);
    assert_int_equal(p.pm1a_cnt, 0x604);
}

static void APWR0034_power_no_fadt(void **state)
{
    struct ae_acpi_power p;

    capture_load(Q35);
    memcpy(table_bytes("FACP"), "FACQ", 4);
    power_fails(&p, AE_ERR_NOTFOUND, "FADT");
    assert_int_equal(p.flags, 0);
    assert_int_equal(p.pm1a_cnt, 0);
    assert_int_equal(p.slp_typ_a, AE_ACPI_SLP_TYP_UNKNOWN);
    assert_int_equal(p.reset_space, AE_ACPI_SPACE_NONE);
    assert_int_equal(acpi_power_read(NULL, capture_map_one_slot, NULL, NULL, NULL),
                     AE_ERR_INVAL);
}

static void APWR0035_power_from_fadt_only_usable_registers(void **state)
{
    struct acpi_fadt_info f;
    struct ae_acpi_power p;

    memset(&f, 0, sizeof f);
    f.flags = FADT_HW_REDUCED;
    f.pm1a_cnt = (struct acpi_gas){ACPI_SPACE_MEMORY, 16, 0, 2, 0xfed00000};
    f.pm1b_cnt = (struct acpi_gas){ACPI_SPACE_IO, 16, 0, 2, 0x10000};
    f.smi_cmd = 0x12345;
    f.acpi_enable = 0xa0;
    f.reset_supported = true;
    f.reset_reg = (struct acpi_gas){0x7f, 8, 0, 1, 0x1234};     /* FFixedHW */
    f.reset_value = 1;
    acpi_power_unknown(&p);
    acpi_power_from_fadt(&f, &p);
    assert_int_equal(p.flags, AE_ACPI_POWER_FADT | AE_ACPI_POWER_HW_REDUCED);
    assert_int_equal(p.pm1a_cnt, 0);    /* memory: not a port */
    assert_int_equal(p.pm1b_cnt, 0);    /* not below 0x10000 */
    assert_int_equal(p.smi_cmd, 0);
    assert_int_equal(p.acpi_enable, 0);
    assert_int_equal(p.reset_space, AE_ACPI_SPACE_NONE);
    f.reset_reg = (struct acpi_gas){ACPI_SPACE_MEMORY, 8, 0, 1, 0xfee01000};
    acpi_power_unknown(&p);
    acpi_power_from_fadt(&f, &p);
    assert_int_equal(p.reset_space, AE_ACPI_SPACE_MEMORY);
    assert_int_equal(p.reset_addr, 0xfee01000);
    assert_int_equal(p.reset_value, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(APWR0001_fadt_real_qemu_q35),
        T(APWR0002_fadt_real_qemu_pc_acpi1),
        T(APWR0003_fadt_real_ovmf_x_dsdt),
        T(APWR0004_fadt_x_fields_win_when_nonzero),
        T(APWR0005_fadt_fields_past_length_are_absent),
        T(APWR0006_fadt_reset_needs_the_flag),
        T(APWR0007_fadt_malformed),
        T(APWR0008_fadt_every_truncation_refused),
        T(APWR0010_aml_real_qemu_q35),
        T(APWR0011_aml_real_qemu_pc),
        T(APWR0012_aml_encodings),
        T(APWR0013_aml_not_found),
        T(APWR0014_aml_lying_pkglength),
        T(APWR0015_aml_bad_elements),
        T(APWR0016_aml_first_good_candidate_wins),
        T(APWR0017_aml_every_truncation),
        T(APWR0018_aml_random),
        T(APWR0020_root_entry_walks_every_table),
        T(APWR0021_map_table),
        T(APWR0030_power_real_qemu_q35),
        T(APWR0031_power_real_qemu_pc),
        T(APWR0032_power_dsdt_missing_keeps_fadt_data),
        T(APWR0033_power_bad_dsdt_or_no_s5),
        T(APWR0034_power_no_fadt),
        T(APWR0035_power_from_fadt_only_usable_registers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
