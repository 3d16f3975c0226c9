/*
 * Unit tests for user/lib/pci_cfg.c against a fake function's
 * configuration space: identity and class, BAR sizing (I/O, 32-bit,
 * 64-bit prefetchable, unimplemented) with every register put back and
 * decoding off while a BAR holds ones, bridges, and capability lists that
 * lie (loops, pointers into the header).
 */
#include "unit.h"

#include "pci_cfg.h"
#include "virtio_pci.h"

struct fake {
    uint32_t cfg[64];           /* 256 bytes */
    uint32_t bar_mask[6];       /* the BAR's writable bits */
    int writes_with_decode_on;  /* ones written to a BAR while IO/MEM decode was on */
};

static uint32_t f_rd(void *ctx, unsigned off)
{
    struct fake *f = ctx;
    return off < 256 ? f->cfg[off / 4] : 0xffffffffu;
}

static void f_wr(void *ctx, unsigned off, uint32_t v)
{
    struct fake *f = ctx;
    unsigned i = off / 4;

    if (off >= PCI_BAR0 && off < PCI_BAR0 + 24) {
        unsigned b = (off - PCI_BAR0) / 4;
        uint32_t ro = f->cfg[i] & ~f->bar_mask[b];        /* flag bits stay */
        if (v == 0xffffffffu && (f->cfg[1] & (PCI_CMD_IO | PCI_CMD_MEM)))
            f->writes_with_decode_on++;
        f->cfg[i] = (v & f->bar_mask[b]) | (ro & ~f->bar_mask[b]);
        return;
    }
    if (off == PCI_COMMAND) {
        f->cfg[1] = (f->cfg[1] & 0xffff0000u) | (v & 0xffff);
        return;
    }
    f->cfg[i] = v;
}

/* A virtio-net-like function: I/O BAR0 (32 ports), BAR1 32-bit 4 KiB,
 * BAR2/3 none, BAR4+5 64-bit prefetchable 16 KiB; caps MSI-X (3
 * entries) -> vendor -> PCIe. */
static void virtio_like(struct fake *f)
{
    memset(f, 0, sizeof(*f));
    f->cfg[0] = 0x10001af4;                 /* 1af4:1000 */
    f->cfg[1] = 0x00100007;                 /* status: caps; command IO MEM master */
    f->cfg[2] = 0x02000001;                 /* ethernet, rev 1 */
    f->cfg[3] = 0x00000000;                 /* header type 0 */
    f->cfg[4] = 0xc001;  f->bar_mask[0] = 0xffffffe0u;                 /* I/O 32 */
    f->cfg[5] = 0xfebd1000; f->bar_mask[1] = 0xfffff000u;              /* mem 4 KiB */
    f->cfg[8] = 0xfe00000c; f->bar_mask[4] = 0xffffc000u;              /* 64-bit pref 16 KiB */
    f->cfg[9] = 0x00000001; f->bar_mask[5] = 0xffffffffu;              /* above 4 GiB */
    f->cfg[11] = 0x00011af4;                /* subsystem 1af4:0001 */
    f->cfg[13] = 0x40;                      /* capabilities at 0x40 */
    f->cfg[15] = 0x0000010b;                /* pin A, line 11 */
    f->cfg[0x40 / 4] = 0x00025011;          /* MSI-X, next 0x50, table size 2 (3 entries) */
    f->cfg[0x44 / 4] = 0x00000001;          /* table: BAR1 + 0 */
    f->cfg[0x50 / 4] = 0x00006009;          /* vendor, next 0x60 */
    f->cfg[0x60 / 4] = 0x00000010;          /* PCIe, end */
}

static struct pci_cfg cfg_of(struct fake *f)
{
    return (struct pci_cfg){f_rd, f_wr, f};
}

