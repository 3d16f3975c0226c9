/*
 * Unit tests for kernel/boot/multiboot2.c. Boot information blobs are built
 * here per the Multiboot2 specification (8-byte header total_size/reserved,
 * then 8-byte-aligned tags type/size/body, closed by an end tag of type 0
 * and size 8), including one shaped like what GRUB hands over on QEMU q35
 * with -m 2G. Cases: every field parsed, RSDP precedence, unknown tags
 * skipped, each AE_ERR_INVAL and AE_ERR_CORRUPT path, mmap and module
 * limits, string truncation, and a fixed-seed mutation run.
 *
 * Every blob passed to mb2_parse is a heap block of exactly the byte count
 * the test declares readable (malloc is 16-byte aligned), so a read past
 * total_size or avail is caught by AddressSanitizer.
 */
#include "unit.h"

#include "boot/multiboot2.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum {
    T_END = 0, T_CMDLINE = 1, T_LOADER = 2, T_MODULE = 3, T_MEMINFO = 4,
    T_BOOTDEV = 5, T_MMAP = 6, T_FRAMEBUFFER = 8, T_ELF = 9, T_APM = 10,
    T_ACPI_OLD = 14, T_ACPI_NEW = 15, T_LOAD_BASE = 21,
};

/* ---- blob builder ------------------------------------------------------- */

struct mb {
    uint8_t buf[16384];
    size_t len;
};

static struct mb b;
static struct boot_info bi;

/* Heap blobs of one test, freed by teardown. */
static void *owned[512];
static size_t nowned;

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void mb_init(struct mb *m)
{
    memset(m->buf, 0, sizeof(m->buf));
    m->len = 8;                 /* total_size and reserved, set at the end */
}

/* A tag whose size field is size_field, followed by body_len bytes of body
 * and padding to 8 (padding filled with pad). */
static void mb_tag_raw(struct mb *m, uint32_t type, uint32_t size_field,
                       const void *body, size_t body_len, uint8_t pad)
{
    size_t padded = (8 + body_len + 7) & ~(size_t)7;

    assert_true(m->len + padded <= sizeof(m->buf));
    put32(m->buf + m->len, type);
    put32(m->buf + m->len + 4, size_field);
    if (body_len)
        memcpy(m->buf + m->len + 8, body, body_len);
    memset(m->buf + m->len + 8 + body_len, pad, padded - 8 - body_len);
    m->len += padded;
}

static void mb_tag(struct mb *m, uint32_t type, const void *body, size_t len)
{
    mb_tag_raw(m, type, (uint32_t)(8 + len), body, len, 0);
}

static void mb_str(struct mb *m, uint32_t type, const char *s)
{
    mb_tag(m, type, s, strlen(s) + 1);
}

static void mb_module(struct mb *m, uint32_t start, uint32_t end,
                      const char *s)
{
    uint8_t body[8 + 256];
    size_t n = strlen(s) + 1;

    assert_true(n <= 256);
    put32(body, start);
    put32(body + 4, end);
    memcpy(body + 8, s, n);
    mb_tag(m, T_MODULE, body, 8 + n);
}

static void mb_meminfo(struct mb *m, uint32_t lower, uint32_t upper)
{
    uint8_t body[8];

    put32(body, lower);
    put32(body + 4, upper);
    mb_tag(m, T_MEMINFO, body, sizeof(body));
}

/* A memory map tag with entries of entry_size bytes (24 per the spec;
 * larger sizes leave the extra bytes of each entry as 0xcc). */
static void mb_mmap_sized(struct mb *m, uint32_t entry_size,
                          const struct mem_range *e, size_t n)
{
    static uint8_t body[8 + 200 * 64];

    assert_true(8 + n * entry_size <= sizeof(body));
    put32(body, entry_size);
    put32(body + 4, 0);         /* entry_version */
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = body + 8 + i * entry_size;

        memset(p, 0xcc, entry_size);
        put64(p, e[i].base);
        put64(p + 8, e[i].len);
        put32(p + 16, e[i].type);
        put32(p + 20, 0);       /* reserved */
    }
    mb_tag(m, T_MMAP, body, 8 + n * entry_size);
}

static void mb_mmap(struct mb *m, const struct mem_range *e, size_t n)
{
    mb_mmap_sized(m, 24, e, n);
}

static void mb_end(struct mb *m)
{
    mb_tag(m, T_END, NULL, 0);
}

/* An exact-size heap copy of the first alloc bytes of the blob, with
 * total_size set to total. */
static const void *mb_blob_n(const struct mb *m, uint32_t total, size_t alloc)
{
    uint8_t *p;

    assert_true(nowned < N(owned));
    p = malloc(alloc ? alloc : 1);
    assert_non_null(p);
    owned[nowned++] = p;
    assert_int_equal((uintptr_t)p & 7, 0);
    assert_true(alloc <= sizeof(m->buf));
    memcpy(p, m->buf, alloc);
    if (alloc >= 4)
        put32(p, total);
    return p;
}

