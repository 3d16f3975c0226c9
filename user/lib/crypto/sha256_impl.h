/*
 * Internal to sha256.c and sha256_ni.c: the two block functions and the
 * round constants they share. A block function hashes nblocks consecutive
 * 64-byte blocks into h; the caller does the padding.
 */
#ifndef AE_CRYPTO_SHA256_IMPL_H
#define AE_CRYPTO_SHA256_IMPL_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t ae_sha256_k[64];

void ae_sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks);

/* Defined by sha256_ni.c. On a CPU (or a build) without SHA-NI,
 * ae_sha256_cpu_has_shani() returns 0 and the block function is never
 * called. */
int ae_sha256_cpu_has_shani(void);
void ae_sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks);

#endif
