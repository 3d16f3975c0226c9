/*
 * Unit tests for common/elf64.c. ELF images are built here per the
 * ELF-64 Object File Format and the System V ABI AMD64 supplement (64-byte
 * Elf64_Ehdr, 56-byte Elf64_Phdr), including two shaped like what GNU ld
 * emits for static x86_64 executables (the -z separate-code layout of
 * binutils >= 2.31 and the older 2 MiB-aligned two-segment one). Cases:
 * success with ignored program header types, every AE_ERR_* of the contract,
 * boundaries of each rule, the host's own (PIE) test binary, an optional real
 * executable named by $ELF_SAMPLE, and a fixed-seed mutation run checked
 * against an independent reference validator.
 *
 * Every image passed to elf_parse is a heap block of exactly the byte count
 * declared (one more, offset by one, for the unaligned cases), so a read
 * past the end is caught by AddressSanitizer.
 */
#include "unit.h"

#include "common/elf64.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define USER_LO 0x1000ull
#define USER_HI 0x800000000000ull

enum {
    PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4,
    PT_PHDR = 6, PT_TLS = 7,
    PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551,
    PT_GNU_RELRO = 0x6474e552, PT_GNU_PROPERTY = 0x6474e553,
};

enum { R = ELF_SEG_R, W = ELF_SEG_W, X = ELF_SEG_X };

/* Offsets of Elf64_Ehdr fields. */
enum {
    EH_TYPE = 16, EH_MACHINE = 18, EH_VERSION = 20, EH_ENTRY = 24,
    EH_PHOFF = 32, EH_SHOFF = 40, EH_FLAGS = 48, EH_EHSIZE = 52,
    EH_PHENTSIZE = 54, EH_PHNUM = 56, EH_SHENTSIZE = 58, EH_SHNUM = 60,
    EH_SHSTRNDX = 62, EH_SIZE = 64,
};

/* Offsets of Elf64_Phdr fields. */
enum {
    PH_TYPE = 0, PH_FLAGS = 4, PH_OFFSET = 8, PH_VADDR = 16, PH_PADDR = 24,
    PH_FILESZ = 32, PH_MEMSZ = 40, PH_ALIGN = 48, PH_SIZE = 56,
};

/* ---- image builder ------------------------------------------------------- */

struct ph {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz, align;
};

struct img {
    uint8_t buf[65536];
    size_t len;                 /* file size */
    unsigned nph;
};

static struct img im;
static struct elf_image out;

/* Heap images of one test, freed by teardown. */
static void *owned[64];
static size_t nowned;

static uint16_t get16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* A header-only executable of len bytes (contents a byte pattern) with its
 * program header table right after the ELF header, as linkers place it. */
static void img_init(struct img *m, uint64_t entry, size_t len)
{
    static const uint8_t ident[16] = {
        0x7f, 'E', 'L', 'F', 2, 1, 1, 3,       /* OS/ABI GNU, as static glibc */
    };

    assert_true(len >= EH_SIZE && len <= sizeof(m->buf));
    for (size_t i = 0; i < sizeof(m->buf); i++)
        m->buf[i] = (uint8_t)(i * 131 + 7);
    memcpy(m->buf, ident, sizeof(ident));
    put16(m->buf + EH_TYPE, 2);
    put16(m->buf + EH_MACHINE, 62);
    put32(m->buf + EH_VERSION, 1);
    put64(m->buf + EH_ENTRY, entry);
    put64(m->buf + EH_PHOFF, EH_SIZE);
    put64(m->buf + EH_SHOFF, 0);        /* no section headers */
    put32(m->buf + EH_FLAGS, 0);
    put16(m->buf + EH_EHSIZE, EH_SIZE);
    put16(m->buf + EH_PHENTSIZE, PH_SIZE);
    put16(m->buf + EH_PHNUM, 0);
    put16(m->buf + EH_SHENTSIZE, 64);
    put16(m->buf + EH_SHNUM, 0);
    put16(m->buf + EH_SHSTRNDX, 0);
    m->len = len;
    m->nph = 0;
}

static uint8_t *ph_at(struct img *m, unsigned i)
{
    return m->buf + EH_SIZE + (size_t)i * PH_SIZE;
}

static void img_ph(struct img *m, const struct ph *p)
{
    uint8_t *q = ph_at(m, m->nph);

    assert_true(EH_SIZE + (m->nph + 1) * PH_SIZE <= m->len);
    put32(q + PH_TYPE, p->type);
    put32(q + PH_FLAGS, p->flags);
    put64(q + PH_OFFSET, p->offset);
    put64(q + PH_VADDR, p->vaddr);
    put64(q + PH_PADDR, p->vaddr);
    put64(q + PH_FILESZ, p->filesz);
    put64(q + PH_MEMSZ, p->memsz);
    put64(q + PH_ALIGN, p->align);
    put16(m->buf + EH_PHNUM, (uint16_t)++m->nph);
}

static void img_phs(struct img *m, const struct ph *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        img_ph(m, &p[i]);
}

/* A PT_LOAD whose file offset mirrors its address within the page. */
static void img_load(struct img *m, uint32_t flags, uint64_t vaddr,
                     uint64_t filesz, uint64_t memsz)
{
    img_ph(m, &(struct ph){ PT_LOAD, flags, vaddr & 0xfff, vaddr, filesz,
                            memsz, 0x1000 });
}

/* An exact-size heap copy of the first len bytes, at p + shift. */
static const void *img_blob_n(const struct img *m, size_t len, size_t shift)
{
    uint8_t *p;

    assert_true(nowned < N(owned));
    assert_true(len <= sizeof(m->buf));
    p = malloc(len + shift ? len + shift : 1);
    assert_non_null(p);
    owned[nowned++] = p;
    memcpy(p + shift, m->buf, len);
    return p + shift;
}