/* The blob as built: total_size = its length, and that many bytes. */
static const void *mb_blob(const struct mb *m)
{
    return mb_blob_n(m, (uint32_t)m->len, m->len);
}

static int setup(void **state)
{
    mb_init(&b);
    memset(&bi, 0xa5, sizeof(bi));
    return 0;
}

static int teardown(void **state)
{
    while (nowned)
        free(owned[--nowned]);
    return 0;
}

static int parse(const struct mb *m)
{
    memset(&bi, 0xa5, sizeof(bi));
    return mb2_parse(mb_blob(m), m->len, &bi);
}

/* ---- sample data --------------------------------------------------------- */

#define MEM_U MEM_USABLE
#define MEM_R MEM_RESERVED

/* The map GRUB reports on QEMU q35 with -m 2G (SeaBIOS e820). */
static const struct mem_range q35_2g[] = {
    { 0x0,             0x9fc00,             MEM_U },
    { 0x9fc00,         0x400,               MEM_R },
    { 0xf0000,         0x10000,             MEM_R },
    { 0x100000,        0x7fee0000,          MEM_U },
    { 0x7ffe0000,      0x20000,             MEM_R },
    { 0xb0000000,      0x10000000,          MEM_R },
    { 0xfed1c000,      0x4000,              MEM_R },
    { 0xfeffc000,      0x4000,              MEM_R },
    { 0xfffc0000,      0x40000,             MEM_R },
    { 0xfd00000000ULL, 0x300000000ULL,      MEM_R },
};

/* ACPI 1.0 RSDP (20 bytes) and ACPI 2.0 RSDP (36 bytes) as QEMU builds
 * them; the parser copies them verbatim. */
static const uint8_t rsdp_v1[20] = {
    'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0x53,
    'B', 'O', 'C', 'H', 'S', ' ', 0x00,
    0x45, 0x23, 0xfe, 0x7f,
};
static const uint8_t rsdp_v2[36] = {
    'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0x9a,
    'B', 'O', 'C', 'H', 'S', ' ', 0x02,
    0x45, 0x23, 0xfe, 0x7f,
    0x24, 0x00, 0x00, 0x00,
    0x89, 0x24, 0xfe, 0x7f, 0x00, 0x00, 0x00, 0x00,
    0x3c, 0x00, 0x00, 0x00,
};

static void expect_mmap(const struct mem_range *want, size_t n)
{
    assert_int_equal(bi.nmmap, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(bi.mmap[i].base, want[i].base);
        assert_int_equal(bi.mmap[i].len, want[i].len);
        assert_int_equal(bi.mmap[i].type, want[i].type);
    }
}

/* Only the error code is promised for a failed parse, not out's content. */
static void expect_err(const struct mb *m, int err)
{
    assert_int_equal(parse(m), err);
}

/* ---- tests -------------------------------------------------------------- */

static void MB2_0001_grub_q35_2g_blob(void **state)
{
    uint8_t loadbase[4], bootdev[12], apm[20], fb[24], elf[12];

    memset(loadbase, 0, sizeof(loadbase));
    put32(loadbase, 0x100000);
    put32(bootdev, 0xe0);                       /* CD-ROM */
    put32(bootdev + 4, 0xffffffff);
    put32(bootdev + 8, 0xffffffff);
    memset(apm, 0x11, sizeof(apm));
    memset(fb, 0x22, sizeof(fb));
    put64(fb, 0xb8000);
    put32(elf, 0);
    put32(elf + 4, 64);
    put32(elf + 8, 0);

    mb_tag(&b, T_LOAD_BASE, loadbase, sizeof(loadbase));
    mb_str(&b, T_CMDLINE, "/boot/aether.elf loglevel=debug debug_exit");
    mb_str(&b, T_LOADER, "GRUB 2.06-13+deb12u1");
    mb_module(&b, 0x10a000, 0x10c5e3, "/boot/initrd.tar");
    mb_module(&b, 0x10d000, 0x10d000, "");
    mb_meminfo(&b, 639, 2096000);
    mb_tag(&b, T_BOOTDEV, bootdev, sizeof(bootdev));
    mb_mmap(&b, q35_2g, N(q35_2g));
    mb_tag(&b, T_FRAMEBUFFER, fb, sizeof(fb));
    mb_tag(&b, T_ELF, elf, sizeof(elf));
    mb_tag(&b, T_APM, apm, sizeof(apm));
    mb_tag(&b, T_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    mb_end(&b);

    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.mbi_size, b.len);
    assert_string_equal(bi.cmdline, "/boot/aether.elf loglevel=debug debug_exit");
    assert_string_equal(bi.loader, "GRUB 2.06-13+deb12u1");
    assert_int_equal(bi.nmodules, 2);
    assert_int_equal(bi.modules[0].start, 0x10a000);
    assert_int_equal(bi.modules[0].end, 0x10c5e3);
    assert_string_equal(bi.modules[0].cmdline, "/boot/initrd.tar");
    assert_int_equal(bi.modules[1].start, 0x10d000);
    assert_int_equal(bi.modules[1].end, 0x10d000);
    assert_string_equal(bi.modules[1].cmdline, "");
    assert_int_equal(bi.mem_lower_kb, 639);
    assert_int_equal(bi.mem_upper_kb, 2096000);
    assert_int_equal((0x7ffe0000 - 0x100000) / 1024, 2096000);
    expect_mmap(q35_2g, N(q35_2g));
    assert_false(bi.mmap_truncated);
    assert_int_equal(bi.rsdp_len, 20);
    assert_memory_equal(bi.rsdp, rsdp_v1, 20);
}

