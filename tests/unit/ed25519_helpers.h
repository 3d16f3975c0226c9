/*
 * Helpers shared by the Ed25519 tests: libsodium as the reference and the
 * signer of test cases, special encodings, 256-bit scalar arithmetic.
 */
#ifndef TESTS_UNIT_ED25519_HELPERS_H
#define TESTS_UNIT_ED25519_HELPERS_H

#include "crypto_vectors.h"

#include <sodium.h>

#include "user/lib/crypto/ed25519.h"

/* L, the group order, little-endian. */
static const uint8_t ED_L[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* y (little-endian hex) of every encoding below 2^255 of a point of small
 * order, with that order: 0, 1, the two order-8 values (derived by
 * tools/crypto_consts.py), p - 1, p and p + 1. */
static const struct {
    const char *hex;
    int order;
} SMALL_ORDER_Y[7] = {
    { "0000000000000000000000000000000000000000000000000000000000000000", 4 },
    { "0100000000000000000000000000000000000000000000000000000000000000", 1 },
    { "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", 8 },
    { "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", 8 },
    { "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", 2 },
    { "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", 4 },
    { "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", 1 },
};
#define N_SMALL_ORDER 14   /* each y with the sign bit clear and set */

/* Encoding i of N_SMALL_ORDER; *order gets the point's order. */
static inline void small_order_enc(uint8_t out[32], int i, int *order)
{
    unhex(out, 32, SMALL_ORDER_Y[i / 2].hex);
    if (i & 1)
        out[31] |= 0x80;
    if (order)
        *order = SMALL_ORDER_Y[i / 2].order;
}

static inline void rand_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

/* out = a + b mod 2^256; returns the carry out. */
static inline int add256(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    unsigned c = 0;

    for (int i = 0; i < 32; i++) {
        c += (unsigned)a[i] + b[i];
        out[i] = (uint8_t)c;
        c >>= 8;
    }
    return (int)c;
}

/* Little-endian comparison: <0, 0, >0. */
static inline int cmp256(const uint8_t a[32], const uint8_t b[32])
{
    for (int i = 31; i >= 0; i--)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static inline int sodium_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
                                const uint8_t pk[32])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

/* A key pair from a seed, and its secret scalar a mod L (the clamped first
 * half of SHA-512(seed), RFC 8032 5.1.5). */
struct ed_key {
    uint8_t pk[32], sk[64], a[32];
};

static inline void ed_key_from_seed(struct ed_key *k, const uint8_t seed[32])
{
    uint8_t h[64];

    assert_int_equal(crypto_sign_seed_keypair(k->pk, k->sk, seed), 0);
    crypto_hash_sha512(h, seed, 32);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    memset(h + 32, 0, 32);
    crypto_core_ed25519_scalar_reduce(k->a, h);
}

/* Signs msg with the secret scalar a but hashes pk_enc as the public key,
 * with a nonce from rng(). With pk_enc = [a]B that is an ordinary
 * signature; with pk_enc = [a]B + T (T of small order) it is what a holder
 * of a mixed-order key produces: it verifies exactly when [k]T = 0. */
static inline void ed_sign_as(uint8_t sig[64], const uint8_t *msg, size_t len,
                              const uint8_t a[32], const uint8_t pk_enc[32])
{
    uint8_t wide[64], r[32], k[32], ka[32];
    crypto_hash_sha512_state st;

    rand_bytes(wide, 64);
    crypto_core_ed25519_scalar_reduce(r, wide);
    assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(sig, r), 0);
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, sig, 32);
    crypto_hash_sha512_update(&st, pk_enc, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(k, wide);
    crypto_core_ed25519_scalar_mul(ka, k, a);
    crypto_core_ed25519_scalar_add(sig + 32, r, ka);
}

/* k = SHA-512(R || A || M) mod L, as verification computes it. */
static inline void ed_challenge(uint8_t k[32], const uint8_t r[32], const uint8_t pk[32],
                                const uint8_t *msg, size_t len)
{
    uint8_t wide[64];
    crypto_hash_sha512_state st;

    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, r, 32);
    crypto_hash_sha512_update(&st, pk, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(k, wide);
}

static inline void print_case(const char *what, const uint8_t *pk, const uint8_t *msg,
                              size_t len, const uint8_t *sig)
{
    printf("case: %s\n", what);
    hex_print("pk", pk, 32);
    hex_print("msg", msg, len);
    hex_print("sig", sig, 64);
}

#endif
