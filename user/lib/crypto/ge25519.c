/*
 * edwards25519 point arithmetic for signature verification: decoding,
 * encoding, and [a]A + [b]B with signed sliding windows (odd multiples of A
 * computed per call, of B precomputed in ge25519_base.h).
 *
 * Formulas for a = -1 from Hisil-Wong-Carter-Dawson 2008 (sections 3.1 and
 * 3.3), arranged so every field operation stays within the limb bounds
 * stated in fe25519.h; the comments give each intermediate's bound where it
 * matters.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fe25519.h"
#include "ge25519.h"
#include "sc25519.h"
#include "ge25519_base.h"

/* Window widths of the signed digits: A's table (2^(W_A-2) odd multiples)
 * is rebuilt for every verification, B's is fixed. */
#define W_A 5
#define W_B 8
_Static_assert(sizeof(ge_base_odd) / sizeof(ge_base_odd[0]) == 1u << (W_B - 2),
               "base table size matches its window");

/* ---- conversions ---------------------------------------------------------- */

static void p1p1_to_p2(ge25519_p2 *r, const ge25519_p1p1 *p)
{
    fe25519_mul(&r->X, &p->X, &p->T);
    fe25519_mul(&r->Y, &p->Y, &p->Z);
    fe25519_mul(&r->Z, &p->Z, &p->T);
}

static void p1p1_to_p3(ge25519_p3 *r, const ge25519_p1p1 *p)
{
    fe25519_mul(&r->X, &p->X, &p->T);
    fe25519_mul(&r->Y, &p->Y, &p->Z);
    fe25519_mul(&r->Z, &p->Z, &p->T);
    fe25519_mul(&r->T, &p->X, &p->Y);
}

static void p3_to_cached(ge25519_cached *r, const ge25519_p3 *p)
{
    fe25519_add(&r->YpX, &p->Y, &p->X);         /* < 2^53 */
    fe25519_sub(&r->YmX, &p->Y, &p->X);
    r->Z = p->Z;
    fe25519_mul(&r->T2d, &p->T, &ge_d2);
}

/* ---- doubling and additions ------------------------------------------------ */

/* 2p. With A = X^2, B = Y^2, the paper's E = (X+Y)^2 - A - B, G = B - A,
 * H = -A - B, F = G - 2Z^2. This stores (E, -H, G, -F): the result's four
 * products all change sign, which leaves the projective point unchanged,
 * and every value stays non-negative without extra negations. */
static void p2_dbl(ge25519_p1p1 *r, const ge25519_p2 *p)
{
    fe25519 xx, yy, zz2, s;

    fe25519_sq(&xx, &p->X);
    fe25519_sq(&yy, &p->Y);
    fe25519_sq(&zz2, &p->Z);
    fe25519_add(&zz2, &zz2, &zz2);              /* 2Z^2 < 2^53 */
    fe25519_add(&s, &p->X, &p->Y);
    fe25519_sq(&s, &s);                         /* (X+Y)^2 */
    fe25519_add(&r->Y, &yy, &xx);               /* -H = A + B < 2^53 */
    fe25519_sub(&r->Z, &yy, &xx);               /* G */
    fe25519_sub(&r->X, &s, &r->Y);              /* E */
    fe25519_sub(&r->T, &zz2, &r->Z);            /* -F = 2Z^2 - G */
}

static void p3_dbl(ge25519_p1p1 *r, const ge25519_p3 *p)
{
    ge25519_p2 q = { p->X, p->Y, p->Z };

    p2_dbl(r, &q);
}

/* p + q or p - q (neg = 1) for q cached: A = (Y1-X1)(Y2-X2),
 * B = (Y1+X1)(Y2+X2), C = T1 2d T2, D = 2 Z1 Z2; E = B - A, F = D - C,
 * G = D + C, H = B + A, stored as (E, H, G, F). Subtracting -q swaps Y2+X2
 * with Y2-X2 and negates T2, hence the swapped roles below. */
static void add_cached(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q, int neg)
{
    fe25519 ypx, ymx, a, b, c, d;

    fe25519_add(&ypx, &p->Y, &p->X);            /* < 2^53 */
    fe25519_sub(&ymx, &p->Y, &p->X);
    fe25519_mul(&a, &ymx, neg ? &q->YpX : &q->YmX);
    fe25519_mul(&b, &ypx, neg ? &q->YmX : &q->YpX);
    fe25519_mul(&c, &p->T, &q->T2d);
    fe25519_mul(&d, &p->Z, &q->Z);
    fe25519_add(&d, &d, &d);                    /* < 2^53 */
    fe25519_sub(&r->X, &b, &a);                 /* E */
    fe25519_add(&r->Y, &b, &a);                 /* H < 2^53 */
    if (neg) {
        fe25519_sub(&r->Z, &d, &c);             /* G = D - (-C) */
        fe25519_add(&r->T, &d, &c);             /* F < 2^54 */
    } else {
        fe25519_add(&r->Z, &d, &c);             /* G < 2^54 */
        fe25519_sub(&r->T, &d, &c);             /* F */
    }
}

