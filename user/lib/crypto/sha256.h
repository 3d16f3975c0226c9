/*
 * SHA-256 (FIPS 180-4), freestanding: used by user space (init, AetherFS)
 * and by the host tools, so it includes nothing beyond the compiler's own
 * headers. On x86-64 the block function uses the SHA extensions (SHA-NI)
 * when CPUID reports them, a portable C loop otherwise.
 */
#ifndef AE_CRYPTO_SHA256_H
#define AE_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define AE_SHA256_SIZE 32
#define AE_SHA256_BLOCK 64

struct ae_sha256 {
    uint32_t h[8];
    uint64_t len;               /* bytes hashed so far */
    uint8_t buf[AE_SHA256_BLOCK];
    uint32_t nbuf;
};

void ae_sha256_init(struct ae_sha256 *s);
void ae_sha256_update(struct ae_sha256 *s, const void *data, size_t len);
void ae_sha256_final(struct ae_sha256 *s, uint8_t out[AE_SHA256_SIZE]);
void ae_sha256(const void *data, size_t len, uint8_t out[AE_SHA256_SIZE]);

/* Which block function runs: AE_SHA256_IMPL_AUTO picks SHA-NI when the CPU
 * has it. Forcing SHA-NI on a CPU without it is refused (returns -1). */
enum ae_sha256_impl { AE_SHA256_IMPL_AUTO, AE_SHA256_IMPL_PORTABLE, AE_SHA256_IMPL_SHANI };
int ae_sha256_select(enum ae_sha256_impl impl);
int ae_sha256_have_shani(void);
const char *ae_sha256_impl_name(void);   /* "sha-ni" or "portable" */

#endif
