/* The allocator's core; the design is in heap.h. */
#include <stdbool.h>
#include <string.h>

#include "heap.h"

#define HDR ((size_t)16)
#define MIN_BLOCK ((size_t)48)                  /* header, two links, footer */
#define IN_USE 1u
#define PREV_IN_USE 2u
#define FLAGS 15u
#define EXACT_MAX 256u                  /* one bin per 16 bytes up to this */

struct hdr {
    size_t sf;                          /* size | flags */
    uint64_t tag;
};

struct heap_free {
    struct hdr h;
    struct heap_free *next, *prev;      /* prev NULL: first in its bin */
};

/* ---- headers ------------------------------------------------------------ */

static size_t bsize(const struct hdr *b)
{
    return b->sf & ~(size_t)FLAGS;
}

static struct hdr *at(const void *p, size_t off)
{
    return (struct hdr *)((char *)p + off);
}

static struct hdr *before(const void *p, size_t off)
{
    return (struct hdr *)((char *)p - off);
}

static uint64_t tag_of(const struct heap *h, const struct hdr *b, size_t sf)
{
    uint64_t t = (((uint64_t)(uintptr_t)b ^ sf) * 0x9e3779b97f4a7c15ull) ^ h->secret;

    return (sf & IN_USE) ? t : ~t;
}

static void set_hdr(const struct heap *h, struct hdr *b, size_t sf)
{
    b->sf = sf;
    b->tag = tag_of(h, b, sf);
}

static bool hdr_valid(const struct heap *h, const struct hdr *b)
{
    return b->tag == tag_of(h, b, b->sf);
}

static void set_footer(struct hdr *b, size_t size)
{
    *(size_t *)((char *)b + size - sizeof(size_t)) = size;
}

static __attribute__((noreturn)) void fail(const struct heap *h, const char *what,
                                           const void *p)
{
    h->src->fail(h->src->ctx, what, p);
}

static struct hdr *epilogue(const struct heap *h)
{
    return (struct hdr *)(h->end - HDR);
}

/* The free block before b (whose PREV_IN_USE is clear), checked. */
static struct hdr *prev_free(const struct heap *h, const struct hdr *b)
{
    size_t psz = *(const size_t *)((const char *)b - sizeof(size_t));
    struct hdr *prev;

    if (psz < MIN_BLOCK || psz % 16 || psz > (uintptr_t)b - h->base)
        fail(h, "free block footer overwritten", b);
    prev = before(b, psz);
    if (!hdr_valid(h, prev) || (prev->sf & IN_USE) || bsize(prev) != psz)
        fail(h, "free block header overwritten", prev);
    return prev;
}

/* ---- bins --------------------------------------------------------------- */

static unsigned bin_of(size_t size)
{
    unsigned l;

    if (size <= EXACT_MAX)
        return (unsigned)(size / 16) - MIN_BLOCK / 16;
    l = 63u - (unsigned)__builtin_clzll(size);         /* >= 8 */
    if (l > 40)
        return HEAP_BINS - 1;
    return 14 + (l - 8) * 4 + (unsigned)((size >> (l - 2)) & 3);
}

static void insert_free(struct heap *h, struct hdr *b)
{
    struct heap_free *f = (struct heap_free *)b;
    unsigned bin = bin_of(bsize(b));

    f->prev = NULL;
    f->next = h->bins[bin];
    if (f->next)
        f->next->prev = f;
    h->bins[bin] = f;
    h->binmap[bin / 64] |= 1ull << (bin % 64);
}

/* A free-list link is read from the payload of a free block, which a
 * write after free may have changed: it must point at a free block of
 * this heap before anything is read through it. */
static struct heap_free *checked_link(const struct heap *h, struct heap_free *f,
                                      const void *from)
{
    uintptr_t a = (uintptr_t)f;

    if (f && (a % 16 || a < h->base || a >= h->end - HDR || !hdr_valid(h, &f->h) ||
              (f->h.sf & IN_USE)))
        fail(h, "free list corrupted (written after free?)", from);
    return f;
}

static void unlink_free(struct heap *h, struct hdr *b)
{
    struct heap_free *f = (struct heap_free *)b;
    unsigned bin = bin_of(bsize(b));
    struct heap_free *next = checked_link(h, f->next, b), *prev = checked_link(h, f->prev, b);

    if ((next && next->prev != f) || (prev ? prev->next != f : h->bins[bin] != f))
        fail(h, "free list corrupted (written after free?)", b);
    if (f->next)
        f->next->prev = f->prev;
    if (f->prev) {
        f->prev->next = f->next;
    } else {
        h->bins[bin] = f->next;
        if (!f->next)
            h->binmap[bin / 64] &= ~(1ull << (bin % 64));
    }
}

