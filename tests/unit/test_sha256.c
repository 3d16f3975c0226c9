/*
 * Unit tests for SHA-256 (user/lib/crypto/sha256.c, sha256_ni.c): the NIST
 * CAVP vectors and FIPS 180 examples through both block functions (SHA-NI
 * when this CPU has it), incremental hashing split at every offset, and
 * random messages against libsodium.
 */
#include "crypto_vectors.h"

#include <sodium.h>

#include "user/lib/crypto/sha256.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void hash_portable(const void *p, size_t n, uint8_t *out)
{
    assert_int_equal(ae_sha256_select(AE_SHA256_IMPL_PORTABLE), 0);
    ae_sha256(p, n, out);
}

static void hash_shani(const void *p, size_t n, uint8_t *out)
{
    assert_int_equal(ae_sha256_select(AE_SHA256_IMPL_SHANI), 0);
    ae_sha256(p, n, out);
}

static struct hash_impl impls[2];
static int nimpls;

/* Both block functions when the CPU has SHA-NI, the portable one alone
 * otherwise (said once, so a run on such a host shows it). */
static int setup(void **state)
{
    static int said;

    impls[0] = (struct hash_impl){ "portable", hash_portable };
    nimpls = 1;
    if (ae_sha256_have_shani())
        impls[nimpls++] = (struct hash_impl){ "sha-ni", hash_shani };
    else if (!said++)
        printf("note: this CPU has no SHA extensions; only the portable code is tested\n");
    return sodium_init() < 0 ? -1 : 0;
}

static void check_all(const void *msg, size_t len, const char *hex)
{
    uint8_t want[32], got[32];

    unhex(want, 32, hex);
    for (int i = 0; i < nimpls; i++) {
        impls[i].fn(msg, len, got);
        if (memcmp(got, want, 32) != 0) {
            hex_print("got", got, 32);
            fail_msg("%s: wrong digest of a %zu-byte message", impls[i].name, len);
        }
    }
}

static void S256_0001_fips180_examples(void **state)
{
    char *a = malloc(1000000);

    check_all("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_all("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_all("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_non_null(a);
    memset(a, 'a', 1000000);
    check_all(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void S256_0002_cavp_short_messages(void **state)
{
    int n = cavp_msg_file(CAVP_SHA2_DIR "SHA256ShortMsg.rsp", 32, impls, nimpls);

    printf("SHA256ShortMsg: %d vectors x %d implementations\n", n, nimpls);
    assert_int_equal(n, 65);
}

static void S256_0003_cavp_long_messages(void **state)
{
    int n = cavp_msg_file(CAVP_SHA2_DIR "SHA256LongMsg.rsp", 32, impls, nimpls);

    printf("SHA256LongMsg: %d vectors x %d implementations\n", n, nimpls);
    assert_int_equal(n, 64);
}

static void S256_0004_cavp_monte_carlo(void **state)
{
    for (int i = 0; i < nimpls; i++) {
        int n = cavp_monte_file(CAVP_SHA2_DIR "SHA256Monte.rsp", 32, &impls[i]);

        printf("SHA256Monte (%s): %d checkpoints\n", impls[i].name, n);
        assert_int_equal(n, 100);
    }
}

/* Messages around the block and padding boundaries (55/56 bytes: the
 * length still fits / needs another block), hashed in two updates split at
 * every offset, and in random-sized pieces. */
static void S256_0005_incremental_every_split(void **state)
{
    static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 200, 777 };
    uint8_t msg[777], want[32], got[32];
    long checks = 0;

    rng_state = 0x5a256;
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)rng();
    for (int k = 0; k < nimpls; k++) {
        assert_int_equal(ae_sha256_select(k ? AE_SHA256_IMPL_SHANI : AE_SHA256_IMPL_PORTABLE), 0);
        for (size_t li = 0; li < N(lens); li++) {
            size_t len = lens[li];

            crypto_hash_sha256(want, msg, len);
            for (size_t cut = 0; cut <= len; cut++) {
                struct ae_sha256 s;

                ae_sha256_init(&s);
                ae_sha256_update(&s, msg, cut);
                ae_sha256_update(&s, msg + cut, len - cut);
                ae_sha256_final(&s, got);
                if (memcmp(got, want, 32) != 0)
                    fail_msg("%s: %zu bytes split at %zu", impls[k].name, len, cut);
                checks++;
            }
            for (int rep = 0; rep < 20; rep++) {
                struct ae_sha256 s;
                size_t off = 0;

                ae_sha256_init(&s);
                while (off < len) {
                    size_t piece = rng() % 70;

                    if (piece > len - off)
                        piece = len - off;
                    ae_sha256_update(&s, msg + off, piece);
                    off += piece;
                }
                ae_sha256_final(&s, got);
                if (memcmp(got, want, 32) != 0)
                    fail_msg("%s: %zu bytes in random pieces", impls[k].name, len);
                checks++;
            }
        }
    }
    printf("incremental: %ld digests checked\n", checks);
}

static void S256_0006_random_vs_libsodium(void **state)
{
    enum { COUNT = 3000, MAXLEN = 4100 };
    uint8_t *msg = malloc(MAXLEN), want[32], got[32];

    assert_non_null(msg);
    rng_state = 0x256256;
    for (int n = 0; n < COUNT; n++) {
        size_t len = n < 300 ? (size_t)n : rng() % MAXLEN;
        size_t off = rng() % 4;     /* unaligned input as well */

        if (off + len > MAXLEN)
            len = MAXLEN - off;
        for (size_t i = 0; i < len; i++)
            msg[off + i] = (uint8_t)rng();
        crypto_hash_sha256(want, msg + off, len);
        for (int k = 0; k < nimpls; k++) {
            impls[k].fn(msg + off, len, got);
            if (memcmp(got, want, 32) != 0) {
                hex_print("msg", msg + off, len);
                fail_msg("%s differs from libsodium on a %zu-byte message", impls[k].name, len);
            }
        }
    }
    printf("random: %d messages x %d implementations agree with libsodium\n", COUNT, nimpls);
    free(msg);
}

static void S256_0007_implementation_choice(void **state)
{
    int have = ae_sha256_have_shani();

    assert_int_equal(ae_sha256_select(AE_SHA256_IMPL_PORTABLE), 0);
    assert_string_equal(ae_sha256_impl_name(), "portable");
    assert_int_equal(ae_sha256_select(AE_SHA256_IMPL_SHANI), have ? 0 : -1);
    assert_string_equal(ae_sha256_impl_name(), have ? "sha-ni" : "portable");
    assert_int_equal(ae_sha256_select(AE_SHA256_IMPL_AUTO), 0);
    assert_string_equal(ae_sha256_impl_name(), have ? "sha-ni" : "portable");
    assert_int_equal(ae_sha256_select((enum ae_sha256_impl)7), -1);
    printf("CPU SHA extensions: %s\n", have ? "yes" : "no");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(S256_0001_fips180_examples, setup),
        cmocka_unit_test_setup(S256_0002_cavp_short_messages, setup),
        cmocka_unit_test_setup(S256_0003_cavp_long_messages, setup),
        cmocka_unit_test_setup(S256_0004_cavp_monte_carlo, setup),
        cmocka_unit_test_setup(S256_0005_incremental_every_split, setup),
        cmocka_unit_test_setup(S256_0006_random_vs_libsodium, setup),
        cmocka_unit_test_setup(S256_0007_implementation_choice, setup),
    };

    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