static void MB2_0002_empty_structure(void **state)
{
    static const uint8_t zero36[36];

    mb_end(&b);
    assert_int_equal(b.len, 16);
    assert_int_equal(parse(&b), AE_OK);
    /* Everything absent reads as zero / empty. */
    assert_int_equal(bi.mbi_size, 16);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_int_equal(bi.nmmap, 0);
    assert_false(bi.mmap_truncated);
    assert_int_equal(bi.nmodules, 0);
    assert_int_equal(bi.rsdp_len, 0);
    assert_memory_equal(bi.rsdp, zero36, 36);
    assert_int_equal(bi.mem_lower_kb, 0);
    assert_int_equal(bi.mem_upper_kb, 0);
}

static void MB2_0003_acpi_new_only(void **state)
{
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, sizeof(rsdp_v2));
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.rsdp_len, 36);
    assert_memory_equal(bi.rsdp, rsdp_v2, 36);
}

static void MB2_0004_new_rsdp_wins_old_first(void **state)
{
    mb_tag(&b, T_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, sizeof(rsdp_v2));
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.rsdp_len, 36);
    assert_memory_equal(bi.rsdp, rsdp_v2, 36);
}

static void MB2_0005_new_rsdp_wins_new_first(void **state)
{
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, sizeof(rsdp_v2));
    mb_tag(&b, T_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.rsdp_len, 36);
    assert_memory_equal(bi.rsdp, rsdp_v2, 36);
}

static void MB2_0006_unknown_tags_skipped(void **state)
{
    static const uint8_t junk[37] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

    mb_tag(&b, 7, junk, 5);                     /* odd sizes: padded */
    mb_str(&b, T_CMDLINE, "a=1");
    mb_tag(&b, 0x1234, junk, sizeof(junk));
    mb_tag(&b, 0xffffffffu, NULL, 0);           /* bare 8-byte tag */
    mb_meminfo(&b, 1, 2);
    mb_tag(&b, 13, junk, 1);
    mb_tag(&b, 16, junk, 3);
    mb_str(&b, T_LOADER, "L");
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_string_equal(bi.cmdline, "a=1");
    assert_string_equal(bi.loader, "L");
    assert_int_equal(bi.mem_lower_kb, 1);
    assert_int_equal(bi.mem_upper_kb, 2);
    assert_int_equal(bi.nmodules, 0);
    assert_int_equal(bi.nmmap, 0);
    assert_int_equal(bi.rsdp_len, 0);
}

static void MB2_0007_null_arguments(void **state)
{
    const void *blob;

    mb_end(&b);
    blob = mb_blob(&b);
    assert_int_equal(mb2_parse(NULL, 16, &bi), AE_ERR_INVAL);
    assert_int_equal(mb2_parse(blob, 16, NULL), AE_ERR_INVAL);
    assert_int_equal(mb2_parse(NULL, 0, NULL), AE_ERR_INVAL);
    assert_int_equal(mb2_parse(blob, 16, &bi), AE_OK);
}

static void MB2_0008_misaligned_pointer(void **state)
{
    uint8_t *p;

    mb_end(&b);
    p = (uint8_t *)mb_blob_n(&b, 16, 16 + 8);   /* 16 valid + room to slide */
    for (size_t shift = 1; shift < 8; shift++) {
        memcpy(p + shift, b.buf, 16);
        put32(p + shift, 16);
        assert_int_equal(mb2_parse(p + shift, 16, &bi), AE_ERR_INVAL);
    }
    /* The same bytes 8-aligned are fine. */
    memcpy(p + 8, b.buf, 16);
    put32(p + 8, 16);
    assert_int_equal(mb2_parse(p + 8, 16, &bi), AE_OK);
}

