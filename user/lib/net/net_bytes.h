/*
 * Network byte order, read and written through byte pointers: wire data
 * sits at any alignment, so no protocol code casts a packet to a struct.
 * Pure; shared by every parser in user/lib/net.
 */
#ifndef USER_LIB_NET_NET_BYTES_H
#define USER_LIB_NET_NET_BYTES_H

#include <stdint.h>

static inline uint16_t net_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t net_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void net_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void net_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* IPv4 addresses are kept in host order (10.0.2.15 is 0x0a00020f). */
#define NET_IP4(a, b, c, d) \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#endif
