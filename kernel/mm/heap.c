/*
 * Slab heap (contract in heap.h).
 *
 * Slab page: struct heap_slab | uint16_t sizes[nobjs] | pad to 16 | objects.
 * Large allocation: npages pages starting with struct heap_large; the caller
 * gets page + LARGE_HDR. heap_free masks a pointer down to its page and
 * trusts nothing it finds there until magic, owner, class and object
 * alignment all agree.
 *
 * Invariants (heap_check verifies them):
 *  - object i is live iff bit i of alloc_bits is set; sizes[i] holds the size
 *    asked for while it is live, so bytes_requested stays exact.
 *  - free objects are chained through their first 8 bytes (O(1) alloc and
 *    free). The bits are the authority: a chain damaged by a write after
 *    free is detected when popped and rebuilt from the bits, so the heap
 *    never hands out a live object twice.
 *  - partial[c] is a circular list of class-c slabs with a free object,
 *    full[c] of those with none. At most one slab per class is empty and it
 *    sits at the tail of partial[c] (head->prev): allocation drains the head,
 *    so partly used slabs fill up and empty ones can go back to the provider
 *    while one stays cached against alloc/free ping-pong.
 *  - pages_held counts every page taken from the provider and not returned.
 *
 * The provider is called with h->lock held (so it must not call back into
 * this heap); the lock is taken with interrupts off so kernel code may
 * allocate from interrupt context.
 */
#include "aether/errors.h"
#include "lib/string.h"
#include "mm/heap.h"

#define SLAB_MAGIC 0x534c4142u  /* "SLAB" */
#define LARGE_MAGIC 0x4c415247u /* "LARG" */
#define PAGE_MASK ((uintptr_t)HEAP_PAGE_SIZE - 1)
#define MIN_SHIFT 4             /* class 0 holds 16 bytes */
#define BITS_WORDS 4

struct heap_slab {
    uint32_t magic;
    uint16_t cls;
    uint16_t nfree;
    struct heap *owner;         /* rejects pointers from another heap */
    struct heap_slab *next;
    struct heap_slab *prev;
    void *freelist;
    uint64_t alloc_bits[BITS_WORDS];
};

struct heap_large {
    uint32_t magic;
    uint32_t npages;
    uint64_t size;
    struct heap *owner;
    uint64_t reserved;          /* pads the header to keep 16-byte alignment */
};

#define LARGE_HDR sizeof(struct heap_large)
#define SLAB_HDR sizeof(struct heap_slab)
#define ALIGN16(x) (((x) + 15) & ~(size_t)15)
/* Objects per page: each costs its size plus a uint16_t size slot; the
 * objects start 16-aligned, and that padding (< 16 bytes) can cost at most
 * one object since every object is >= 16 bytes. */
#define FIT(sz) ((HEAP_PAGE_SIZE - SLAB_HDR) / ((sz) + 2))
#define NOBJS(sz) (ALIGN16(SLAB_HDR + 2 * FIT(sz)) + FIT(sz) * (sz) <= \
                   HEAP_PAGE_SIZE ? FIT(sz) : FIT(sz) - 1)
#define OBJ_OFF(sz) ALIGN16(SLAB_HDR + 2 * NOBJS(sz))
/* Sizes must stay 16 << index: size_class() and obj_index() shift by it.
 * Per page this gives 223, 118, 60, 30, 15, 7, 3 and 1 objects; the header
 * leaves no room for a second 2048-byte object, which costs a page each. */
#define CLASS_TABLE(X) X(16) X(32) X(64) X(128) X(256) X(512) X(1024) X(2048)

#define X_SIZE(sz) sz,
#define X_NOBJS(sz) NOBJS(sz),
#define X_OFF(sz) OBJ_OFF(sz),
static const uint16_t class_size[] = { CLASS_TABLE(X_SIZE) };
static const uint16_t class_nobjs[] = { CLASS_TABLE(X_NOBJS) };
static const uint16_t class_off[] = { CLASS_TABLE(X_OFF) };

_Static_assert(LARGE_HDR % 16 == 0, "large header breaks alignment");
_Static_assert(NOBJS(16) <= 64 * BITS_WORDS, "alloc_bits too small");
_Static_assert(NOBJS(HEAP_MAX_SMALL) >= 1, "largest class does not fit");
_Static_assert(sizeof(class_size) / sizeof(class_size[0]) == HEAP_NCLASSES,
               "class table and HEAP_NCLASSES disagree");
_Static_assert(2048 == HEAP_MAX_SMALL, "largest class is not HEAP_MAX_SMALL");

