/*
 * A byte ring that keeps the most recent log output, addressed by sequence
 * number: byte n is the n-th byte ever written (from 0), so a reader's
 * position stays meaningful however far the writer has gone. Pure: the
 * caller provides the buffer and the locking.
 */
#ifndef KERNEL_LIB_LOG_RING_H
#define KERNEL_LIB_LOG_RING_H

#include <stddef.h>
#include <stdint.h>

struct log_ring {
    char *buf;
    uint64_t size;              /* a power of two */
    uint64_t head;              /* bytes ever written: the next byte's number */
};

/* size must be a power of two (>= 2). */
void log_ring_init(struct log_ring *r, char *buf, uint64_t size);

/* Appends len bytes; when len > size only the last size bytes are kept,
 * but head still advances by len. */
void log_ring_write(struct log_ring *r, const char *s, size_t len);

/* The number of the oldest byte still held: max(0, head - size). */
uint64_t log_ring_oldest(const struct log_ring *r);

/* Copies up to len bytes from byte *cursor on and sets *cursor just past
 * the last byte copied; returns the count (0: nothing new, len 0, or all
 * that is held was skipped as below).
 * A cursor older than the oldest byte held (the reader fell behind) starts
 * at the first line known to be whole: just after the first '\n' in the
 * ring (the oldest byte's own line may have lost its start), or at the
 * oldest byte if there is no '\n' at all. The caller sees the gap: the
 * bytes copied are [*cursor - count, *cursor), so
 *     lost = (*cursor after - count) - *cursor before.
 * AE_ERR_INVAL when *cursor is past head (never written); *cursor then
 * stays as it was. */
int64_t log_ring_read(const struct log_ring *r, uint64_t *cursor, char *out,
                      size_t len);

#endif
