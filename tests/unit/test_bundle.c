/*
 * Unit tests for the trust library (user/lib/trust): bundles, directories,
 * trust roots and their rotation, the k-of-n rule, rollback marks and
 * version text. Bundles and roots are built here byte by byte from the
 * offsets docs/BUNDLE.md gives (not from the library's structs), keys are
 * made and messages signed with libsodium, so the tests also pin the
 * on-disk format.
 */
#include "unit.h"

#include <sodium.h>

#include "user/lib/trust/bundle.h"
#include "user/lib/trust/merkle.h"
#include "user/lib/trust/trustroot.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define BLOCK 4096u
#define HDR 4096u

/* Header offsets (docs/BUNDLE.md). */
#define H_MAGIC 0
#define H_FORMAT 8
#define H_HDRSIZE 12
#define H_NAME 16
#define H_VERSION 48
#define H_PAYLOAD 56
#define H_ROOT 64
#define H_NSIGS 96
#define H_RESERVED 100
#define H_SIGS 104
#define SIGSZ 96
/* Directory offsets, in payload block 0. */
#define D_NFILES 8
#define D_RESERVED 12
#define D_ENTRIES 64
#define E_SIZE 64
#define E_OFFSET 48
#define E_LEN 56
/* Trust root offsets. */
#define T_VERSION 12
#define T_THRESHOLD 16
#define T_NKEYS 20
#define T_NSIGS 24
#define T_RESERVED 28
#define T_KEYS 32
#define T_MAX (32 + 16 * 32 + 32 * 96)

/* ---- bytes -------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- keys ------------------------------------------------------------- */

#define NKEYS 8
static struct {
    uint8_t pk[32], sk[64];
} key[NKEYS];

static int setup_keys(void **state)
{
    for (int i = 0; i < NKEYS; i++) {
        uint8_t seed[32];
        memset(seed, 0x11 * (i + 1), sizeof(seed));
        crypto_sign_seed_keypair(key[i].pk, key[i].sk, seed);
    }
    return 0;
}

/* ---- bundles ---------------------------------------------------------- */

struct tfile {
    const char *name;
    size_t size;
};

static const char manifest_text[] = "name = demo\nversion = 1.2.3\nbinary = demo.elf\nmemory = 1M\n";

/* Canonical layout: each file at the first block boundary after the one
 * before (the first at 4096); the payload ends with the last file. File
 * contents are pseudo-random; "manifest" gets manifest_text. */
static uint8_t *make_bundle(const char *name, uint64_t version, const struct tfile *f, int n,
                            size_t *len)
{
    uint64_t pos = BLOCK, offs[64];
    uint8_t *b, *pl;

    for (int i = 0; i < n; i++) {
        offs[i] = (pos + BLOCK - 1) / BLOCK * BLOCK;
        pos = offs[i] + f[i].size;
    }
    *len = HDR + pos;
    b = calloc(1, *len);
    assert_non_null(b);
    pl = b + HDR;
    memcpy(pl, "AEBDIR\0\0", 8);
    put32(pl + D_NFILES, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint8_t *e = pl + D_ENTRIES + i * E_SIZE;
        memcpy(e, f[i].name, strlen(f[i].name));
        put64(e + E_OFFSET, offs[i]);
        put64(e + E_LEN, f[i].size);
        if (strcmp(f[i].name, "manifest") == 0 && f[i].size == strlen(manifest_text))
            memcpy(pl + offs[i], manifest_text, f[i].size);
        else
            for (size_t j = 0; j < f[i].size; j++)
                pl[offs[i] + j] = (uint8_t)rng();
    }
    memcpy(b + H_MAGIC, "AEBUNDLE", 8);
    put32(b + H_FORMAT, 1);
    put32(b + H_HDRSIZE, HDR);
    memcpy(b + H_NAME, name, strlen(name));
    put64(b + H_VERSION, version);
    put64(b + H_PAYLOAD, pos);
    ae_merkle_root(pl, pos, b + H_ROOT);
    return b;
}

/* The 96-byte message of docs/BUNDLE.md, from the header's bytes. */
static void bundle_msg(const uint8_t *b, uint8_t msg[96])
{
    memset(msg, 0, 96);
    memcpy(msg, "AetherOS bundle", 15);
    put32(msg + 16, 1);
    memcpy(msg + 24, b + H_VERSION, 8);
    memcpy(msg + 32, b + H_NAME, 32);
    memcpy(msg + 64, b + H_ROOT, 32);
}

static void add_raw_sig(uint8_t *b, const uint8_t pk[32], const uint8_t sig[64])
{
    uint32_t n = get32(b + H_NSIGS);

    memcpy(b + H_SIGS + n * SIGSZ, pk, 32);
    memcpy(b + H_SIGS + n * SIGSZ + 32, sig, 64);
    put32(b + H_NSIGS, n + 1);
}

static void sign_bundle(uint8_t *b, int k)
{
    uint8_t msg[96], sig[64];

    bundle_msg(b, msg);
    crypto_sign_detached(sig, NULL, msg, sizeof(msg), key[k].sk);
    add_raw_sig(b, key[k].pk, sig);
}

/* Re-hashes the payload after a test changed it on purpose. */
static void reroot(uint8_t *b, size_t len)
{
    ae_merkle_root(b + HDR, len - HDR, b + H_ROOT);
}

static const struct tfile demo_files[] = {
    {"README", 100}, {"demo.elf", 5000}, {"empty", 0}, {"manifest", sizeof(manifest_text) - 1},
};

static uint8_t *demo_bundle(size_t *len)
{
    return make_bundle("demo", AE_BUNDLE_VERSION(1, 2, 3), demo_files, N(demo_files), len);
}

/* ---- trust roots -------------------------------------------------------- */

struct troot {
    uint8_t b[T_MAX];
    size_t len;
};

static void make_root(struct troot *t, uint32_t version, uint32_t threshold, const int *keys,
                      int nkeys)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->b, "AETRUST\0", 8);
    put32(t->b + 8, 1);
    put32(t->b + T_VERSION, version);
    put32(t->b + T_THRESHOLD, threshold);
    put32(t->b + T_NKEYS, (uint32_t)nkeys);
    for (int i = 0; i < nkeys; i++)
        memcpy(t->b + T_KEYS + 32 * i, key[keys[i]].pk, 32);
    t->len = T_KEYS + 32 * (size_t)nkeys;
}

/* The 48-byte message: domain, SHA-256(header with nsigs 0 || keys). */
static void root_msg(const struct troot *t, uint8_t msg[48])
{
    uint8_t body[32 + 16 * 32];
    uint32_t nkeys = get32(t->b + T_NKEYS);

    memcpy(body, t->b, 32 + 32 * nkeys);
    put32(body + T_NSIGS, 0);
    memset(msg, 0, 48);
    memcpy(msg, "AetherOS trust", 14);
    crypto_hash_sha256(msg + 16, body, 32 + 32 * nkeys);
}