/* The same with q affine (Z2 = 1), so D = 2 Z1 costs no multiplication. */
static void add_niels(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_niels *q, int neg)
{
    fe25519 ypx, ymx, a, b, c, d;

    fe25519_add(&ypx, &p->Y, &p->X);
    fe25519_sub(&ymx, &p->Y, &p->X);
    fe25519_mul(&a, &ymx, neg ? &q->ypx : &q->ymx);
    fe25519_mul(&b, &ypx, neg ? &q->ymx : &q->ypx);
    fe25519_mul(&c, &p->T, &q->xy2d);
    fe25519_add(&d, &p->Z, &p->Z);              /* < 2^53 */
    fe25519_sub(&r->X, &b, &a);
    fe25519_add(&r->Y, &b, &a);
    if (neg) {
        fe25519_sub(&r->Z, &d, &c);
        fe25519_add(&r->T, &d, &c);
    } else {
        fe25519_add(&r->Z, &d, &c);
        fe25519_sub(&r->T, &d, &c);
    }
}

/* ---- double scalar multiplication ---------------------------------------- */

void ge25519_double_scalarmult_vartime(ge25519_p2 *r, const uint8_t a[32],
                                       const ge25519_p3 *A, const uint8_t b[32])
{
    int8_t da[256], db[256];
    ge25519_cached ai[1 << (W_A - 2)];        /* A, 3A, 5A, ... */
    ge25519_p1p1 t;
    ge25519_p3 u, a2;
    int i;

    sc25519_wnaf(da, a, W_A);
    sc25519_wnaf(db, b, W_B);

    p3_to_cached(&ai[0], A);
    p3_dbl(&t, A);
    p1p1_to_p3(&a2, &t);
    for (i = 1; i < (1 << (W_A - 2)); i++) {
        add_cached(&t, &a2, &ai[i - 1], 0);
        p1p1_to_p3(&u, &t);
        p3_to_cached(&ai[i], &u);
    }

    fe25519_0(&r->X);
    fe25519_1(&r->Y);
    fe25519_1(&r->Z);

    for (i = 255; i >= 0 && !da[i] && !db[i]; i--)
        ;
    for (; i >= 0; i--) {
        p2_dbl(&t, r);
        if (da[i]) {
            p1p1_to_p3(&u, &t);
            add_cached(&t, &u, &ai[(da[i] < 0 ? -da[i] : da[i]) / 2], da[i] < 0);
        }
        if (db[i]) {
            p1p1_to_p3(&u, &t);
            add_niels(&t, &u, &ge_base_odd[(db[i] < 0 ? -db[i] : db[i]) / 2], db[i] < 0);
        }
        p1p1_to_p2(r, &t);
    }
}

/* ---- encoding -------------------------------------------------------------- */

int ge25519_frombytes_negate(ge25519_p3 *h, const uint8_t s[32])
{
    fe25519 u, v, v3, vxx, t;

    /* x^2 = u/v with u = y^2 - 1, v = d y^2 + 1. The candidate root
     * x = u v^3 (u v^7)^((p-5)/8) satisfies v x^2 = +-u when u/v is a
     * square; for -u, multiplying by sqrt(-1) fixes it (RFC 8032 5.1.3). */
    fe25519_frombytes(&h->Y, s);
    fe25519_1(&h->Z);
    fe25519_sq(&u, &h->Y);
    fe25519_mul(&v, &u, &ge_d);
    fe25519_sub(&u, &u, &h->Z);
    fe25519_add(&v, &v, &h->Z);

    fe25519_sq(&v3, &v);
    fe25519_mul(&v3, &v3, &v);                  /* v^3 */
    fe25519_sq(&t, &v3);
    fe25519_mul(&t, &t, &v);                    /* v^7 */
    fe25519_mul(&t, &t, &u);                    /* u v^7 */
    fe25519_pow22523(&t, &t);
    fe25519_mul(&t, &t, &v3);
    fe25519_mul(&h->X, &t, &u);                 /* u v^3 (u v^7)^((p-5)/8) */

    fe25519_sq(&vxx, &h->X);
    fe25519_mul(&vxx, &vxx, &v);
    fe25519_sub(&t, &vxx, &u);
    if (!fe25519_iszero(&t)) {
        fe25519_add(&t, &vxx, &u);
        if (!fe25519_iszero(&t))
            return -1;
        fe25519_mul(&h->X, &h->X, &ge_sqrtm1);
    }

    /* Pick the root whose parity differs from the sign bit: that is -x of
     * the encoded point. x = 0 stays 0 whatever the sign bit says. */
    if (fe25519_isnegative(&h->X) == (s[31] >> 7))
        fe25519_neg(&h->X, &h->X);
    fe25519_mul(&h->T, &h->X, &h->Y);
    return 0;
}

void ge25519_tobytes(uint8_t s[32], const ge25519_p2 *h)
{
    fe25519 recip, x, y;

    fe25519_invert(&recip, &h->Z);
    fe25519_mul(&x, &h->X, &recip);
    fe25519_mul(&y, &h->Y, &recip);
    fe25519_tobytes(s, &y);
    s[31] |= (uint8_t)(fe25519_isnegative(&x) << 7);
}

int ge25519_is_canonical(const uint8_t s[32])
{
    /* p = 2^255 - 19: y >= p only when bits 8..254 are all ones and the low
     * byte is 0xed or more. */
    if ((s[31] & 0x7f) != 0x7f)
        return 1;
    for (int i = 30; i > 0; i--)
        if (s[i] != 0xff)
            return 1;
    return s[0] < 0xed;
}

int ge25519_has_small_order(const uint8_t s[32])
{
    for (size_t i = 0; i < sizeof(ge_small_order_y) / sizeof(ge_small_order_y[0]); i++) {
        const uint8_t *y = ge_small_order_y[i];

        if (memcmp(s, y, 31) == 0 && (s[31] & 0x7f) == y[31])
            return 1;
    }
    return 0;
}
