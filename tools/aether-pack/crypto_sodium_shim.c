/*
 * TEMPORARY: SHA-256 and Ed25519 verification on top of libsodium, standing
 * in for user/lib/crypto/{sha256,sha512,ed25519,...}.c until that branch is
 * merged. Only the functions the trust library calls are here. It is named
 * by CRYPTO_SRCS in the Makefile and nowhere else: swapping the real files
 * in is a change to that one line, after which this file is deleted.
 */
#include <string.h>

#include <sodium.h>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

/* libsodium's state is carried inside struct ae_sha256 and copied in and
 * out (no type punning), which needs it to fit. */
_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(struct ae_sha256),
               "libsodium SHA-256 state fits struct ae_sha256");

static void shim_init(void)
{
    static int done;

    if (!done && sodium_init() >= 0)
        done = 1;
}

void ae_sha256_init(struct ae_sha256 *s)
{
    crypto_hash_sha256_state st;

    shim_init();
    crypto_hash_sha256_init(&st);
    memset(s, 0, sizeof(*s));
    memcpy(s, &st, sizeof(st));
}

void ae_sha256_update(struct ae_sha256 *s, const void *data, size_t len)
{
    crypto_hash_sha256_state st;

    memcpy(&st, s, sizeof(st));
    crypto_hash_sha256_update(&st, data, len);
    memcpy(s, &st, sizeof(st));
}

void ae_sha256_final(struct ae_sha256 *s, uint8_t out[AE_SHA256_SIZE])
{
    crypto_hash_sha256_state st;

    memcpy(&st, s, sizeof(st));
    crypto_hash_sha256_final(&st, out);
    memset(s, 0, sizeof(*s));
}

void ae_sha256(const void *data, size_t len, uint8_t out[AE_SHA256_SIZE])
{
    static const uint8_t nothing;

    shim_init();
    crypto_hash_sha256(out, len ? data : &nothing, len);
}

int ae_ed25519_verify(const uint8_t sig[64], const void *msg, size_t len,
                      const uint8_t pk[32])
{
    static const uint8_t nothing;

    shim_init();
    return crypto_sign_verify_detached(sig, len ? msg : &nothing, len, pk) == 0 ? 0 : -1;
}