static void add_root_raw_sig(struct troot *t, const uint8_t pk[32], const uint8_t sig[64])
{
    memcpy(t->b + t->len, pk, 32);
    memcpy(t->b + t->len + 32, sig, 64);
    t->len += SIGSZ;
    put32(t->b + T_NSIGS, get32(t->b + T_NSIGS) + 1);
}

static void sign_root(struct troot *t, int k)
{
    uint8_t msg[48], sig[64];

    root_msg(t, msg);
    crypto_sign_detached(sig, NULL, msg, sizeof(msg), key[k].sk);
    add_root_raw_sig(t, key[k].pk, sig);
}

static struct ae_trust_root parsed(const struct troot *t)
{
    struct ae_trust_root r;

    assert_int_equal(ae_trust_parse(t->b, t->len, &r), 0);
    return r;
}

/* 2 of keys 0, 1, 2, version 1. */
static struct ae_trust_root root_2of3(void)
{
    static const int k[] = {0, 1, 2};
    struct troot t;

    make_root(&t, 1, 2, k, 3);
    return parsed(&t);
}

/* ---- bundles: verification ------------------------------------------------- */

static void BND0001_signed_bundle_verifies(void **state)
{
    struct ae_trust_root root = root_2of3();
    struct ae_bundle_info info;
    size_t len;
    uint8_t *b;

    rng_state = 1;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    sign_bundle(b, 2);
    assert_int_equal(ae_bundle_verify(b, len, &root, &info), 0);
    assert_string_equal(info.name, "demo");
    assert_int_equal(info.version, AE_BUNDLE_VERSION(1, 2, 3));
    assert_int_equal(info.payload_size, len - HDR);
    assert_memory_equal(info.root, b + H_ROOT, 32);
    assert_int_equal(info.nsigs, 2);
    assert_memory_equal(info.sigs[1].key, key[2].pk, 32);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);

    uint32_t signers = 0;
    assert_int_equal(ae_bundle_check_sigs(&info, &root, &signers), 0);
    assert_int_equal(signers, 0x5);
    free(b);
}

static const char *err_name(int e)
{
    switch (e) {
    case AE_ERR_CORRUPT: return "corrupt";
    case AE_ERR_BAD_SIGNATURE: return "bad signature";
    case AE_ERR_UNKNOWN_KEY: return "unknown key";
    case AE_ERR_TOO_FEW_SIGNERS: return "too few signers";
    case AE_ERR_ROOT_MISMATCH: return "root mismatch";
    default: return "other";
    }
}

/* Every byte of a bundle signed by exactly its threshold matters: header,
 * signatures, the zero tail of the header block, directory, files and
 * padding. */
static void BND0002_every_single_byte_change_is_refused(void **state)
{
    static const int classes[] = {AE_ERR_CORRUPT, AE_ERR_BAD_SIGNATURE, AE_ERR_UNKNOWN_KEY,
                                  AE_ERR_TOO_FEW_SIGNERS, AE_ERR_ROOT_MISMATCH};
    struct ae_trust_root root = root_2of3();
    unsigned seen[N(classes)] = {0}, hdr_seen[N(classes)] = {0};
    size_t len;
    uint8_t *b;

    rng_state = 2;
    b = demo_bundle(&len);
    sign_bundle(b, 1);
    sign_bundle(b, 0);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    for (size_t i = 0; i < len; i++) {
        /* A random change, and the lowest bit (nsigs 2 -> 3 exposes a zero
         * slot, the case that needs the no-zero-key rule). */
        uint8_t deltas[2] = {(uint8_t)(1 + rng() % 255), 1};
        for (int d = 0; d < 2; d++) {
            int e;
            size_t c;

            b[i] ^= deltas[d];
            e = ae_bundle_verify(b, len, &root, NULL);
            b[i] ^= deltas[d];
            if (e == 0)
                fail_msg("byte %zu ^ 0x%02x still verifies", i, deltas[d]);
            for (c = 0; c < N(classes) && classes[c] != e; c++)
                ;
            if (c == N(classes))
                fail_msg("byte %zu: unexpected error %d", i, e);
            seen[c]++;
            if (i < HDR)
                hdr_seen[c]++;
            else if (e != AE_ERR_ROOT_MISMATCH)
                fail_msg("payload byte %zu: %s, not root mismatch", i, err_name(e));
        }
    }
    print_message("%zu bytes x 2 changes:", len);
    for (size_t c = 0; c < N(classes); c++)
        print_message(" %s %u (header block %u);", err_name(classes[c]), seen[c], hdr_seen[c]);
    print_message("\n");
    assert_true(seen[0] && seen[1] && seen[2] && seen[4]);
    /* One byte more or less. */
    assert_int_not_equal(ae_bundle_verify(b, len - 1, &root, NULL), 0);
    uint8_t *longer = calloc(1, len + 1);
    memcpy(longer, b, len);
    assert_int_equal(ae_bundle_verify(longer, len + 1, &root, NULL), AE_ERR_CORRUPT);
    free(longer);
    free(b);
}

static void BND0003_below_threshold(void **state)
{
    struct ae_trust_root root = root_2of3();
    uint32_t signers = 9;
    struct ae_bundle_info info;
    size_t len;
    uint8_t *b;

    rng_state = 3;
    b = demo_bundle(&len);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_TOO_FEW_SIGNERS);
    sign_bundle(b, 1);
    assert_int_equal(ae_bundle_verify(b, len, &root, &info), AE_ERR_TOO_FEW_SIGNERS);
    assert_string_equal(info.name, "demo");     /* filled for the message */
    assert_int_equal(ae_bundle_check_sigs(&info, &root, &signers), AE_ERR_TOO_FEW_SIGNERS);
    assert_int_equal(signers, 0x2);
    free(b);
}

static void BND0004_unknown_key(void **state)
{
    struct ae_trust_root root = root_2of3();
    size_t len;
    uint8_t *b;

    rng_state = 4;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    sign_bundle(b, 5);          /* valid, but not a key of the root */
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_UNKNOWN_KEY);
    sign_bundle(b, 6);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_UNKNOWN_KEY);
    /* Enough trusted signers: extra unknown ones do no harm. */
    sign_bundle(b, 1);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    free(b);
}

static void BND0005_bad_signature_by_listed_key(void **state)
{
    struct ae_trust_root root = root_2of3();
    uint8_t msg[96], sig[64];
    size_t len;
    uint8_t *b;

    rng_state = 5;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    bundle_msg(b, msg);
    crypto_sign_detached(sig, NULL, msg, sizeof(msg), key[1].sk);
    sig[10] ^= 4;
    add_raw_sig(b, key[1].pk, sig);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_BAD_SIGNATURE);
    /* A bad signature by a listed key outranks an unknown key. */
    sign_bundle(b, 5);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_BAD_SIGNATURE);
    /* Key 1 signing for real, after its bad one, counts. */
    sign_bundle(b, 1);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    free(b);

    /* A listed key's signature of another message (a different version). */
    rng_state = 5;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    put64(b + H_VERSION, AE_BUNDLE_VERSION(1, 2, 4));
    sign_bundle(b, 1);
    put64(b + H_VERSION, AE_BUNDLE_VERSION(1, 2, 3));
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_BAD_SIGNATURE);
    free(b);
}