static int parse_range(const struct img *m, uint64_t lo, uint64_t hi)
{
    memset(&out, 0xa5, sizeof(out));
    return elf_parse(img_blob_n(m, m->len, 0), m->len, lo, hi, &out);
}

static int parse(const struct img *m)
{
    return parse_range(m, USER_LO, USER_HI);
}

static void assert_out_zeroed(void)
{
    static const struct elf_image zero;

    assert_memory_equal(&out, &zero, sizeof(out));
}

/* A refused image: the expected code, and *out left zeroed. */
static void expect_err(const struct img *m, int err)
{
    assert_int_equal(parse(m), err);
    assert_out_zeroed();
}

static void assert_seg(unsigned i, uint64_t vaddr, uint64_t memsz,
                       uint64_t offset, uint64_t filesz, uint32_t flags)
{
    assert_true(i < out.nsegments);
    assert_int_equal(out.seg[i].vaddr, vaddr);
    assert_int_equal(out.seg[i].memsz, memsz);
    assert_int_equal(out.seg[i].offset, offset);
    assert_int_equal(out.seg[i].filesz, filesz);
    assert_int_equal(out.seg[i].flags, flags);
}

static int setup(void **state)
{
    memset(&im, 0, sizeof(im));
    memset(&out, 0xa5, sizeof(out));
    return 0;
}

static int teardown(void **state)
{
    while (nowned)
        free(owned[--nowned]);
    return 0;
}

/* ---- reference validator ------------------------------------------------- */

/* The contract restated independently of the implementation (128-bit
 * arithmetic instead of overflow checks): whether elf_parse must accept
 * d[0..len), and if so the image it must return. */
typedef unsigned __int128 u128;

static bool ref_header(const uint8_t *d, size_t len)
{
    uint64_t phoff;
    uint16_t phnum;

    if (len < EH_SIZE || memcmp(d, "\x7f" "ELF\x02\x01\x01", 7) != 0)
        return false;
    if (get16(d + EH_TYPE) != 2 || get16(d + EH_MACHINE) != 62 ||
        get32(d + EH_VERSION) != 1 || get16(d + EH_EHSIZE) != 64 ||
        get16(d + EH_PHENTSIZE) != 56)
        return false;
    phoff = get64(d + EH_PHOFF);
    phnum = get16(d + EH_PHNUM);
    return phnum != 0 && phnum != 0xffff &&
           (u128)phoff + (u128)phnum * 56 <= len;
}

static bool ref_segment(const struct elf_segment *s, size_t len,
                        uint64_t lo, uint64_t hi)
{
    u128 end = (u128)s->vaddr + s->memsz;
    u128 page_end = (end + 4095) & ~(u128)4095;

    return s->filesz <= s->memsz && (u128)s->offset + s->filesz <= len &&
           s->vaddr % 4096 == s->offset % 4096 &&
           (s->flags & (W | X)) != (W | X) &&
           (s->vaddr & ~4095ull) >= lo && page_end <= hi &&
           page_end <= UINT64_MAX;
}

static bool ref_disjoint(const struct elf_segment *a,
                         const struct elf_segment *b)
{
    u128 a_lo = a->vaddr & ~4095ull, b_lo = b->vaddr & ~4095ull;
    u128 a_hi = ((u128)a->vaddr + a->memsz + 4095) & ~(u128)4095;
    u128 b_hi = ((u128)b->vaddr + b->memsz + 4095) & ~(u128)4095;

    return a_hi <= b_lo || b_hi <= a_lo;
}

static bool ref_entry_ok(const struct elf_image *e)
{
    for (unsigned i = 0; i < e->nsegments; i++) {
        const struct elf_segment *s = &e->seg[i];

        if ((s->flags & X) && e->entry >= s->vaddr &&
            (u128)e->entry < (u128)s->vaddr + s->memsz)
            return true;
    }
    return false;
}

/* Collects the non-empty PT_LOADs into e; false on PT_INTERP, PT_DYNAMIC,
 * a bad load, or a load count outside 1..ELF_MAX_SEGMENTS. */
static bool ref_loads(const uint8_t *d, size_t len, uint64_t lo, uint64_t hi,
                      struct elf_image *e)
{
    const uint8_t *t = d + get64(d + EH_PHOFF);
    unsigned n = get16(d + EH_PHNUM);

    for (unsigned i = 0; i < n; i++, t += PH_SIZE) {
        uint32_t type = get32(t + PH_TYPE);
        struct elf_segment s = {
            get64(t + PH_VADDR), get64(t + PH_MEMSZ), get64(t + PH_OFFSET),
            get64(t + PH_FILESZ), get32(t + PH_FLAGS) & 7,
        };

        if (type == PT_INTERP || type == PT_DYNAMIC)
            return false;
        if (type != PT_LOAD || s.memsz == 0)
            continue;
        if (e->nsegments == ELF_MAX_SEGMENTS || !ref_segment(&s, len, lo, hi))
            return false;
        for (unsigned j = 0; j < e->nsegments; j++)
            if (!ref_disjoint(&s, &e->seg[j]))
                return false;
        e->seg[e->nsegments++] = s;
    }
    return e->nsegments > 0;
}

static bool ref_parse(const uint8_t *d, size_t len, uint64_t lo, uint64_t hi,
                      struct elf_image *e)
{
    memset(e, 0, sizeof(*e));
    if (lo >= hi || !ref_header(d, len) || !ref_loads(d, len, lo, hi, e))
        return false;
    e->entry = get64(d + EH_ENTRY);
    return ref_entry_ok(e);
}