/* The first non-empty bin at or above from, or -1. */
static int next_bin(const struct heap *h, unsigned from)
{
    for (unsigned w = from / 64; w < sizeof(h->binmap) / sizeof(h->binmap[0]); w++) {
        uint64_t m = h->binmap[w];
        if (w == from / 64)
            m &= ~0ull << (from % 64);
        if (m)
            return (int)(w * 64 + (unsigned)__builtin_ctzll(m));
    }
    return -1;
}

/* A free block of at least size bytes (still in its bin), or NULL. Blocks
 * in higher bins are all large enough; the request's own bin may hold
 * smaller ones (above EXACT_MAX), so it is searched first-fit. */
static struct hdr *find_fit(struct heap *h, size_t size)
{
    unsigned bin = bin_of(size);
    int higher;

    for (struct heap_free *f = checked_link(h, h->bins[bin], NULL); f;
         f = checked_link(h, f->next, f))
        if (bsize(&f->h) >= size)
            return &f->h;
    higher = next_bin(h, bin + 1);
    return higher < 0 ? NULL : &checked_link(h, h->bins[higher], NULL)->h;
}

/* ---- blocks ------------------------------------------------------------- */

/* Makes [b, b + size) one free block, merged with free neighbours, and
 * bins it; b's PREV_IN_USE flag must be right. Returns the merged block. */
static struct hdr *make_free(struct heap *h, struct hdr *b, size_t size)
{
    size_t prevf = b->sf & PREV_IN_USE;
    struct hdr *next = at(b, size);

    if (!prevf) {
        struct hdr *prev = prev_free(h, b);
        unlink_free(h, prev);
        size += bsize(prev);
        prevf = prev->sf & PREV_IN_USE;
        b = prev;
    }
    if (!hdr_valid(h, next))
        fail(h, "heap overflow: a block header was overwritten", next);
    if (!(next->sf & IN_USE)) {
        unlink_free(h, next);
        size += bsize(next);
        next = at(b, size);
        if (!hdr_valid(h, next))
            fail(h, "heap overflow: a block header was overwritten", next);
    }
    set_hdr(h, b, size | prevf);
    set_footer(b, size);
    set_hdr(h, next, next->sf & ~(size_t)PREV_IN_USE);
    insert_free(h, b);
    return b;
}

/* Turns free block b (out of its bin) into an in-use block of size bytes,
 * giving back the tail when it can make a block of its own. */
static struct hdr *take(struct heap *h, struct hdr *b, size_t size)
{
    size_t have = bsize(b), prevf = b->sf & PREV_IN_USE;
    struct hdr *next = at(b, have);

    if (have - size >= MIN_BLOCK) {
        struct hdr *rest = at(b, size);
        set_hdr(h, rest, (have - size) | PREV_IN_USE);
        set_footer(rest, have - size);
        insert_free(h, rest);       /* its next already has PREV_IN_USE clear */
    } else {
        size = have;
        set_hdr(h, next, next->sf | PREV_IN_USE);
    }
    set_hdr(h, b, size | IN_USE | prevf);
    h->in_use += size;
    h->nalloc++;
    return b;
}

/* Cuts in-use block b down to size bytes when the tail makes a block. */
static void shrink_block(struct heap *h, struct hdr *b, size_t size)
{
    size_t have = bsize(b);
    struct hdr *rest = at(b, size);

    if (have - size < MIN_BLOCK)
        return;
    set_hdr(h, b, size | IN_USE | (b->sf & PREV_IN_USE));
    set_hdr(h, rest, (have - size) | PREV_IN_USE);
    h->in_use -= have - size;
    make_free(h, rest, have - size);
}

/* The free block just before the epilogue, or NULL. */
static struct hdr *top_free(const struct heap *h)
{
    struct hdr *epi = epilogue(h);

    if (!hdr_valid(h, epi) || bsize(epi) != 0 || !(epi->sf & IN_USE))
        fail(h, "heap end overwritten", epi);
    return (epi->sf & PREV_IN_USE) ? NULL : prev_free(h, epi);
}

/* Grows the region so that a free block of size bytes exists; returns it
 * (binned) or NULL. */
static struct hdr *extend(struct heap *h, size_t size)
{
    struct hdr *top = h->end ? top_free(h) : NULL, *b;
    size_t need = size - (top ? bsize(top) : 0) + (h->end ? 0 : HDR), got = 0;
    char *mem = h->src->grow(h->src->ctx, need, &got);