static void BND0006_duplicate_signer_counts_once(void **state)
{
    struct ae_trust_root root = root_2of3();
    struct ae_bundle_info info;
    uint32_t signers = 0;
    size_t len;
    uint8_t *b;

    rng_state = 6;
    b = demo_bundle(&len);
    sign_bundle(b, 2);
    sign_bundle(b, 2);
    sign_bundle(b, 2);
    assert_int_equal(ae_bundle_verify(b, len, &root, &info), AE_ERR_TOO_FEW_SIGNERS);
    assert_int_equal(ae_bundle_check_sigs(&info, &root, &signers), AE_ERR_TOO_FEW_SIGNERS);
    assert_int_equal(signers, 0x4);
    sign_bundle(b, 0);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    free(b);
}

/* Signatures are not part of the identity: adding one keeps root and
 * message; a damaged signature beyond the threshold is tolerated (TUF). */
static void BND0007_more_signatures_than_needed(void **state)
{
    struct ae_trust_root root = root_2of3();
    struct ae_bundle_info info;
    uint8_t before[32];
    size_t len;
    uint8_t *b;

    rng_state = 7;
    b = demo_bundle(&len);
    memcpy(before, b + H_ROOT, 32);
    for (int k = 0; k < 3; k++)
        sign_bundle(b, k);
    assert_int_equal(ae_bundle_verify(b, len, &root, &info), 0);
    assert_memory_equal(info.root, before, 32);
    b[H_SIGS + 2 * SIGSZ + 40] ^= 1;
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    b[H_SIGS + 1 * SIGSZ + 40] ^= 1;
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_BAD_SIGNATURE);
    free(b);

    /* Sixteen signatures fit; a seventeenth count is refused. */
    rng_state = 7;
    b = demo_bundle(&len);
    for (int i = 0; i < 16; i++)
        sign_bundle(b, i % NKEYS);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), 0);
    put32(b + H_NSIGS, 17);
    assert_int_equal(ae_bundle_parse_header(b, len, &info), AE_ERR_CORRUPT);
    free(b);
}

static void BND0008_sigmsg_layout(void **state)
{
    struct ae_bundle_sigmsg msg;
    struct ae_bundle_info info;
    uint8_t want[96];
    size_t len;
    uint8_t *b;

    assert_int_equal(sizeof(msg), 96);
    rng_state = 8;
    b = demo_bundle(&len);
    assert_int_equal(ae_bundle_parse_header(b, len, &info), 0);
    ae_bundle_sigmsg(&info, &msg);
    bundle_msg(b, want);
    assert_memory_equal(&msg, want, 96);
    free(b);
}

/* ---- bundles: header fields ----------------------------------------------- */

static int header_with(const uint8_t *b, size_t len, size_t at, const void *bytes, size_t n)
{
    struct ae_bundle_info info;
    uint8_t *c = malloc(len);
    int r;

    memcpy(c, b, len);
    memcpy(c + at, bytes, n);
    r = ae_bundle_parse_header(c, len, &info);
    if (r) {
        static const struct ae_bundle_info zero;
        assert_memory_equal(&info, &zero, sizeof(info));
    }
    free(c);
    return r;
}

static void BND0009_header_fields(void **state)
{
    static const struct {
        const char *name;
        int ok;
    } names[] = {
        {"a", 1}, {"console", 1}, {"x_y-z09", 1}, {"abcdefghijklmnopqrstuvw", 1},
        {"abcdefghijklmnopqrstuvwx", 0}, {"", 0}, {"Shell", 0}, {"a.b", 0}, {"a/b", 0},
        {"a b", 0}, {"\xff", 0},
    };
    struct ae_bundle_info info;
    uint8_t four[4], eight[8], field[32];
    size_t len;
    uint8_t *b;

    rng_state = 9;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    assert_int_equal(ae_bundle_parse_header(b, len, &info), 0);
    for (size_t i = 0; i < N(names); i++) {
        memset(field, 0, sizeof(field));
        memcpy(field, names[i].name, strlen(names[i].name));
        if ((header_with(b, len, H_NAME, field, 32) == 0) != names[i].ok)
            fail_msg("name \"%s\"", names[i].name);
    }
    memset(field, 0, sizeof(field));
    memcpy(field, "demo\0x", 6);            /* a byte after the NUL */
    assert_int_equal(header_with(b, len, H_NAME, field, 32), AE_ERR_CORRUPT);
    memset(field, 'a', 32);                 /* no NUL at all */
    assert_int_equal(header_with(b, len, H_NAME, field, 32), AE_ERR_CORRUPT);

    assert_int_equal(header_with(b, len, H_MAGIC, "AEBUNDLF", 8), AE_ERR_CORRUPT);
    put32(four, 2);
    assert_int_equal(header_with(b, len, H_FORMAT, four, 4), AE_ERR_CORRUPT);
    put32(four, 8192);
    assert_int_equal(header_with(b, len, H_HDRSIZE, four, 4), AE_ERR_CORRUPT);
    put32(four, 1);
    assert_int_equal(header_with(b, len, H_RESERVED, four, 4), AE_ERR_CORRUPT);
    put64(eight, BLOCK - 1);
    assert_int_equal(header_with(b, len, H_PAYLOAD, eight, 8), AE_ERR_CORRUPT);
    put64(eight, UINT64_MAX);               /* parses; the length check refuses */
    assert_int_equal(header_with(b, len, H_PAYLOAD, eight, 8), 0);
    put64(eight, UINT64_MAX);
    assert_int_equal(header_with(b, len, H_VERSION, eight, 8), 0);
    put32(four, 0);                         /* the signature is then tail garbage */
    assert_int_equal(header_with(b, len, H_NSIGS, four, 4), AE_ERR_CORRUPT);
    put32(four, 2);                         /* a zero slot is no signature */
    assert_int_equal(header_with(b, len, H_NSIGS, four, 4), AE_ERR_CORRUPT);
    put32(four, 0x101);
    assert_int_equal(header_with(b, len, H_NSIGS, four, 4), AE_ERR_CORRUPT);
    assert_int_equal(header_with(b, len, HDR - 1, "\1", 1), AE_ERR_CORRUPT);
    assert_int_equal(header_with(b, len, H_SIGS + SIGSZ, "\1", 1), AE_ERR_CORRUPT);
    /* Too short for a header block; no header at all. */
    assert_int_equal(ae_bundle_parse_header(b, HDR - 1, &info), AE_ERR_CORRUPT);
    assert_int_equal(ae_bundle_parse_header(NULL, HDR, &info), AE_ERR_CORRUPT);
    struct ae_trust_root root = root_2of3();
    assert_int_equal(ae_bundle_verify(b, HDR - 1, &root, NULL), AE_ERR_CORRUPT);
    assert_int_equal(ae_bundle_verify(b, 0, &root, NULL), AE_ERR_CORRUPT);
    free(b);
}

/* A payload whose bytes between files are not zero is refused even when
 * the root and the signatures cover them. */
