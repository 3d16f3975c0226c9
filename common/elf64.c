/*
 * ELF64 executable validation (contract in elf64.h), per the ELF-64 Object
 * File Format and the System V ABI AMD64 supplement. Only the ELF header and
 * the program header table are read; section headers are never used.
 *
 * Invariants: every read of the caller's buffer is a memcpy (the buffer may
 * be unaligned) from a range already proven to lie within [0, size); every
 * sum or product of file-controlled values is overflow-checked; *out holds a
 * result only on AE_OK and is zeroed on every error.
 *
 * Order of checks (the first failure decides the result): arguments and ELF
 * header (AE_ERR_INVAL); e_phnum 0 or PN_XNUM (AE_ERR_UNSUPPORTED); table
 * bounds (AE_ERR_CORRUPT); table contents: PT_INTERP or PT_DYNAMIC, number of
 * non-empty PT_LOADs (AE_ERR_UNSUPPORTED); then each non-empty PT_LOAD in
 * file order: layout (AE_ERR_CORRUPT), W+X (AE_ERR_ACCESS), user range
 * (AE_ERR_RANGE), overlap with an earlier load (AE_ERR_CORRUPT); last the
 * entry point (AE_ERR_CORRUPT).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "common/elf64.h"
#include "common/string.h"
#include "aether/errors.h"

#define PAGE_MASK       4095ull

#define EHDR_SIZE       64u     /* sizeof(Elf64_Ehdr) */
#define PHDR_SIZE       56u     /* sizeof(Elf64_Phdr) */
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_X86_64       62
#define PN_XNUM         0xffffu /* real count in section 0: unsupported */
#define PT_LOAD         1
#define PT_DYNAMIC      2
#define PT_INTERP       3

/* The ELF header fields the validator uses, decoded. */
struct ehdr {
    uint64_t entry;
    uint64_t phoff;
    uint16_t phnum;
};

/* One program header, decoded (p_paddr and p_align are not used: the
 * loader maps 4 KiB pages, so only vaddr % 4096 == offset % 4096 matters). */
struct phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
};

/* Little-endian loads; the kernel and its host tests are x86_64 only. */
static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* Checks the ELF header in d[0..size) and decodes what is needed. */
static int parse_ehdr(const uint8_t *d, size_t size, struct ehdr *h)
{
    static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

    if (size < EHDR_SIZE || memcmp(d, magic, sizeof(magic)) != 0)
        return AE_ERR_INVAL;
    if (d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2LSB ||
        d[EI_VERSION] != EV_CURRENT)
        return AE_ERR_INVAL;
    if (rd16(d + 16) != ET_EXEC || rd16(d + 18) != EM_X86_64 ||
        rd32(d + 20) != EV_CURRENT)
        return AE_ERR_INVAL;
    if (rd16(d + 52) != EHDR_SIZE || rd16(d + 54) != PHDR_SIZE)
        return AE_ERR_INVAL;
    h->entry = rd64(d + 24);
    h->phoff = rd64(d + 32);
    h->phnum = rd16(d + 56);
    if (h->phnum == 0 || h->phnum == PN_XNUM)
        return AE_ERR_UNSUPPORTED;
    return AE_OK;
}

/* The program header table must lie entirely within the file. */
static int check_table(const struct ehdr *h, size_t size)
{
    uint64_t len, end;

    if (__builtin_mul_overflow((uint64_t)h->phnum, (uint64_t)PHDR_SIZE, &len) ||
        __builtin_add_overflow(h->phoff, len, &end) || end > (uint64_t)size)
        return AE_ERR_CORRUPT;
    return AE_OK;
}

/* Decodes program header i; the table was bounds-checked by check_table. */
static void read_phdr(const uint8_t *d, const struct ehdr *h, unsigned i,
                      struct phdr *p)
{
    const uint8_t *q = d + h->phoff + (uint64_t)i * PHDR_SIZE;

    p->type = rd32(q);
    p->flags = rd32(q + 4);
    p->offset = rd64(q + 8);
    p->vaddr = rd64(q + 16);
    p->filesz = rd64(q + 32);
    p->memsz = rd64(q + 40);
}