static void MB2_0009_avail_below_16(void **state)
{
    mb_end(&b);
    for (size_t avail = 0; avail < 16; avail++) {
        /* Only avail bytes exist: the parser must not even read the
         * header when avail says it cannot be there. */
        const void *p = mb_blob_n(&b, 16, avail);

        assert_int_equal(mb2_parse(p, avail, &bi), AE_ERR_INVAL);
    }
}

static void MB2_0010_total_size_below_16(void **state)
{
    mb_end(&b);
    for (uint32_t total = 0; total < 16; total++) {
        const void *p = mb_blob_n(&b, total, 16);

        assert_int_equal(mb2_parse(p, 16, &bi), AE_ERR_INVAL);
    }
}

static void MB2_0011_total_size_above_avail(void **state)
{
    const void *p;

    mb_str(&b, T_CMDLINE, "hello");
    mb_end(&b);                                 /* 32 bytes */
    assert_int_equal(b.len, 32);
    p = mb_blob_n(&b, 32, 31);
    assert_int_equal(mb2_parse(p, 31, &bi), AE_ERR_INVAL);
    p = mb_blob_n(&b, 33, 32);
    assert_int_equal(mb2_parse(p, 32, &bi), AE_ERR_INVAL);
    p = mb_blob_n(&b, 0xffffffffu, 32);
    assert_int_equal(mb2_parse(p, 32, &bi), AE_ERR_INVAL);
    /* avail may exceed total_size: the rest is ignored. */
    p = mb_blob_n(&b, 32, 32);
    assert_int_equal(mb2_parse(p, 64 * 1024, &bi), AE_OK);
    assert_string_equal(bi.cmdline, "hello");
}

static void MB2_0012_tag_size_below_8(void **state)
{
    for (uint32_t size = 0; size < 8; size++) {
        mb_init(&b);
        mb_str(&b, T_CMDLINE, "x");
        mb_tag_raw(&b, 0x77, size, NULL, 0, 0);
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);

        /* The end tag itself with a short size is just as corrupt. */
        mb_init(&b);
        mb_tag_raw(&b, T_END, size, NULL, 0, 0);
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);
    }
}

static void MB2_0013_tag_past_total_size(void **state)
{
    const void *p;

    /* A tag whose size runs one byte past the end of the structure. */
    mb_str(&b, T_CMDLINE, "x");
    mb_tag_raw(&b, 0x77, 8 + 8 + 1, "12345678", 8, 0);
    assert_int_equal(b.len, 40);
    expect_err(&b, AE_ERR_CORRUPT);

    /* A huge size, which must not wrap the bounds check. */
    mb_init(&b);
    mb_tag_raw(&b, T_CMDLINE, 0xfffffff8u, "abc", 4, 0);
    mb_end(&b);
    expect_err(&b, AE_ERR_CORRUPT);
    mb_init(&b);
    mb_tag_raw(&b, T_CMDLINE, 0xffffffffu, "abc", 4, 0);
    mb_end(&b);
    expect_err(&b, AE_ERR_CORRUPT);

    /* total_size cutting a well-formed blob inside its end tag or inside
     * an earlier tag: the bytes past total_size are not even allocated. */
    mb_init(&b);
    mb_str(&b, T_CMDLINE, "hello world");
    mb_end(&b);                                 /* 8 + 24 + 8 = 40 */
    for (uint32_t total = 16; total < 40; total++) {
        p = mb_blob_n(&b, total, total);
        assert_int_equal(mb2_parse(p, total, &bi), AE_ERR_CORRUPT);
    }
    p = mb_blob_n(&b, 40, 40);
    assert_int_equal(mb2_parse(p, 40, &bi), AE_OK);
}

static void MB2_0014_no_end_tag(void **state)
{
    const void *p;

    /* Tags that exactly fill total_size, none of them the end tag. */
    mb_str(&b, T_CMDLINE, "abc");
    mb_meminfo(&b, 1, 2);
    expect_err(&b, AE_ERR_CORRUPT);

    /* The smallest structure, its one tag not the end tag. */
    mb_init(&b);
    mb_tag(&b, 0x77, NULL, 0);
    p = mb_blob_n(&b, 16, 16);
    assert_int_equal(mb2_parse(p, 16, &bi), AE_ERR_CORRUPT);

    /* Trailing bytes too few for another tag header. */
    mb_init(&b);
    mb_str(&b, T_CMDLINE, "abc");               /* 8 + 16 = 24 */
    for (uint32_t total = 25; total < 32; total++) {
        p = mb_blob_n(&b, total, total);
        assert_int_equal(mb2_parse(p, total, &bi), AE_ERR_CORRUPT);
    }
}

static void MB2_0015_total_size_not_multiple_of_8(void **state)
{
    const void *p;

    /* The end tag is last; total_size may include a few stray bytes. */
    mb_str(&b, T_CMDLINE, "abc");
    mb_end(&b);
    for (uint32_t extra = 1; extra < 8; extra++) {
        p = mb_blob_n(&b, (uint32_t)b.len + extra, b.len + extra);
        assert_int_equal(mb2_parse(p, b.len + extra, &bi), AE_OK);
        assert_string_equal(bi.cmdline, "abc");
    }
    /* A last tag of odd size needing padding, then the end tag. */
    mb_init(&b);
    mb_tag(&b, 0x55, "12345", 5);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
}