static void BND0010_nonzero_padding_between_files(void **state)
{
    struct ae_trust_root root = root_2of3();
    size_t len;
    uint8_t *b;

    rng_state = 10;
    b = demo_bundle(&len);
    b[HDR + BLOCK + 100] = 1;       /* after README's 100 bytes */
    reroot(b, len);
    sign_bundle(b, 0);
    sign_bundle(b, 1);
    assert_int_equal(ae_bundle_verify(b, len, &root, NULL), AE_ERR_CORRUPT);
    free(b);
}

/* ---- directories ---------------------------------------------------------- */

struct tentry {
    const char *name;
    uint64_t offset, size;
};

static int dir_parse(const struct tentry *e, int n, uint64_t payload, struct ae_bundle_file *out,
                     uint32_t max)
{
    static uint8_t d[BLOCK];

    memset(d, 0, sizeof(d));
    memcpy(d, "AEBDIR\0\0", 8);
    put32(d + D_NFILES, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint8_t *p = d + D_ENTRIES + i * E_SIZE;
        memcpy(p, e[i].name, strnlen(e[i].name, 48));
        put64(p + E_OFFSET, e[i].offset);
        put64(p + E_LEN, e[i].size);
    }
    return ae_bundle_dir_parse(d, sizeof(d), payload, out, max);
}

#define DIR_OK(payload, ...)                                                           \
    do {                                                                               \
        static const struct tentry e_[] = {__VA_ARGS__};                               \
        struct ae_bundle_file f_[64];                                                  \
        if (dir_parse(e_, N(e_), payload, f_, 64) != (int)N(e_))                       \
            fail_msg("line %d: refused", __LINE__);                                    \
    } while (0)
#define DIR_BAD(payload, ...)                                                          \
    do {                                                                               \
        static const struct tentry e_[] = {__VA_ARGS__};                               \
        struct ae_bundle_file f_[64];                                                  \
        if (dir_parse(e_, N(e_), payload, f_, 64) != AE_ERR_CORRUPT)                   \
            fail_msg("line %d: accepted", __LINE__);                                   \
    } while (0)

static void BND0011_directory_layout(void **state)
{
    struct ae_bundle_file f[64];

    /* Canonical layouts. */
    DIR_OK(4096 + 10, {"manifest", 4096, 10});
    DIR_OK(4096, {"manifest", 4096, 0});
    DIR_OK(8192 + 3, {"a.elf", 4096, 4096}, {"manifest", 8192, 3});
    DIR_OK(8192 + 3, {"a.elf", 4096, 4095}, {"manifest", 8192, 3});
    DIR_OK(12288, {"a.elf", 4096, 4097}, {"empty", 12288, 0}, {"manifest", 12288, 0});
    DIR_OK(12288 + 1, {"a", 4096, 4097}, {"b", 12288, 0}, {"manifest", 12288, 1});
    /* Overlap, misalignment, gaps, order. */
    DIR_BAD(8192 + 3, {"a.elf", 4096, 4097}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"a.elf", 4096, 100}, {"manifest", 4096 + 100, 3});
    DIR_BAD(8192 + 3, {"a.elf", 4096, 100}, {"manifest", 8193, 3});
    DIR_BAD(12288 + 3, {"a.elf", 4096, 100}, {"manifest", 12288, 3});
    DIR_BAD(8192 + 3, {"a.elf", 8192, 0}, {"manifest", 8192, 3});
    DIR_BAD(4096 + 10, {"manifest", 0, 10});
    DIR_BAD(8192 + 3, {"manifest", 4096, 100}, {"a.elf", 8192, 3});
    /* Inside the payload, and ending it exactly. */
    DIR_BAD(4096 + 9, {"manifest", 4096, 10});
    DIR_BAD(4096 + 11, {"manifest", 4096, 10});
    DIR_BAD(4096 + 10, {"manifest", 4096, UINT64_MAX});
    DIR_BAD(UINT64_MAX, {"a", 4096, UINT64_MAX - 4096}, {"manifest", 0, 0});
    DIR_BAD(UINT64_MAX, {"a", 4096, UINT64_MAX - 4096 - 10}, {"manifest", 0, 10});
    DIR_BAD(4095, {"manifest", 4096, 0});
    /* Names. */
    DIR_BAD(4096 + 10, {"a.elf", 4096, 10});
    DIR_BAD(8192 + 3, {"manifest", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"a/b", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"..", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {".", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {".hidden", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"a b", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"a\\b", 4096, 100}, {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"\xc3\xa9", 4096, 100}, {"manifest", 8192, 3});
    DIR_OK(8192 + 3, {"A-Z_0.9", 4096, 100}, {"manifest", 8192, 3});
    DIR_OK(8192 + 3, {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu", 4096, 100},
           {"manifest", 8192, 3});
    DIR_BAD(8192 + 3, {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv", 4096, 100},
            {"manifest", 8192, 3});

    /* Field by field on a valid block. */
    static uint8_t d[BLOCK];
    static const struct tentry two[] = {{"a.elf", 4096, 100}, {"manifest", 8192, 3}};
    assert_int_equal(dir_parse(two, 2, 8195, f, 64), 2);
    assert_string_equal(f[0].name, "a.elf");
    assert_int_equal(f[1].offset, 8192);
    assert_int_equal(f[1].size, 3);
    assert_int_equal(ae_bundle_find(f, 2, "manifest"), 1);
    assert_int_equal(ae_bundle_find(f, 2, "a.elf"), 0);
    assert_int_equal(ae_bundle_find(f, 2, "a.el"), AE_ERR_NOTFOUND);
    assert_int_equal(ae_bundle_find(f, 0, "manifest"), AE_ERR_NOTFOUND);
    memset(d, 0, sizeof(d));
    memcpy(d, "AEBDIR\0\0", 8);
    put32(d + D_NFILES, 2);
    memcpy(d + D_ENTRIES, "a.elf", 5);
    put64(d + D_ENTRIES + E_OFFSET, 4096);
    put64(d + D_ENTRIES + E_LEN, 100);
    memcpy(d + D_ENTRIES + E_SIZE, "manifest", 8);
    put64(d + D_ENTRIES + E_SIZE + E_OFFSET, 8192);
    put64(d + D_ENTRIES + E_SIZE + E_LEN, 3);
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 64), 2);
    /* Every byte that must be zero: reserved, pad, after a name's NUL, the
     * unused entries, the block's tail. */
    for (size_t i = 0; i < BLOCK; i++) {
        int must_be_zero = (i >= D_RESERVED && i < D_ENTRIES) ||
                           (i >= D_ENTRIES + 5 && i < D_ENTRIES + 48) ||
                           (i >= D_ENTRIES + E_SIZE + 8 && i < D_ENTRIES + E_SIZE + 48) ||
                           i >= D_ENTRIES + 2 * E_SIZE;
        if (!must_be_zero)
            continue;
        d[i] = 0x20;
        if (ae_bundle_dir_parse(d, BLOCK, 8195, f, 64) != AE_ERR_CORRUPT)
            fail_msg("byte %zu of the directory set: accepted", i);
        d[i] = 0;
    }
    d[0] = 'X';
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 64), AE_ERR_CORRUPT);
    d[0] = 'A';
    put32(d + D_NFILES, 0);
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 64), AE_ERR_CORRUPT);
    put32(d + D_NFILES, 63);
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 64), AE_ERR_CORRUPT);
    put32(d + D_NFILES, 1);     /* the second entry is then a non-zero unused one */
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 64), AE_ERR_CORRUPT);
    put32(d + D_NFILES, 2);
    /* Room for fewer entries than there are. */
    memset(f, 0, sizeof(f));
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, f, 1), AE_ERR_TRUNCATED);
    assert_string_equal(f[0].name, "a.elf");
    assert_int_equal(f[1].offset, 0);
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK, 8195, NULL, 0), AE_ERR_TRUNCATED);
    assert_int_equal(ae_bundle_dir_parse(d, BLOCK - 1, 8195, f, 64), AE_ERR_CORRUPT);
}