/* elf_parse agrees with the reference on d[0..len). Returns its result. */
static int check_against_ref(const uint8_t *d, size_t len, uint64_t lo,
                             uint64_t hi)
{
    static struct elf_image want;
    bool ok = ref_parse(d, len, lo, hi, &want);
    int ret;

    memset(&out, 0xa5, sizeof(out));
    ret = elf_parse(d, len, lo, hi, &out);
    assert_true(ret == AE_OK || ret == AE_ERR_INVAL || ret == AE_ERR_CORRUPT ||
                ret == AE_ERR_RANGE || ret == AE_ERR_ACCESS ||
                ret == AE_ERR_UNSUPPORTED);
    assert_int_equal(ret == AE_OK, ok);
    if (ok)
        assert_memory_equal(&out, &want, sizeof(out));
    else
        assert_out_zeroed();
    return ret;
}

/* ---- sample images ------------------------------------------------------- */

/* Shaped like `gcc -static -no-pie` with binutils 2.40 (-z separate-code):
 * headers R, text RX, rodata R, then data RW whose file part begins with
 * .tdata/RELRO and whose tail is .bss; notes, TLS, property, stack and
 * RELRO headers are ignored by the loader. Sizes scaled down. */
static const struct ph static_sep[] = {
    { PT_LOAD, R,     0x0000, 0x400000, 0x0270, 0x0270, 0x1000 },
    { PT_LOAD, R | X, 0x1000, 0x401000, 0x0b41, 0x0b41, 0x1000 },
    { PT_LOAD, R,     0x2000, 0x402000, 0x04cc, 0x04cc, 0x1000 },
    { PT_LOAD, R | W, 0x2f50, 0x403f50, 0x0138, 0x0290, 0x1000 },
    { PT_NOTE, R,     0x0270, 0x400270, 0x0020, 0x0020, 8 },
    { PT_NOTE, R,     0x0290, 0x400290, 0x0044, 0x0044, 4 },
    { PT_TLS, R,      0x2f50, 0x403f50, 0x0018, 0x0060, 8 },
    { PT_GNU_PROPERTY, R, 0x0270, 0x400270, 0x0020, 0x0020, 8 },
    { PT_GNU_STACK, R | W, 0, 0, 0, 0, 0x10 },
    { PT_GNU_RELRO, R, 0x2f50, 0x403f50, 0x00b0, 0x00b0, 1 },
};
#define STATIC_SEP_LEN  0x3088  /* 0x2f50 + 0x138 */
#define STATIC_SEP_ENTRY 0x401020

static void build_static_sep(struct img *m)
{
    img_init(m, STATIC_SEP_ENTRY, STATIC_SEP_LEN);
    img_phs(m, static_sep, N(static_sep));
}

/* Shaped like GNU ld before -z separate-code (and -z noseparate-code now):
 * text+rodata RX from offset 0, data RW one 2 MiB "page" further with the
 * same offset within the page, so the two never share a 4 KiB page. */
static const struct ph static_classic[] = {
    { PT_LOAD, R | X, 0x000, 0x400000, 0x7c4, 0x7c4, 0x200000 },
    { PT_LOAD, R | W, 0xe10, 0x600e10, 0x230, 0x238, 0x200000 },
    { PT_NOTE, R, 0x190, 0x400190, 0x44, 0x44, 4 },
    { PT_GNU_STACK, R | W, 0, 0, 0, 0, 0x10 },
};

static void build_static_classic(struct img *m)
{
    img_init(m, 0x4003e0, 0x1040);
    img_phs(m, static_classic, N(static_classic));
}

/* A minimal valid image: one RX page at 0x400000, entry at its start. */
static void build_min(struct img *m)
{
    img_init(m, 0x400000, 0x2000);
    img_ph(m, &(struct ph){ PT_LOAD, R | X, 0, 0x400000, 0x200, 0x1000,
                            0x1000 });
}

/* ---- success ------------------------------------------------------------- */

static void ELF0001_static_separate_code_layout(void **state)
{
    build_static_sep(&im);
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.entry, STATIC_SEP_ENTRY);
    assert_int_equal(out.nsegments, 4);
    assert_seg(0, 0x400000, 0x0270, 0x0000, 0x0270, R);
    assert_seg(1, 0x401000, 0x0b41, 0x1000, 0x0b41, R | X);
    assert_seg(2, 0x402000, 0x04cc, 0x2000, 0x04cc, R);
    assert_seg(3, 0x403f50, 0x0290, 0x2f50, 0x0138, R | W);
}

static void ELF0002_static_classic_layout(void **state)
{
    build_static_classic(&im);
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.entry, 0x4003e0);
    assert_int_equal(out.nsegments, 2);
    assert_seg(0, 0x400000, 0x7c4, 0x000, 0x7c4, R | X);
    assert_seg(1, 0x600e10, 0x238, 0xe10, 0x230, R | W);
}

static void ELF0003_unaligned_buffer(void **state)
{
    build_static_sep(&im);
    for (size_t shift = 1; shift < 8; shift++) {
        const void *p = img_blob_n(&im, im.len, shift);

        memset(&out, 0xa5, sizeof(out));
        assert_int_equal(elf_parse(p, im.len, USER_LO, USER_HI, &out), AE_OK);
        assert_int_equal(out.nsegments, 4);
        assert_int_equal(out.entry, STATIC_SEP_ENTRY);
        assert_seg(3, 0x403f50, 0x0290, 0x2f50, 0x0138, R | W);
    }
}

