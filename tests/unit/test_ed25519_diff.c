/*
 * Differential test of ae_ed25519_verify against libsodium 1.0.18's
 * crypto_sign_verify_detached: random keys and messages (deterministic
 * seed) signed by libsodium, each verified as is and after mutations aimed
 * at every acceptance rule. The two must agree on every single case; the
 * first disagreement fails the test and prints the case in hex.
 */
#include "ed25519_helpers.h"

#include <time.h>

#define ITERATIONS 10000
#define MAXMSG 300

enum kind {
    K_VALID, K_SIG_BIT, K_PK_BIT, K_MSG_BIT, K_SIG_BYTE, K_PK_BYTE, K_MSG_CHANGE,
    K_S_PLUS_L, K_S_PLUS_JL, K_S_RANDOM, K_R_SMALL, K_PK_SMALL, K_PK_RANDOM,
    K_SIG_RANDOM, K_PK_NONCANON, K_R_NONCANON, K_R_OTHER, K_MIXED_PK, NKINDS
};

static const char *const kind_name[NKINDS] = {
    [K_VALID] = "valid signature",
    [K_SIG_BIT] = "signature bit flipped",
    [K_PK_BIT] = "key bit flipped",
    [K_MSG_BIT] = "message bit flipped",
    [K_SIG_BYTE] = "signature byte replaced",
    [K_PK_BYTE] = "key byte replaced",
    [K_MSG_CHANGE] = "message cut or extended",
    [K_S_PLUS_L] = "S + L",
    [K_S_PLUS_JL] = "S + jL, j = 2..15",
    [K_S_RANDOM] = "S random 256 bits",
    [K_R_SMALL] = "R small-order encoding",
    [K_PK_SMALL] = "key small-order encoding",
    [K_PK_RANDOM] = "key random 32 bytes",
    [K_SIG_RANDOM] = "signature random 64 bytes",
    [K_PK_NONCANON] = "key y >= p",
    [K_R_NONCANON] = "R y >= p",
    [K_R_OTHER] = "R of another signature",
    [K_MIXED_PK] = "mixed-order key A + T",
};

static long verdicts[NKINDS][2];   /* [kind][0 accepted, 1 rejected] */
static int iteration;

static int setup(void **state)
{
    return sodium_init() < 0 ? -1 : 0;
}

static void check(enum kind kind, const uint8_t sig[64], const uint8_t *msg, size_t len,
                  const uint8_t pk[32])
{
    int ours = ae_ed25519_verify(sig, msg, len, pk);
    int ref = sodium_verify(sig, msg, len, pk);

    if (ours != ref) {
        print_case(kind_name[kind], pk, msg, len, sig);
        fail_msg("iteration %d, %s: ours %s, libsodium %s", iteration, kind_name[kind],
                 ours ? "rejects" : "accepts", ref ? "rejects" : "accepts");
    }
    verdicts[kind][ours != 0]++;
}

/* A y >= p encoding: every bit of 8..254 set, the low byte 0xed..0xff. */
static void noncanonical_y(uint8_t out[32])
{
    memset(out, 0xff, 32);
    out[0] = (uint8_t)(0xed + rng() % 19);
    out[31] = (rng() & 1) ? 0xff : 0x7f;
}

