/*
 * Unit tests for SHA-512 (user/lib/crypto/sha512.c): the NIST CAVP vectors,
 * FIPS 180 examples, incremental hashing split at every offset, and random
 * messages against libsodium.
 */
#include "crypto_vectors.h"

#include <sodium.h>

#include "user/lib/crypto/sha512.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct hash_impl impl = { "sha512", ae_sha512 };

static int setup(void **state)
{
    return sodium_init() < 0 ? -1 : 0;
}

static void check(const void *msg, size_t len, const char *hex)
{
    uint8_t want[64], got[64];

    unhex(want, 64, hex);
    ae_sha512(msg, len, got);
    if (memcmp(got, want, 64) != 0) {
        hex_print("got", got, 64);
        fail_msg("wrong digest of a %zu-byte message", len);
    }
}

static void S512_0001_fips180_examples(void **state)
{
    char *a = malloc(1000000);

    check("abc", 3, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
          "klmnopqrlmnopqrsmnopqrstnopqrstu", 112,
          "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
          "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
          "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
          "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
    check("", 0, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    assert_non_null(a);
    memset(a, 'a', 1000000);
    check(a, 1000000, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    free(a);
}

static void S512_0002_cavp_short_messages(void **state)
{
    int n = cavp_msg_file(CAVP_SHA2_DIR "SHA512ShortMsg.rsp", 64, &impl, 1);

    printf("SHA512ShortMsg: %d vectors\n", n);
    assert_int_equal(n, 129);
}

static void S512_0003_cavp_long_messages(void **state)
{
    int n = cavp_msg_file(CAVP_SHA2_DIR "SHA512LongMsg.rsp", 64, &impl, 1);

    printf("SHA512LongMsg: %d vectors\n", n);
    assert_int_equal(n, 128);
}

static void S512_0004_cavp_monte_carlo(void **state)
{
    int n = cavp_monte_file(CAVP_SHA2_DIR "SHA512Monte.rsp", 64, &impl);

    printf("SHA512Monte: %d checkpoints\n", n);
    assert_int_equal(n, 100);
}

/* Around the 128-byte block and the 112-byte padding limit. */
static void S512_0005_incremental_every_split(void **state)
{
    static const size_t lens[] = { 0, 1, 111, 112, 127, 128, 129, 239, 240, 255, 256, 257, 1000 };
    uint8_t msg[1000], want[64], got[64];
    long checks = 0;

    rng_state = 0x5a512;
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)rng();
    for (size_t li = 0; li < N(lens); li++) {
        size_t len = lens[li];

        crypto_hash_sha512(want, msg, len);
        for (size_t cut = 0; cut <= len; cut++) {
            struct ae_sha512 s;

            ae_sha512_init(&s);
            ae_sha512_update(&s, msg, cut);
            ae_sha512_update(&s, msg + cut, len - cut);
            ae_sha512_final(&s, got);
            if (memcmp(got, want, 64) != 0)
                fail_msg("%zu bytes split at %zu", len, cut);
            checks++;
        }
        for (int rep = 0; rep < 20; rep++) {
            struct ae_sha512 s;
            size_t off = 0;

            ae_sha512_init(&s);
            while (off < len) {
                size_t piece = rng() % 140;

                if (piece > len - off)
                    piece = len - off;
                ae_sha512_update(&s, msg + off, piece);
                off += piece;
            }
            ae_sha512_final(&s, got);
            if (memcmp(got, want, 64) != 0)
                fail_msg("%zu bytes in random pieces", len);
            checks++;
        }
    }
    printf("incremental: %ld digests checked\n", checks);
}

static void S512_0006_random_vs_libsodium(void **state)
{
    enum { COUNT = 3000, MAXLEN = 4100 };
    uint8_t *msg = malloc(MAXLEN), want[64], got[64];

    assert_non_null(msg);
    rng_state = 0x512512;
    for (int n = 0; n < COUNT; n++) {
        size_t len = n < 300 ? (size_t)n : rng() % MAXLEN;
        size_t off = rng() % 8;

        if (off + len > MAXLEN)
            len = MAXLEN - off;
        for (size_t i = 0; i < len; i++)
            msg[off + i] = (uint8_t)rng();
        crypto_hash_sha512(want, msg + off, len);
        ae_sha512(msg + off, len, got);
        if (memcmp(got, want, 64) != 0) {
            hex_print("msg", msg + off, len);
            fail_msg("differs from libsodium on a %zu-byte message", len);
        }
    }
    printf("random: %d messages agree with libsodium\n", COUNT);
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(S512_0001_fips180_examples, setup),
        cmocka_unit_test_setup(S512_0002_cavp_short_messages, setup),
        cmocka_unit_test_setup(S512_0003_cavp_long_messages, setup),
        cmocka_unit_test_setup(S512_0004_cavp_monte_carlo, setup),
        cmocka_unit_test_setup(S512_0005_incremental_every_split, setup),
        cmocka_unit_test_setup(S512_0006_random_vs_libsodium, setup),
    };

    return cmocka_run_group_tests_name("sha512", tests, NULL, NULL);
}
