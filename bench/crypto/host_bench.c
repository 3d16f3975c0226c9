/*
 * Host micro-benchmark of user/lib/crypto next to libsodium: Ed25519
 * verification (cycles per verify, verifies per second) and SHA-256/512
 * throughput (cycles per byte). Cycles are TSC ticks read with RDTSC
 * between LFENCEs; every figure is the median of many runs, after a warm-up.
 * Build and run: make build/bench/crypto_host && build/bench/crypto_host
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include <sodium.h>

#include "user/lib/crypto/ed25519.h"
#include "user/lib/crypto/sha256.h"
#include "user/lib/crypto/sha512.h"

#define NKEYS 64
#define MSGLEN 256

static inline uint64_t ticks(void)
{
    uint64_t t;

    _mm_lfence();
    t = __rdtsc();
    _mm_lfence();
    return t;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_u64);
    return v[n / 2];
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Ed25519 ----------------------------------------------------------------- */

static uint8_t pks[NKEYS][32], sigs[NKEYS][64], msgs[NKEYS][MSGLEN];

static int verify_ours(int i)
{
    return ae_ed25519_verify(sigs[i], msgs[i], MSGLEN, pks[i]);
}

static int verify_sodium(int i)
{
    return crypto_sign_verify_detached(sigs[i], msgs[i], MSGLEN, pks[i]);
}

struct verifier {
    const char *name;
    int (*verify)(int);
};

/* The implementations take turns run by run, so both see the same
 * interference from the rest of the machine. */
static void bench_verify(const struct verifier *v, int nv, int runs)
{
    uint64_t *c = malloc((size_t)runs * nv * sizeof(*c));
    double *rate = malloc(21 * nv * sizeof(*rate));

    for (int i = 0; i < 200; i++)           /* warm-up */
        for (int k = 0; k < nv; k++)
            if (v[k].verify(i % NKEYS) != 0)
                exit(1);
    for (int i = 0; i < runs; i++) {
        for (int k = 0; k < nv; k++) {
            uint64_t t = ticks();

            if (v[k].verify(i % NKEYS) != 0) {
                fprintf(stderr, "%s rejected a valid signature\n", v[k].name);
                exit(1);
            }
            c[k * runs + i] = ticks() - t;
        }
    }
    /* Throughput: median rate of 21 batches of 256 back-to-back verifies. */
    for (int b = 0; b < 21; b++) {
        for (int k = 0; k < nv; k++) {
            double t0 = now();

            for (int i = 0; i < 256; i++)
                v[k].verify(i % NKEYS);
            rate[k * 21 + b] = 256 / (now() - t0);
        }
    }
    for (int k = 0; k < nv; k++) {
        qsort(rate + k * 21, 21, sizeof(*rate), cmp_double);
        printf("  %-10s %10llu %12.0f\n", v[k].name,
               (unsigned long long)median(c + (size_t)k * runs, runs), rate[k * 21 + 10]);
    }
    free(c);
    free(rate);
}

/* ---- hashes ------------------------------------------------------------------- */

typedef void (*hash_fn)(const uint8_t *p, size_t n, uint8_t *out);

static void sha256_portable(const uint8_t *p, size_t n, uint8_t *out)
{
    ae_sha256_select(AE_SHA256_IMPL_PORTABLE);
    ae_sha256(p, n, out);
}

static void sha256_shani(const uint8_t *p, size_t n, uint8_t *out)
{
    ae_sha256_select(AE_SHA256_IMPL_SHANI);
    ae_sha256(p, n, out);
}

static void sha256_sodium(const uint8_t *p, size_t n, uint8_t *out)
{
    crypto_hash_sha256(out, p, n);
}

static void sha512_ours(const uint8_t *p, size_t n, uint8_t *out)
{
    ae_sha512(p, n, out);
}

static void sha512_sodium(const uint8_t *p, size_t n, uint8_t *out)
{
    crypto_hash_sha512(out, p, n);
}

struct hasher {
    const char *name;
    hash_fn fn;
};

/* Cycles per byte of each hasher for one length, taking turns as above. */
static void cycles_per_byte(const struct hasher *h, int nh, const uint8_t *buf, size_t len,
                            int runs, double *out)
{
    uint64_t *c = malloc((size_t)runs * nh * sizeof(*c));
    uint8_t digest[64];

    for (int k = 0; k < nh; k++)
        for (int i = 0; i < 3; i++)
            h[k].fn(buf, len, digest);
    for (int i = 0; i < runs; i++) {
        for (int k = 0; k < nh; k++) {
            uint64_t t = ticks();

            h[k].fn(buf, len, digest);
            c[k * runs + i] = ticks() - t;
        }
    }
    for (int k = 0; k < nh; k++)
        out[k] = (double)median(c + (size_t)k * runs, runs) / (double)len;
    free(c);
}

static void bench_hash(const struct hasher *h, int nh, const uint8_t *buf)
{
    double small[4], large[4];

    cycles_per_byte(h, nh, buf, 4096, 5000, small);
    cycles_per_byte(h, nh, buf, 1 << 20, 60, large);
    for (int k = 0; k < nh; k++)
        printf("  %-10s %8.2f %8.2f\n", h[k].name, small[k], large[k]);
}

int main(void)
{
    uint8_t *buf = malloc(1 << 20);

    if (sodium_init() < 0 || !buf)
        return 1;
    randombytes_buf(buf, 1 << 20);
    for (int i = 0; i < NKEYS; i++) {
        uint8_t sk[64];

        crypto_sign_keypair(pks[i], sk);
        randombytes_buf(msgs[i], MSGLEN);
        crypto_sign_detached(sigs[i], NULL, msgs[i], MSGLEN, sk);
    }

    {
        /* TSC rate, to relate ticks to time. */
        double t0 = now();
        uint64_t c0 = ticks();

        while (now() - t0 < 0.2)
            ;
        printf("TSC: %.2f GHz\n\n", (double)(ticks() - c0) / (now() - t0) / 1e9);
    }
    printf("Ed25519 verify, %d-byte messages, %d keys (median TSC ticks of 20000 runs)\n",
           MSGLEN, NKEYS);
    printf("  %-10s %10s %12s\n", "", "cycles", "verifies/s");
    {
        const struct verifier v[] = { { "aetheros", verify_ours }, { "libsodium", verify_sodium } };

        bench_verify(v, 2, 20000);
    }

    printf("\nSHA-256, cycles per byte (median)     4 KiB    1 MiB\n");
    {
        struct hasher h[3];
        int nh = 0;

        h[nh++] = (struct hasher){ "portable", sha256_portable };
        if (ae_sha256_have_shani())
            h[nh++] = (struct hasher){ "sha-ni", sha256_shani };
        else
            printf("  (no SHA extensions on this CPU: sha-ni not measured)\n");
        h[nh++] = (struct hasher){ "libsodium", sha256_sodium };
        bench_hash(h, nh, buf);
    }

    printf("\nSHA-512, cycles per byte (median)     4 KiB    1 MiB\n");
    {
        const struct hasher h[] = { { "aetheros", sha512_ours }, { "libsodium", sha512_sodium } };

        bench_hash(h, 2, buf);
    }
    free(buf);
    return 0;
}