static void MB2_0016_stops_at_end_tag(void **state)
{
    mb_str(&b, T_CMDLINE, "before");
    mb_end(&b);
    /* Past the end tag, inside total_size: neither parsed nor checked. */
    mb_str(&b, T_CMDLINE, "after");
    mb_tag_raw(&b, 0x77, 3, NULL, 0, 0);
    mb_tag_raw(&b, T_MODULE, 12, "\x10\0\0\0\x01\0\0\0", 8, 0);
    assert_int_equal(parse(&b), AE_OK);
    assert_string_equal(bi.cmdline, "before");
    assert_int_equal(bi.nmodules, 0);
}

static void MB2_0017_mmap_bad_entry_size(void **state)
{
    static const uint32_t bad[] = { 0, 1, 8, 16, 20, 23, 25, 28, 30, 33,
                                    0xfffffff9u, 0xffffffffu };

    for (size_t i = 0; i < N(bad); i++) {
        uint8_t body[8 + 2 * 24];

        memset(body, 0, sizeof(body));
        put32(body, bad[i]);
        mb_init(&b);
        mb_tag(&b, T_MMAP, body, sizeof(body));
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);
    }
}

static void MB2_0018_mmap_body_too_short(void **state)
{
    uint8_t body[8];

    put32(body, 24);
    put32(body + 4, 0);
    for (size_t len = 0; len < 8; len++) {
        mb_init(&b);
        mb_tag(&b, T_MMAP, body, len);
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);
    }
    /* A header with no entries is a valid, empty map. */
    mb_init(&b);
    mb_tag(&b, T_MMAP, body, 8);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.nmmap, 0);
    assert_false(bi.mmap_truncated);
}

static void MB2_0019_mmap_larger_entry_size(void **state)
{
    /* Entry sizes may grow in later versions: 32 and 40 are multiples of 8
     * and >= 24, and only the first 20 bytes of each entry are read. */
    static const uint32_t sizes[] = { 24, 32, 40, 64 };

    for (size_t i = 0; i < N(sizes); i++) {
        mb_init(&b);
        mb_mmap_sized(&b, sizes[i], q35_2g, N(q35_2g));
        mb_end(&b);
        assert_int_equal(parse(&b), AE_OK);
        expect_mmap(q35_2g, N(q35_2g));
    }
}

static void MB2_0020_mmap_partial_trailing_entry_ignored(void **state)
{
    uint8_t body[8 + 2 * 24 + 16];

    memset(body, 0, sizeof(body));
    put32(body, 24);
    for (int i = 0; i < 2; i++) {
        put64(body + 8 + i * 24, 0x1000ULL * (i + 1));
        put64(body + 8 + i * 24 + 8, 0x1000);
        put32(body + 8 + i * 24 + 16, MEM_U);
    }
    put64(body + 8 + 2 * 24, 0x3000);           /* base and len only */
    put64(body + 8 + 2 * 24 + 8, 0x1000);
    mb_tag(&b, T_MMAP, body, sizeof(body));     /* 2 entries + 16 bytes */
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.nmmap, 2);
    assert_int_equal(bi.mmap[1].base, 0x2000);
    assert_false(bi.mmap_truncated);
}

static void MB2_0021_mmap_truncated_past_max(void **state)
{
    static struct mem_range e[MB2_MAX_MMAP + 3];

    for (size_t i = 0; i < N(e); i++) {
        e[i].base = (uint64_t)i << 20;
        e[i].len = 1 << 20;
        e[i].type = (i & 1) ? MEM_R : MEM_U;
    }

    /* Exactly MB2_MAX_MMAP entries: all kept, not truncated. */
    mb_mmap(&b, e, MB2_MAX_MMAP);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    expect_mmap(e, MB2_MAX_MMAP);
    assert_false(bi.mmap_truncated);

    /* One more: the first MB2_MAX_MMAP kept, the flag set, still AE_OK. */
    for (size_t extra = 1; extra <= 3; extra++) {
        mb_init(&b);
        mb_mmap(&b, e, MB2_MAX_MMAP + extra);
        mb_str(&b, T_CMDLINE, "after");         /* parsing goes on */
        mb_end(&b);
        assert_int_equal(parse(&b), AE_OK);
        expect_mmap(e, MB2_MAX_MMAP);
        assert_true(bi.mmap_truncated);
        assert_string_equal(bi.cmdline, "after");
    }
}

