/*
 * cryptobench: the cost of trust checks in the OS, run as init of the
 * "cryptobench" test image (bench/crypto/run.sh boots it under -icount;
 * bench/crypto/README.md). Each figure is a TSC delta around ONE operation,
 * median over the runs; for each it prints
 *
 *     cryptobench: <name> median=<cycles> min=<cycles> n=<runs> bytes=<input>
 *
 * then "cryptobench: done" and exits 0 (ending QEMU). Under -icount the TSC
 * counts instructions, so the figures repeat exactly.
 *
 *   sha256_portable_4k / _64k   SHA-256 of 4 KiB / 64 KiB, portable C
 *   sha256_shani_4k / _64k      the same with the SHA extensions, when CPUID
 *                               reports them (else a line saying so)
 *   merkle_leaf_4k              one Merkle leaf: SHA-256(0x00 || 4 KiB)
 *   merkle_root_64k             the root of 16 blocks (16 leaves, 15 nodes)
 *   ed25519_verify              one signature check (RFC 8032 test 1)
 *   ed25519_verify_bad          a check that fails at the final comparison
 */
#include <stdlib.h>
#include <string.h>

#include "aether.h"
#include "common/fmt.h"
#include "common/hex.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "trust/merkle.h"

#define N_HASH 200u
#define N_VERIFY 30u

static uint64_t *samples;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, unsigned n, uint64_t bytes)
{
    qsort(samples, n, sizeof(*samples), cmp_u64);
    ae_printf("cryptobench: %s median=%lu min=%lu n=%u bytes=%lu", name,
              (unsigned long)samples[n / 2], (unsigned long)samples[0], n,
              (unsigned long)bytes);
}

static void bench_sha(const char *name, const uint8_t *buf, size_t len)
{
    uint8_t out[32];

    for (unsigned i = 0; i < N_HASH; i++) {
        uint64_t t0 = ae_rdtsc();
        ae_sha256(buf, len, out);
        samples[i] = ae_rdtsc() - t0;
    }
    report(name, N_HASH, len);
}

int main(const struct ae_bootinfo *bi)
{
    const size_t big = 64 * 1024;
    uint8_t *buf = malloc(big), pk[32], sig[64], root[32];

    samples = malloc(N_HASH * sizeof(*samples));
    if (!buf || !samples) {
        ae_printf("cryptobench: error: out of memory");
        return 1;
    }
    for (size_t i = 0; i < big; i++)
        buf[i] = (uint8_t)(i * 131 + 7);

    ae_sha256_select(AE_SHA256_IMPL_PORTABLE);
    bench_sha("sha256_portable_4k", buf, 4096);
    bench_sha("sha256_portable_64k", buf, big);
    if (ae_sha256_select(AE_SHA256_IMPL_SHANI) == 0) {
        bench_sha("sha256_shani_4k", buf, 4096);
        bench_sha("sha256_shani_64k", buf, big);
    } else {
        ae_printf("cryptobench: sha256_shani unavailable: this CPU reports no SHA extensions");
    }
    ae_sha256_select(AE_SHA256_IMPL_AUTO);
    ae_printf("cryptobench: sha256 implementation in use: %s", ae_sha256_impl_name());

    for (unsigned i = 0; i < N_HASH; i++) {
        uint64_t t0 = ae_rdtsc();
        ae_merkle_leaf(buf, 4096, root);
        samples[i] = ae_rdtsc() - t0;
    }
    report("merkle_leaf_4k", N_HASH, 4096);
    for (unsigned i = 0; i < N_HASH; i++) {
        uint64_t t0 = ae_rdtsc();
        ae_merkle_root(buf, big, root);
        samples[i] = ae_rdtsc() - t0;
    }
    report("merkle_root_64k", N_HASH, big);

    /* RFC 8032, section 7.1, TEST 1: the empty message. */
    if (ae_hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pk, 32) ||
        ae_hex_decode("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", sig, 64)) {
        ae_printf("cryptobench: error: bad test vector");
        return 1;
    }
    for (unsigned i = 0; i < N_VERIFY; i++) {
        uint64_t t0 = ae_rdtsc();
        int r = ae_ed25519_verify(sig, "", 0, pk);
        samples[i] = ae_rdtsc() - t0;
        if (r) {
            ae_printf("cryptobench: error: RFC 8032 test 1 does not verify");
            return 1;
        }
    }
    report("ed25519_verify", N_VERIFY, 0);
    sig[0] ^= 1;
    for (unsigned i = 0; i < N_VERIFY; i++) {
        uint64_t t0 = ae_rdtsc();
        int r = ae_ed25519_verify(sig, "", 0, pk);
        samples[i] = ae_rdtsc() - t0;
        if (!r) {
            ae_printf("cryptobench: error: a changed signature verifies");
            return 1;
        }
    }
    report("ed25519_verify_bad", N_VERIFY, 0);
    ae_printf("cryptobench: tsc_hz=%lu", (unsigned long)bi->tsc_hz);
    ae_printf("cryptobench: done");
    return 0;
}