static void PCI0001_identity_bars_caps(void **state)
{
    struct fake f;
    struct ae_pci_dev d = {0};
    uint32_t before[64];

    virtio_like(&f);
    memcpy(before, f.cfg, sizeof(before));
    struct pci_cfg c = cfg_of(&f);
    assert_true(pci_present(&c));
    pci_read_function(&c, &d);
    assert_int_equal(d.vendor, 0x1af4);
    assert_int_equal(d.device, 0x1000);
    assert_int_equal(d.class_code, 2);
    assert_int_equal(d.subclass, 0);
    assert_int_equal(d.revision, 1);
    assert_int_equal(d.subsys_vendor, 0x1af4);
    assert_int_equal(d.subsys, 1);
    assert_int_equal(d.irq_pin, 1);
    assert_int_equal(d.irq_line, 11);
    assert_int_equal(d.nbars, 6);
    assert_int_equal(d.bar[0].flags, AE_PCI_BAR_IO);
    assert_int_equal(d.bar[0].base, 0xc000);
    assert_int_equal(d.bar[0].size, 32);
    assert_int_equal(d.bar[1].flags, 0);
    assert_int_equal(d.bar[1].base, 0xfebd1000);
    assert_int_equal(d.bar[1].size, 4096);
    assert_int_equal(d.bar[2].size, 0);
    assert_int_equal(d.bar[3].size, 0);
    assert_int_equal(d.bar[4].flags, AE_PCI_BAR_64 | AE_PCI_BAR_PREFETCH);
    assert_int_equal(d.bar[4].base, 0x1fe000000ull);
    assert_int_equal(d.bar[4].size, 16384);
    assert_int_equal(d.bar[5].size, 0);             /* the upper half, not a BAR */
    assert_int_equal(d.caps, AE_PCI_CAP_MSIX | AE_PCI_CAP_VENDOR | AE_PCI_CAP_PCIE);
    assert_int_equal(d.msix_entries, 3);
    assert_int_equal(d.msix_cap, 0x40);
    assert_int_equal(d.msix_table, 1);
    assert_string_equal(pci_class_name(d.class_code, d.subclass), "Ethernet controller");
    /* Everything as it was, and no BAR held ones while decoding was on. */
    assert_memory_equal(before, f.cfg, sizeof(before));
    assert_int_equal(f.writes_with_decode_on, 0);
}

static void PCI0002_absent_bridge_and_lying_caps(void **state)
{
    struct fake f;
    struct ae_pci_dev d = {0};
    struct pci_cfg c;

    memset(&f, 0xff, sizeof(f.cfg));
    c = cfg_of(&f);
    assert_false(pci_present(&c));
    /* a bridge: two BARs, bus numbers */
    virtio_like(&f);
    f.cfg[2] = 0x06040000;
    f.cfg[3] = 0x00010000;                  /* header type 1 */
    f.cfg[6] = 0x00050100;                  /* primary 0, secondary 1, subordinate 5 */
    f.cfg[1] = 0x00000007;                  /* no capability list */
    c = cfg_of(&f);
    pci_read_function(&c, &d);
    assert_int_equal(d.nbars, 2);
    assert_int_equal(d.secondary_bus, 1);
    assert_int_equal(d.subordinate_bus, 5);
    assert_int_equal(d.caps, 0);
    assert_string_equal(pci_class_name(6, 4), "PCI bridge");
    assert_string_equal(pci_class_name(6, 0x80), "bridge");
    assert_string_equal(pci_class_name(0xfe, 0), "device");
    /* a capability list that loops ends; one that points into the header
     * or past the page is cut there */
    virtio_like(&f);
    f.cfg[0x60 / 4] = 0x00004010;           /* PCIe, next 0x40: a loop */
    c = cfg_of(&f);
    memset(&d, 0, sizeof(d));
    pci_read_function(&c, &d);
    assert_int_equal(d.caps, AE_PCI_CAP_MSIX | AE_PCI_CAP_VENDOR | AE_PCI_CAP_PCIE);
    virtio_like(&f);
    f.cfg[0x40 / 4] = 0x00021011;           /* MSI-X, next 0x10: inside the header */
    c = cfg_of(&f);
    memset(&d, 0, sizeof(d));
    pci_read_function(&c, &d);
    assert_int_equal(d.caps, AE_PCI_CAP_MSIX);
    /* an interrupt pin past INTD is none */
    virtio_like(&f);
    f.cfg[15] = 0x0000090b;
    c = cfg_of(&f);
    memset(&d, 0, sizeof(d));
    pci_read_function(&c, &d);
    assert_int_equal(d.irq_pin, 0);
}