static inline unsigned size_class(size_t size)
{
    if (size <= (1u << MIN_SHIFT))
        return 0;
    return (unsigned)(64 - __builtin_clzll(size - 1)) - MIN_SHIFT;
}

static inline uint16_t *slab_sizes(struct heap_slab *s)
{
    return (uint16_t *)(s + 1);
}

static inline char *slab_obj(struct heap_slab *s, size_t i)
{
    return (char *)s + class_off[s->cls] + i * class_size[s->cls];
}

static inline bool bit_test(const struct heap_slab *s, size_t i)
{
    return (s->alloc_bits[i / 64] >> (i % 64)) & 1;
}

static inline void bit_flip(struct heap_slab *s, size_t i)
{
    s->alloc_bits[i / 64] ^= 1ULL << (i % 64);
}

/* Object index of p in slab s (whose class is valid), or -1. */
static long obj_index(struct heap_slab *s, const void *p)
{
    uintptr_t base = (uintptr_t)s + class_off[s->cls];
    uintptr_t off = (uintptr_t)p - base;

    if ((uintptr_t)p < base || off & (class_size[s->cls] - 1u))
        return -1;
    off >>= s->cls + MIN_SHIFT;     /* class sizes are 16 << cls */
    return off < class_nobjs[s->cls] ? (long)off : -1;
}

/* ---- circular doubly linked slab lists -------------------------------- */

static void list_push(struct heap_slab **head, struct heap_slab *s, bool tail)
{
    if (!*head) {
        s->next = s->prev = s;
        *head = s;
        return;
    }
    s->next = *head;
    s->prev = (*head)->prev;
    s->prev->next = s;
    (*head)->prev = s;
    if (!tail)
        *head = s;
}

static void list_remove(struct heap_slab **head, struct heap_slab *s)
{
    if (s->next == s) {
        *head = NULL;
    } else {
        s->prev->next = s->next;
        s->next->prev = s->prev;
        if (*head == s)
            *head = s->next;
    }
    s->next = s->prev = NULL;
}

/* ---- slabs ------------------------------------------------------------ */

/* Chains every clear-bit object, lowest address first. */
static void slab_rebuild_freelist(struct heap_slab *s)
{
    void **link = &s->freelist;
    uint16_t nfree = 0;

    for (size_t i = 0; i < class_nobjs[s->cls]; i++) {
        if (bit_test(s, i))
            continue;
        *link = slab_obj(s, i);
        link = (void **)*link;
        nfree++;
    }
    *link = NULL;
    s->nfree = nfree;
}

static struct heap_slab *slab_new(struct heap *h, unsigned cls)
{
    struct heap_slab *s = NULL;

    if (h->ops.alloc_pages)
        s = h->ops.alloc_pages(1, h->ops.ctx);
    if (!s)
        return NULL;
    if ((uintptr_t)s & PAGE_MASK) {     /* a broken provider: give it back */
        h->ops.free_pages(s, 1, h->ops.ctx);
        return NULL;
    }
    s->magic = SLAB_MAGIC;
    s->cls = (uint16_t)cls;
    s->owner = h;
    for (size_t w = 0; w < BITS_WORDS; w++)
        s->alloc_bits[w] = 0;
    slab_rebuild_freelist(s);
    h->stats.pages_held++;
    list_push(&h->partial[cls], s, false);
    return s;
}

/* Pops a free object, trusting the chain only as far as the bits agree. */
static void *slab_pop(struct heap_slab *s, size_t *idx)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        void *obj = s->freelist;
        long i = obj && ((uintptr_t)obj & ~PAGE_MASK) == (uintptr_t)s
                     ? obj_index(s, obj) : -1;

        if (i >= 0 && !bit_test(s, (size_t)i)) {
            s->freelist = *(void **)obj;
            *idx = (size_t)i;
            return obj;
        }
        slab_rebuild_freelist(s);
    }
    return NULL;    /* the bits show no free object: nfree was wrong */
}

/* A slab that just became empty (and is on no list): keep it as the class's
 * cached empty slab, or return it if one is cached already. */
static void slab_retire(struct heap *h, struct heap_slab *s)
{
    struct heap_slab *head = h->partial[s->cls];

    if (head && head->prev->nfree == class_nobjs[s->cls]) {
        s->magic = 0;   /* stale pointers into the page now fail the check */
        h->ops.free_pages(s, 1, h->ops.ctx);
        h->stats.pages_held--;
        return;
    }
    list_push(&h->partial[s->cls], s, true);
}