    if (!mem)
        return NULL;
    if (got < need || got % 16 || (uintptr_t)mem % 16)
        fail(h, "heap source returned a bad region", mem);
    if (!h->end) {
        h->base = (uintptr_t)mem;
        h->end = (uintptr_t)mem + got;
        b = (struct hdr *)mem;
        set_hdr(h, b, PREV_IN_USE);             /* nothing before it */
        got -= HDR;
    } else {
        if ((uintptr_t)mem != h->end)
            fail(h, "heap source is not contiguous", mem);
        b = epilogue(h);                        /* keeps its PREV_IN_USE */
        h->end += got;
    }
    set_hdr(h, epilogue(h), IN_USE);
    return make_free(h, b, got);
}

/* The header of in-use payload p, after checking everything about it. */
static struct hdr *inuse_block(struct heap *h, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    struct hdr *b, *next;

    if (a % 16 || a < h->base + HDR || a >= h->end)
        fail(h, "pointer not from malloc", p);
    b = before(p, HDR);
    if (!hdr_valid(h, b))
        fail(h, "pointer not from malloc, or its block header was overwritten", p);
    if (!(b->sf & IN_USE))
        fail(h, "double free", p);
    if (bsize(b) < MIN_BLOCK || bsize(b) > h->end - HDR - (uintptr_t)b)
        fail(h, "block header overwritten", p);
    next = at(b, bsize(b));
    if (!hdr_valid(h, next) || !(next->sf & PREV_IN_USE))
        fail(h, "heap overflow: the block after this one was overwritten", p);
    return b;
}

static size_t block_for(size_t n)
{
    return n <= MIN_BLOCK - HDR ? MIN_BLOCK : (n + HDR + 15) & ~(size_t)15;
}

/* ---- interface ---------------------------------------------------------- */

void heap_init(struct heap *h, const struct heap_source *src, uint64_t secret)
{
    memset(h, 0, sizeof(*h));
    h->src = src;
    h->secret = secret;
    h->trim_threshold = 256 * 1024;
    h->top_pad = 0;
}

void *heap_alloc(struct heap *h, size_t n)
{
    size_t size;
    struct hdr *b;

    if (n > HEAP_MAX_REQUEST)
        return NULL;
    size = block_for(n);
    b = find_fit(h, size);
    if (!b && !(b = extend(h, size)))
        return NULL;
    unlink_free(h, b);
    return at(take(h, b, size), HDR);
}

void heap_free(struct heap *h, void *p)
{
    struct hdr *b, *m;

    if (!p)
        return;
    b = inuse_block(h, p);
    h->in_use -= bsize(b);
    h->nalloc--;
    set_hdr(h, b, bsize(b) | (b->sf & PREV_IN_USE));
    m = make_free(h, b, bsize(b));
    if (at(m, bsize(m)) == epilogue(h) && bsize(m) >= h->trim_threshold)
        heap_trim(h, h->top_pad);
}

void *heap_realloc(struct heap *h, void *p, size_t n)
{
    struct hdr *b, *next;
    size_t size, have;
    void *q;

    if (!p)
        return heap_alloc(h, n);
    if (n == 0) {
        heap_free(h, p);
        return NULL;
    }
    b = inuse_block(h, p);
    if (n > HEAP_MAX_REQUEST)
        return NULL;
    size = block_for(n);
    have = bsize(b);
    if (size <= have) {
        shrink_block(h, b, size);
        return p;
    }
    next = at(b, have);
    if (!(next->sf & IN_USE) && have + bsize(next) >= size) {
        /* Grow into the free block after it. */
        unlink_free(h, next);
        have += bsize(next);
        h->in_use += bsize(next);
        set_hdr(h, b, have | IN_USE | (b->sf & PREV_IN_USE));
        next = at(b, have);
        set_hdr(h, next, next->sf | PREV_IN_USE);
        shrink_block(h, b, size);
        return p;
    }
    q = heap_alloc(h, n);
    if (q) {
        memcpy(q, p, have - HDR);
        heap_free(h, p);
    }
    return q;
}

void *heap_alloc_aligned(struct heap *h, size_t align, size_t n)
{
    uintptr_t p, a;
    struct hdr *b;

    if (align <= 16)
        return heap_alloc(h, n);
    if (align & (align - 1) || align > HEAP_MAX_REQUEST || n > HEAP_MAX_REQUEST)
        return NULL;
    /* Room to move the start up to the boundary, leaving a block before. */
    p = (uintptr_t)heap_alloc(h, block_for(n) + align + MIN_BLOCK);
    if (!p)
        return NULL;
    b = at((void *)p, -HDR);
    a = (p + align - 1) & ~(uintptr_t)(align - 1);
    if (a != p && a - p < MIN_BLOCK)
        a += align;
    if (a != p) {
        size_t lead = a - p, have = bsize(b);
        struct hdr *nb = at(b, lead);
        set_hdr(h, nb, (have - lead) | IN_USE);
        set_hdr(h, b, lead | (b->sf & PREV_IN_USE));
        h->in_use -= lead;
        make_free(h, b, lead);
        b = nb;
    }
    shrink_block(h, b, block_for(n));
    return at(b, HDR);
}

