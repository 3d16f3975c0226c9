/*
 * aether-pack trust: making, signing and checking trust roots (the k-of-n
 * key sets bundles are checked against) and their rotation chain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aether/bundle.h"
#include "aether/errors.h"
#include "commands.h"
#include "keys.h"
#include "trust/le.h"
#include "trust/trustroot.h"
#include "util.h"
#include "verify_util.h"

#define HDR sizeof(struct ae_trust_header)
#define SIG sizeof(struct ae_signature)

/* A decimal number in [lo, hi]. */
static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    char *end;
    unsigned long v;

    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* The signature list of a parsed root file (the layout of bundle.h). */
static uint32_t file_sigs(const struct buf *f, const struct ae_trust_root *r,
                          struct ae_signature *sigs)
{
    uint32_t n = ae_le32(f->p + offsetof(struct ae_trust_header, nsigs));

    for (uint32_t i = 0; i < n; i++)
        memcpy(&sigs[i], f->p + HDR + r->nkeys * AE_ED25519_KEY_SIZE + i * SIG, SIG);
    return n;
}

static int read_root(const char *path, struct buf *f, struct ae_trust_root *r)
{
    int err;

    if (read_whole(path, f, 0) != 0)
        return -1;
    err = ae_trust_parse(f->p, f->n, r);
    if (err) {
        free(f->p);
        f->p = NULL;
        return fail(path, "%s (not a trust root)", err_text(err)), -1;
    }
    return 0;
}

static int trust_new(int argc, char **argv)
{
    const char *k, *out, *ver;
    const struct opt opts[] = {{"-k", &k}, {"-o", &out}, {"--version", &ver}, {NULL, NULL}};
    char *pubs[AE_TRUST_MAX_KEYS + 1];
    uint8_t file[HDR + AE_TRUST_MAX_KEYS * AE_ED25519_KEY_SIZE];
    uint32_t threshold, version = 1;
    struct ae_trust_root r;
    int n = parse_opts(argc, argv, opts, pubs, AE_TRUST_MAX_KEYS + 1);
    size_t len;

    if (n < 1 || !k || !out || parse_u32(k, 1, AE_TRUST_MAX_KEYS, &threshold) != 0 ||
        (ver && parse_u32(ver, 1, UINT32_MAX, &version) != 0))
        return EXIT_USAGE;
    if (n > (int)AE_TRUST_MAX_KEYS)
        return fail(out, "more than %u keys", AE_TRUST_MAX_KEYS);
    if (threshold > (uint32_t)n)
        return fail(out, "threshold %u is more than the %d keys", threshold, n);
    memset(file, 0, sizeof(file));
    memcpy(file, AE_TRUST_MAGIC, 8);
    ae_put_le32(file + offsetof(struct ae_trust_header, format), AE_TRUST_FORMAT);
    ae_put_le32(file + offsetof(struct ae_trust_header, version), version);
    ae_put_le32(file + offsetof(struct ae_trust_header, threshold), threshold);
    ae_put_le32(file + offsetof(struct ae_trust_header, nkeys), (uint32_t)n);
    for (int i = 0; i < n; i++)
        if (load_public_key(pubs[i], file + HDR + i * AE_ED25519_KEY_SIZE) != 0)
            return EXIT_FAIL;
    len = HDR + (size_t)n * AE_ED25519_KEY_SIZE;
    if (ae_trust_parse(file, len, &r) != 0)
        return fail(out, "the keys are not distinct");
    if (write_atomic(out, file, len, 0644) != 0)
        return EXIT_FAIL;
    printf("trust new: %s: version %u, %u of %d keys, unsigned\n", out, version, threshold, n);
    return EXIT_OK;
}

static int trust_sign(int argc, char **argv)
{
    const char *keyfile;
    const struct opt opts[] = {{"-k", &keyfile}, {NULL, NULL}};
    struct ae_signature sigs[AE_TRUST_MAX_SIGS];
    struct ae_trust_sigmsg msg;
    struct ae_trust_root r;
    struct secret_key key;
    struct buf f = {0};
    uint8_t *p = NULL;
    uint32_t n;
    char *path, hex[65];
    int ret = EXIT_FAIL;

    if (parse_opts(argc, argv, opts, &path, 1) != 1 || !keyfile)
        return EXIT_USAGE;
    if (load_secret_key(keyfile, &key) != 0)
        return EXIT_FAIL;
    if (read_root(path, &f, &r) != 0)
        goto out;
    n = file_sigs(&f, &r, sigs);
    for (uint32_t i = 0; i < n; i++)
        if (memcmp(sigs[i].key, key.pk, 32) == 0) {
            fail(path, "already signed by this key");
            goto out;
        }
    if (n >= AE_TRUST_MAX_SIGS) {
        fail(path, "already holds %u signatures, the most a trust root can", AE_TRUST_MAX_SIGS);
        goto out;
    }
    ae_trust_sigmsg(f.p, f.n, &msg);
    p = malloc(f.n + SIG);
    if (!p) {
        fail(path, "out of memory");
        goto out;
    }
    memcpy(p, f.p, f.n);
    memcpy(p + f.n, key.pk, 32);
    sign_detached(&key, &msg, sizeof(msg), p + f.n + 32);
    ae_put_le32(p + offsetof(struct ae_trust_header, nsigs), n + 1);
    if (ae_trust_parse(p, f.n + SIG, &r) != 0) {
        fail(path, "internal error: the signed root does not parse");
        goto out;
    }
    if (write_atomic(path, p, f.n + SIG, 0644) != 0)
        goto out;
    to_hex(key.pk, 32, hex);
    printf("trust sign: %s: signed by %s (%u signature%s)\n", path, hex, n + 1,
           n + 1 == 1 ? "" : "s");
    ret = EXIT_OK;
out:
    sodium_memzero(&key, sizeof(key));
    free(f.p);
    free(p);
    return ret;
}