static void BND0012_directory_of_62_files(void **state)
{
    static struct tentry e[63];
    static char names[63][16];
    struct ae_bundle_file f[64];
    uint64_t pos = 4096;

    for (int i = 0; i < 62; i++) {
        snprintf(names[i], sizeof(names[i]), i == 61 ? "manifest" : "f%02d", i);
        e[i] = (struct tentry){names[i], pos, 1};
        pos += 4096;
    }
    assert_int_equal(dir_parse(e, 62, pos - 4095, f, 64), 62);
    assert_int_equal(ae_bundle_find(f, 62, "f37"), 37);
}

/* ---- trust roots ------------------------------------------------------------ */

static void BND0013_trust_parse(void **state)
{
    static const int k3[] = {0, 1, 2}, dup[] = {0, 1, 0};
    struct ae_trust_root r;
    struct troot t;

    make_root(&t, 7, 2, k3, 3);
    r = parsed(&t);
    assert_int_equal(r.version, 7);
    assert_int_equal(r.threshold, 2);
    assert_int_equal(r.nkeys, 3);
    assert_memory_equal(r.keys[2], key[2].pk, 32);
    assert_int_equal(ae_trust_key_index(&r, key[1].pk), 1);
    assert_int_equal(ae_trust_key_index(&r, key[3].pk), -1);
    sign_root(&t, 0);
    r = parsed(&t);
    assert_int_equal(r.version, 7);

    /* Every structural rule. */
    static const struct {
        size_t at;
        uint32_t value;
    } bad[] = {
        {8, 2}, {T_VERSION, 0}, {T_THRESHOLD, 0}, {T_THRESHOLD, 4}, {T_NKEYS, 0},
        {T_NKEYS, 2}, {T_NKEYS, 4}, {T_NKEYS, 17}, {T_NSIGS, 0}, {T_NSIGS, 2}, {T_NSIGS, 33},
        {T_RESERVED, 1},
    };
    for (size_t i = 0; i < N(bad); i++) {
        struct troot c = t;
        put32(c.b + bad[i].at, bad[i].value);
        if (ae_trust_parse(c.b, c.len, &r) != AE_ERR_CORRUPT)
            fail_msg("field at %zu = %u accepted", bad[i].at, bad[i].value);
    }
    struct troot c = t;
    c.b[0] = 'X';
    assert_int_equal(ae_trust_parse(c.b, c.len, &r), AE_ERR_CORRUPT);
    assert_int_equal(ae_trust_parse(t.b, t.len - 1, &r), AE_ERR_CORRUPT);
    assert_int_equal(ae_trust_parse(t.b, t.len + 1, &r), AE_ERR_CORRUPT);
    assert_int_equal(ae_trust_parse(t.b, 31, &r), AE_ERR_CORRUPT);
    make_root(&c, 1, 1, dup, 3);
    assert_int_equal(ae_trust_parse(c.b, c.len, &r), AE_ERR_CORRUPT);
    make_root(&c, 1, 1, k3, 3);
    memset(c.b + T_KEYS + 32, 0, 32);
    assert_int_equal(ae_trust_parse(c.b, c.len, &r), AE_ERR_CORRUPT);
    make_root(&c, 1, 1, k3, 3);
    sign_root(&c, 0);
    memset(c.b + c.len - SIGSZ, 0, 32);     /* a signature slot without a key */
    assert_int_equal(ae_trust_parse(c.b, c.len, &r), AE_ERR_CORRUPT);
    /* n of n. */
    static const int k16[] = {0, 1, 2, 3, 4, 5, 6, 7};
    make_root(&c, 1, 8, k16, 8);
    assert_int_equal(ae_trust_parse(c.b, c.len, &r), 0);
}

static void BND0014_trust_sigmsg_layout(void **state)
{
    static const int k3[] = {0, 1, 2};
    struct ae_trust_sigmsg m1, m2;
    uint8_t want[48];
    struct troot t;

    assert_int_equal(sizeof(m1), 48);
    make_root(&t, 3, 2, k3, 3);
    root_msg(&t, want);
    assert_int_equal(ae_trust_sigmsg(t.b, t.len, &m1), 0);
    assert_memory_equal(&m1, want, 48);
    /* Signatures do not change the message. */
    sign_root(&t, 1);
    sign_root(&t, 2);
    assert_int_equal(ae_trust_sigmsg(t.b, t.len, &m2), 0);
    assert_memory_equal(&m1, &m2, 48);
    t.b[5] ^= 1;
    assert_int_equal(ae_trust_sigmsg(t.b, t.len, &m2), AE_ERR_CORRUPT);
}

/* v1: 2 of {0,1,2}. v2: 2 of {1,2,3}, signed by 0, 1 (old) and 2 (new: 1, 2).
 * v3: 3 of {3,4,5,6}, signed by 2, 3 (v2's) and 4, 5 (with 3: three of its own). */
static void chain(struct troot *v1, struct troot *v2, struct troot *v3)
{
    static const int k1[] = {0, 1, 2}, k2[] = {1, 2, 3}, k3[] = {3, 4, 5, 6};

    make_root(v1, 1, 2, k1, 3);
    sign_root(v1, 0);
    sign_root(v1, 1);
    make_root(v2, 2, 2, k2, 3);
    sign_root(v2, 0);
    sign_root(v2, 1);
    sign_root(v2, 2);
    make_root(v3, 3, 3, k3, 4);
    sign_root(v3, 2);
    sign_root(v3, 3);
    sign_root(v3, 4);
    sign_root(v3, 5);
}

