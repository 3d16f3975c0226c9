/*
 * Firmware memory map -> usable page ranges (contract in memmap.h).
 *
 * Nothing in the map is trusted, and no scratch memory is available this
 * early, so the result is built by a sweep over addresses instead of by
 * sorting: from a cursor, find the lowest address that some usable entry
 * covers; if a blocker (non-usable entry or exclusion) covers it, jump past
 * the blocker; otherwise grow the range through overlapping or adjacent
 * usable entries and stop at the first blocker. Each step moves the cursor
 * forward, so output comes out sorted, disjoint and maximal (hence merged)
 * whatever the input order. Cost is O((entries)^2), fine for firmware maps.
 *
 * Usable entries shrink inward to pages, blockers grow outward, since a page
 * is usable only if all of it is. An entry whose base + len overflows ends
 * at 2^64; since 2^64 is not representable as an end, the topmost page can
 * never be reported usable, and a blocker end of UINT64_MAX means "to the
 * top".
 */
#include "aether/errors.h"
#include "mm/memmap.h"

#include <stdbool.h>

#define PAGE_MASK (PAGE_SIZE - 1)

struct sweep {
    const struct mem_range *map;
    size_t n;
    const struct phys_range *ex;
    size_t nex;
};

static uint64_t clipped_end(uint64_t base, uint64_t len)
{
    return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

/* Page-aligned span of map entry i if it is usable and non-empty. */
static bool usable_span(const struct sweep *s, size_t i, struct phys_range *r)
{
    const struct mem_range *m = &s->map[i];
    uint64_t end;

    if (m->type != MEM_USABLE || m->len == 0 || m->base > UINT64_MAX - PAGE_MASK)
        return false;
    end = clipped_end(m->base, m->len) & ~PAGE_MASK;
    r->start = (m->base + PAGE_MASK) & ~PAGE_MASK;
    r->end = end;
    return r->start < end;
}

/* [start, end) grown outward to pages; false when empty or inverted. */
static bool outward(uint64_t start, uint64_t end, struct phys_range *r)
{
    if (end <= start)
        return false;
    r->start = start & ~PAGE_MASK;
    r->end = end > UINT64_MAX - PAGE_MASK ? UINT64_MAX
                                          : (end + PAGE_MASK) & ~PAGE_MASK;
    return true;
}

/* Blocker j: non-usable map entries first, then caller exclusions. */
static bool blocker_span(const struct sweep *s, size_t j, struct phys_range *r)
{
    if (j < s->n) {
        const struct mem_range *m = &s->map[j];

        if (m->type == MEM_USABLE || m->len == 0)
            return false;
        return outward(m->base, clipped_end(m->base, m->len), r);
    }
    return outward(s->ex[j - s->n].start, s->ex[j - s->n].end, r);
}

/* Lowest address >= cur inside some usable span. */
static bool next_usable(const struct sweep *s, uint64_t cur, uint64_t *addr)
{
    bool found = false;
    uint64_t best = UINT64_MAX;
    struct phys_range r;

    for (size_t i = 0; i < s->n; i++) {
        if (!usable_span(s, i, &r) || r.end <= cur)
            continue;
        uint64_t a = r.start > cur ? r.start : cur;
        if (a <= best)
            best = a;
        found = true;
    }
    *addr = best;
    return found;
}

/* End of the furthest-reaching blocker covering a, or 0 if none does. */
static uint64_t blocked_until(const struct sweep *s, uint64_t a)
{
    uint64_t until = 0;
    struct phys_range r;

    for (size_t j = 0; j < s->n + s->nex; j++) {
        if (blocker_span(s, j, &r) && r.start <= a && a < r.end &&
            r.end > until)
            until = r.end;
    }
    return until;
}

/* End of the usable range starting at a (a is usable, not blocked). */
static uint64_t range_end(const struct sweep *s, uint64_t a)
{
    uint64_t cap = UINT64_MAX, e = a;
    struct phys_range r;
    bool grew;

    for (size_t j = 0; j < s->n + s->nex; j++) {
        if (blocker_span(s, j, &r) && r.start > a && r.start < cap)
            cap = r.start;
    }
    /* Chain through usable spans that overlap or touch the current end. */
    do {
        uint64_t grown = e;

        for (size_t i = 0; i < s->n; i++) {
            if (usable_span(s, i, &r) && r.start <= e && r.end > grown)
                grown = r.end;
        }
        grew = grown > e;
        e = grown;
    } while (grew && e < cap);
    return e < cap ? e : cap;
}

int memmap_usable(const struct mem_range *map, size_t n,
                  const struct phys_range *exclude, size_t nexclude,
                  struct phys_range *out, size_t max_out)
{
    struct sweep s = { map, n, exclude, nexclude };
    uint64_t cur = 0, a = 0;
    size_t count = 0;

    if ((!map && n) || (!exclude && nexclude) || (!out && max_out))
        return AE_ERR_INVAL;
    while (next_usable(&s, cur, &a)) {
        uint64_t until = blocked_until(&s, a);

        if (until) {
            cur = until;
            continue;
        }
        if (count == max_out || count == (size_t)__INT_MAX__)
            return AE_ERR_TRUNCATED;
        out[count].start = a;
        out[count].end = range_end(&s, a);
        cur = out[count++].end;
    }
    return (int)count;
}

uint64_t memmap_total(const struct phys_range *r, size_t n)
{
    uint64_t total = 0;

    if (!r)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t len = r[i].end > r[i].start ? r[i].end - r[i].start : 0;
        total = len > UINT64_MAX - total ? UINT64_MAX : total + len;
    }
    return total;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return "usable";
    case MEM_RESERVED:
        return "reserved";
    case MEM_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case MEM_ACPI_NVS:
        return "ACPI NVS";
    case MEM_BAD:
        return "bad";
    default:
        return "unknown";
    }
}
