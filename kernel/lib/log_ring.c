/*
 * The log ring (contract in log_ring.h). Byte n lives at buf[n & (size-1)];
 * bytes [oldest, head) are intact because each write overwrites only the
 * bytes more than size behind its own end.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/log_ring.h"
#include "lib/string.h"
#include "aether/errors.h"

void log_ring_init(struct log_ring *r, char *buf, uint64_t size)
{
    r->buf = buf;
    r->size = size;
    r->head = 0;
}

/* Copies n bytes between the ring at byte seq and flat memory, in at most
 * two pieces (n <= size). */
static void ring_copy_out(const struct log_ring *r, uint64_t seq, char *out, uint64_t n)
{
    uint64_t at = seq & (r->size - 1);
    uint64_t first = n < r->size - at ? n : r->size - at;

    memcpy(out, r->buf + at, first);
    memcpy(out + first, r->buf, n - first);
}

void log_ring_write(struct log_ring *r, const char *s, size_t len)
{
    uint64_t seq = r->head, n = len, at, first;

    if (n > r->size) {              /* only the tail survives anyway */
        s += n - r->size;
        seq += n - r->size;
        n = r->size;
    }
    at = seq & (r->size - 1);
    first = n < r->size - at ? n : r->size - at;
    memcpy(r->buf + at, s, first);
    memcpy(r->buf, s + first, n - first);
    r->head += len;
}

uint64_t log_ring_oldest(const struct log_ring *r)
{
    return r->head > r->size ? r->head - r->size : 0;
}

/* The first byte after a '\n' in [from, head), else from. */
static uint64_t first_whole_line(const struct log_ring *r, uint64_t from)
{
    for (uint64_t seq = from; seq < r->head; seq++)
        if (r->buf[seq & (r->size - 1)] == '\n')
            return seq + 1;
    return from;
}

int64_t log_ring_read(const struct log_ring *r, uint64_t *cursor, char *out,
                      size_t len)
{
    uint64_t start = *cursor, oldest = log_ring_oldest(r), n;

    if (start > r->head)
        return AE_ERR_INVAL;
    if (len == 0)
        return 0;
    if (start < oldest)             /* fell behind (so oldest > 0) */
        start = first_whole_line(r, oldest);
    n = r->head - start;
    if (n > len)
        n = len;
    ring_copy_out(r, start, out, n);
    *cursor = start + n;
    return (int64_t)n;
}
