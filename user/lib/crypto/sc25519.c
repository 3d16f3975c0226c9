/*
 * Scalars modulo L: Barrett reduction of 512-bit hashes, the canonical
 * check of S, and signed-digit recoding for the scalar multiplication.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sc25519.h"

typedef unsigned __int128 u128;

/* L and mu = floor(2^512 / L) in 64-bit limbs, least significant first;
 * printed by tools/crypto_consts.py sc. */
static const uint64_t sc_l[4] = {
    0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0x0000000000000000ULL, 0x1000000000000000ULL,
};
static const uint64_t sc_mu[5] = {
    0xed9ce5a30a2c131bULL, 0x2106215d086329a7ULL, 0xffffffffffffffebULL, 0xffffffffffffffffULL,
    0x000000000000000fULL,
};

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

/* out[0..nout) = (a * b) mod 2^(64 nout), schoolbook. */
static void mul_trunc(uint64_t *out, size_t nout, const uint64_t *a, size_t na,
                      const uint64_t *b, size_t nb)
{
    memset(out, 0, nout * sizeof(*out));
    for (size_t i = 0; i < na && i < nout; i++) {
        uint64_t carry = 0;
        size_t j;

        for (j = 0; j < nb && i + j < nout; j++) {
            u128 t = (u128)a[i] * b[j] + out[i + j] + carry;

            out[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        if (i + j < nout)
            out[i + j] = carry;
    }
}

/* r >= L, for r of 5 limbs. */
static int geq_l(const uint64_t r[5])
{
    if (r[4])
        return 1;
    for (int i = 3; i >= 0; i--) {
        if (r[i] != sc_l[i])
            return r[i] > sc_l[i];
    }
    return 1;
}

static void sub_l(uint64_t r[5])
{
    uint64_t borrow = 0;

    for (int i = 0; i < 5; i++) {
        uint64_t li = i < 4 ? sc_l[i] : 0;
        u128 t = (u128)r[i] - li - borrow;

        r[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
}

/* Barrett reduction with base b = 2^64 and k = 4 (Handbook of Applied
 * Cryptography, algorithm 14.42): q = floor(floor(x / b^3) mu / b^5)
 * undershoots floor(x / L) by at most 2, so x - qL, computed mod b^5, is
 * below 3L and at most two subtractions finish the job. */
void sc25519_reduce(uint8_t out[32], const uint8_t in[64])
{
    uint64_t x[8], q2[10], ql[5], r[5];
    uint64_t borrow = 0;

    for (int i = 0; i < 8; i++)
        x[i] = load_le64(in + 8 * i);
    mul_trunc(q2, 10, x + 3, 5, sc_mu, 5);
    mul_trunc(ql, 5, q2 + 5, 5, sc_l, 4);
    for (int i = 0; i < 5; i++) {
        u128 t = (u128)x[i] - ql[i] - borrow;

        r[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    while (geq_l(r))
        sub_l(r);
    for (int i = 0; i < 4; i++)
        memcpy(out + 8 * i, &r[i], 8);
}

int sc25519_is_canonical(const uint8_t s[32])
{
    /* Compare with L from the most significant byte down. */
    for (int i = 3; i >= 0; i--) {
        uint64_t v = load_le64(s + 8 * i);

        if (v != sc_l[i])
            return v < sc_l[i];
    }
    return 0;   /* s == L */
}

/* Bits pos .. pos+w-1 of s (zeros past bit 255). */
static unsigned bits_at(const uint8_t s[32], unsigned pos, unsigned w)
{
    unsigned byte = pos >> 3, v = 0;

    for (unsigned i = 0; i < 3 && byte + i < 32; i++)
        v |= (unsigned)s[byte + i] << (8 * i);
    return (v >> (pos & 7)) & ((1u << w) - 1);
}

/* Scans upwards with a pending carry c (a 1 owed at the current position).
 * Where bit + c is even the digit is 0 (and c passes on unchanged); where
 * it is odd, the next w bits plus c form an odd window v, taken as the
 * digit v or v - 2^w (then owing 2^w, a carry at pos + w). */
void sc25519_wnaf(int8_t r[256], const uint8_t s[32], unsigned w)
{
    unsigned pos = 0, carry = 0;

    memset(r, 0, 256);
    while (pos < 256) {
        unsigned bit = (s[pos >> 3] >> (pos & 7)) & 1;
        unsigned v;

        if (bit == carry) {
            pos++;
            continue;
        }
        v = bits_at(s, pos, w) + carry;
        if (v & (1u << (w - 1))) {
            r[pos] = (int8_t)((int)v - (1 << w));
            carry = 1;
        } else {
            r[pos] = (int8_t)v;
            carry = 0;
        }
        pos += w;
    }
}
