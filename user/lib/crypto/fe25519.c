/*
 * Arithmetic modulo p = 2^255 - 19 in radix 2^51 (limb bounds in fe25519.h).
 * Products of limbs are 128-bit; a limb product that lands at weight 2^255
 * or above is folded back multiplied by 19, since 2^255 = 19 (mod p).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fe25519.h"

typedef unsigned __int128 u128;

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);   /* x86-64 is little-endian */
    return v;
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

void fe25519_frombytes(fe25519 *h, const uint8_t s[32])
{
    uint64_t w0 = load_le64(s), w1 = load_le64(s + 8);
    uint64_t w2 = load_le64(s + 16), w3 = load_le64(s + 24) & 0x7fffffffffffffffULL;

    /* Limb i holds bits 51i .. 51i+50. */
    h->v[0] = w0 & FE25519_MASK;
    h->v[1] = (w0 >> 51 | w1 << 13) & FE25519_MASK;
    h->v[2] = (w1 >> 38 | w2 << 26) & FE25519_MASK;
    h->v[3] = (w2 >> 25 | w3 << 39) & FE25519_MASK;
    h->v[4] = w3 >> 12;
}

/* Carries every limb into the next, the top one into limb 0 times 19. */
static inline void carry_pass(uint64_t t[5])
{
    t[1] += t[0] >> 51; t[0] &= FE25519_MASK;
    t[2] += t[1] >> 51; t[1] &= FE25519_MASK;
    t[3] += t[2] >> 51; t[2] &= FE25519_MASK;
    t[4] += t[3] >> 51; t[3] &= FE25519_MASK;
    t[0] += 19 * (t[4] >> 51); t[4] &= FE25519_MASK;
}

void fe25519_tobytes(uint8_t s[32], const fe25519 *h)
{
    uint64_t t[5];
    uint64_t q;

    memcpy(t, h->v, sizeof(t));
    /* Two passes leave a value below 2^255 + 19 < 2p. */
    carry_pass(t);
    carry_pass(t);
    /* q = 1 exactly when value + 19 >= 2^255, i.e. value >= p. */
    q = (t[0] + 19) >> 51;
    q = (t[1] + q) >> 51;
    q = (t[2] + q) >> 51;
    q = (t[3] + q) >> 51;
    q = (t[4] + q) >> 51;
    /* Subtract q*p: add 19q and drop bit 255. */
    t[0] += 19 * q;
    t[1] += t[0] >> 51; t[0] &= FE25519_MASK;
    t[2] += t[1] >> 51; t[1] &= FE25519_MASK;
    t[3] += t[2] >> 51; t[2] &= FE25519_MASK;
    t[4] += t[3] >> 51; t[3] &= FE25519_MASK;
    t[4] &= FE25519_MASK;

    store_le64(s, t[0] | t[1] << 51);
    store_le64(s + 8, t[1] >> 13 | t[2] << 38);
    store_le64(s + 16, t[2] >> 26 | t[3] << 25);
    store_le64(s + 24, t[3] >> 39 | t[4] << 12);
}

/* Reduces five 128-bit column sums (each below 2^115) to a tight element.
 * Each carry is below 2^64; the last one times 19 is not, hence the 128-bit
 * product there. */