static void ELF0004_ignored_types_and_sections(void **state)
{
    /* Unknown and ignored types with garbage fields, a huge section header
     * offset and count, and p_flags bits outside RWX are all tolerated. */
    build_min(&im);
    put64(im.buf + EH_SHOFF, UINT64_MAX);
    put16(im.buf + EH_SHNUM, 0xffff);
    put16(im.buf + EH_SHENTSIZE, 7);
    img_ph(&im, &(struct ph){ PT_NULL, R | W | X, ~0ull, ~0ull, ~0ull, 1, 0 });
    img_ph(&im, &(struct ph){ PT_PHDR, R, 0x40, 0x400040, 0x1c0, 0x1c0, 8 });
    img_ph(&im, &(struct ph){ PT_TLS, R | W | X, ~0ull, 5, ~0ull, 1, 3 });
    img_ph(&im, &(struct ph){ PT_GNU_EH_FRAME, R, ~0ull, ~0ull, 9, 9, 4 });
    img_ph(&im, &(struct ph){ 0x60000000, R | W | X, 1, 2, 3, 0, 0 });
    img_ph(&im, &(struct ph){ 0xffffffff, 0, 0, 0, 0, 0, 0 });
    put32(ph_at(&im, 0) + PH_FLAGS, 0xfff00000u | R | X);
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, 1);
    assert_seg(0, 0x400000, 0x1000, 0, 0x200, R | X);
}

static void ELF0005_empty_load_skipped(void **state)
{
    /* memsz 0 loads are neither counted nor checked, even with W+X, an
     * address overlapping another load or outside the user range. */
    build_min(&im);
    img_ph(&im, &(struct ph){ PT_LOAD, R | W | X, 0, 0x400000, 0, 0, 0 });
    img_ph(&im, &(struct ph){ PT_LOAD, R, 0x123, 0, 0, 0, 0 });
    img_ph(&im, &(struct ph){ PT_LOAD, R, ~0ull, ~0ull, 0, 0, 0 });
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, 1);
    assert_seg(0, 0x400000, 0x1000, 0, 0x200, R | X);
}

static void ELF0006_bss_only_segment_and_exact_file_end(void **state)
{
    /* A load with filesz 0 (pure .bss) whose offset is the file's end, and
     * one whose file part ends exactly at the file's end. */
    img_init(&im, 0x400010, 0x1200);
    img_ph(&im, &(struct ph){ PT_LOAD, R | X, 0x1000, 0x400000, 0x200,
                              0x200, 0x1000 });
    img_ph(&im, &(struct ph){ PT_LOAD, R | W, 0x1200, 0x500200, 0, 0x10000,
                              0x1000 });
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, 2);
    assert_seg(0, 0x400000, 0x200, 0x1000, 0x200, R | X);
    assert_seg(1, 0x500200, 0x10000, 0x1200, 0, R | W);
}

static void ELF0007_entry_boundaries(void **state)
{
    /* The entry may be anywhere in [vaddr, vaddr + memsz) of an X load,
     * including its zero-filled tail, and nowhere else. */
    static const struct { uint64_t entry; int ret; } cases[] = {
        { 0x400000, AE_OK }, { 0x400fff, AE_OK }, { 0x400300, AE_OK },
        { 0x401000, AE_ERR_CORRUPT }, { 0x3fffff, AE_ERR_CORRUPT },
        { 0x500000, AE_ERR_CORRUPT },   /* in the RW load */
        { 0, AE_ERR_CORRUPT }, { UINT64_MAX, AE_ERR_CORRUPT },
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_min(&im);
        img_load(&im, R | W, 0x500000, 0x100, 0x1000);
        put64(im.buf + EH_ENTRY, cases[i].entry);
        assert_int_equal(parse(&im), cases[i].ret);
        if (cases[i].ret == AE_OK)
            assert_int_equal(out.entry, cases[i].entry);
        else
            assert_out_zeroed();
    }
}

static void ELF0008_sixteen_loads(void **state)
{
    /* ELF_MAX_SEGMENTS loads are accepted, plus empty ones not counted. */
    img_init(&im, 0x400000, 0x8000);
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++) {
        img_load(&im, i == 0 ? R | X : R, 0x400000 + i * 0x1000ull, 0x10,
                 0x1000);
        if (i % 5 == 0)
            img_ph(&im, &(struct ph){ PT_LOAD, R, 0, 0x400000, 0, 0, 0 });
    }
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, ELF_MAX_SEGMENTS);
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
        assert_seg(i, 0x400000 + i * 0x1000ull, 0x1000, 0, 0x10,
                   i == 0 ? R | X : R);
}

static void ELF0009_adjacent_pages_and_unsorted(void **state)
{
    /* Loads ending and starting in adjacent pages, and listed out of
     * address order, are fine. */
    img_init(&im, 0x402000, 0x3000);
    img_load(&im, R | W, 0x403010, 0x20, 0x3000);  /* [0x403000, 0x407000) */
    img_load(&im, R, 0x400fff, 0x1, 0x1);          /* [0x400000, 0x401000) */
    img_load(&im, R | X, 0x401800, 0x100, 0x1800); /* [0x401000, 0x403000) */
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, 3);
    assert_seg(0, 0x403010, 0x3000, 0x010, 0x20, R | W);
    assert_seg(1, 0x400fff, 0x1, 0xfff, 0x1, R);
    assert_seg(2, 0x401800, 0x1800, 0x800, 0x100, R | X);
}