size_t heap_usable_size(struct heap *h, void *p)
{
    return p ? bsize(inuse_block(h, p)) - HDR : 0;
}

size_t heap_trim(struct heap *h, size_t pad)
{
    size_t keep = pad < MIN_BLOCK ? MIN_BLOCK : (pad + 15) & ~(size_t)15;
    size_t tsz, got, released = 0;
    struct hdr *top;

    if (!h->end || !(top = top_free(h)))
        return 0;
    tsz = bsize(top);
    /* Out of its bin first: what the source takes back cannot be read. */
    unlink_free(h, top);
    if (tsz > keep && (got = h->src->shrink(h->src->ctx, tsz - keep)) != 0) {
        if (got > tsz - keep || got % 16)
            fail(h, "heap source released a bad amount", NULL);
        h->end -= got;
        tsz -= got;
        set_hdr(h, top, tsz | (top->sf & PREV_IN_USE));
        set_footer(top, tsz);
        set_hdr(h, epilogue(h), IN_USE);
        released = got;
    }
    if (pad == 0 && (uintptr_t)top == h->base) {
        /* One free block is all there is: the whole region can go. */
        size_t all = h->end - h->base;
        got = h->src->shrink(h->src->ctx, all);
        if (got == all) {
            h->base = h->end = 0;
            return released + got;
        }
        if (got != 0)
            fail(h, "heap source released part of the last region", NULL);
    }
    insert_free(h, top);
    return released;
}

/* Checks bin by bin that every listed block is free, in the right bin and
 * linked both ways; returns how many there are. */
static size_t check_bins(struct heap *h)
{
    size_t listed = 0;

    for (unsigned bin = 0; bin < HEAP_BINS; bin++) {
        bool mapped = (h->binmap[bin / 64] >> (bin % 64)) & 1;
        if (mapped != (h->bins[bin] != NULL))
            fail(h, "heap check: bin map disagrees with the bins", h->bins[bin]);
        for (struct heap_free *f = h->bins[bin], *prev = NULL; f; prev = f, f = f->next) {
            uintptr_t a = (uintptr_t)f;
            if (a < h->base || a >= h->end || a % 16 || !hdr_valid(h, &f->h) ||
                (f->h.sf & IN_USE) || bin_of(bsize(&f->h)) != bin || f->prev != prev)
                fail(h, "heap check: bad free list entry", f);
            listed++;
        }
    }
    return listed;
}

size_t heap_check(struct heap *h)
{
    size_t blocks = 0, nfree = 0, in_use = 0, nalloc = 0;
    bool prev_used = true;
    struct hdr *b;

    if (!h->end) {
        if (check_bins(h) || h->in_use || h->nalloc)
            fail(h, "heap check: empty heap with blocks", NULL);
        return 0;
    }
    for (b = (struct hdr *)h->base; b != epilogue(h); b = at(b, bsize(b))) {
        size_t size = bsize(b);
        if (!hdr_valid(h, b) || size < MIN_BLOCK || size % 16 ||
            size > h->end - HDR - (uintptr_t)b)
            fail(h, "heap check: bad block header", b);
        if (!!(b->sf & PREV_IN_USE) != prev_used)
            fail(h, "heap check: PREV_IN_USE disagrees with the block before", b);
        prev_used = b->sf & IN_USE;
        if (prev_used) {
            in_use += size;
            nalloc++;
        } else {
            if (*(size_t *)((char *)b + size - sizeof(size_t)) != size)
                fail(h, "heap check: free block footer wrong", b);
            if (!(b->sf & PREV_IN_USE))
                fail(h, "heap check: two free blocks touch", b);
            nfree++;
        }
        blocks++;
    }
    if (!hdr_valid(h, b) || !(b->sf & IN_USE) || !!(b->sf & PREV_IN_USE) != prev_used)
        fail(h, "heap check: bad epilogue", b);
    if (check_bins(h) != nfree)
        fail(h, "heap check: free blocks missing from the bins", NULL);
    if (in_use != h->in_use || nalloc != h->nalloc)
        fail(h, "heap check: in-use totals disagree", NULL);
    return blocks;
}