static inline void reduce_columns(fe25519 *h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4)
{
    uint64_t c;
    u128 t;

    r1 += (uint64_t)(r0 >> 51);
    r2 += (uint64_t)(r1 >> 51);
    r3 += (uint64_t)(r2 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    c = (uint64_t)(r4 >> 51);
    t = (u128)c * 19 + ((uint64_t)r0 & FE25519_MASK);
    h->v[0] = (uint64_t)t & FE25519_MASK;
    h->v[1] = ((uint64_t)r1 & FE25519_MASK) + (uint64_t)(t >> 51);
    h->v[2] = (uint64_t)r2 & FE25519_MASK;
    h->v[3] = (uint64_t)r3 & FE25519_MASK;
    h->v[4] = (uint64_t)r4 & FE25519_MASK;
}

void fe25519_mul(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0, r1, r2, r3, r4;

    r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 + (u128)f4 * g1_19;
    r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 + (u128)f4 * g2_19;
    r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 + (u128)f4 * g3_19;
    r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 + (u128)f4 * g4_19;
    r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
    reduce_columns(h, r0, r1, r2, r3, r4);
}

void fe25519_sq(fe25519 *h, const fe25519 *f)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3;
    const uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0, r1, r2, r3, r4;

    /* The cross products f_i f_j (i != j) appear twice. */
    r0 = (u128)f0 * f0 + (u128)f1_2 * f4_19 + (u128)f2_2 * f3_19;
    r1 = (u128)f0_2 * f1 + (u128)f2_2 * f4_19 + (u128)f3 * f3_19;
    r2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3_2 * f4_19;
    r3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
    r4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
    reduce_columns(h, r0, r1, r2, r3, r4);
}

/* n successive squarings. */
static void sqn(fe25519 *h, const fe25519 *f, int n)
{
    fe25519_sq(h, f);
    while (--n > 0)
        fe25519_sq(h, h);
}

/* z^(2^250 - 1), and z^11 on the side; both exponents p - 2 = 2^255 - 21
 * and (p - 5)/8 = 2^252 - 3 are built from it. Each step doubles the run
 * of one bits: z^(2^a - 1) squared b times times z^(2^b - 1) is
 * z^(2^(a+b) - 1). */
static void pow_2_250_1(fe25519 *out, fe25519 *z11, const fe25519 *z)
{
    fe25519 z2, z9, t, x5, x10, x20, x50, x100;

    fe25519_sq(&z2, z);              /* z^2 */
    sqn(&t, &z2, 2);                 /* z^8 */
    fe25519_mul(&z9, &t, z);         /* z^9 */
    fe25519_mul(z11, &z9, &z2);      /* z^11 */
    fe25519_sq(&t, z11);             /* z^22 */
    fe25519_mul(&x5, &t, &z9);       /* z^31 = z^(2^5 - 1) */
    sqn(&t, &x5, 5);
    fe25519_mul(&x10, &t, &x5);      /* 2^10 - 1 */
    sqn(&t, &x10, 10);
    fe25519_mul(&x20, &t, &x10);     /* 2^20 - 1 */
    sqn(&t, &x20, 20);
    fe25519_mul(&t, &t, &x20);       /* 2^40 - 1 */
    sqn(&t, &t, 10);
    fe25519_mul(&x50, &t, &x10);     /* 2^50 - 1 */
    sqn(&t, &x50, 50);
    fe25519_mul(&x100, &t, &x50);    /* 2^100 - 1 */
    sqn(&t, &x100, 100);
    fe25519_mul(&t, &t, &x100);      /* 2^200 - 1 */
    sqn(&t, &t, 50);
    fe25519_mul(out, &t, &x50);      /* 2^250 - 1 */
}

void fe25519_invert(fe25519 *out, const fe25519 *z)
{
    fe25519 t, z11;

    pow_2_250_1(&t, &z11, z);
    sqn(&t, &t, 5);                  /* 2^255 - 32 */
    fe25519_mul(out, &t, &z11);      /* 2^255 - 21 */
}

void fe25519_pow22523(fe25519 *out, const fe25519 *z)
{
    fe25519 t, z11;

    pow_2_250_1(&t, &z11, z);
    sqn(&t, &t, 2);                  /* 2^252 - 4 */
    fe25519_mul(out, &t, z);         /* 2^252 - 3 */
}

int fe25519_iszero(const fe25519 *f)
{
    static const uint8_t zero[32];
    uint8_t s[32];

    fe25519_tobytes(s, f);
    return memcmp(s, zero, 32) == 0;
}

int fe25519_isnegative(const fe25519 *f)
{
    uint8_t s[32];

    fe25519_tobytes(s, f);
    return s[0] & 1;
}