static void ELF0010_user_range_boundaries(void **state)
{
    /* Page-rounded ranges may touch both ends of [user_lo, user_hi). */
    img_init(&im, USER_HI - 1, 0x2000);
    img_load(&im, R, USER_LO, 0x10, 0x10);
    img_load(&im, R | X, USER_HI - 0x1000, 0x10, 0x1000);
    assert_int_equal(parse(&im), AE_OK);
    assert_int_equal(out.nsegments, 2);

    /* A full-range [0, UINT64_MAX) user space: the last page is refused
     * because its rounded end, 2^64, is not representable. */
    img_init(&im, 0x10, 0x2000);
    img_load(&im, R | X, 0, 0x10, 0x1000);
    assert_int_equal(parse_range(&im, 0, UINT64_MAX), AE_OK);
    img_load(&im, R, UINT64_MAX - 0xfff, 0x10, 0x1000);
    assert_int_equal(parse_range(&im, 0, UINT64_MAX), AE_ERR_CORRUPT);
    assert_out_zeroed();
}

/* ---- AE_ERR_INVAL -------------------------------------------------------- */

static void ELF0011_null_and_bad_arguments(void **state)
{
    const void *p;

    build_min(&im);
    p = img_blob_n(&im, im.len, 0);
    assert_int_equal(elf_parse(p, im.len, USER_LO, USER_HI, NULL),
                     AE_ERR_INVAL);
    memset(&out, 0xa5, sizeof(out));
    assert_int_equal(elf_parse(NULL, im.len, USER_LO, USER_HI, &out),
                     AE_ERR_INVAL);
    assert_out_zeroed();
    memset(&out, 0xa5, sizeof(out));
    assert_int_equal(elf_parse(NULL, 0, USER_LO, USER_HI, &out),
                     AE_ERR_INVAL);
    assert_out_zeroed();
    assert_int_equal(parse_range(&im, USER_HI, USER_HI), AE_ERR_INVAL);
    assert_out_zeroed();
    assert_int_equal(parse_range(&im, USER_HI, USER_LO), AE_ERR_INVAL);
    assert_out_zeroed();
}

static void ELF0012_truncated_header(void **state)
{
    build_min(&im);
    for (size_t len = 0; len < EH_SIZE; len++) {
        const void *p = img_blob_n(&im, len, 0);

        memset(&out, 0xa5, sizeof(out));
        assert_int_equal(elf_parse(p, len, USER_LO, USER_HI, &out),
                         AE_ERR_INVAL);
        assert_out_zeroed();
        free(owned[--nowned]);
    }
}

static void ELF0013_bad_ident(void **state)
{
    static const struct { unsigned at; uint8_t val; } cases[] = {
        { 0, 0x7e }, { 1, 'e' }, { 2, 'l' }, { 3, 'f' },
        { 4, 0 }, { 4, 1 }, { 4, 3 },           /* EI_CLASS: none, 32, bad */
        { 5, 0 }, { 5, 2 },                     /* EI_DATA: none, big-endian */
        { 6, 0 }, { 6, 2 },                     /* EI_VERSION */
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_min(&im);
        im.buf[cases[i].at] = cases[i].val;
        expect_err(&im, AE_ERR_INVAL);
    }
    /* OS/ABI, ABI version and padding are not checked. */
    build_min(&im);
    memset(im.buf + 7, 0xee, 9);
    assert_int_equal(parse(&im), AE_OK);
}

static void ELF0014_bad_type_machine_version(void **state)
{
    static const struct { unsigned at, size; uint32_t val; } cases[] = {
        { EH_TYPE, 2, 0 }, { EH_TYPE, 2, 1 },   /* ET_NONE, ET_REL */
        { EH_TYPE, 2, 3 }, { EH_TYPE, 2, 4 },   /* ET_DYN (PIE), ET_CORE */
        { EH_TYPE, 2, 0x0200 },                 /* ET_EXEC byte-swapped */
        { EH_MACHINE, 2, 3 }, { EH_MACHINE, 2, 183 }, { EH_MACHINE, 2, 0 },
        { EH_VERSION, 4, 0 }, { EH_VERSION, 4, 2 },
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_min(&im);
        if (cases[i].size == 2)
            put16(im.buf + cases[i].at, (uint16_t)cases[i].val);
        else
            put32(im.buf + cases[i].at, cases[i].val);
        expect_err(&im, AE_ERR_INVAL);
    }
}

static void ELF0015_bad_header_sizes(void **state)
{
    static const struct { unsigned at; uint16_t val; } cases[] = {
        { EH_EHSIZE, 52 }, { EH_EHSIZE, 0 }, { EH_EHSIZE, 128 },
        { EH_PHENTSIZE, 32 }, { EH_PHENTSIZE, 0 }, { EH_PHENTSIZE, 64 },
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_min(&im);
        put16(im.buf + cases[i].at, cases[i].val);
        expect_err(&im, AE_ERR_INVAL);
    }
}

/* Reads a whole file into an owned heap block; NULL when unreadable. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        return NULL;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    assert_true(nowned < N(owned));
    owned[nowned++] = p;
    *len = n;
    return p;
}

static void ELF0016_host_pie_refused(void **state)
{
    size_t len;
    uint8_t *p = read_file("/proc/self/exe", &len);

    /* This test binary, built by the host gcc, is a dynamically linked PIE:
     * ET_DYN is refused, and patched to ET_EXEC its PT_INTERP still is. */
    assert_non_null(p);
    assert_true(len > EH_SIZE);
    assert_int_equal(get16(p + EH_TYPE), 3);
    assert_int_equal(check_against_ref(p, len, USER_LO, USER_HI),
                     AE_ERR_INVAL);
    put16(p + EH_TYPE, 2);
    assert_int_equal(check_against_ref(p, len, USER_LO, USER_HI),
                     AE_ERR_UNSUPPORTED);
}

