/*
 * Physical frame allocator over two bitmaps (contract in pmm.h).
 *
 * used: bit set = frame not available (allocated, reserved, or never usable).
 * usable: bit set = frame was inside a usable range at init; never changes.
 * Invariants, all checked by pmm_check: a clear used bit implies a set usable
 * bit, so allocation only has to look for clear used bits; free_frames equals
 * the number of clear used bits; hint <= nframes.
 *
 * Allocation is next-fit from hint: successive allocations walk forward
 * instead of rescanning the (mostly full) low frames every time, and freed
 * frames are picked up when the search wraps. The lock is taken with
 * interrupts off because frames may be allocated from interrupt context.
 */
#include "aether/errors.h"
#include "mm/pmm.h"

#define FRAME_SHIFT 12
#define FRAME_MASK (PAGE_SIZE - 1)

size_t pmm_storage_bytes(uint64_t max_phys)
{
    return 2 * bitmap_words_for(max_phys >> FRAME_SHIFT) * sizeof(uint64_t);
}

/* Marks the whole frames inside r (shrunk inward, clipped) usable and free. */
static void add_usable(struct pmm *p, const struct phys_range *r)
{
    uint64_t first, end;

    if (r->start > UINT64_MAX - FRAME_MASK)
        return;
    first = (r->start + FRAME_MASK) >> FRAME_SHIFT;
    end = r->end >> FRAME_SHIFT;
    if (end > p->nframes)
        end = p->nframes;
    if (first >= end)
        return;
    bitmap_set_range(&p->usable, first, end - first);
    bitmap_clear_range(&p->used, first, end - first);
}

void pmm_init(struct pmm *p, void *storage, uint64_t max_phys,
              const struct phys_range *usable, size_t n)
{
    uint64_t nframes = storage ? max_phys >> FRAME_SHIFT : 0;
    uint64_t *words = storage;
    size_t nwords = bitmap_words_for(nframes);

    p->lock = (spinlock_t)SPINLOCK_INIT;
    p->nframes = nframes;
    bitmap_init(&p->used, words, nframes, true);
    bitmap_init(&p->usable, words ? words + nwords : NULL, nframes, false);
    for (size_t i = 0; usable && i < n; i++)
        add_usable(p, &usable[i]);
    /* Recount rather than sum the ranges: they may overlap. */
    p->usable_frames = bitmap_count_set(&p->usable, 0, nframes);
    p->free_frames = nframes - bitmap_count_set(&p->used, 0, nframes);
    p->hint = 0;
}

void pmm_reserve(struct pmm *p, uint64_t start, uint64_t end)
{
    uint64_t first = start >> FRAME_SHIFT;
    uint64_t last, flags;

    if (end <= start)
        return;
    last = end > UINT64_MAX - FRAME_MASK ? (UINT64_MAX >> FRAME_SHIFT) + 1
                                         : (end + FRAME_MASK) >> FRAME_SHIFT;
    flags = spin_lock_irqsave(&p->lock);
    if (last > p->nframes)
        last = p->nframes;
    if (first < last) {
        uint64_t n = last - first;

        p->free_frames -= n - bitmap_count_set(&p->used, first, n);
        bitmap_set_range(&p->used, first, n);
    }
    spin_unlock_irqrestore(&p->lock, flags);
}

/* Marks n free frames at first allocated. Caller holds the lock. */
static void take(struct pmm *p, size_t first, size_t n)
{
    bitmap_set_range(&p->used, first, n);
    p->free_frames -= n;
    p->hint = first + n < p->nframes ? first + n : 0;
}

int pmm_alloc_frame(struct pmm *p, uint64_t *phys)
{
    size_t i = BITMAP_NONE;
    uint64_t flags;

    if (!phys)
        return AE_ERR_INVAL;
    flags = spin_lock_irqsave(&p->lock);
    if (p->free_frames) {
        i = bitmap_find_clear(&p->used, p->hint, p->nframes);
        if (i == BITMAP_NONE)
            i = bitmap_find_clear(&p->used, 0, p->hint);
    }
    if (i != BITMAP_NONE)
        take(p, i, 1);
    spin_unlock_irqrestore(&p->lock, flags);
    if (i == BITMAP_NONE)
        return AE_ERR_NOMEM;
    *phys = (uint64_t)i << FRAME_SHIFT;
    return AE_OK;
}

