/*
 * malloc and friends: the heap core (stdlib/heap.c) over memory objects
 * mapped one after another from LIBC_HEAP_VA up (aelibc.h), under one
 * lock. Each growth maps a new VMO of at least 16 KiB and at least an
 * eighth of the heap so far (few mappings, little slack); memory goes
 * back to the system a whole mapping at a time, from the top, when free()
 * leaves 256 KiB free there or malloc_trim asks.
 */
#include <aelibc.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aether.h"

#include "../internal.h"
#include "../stdlib/heap.h"

#define GRANULE (16 * 1024ull)
#define PAGE 4096ull
#define MAX_MAPPINGS 256

static struct heap heap;
static libc_lock_t heap_lock;
static bool heap_ready;
static struct {
    uint64_t size[MAX_MAPPINGS];    /* the mappings, lowest first */
    unsigned n;
    uint64_t total;
} maps;

static uint64_t round_up(uint64_t v, uint64_t to)
{
    return (v + to - 1) / to * to;
}

static bool map_more(uint64_t size)
{
    int64_t vmo, err;

    if (maps.n == MAX_MAPPINGS || size > LIBC_HEAP_SIZE - maps.total)
        return false;
    vmo = ae_vmo_create(size, 0);
    if (vmo < 0)
        return false;
    err = ae_vmo_map((ae_handle_t)vmo, 0, LIBC_HEAP_VA + maps.total, 0, size,
                     AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)vmo);      /* the mapping keeps it */
    if (err)
        return false;
    maps.size[maps.n++] = size;
    maps.total += size;
    return true;
}

static void *grow(void *ctx, size_t min, size_t *got)
{
    uint64_t start = LIBC_HEAP_VA + maps.total;
    uint64_t want = round_up(min > maps.total / 8 ? min : maps.total / 8, GRANULE);

    /* Near the quota, the bare minimum may still fit. */
    if (!map_more(want) && !map_more(round_up(min, PAGE)))
        return NULL;
    *got = maps.total - (start - LIBC_HEAP_VA);
    return (void *)start;
}

static size_t shrink(void *ctx, size_t max)
{
    size_t done = 0;

    while (maps.n > 0 && maps.size[maps.n - 1] <= max - done) {
        uint64_t size = maps.size[maps.n - 1];
        if (ae_vmo_unmap(0, LIBC_HEAP_VA + maps.total - size, size) != AE_OK)
            break;
        maps.n--;
        maps.total -= size;
        done += size;
    }
    return done;
}

static __attribute__((noreturn)) void fail(void *ctx, const char *what, const void *ptr)
{
    libc_fatal("heap: %s (%p)", what, ptr);
}

static const struct heap_source source = {grow, shrink, fail, NULL};

/* Locks the heap, setting it up on first use. The tag key only has to
 * differ between runs and processes, so a wild pointer's bytes are unlikely
 * to pass for a header. */
static struct heap *heap_lock_get(void)
{
    libc_lock(&heap_lock);
    if (!heap_ready) {
        uint64_t key = (uint64_t)ae_clock_get() * 0x9e3779b97f4a7c15ull ^ __builtin_ia32_rdtsc();
        heap_init(&heap, &source, key);
        heap_ready = true;
    }
    return &heap;
}

static void heap_unlock(void)
{
    libc_unlock(&heap_lock);
}

void *malloc(size_t size)
{
    void *p = heap_alloc(heap_lock_get(), size);

    heap_unlock();
    if (!p)
        errno = ENOMEM;
    return p;
}

void free(void *ptr)
{
    if (!ptr)
        return;
    heap_free(heap_lock_get(), ptr);
    heap_unlock();
}

void *calloc(size_t nmemb, size_t size)
{
    void *p;

    if (size && nmemb > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    void *p = heap_realloc(heap_lock_get(), ptr, size);

    heap_unlock();
    if (!p && size)
        errno = ENOMEM;
    return p;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    void *p;

    if (alignment == 0 || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return NULL;
    }
    p = heap_alloc_aligned(heap_lock_get(), alignment, size);
    heap_unlock();
    if (!p)
        errno = ENOMEM;
    return p;
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    void *p;

    if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
        return EINVAL;
    p = heap_alloc_aligned(heap_lock_get(), alignment, size);
    heap_unlock();
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

size_t malloc_usable_size(void *ptr)
{
    size_t n;

    if (!ptr)
        return 0;
    n = heap_usable_size(heap_lock_get(), ptr);
    heap_unlock();
    return n;
}

int malloc_trim(size_t pad)
{
    size_t released = heap_trim(heap_lock_get(), pad);

    heap_unlock();
    return released != 0;
}

void libc_heap_stats(struct libc_heap_stats *out)
{
    struct heap *h = heap_lock_get();

    out->mapped = maps.total;
    out->mappings = maps.n;
    out->in_use = h->in_use;
    out->free = h->end ? h->end - h->base - 16 - h->in_use : 0;
    out->allocations = h->nalloc;
    heap_unlock();
}

size_t libc_heap_check(void)
{
    size_t n = heap_check(heap_lock_get());

    heap_unlock();
    return n;
}

/* A child made from a copy of this process has none of its mappings. */
void libc_heap_reset(void)
{
    memset(&maps, 0, sizeof(maps));
    heap_lock = (libc_lock_t){0};
    heap_ready = false;
}
