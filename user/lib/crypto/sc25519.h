/*
 * Scalars modulo L = 2^252 + 27742317777372353535851937790883648493, the
 * order of the Ed25519 base point; internal to the Ed25519 code. Scalars
 * are 32 bytes, little-endian.
 */
#ifndef AE_CRYPTO_SC25519_H
#define AE_CRYPTO_SC25519_H

#include <stdint.h>

/* out = in mod L, in a 64-byte little-endian number (a SHA-512 digest). */
void sc25519_reduce(uint8_t out[32], const uint8_t in[64]);

/* 1 when s < L, the only encodings of S that verification accepts. */
int sc25519_is_canonical(const uint8_t s[32]);

/* Width-w signed digits (w-NAF) of s < 2^253: s = sum r[i] 2^i with every
 * nonzero r[i] odd, |r[i]| < 2^(w-1), and at least w-1 zeros after each
 * nonzero digit. 2 <= w <= 8. */
void sc25519_wnaf(int8_t r[256], const uint8_t s[32], unsigned w);

#endif
