/*
 * Unit tests for the PCI routing table reader (kernel/acpi/aml_prt.c):
 * QEMU's real DSDTs (q35: the APIC table through links GSIA-GSIH; pc: the
 * links compute their _CRS, so nothing resolves), hand-made tables of
 * each form, and hostile bytes.
 */
#include "unit.h"

#include "acpi/aml_prt.h"
#include "acpi_capture.h"

#define Q35 UNIT_DATA("qemu_q35_seabios_acpi.txt")
#define PC UNIT_DATA("qemu_pc_seabios_acpi.txt")

static const struct capture_table *dsdt(const char *path)
{
    const struct capture_table *t;

    capture_load(path);
    t = capture_find("DSDT");
    assert_non_null(t);
    assert_true(t->len > 36);
    return t;
}

static void APRT0001_real_qemu_q35(void **state)
{
    const struct capture_table *t = dsdt(Q35);
    struct ae_pci_route r[160];
    int n = aml_pci_routes(t->data + 36, t->len - 36, r, 160);

    (void)state;
    /* PRTA: 32 devices x 4 pins, each on a link GSIA-GSIH (GSI 16-23,
     * Level, ActiveHigh in their _CRS). */
    assert_int_equal(n, 128);
    for (int i = 0; i < n; i++) {
        assert_int_equal(r[i].dev, i / 4);
        assert_int_equal(r[i].pin, i % 4);
        assert_true(r[i].gsi >= 16 && r[i].gsi <= 23);
        assert_int_equal(r[i].inti_flags, 0x0d);        /* level, active high */
    }
    /* Read off iasl's listing of the same DSDT: device 0 INTA is GSIE,
     * device 3 (the tests' virtio-net) INTA GSIH and INTB GSIE, and
     * 0x19-0x1F (ICH9's own functions) start at GSIA. */
    assert_int_equal(r[0].gsi, 20);
    assert_int_equal(r[3 * 4].gsi, 23);
    assert_int_equal(r[3 * 4 + 1].gsi, 20);
    assert_int_equal(r[0x19 * 4].gsi, 16);
    assert_int_equal(r[0x1f * 4 + 3].gsi, 19);
    /* Fewer wanted: the first max, the same count returned. */
    assert_int_equal(aml_pci_routes(t->data + 36, t->len - 36, r, 5), 5);
    assert_int_equal(r[4].dev, 1);
}

static void APRT0002_real_qemu_pc_nothing_static(void **state)
{
    const struct capture_table *t = dsdt(PC);
    struct ae_pci_route r[160];

    (void)state;
    assert_int_equal(aml_pci_routes(t->data + 36, t->len - 36, r, 160), AE_ERR_NOTFOUND);
    assert_int_equal(aml_pci_routes(NULL, 10, r, 1), AE_ERR_INVAL);
    assert_int_equal(aml_pci_routes(t->data, 10, NULL, 1), AE_ERR_INVAL);
}

/* ---- a tiny AML writer ---------------------------------------------------- */

struct aml {
    uint8_t b[4096];
    size_t n;
};

static void put(struct aml *a, const void *p, size_t n)
{
    assert_true(a->n + n <= sizeof(a->b));
    memcpy(a->b + a->n, p, n);
    a->n += n;
}

static void put1(struct aml *a, uint8_t v)
{
    put(a, &v, 1);
}

/* op, PkgLength, then body (its own bytes). */
static void wrap(struct aml *a, const uint8_t *op, size_t opn, const struct aml *body)
{
    size_t len = body->n + 1;

    put(a, op, opn);
    if (len < 64) {
        put1(a, (uint8_t)len);
    } else {
        len++;
        assert_true(len < 4096);
        put1(a, (uint8_t)(0x40 | (len & 0x0f)));
        put1(a, (uint8_t)(len >> 4));
    }
    put(a, body->b, body->n);
}

