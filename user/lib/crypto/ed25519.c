/*
 * Ed25519 verification (RFC 8032 5.1.7) with libsodium 1.0.18's strict
 * acceptance rules (ed25519.h), which callers rely on: a signature that one
 * accepts and the other refuses would let two parts of the system disagree
 * about what is signed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ed25519.h"
#include "ge25519.h"
#include "sc25519.h"
#include "sha512.h"

int ae_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len,
                      const uint8_t pk[32])
{
    const uint8_t *r = sig, *s = sig + 32;
    struct ae_sha512 h;
    uint8_t digest[AE_SHA512_SIZE], k[32], rcheck[32];
    ge25519_p3 neg_a;
    ge25519_p2 rp;

    /* Malleability: only S < L, and no small-order R, whose signatures
     * would verify for more than one key or message. */
    if (!sc25519_is_canonical(s) || ge25519_has_small_order(r))
        return -1;
    if (!ge25519_is_canonical(pk) || ge25519_has_small_order(pk))
        return -1;
    if (ge25519_frombytes_negate(&neg_a, pk) != 0)
        return -1;

    ae_sha512_init(&h);
    ae_sha512_update(&h, r, 32);
    ae_sha512_update(&h, pk, 32);
    ae_sha512_update(&h, msg, len);
    ae_sha512_final(&h, digest);
    sc25519_reduce(k, digest);

    /* [S]B - [k]A must encode to R byte for byte: comparing encodings
     * rather than points also refuses every non-canonical R. */
    ge25519_double_scalarmult_vartime(&rp, k, &neg_a, s);
    ge25519_tobytes(rcheck, &rp);
    return memcmp(rcheck, r, 32) == 0 ? 0 : -1;
}