static void MB2_0022_module_end_before_start(void **state)
{
    mb_module(&b, 0x200000, 0x1fffff, "bad");
    mb_end(&b);
    expect_err(&b, AE_ERR_CORRUPT);

    mb_init(&b);
    mb_module(&b, 0x100000, 0x101000, "good");
    mb_module(&b, 0xffffffffu, 0, "bad");
    mb_end(&b);
    expect_err(&b, AE_ERR_CORRUPT);

    /* end == start is an empty module, not an error. */
    mb_init(&b);
    mb_module(&b, 0x300000, 0x300000, "empty");
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.nmodules, 1);
    assert_int_equal(bi.modules[0].start, 0x300000);
    assert_int_equal(bi.modules[0].end, 0x300000);
}

static void MB2_0023_module_body_too_short(void **state)
{
    uint8_t body[8] = { 0 };

    for (size_t len = 0; len < 8; len++) {
        mb_init(&b);
        mb_tag(&b, T_MODULE, body, len);
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);
    }
    /* start/end and no string at all: an empty command line. */
    put32(body, 0x1000);
    put32(body + 4, 0x2000);
    mb_init(&b);
    mb_tag(&b, T_MODULE, body, 8);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.nmodules, 1);
    assert_int_equal(bi.modules[0].start, 0x1000);
    assert_int_equal(bi.modules[0].end, 0x2000);
    assert_string_equal(bi.modules[0].cmdline, "");
}

static void MB2_0024_extra_modules_ignored(void **state)
{
    char name[16];

    for (uint32_t i = 0; i < MB2_MAX_MODULES + 4; i++) {
        snprintf(name, sizeof(name), "mod%u", i);
        mb_module(&b, 0x400000 + i * 0x10000, 0x400000 + i * 0x10000 + 0x800,
                  name);
    }
    mb_str(&b, T_CMDLINE, "after");
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.nmodules, MB2_MAX_MODULES);
    for (uint32_t i = 0; i < MB2_MAX_MODULES; i++) {
        snprintf(name, sizeof(name), "mod%u", i);
        assert_int_equal(bi.modules[i].start, 0x400000 + i * 0x10000);
        assert_int_equal(bi.modules[i].end, 0x400000 + i * 0x10000 + 0x800);
        assert_string_equal(bi.modules[i].cmdline, name);
    }
    assert_string_equal(bi.cmdline, "after");
}

static void MB2_0025_strings_without_nul(void **state)
{
    static const uint8_t mod[8 + 5] = { 0, 0x10, 0, 0, 0, 0x20, 0, 0,
                                        'i', 'n', 'i', 't', 'r' };

    /* No NUL inside the tag, and the padding after it is not NUL either:
     * the copy must stop at the tag's end. */
    mb_tag_raw(&b, T_CMDLINE, 8 + 3, "abc", 3, 'X');
    mb_tag_raw(&b, T_LOADER, 8 + 4, "GRUB", 4, 'Y');
    mb_tag_raw(&b, T_MODULE, 8 + sizeof(mod), mod, sizeof(mod), 'Z');
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_string_equal(bi.cmdline, "abc");
    assert_string_equal(bi.loader, "GRUB");
    assert_int_equal(bi.nmodules, 1);
    assert_int_equal(bi.modules[0].start, 0x1000);
    assert_int_equal(bi.modules[0].end, 0x2000);
    assert_string_equal(bi.modules[0].cmdline, "initr");

    /* Empty string bodies. */
    mb_init(&b);
    mb_tag(&b, T_CMDLINE, NULL, 0);
    mb_tag(&b, T_LOADER, NULL, 0);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");

    /* A string that is the last thing in the blob, with total_size ending
     * right after it (no end tag): ASan checks the bound, the result is
     * still CORRUPT. */
    mb_init(&b);
    mb_tag_raw(&b, T_CMDLINE, 8 + 8, "12345678", 8, 0);
    expect_err(&b, AE_ERR_CORRUPT);
}

static void MB2_0026_string_nul_inside_tag(void **state)
{
    /* Bytes after the first NUL are not part of the string. */
    mb_tag(&b, T_CMDLINE, "ab\0cd", 6);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_string_equal(bi.cmdline, "ab");
}

static void fill(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = '\0';
}