/* One vendor capability at off: type, bar, offset, length (and, for
 * notify, the multiplier); next is the next capability. */
static void vcap(struct fake *f, unsigned off, unsigned next, unsigned len, unsigned type,
                 unsigned bar, uint32_t start, uint32_t length, uint32_t mult)
{
    f->cfg[off / 4] = PCI_CAP_ID_VENDOR | next << 8 | len << 16 | type << 24;
    f->cfg[off / 4 + 1] = bar;
    f->cfg[off / 4 + 2] = start;
    f->cfg[off / 4 + 3] = length;
    if (len >= 20)
        f->cfg[off / 4 + 4] = mult;
}

/* QEMU's modern virtio-pci layout (BAR4: common 0, ISR 0x1000, device
 * 0x2000, notify 0x3000 with multiplier 4), with lies among it: a BAR
 * slot past 5, a range that wraps, a notify capability too short to hold
 * its multiplier, a second common one (the first counts). */
static void PCI0003_virtio_structures(void **state)
{
    struct fake f;
    struct ae_pci_dev d = {0};
    struct pci_cfg c;

    virtio_like(&f);
    f.cfg[0] = 0x10411af4;
    f.cfg[13] = 0x40;
    vcap(&f, 0x40, 0x54, 16, 2, 7, 0x3000, 0x1000, 4);          /* bar 7: no */
    vcap(&f, 0x54, 0x64, 16, 2, 4, 0x3000, 0x1000, 4);          /* notify, too short: no */
    vcap(&f, 0x64, 0x74, 16, 4, 4, 0xfffff000u, 0x2000, 0);     /* wraps: no */
    vcap(&f, 0x74, 0x84, 16, 1, 4, 0x0000, 0x1000, 0);          /* common */
    vcap(&f, 0x84, 0x94, 16, 3, 4, 0x1000, 0x1000, 0);          /* ISR */
    vcap(&f, 0x94, 0xa4, 16, 4, 4, 0x2000, 0x1000, 0);          /* device */
    vcap(&f, 0xa4, 0xb8, 20, 2, 4, 0x3000, 0x1000, 4);          /* notify */
    vcap(&f, 0xb8, 0xc8, 16, 1, 2, 0x8000, 0x10, 0);            /* a second common: ignored */
    vcap(&f, 0xc8, 0x00, 20, 5, 0, 0, 0, 0);                    /* PCI cfg access: not used */
    c = cfg_of(&f);
    pci_read_function(&c, &d);
    assert_int_equal(virtio_pci_find(&c, &d), AE_PCI_VIRTIO_COMMON | AE_PCI_VIRTIO_NOTIFY |
                                                  AE_PCI_VIRTIO_ISR | AE_PCI_VIRTIO_DEVICE);
    assert_int_equal(d.virtio.common.bar, 4);
    assert_int_equal(d.virtio.common.offset, 0);
    assert_int_equal(d.virtio.common.length, 0x1000);
    assert_int_equal(d.virtio.isr.offset, 0x1000);
    assert_int_equal(d.virtio.device.offset, 0x2000);
    assert_int_equal(d.virtio.notify.offset, 0x3000);
    assert_int_equal(d.virtio.notify_off_multiplier, 4);
    /* no capability list, or only bad entries: nothing found */
    memset(&d, 0, sizeof(d));
    f.cfg[1] &= ~(PCI_STATUS_CAPS << 16);
    c = cfg_of(&f);
    pci_read_function(&c, &d);
    assert_int_equal(virtio_pci_find(&c, &d), 0);
    virtio_like(&f);
    vcap(&f, 0x40, 0x40, 16, 1, 9, 0, 16, 0);                   /* loops, bad bar */
    c = cfg_of(&f);
    memset(&d, 0, sizeof(d));
    pci_read_function(&c, &d);
    assert_int_equal(virtio_pci_find(&c, &d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(PCI0001_identity_bars_caps),
        cmocka_unit_test(PCI0002_absent_bridge_and_lying_caps),
        cmocka_unit_test(PCI0003_virtio_structures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
