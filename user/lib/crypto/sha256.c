/*
 * SHA-256 (FIPS 180-4): the portable block function, the buffering around
 * it, and the choice between it and SHA-NI (sha256_ni.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sha256.h"
#include "sha256_impl.h"
#include "md_buffer.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2); recomputed by tools/crypto_consts.py. */
const uint32_t ae_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Square roots of the first 8 primes, likewise (5.3.3). */
static const uint32_t sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
    0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#define BSIG0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define BSIG1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define SSIG0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))
#define SHA2_WORD uint32_t
#define SHA2_K ae_sha256_k
#include "sha2_round.h"

void ae_sha256_blocks_portable(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
    uint32_t w[16];

    for (; nblocks; nblocks--, p += AE_SHA256_BLOCK) {
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7];

        for (int i = 0; i < 16; i++)
            w[i] = load_be32(p + 4 * i);
        ROUNDS8(0, LOADED);
        ROUNDS8(8, LOADED);
        for (int t = 16; t < 64; t += 16) {
            ROUNDS8(t, SCHED);
            ROUNDS8(t + 8, SCHED);
        }
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
    }
}

/* ---- implementation choice --------------------------------------------- */

enum { IMPL_UNSET, IMPL_PORTABLE_SEL, IMPL_SHANI_SEL };

/* Both resolved on first use and kept: CPUID is slow, and under a
 * hypervisor it traps. Relaxed atomics: concurrent first calls may both
 * probe, and they store the same value. */
static int sha256_impl;
static int shani_probe;         /* 0 not probed, 1 absent, 2 present */

int ae_sha256_have_shani(void)
{
    int v = __atomic_load_n(&shani_probe, __ATOMIC_RELAXED);

    if (!v) {
        v = ae_sha256_cpu_has_shani() ? 2 : 1;
        __atomic_store_n(&shani_probe, v, __ATOMIC_RELAXED);
    }
    return v == 2;
}

static int resolve_impl(void)
{
    int v = __atomic_load_n(&sha256_impl, __ATOMIC_RELAXED);

    if (v == IMPL_UNSET) {
        v = ae_sha256_have_shani() ? IMPL_SHANI_SEL : IMPL_PORTABLE_SEL;
        __atomic_store_n(&sha256_impl, v, __ATOMIC_RELAXED);
    }
    return v;
}

int ae_sha256_select(enum ae_sha256_impl impl)
{
    int v;

    switch (impl) {
    case AE_SHA256_IMPL_AUTO:
        v = ae_sha256_have_shani() ? IMPL_SHANI_SEL : IMPL_PORTABLE_SEL;
        break;
    case AE_SHA256_IMPL_PORTABLE:
        v = IMPL_PORTABLE_SEL;
        break;
    case AE_SHA256_IMPL_SHANI:
        if (!ae_sha256_have_shani())
            return -1;
        v = IMPL_SHANI_SEL;
        break;
    default:
        return -1;
    }
    __atomic_store_n(&sha256_impl, v, __ATOMIC_RELAXED);
    return 0;
}

const char *ae_sha256_impl_name(void)
{
    return resolve_impl() == IMPL_SHANI_SEL ? "sha-ni" : "portable";
}

static void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    if (resolve_impl() == IMPL_SHANI_SEL)
        ae_sha256_blocks_shani(h, p, nblocks);
    else
        ae_sha256_blocks_portable(h, p, nblocks);
}

/* ---- streaming interface ------------------------------------------------ */

void ae_sha256_init(struct ae_sha256 *s)
{
    memcpy(s->h, sha256_iv, sizeof(s->h));
    s->len = 0;
    s->nbuf = 0;
}

static void blocks_fn(void *st, const uint8_t *p, size_t nblocks)
{
    sha256_blocks(st, p, nblocks);
}

void ae_sha256_update(struct ae_sha256 *s, const void *data, size_t len)
{
    s->len += len;
    md_absorb(s->h, blocks_fn, s->buf, &s->nbuf, AE_SHA256_BLOCK, data, len);
}

void ae_sha256_final(struct ae_sha256 *s, uint8_t out[AE_SHA256_SIZE])
{
    md_finish(s->h, blocks_fn, s->buf, s->nbuf, AE_SHA256_BLOCK, 8, 0, s->len << 3);
    for (int i = 0; i < 8; i++)
        store_be32(out + 4 * i, s->h[i]);
    memset(s, 0, sizeof(*s));
}

void ae_sha256(const void *data, size_t len, uint8_t out[AE_SHA256_SIZE])
{
    struct ae_sha256 s;

    ae_sha256_init(&s);
    ae_sha256_update(&s, data, len);
    ae_sha256_final(&s, out);
}