static void MB2_0027_overlong_strings_truncated(void **state)
{
    static char s[1001], want[1001];
    static const size_t cmd_lens[] = { MB2_CMDLINE_MAX - 2, MB2_CMDLINE_MAX - 1,
                                       MB2_CMDLINE_MAX, MB2_CMDLINE_MAX + 1,
                                       1000 };
    static const size_t short_lens[] = { 62, 63, 64, 65, 200 };

    for (size_t i = 0; i < N(cmd_lens); i++) {
        size_t keep = cmd_lens[i] < MB2_CMDLINE_MAX - 1 ? cmd_lens[i]
                                                        : MB2_CMDLINE_MAX - 1;

        fill(s, cmd_lens[i]);
        fill(want, keep);
        mb_init(&b);
        mb_str(&b, T_CMDLINE, s);
        mb_end(&b);
        assert_int_equal(parse(&b), AE_OK);
        assert_int_equal(strnlen(bi.cmdline, sizeof(bi.cmdline)), keep);
        assert_string_equal(bi.cmdline, want);

        /* Without a NUL in the tag as well. */
        mb_init(&b);
        mb_tag_raw(&b, T_CMDLINE, (uint32_t)(8 + cmd_lens[i]), s,
                   cmd_lens[i], 'Q');
        mb_end(&b);
        assert_int_equal(parse(&b), AE_OK);
        assert_string_equal(bi.cmdline, want);
    }

    /* The loader name and module strings have 64-byte fields. */
    for (size_t i = 0; i < N(short_lens); i++) {
        size_t keep = short_lens[i] < 63 ? short_lens[i] : 63;

        fill(s, short_lens[i]);
        fill(want, keep);
        mb_init(&b);
        mb_str(&b, T_LOADER, s);
        mb_module(&b, 0, 0x1000, s);
        mb_end(&b);
        assert_int_equal(parse(&b), AE_OK);
        assert_int_equal(strnlen(bi.loader, sizeof(bi.loader)), keep);
        assert_string_equal(bi.loader, want);
        assert_int_equal(strnlen(bi.modules[0].cmdline,
                                 sizeof(bi.modules[0].cmdline)), keep);
        assert_string_equal(bi.modules[0].cmdline, want);
    }
}

static void MB2_0028_meminfo_body_too_short(void **state)
{
    uint8_t body[8] = { 1, 0, 0, 0, 2, 0, 0, 0 };

    for (size_t len = 0; len < 8; len++) {
        mb_init(&b);
        mb_tag(&b, T_MEMINFO, body, len);
        mb_end(&b);
        expect_err(&b, AE_ERR_CORRUPT);
    }
    mb_init(&b);
    mb_tag(&b, T_MEMINFO, body, 8);
    mb_end(&b);
    assert_int_equal(parse(&b), AE_OK);
    assert_int_equal(bi.mem_lower_kb, 1);
    assert_int_equal(bi.mem_upper_kb, 2);
}

static void MB2_0029_out_reset_on_each_parse(void **state)
{
    mb_str(&b, T_CMDLINE, "first");
    mb_module(&b, 0x1000, 0x2000, "m");
    mb_mmap(&b, q35_2g, 3);
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, sizeof(rsdp_v2));
    mb_meminfo(&b, 639, 1000);
    mb_end(&b);
    assert_int_equal(mb2_parse(mb_blob(&b), b.len, &bi), AE_OK);
    assert_int_equal(bi.nmodules, 1);

    /* A second parse into the same struct starts from scratch. */
    mb_init(&b);
    mb_str(&b, T_LOADER, "second");
    mb_end(&b);
    assert_int_equal(mb2_parse(mb_blob(&b), b.len, &bi), AE_OK);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "second");
    assert_int_equal(bi.nmodules, 0);
    assert_int_equal(bi.nmmap, 0);
    assert_int_equal(bi.rsdp_len, 0);
    assert_int_equal(bi.mem_lower_kb, 0);
    assert_int_equal(bi.mem_upper_kb, 0);
    assert_int_equal(bi.mbi_size, b.len);
}

static void MB2_0031_short_rsdp_tags_not_copied(void **state)
{
    static const uint8_t filler[64] = { 0xee, 0xee, 0xee, 0xee };
    const void *p;
    int ret;

    /* An RSDP tag too short for its table: how it is reported is not
     * specified (ignored or AE_ERR_CORRUPT), but no RSDP may come out of
     * it and nothing past the tag may be read. */
    for (size_t len = 0; len < 36; len++) {
        uint32_t type = len < 20 ? T_ACPI_OLD : T_ACPI_NEW;

        mb_init(&b);
        mb_tag(&b, type, rsdp_v2, len);
        mb_tag(&b, 0x77, filler, sizeof(filler));
        mb_end(&b);
        ret = parse(&b);
        if (ret == AE_OK)
            assert_int_equal(bi.rsdp_len, 0);
        else
            assert_int_equal(ret, AE_ERR_CORRUPT);

        /* The same tag last in a structure cut right after it. */
        mb_init(&b);
        mb_tag(&b, type, rsdp_v2, len);
        p = mb_blob_n(&b, (uint32_t)(8 + 8 + len), 8 + 8 + len);
        assert_int_equal(mb2_parse(p, 8 + 8 + len, &bi), AE_ERR_CORRUPT);
    }
    /* A short 2.0 tag does not displace a valid 1.0 copy. */
    mb_init(&b);
    mb_tag(&b, T_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, 35);
    mb_end(&b);
    ret = parse(&b);
    if (ret == AE_OK) {
        assert_int_equal(bi.rsdp_len, 20);
        assert_memory_equal(bi.rsdp, rsdp_v1, 20);
    } else {
        assert_int_equal(ret, AE_ERR_CORRUPT);
    }
}


