/*
 * See ipv4.h: the address predicates that decide what is accepted and
 * where a datagram goes. All addresses are host order.
 */
#include "aether/errors.h"
#include "net/ipv4.h"

bool ipv4_is_multicast(uint32_t a)
{
    return (a >> 28) == 0xe;
}

bool ipv4_is_reserved(uint32_t a)
{
    return (a >> 28) == 0xf;
}

bool ipv4_is_loopback(uint32_t a)
{
    return (a >> 24) == 127;
}

bool ipv4_is_unicast(uint32_t a)
{
    return a != 0 && !ipv4_is_loopback(a) && !ipv4_is_multicast(a) && !ipv4_is_reserved(a);
}

bool ipv4_mask_valid(uint32_t mask)
{
    /* Contiguous: the inverted mask plus one is a power of two. */
    return mask != 0 && ((~mask + 1) & ~mask) == 0;
}

bool ipv4_is_subnet_bcast(uint32_t a, uint32_t my_ip, uint32_t mask)
{
    if (my_ip == 0 || !ipv4_mask_valid(mask) || ~mask < 3)
        return false;
    return a == (my_ip | ~mask);
}

bool ipv4_for_us(uint32_t dst, uint32_t my_ip, uint32_t mask)
{
    if (dst == IPV4_BROADCAST)
        return true;
    if (my_ip == 0)
        return false;
    return dst == my_ip || ipv4_is_subnet_bcast(dst, my_ip, mask);
}

bool ipv4_same_subnet(uint32_t a, uint32_t b, uint32_t mask)
{
    return ((a ^ b) & mask) == 0;
}

uint32_t ipv4_next_hop(uint32_t dst, uint32_t my_ip, uint32_t mask, uint32_t gateway)
{
    /* Broadcast and multicast map to a group MAC, not a router. */
    if (dst == IPV4_BROADCAST || ipv4_is_multicast(dst))
        return dst;
    if (my_ip == 0 || !ipv4_mask_valid(mask))
        return 0;
    if (ipv4_same_subnet(dst, my_ip, mask))
        return dst;
    return gateway;
}

int ipv4_format(uint32_t a, char *buf, size_t cap)
{
    char tmp[IPV4_ADDR_STR_LEN];
    size_t n = 0;

    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned v = (a >> shift) & 0xff;

        if (v >= 100)
            tmp[n++] = (char)('0' + v / 100);
        if (v >= 10)
            tmp[n++] = (char)('0' + v / 10 % 10);
        tmp[n++] = (char)('0' + v % 10);
        if (shift)
            tmp[n++] = '.';
    }
    if (cap < n + 1)
        return AE_ERR_TRUNCATED;
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[i];
    buf[n] = '\0';
    return (int)n;
}
