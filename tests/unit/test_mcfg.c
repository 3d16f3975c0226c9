/*
 * Unit tests for the MCFG parser (kernel/acpi/acpi_mcfg.c): QEMU q35's
 * table as captured (tests/unit/data/qemu_q35_seabios_acpi.txt), and
 * every way a table can lie about its regions.
 */
#include "unit.h"

#include "acpi/acpi_mcfg.h"
#include "aether/errors.h"

/* QEMU 7.2 q35 with SeaBIOS: one region, 0xb0000000, segment 0, buses 0-255. */
static const uint8_t q35_mcfg[60] = {
    0x4D, 0x43, 0x46, 0x47, 0x3C, 0x00, 0x00, 0x00, 0x01, 0x8C, 0x42, 0x4F, 0x43, 0x48, 0x53, 0x20,
    0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20, 0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xB0,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00,
};

static uint8_t buf[44 + 16 * 8];

/* A table of n entries (q35's, based 256 MiB apart, segment i), checksummed. */
static size_t make(unsigned n)
{
    size_t len = 44 + 16 * n;
    uint8_t sum = 0;

    memcpy(buf, q35_mcfg, 44);
    for (unsigned i = 0; i < n; i++) {
        memcpy(buf + 44 + 16 * i, q35_mcfg + 44, 16);
        buf[44 + 16 * i + 3] = (uint8_t)(0x10 * (i + 1));     /* base 0x10000000 * (i + 1) */
        buf[44 + 16 * i + 8] = (uint8_t)i;                     /* segment i */
    }
    buf[4] = (uint8_t)len;
    buf[9] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + buf[i]);
    buf[9] = (uint8_t)-sum;
    return len;
}

static void fix_sum(size_t len)
{
    uint8_t sum = 0;

    buf[9] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + buf[i]);
    buf[9] = (uint8_t)-sum;
}

static void MCFG0001_q35_table(void **state)
{
    struct ae_pci_ecam r[AE_PCI_ECAM_MAX];
    unsigned n, total;

    assert_int_equal(acpi_parse_mcfg(q35_mcfg, sizeof(q35_mcfg), r, AE_PCI_ECAM_MAX, &n, &total),
                     AE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(total, 1);
    assert_int_equal(r[0].base, 0xb0000000ull);
    assert_int_equal(r[0].segment, 0);
    assert_int_equal(r[0].bus_first, 0);
    assert_int_equal(r[0].bus_last, 255);
}

static void MCFG0002_several_regions_and_the_limit(void **state)
{
    struct ae_pci_ecam r[AE_PCI_ECAM_MAX];
    unsigned n, total;
    size_t len = make(6);

    assert_int_equal(acpi_parse_mcfg(buf, len, r, AE_PCI_ECAM_MAX, &n, &total), AE_OK);
    assert_int_equal(n, AE_PCI_ECAM_MAX);
    assert_int_equal(total, 6);
    assert_int_equal(r[3].segment, 3);
    assert_int_equal(r[3].base, 0x40000000ull);
    len = make(0);                              /* no region at all: fine, none */
    assert_int_equal(acpi_parse_mcfg(buf, len, r, AE_PCI_ECAM_MAX, &n, &total), AE_OK);
    assert_int_equal(n, 0);
}

static void MCFG0003_lies_are_refused(void **state)
{
    struct ae_pci_ecam r[AE_PCI_ECAM_MAX];
    unsigned n = 9, total = 9;
    size_t len;

    /* not an MCFG; too short to be one */
    assert_int_equal(acpi_parse_mcfg(q35_mcfg, 43, r, 4, &n, &total), AE_ERR_INVAL);
    assert_int_equal(n, 0);
    memcpy(buf, q35_mcfg, sizeof(q35_mcfg));
    buf[0] = 'X';
    fix_sum(60);
    assert_int_equal(acpi_parse_mcfg(buf, 60, r, 4, &n, &total), AE_ERR_INVAL);
    /* checksum */
    memcpy(buf, q35_mcfg, sizeof(q35_mcfg));
    buf[50]++;
    assert_int_equal(acpi_parse_mcfg(buf, 60, r, 4, &n, &total), AE_ERR_CORRUPT);
    /* a length field past the bytes there are, or not 44 + 16 k */
    len = make(1);
    buf[4] = 76;
    fix_sum(len);
    assert_int_equal(acpi_parse_mcfg(buf, len, r, 4, &n, &total), AE_ERR_INVAL);
    assert_int_equal(n, 0);
    len = make(1);
    buf[4] = 59;
    fix_sum(59);
    assert_int_equal(acpi_parse_mcfg(buf, 59, r, 4, &n, &total), AE_ERR_CORRUPT);
    /* reversed buses */
    len = make(1);
    buf[44 + 10] = 9;
    buf[44 + 11] = 8;
    fix_sum(len);
    assert_int_equal(acpi_parse_mcfg(buf, len, r, 4, &n, &total), AE_ERR_CORRUPT);
    /* a base that is not 1 MiB-aligned, or 0, or that wraps */
    len = make(1);
    buf[44 + 2] = 0x01;
    fix_sum(len);
    assert_int_equal(acpi_parse_mcfg(buf, len, r, 4, &n, &total), AE_ERR_CORRUPT);
    len = make(1);
    memset(buf + 44, 0, 8);
    fix_sum(len);
    assert_int_equal(acpi_parse_mcfg(buf, len, r, 4, &n, &total), AE_ERR_CORRUPT);
    len = make(1);
    memset(buf + 44, 0xff, 8);
    buf[44 + 0] = buf[44 + 1] = 0;
    buf[44 + 2] = 0xf0;                         /* 0xfffffffffff00000: buses past 2^64 */
    fix_sum(len);
    assert_int_equal(acpi_parse_mcfg(buf, len, r, 4, &n, &total), AE_ERR_CORRUPT);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(MCFG0001_q35_table),
        cmocka_unit_test(MCFG0002_several_regions_and_the_limit),
        cmocka_unit_test(MCFG0003_lies_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
