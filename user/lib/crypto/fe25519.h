/*
 * Arithmetic modulo p = 2^255 - 19, internal to the Ed25519 code. An element
 * is 5 limbs of 51 bits, least significant first, not necessarily reduced:
 *   - fe25519_mul/sq accept limbs below 2^54 and return limbs below 2^52
 *     ("tight": below 2^51 + 2^18);
 *   - fe25519_add of two tight elements gives limbs below 2^53;
 *   - fe25519_sub takes a below 2^54 and b below 2^53 - 76 and returns a
 *     tight result.
 * The point formulas in ge25519.c are written to stay within these bounds.
 * Nothing here runs in constant time: verification handles public data.
 */
#ifndef AE_CRYPTO_FE25519_H
#define AE_CRYPTO_FE25519_H

#include <stdint.h>

typedef struct {
    uint64_t v[5];
} fe25519;

#define FE25519_MASK ((UINT64_C(1) << 51) - 1)

/* Loads the low 255 bits of s (the top bit is ignored); the value may be
 * p or more (a non-canonical encoding) and is then reduced by arithmetic. */
void fe25519_frombytes(fe25519 *h, const uint8_t s[32]);
/* The canonical (fully reduced) little-endian encoding. */
void fe25519_tobytes(uint8_t s[32], const fe25519 *h);

void fe25519_mul(fe25519 *h, const fe25519 *f, const fe25519 *g);
void fe25519_sq(fe25519 *h, const fe25519 *f);
void fe25519_invert(fe25519 *out, const fe25519 *z);     /* z^(p-2) */
void fe25519_pow22523(fe25519 *out, const fe25519 *z);   /* z^((p-5)/8) */
int fe25519_iszero(const fe25519 *f);
int fe25519_isnegative(const fe25519 *f);                /* canonical value is odd */

static inline void fe25519_0(fe25519 *h)
{
    h->v[0] = h->v[1] = h->v[2] = h->v[3] = h->v[4] = 0;
}

static inline void fe25519_1(fe25519 *h)
{
    fe25519_0(h);
    h->v[0] = 1;
}

static inline void fe25519_add(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
    for (int i = 0; i < 5; i++)
        h->v[i] = f->v[i] + g->v[i];
}

/* f - g computed as f + 4p - g, so no limb goes negative, then one carry
 * pass so the result is tight again. */
static inline void fe25519_sub(fe25519 *h, const fe25519 *f, const fe25519 *g)
{
    uint64_t t0 = f->v[0] + 0x1fffffffffffb4 - g->v[0];
    uint64_t t1 = f->v[1] + 0x1ffffffffffffc - g->v[1];
    uint64_t t2 = f->v[2] + 0x1ffffffffffffc - g->v[2];
    uint64_t t3 = f->v[3] + 0x1ffffffffffffc - g->v[3];
    uint64_t t4 = f->v[4] + 0x1ffffffffffffc - g->v[4];

    t1 += t0 >> 51; t0 &= FE25519_MASK;
    t2 += t1 >> 51; t1 &= FE25519_MASK;
    t3 += t2 >> 51; t2 &= FE25519_MASK;
    t4 += t3 >> 51; t3 &= FE25519_MASK;
    t0 += 19 * (t4 >> 51); t4 &= FE25519_MASK;
    h->v[0] = t0; h->v[1] = t1; h->v[2] = t2; h->v[3] = t3; h->v[4] = t4;
}

static inline void fe25519_neg(fe25519 *h, const fe25519 *f)
{
    fe25519 zero;

    fe25519_0(&zero);
    fe25519_sub(h, &zero, f);
}

#endif