static void MB2_0030_random_mutations_stay_in_bounds(void **state)
{
    static uint8_t base[2048];
    size_t len;

    /* A full blob, then random byte corruptions and total_size cuts: the
     * parser must return one of its three results and never read out of
     * bounds (ASan), and a success must leave a sane boot_info. */
    mb_str(&b, T_CMDLINE, "console=ttyS0 loglevel=7");
    mb_str(&b, T_LOADER, "GRUB 2.06");
    mb_module(&b, 0x10a000, 0x10c000, "initrd");
    mb_meminfo(&b, 639, 2096000);
    mb_mmap(&b, q35_2g, N(q35_2g));
    mb_tag(&b, T_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    mb_tag(&b, T_ACPI_NEW, rsdp_v2, sizeof(rsdp_v2));
    mb_end(&b);
    len = b.len;
    assert_true(len <= sizeof(base));
    memcpy(base, b.buf, len);

    rng_state = 0x4d42325f30303330ULL;
    for (int iter = 0; iter < 20000; iter++) {
        uint32_t total = (uint32_t)len;
        int nflip = 1 + (int)(rng() % 4);
        uint8_t *p;
        int ret;

        memcpy(b.buf, base, len);
        for (int k = 0; k < nflip; k++) {
            size_t at = 8 + rng() % (len - 8);
            uint64_t r = rng();

            switch (r % 4) {
            case 0: b.buf[at] = (uint8_t)(r >> 8); break;
            case 1: b.buf[at] ^= (uint8_t)(1u << ((r >> 8) % 8)); break;
            case 2: b.buf[at & ~(size_t)3] = (uint8_t)(r >> 8) & 0x3f; break;
            default: b.buf[at] = 0; break;
            }
        }
        if (rng() % 4 == 0)
            total = 16 + (uint32_t)(rng() % (len - 15));
        p = malloc(total);
        assert_non_null(p);
        memcpy(p, b.buf, total);
        put32(p, total);
        memset(&bi, 0xa5, sizeof(bi));
        ret = mb2_parse(p, total, &bi);
        assert_true(ret == AE_OK || ret == AE_ERR_CORRUPT);
        if (ret == AE_OK) {
            assert_int_equal(bi.mbi_size, total);
            assert_true(bi.nmmap <= MB2_MAX_MMAP);
            assert_true(bi.nmodules <= MB2_MAX_MODULES);
            assert_true(bi.rsdp_len == 0 || bi.rsdp_len == 20 ||
                        bi.rsdp_len == 36);
            assert_true(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
            assert_true(memchr(bi.loader, 0, sizeof(bi.loader)) != NULL);
            for (size_t i = 0; i < bi.nmodules; i++) {
                assert_true(bi.modules[i].start <= bi.modules[i].end);
                assert_true(memchr(bi.modules[i].cmdline, 0,
                                   sizeof(bi.modules[i].cmdline)) != NULL);
            }
        }
        free(p);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(MB2_0001_grub_q35_2g_blob),
        T(MB2_0002_empty_structure),
        T(MB2_0003_acpi_new_only),
        T(MB2_0004_new_rsdp_wins_old_first),
        T(MB2_0005_new_rsdp_wins_new_first),
        T(MB2_0006_unknown_tags_skipped),
        T(MB2_0007_null_arguments),
        T(MB2_0008_misaligned_pointer),
        T(MB2_0009_avail_below_16),
        T(MB2_0010_total_size_below_16),
        T(MB2_0011_total_size_above_avail),
        T(MB2_0012_tag_size_below_8),
        T(MB2_0013_tag_past_total_size),
        T(MB2_0014_no_end_tag),
        T(MB2_0015_total_size_not_multiple_of_8),
        T(MB2_0016_stops_at_end_tag),
        T(MB2_0017_mmap_bad_entry_size),
        T(MB2_0018_mmap_body_too_short),
        T(MB2_0019_mmap_larger_entry_size),
        T(MB2_0020_mmap_partial_trailing_entry_ignored),
        T(MB2_0021_mmap_truncated_past_max),
        T(MB2_0022_module_end_before_start),
        T(MB2_0023_module_body_too_short),
        T(MB2_0024_extra_modules_ignored),
        T(MB2_0025_strings_without_nul),
        T(MB2_0026_string_nul_inside_tag),
        T(MB2_0027_overlong_strings_truncated),
        T(MB2_0028_meminfo_body_too_short),
        T(MB2_0029_out_reset_on_each_parse),
        T(MB2_0030_random_mutations_stay_in_bounds),
        T(MB2_0031_short_rsdp_tags_not_copied),
    };
#undef T

    return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
