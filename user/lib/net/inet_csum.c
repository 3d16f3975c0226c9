/*
 * See inet_csum.h. The running sum is kept in 32 bits and folded whenever
 * it could overflow, so any length is safe.
 */
#include "net/inet_csum.h"

static uint32_t fold32(uint32_t s)
{
    return (s & 0xffff) + (s >> 16);
}

uint32_t inet_sum(uint32_t sum, const void *p, size_t len)
{
    const uint8_t *b = p;

    while (len >= 2) {
        sum += (uint32_t)(b[0] << 8 | b[1]);
        if (sum & 0x80000000u)
            sum = fold32(sum);
        b += 2;
        len -= 2;
    }
    if (len)
        sum += (uint32_t)b[0] << 8;
    return fold32(sum);
}

uint32_t inet_sum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint32_t s = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);

    return s + proto + len;
}

uint16_t inet_fold(uint32_t sum)
{
    sum = fold32(sum);
    sum = fold32(sum);
    return (uint16_t)~sum;
}

uint16_t inet_csum(const void *p, size_t len)
{
    return inet_fold(inet_sum(0, p, len));
}
