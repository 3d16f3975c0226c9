/*
 * Bit array over caller-provided 64-bit words (contract in bitmap.h).
 *
 * Invariant: bits of the last word at index >= nbits are always 0. Every
 * mutator clips to nbits, so the invariant holds without masking on each
 * access, and whole-word readers (pmm_check) may rely on it. Searches move a
 * word at a time and use count-trailing-zeros to land on the bit, so a run of
 * full (or empty) words costs one compare per 64 bits.
 */
#include "mm/bitmap.h"

#define WORD_BITS 64u

/* Bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
static inline uint64_t span_mask(size_t lo, size_t hi)
{
    uint64_t m = ~0ULL << lo;

    if (hi < WORD_BITS)
        m &= (1ULL << hi) - 1;
    return m;
}

/* Portable popcount: __builtin_popcountll would pull in libgcc's
 * __popcountdi2, since the kernel is not built for a CPU with POPCNT. */
static inline size_t popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (size_t)((x * 0x0101010101010101ULL) >> 56);
}

/* End of [start, start + n) clipped to nbits without overflowing. */
static inline size_t clip_end(const struct bitmap *b, size_t start, size_t n)
{
    if (start >= b->nbits)
        return start;
    if (n > b->nbits - start)
        return b->nbits;
    return start + n;
}

void bitmap_init(struct bitmap *b, uint64_t *words, size_t nbits, bool set_all)
{
    size_t nwords;

    if (!words)
        nbits = 0;
    b->words = words;
    b->nbits = nbits;
    nwords = bitmap_words_for(nbits);
    for (size_t w = 0; w < nwords; w++)
        b->words[w] = set_all ? ~0ULL : 0;
    if (set_all && nbits % WORD_BITS)
        b->words[nwords - 1] = span_mask(0, nbits % WORD_BITS);
}

bool bitmap_test(const struct bitmap *b, size_t i)
{
    if (i >= b->nbits)
        return false;
    return (b->words[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

void bitmap_set(struct bitmap *b, size_t i)
{
    if (i < b->nbits)
        b->words[i / WORD_BITS] |= 1ULL << (i % WORD_BITS);
}

void bitmap_clear(struct bitmap *b, size_t i)
{
    if (i < b->nbits)
        b->words[i / WORD_BITS] &= ~(1ULL << (i % WORD_BITS));
}

/* Sets or clears [start, start + n) a word at a time. */
static void apply_range(struct bitmap *b, size_t start, size_t n, bool set)
{
    size_t end = clip_end(b, start, n);

    while (start < end) {
        size_t w = start / WORD_BITS;
        size_t base = w * WORD_BITS;
        size_t hi = end - base >= WORD_BITS ? WORD_BITS : end - base;
        uint64_t m = span_mask(start - base, hi);

        if (set)
            b->words[w] |= m;
        else
            b->words[w] &= ~m;
        start = base + hi;
    }
}

void bitmap_set_range(struct bitmap *b, size_t start, size_t n)
{
    apply_range(b, start, n, true);
}

void bitmap_clear_range(struct bitmap *b, size_t start, size_t n)
{
    apply_range(b, start, n, false);
}

size_t bitmap_count_set(const struct bitmap *b, size_t start, size_t n)
{
    size_t end = clip_end(b, start, n);
    size_t count = 0;

    while (start < end) {
        size_t w = start / WORD_BITS;
        size_t base = w * WORD_BITS;
        size_t hi = end - base >= WORD_BITS ? WORD_BITS : end - base;

        count += popcount64(b->words[w] & span_mask(start - base, hi));
        start = base + hi;
    }
    return count;
}

/*
 * First index in [start, end) whose bit equals want, or end. end <= nbits.
 * Inverting the word for want == false turns both searches into "first set
 * bit", so empty words (after inversion) are skipped with a single compare.
 */
static size_t find_bit(const struct bitmap *b, bool want, size_t start,
                       size_t end)
{
    uint64_t flip = want ? 0 : ~0ULL;
    size_t w = start / WORD_BITS;
    uint64_t bits;

    if (start >= end)
        return end;
    bits = (b->words[w] ^ flip) & (~0ULL << (start % WORD_BITS));
    for (;;) {
        if (bits) {
            size_t i = w * WORD_BITS + (size_t)__builtin_ctzll(bits);
            return i < end ? i : end;
        }
        w++;
        if (w * WORD_BITS >= end)
            return end;
        bits = b->words[w] ^ flip;
    }
}

size_t bitmap_find_clear(const struct bitmap *b, size_t start, size_t limit)
{
    size_t end = limit < b->nbits ? limit : b->nbits;
    size_t i = find_bit(b, false, start, end);

    return i < end ? i : BITMAP_NONE;
}

/* Rounds *v up to a multiple of align (>= 1); false on overflow. */
static bool align_up(size_t *v, size_t align)
{
    size_t r = *v % align;

    if (r == 0)
        return true;
    if (*v > (size_t)-1 - (align - r))
        return false;
    *v += align - r;
    return true;
}

/*
 * Candidate positions are aligned clear bits; a candidate fails at the first
 * set bit inside its window, and no window containing that bit can succeed,
 * so the search resumes at the next clear bit after it. Every step moves
 * forward, and both inner searches skip whole words.
 */
size_t bitmap_find_clear_run(const struct bitmap *b, size_t n, size_t align,
                             size_t start, size_t limit)
{
    size_t end = limit < b->nbits ? limit : b->nbits;
    size_t pos = start;

    if (n == 0)
        return BITMAP_NONE;
    if (align == 0)
        align = 1;
    for (;;) {
        size_t set;

        pos = find_bit(b, false, pos, end);
        if (pos >= end || !align_up(&pos, align))
            return BITMAP_NONE;
        if (pos >= end || n > end - pos)
            return BITMAP_NONE;
        set = find_bit(b, true, pos, pos + n);
        if (set == pos + n)
            return pos;
        pos = set + 1;
    }
}