static void ELF0017_sample_from_environment(void **state)
{
    const char *path = getenv("ELF_SAMPLE");
    size_t len;
    uint8_t *p;

    /* ELF_SAMPLE=path names a real static x86_64 executable (for example
     * from `gcc -static -no-pie`); it must be accepted exactly as the
     * reference validator accepts it. */
    if (!path || !*path) {
        printf("ELF0017: ELF_SAMPLE not set, nothing to check\n");
        return;
    }
    p = read_file(path, &len);
    assert_non_null(p);
    assert_int_equal(check_against_ref(p, len, USER_LO, USER_HI), AE_OK);
    printf("ELF0017: %s: entry %#llx, %u loads\n", path,
           (unsigned long long)out.entry, out.nsegments);
}

/* ---- AE_ERR_UNSUPPORTED -------------------------------------------------- */

static void ELF0018_no_program_headers(void **state)
{
    build_min(&im);
    put16(im.buf + EH_PHNUM, 0);
    expect_err(&im, AE_ERR_UNSUPPORTED);

    /* PN_XNUM: the real count would be in section header 0. */
    img_init(&im, 0x400000, 0x1000);
    put16(im.buf + EH_PHNUM, 0xffff);
    put64(im.buf + EH_PHOFF, 0);
    expect_err(&im, AE_ERR_UNSUPPORTED);
}

static void ELF0019_no_loads(void **state)
{
    img_init(&im, 0x400000, 0x1000);
    img_ph(&im, &(struct ph){ PT_NOTE, R, 0x100, 0x400100, 0x20, 0x20, 4 });
    img_ph(&im, &(struct ph){ PT_GNU_STACK, R | W, 0, 0, 0, 0, 16 });
    expect_err(&im, AE_ERR_UNSUPPORTED);
    img_ph(&im, &(struct ph){ PT_LOAD, R | X, 0, 0x400000, 0, 0, 0x1000 });
    expect_err(&im, AE_ERR_UNSUPPORTED);
}

static void ELF0020_interp_or_dynamic(void **state)
{
    static const uint32_t types[] = { PT_INTERP, PT_DYNAMIC };

    for (size_t i = 0; i < N(types); i++) {
        /* Wherever it is listed, and whatever its fields. */
        build_static_sep(&im);
        img_ph(&im, &(struct ph){ types[i], R, 0x2a8, 0x4002a8, 0x1c, 0x1c,
                                  1 });
        expect_err(&im, AE_ERR_UNSUPPORTED);
        build_static_sep(&im);
        put32(ph_at(&im, 4) + PH_TYPE, types[i]);
        expect_err(&im, AE_ERR_UNSUPPORTED);
        build_min(&im);
        img_ph(&im, &(struct ph){ types[i], 0, ~0ull, ~0ull, ~0ull, 0, 0 });
        expect_err(&im, AE_ERR_UNSUPPORTED);
    }
}

static void ELF0021_too_many_loads(void **state)
{
    img_init(&im, 0x400000, 0x8000);
    for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
        img_load(&im, i == 0 ? R | X : R, 0x400000 + i * 0x1000ull, 0x10,
                 0x1000);
    expect_err(&im, AE_ERR_UNSUPPORTED);
}

/* ---- AE_ERR_CORRUPT ------------------------------------------------------ */

static void ELF0022_table_outside_file(void **state)
{
    /* The table may end exactly at the file's end, not one byte later; a
     * huge e_phoff must not wrap around. */
    build_min(&im);
    put64(im.buf + EH_PHOFF, im.len - PH_SIZE);
    memcpy(im.buf + im.len - PH_SIZE, ph_at(&im, 0), PH_SIZE);
    assert_int_equal(parse(&im), AE_OK);
    put64(im.buf + EH_PHOFF, im.len - PH_SIZE + 1);
    expect_err(&im, AE_ERR_CORRUPT);
    put64(im.buf + EH_PHOFF, UINT64_MAX - 10);
    expect_err(&im, AE_ERR_CORRUPT);
    put64(im.buf + EH_PHOFF, (uint64_t)0 - PH_SIZE);
    expect_err(&im, AE_ERR_CORRUPT);

    build_min(&im);
    put16(im.buf + EH_PHNUM, 0xfffe);
    expect_err(&im, AE_ERR_CORRUPT);

    /* The file cut in the middle of the table. */
    build_static_sep(&im);
    im.len = EH_SIZE + 3 * PH_SIZE + 20;
    expect_err(&im, AE_ERR_CORRUPT);
}

static void ELF0023_filesz_above_memsz(void **state)
{
    build_min(&im);
    put64(ph_at(&im, 0) + PH_FILESZ, 0x1001);
    expect_err(&im, AE_ERR_CORRUPT);
    put64(ph_at(&im, 0) + PH_FILESZ, UINT64_MAX);
    expect_err(&im, AE_ERR_CORRUPT);
}

static void ELF0024_segment_outside_file(void **state)
{
    static const struct { uint64_t offset, filesz; int ret; } cases[] = {
        { 0, 0x2000, AE_OK }, { 0x1000, 0x1000, AE_OK },
        { 0, 0x2001, AE_ERR_CORRUPT }, { 0x1000, 0x1001, AE_ERR_CORRUPT },
        { 0x2000, 0, AE_OK }, { 0x3000, 0, AE_ERR_CORRUPT },
        { UINT64_MAX - 0xfff, 0x1000, AE_ERR_CORRUPT },   /* wraps to 0 */
        { UINT64_MAX, 1, AE_ERR_CORRUPT },
    };

    for (size_t i = 0; i < N(cases); i++) {
        img_init(&im, 0x400000, 0x2000);
        img_ph(&im, &(struct ph){ PT_LOAD, R | X, cases[i].offset,
                                  0x400000 + (cases[i].offset & 0xfff),
                                  cases[i].filesz, 0x4000, 0x1000 });
        put64(im.buf + EH_ENTRY, 0x400000 + (cases[i].offset & 0xfff));
        assert_int_equal(parse(&im), cases[i].ret);
    }
}

