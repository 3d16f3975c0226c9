/*
 * Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)),
 * internal to the Ed25519 code. Coordinate systems, after Hisil, Wong,
 * Carter and Dawson, "Twisted Edwards Curves Revisited" (2008):
 *   p2      projective (X:Y:Z), x = X/Z, y = Y/Z
 *   p3      extended (X:Y:Z:T), also T = XY/Z
 *   p1p1    "completed" ((X:Z), (Y:T)): x = X/Z, y = Y/T, the raw output of
 *           an addition or doubling before its last multiplications
 *   cached  (Y+X, Y-X, Z, 2dT) of a p3 point, ready to be added
 *   niels   (y+x, y-x, 2dxy) of an affine point (Z = 1), for the base table
 */
#ifndef AE_CRYPTO_GE25519_H
#define AE_CRYPTO_GE25519_H

#include <stdint.h>

#include "fe25519.h"

typedef struct { fe25519 X, Y, Z; } ge25519_p2;
typedef struct { fe25519 X, Y, Z, T; } ge25519_p3;
typedef struct { fe25519 X, Y, Z, T; } ge25519_p1p1;
typedef struct { fe25519 YpX, YmX, Z, T2d; } ge25519_cached;
typedef struct { fe25519 ypx, ymx, xy2d; } ge25519_niels;

/* Decodes s (RFC 8032 5.1.3) and returns the NEGATED point, which is what
 * verification needs. The y encoded may be p or more (callers that mind
 * check ge25519_is_canonical first); x = 0 with the sign bit set is
 * accepted, as libsodium does. Returns -1 when no point has that y. */
int ge25519_frombytes_negate(ge25519_p3 *h, const uint8_t s[32]);

/* Canonical encoding of h. */
void ge25519_tobytes(uint8_t s[32], const ge25519_p2 *h);

/* r = [a]A + [b]B for scalars a, b below 2^253 (little-endian), B the base
 * point. Variable time. */
void ge25519_double_scalarmult_vartime(ge25519_p2 *r, const uint8_t a[32],
                                       const ge25519_p3 *A, const uint8_t b[32]);

/* 1 when the low 255 bits of s are below p. */
int ge25519_is_canonical(const uint8_t s[32]);

/* 1 when s, its top bit ignored, encodes a point of order 1, 2, 4 or 8
 * (canonically or not). */
int ge25519_has_small_order(const uint8_t s[32]);

#endif
