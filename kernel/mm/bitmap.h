/*
 * A plain bit array over caller-provided 64-bit words. Pure and lock-free:
 * callers (the frame allocator) serialise access. Bit i lives in
 * words[i / 64], bit (i % 64). Searches never look past nbits.
 * Bits of the last word past nbits are kept 0 (whole-word readers rely on
 * it); indices >= nbits are ignored by set/clear and test false.
 */
#ifndef KERNEL_MM_BITMAP_H
#define KERNEL_MM_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_NONE ((size_t)-1)

struct bitmap {
    uint64_t *words;
    size_t nbits;
};

static inline size_t bitmap_words_for(size_t nbits)
{
    return (nbits + 63) / 64;
}

/* Sets every bit to 1 when set_all, else 0. words must hold
 * bitmap_words_for(nbits) entries. */
void bitmap_init(struct bitmap *b, uint64_t *words, size_t nbits, bool set_all);
bool bitmap_test(const struct bitmap *b, size_t i);
void bitmap_set(struct bitmap *b, size_t i);
void bitmap_clear(struct bitmap *b, size_t i);
/* Range forms act on [start, start + n), clipped to nbits. */
void bitmap_set_range(struct bitmap *b, size_t start, size_t n);
void bitmap_clear_range(struct bitmap *b, size_t start, size_t n);
/* Number of set bits in [start, start + n), clipped to nbits. */
size_t bitmap_count_set(const struct bitmap *b, size_t start, size_t n);
/* First clear bit at index >= start and < limit, or BITMAP_NONE. Skips
 * fully-set words a word at a time. */
size_t bitmap_find_clear(const struct bitmap *b, size_t start, size_t limit);
/* First run of n clear bits whose first index is a multiple of align
 * (align >= 1; 0 acts as 1), lying within [start, limit), or BITMAP_NONE
 * (also for n == 0). */
size_t bitmap_find_clear_run(const struct bitmap *b, size_t n, size_t align,
                             size_t start, size_t limit);

#endif