static void dword(struct aml *a, uint32_t v)
{
    uint8_t b[5] = {0x0c, (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(a, b, 5);
}

/* Package (4) { dev << 16 | 0xFFFF, pin, source (raw bytes, or Zero), index } */
static void entry(struct aml *a, unsigned dev, unsigned pin, const char *source, uint32_t index)
{
    struct aml e = {.n = 0};
    static const uint8_t pkg = 0x12;

    put1(&e, 4);
    dword(&e, dev << 16 | 0xffff);
    put1(&e, 0x0a);
    put1(&e, (uint8_t)pin);
    if (source)
        put(&e, source, strlen(source));
    else
        put1(&e, 0x00);
    dword(&e, index);
    wrap(a, &pkg, 1, &e);
}

/* Device (name) { Name (_CRS, Buffer () { res }) } */
static void link_device(struct aml *a, const char *name, const uint8_t *res, size_t resn)
{
    static const uint8_t dev[2] = {0x5b, 0x82}, buf = 0x11;
    struct aml d = {.n = 0}, b = {.n = 0};

    put(&d, name, 4);
    put(&d, "\x08_CRS", 5);
    put1(&b, 0x0a);
    put1(&b, (uint8_t)resn);
    put(&b, res, resn);
    wrap(&d, &buf, 1, &b);
    wrap(a, dev, 2, &d);
}

static void APRT0003_each_source_form(void **state)
{
    /* IRQ 11, level, active low, shared; end tag. */
    static const uint8_t irq11[] = {0x23, 0x00, 0x08, 0x18, 0x79, 0x00};
    /* Extended Interrupt: consumer, edge, active low; GSI 40. */
    static const uint8_t ext40[] = {0x89, 0x06, 0x00, 0x07, 0x01, 40, 0, 0, 0, 0x79, 0x00};
    static const uint8_t pkg = 0x12;
    struct aml a = {.n = 0}, t = {.n = 0};
    struct ae_pci_route r[8];

    (void)state;
    put1(&t, 5);
    entry(&t, 2, 0, NULL, 16);                      /* a GSI itself */
    entry(&t, 2, 1, NULL, 17);
    entry(&t, 5, 0, "LNKQ", 0);                     /* a link */
    entry(&t, 5, 1, "\\/\x03_SB_PCI0LNKX", 0);     /* a path to one */
    entry(&t, 31, 3, "^\x2e_SB_LNKQ", 0);          /* a dual name, under the parent */
    link_device(&a, "LNKQ", irq11, sizeof(irq11));
    wrap(&a, &pkg, 1, &t);
    link_device(&a, "LNKX", ext40, sizeof(ext40));
    assert_int_equal(aml_pci_routes(a.b, a.n, r, 8), 5);
    assert_int_equal(r[0].dev, 2);
    assert_int_equal(r[0].pin, 0);
    assert_int_equal(r[0].gsi, 16);
    assert_int_equal(r[0].inti_flags, 0x0f);
    assert_int_equal(r[1].gsi, 17);
    assert_int_equal(r[2].dev, 5);
    assert_int_equal(r[2].gsi, 11);
    assert_int_equal(r[2].inti_flags, 0x0f);        /* level, active low */
    assert_int_equal(r[3].pin, 1);
    assert_int_equal(r[3].gsi, 40);
    assert_int_equal(r[3].inti_flags, 0x07);        /* edge, active low */
    assert_int_equal(r[4].dev, 31);
    assert_int_equal(r[4].pin, 3);
    assert_int_equal(r[4].gsi, 11);

    /* Every cut of it: never a read past the end (ASan), only a shorter
     * answer or none. */
    for (size_t cut = 0; cut < a.n; cut++) {
        uint8_t *p = malloc(cut ? cut : 1);
        int n;

        memcpy(p, a.b, cut);
        n = aml_pci_routes(p, cut, r, 8);
        assert_true(n == AE_ERR_NOTFOUND || (n > 0 && n <= 5));
        free(p);
    }
}

static void APRT0004_unresolvable_tables_passed_over(void **state)
{
    static const uint8_t pkg = 0x12, meth = 0x14;
    static const uint8_t irq11[] = {0x23, 0x00, 0x08, 0x18, 0x79, 0x00};
    struct aml a = {.n = 0}, t = {.n = 0}, bad = {.n = 0}, m = {.n = 0};
    struct ae_pci_route r[4];

    (void)state;
    /* A link with no such device, then one whose _CRS is a method. */
    put1(&bad, 1);
    entry(&bad, 1, 0, "NOPE", 0);
    wrap(&a, &pkg, 1, &bad);
    bad.n = 0;
    put1(&bad, 1);
    entry(&bad, 1, 0, "LNKM", 0);
    wrap(&a, &pkg, 1, &bad);
    {
        static const uint8_t dev[2] = {0x5b, 0x82};
        struct aml d = {.n = 0};

        put(&d, "LNKM", 4);
        put(&m, "_CRS", 4);
        put1(&m, 0x00);                         /* flags; an empty body */
        wrap(&d, &meth, 1, &m);
        wrap(&a, dev, 2, &d);
    }
    /* Entries out of range: an address without 0xFFFF, pin 4, dev 32. */
    bad.n = 0;
    put1(&bad, 1);
    entry(&bad, 1, 4, NULL, 16);
    wrap(&a, &pkg, 1, &bad);
    bad.n = 0;
    put1(&bad, 1);
    entry(&bad, 32, 0, NULL, 16);
    wrap(&a, &pkg, 1, &bad);
    assert_int_equal(aml_pci_routes(a.b, a.n, r, 4), AE_ERR_NOTFOUND);
    /* Then a good one: found after all of those. */
    put1(&t, 1);
    entry(&t, 9, 2, "LNKG", 0);
    wrap(&a, &pkg, 1, &t);
    link_device(&a, "LNKG", irq11, sizeof(irq11));
    assert_int_equal(aml_pci_routes(a.b, a.n, r, 4), 1);
    assert_int_equal(r[0].dev, 9);
    assert_int_equal(r[0].pin, 2);
    assert_int_equal(r[0].gsi, 11);
}

static void APRT0005_random_bytes(void **state)
{
    const struct capture_table *t = dsdt(Q35);
    unsigned found = 0, none = 0;

    (void)state;
    rng_state = 0x9e3779b97f4a7c15ull;
    /* The real DSDT with bytes changed at random, and cut at random. */
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = t->len - 36 - rng() % 64;
        uint8_t *p = malloc(len);
        struct ae_pci_route r[128];
        int n;

        memcpy(p, t->data + 36, len);
        for (int k = 0; k < 1 + (int)(rng() % 40); k++)
            p[rng() % len] = (uint8_t)rng();
        n = aml_pci_routes(p, len, r, 128);
        assert_true(n == AE_ERR_NOTFOUND || (n > 0 && n <= 128));
        for (int i = 0; i < n; i++)
            assert_true(r[i].dev <= 31 && r[i].pin <= 3);
        n > 0 ? found++ : none++;
        free(p);
    }
    assert_true(found && none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(APRT0001_real_qemu_q35),
        cmocka_unit_test(APRT0002_real_qemu_pc_nothing_static),
        cmocka_unit_test(APRT0003_each_source_form),
        cmocka_unit_test(APRT0004_unresolvable_tables_passed_over),
        cmocka_unit_test(APRT0005_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