int pmm_alloc_contig(struct pmm *p, size_t nframes, uint64_t align,
                     uint64_t max_phys, uint64_t *phys)
{
    size_t i = BITMAP_NONE, step, limit;
    uint64_t flags;

    if (align == 0)
        align = PAGE_SIZE;
    if (!phys || nframes == 0 || align < PAGE_SIZE || (align & (align - 1)))
        return AE_ERR_INVAL;
    step = align >> FRAME_SHIFT;
    flags = spin_lock_irqsave(&p->lock);
    limit = p->nframes;
    if (max_phys && (max_phys >> FRAME_SHIFT) < limit)
        limit = max_phys >> FRAME_SHIFT;
    if (nframes <= p->free_frames) {
        i = bitmap_find_clear_run(&p->used, nframes, step, p->hint, limit);
        if (i == BITMAP_NONE)
            i = bitmap_find_clear_run(&p->used, nframes, step, 0, limit);
    }
    if (i != BITMAP_NONE)
        take(p, i, nframes);
    spin_unlock_irqrestore(&p->lock, flags);
    if (i == BITMAP_NONE)
        return AE_ERR_NOMEM;
    *phys = (uint64_t)i << FRAME_SHIFT;
    return AE_OK;
}

int pmm_free_frame(struct pmm *p, uint64_t phys)
{
    return pmm_free_contig(p, phys, 1);
}

/* Validates the whole range before touching anything: all or nothing. */
int pmm_free_contig(struct pmm *p, uint64_t phys, size_t nframes)
{
    uint64_t first = phys >> FRAME_SHIFT, flags;
    int rc = AE_ERR_INVAL;

    if (nframes == 0 || (phys & FRAME_MASK))
        return AE_ERR_INVAL;
    flags = spin_lock_irqsave(&p->lock);
    if (first < p->nframes && nframes <= p->nframes - first &&
        bitmap_count_set(&p->usable, first, nframes) == nframes &&
        bitmap_count_set(&p->used, first, nframes) == nframes) {
        bitmap_clear_range(&p->used, first, nframes);
        p->free_frames += nframes;
        rc = AE_OK;
    }
    spin_unlock_irqrestore(&p->lock, flags);
    return rc;
}

uint64_t pmm_free_count(struct pmm *p)
{
    uint64_t flags = spin_lock_irqsave(&p->lock);
    uint64_t n = p->free_frames;

    spin_unlock_irqrestore(&p->lock, flags);
    return n;
}

uint64_t pmm_usable_count(const struct pmm *p)
{
    return p->usable_frames;    /* fixed at init: no lock needed */
}

/* Word-wise: no frame may be free yet never usable, nor any bit set past
 * nframes (the bitmap keeps its tail clear). Caller holds the lock. */
static bool bits_consistent(const struct pmm *p)
{
    size_t nwords = bitmap_words_for(p->nframes);

    for (size_t w = 0; w < nwords; w++) {
        uint64_t valid = ~0ULL;
        uint64_t used = p->used.words[w], usable = p->usable.words[w];

        if (w == nwords - 1 && p->nframes % 64)
            valid = (1ULL << (p->nframes % 64)) - 1;
        if ((~used & ~usable & valid) || ((used | usable) & ~valid))
            return false;
    }
    return true;
}

int pmm_check(struct pmm *p)
{
    uint64_t flags = spin_lock_irqsave(&p->lock);
    bool ok = p->used.nbits == p->nframes && p->usable.nbits == p->nframes &&
              p->hint <= p->nframes && p->free_frames <= p->usable_frames &&
              p->usable_frames == bitmap_count_set(&p->usable, 0, p->nframes) &&
              p->free_frames ==
                  p->nframes - bitmap_count_set(&p->used, 0, p->nframes) &&
              bits_consistent(p);

    spin_unlock_irqrestore(&p->lock, flags);
    return ok ? AE_OK : AE_ERR_CORRUPT;
}

bool pmm_is_usable(const struct pmm *p, uint64_t phys)
{
    uint64_t frame = phys / PAGE_SIZE;
    return frame < p->nframes && bitmap_test(&p->usable, frame);
}