static void BND0015_rotation_chain_accepted(void **state)
{
    struct troot v1, v2, v3;
    struct ae_trust_root r1, r2, r3;

    chain(&v1, &v2, &v3);
    r1 = parsed(&v1);
    assert_int_equal(ae_trust_rotate(&r1, v2.b, v2.len, &r2), 0);
    assert_int_equal(r2.version, 2);
    assert_int_equal(r2.nkeys, 3);
    assert_memory_equal(r2.keys[2], key[3].pk, 32);
    assert_int_equal(ae_trust_rotate(&r2, v3.b, v3.len, &r3), 0);
    assert_int_equal(r3.version, 3);
    assert_int_equal(r3.threshold, 3);
    assert_int_equal(r3.nkeys, 4);
    /* v3 skipping v2 is not vouched for by v1 (key 2 alone is 1 of 2). */
    assert_int_equal(ae_trust_rotate(&r1, v3.b, v3.len, &r3), AE_ERR_UNKNOWN_KEY);
    /* A bundle signed under v3 verifies against it, not against v1. */
    size_t len;
    uint8_t *b;
    rng_state = 15;
    b = demo_bundle(&len);
    for (int k = 4; k <= 6; k++)
        sign_bundle(b, k);
    assert_int_equal(ae_bundle_verify(b, len, &r3, NULL), 0);
    assert_int_equal(ae_bundle_verify(b, len, &r1, NULL), AE_ERR_UNKNOWN_KEY);
    free(b);
}

static void BND0016_forged_rotations_refused(void **state)
{
    static const int knew[] = {5, 6, 7}, k2[] = {1, 2, 3}, kshared[] = {0, 1, 3};
    struct ae_trust_root r1, r2, out;
    struct troot v1, v2, v3, f;

    chain(&v1, &v2, &v3);
    r1 = parsed(&v1);
    r2 = parsed(&v2);
    memset(&out, 0x5a, sizeof(out));
    const struct ae_trust_root untouched = out;

    /* Signed only by the new keys. */
    make_root(&f, 2, 2, knew, 3);
    for (int k = 5; k <= 7; k++)
        sign_root(&f, k);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_UNKNOWN_KEY);
    assert_memory_equal(&out, &untouched, sizeof(out));

    /* Too few old keys: key 0 is in both roots and signs alone. */
    make_root(&f, 2, 1, kshared, 3);
    sign_root(&f, 0);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_TOO_FEW_SIGNERS);
    /* ... helped by new keys the old root does not know. */
    sign_root(&f, 3);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_UNKNOWN_KEY);

    /* The old threshold, but not the new root's own. */
    make_root(&f, 2, 3, k2, 3);
    sign_root(&f, 0);
    sign_root(&f, 1);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_UNKNOWN_KEY);
    sign_root(&f, 2);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_UNKNOWN_KEY);
    sign_root(&f, 3);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), 0);

    /* By keys of an older root only: v1's key 0 no longer counts after v2. */
    make_root(&f, 3, 1, knew, 3);
    sign_root(&f, 0);
    sign_root(&f, 1);
    sign_root(&f, 5);
    assert_int_equal(ae_trust_rotate(&r2, f.b, f.len, &out), AE_ERR_UNKNOWN_KEY);
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), 0);   /* v1 would have */

    /* Version not higher: equal, lower (a replay of v1 itself to v2). */
    make_root(&f, 2, 2, k2, 3);
    for (int k = 1; k <= 3; k++)
        sign_root(&f, k);
    assert_int_equal(ae_trust_rotate(&r2, f.b, f.len, &out), AE_ERR_ROLLBACK);
    out = untouched;
    assert_int_equal(ae_trust_rotate(&r2, v2.b, v2.len, &out), AE_ERR_ROLLBACK);
    assert_int_equal(ae_trust_rotate(&r1, v1.b, v1.len, &out), AE_ERR_ROLLBACK);
    assert_memory_equal(&out, &untouched, sizeof(out));

    /* A listed key's signature that does not verify. */
    f = v2;
    f.b[f.len - 1] ^= 1;        /* key 2's signature */
    f.b[f.len - SIGSZ - 1] ^= 1;    /* key 1's */
    assert_int_equal(ae_trust_rotate(&r1, f.b, f.len, &out), AE_ERR_BAD_SIGNATURE);

    /* A successor signed by exactly what it needs (keys 1 and 2 are in
     * both roots): any single byte changed, never accepted. */
    struct troot min;
    make_root(&min, 2, 2, k2, 3);
    sign_root(&min, 1);
    sign_root(&min, 2);
    assert_int_equal(ae_trust_rotate(&r1, min.b, min.len, &out), 0);
    for (size_t i = 0; i < min.len; i++) {
        for (int d = 0; d < 2; d++) {
            f = min;
            f.b[i] ^= d ? 0x01 : (uint8_t)(1 + rng() % 255);
            if (ae_trust_rotate(&r1, f.b, f.len, &out) == 0)
                fail_msg("byte %zu of v2 changed: accepted", i);
        }
    }
    assert_int_equal(ae_trust_rotate(&r1, min.b, min.len - 1, &out), AE_ERR_CORRUPT);
}

/* Signatures of one domain are worthless in the other, even over the same
 * 32 bytes: a bundle whose root field is the trust body hash. */
static void BND0017_signatures_do_not_cross_domains(void **state)
{
    static const int k2[] = {1, 2, 3};
    struct ae_trust_root r1 = root_2of3(), out;
    struct ae_trust_sigmsg tm;
    uint8_t bmsg[96], sig[64];
    struct troot v2;
    size_t len;
    uint8_t *b;

    make_root(&v2, 2, 2, k2, 3);
    assert_int_equal(ae_trust_sigmsg(v2.b, v2.len, &tm), 0);
    rng_state = 17;
    b = demo_bundle(&len);
    memcpy(b + H_ROOT, tm.body_hash, 32);
    bundle_msg(b, bmsg);
    for (int k = 0; k <= 3; k++) {
        crypto_sign_detached(sig, NULL, bmsg, sizeof(bmsg), key[k].sk);
        add_root_raw_sig(&v2, key[k].pk, sig);
    }
    assert_int_equal(ae_trust_rotate(&r1, v2.b, v2.len, &out), AE_ERR_BAD_SIGNATURE);

    /* Nor the bare body hash, without the domain. */
    make_root(&v2, 2, 2, k2, 3);
    for (int k = 0; k <= 3; k++) {
        crypto_sign_detached(sig, NULL, tm.body_hash, 32, key[k].sk);
        add_root_raw_sig(&v2, key[k].pk, sig);
    }
    assert_int_equal(ae_trust_rotate(&r1, v2.b, v2.len, &out), AE_ERR_BAD_SIGNATURE);

    /* And trust-root signatures are no bundle signatures. */
    free(b);
    b = demo_bundle(&len);
    for (int k = 0; k <= 1; k++) {
        crypto_sign_detached(sig, NULL, (const uint8_t *)&tm, sizeof(tm), key[k].sk);
        add_raw_sig(b, key[k].pk, sig);
    }
    assert_int_equal(ae_bundle_verify(b, len, &r1, NULL), AE_ERR_BAD_SIGNATURE);
    free(b);
}