static void EDD0001_differential(void **state)
{
    struct timespec t0, t1;
    uint8_t prev_r[32] = { 0 };
    long total = 0, accepted = 0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rng_state = 0xd1ff25519;
    for (iteration = 0; iteration < ITERATIONS; iteration++) {
        struct ed_key k;
        uint8_t seed[32], msg[MAXMSG + 1], sig[64], bad[64], pk[32], m2[MAXMSG + 1];
        size_t len = rng() % (MAXMSG + 1);

        rand_bytes(seed, 32);
        rand_bytes(msg, len);
        ed_key_from_seed(&k, seed);
        crypto_sign_detached(sig, NULL, msg, len, k.sk);
        check(K_VALID, sig, msg, len, k.pk);

        memcpy(bad, sig, 64);
        bad[rng() % 64] ^= (uint8_t)(1 << (rng() % 8));
        check(K_SIG_BIT, bad, msg, len, k.pk);

        memcpy(pk, k.pk, 32);
        pk[rng() % 32] ^= (uint8_t)(1 << (rng() % 8));
        check(K_PK_BIT, sig, msg, len, pk);

        if (len) {
            memcpy(m2, msg, len);
            m2[rng() % len] ^= (uint8_t)(1 << (rng() % 8));
            check(K_MSG_BIT, sig, m2, len, k.pk);
        }

        /* XOR with 1..255: the byte always changes. */
        memcpy(bad, sig, 64);
        bad[rng() % 64] ^= (uint8_t)(1 + rng() % 255);
        check(K_SIG_BYTE, bad, msg, len, k.pk);

        memcpy(pk, k.pk, 32);
        pk[rng() % 32] ^= (uint8_t)(1 + rng() % 255);
        check(K_PK_BYTE, sig, msg, len, pk);

        memcpy(m2, msg, len);
        m2[len] = (uint8_t)rng();
        check(K_MSG_CHANGE, sig, m2, len ? len - 1 + 2 * (rng() & 1) : 1, k.pk);

        memcpy(bad, sig, 64);
        assert_int_equal(add256(bad + 32, sig + 32, ED_L), 0);
        check(K_S_PLUS_L, bad, msg, len, k.pk);

        {
            /* S + jL for a random j that still fits in 256 bits. */
            unsigned j = 2 + rng() % 14;

            memcpy(bad, sig, 64);
            for (unsigned i = 0; i < j; i++)
                if (add256(bad + 32, bad + 32, ED_L))
                    break;
            check(K_S_PLUS_JL, bad, msg, len, k.pk);
        }

        memcpy(bad, sig, 64);
        rand_bytes(bad + 32, 32);
        if (rng() & 1)
            bad[63] &= 0x1f;        /* half of them below 2^253, near L */
        check(K_S_RANDOM, bad, msg, len, k.pk);

        memcpy(bad, sig, 64);
        small_order_enc(bad, (int)(rng() % N_SMALL_ORDER), NULL);
        check(K_R_SMALL, bad, msg, len, k.pk);

        small_order_enc(pk, (int)(rng() % N_SMALL_ORDER), NULL);
        check(K_PK_SMALL, sig, msg, len, pk);

        rand_bytes(pk, 32);
        check(K_PK_RANDOM, sig, msg, len, pk);

        rand_bytes(bad, 64);
        check(K_SIG_RANDOM, bad, msg, len, k.pk);

        noncanonical_y(pk);
        check(K_PK_NONCANON, sig, msg, len, pk);

        memcpy(bad, sig, 64);
        noncanonical_y(bad);
        check(K_R_NONCANON, bad, msg, len, k.pk);

        memcpy(bad, sig, 64);
        memcpy(bad, prev_r, 32);
        check(K_R_OTHER, bad, msg, len, k.pk);
        memcpy(prev_r, sig, 32);

        {
            /* A + T, T of order 2, 4 or 8: a holder of a signs for it, and
             * the cofactorless equation holds only when [k]T = 0. */
            uint8_t t[32];
            int order;

            do
                small_order_enc(t, (int)(rng() % N_SMALL_ORDER), &order);
            while (order == 1);
            if (crypto_core_ed25519_add(pk, k.pk, t) == 0) {
                ed_sign_as(bad, msg, len, k.a, pk);
                check(K_MIXED_PK, bad, msg, len, pk);
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    printf("%-28s %9s %9s\n", "case", "accepted", "rejected");
    for (int i = 0; i < NKINDS; i++) {
        printf("%-28s %9ld %9ld\n", kind_name[i], verdicts[i][0], verdicts[i][1]);
        total += verdicts[i][0] + verdicts[i][1];
        accepted += verdicts[i][0];
    }
    printf("%d keys and messages, %ld cases: %ld accepted, %ld rejected, all as libsodium; "
           "%.1f s\n", ITERATIONS, total, accepted, total - accepted,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    /* Every valid signature was accepted, some mixed-order ones too. */
    assert_int_equal(verdicts[K_VALID][0], ITERATIONS);
    assert_true(verdicts[K_MIXED_PK][0] > 0 && verdicts[K_MIXED_PK][1] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(EDD0001_differential, setup),
    };

    return cmocka_run_group_tests_name("ed25519_diff", tests, NULL, NULL);
}
