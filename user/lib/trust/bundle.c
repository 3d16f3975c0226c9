/*
 * Bundle files (bundle.h; layout in include/aether/bundle.h): the header
 * block, the message signatures sign, and the whole-file check. Everything
 * outside the signature list is covered either by the signed message or by
 * the Merkle root, and every byte that carries no information must be zero,
 * so any change to a bundle signed by exactly its threshold is refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aether/errors.h"
#include "trust/bundle.h"
#include "trust/le.h"
#include "trust/merkle.h"

#define HDR_OFF(f) offsetof(struct ae_bundle_header, f)
#define MSG_OFF(f) offsetof(struct ae_bundle_sigmsg, f)
#define SIGS_OFF sizeof(struct ae_bundle_header)
#define SIG_SIZE sizeof(struct ae_signature)
#define NAME_FIELD 32u

_Static_assert(SIGS_OFF + AE_BUNDLE_MAX_SIGS * SIG_SIZE <= AE_BUNDLE_HEADER_SIZE,
               "signatures fit the header block");

/* The name field: 1..23 name bytes, then zeros to its end. */
static int name_field_ok(const uint8_t *f)
{
    size_t n = 0;

    while (n < NAME_FIELD && f[n])
        n++;
    return ae_bundle_name_valid((const char *)f, n) && ae_all_zero(f + n, NAME_FIELD - n);
}

int ae_bundle_parse_header(const void *hdr, size_t len, struct ae_bundle_info *out)
{
    const uint8_t *h = hdr;
    uint32_t nsigs;
    size_t end;

    if (!out)
        return AE_ERR_CORRUPT;
    memset(out, 0, sizeof(*out));
    if (!hdr || len < AE_BUNDLE_HEADER_SIZE)
        return AE_ERR_CORRUPT;
    nsigs = ae_le32(h + HDR_OFF(nsigs));
    if (memcmp(h + HDR_OFF(magic), AE_BUNDLE_MAGIC, 8) != 0 ||
        ae_le32(h + HDR_OFF(format)) != AE_BUNDLE_FORMAT ||
        ae_le32(h + HDR_OFF(header_size)) != AE_BUNDLE_HEADER_SIZE ||
        !name_field_ok(h + HDR_OFF(name)) ||
        ae_le64(h + HDR_OFF(payload_size)) < AE_BUNDLE_BLOCK ||
        nsigs > AE_BUNDLE_MAX_SIGS || ae_le32(h + HDR_OFF(reserved)) != 0)
        return AE_ERR_CORRUPT;
    end = SIGS_OFF + nsigs * SIG_SIZE;
    if (!ae_all_zero(h + end, AE_BUNDLE_HEADER_SIZE - end))
        return AE_ERR_CORRUPT;
    for (uint32_t i = 0; i < nsigs; i++) {
        const uint8_t *s = h + SIGS_OFF + i * SIG_SIZE;
        if (ae_all_zero(s, AE_ED25519_KEY_SIZE)) {
            memset(out, 0, sizeof(*out));
            return AE_ERR_CORRUPT;
        }
        memcpy(out->sigs[i].key, s, AE_ED25519_KEY_SIZE);
        memcpy(out->sigs[i].sig, s + AE_ED25519_KEY_SIZE, AE_ED25519_SIG_SIZE);
    }
    memcpy(out->name, h + HDR_OFF(name), AE_BUNDLE_NAME_MAX - 1);
    out->version = ae_le64(h + HDR_OFF(version));
    out->payload_size = ae_le64(h + HDR_OFF(payload_size));
    memcpy(out->root, h + HDR_OFF(root), AE_HASH_SIZE);
    out->nsigs = nsigs;
    return 0;
}

void ae_bundle_sigmsg(const struct ae_bundle_info *b, struct ae_bundle_sigmsg *out)
{
    static const char domain[16] = AE_BUNDLE_SIG_DOMAIN;
    uint8_t *m = (uint8_t *)out;
    size_t n = 0;

    memset(out, 0, sizeof(*out));
    memcpy(m + MSG_OFF(domain), domain, sizeof(domain));
    ae_put_le32(m + MSG_OFF(format), AE_BUNDLE_FORMAT);
    ae_put_le64(m + MSG_OFF(version), b->version);
    while (n < AE_BUNDLE_NAME_MAX - 1 && b->name[n])
        n++;
    memcpy(m + MSG_OFF(name), b->name, n);
    memcpy(m + MSG_OFF(root), b->root, AE_HASH_SIZE);
}

int ae_bundle_check_sigs(const struct ae_bundle_info *b, const struct ae_trust_root *root,
                         uint32_t *signers)
{
    struct ae_bundle_sigmsg msg;
    uint32_t n = b->nsigs <= AE_BUNDLE_MAX_SIGS ? b->nsigs : AE_BUNDLE_MAX_SIGS;

    ae_bundle_sigmsg(b, &msg);
    return ae_signers_check(root, &msg, sizeof(msg), b->sigs, n, signers);
}

static uint64_t align_up(uint64_t v)
{
    return (v + AE_BUNDLE_BLOCK - 1) & ~(uint64_t)(AE_BUNDLE_BLOCK - 1);
}

int ae_bundle_check_payload(const struct ae_bundle_info *b, const void *payload, size_t len)
{
    struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
    uint8_t root[AE_HASH_SIZE];
    const uint8_t *p = payload;
    int n;

    if (!b || !payload || len != b->payload_size)
        return AE_ERR_CORRUPT;
    ae_merkle_root(payload, len, root);
    if (memcmp(root, b->root, AE_HASH_SIZE) != 0)
        return AE_ERR_ROOT_MISMATCH;
    n = ae_bundle_dir_parse(payload, len, len, files, AE_BUNDLE_MAX_FILES);
    if (n < 0)
        return AE_ERR_CORRUPT;
    /* The last file ends the payload; the others are padded to a block. */
    for (int i = 0; i + 1 < n; i++) {
        uint64_t end = files[i].offset + files[i].size;
        if (!ae_all_zero(p + end, (size_t)(align_up(end) - end)))
            return AE_ERR_CORRUPT;
    }
    return 0;
}

int ae_bundle_verify(const void *file, size_t len, const struct ae_trust_root *root,
                     struct ae_bundle_info *out)
{
    struct ae_bundle_info local;
    struct ae_bundle_info *b = out ? out : &local;
    int err;

    if (!root)
        return AE_ERR_INVAL;
    err = ae_bundle_parse_header(file, len, b);
    if (!err)
        err = ae_bundle_check_sigs(b, root, NULL);
    if (!err)
        err = ae_bundle_check_payload(b, (const uint8_t *)file + AE_BUNDLE_HEADER_SIZE,
                                      len - AE_BUNDLE_HEADER_SIZE);
    return err;
}