static void BND0018_signers_check_rules(void **state)
{
    struct ae_trust_root r = root_2of3(), zero;
    struct ae_signature s[3];
    uint8_t msg[5] = "hello";
    uint32_t bits;

    for (int k = 0; k < 3; k++) {
        memcpy(s[k].key, key[k].pk, 32);
        crypto_sign_detached(s[k].sig, NULL, msg, sizeof(msg), key[k].sk);
    }
    assert_int_equal(ae_signers_check(&r, msg, sizeof(msg), s, 3, &bits), 0);
    assert_int_equal(bits, 7);
    assert_int_equal(ae_signers_check(&r, msg, sizeof(msg), s, 0, &bits),
                     AE_ERR_TOO_FEW_SIGNERS);
    assert_int_equal(bits, 0);
    assert_int_equal(ae_signers_check(&r, msg, 4, s, 3, &bits), AE_ERR_BAD_SIGNATURE);
    assert_int_equal(ae_signers_check(&r, msg, sizeof(msg), s, 2, NULL), 0);
    /* A root with threshold 0 (zeroed, never parsed) accepts nothing. */
    memset(&zero, 0, sizeof(zero));
    assert_int_equal(ae_signers_check(&zero, msg, sizeof(msg), s, 3, NULL), AE_ERR_UNKNOWN_KEY);
    zero = r;
    zero.threshold = 0;
    assert_int_not_equal(ae_signers_check(&zero, msg, sizeof(msg), s, 0, NULL), 0);
    assert_int_not_equal(ae_signers_check(&zero, msg, sizeof(msg), s, 3, NULL), 0);
}

/* ---- rollback marks -------------------------------------------------------- */

static void BND0019_hwm_check_and_note(void **state)
{
    static struct ae_hwm t;
    char name[16];

    ae_hwm_init(&t);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(0, 0, 0)), 0);
    assert_int_equal(ae_hwm_note(&t, "shell", AE_BUNDLE_VERSION(0, 2, 0)), 0);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(0, 1, 9)), AE_ERR_ROLLBACK);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(0, 2, 0)), 0);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(1, 0, 0)), 0);
    assert_int_equal(ae_hwm_check(&t, "vfs", AE_BUNDLE_VERSION(0, 0, 1)), 0);
    /* note never lowers a mark */
    assert_int_equal(ae_hwm_note(&t, "shell", AE_BUNDLE_VERSION(0, 1, 0)), 0);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(0, 1, 9)), AE_ERR_ROLLBACK);
    assert_int_equal(ae_hwm_note(&t, "shell", AE_BUNDLE_VERSION(0, 3, 0)), 0);
    assert_int_equal(ae_hwm_check(&t, "shell", AE_BUNDLE_VERSION(0, 2, 0)), AE_ERR_ROLLBACK);
    assert_int_equal(t.n, 1);
    /* Names. */
    assert_int_equal(ae_hwm_check(&t, "", 0), AE_ERR_INVAL);
    assert_int_equal(ae_hwm_note(&t, "Shell", 0), AE_ERR_INVAL);
    assert_int_equal(ae_hwm_note(&t, "abcdefghijklmnopqrstuvwx", 0), AE_ERR_INVAL);
    assert_int_equal(ae_hwm_note(&t, "abcdefghijklmnopqrstuvw", 0), 0);
    /* Full. */
    ae_hwm_init(&t);
    for (int i = 0; i < AE_HWM_MAX; i++) {
        snprintf(name, sizeof(name), "n%d", i);
        assert_int_equal(ae_hwm_note(&t, name, (uint64_t)i), 0);
    }
    assert_int_equal(ae_hwm_note(&t, "one-more", 1), AE_ERR_NOMEM);
    assert_int_equal(ae_hwm_note(&t, "n5", 99), 0);     /* raising still works */
    assert_int_equal(ae_hwm_check(&t, "n5", 98), AE_ERR_ROLLBACK);
    assert_int_equal(ae_hwm_check(&t, "n63", 62), AE_ERR_ROLLBACK);
}

