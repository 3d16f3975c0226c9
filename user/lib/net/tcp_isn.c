/*
 * See tcp_isn.h. SipHash-2-4 written from the paper's specification:
 * little-endian words, two compression rounds per 8-byte block, the
 * length in the last block's top byte, four finalization rounds.
 */
#include "net/tcp_isn.h"

#include "net/net_bytes.h"

static uint64_t rotl(uint64_t x, unsigned b)
{
    return x << b | x >> (64 - b);
}

static uint64_t get64le(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

struct sip {
    uint64_t v0, v1, v2, v3;
};

static void sipround(struct sip *s)
{
    s->v0 += s->v1;
    s->v1 = rotl(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = rotl(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = rotl(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = rotl(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = rotl(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = rotl(s->v2, 32);
}

static void absorb(struct sip *s, uint64_t m)
{
    s->v3 ^= m;
    sipround(s);
    sipround(s);
    s->v0 ^= m;
}

uint64_t tcp_siphash24(const uint8_t key[TCP_SECRET_LEN], const void *msg, size_t len)
{
    const uint8_t *p = msg;
    uint64_t k0 = get64le(key), k1 = get64le(key + 8);
    struct sip s = {
        k0 ^ 0x736f6d6570736575ull,
        k1 ^ 0x646f72616e646f6dull,
        k0 ^ 0x6c7967656e657261ull,
        k1 ^ 0x7465646279746573ull,
    };
    uint64_t last = (uint64_t)(len & 0xff) << 56;
    size_t i;

    for (i = 0; i + 8 <= len; i += 8)
        absorb(&s, get64le(p + i));
    for (size_t j = 0; i + j < len; j++)
        last |= (uint64_t)p[i + j] << (8 * j);
    absorb(&s, last);
    s.v2 ^= 0xff;
    for (int r = 0; r < 4; r++)
        sipround(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint32_t tcp_isn(const uint8_t secret[TCP_SECRET_LEN], uint32_t lip, uint16_t lport,
                 uint32_t rip, uint16_t rport, uint64_t now_ns)
{
    uint8_t t[12];

    net_put32(t, lip);
    net_put32(t + 4, rip);
    net_put16(t + 8, lport);
    net_put16(t + 10, rport);
    return (uint32_t)(now_ns / 4000) + (uint32_t)tcp_siphash24(secret, t, sizeof(t));
}
