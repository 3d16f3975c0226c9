/*
 * The allocator's core, free of system calls so the host tests can run it
 * over plain memory: one contiguous region [base, end) that grows and
 * shrinks at its end through a caller-supplied source (os/malloc.c maps
 * memory objects).
 *
 * Blocks are 16-byte aligned: a 16-byte header (size | flags, and a tag,
 * a keyed hash of address, size and flags that also says free or in use),
 * then the payload. Free blocks also keep their size in their last 8 bytes
 * and sit in size-class bins (exact classes to 256 bytes, then four per
 * power of two), doubly linked; neighbours are coalesced at once, so no
 * two free blocks touch. An epilogue header (size 0, in use) ends the
 * region.
 *
 * Misuse is caught before it can corrupt anything: a pointer outside the
 * region or misaligned, a header whose tag does not match (a wild pointer,
 * or a block overwritten by the one before it), a double free, a broken
 * free list. Each calls src->fail, which must not return.
 */
#ifndef USER_LIBC_STDLIB_HEAP_H
#define USER_LIBC_STDLIB_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap_source {
    /* Adds at least min bytes at the end of the region (anywhere 16-byte
     * aligned while the region is empty); returns their start and sets
     * *got (a multiple of 16), or returns NULL. */
    void *(*grow)(void *ctx, size_t min, size_t *got);
    /* Releases at most max bytes from the end of the region; returns how
     * many (a multiple of 16, possibly 0). Asked for the whole region, it
     * releases all of it or nothing. */
    size_t (*shrink)(void *ctx, size_t max);
    /* Reports misuse or corruption at ptr; must not return. */
    __attribute__((noreturn)) void (*fail)(void *ctx, const char *what, const void *ptr);
    void *ctx;
};

/* Larger requests fail at once (and sizes never overflow). */
#define HEAP_MAX_REQUEST ((size_t)1 << 46)
#define HEAP_BINS 147

struct heap_free;

struct heap {
    const struct heap_source *src;
    uintptr_t base, end;            /* 0, 0 while nothing is mapped */
    uint64_t secret;                /* keys the header tags */
    size_t in_use;                  /* bytes of blocks in use */
    size_t nalloc;                  /* blocks in use */
    size_t trim_threshold;          /* free() trims when the top free block reaches it */
    size_t top_pad;                 /* ... keeping this much (0: what the
                                     * source cannot release) */
    uint64_t binmap[(HEAP_BINS + 63) / 64];
    struct heap_free *bins[HEAP_BINS];
};

void heap_init(struct heap *h, const struct heap_source *src, uint64_t secret);
/* NULL when n is too large or the source cannot grow. */
void *heap_alloc(struct heap *h, size_t n);
/* align: a power of two (NULL otherwise). */
void *heap_alloc_aligned(struct heap *h, size_t align, size_t n);
/* C semantics, and n == 0 frees p and returns NULL; on failure p stays. */
void *heap_realloc(struct heap *h, void *p, size_t n);
void heap_free(struct heap *h, void *p);
size_t heap_usable_size(struct heap *h, void *p);
/* Releases free memory at the end beyond pad bytes; returns the bytes
 * released. With pad 0 an empty heap gives back everything. */
size_t heap_trim(struct heap *h, size_t pad);
/* Walks every block and bin, checking every invariant (fail on a broken
 * one); returns the number of blocks. */
size_t heap_check(struct heap *h);

#endif