static void ELF0025_address_overflow(void **state)
{
    /* vaddr + memsz wrapping, and a last page whose rounded end is 2^64,
     * are corrupt even when the user range would otherwise allow them. */
    static const struct { uint64_t vaddr, memsz; } cases[] = {
        { 0xfffffffffffff000ull, 0x1001 },
        { 0x400000, UINT64_MAX },
        { 0xfffffffffffff001ull, 0xffe },       /* end 2^64 - 1, rounds up */
        { 0xfffffffffffff000ull, 0x1000 },      /* end exactly 2^64 */
    };

    for (size_t i = 0; i < N(cases); i++) {
        img_init(&im, cases[i].vaddr, 0x2000);
        img_ph(&im, &(struct ph){ PT_LOAD, R | X, cases[i].vaddr & 0xfff,
                                  cases[i].vaddr, 0x10, cases[i].memsz, 0 });
        assert_int_equal(parse_range(&im, 0, UINT64_MAX), AE_ERR_CORRUPT);
        assert_out_zeroed();
    }
}

static void ELF0026_offset_vaddr_misaligned(void **state)
{
    build_static_sep(&im);
    put64(ph_at(&im, 3) + PH_OFFSET, 0x2f48);
    expect_err(&im, AE_ERR_CORRUPT);
    build_static_sep(&im);
    put64(ph_at(&im, 1) + PH_VADDR, 0x401001);
    expect_err(&im, AE_ERR_CORRUPT);
    /* Congruent modulo 4096 is enough; p_align is not used. */
    build_static_sep(&im);
    put64(ph_at(&im, 2) + PH_VADDR, 0x502000);
    put64(ph_at(&im, 2) + PH_ALIGN, 0x200000);
    assert_int_equal(parse(&im), AE_OK);
}

static void ELF0027_overlapping_loads(void **state)
{
    static const struct { uint64_t vaddr, memsz; } cases[] = {
        { 0x401000, 0x1000 },           /* the same page as the text */
        { 0x401b41, 0x10 },             /* the text's last, partial page */
        { 0x400270, 0x10 },             /* a byte after the headers' end */
        { 0x3ff000, 0x1001 },           /* reaching into the first page */
        { 0x300000, 0x200000 },         /* covering everything */
        { 0x404fff, 0x1 },              /* in the page .bss ends in */
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_static_sep(&im);
        img_load(&im, R, cases[i].vaddr, 0, cases[i].memsz);
        expect_err(&im, AE_ERR_CORRUPT);
    }
    /* Overlap is found whichever of the two is listed first. */
    build_static_sep(&im);
    put64(ph_at(&im, 0) + PH_VADDR, 0x402000);
    expect_err(&im, AE_ERR_CORRUPT);
}

/* ---- AE_ERR_RANGE and AE_ERR_ACCESS -------------------------------------- */

static void ELF0028_outside_user_range(void **state)
{
    static const struct { uint64_t vaddr, memsz; } cases[] = {
        { 0, 0x1000 },                  /* page 0 below USER_LO */
        { 0xfff, 0x1 },
        { USER_HI - 0x1000, 0x1001 },   /* one byte past the end */
        { USER_HI - 0x10, 0x11 },
        { USER_HI, 0x1000 },
        { 0xffff800000000000ull, 0x1000 },      /* kernel half */
    };

    for (size_t i = 0; i < N(cases); i++) {
        build_min(&im);
        img_load(&im, R, cases[i].vaddr, 0, cases[i].memsz);
        expect_err(&im, AE_ERR_RANGE);
    }
    /* Checked on the rounded range: a user_lo inside a page excludes it. */
    build_min(&im);
    assert_int_equal(parse_range(&im, 0x400000, 0x401000), AE_OK);
    assert_int_equal(parse_range(&im, 0x400001, 0x401000), AE_ERR_RANGE);
    assert_int_equal(parse_range(&im, 0x400000, 0x400fff), AE_ERR_RANGE);
    assert_out_zeroed();
    img_init(&im, 0x400010, 0x2000);
    img_load(&im, R | X, 0x400010, 0x10, 0x10);
    assert_int_equal(parse_range(&im, 0x400000, 0x401000), AE_OK);
    assert_int_equal(parse_range(&im, 0x400001, 0x401000), AE_ERR_RANGE);
    assert_int_equal(parse_range(&im, 0x400010, 0x401000), AE_ERR_RANGE);
    assert_int_equal(parse_range(&im, 0x400000, 0x400020), AE_ERR_RANGE);
}

static void ELF0029_writable_and_executable(void **state)
{
    build_static_sep(&im);
    put32(ph_at(&im, 3) + PH_FLAGS, R | W | X);
    expect_err(&im, AE_ERR_ACCESS);
    build_static_sep(&im);
    put32(ph_at(&im, 1) + PH_FLAGS, W | X);
    expect_err(&im, AE_ERR_ACCESS);
}

/* ---- robustness ---------------------------------------------------------- */

static const uint64_t interesting[] = {
    0, 1, 0x10, 0xfff, 0x1000, 0x1001, 0x2f50, 0x3088, 0x400000, 0x401020,
    0x403000, USER_HI - 0x1000, USER_HI, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xfffffffffffff000ull, UINT64_MAX - 1, UINT64_MAX,
};

