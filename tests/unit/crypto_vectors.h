/*
 * Helpers shared by the crypto unit tests: hex conversion and the NIST CAVP
 * SHA-2 response files (ShortMsg, LongMsg, Monte), read at run time from
 * Debian's python3-cryptography-vectors (installed by scripts/deps.sh). A
 * missing file fails the test: it never turns into a skip.
 */
#ifndef TESTS_UNIT_CRYPTO_VECTORS_H
#define TESTS_UNIT_CRYPTO_VECTORS_H

#include "unit.h"
#include "common/hex.h"

#define CAVP_SHA2_DIR "/usr/lib/python3/dist-packages/cryptography_vectors/hashes/SHA2/"
#define VECTORS_ED25519_DIR "/usr/lib/python3/dist-packages/cryptography_vectors/asymmetric/Ed25519/"

/* A hash under test: one-shot, writing its digest to out. */
typedef void (*hash_fn)(const void *data, size_t len, uint8_t *out);

struct hash_impl {
    const char *name;
    hash_fn fn;
};

/* Decodes exactly 2*len hex digits into out; fails the test otherwise. */
static inline void unhex(uint8_t *out, size_t len, const char *hex)
{
    for (size_t i = 0; i < len; i++) {
        int hi = ae_hex_digit(hex[2 * i]), lo = hi < 0 ? -1 : ae_hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            fail_msg("bad hex digit at %zu in \"%.40s...\"", 2 * i, hex);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
}

/* Decodes a whole hex string into a new heap block; *len gets its size. */
static inline uint8_t *unhex_alloc(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *p;

    if (n % 2)
        fail_msg("odd hex length %zu", n);
    p = malloc(n / 2 + 1);
    assert_non_null(p);
    unhex(p, n / 2, hex);
    *len = n / 2;
    return p;
}

static inline void hex_print(const char *label, const uint8_t *p, size_t len)
{
    printf("  %s (%zu) = ", label, len);
    for (size_t i = 0; i < len; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static inline FILE *open_vectors(const char *path)
{
    FILE *f = fopen(path, "r");

    if (!f)
        fail_msg("cannot open %s: the Debian package python3-cryptography-vectors "
                 "provides it (scripts/deps.sh installs it)", path);
    return f;
}

/* Reads one line without its line ending; NULL at end of file. The buffer
 * is reused across calls and freed by the caller. */
static inline char *read_line(FILE *f, char **buf, size_t *cap)
{
    ssize_t n = getline(buf, cap, f);

    if (n < 0)
        return NULL;
    while (n > 0 && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
        (*buf)[--n] = '\0';
    return *buf;
}

/* "Key = value" -> value when the line starts with key. */
static inline const char *rsp_field(const char *line, const char *key)
{
    size_t k = strlen(key);

    if (strncmp(line, key, k) != 0 || strncmp(line + k, " = ", 3) != 0)
        return NULL;
    return line + k + 3;
}

/* Runs every (Len, Msg, MD) of a ShortMsg or LongMsg file through every
 * implementation; returns the number of vectors. */
static inline int cavp_msg_file(const char *path, size_t mdlen,
                                const struct hash_impl *impls, int nimpls)
{
    FILE *f = open_vectors(path);
    char *buf = NULL;
    size_t cap = 0;
    const char *line, *v;
    long bits = -1;
    uint8_t *msg = NULL, md[64], out[64];
    size_t msglen = 0;
    int count = 0;

    assert_true(mdlen <= sizeof(md));
    while ((line = read_line(f, &buf, &cap))) {
        if ((v = rsp_field(line, "Len"))) {
            bits = strtol(v, NULL, 10);
        } else if ((v = rsp_field(line, "Msg"))) {
            free(msg);
            msg = unhex_alloc(v, &msglen);
            assert_true(bits >= 0 && bits % 8 == 0);
            msglen = (size_t)bits / 8;      /* "Msg = 00" when Len = 0 */
        } else if ((v = rsp_field(line, "MD"))) {
            assert_int_equal(strlen(v), 2 * mdlen);
            unhex(md, mdlen, v);
            for (int i = 0; i < nimpls; i++) {
                impls[i].fn(msg, msglen, out);
                if (memcmp(out, md, mdlen) != 0) {
                    hex_print("msg", msg, msglen);
                    hex_print("expected", md, mdlen);
                    hex_print("got", out, mdlen);
                    fail_msg("%s: %s wrong for Len = %ld", path, impls[i].name, bits);
                }
            }
            count++;
            bits = -1;
        }
    }
    free(msg);
    free(buf);
    fclose(f);
    return count;
}

/* The SHAVS Monte Carlo test: from the seed, each checkpoint j hashes
 * M_i = MD_{i-3} || MD_{i-2} || MD_{i-1} for i = 3..1002 starting with
 * MD_0 = MD_1 = MD_2 = seed; MD_1002 is checkpoint j and the next seed.
 * Returns the number of checkpoints. */
static inline int cavp_monte_file(const char *path, size_t mdlen, const struct hash_impl *impl)
{
    FILE *f = open_vectors(path);
    char *buf = NULL;
    size_t cap = 0;
    const char *line, *v;
    uint8_t seed[64], md[64], m[3 * 64];
    int have_seed = 0, count = 0;
    long index = -1;

    while ((line = read_line(f, &buf, &cap))) {
        if ((v = rsp_field(line, "Seed"))) {
            assert_int_equal(strlen(v), 2 * mdlen);
            unhex(seed, mdlen, v);
            have_seed = 1;
        } else if ((v = rsp_field(line, "COUNT"))) {
            index = strtol(v, NULL, 10);
            assert_int_equal(index, count);
        } else if ((v = rsp_field(line, "MD"))) {
            assert_true(have_seed);
            assert_int_equal(strlen(v), 2 * mdlen);
            unhex(md, mdlen, v);
            for (int k = 0; k < 3; k++)
                memcpy(m + k * mdlen, seed, mdlen);
            for (int i = 3; i < 1003; i++) {
                uint8_t next[64];

                impl->fn(m, 3 * mdlen, next);
                memmove(m, m + mdlen, 2 * mdlen);
                memcpy(m + 2 * mdlen, next, mdlen);
            }
            if (memcmp(m + 2 * mdlen, md, mdlen) != 0) {
                hex_print("expected", md, mdlen);
                hex_print("got", m + 2 * mdlen, mdlen);
                fail_msg("%s: %s wrong at COUNT = %d", path, impl->name, count);
            }
            memcpy(seed, md, mdlen);
            count++;
        }
    }
    free(buf);
    fclose(f);
    return count;
}

#endif