static void *alloc_small(struct heap *h, size_t size)
{
    unsigned cls = size_class(size);
    struct heap_slab *s;
    size_t idx;
    void *obj;

    for (;;) {
        s = h->partial[cls];
        if (!s && !(s = slab_new(h, cls)))
            return NULL;
        obj = slab_pop(s, &idx);
        if (obj)
            break;
        /* Damaged counts: the bits say it is full, so file it as full. */
        list_remove(&h->partial[cls], s);
        list_push(&h->full[cls], s, false);
    }
    bit_flip(s, idx);
    slab_sizes(s)[idx] = (uint16_t)size;
    if (--s->nfree == 0) {
        list_remove(&h->partial[cls], s);
        list_push(&h->full[cls], s, false);
    }
    return obj;
}

static int free_small(struct heap *h, struct heap_slab *s, void *p)
{
    long i = obj_index(s, p);
    bool was_full = s->nfree == 0;

    if (i < 0 || !bit_test(s, (size_t)i))
        return AE_ERR_INVAL;
    bit_flip(s, (size_t)i);
    *(void **)p = s->freelist;
    s->freelist = p;
    s->nfree++;
    h->stats.bytes_requested -= slab_sizes(s)[i];
    if (s->nfree == class_nobjs[s->cls]) {
        list_remove(was_full ? &h->full[s->cls] : &h->partial[s->cls], s);
        slab_retire(h, s);
    } else if (was_full) {
        list_remove(&h->full[s->cls], s);
        list_push(&h->partial[s->cls], s, false);
    }
    return AE_OK;
}

/* ---- large allocations ------------------------------------------------ */

static void *alloc_large(struct heap *h, size_t size)
{
    size_t npages;
    struct heap_large *l = NULL;

    if (size > (size_t)-1 - LARGE_HDR - PAGE_MASK)
        return NULL;
    npages = (size + LARGE_HDR + PAGE_MASK) / HEAP_PAGE_SIZE;
    if (npages > UINT32_MAX)
        return NULL;
    if (h->ops.alloc_pages)
        l = h->ops.alloc_pages(npages, h->ops.ctx);
    if (!l)
        return NULL;
    if ((uintptr_t)l & PAGE_MASK) {
        h->ops.free_pages(l, npages, h->ops.ctx);
        return NULL;
    }
    l->magic = LARGE_MAGIC;
    l->npages = (uint32_t)npages;
    l->size = size;
    l->owner = h;
    l->reserved = 0;
    h->stats.pages_held += npages;
    return (char *)l + LARGE_HDR;
}

/* The large header behind p, or NULL if p is not a live large allocation. */
static struct heap_large *large_of(struct heap *h, void *p)
{
    struct heap_large *l = (struct heap_large *)((uintptr_t)p & ~PAGE_MASK);

    if (l->magic != LARGE_MAGIC || l->owner != h ||
        (uintptr_t)p - (uintptr_t)l != LARGE_HDR || l->npages == 0 ||
        l->size <= HEAP_MAX_SMALL ||
        l->size > (uint64_t)l->npages * HEAP_PAGE_SIZE - LARGE_HDR)
        return NULL;
    return l;
}

static int free_large(struct heap *h, void *p)
{
    struct heap_large *l = large_of(h, p);

    if (!l)
        return AE_ERR_INVAL;
    l->magic = 0;   /* a second free of p now fails, while the page lasts */
    h->stats.bytes_requested -= l->size;
    h->stats.pages_held -= l->npages;
    h->ops.free_pages(l, l->npages, h->ops.ctx);
    return AE_OK;
}

/* The slab behind p if it is a well-formed slab of this heap, else NULL. */
static struct heap_slab *slab_of(struct heap *h, void *p)
{
    struct heap_slab *s = (struct heap_slab *)((uintptr_t)p & ~PAGE_MASK);

    if (s->magic != SLAB_MAGIC || s->owner != h || s->cls >= HEAP_NCLASSES)
        return NULL;
    return s;
}

/* ---- public interface ------------------------------------------------- */

void heap_init(struct heap *h, const struct heap_page_ops *ops)
{
    memset(h, 0, sizeof(*h));
    h->lock = (spinlock_t)SPINLOCK_INIT;
    if (ops)
        h->ops = *ops;
}

void *heap_alloc(struct heap *h, size_t size)
{
    uint64_t flags;
    void *p;

    if (size == 0)
        return NULL;
    flags = spin_lock_irqsave(&h->lock);
    p = size <= HEAP_MAX_SMALL ? alloc_small(h, size) : alloc_large(h, size);
    if (p) {
        h->stats.allocs++;
        h->stats.bytes_requested += size;
    }
    spin_unlock_irqrestore(&h->lock, flags);
    return p;
}

void *heap_zalloc(struct heap *h, size_t size)
{
    void *p = heap_alloc(h, size);

    if (p)
        memset(p, 0, size);
    return p;
}