/* Refuses dynamic executables and counts the non-empty loads. */
static int scan_types(const uint8_t *d, const struct ehdr *h)
{
    unsigned nloads = 0;
    struct phdr p;

    for (unsigned i = 0; i < h->phnum; i++) {
        read_phdr(d, h, i, &p);
        if (p.type == PT_INTERP || p.type == PT_DYNAMIC)
            return AE_ERR_UNSUPPORTED;
        if (p.type == PT_LOAD && p.memsz != 0)
            nloads++;
    }
    if (nloads == 0 || nloads > ELF_MAX_SEGMENTS)
        return AE_ERR_UNSUPPORTED;
    return AE_OK;
}

/* The page-rounded range [*lo, *hi) of a segment; false on overflow. */
static bool page_range(uint64_t vaddr, uint64_t memsz, uint64_t *lo,
                       uint64_t *hi)
{
    uint64_t end;

    if (__builtin_add_overflow(vaddr, memsz, &end) ||
        __builtin_add_overflow(end, PAGE_MASK, &end))
        return false;
    *lo = vaddr & ~PAGE_MASK;
    *hi = end & ~PAGE_MASK;
    return true;
}

/* Checks one non-empty PT_LOAD against the file, the user range and the
 * loads accepted before it (img->seg[0..nsegments)). */
static int check_load(const struct phdr *p, size_t size, uint64_t user_lo,
                      uint64_t user_hi, const struct elf_image *img)
{
    uint64_t fend, lo, hi, olo, ohi;

    if (p->filesz > p->memsz ||
        __builtin_add_overflow(p->offset, p->filesz, &fend) ||
        fend > (uint64_t)size)
        return AE_ERR_CORRUPT;
    if (!page_range(p->vaddr, p->memsz, &lo, &hi) ||
        (p->vaddr & PAGE_MASK) != (p->offset & PAGE_MASK))
        return AE_ERR_CORRUPT;
    if ((p->flags & ELF_SEG_W) && (p->flags & ELF_SEG_X))
        return AE_ERR_ACCESS;
    if (lo < user_lo || hi > user_hi)
        return AE_ERR_RANGE;
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->seg[i];

        if (!page_range(s->vaddr, s->memsz, &olo, &ohi))
            return AE_ERR_CORRUPT;      /* not reached: checked on entry */
        if (lo < ohi && olo < hi)
            return AE_ERR_CORRUPT;
    }
    return AE_OK;
}

/* Validates every non-empty PT_LOAD and appends it to img. */
static int collect_loads(const uint8_t *d, size_t size, const struct ehdr *h,
                         uint64_t user_lo, uint64_t user_hi,
                         struct elf_image *img)
{
    struct phdr p;
    int ret;

    for (unsigned i = 0; i < h->phnum; i++) {
        read_phdr(d, h, i, &p);
        if (p.type != PT_LOAD || p.memsz == 0)
            continue;
        ret = check_load(&p, size, user_lo, user_hi, img);
        if (ret != AE_OK)
            return ret;
        if (img->nsegments >= ELF_MAX_SEGMENTS)
            return AE_ERR_UNSUPPORTED;  /* not reached: counted by scan */
        img->seg[img->nsegments++] = (struct elf_segment){
            .vaddr = p.vaddr,
            .memsz = p.memsz,
            .offset = p.offset,
            .filesz = p.filesz,
            .flags = p.flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X),
        };
    }
    return AE_OK;
}

/* The entry point must lie within [vaddr, vaddr + memsz) of an X load. */
static bool entry_executable(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->seg[i];

        if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
            img->entry - s->vaddr < s->memsz)
            return true;
    }
    return false;
}

static int parse(const uint8_t *d, size_t size, uint64_t user_lo,
                 uint64_t user_hi, struct elf_image *out)
{
    struct ehdr h;
    int ret;

    if (!d || user_lo >= user_hi)
        return AE_ERR_INVAL;
    ret = parse_ehdr(d, size, &h);
    if (ret == AE_OK)
        ret = check_table(&h, size);
    if (ret == AE_OK)
        ret = scan_types(d, &h);
    if (ret == AE_OK)
        ret = collect_loads(d, size, &h, user_lo, user_hi, out);
    if (ret != AE_OK)
        return ret;
    out->entry = h.entry;
    return entry_executable(out) ? AE_OK : AE_ERR_CORRUPT;
}

int elf_parse(const void *data, size_t size, uint64_t user_lo, uint64_t user_hi,
              struct elf_image *out)
{
    int ret;

    if (!out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    ret = parse(data, size, user_lo, user_hi, out);
    if (ret != AE_OK)
        memset(out, 0, sizeof(*out));
    return ret;
}
