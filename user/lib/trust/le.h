/*
 * Little-endian fields of the on-disk formats (include/aether/bundle.h),
 * read and written a byte at a time: the files are byte buffers with no
 * alignment promise, and the result does not depend on the host's order.
 */
#ifndef AE_TRUST_LE_H
#define AE_TRUST_LE_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ae_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t ae_le64(const uint8_t *p)
{
    return (uint64_t)ae_le32(p) | (uint64_t)ae_le32(p + 4) << 32;
}

static inline void ae_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void ae_put_le64(uint8_t *p, uint64_t v)
{
    ae_put_le32(p, (uint32_t)v);
    ae_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline int ae_all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

#endif