/* Why next is refused as cur's successor, in one line. */
static int explain_rotation(const char *path, int err, const struct ae_trust_root *cur,
                            const struct buf *f)
{
    struct ae_signature sigs[AE_TRUST_MAX_SIGS];
    struct ae_trust_sigmsg msg;
    struct ae_trust_root next;
    uint32_t n, by_cur = 0, by_next = 0;

    if (err == AE_ERR_CORRUPT || ae_trust_parse(f->p, f->n, &next) != 0)
        return fail(path, "%s (not a trust root)", err_text(err));
    if (err == AE_ERR_ROLLBACK)
        return fail(path, "%s (version %u, current %u)", err_text(err), next.version,
                    cur->version);
    ae_trust_sigmsg(f->p, f->n, &msg);
    n = file_sigs(f, &next, sigs);
    if (ae_signers_check(cur, &msg, sizeof(msg), sigs, n, &by_cur) != 0)
        return fail(path, "%s (by the current root, version %u: %u of %u)", err_text(err),
                    cur->version, count_bits(by_cur), cur->threshold);
    ae_signers_check(&next, &msg, sizeof(msg), sigs, n, &by_next);
    return fail(path, "%s (by its own keys: %u of %u)", err_text(err), count_bits(by_next),
                next.threshold);
}

static int trust_verify(int argc, char **argv)
{
    const char *trustfile;
    const struct opt opts[] = {{"--trust", &trustfile}, {NULL, NULL}};
    char *next[64];
    struct ae_trust_root cur;
    int n = parse_opts(argc, argv, opts, next, 64);

    if (n < 1 || !trustfile)
        return EXIT_USAGE;
    if (load_trust_root(trustfile, &cur) != 0)
        return EXIT_FAIL;
    /* Each root must be accepted by the one before it. */
    for (int i = 0; i < n; i++) {
        struct ae_trust_root nr;
        struct buf f;
        int err;

        if (read_whole(next[i], &f, 0) != 0)
            return EXIT_FAIL;
        err = ae_trust_rotate(&cur, f.p, f.n, &nr);
        if (err) {
            explain_rotation(next[i], err, &cur, &f);
            free(f.p);
            return EXIT_FAIL;
        }
        free(f.p);
        printf("trust verify: %s: ok: version %u (%u of %u keys) follows version %u\n",
               next[i], nr.version, nr.threshold, nr.nkeys, cur.version);
        cur = nr;
    }
    return EXIT_OK;
}

static int trust_inspect(int argc, char **argv)
{
    const struct opt opts[] = {{NULL, NULL}};
    struct ae_signature sigs[AE_TRUST_MAX_SIGS];
    struct ae_trust_sigmsg msg;
    struct ae_trust_root r;
    struct buf f;
    uint32_t n, own = 0;
    char *path, hex[65];

    if (parse_opts(argc, argv, opts, &path, 1) != 1)
        return EXIT_USAGE;
    if (read_root(path, &f, &r) != 0)
        return EXIT_FAIL;
    ae_trust_sigmsg(f.p, f.n, &msg);
    n = file_sigs(&f, &r, sigs);
    printf("trust root %s\nversion    %u\nthreshold  %u of %u\nkeys\n", path, r.version,
           r.threshold, r.nkeys);
    for (uint32_t i = 0; i < r.nkeys; i++) {
        to_hex(r.keys[i], 32, hex);
        printf("  %2u %s\n", i + 1, hex);
    }
    printf("signatures %u\n", n);
    for (uint32_t i = 0; i < n; i++) {
        int k = ae_trust_key_index(&r, sigs[i].key);
        to_hex(sigs[i].key, 32, hex);
        printf("  %s %s, %s\n", hex,
               signature_valid(&sigs[i], &msg, sizeof(msg)) ? "valid" : "INVALID",
               k >= 0 ? "one of its keys" : "not one of its keys (an older root's?)");
    }
    ae_signers_check(&r, &msg, sizeof(msg), sigs, n, &own);
    printf("own keys   %u of %u signed validly\n", count_bits(own), r.threshold);
    free(f.p);
    return EXIT_OK;
}

int cmd_trust(int argc, char **argv)
{
    static const struct {
        const char *name, *cmd;
        int (*run)(int, char **);
    } sub[] = {
        {"new", "trust new", trust_new},
        {"sign", "trust sign", trust_sign},
        {"verify", "trust verify", trust_verify},
        {"inspect", "trust inspect", trust_inspect},
    };

    if (argc < 2)
        return EXIT_USAGE;
    for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
        if (strcmp(argv[1], sub[i].name) == 0) {
            pack_cmd = sub[i].cmd;
            return sub[i].run(argc - 1, argv + 1);
        }
    return EXIT_USAGE;
}