/* Overwrites a random field of the ELF header or of one program header
 * with a random, boundary or nearby value; or one random byte. */
static void mutate(uint8_t *d, size_t len, unsigned nph)
{
    static const uint8_t ph_fields[] = {
        PH_TYPE, PH_FLAGS, PH_OFFSET, PH_VADDR, PH_FILESZ, PH_MEMSZ,
    };
    static const uint8_t eh_fields[] = { EH_ENTRY, EH_PHOFF };
    size_t hdr_end = EH_SIZE + (size_t)nph * PH_SIZE;
    uint64_t r = rng(), v = rng();
    bool delta = r % 3 == 1;
    uint8_t *f;

    if (r % 3 == 0)
        v = interesting[v % N(interesting)];
    else if (delta)
        v = (v & 0xff) - 0x80;
    switch ((r >> 8) % 6) {
    case 0: d[rng() % hdr_end] = (uint8_t)v; return;
    case 1: d[rng() % hdr_end] ^= (uint8_t)(1u << (v % 8)); return;
    case 2: d[rng() % len] = (uint8_t)v; return;
    case 3:
        f = d + eh_fields[rng() % N(eh_fields)];
        put64(f, delta ? get64(f) + v : v);
        return;
    case 4: put16(d + EH_PHNUM, (uint16_t)(v % (nph + 2))); return;
    default:
        break;
    }
    f = d + EH_SIZE + (rng() % nph) * PH_SIZE;
    switch (ph_fields[rng() % N(ph_fields)]) {
    case PH_TYPE: put32(f + PH_TYPE, (uint32_t)(v % 8)); return;
    case PH_FLAGS: put32(f + PH_FLAGS, (uint32_t)v); return;
    case PH_OFFSET: f += PH_OFFSET; break;
    case PH_VADDR: f += PH_VADDR; break;
    case PH_FILESZ: f += PH_FILESZ; break;
    default: f += PH_MEMSZ; break;
    }
    put64(f, delta ? get64(f) + v : v);
}

static void ELF0030_random_mutations_match_reference(void **state)
{
    static uint8_t base[STATIC_SEP_LEN];
    int tally[16] = { 0 };
    size_t len = STATIC_SEP_LEN;

    /* Random field and byte corruptions and truncations of the realistic
     * image: elf_parse must never read out of bounds (ASan), must return
     * one of its documented codes, and must accept exactly the images the
     * reference validator accepts, returning the same segments. */
    build_static_sep(&im);
    memcpy(base, im.buf, len);
    rng_state = 0x454c463030333030ULL;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = len, shift = rng() % 8 == 0 ? 1 + rng() % 7 : 0;
        uint64_t lo = USER_LO, hi = USER_HI;
        int nmut = (int)(rng() % 4), ret;
        uint8_t *p;

        memcpy(im.buf, base, len);
        for (int k = 0; k < nmut; k++)
            mutate(im.buf, len, (unsigned)N(static_sep));
        if (rng() % 6 == 0)
            n = rng() % (len + 1);
        if (rng() % 8 == 0) {
            lo = 0x400000 + (rng() % 3) * 0x800;
            hi = 0x405000 - (rng() % 3) * 0x800;
        }
        p = (uint8_t *)img_blob_n(&im, n, shift);
        ret = check_against_ref(p, n, lo, hi);
        tally[-ret]++;
        free(p - shift);
        nowned--;
    }
    printf("ELF0030: ok %d inval %d corrupt %d range %d access %d "
           "unsupported %d\n", tally[0], tally[-AE_ERR_INVAL],
           tally[-AE_ERR_CORRUPT], tally[-AE_ERR_RANGE],
           tally[-AE_ERR_ACCESS], tally[-AE_ERR_UNSUPPORTED]);
    /* The mutations reach every outcome. */
    assert_true(tally[0] > 1000);
    assert_true(tally[-AE_ERR_INVAL] > 100);
    assert_true(tally[-AE_ERR_CORRUPT] > 100);
    assert_true(tally[-AE_ERR_RANGE] > 100);
    assert_true(tally[-AE_ERR_ACCESS] > 10);
    assert_true(tally[-AE_ERR_UNSUPPORTED] > 100);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(ELF0001_static_separate_code_layout),
        T(ELF0002_static_classic_layout),
        T(ELF0003_unaligned_buffer),
        T(ELF0004_ignored_types_and_sections),
        T(ELF0005_empty_load_skipped),
        T(ELF0006_bss_only_segment_and_exact_file_end),
        T(ELF0007_entry_boundaries),
        T(ELF0008_sixteen_loads),
        T(ELF0009_adjacent_pages_and_unsorted),
        T(ELF0010_user_range_boundaries),
        T(ELF0011_null_and_bad_arguments),
        T(ELF0012_truncated_header),
        T(ELF0013_bad_ident),
        T(ELF0014_bad_type_machine_version),
        T(ELF0015_bad_header_sizes),
        T(ELF0016_host_pie_refused),
        T(ELF0017_sample_from_environment),
        T(ELF0018_no_program_headers),
        T(ELF0019_no_loads),
        T(ELF0020_interp_or_dynamic),
        T(ELF0021_too_many_loads),
        T(ELF0022_table_outside_file),
        T(ELF0023_filesz_above_memsz),
        T(ELF0024_segment_outside_file),
        T(ELF0025_address_overflow),
        T(ELF0026_offset_vaddr_misaligned),
        T(ELF0027_overlapping_loads),
        T(ELF0028_outside_user_range),
        T(ELF0029_writable_and_executable),
        T(ELF0030_random_mutations_match_reference),
    };
#undef T

    return cmocka_run_group_tests_name("elf64", tests, NULL, NULL);
}