int heap_free(struct heap *h, void *p)
{
    uint64_t flags;
    struct heap_slab *s;
    int rc;

    if (!p)
        return AE_OK;
    flags = spin_lock_irqsave(&h->lock);
    s = slab_of(h, p);
    rc = s ? free_small(h, s, p) : free_large(h, p);
    if (rc == AE_OK)
        h->stats.frees++;
    else
        h->stats.bad_frees++;
    spin_unlock_irqrestore(&h->lock, flags);
    return rc;
}

size_t heap_usable_size(struct heap *h, void *p)
{
    uint64_t flags;
    struct heap_slab *s;
    struct heap_large *l;
    size_t n = 0;
    long i;

    if (!p)
        return 0;
    flags = spin_lock_irqsave(&h->lock);
    if ((s = slab_of(h, p))) {
        i = obj_index(s, p);
        if (i >= 0 && bit_test(s, (size_t)i))
            n = class_size[s->cls];
    } else if ((l = large_of(h, p))) {
        n = (size_t)l->npages * HEAP_PAGE_SIZE - LARGE_HDR;
    }
    spin_unlock_irqrestore(&h->lock, flags);
    return n;
}

void heap_get_stats(struct heap *h, struct heap_stats *out)
{
    uint64_t flags = spin_lock_irqsave(&h->lock);

    *out = h->stats;
    spin_unlock_irqrestore(&h->lock, flags);
}

/* ---- consistency check ------------------------------------------------ */

/* Totals gathered by heap_check across all slabs. */
struct check_sums {
    size_t slabs;
    size_t bytes;
};

/* Freelist of s: exactly nfree distinct free objects of s, then NULL. The
 * walk is bounded by nfree, so a cycle cannot hang it. */
static bool freelist_ok(struct heap_slab *s)
{
    void *obj = s->freelist;

    for (size_t n = 0; n < s->nfree; n++) {
        long i;

        if (!obj || ((uintptr_t)obj & ~PAGE_MASK) != (uintptr_t)s)
            return false;
        i = obj_index(s, obj);
        if (i < 0 || bit_test(s, (size_t)i))
            return false;
        obj = *(void **)obj;
    }
    return obj == NULL;
}

/* Header, bits, live sizes and freelist of one slab on list cls/full. */
static bool slab_ok(struct heap *h, struct heap_slab *s, unsigned cls,
                    bool full, struct check_sums *sum)
{
    size_t nobjs = class_nobjs[cls], live = 0;
    size_t lo = cls ? class_size[cls - 1] + 1u : 1, hi = class_size[cls];

    if (((uintptr_t)s & PAGE_MASK) || s->magic != SLAB_MAGIC ||
        s->owner != h || s->cls != cls || s->next->prev != s ||
        s->prev->next != s || s->nfree > nobjs || full != (s->nfree == 0))
        return false;
    for (size_t i = 0; i < BITS_WORDS * 64; i++) {
        if (!bit_test(s, i))
            continue;
        if (i >= nobjs || slab_sizes(s)[i] < lo || slab_sizes(s)[i] > hi)
            return false;
        sum->bytes += slab_sizes(s)[i];
        live++;
    }
    sum->slabs++;
    return live == nobjs - s->nfree && freelist_ok(s);
}

/* One circular list; the walk is bounded by pages_held against cycles that
 * miss the head. An empty slab may only be the tail of a partial list. */
static bool list_ok(struct heap *h, struct heap_slab *head, unsigned cls,
                    bool full, struct check_sums *sum)
{
    struct heap_slab *s = head;

    if (!head)
        return true;
    do {
        if (sum->slabs >= h->stats.pages_held ||
            !slab_ok(h, s, cls, full, sum))
            return false;
        if (s->nfree == class_nobjs[cls] && s != head->prev)
            return false;
        s = s->next;
    } while (s != head);
    return true;
}

int heap_check(struct heap *h)
{
    struct check_sums sum = { 0, 0 };
    uint64_t flags = spin_lock_irqsave(&h->lock);
    bool ok = true;

    for (unsigned c = 0; ok && c < HEAP_NCLASSES; c++)
        ok = list_ok(h, h->partial[c], c, false, &sum) &&
             list_ok(h, h->full[c], c, true, &sum);
    /* Large allocations are on no list; they account for the remainder. */
    ok = ok && sum.slabs <= h->stats.pages_held &&
         sum.bytes <= h->stats.bytes_requested &&
         h->stats.frees <= h->stats.allocs;
    spin_unlock_irqrestore(&h->lock, flags);
    return ok ? AE_OK : AE_ERR_CORRUPT;
}