static void BND0020_hwm_text(void **state)
{
    static struct ae_hwm t, u;
    static char buf[AE_HWM_MAX * 64];
    static const char want[] = "console 1.0.0\nshell 0.2.0\nvfs 4294967295.65535.65535\n";
    int n;

    ae_hwm_init(&t);
    ae_hwm_note(&t, "vfs", AE_BUNDLE_VERSION(4294967295u, 65535, 65535));
    ae_hwm_note(&t, "shell", AE_BUNDLE_VERSION(0, 2, 0));
    ae_hwm_note(&t, "console", AE_BUNDLE_VERSION(1, 0, 0));
    n = ae_hwm_format(&t, buf, sizeof(buf));
    assert_int_equal(n, strlen(want));
    assert_string_equal(buf, want);             /* sorted, whatever the order noted */
    assert_int_equal(ae_hwm_parse(&u, buf, (size_t)n), 0);
    assert_int_equal(u.n, 3);
    assert_int_equal(ae_hwm_check(&u, "shell", AE_BUNDLE_VERSION(0, 1, 0)), AE_ERR_ROLLBACK);
    assert_int_equal(ae_hwm_check(&u, "shell", AE_BUNDLE_VERSION(0, 2, 0)), 0);
    /* Any order in, same table. */
    static const char shuffled[] = "vfs 4294967295.65535.65535\nconsole 1.0.0\nshell 0.2.0\n";
    assert_int_equal(ae_hwm_parse(&u, shuffled, strlen(shuffled)), 0);
    assert_memory_equal(&u, &t, sizeof(t));
    /* Exact buffer sizes: text plus NUL fits, one less does not. */
    assert_int_equal(ae_hwm_format(&t, buf, strlen(want) + 1), (int)strlen(want));
    assert_int_equal(ae_hwm_format(&t, buf, strlen(want)), AE_ERR_TRUNCATED);
    assert_int_equal(ae_hwm_format(&t, buf, 5), AE_ERR_TRUNCATED);
    ae_hwm_init(&u);
    assert_int_equal(ae_hwm_format(&u, buf, 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(ae_hwm_format(&u, NULL, 0), AE_ERR_TRUNCATED);
    assert_int_equal(ae_hwm_parse(&u, "", 0), 0);
    assert_int_equal(u.n, 0);

    static const char *const bad[] = {
        "shell 0.2.0",              /* no newline */
        "shell 0.2.0\n\n",          /* blank line */
        "shell  0.2.0\n", "shell\t0.2.0\n", " shell 0.2.0\n", "shell 0.2.0 \n",
        "shell 0.2.0\r\n", "shell 0.2\n", "shell 00.2.0\n", "shell 0.2.0.1\n",
        "shell 0.65536.0\n", "Shell 0.2.0\n", "shell\n", " 0.2.0\n", "\n",
        "shell 0.2.0\nshell 0.3.0\n", "abcdefghijklmnopqrstuvwx 1.0.0\n",
        "shell 0.2.0\nvfs x\n",
    };
    for (size_t i = 0; i < N(bad); i++) {
        ae_hwm_init(&u);
        ae_hwm_note(&u, "keep", 1);
        if (ae_hwm_parse(&u, bad[i], strlen(bad[i])) != AE_ERR_CORRUPT)
            fail_msg("accepted: \"%s\"", bad[i]);
        assert_int_equal(u.n, 0);       /* emptied, not half-read */
    }
    /* NUL inside the text. */
    assert_int_equal(ae_hwm_parse(&u, "shell 0.2.0\0\n", 13), AE_ERR_CORRUPT);
    /* 64 lines fit, 65 do not. */
    size_t at = 0;
    for (int i = 0; i < AE_HWM_MAX + 1; i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "n%02d 0.0.%d\n", i, i);
    assert_int_equal(ae_hwm_parse(&u, buf, at), AE_ERR_CORRUPT);
    assert_int_equal(ae_hwm_parse(&u, buf, at - strlen("n64 0.0.64\n")), 0);
    assert_int_equal(u.n, AE_HWM_MAX);
}

/* ---- versions ---------------------------------------------------------------- */

static void BND0021_version_text(void **state)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"0.0.0", 0}, {"1.2.3", AE_BUNDLE_VERSION(1, 2, 3)},
        {"0.1.0", AE_BUNDLE_VERSION(0, 1, 0)},
        {"65535.65535.65535", AE_BUNDLE_VERSION(65535, 65535, 65535)},
        {"4294967295.65535.65535", UINT64_MAX}, {"10.20.30", AE_BUNDLE_VERSION(10, 20, 30)},
    };
    static const struct {
        const char *s;
        int err;
    } bad[] = {
        {"", AE_ERR_INVAL}, {"1", AE_ERR_INVAL}, {"1.2", AE_ERR_INVAL},
        {"1.2.3.4", AE_ERR_INVAL}, {"1..3", AE_ERR_INVAL}, {".1.2", AE_ERR_INVAL},
        {"1.2.", AE_ERR_INVAL}, {"01.2.3", AE_ERR_INVAL}, {"1.02.3", AE_ERR_INVAL},
        {"1.2.00", AE_ERR_INVAL}, {"-1.2.3", AE_ERR_INVAL}, {"+1.2.3", AE_ERR_INVAL},
        {" 1.2.3", AE_ERR_INVAL}, {"1.2.3 ", AE_ERR_INVAL}, {"1.2.3\n", AE_ERR_INVAL},
        {"a.b.c", AE_ERR_INVAL}, {"1.2.3a", AE_ERR_INVAL}, {"0x1.2.3", AE_ERR_INVAL},
        {"1.65536.0", AE_ERR_RANGE}, {"1.0.65536", AE_ERR_RANGE},
        {"4294967296.0.0", AE_ERR_RANGE},
        {"99999999999999999999999999.0.0", AE_ERR_RANGE},
        {"99999999999999999999999999.0.x", AE_ERR_INVAL},
    };
    char buf[AE_BUNDLE_VERSION_TEXT_MAX];
    uint64_t v;

    for (size_t i = 0; i < N(good); i++) {
        v = 12345;
        if (ae_bundle_version_parse(good[i].s, &v) != 0 || v != good[i].v)
            fail_msg("\"%s\" -> %d, %llx", good[i].s, ae_bundle_version_parse(good[i].s, &v),
                     (unsigned long long)v);
        ae_bundle_version_format(v, buf, sizeof(buf));
        assert_string_equal(buf, good[i].s);
    }
    for (size_t i = 0; i < N(bad); i++) {
        v = 12345;
        int r = ae_bundle_version_parse(bad[i].s, &v);
        if (r != bad[i].err || v != 12345)
            fail_msg("\"%s\" -> %d, want %d", bad[i].s, r, bad[i].err);
    }
    assert_int_equal(ae_bundle_version_parse(NULL, &v), AE_ERR_INVAL);
    /* The packing orders like the version. */
    assert_true(AE_BUNDLE_VERSION(1, 0, 0) > AE_BUNDLE_VERSION(0, 65535, 65535));
    assert_true(AE_BUNDLE_VERSION(0, 2, 0) > AE_BUNDLE_VERSION(0, 1, 65535));
    /* Random round trips. */
    rng_state = 21;
    for (int i = 0; i < 10000; i++) {
        uint64_t x = rng(), y;
        ae_bundle_version_format(x, buf, sizeof(buf));
        assert_int_equal(ae_bundle_version_parse(buf, &y), 0);
        assert_int_equal(x, y);
    }
    /* Cut to fit, always terminated. */
    ae_bundle_version_format(AE_BUNDLE_VERSION(12, 34, 56), buf, 5);
    assert_string_equal(buf, "12.3");
    ae_bundle_version_format(AE_BUNDLE_VERSION(12, 34, 56), buf, 1);
    assert_string_equal(buf, "");
    ae_bundle_version_format(UINT64_MAX, buf, 23);
    assert_string_equal(buf, "4294967295.65535.65535");
}

/* ---- random damage ------------------------------------------------------------ */

static void BND0022_random_mutations_never_verify(void **state)
{
    struct ae_trust_root root = root_2of3();
    struct ae_bundle_info info;
    size_t len;
    uint8_t *b, *c;

    rng_state = 22;
    b = demo_bundle(&len);
    sign_bundle(b, 0);
    sign_bundle(b, 1);
    c = malloc(len);
    for (int i = 0; i < 3000; i++) {
        int changes = 1 + (int)(rng() % 8);
        memcpy(c, b, len);
        for (int j = 0; j < changes; j++) {
            size_t at = rng() % 3 == 0 ? rng() % 200 : rng() % len;
            c[at] ^= (uint8_t)(1 + rng() % 255);
        }
        if (memcmp(b, c, len) == 0)
            continue;
        if (ae_bundle_verify(c, len, &root, &info) == 0)
            fail_msg("mutation %d verifies", i);
        /* Whatever parses must have parsed into sane values. */
        if (ae_bundle_parse_header(c, len, &info) == 0) {
            assert_true(info.nsigs <= AE_BUNDLE_MAX_SIGS);
            assert_true(strlen(info.name) < AE_BUNDLE_NAME_MAX);
        }
    }
    free(c);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(BND0001_signed_bundle_verifies),
        cmocka_unit_test(BND0002_every_single_byte_change_is_refused),
        cmocka_unit_test(BND0003_below_threshold),
        cmocka_unit_test(BND0004_unknown_key),
        cmocka_unit_test(BND0005_bad_signature_by_listed_key),
        cmocka_unit_test(BND0006_duplicate_signer_counts_once),
        cmocka_unit_test(BND0007_more_signatures_than_needed),
        cmocka_unit_test(BND0008_sigmsg_layout),
        cmocka_unit_test(BND0009_header_fields),
        cmocka_unit_test(BND0010_nonzero_padding_between_files),
        cmocka_unit_test(BND0011_directory_layout),
        cmocka_unit_test(BND0012_directory_of_62_files),
        cmocka_unit_test(BND0013_trust_parse),
        cmocka_unit_test(BND0014_trust_sigmsg_layout),
        cmocka_unit_test(BND0015_rotation_chain_accepted),
        cmocka_unit_test(BND0016_forged_rotations_refused),
        cmocka_unit_test(BND0017_signatures_do_not_cross_domains),
        cmocka_unit_test(BND0018_signers_check_rules),
        cmocka_unit_test(BND0019_hwm_check_and_note),
        cmocka_unit_test(BND0020_hwm_text),
        cmocka_unit_test(BND0021_version_text),
        cmocka_unit_test(BND0022_random_mutations_never_verify),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests_name("bundle", tests, setup_keys, NULL);
}
