/*
 * Ed25519 signature verification (RFC 8032), freestanding, variable time
 * (it only handles public data). The rules are libsodium's strict ones, so
 * the two accept exactly the same signatures:
 *   - S must be canonical (S < L);
 *   - R and A must not be small-order points (any encoding of one);
 *   - A must be a canonical encoding (y < p) that decodes to a curve point;
 *   - [S]B - [k]A, k = SHA-512(R || A || M) mod L, must encode to exactly R
 *     (cofactorless check; a non-canonical R never matches).
 */
#ifndef AE_CRYPTO_ED25519_H
#define AE_CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 when sig is a valid signature of msg by pk, -1 otherwise. */
int ae_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len,
                      const uint8_t pk[32]);

#endif
