/* SHA-512 (FIPS 180-4), freestanding: Ed25519 hashes with it. */
#ifndef AE_CRYPTO_SHA512_H
#define AE_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define AE_SHA512_SIZE 64
#define AE_SHA512_BLOCK 128

struct ae_sha512 {
    uint64_t h[8];
    uint64_t len;               /* bytes hashed so far (messages < 2^61 bytes) */
    uint8_t buf[AE_SHA512_BLOCK];
    uint32_t nbuf;
};

void ae_sha512_init(struct ae_sha512 *s);
void ae_sha512_update(struct ae_sha512 *s, const void *data, size_t len);
void ae_sha512_final(struct ae_sha512 *s, uint8_t out[AE_SHA512_SIZE]);
void ae_sha512(const void *data, size_t len, uint8_t out[AE_SHA512_SIZE]);

#endif
