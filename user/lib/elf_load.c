/*
 * ae_elf_load (contract in elf_load.h). The same steps as the kernel's
 * loader for init (kernel/proc/init_loader.c), through system calls:
 * validate, then per segment create an object, fill it through a scratch
 * mapping, map it into the child; then the stack, then the info page.
 *
 * Every mapping made in the child is recorded, so that a failure at any
 * step removes them all: the objects' only references are those mappings
 * (our handles are closed as soon as each is mapped), so removing them
 * frees the objects and returns every charge.
 */
#include <stdbool.h>

#include "elf_load.h"
#include "scratch.h"
#include "common/elf64.h"
#include "common/string.h"

#define PAGE 4096ull
#define USER_LOWEST 0x10000ull          /* vmo_map's user range */
#define USER_TOP 0x0000800000000000ull

/* The mappings made so far in the child. */
struct load {
    ae_handle_t proc;
    unsigned n;
    struct {
        uint64_t va, len;
    } map[ELF_MAX_SEGMENTS + 2];        /* segments, stack, info */
    uint64_t pages;
};

static bool page_aligned(uint64_t x)
{
    return (x & (PAGE - 1)) == 0;
}

/* Maps vmo's first len bytes into the child at va and records it. */
static int map_into(struct load *l, ae_handle_t vmo, uint64_t va, uint64_t len, uint32_t prot)
{
    int64_t err = ae_vmo_map(vmo, l->proc, va, 0, len, prot);

    if (err)
        return (int)err;
    l->map[l->n].va = va;
    l->map[l->n].len = len;
    l->n++;
    return AE_OK;
}

/* A fresh object of len bytes, filled at skip with src[0..n) (if n),
 * mapped into the child at va with prot. */
static int map_fresh(struct load *l, uint64_t va, uint64_t len, uint64_t skip, const void *src,
                     uint64_t n, uint32_t prot)
{
    int64_t v = ae_vmo_create(len, 0), err = AE_OK;

    if (v < 0)
        return (int)v;
    if (n) {
        uint64_t span = (skip + n + PAGE - 1) & ~(PAGE - 1);    /* only pages with file bytes */
        int64_t at = ae_scratch_map((ae_handle_t)v, 0, span);

        if (at < 0) {
            err = at;
        } else {
            memcpy((char *)at + skip, src, n);
            ae_scratch_unmap((uint64_t)at, span);
        }
    }
    if (!err)
        err = map_into(l, (ae_handle_t)v, va, len, prot);
    ae_handle_close((ae_handle_t)v);    /* the child's mapping keeps it */
    if (!err)
        l->pages += len / PAGE;
    return (int)err;
}

/* The whole pages a segment spans: [*base, *base + return value). */
static uint64_t segment_span(const struct elf_segment *s, uint64_t *base)
{
    /* elf_parse proved vaddr + memsz rounds up without overflow. */
    *base = s->vaddr & ~(PAGE - 1);
    return ((s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1)) - *base;
}

static int load_segment(struct load *l, const uint8_t *image, const struct elf_segment *s)
{
    uint64_t base, len = segment_span(s, &base);
    uint32_t prot = AE_PROT_READ;       /* x86 pages are always readable */

    if (s->flags & ELF_SEG_W)
        prot |= AE_PROT_WRITE;
    if (s->flags & ELF_SEG_X)
        prot |= AE_PROT_EXEC;
    return map_fresh(l, base, len, s->vaddr - base, image + s->offset, s->filesz, prot);
}

/* Options with defaults filled in, or AE_ERR_INVAL. */
static int resolve_opts(const struct ae_elf_load_opts *in, struct ae_elf_load_opts *o)
{
    static const struct ae_elf_load_opts none;

    *o = in ? *in : none;
    if (!o->stack_top)
        o->stack_top = AE_STACK_TOP;
    if (!o->stack_size)
        o->stack_size = AE_ELF_STACK_SIZE;
    if (!o->info_size)
        o->info_size = PAGE;
    if (!page_aligned(o->stack_top) || !page_aligned(o->stack_size) ||
        o->stack_top <= USER_LOWEST || o->stack_top > USER_TOP ||
        o->stack_size > o->stack_top - USER_LOWEST ||
        o->stack_size > AE_ELF_SEGMENT_MAX)
        return AE_ERR_INVAL;
    if (o->info_vmo && (!page_aligned(o->info_va) || !page_aligned(o->info_size) ||
                        o->info_va < USER_LOWEST || o->info_va > USER_TOP ||
                        o->info_size > USER_TOP - o->info_va))
        return AE_ERR_INVAL;
    return AE_OK;
}

static int load(struct load *l, const uint8_t *image, const struct elf_image *img,
                const struct ae_elf_load_opts *o)
{
    int err = AE_OK;

    for (unsigned i = 0; i < img->nsegments && !err; i++)
        err = load_segment(l, image, &img->seg[i]);
    if (!err)
        err = map_fresh(l, o->stack_top - o->stack_size, o->stack_size, 0, NULL, 0,
                        AE_PROT_READ | AE_PROT_WRITE);
    if (!err && o->info_vmo)
        err = map_into(l, o->info_vmo, o->info_va, o->info_size, AE_PROT_READ);
    return err;
}

int ae_elf_load(ae_handle_t proc, const void *image, size_t size,
                const struct ae_elf_load_opts *opts, struct ae_elf_loaded *out)
{
    struct ae_elf_load_opts o;
    struct elf_image img;
    struct load l = {.proc = proc};
    int err;

    if (!out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    if (!image)
        return AE_ERR_INVAL;
    if (proc == AE_HANDLE_INVALID)
        return AE_ERR_BAD_HANDLE;       /* vmo_map would take 0 as the caller */
    err = elf_parse(image, size, USER_LOWEST, USER_TOP, &img);
    if (err)
        return err;
    err = resolve_opts(opts, &o);
    if (err)
        return err;
    for (unsigned i = 0; i < img.nsegments; i++) {
        uint64_t base;
        if (segment_span(&img.seg[i], &base) > AE_ELF_SEGMENT_MAX)
            return AE_ERR_RANGE;
    }
    err = load(&l, image, &img, &o);
    if (err) {
        while (l.n--)
            ae_vmo_unmap(proc, l.map[l.n].va, l.map[l.n].len);
        return err;
    }
    out->entry = img.entry;
    out->stack = o.stack_top;
    out->arg = o.info_vmo ? o.info_va : 0;
    out->nsegments = img.nsegments;
    out->pages = l.pages;
    return AE_OK;
}
