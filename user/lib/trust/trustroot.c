/*
 * Trust-root files (trustroot.h; layout in include/aether/bundle.h): strict
 * parsing, the message their signatures sign, and rotation to a successor.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aether/errors.h"
#include "crypto/sha256.h"
#include "trust/le.h"
#include "trust/trustroot.h"

#define TR_OFF(f) offsetof(struct ae_trust_header, f)
#define TR_HDR sizeof(struct ae_trust_header)
#define SIG_SIZE sizeof(struct ae_signature)

/* The counts from a header, checked against each other and against len. */
struct tr_shape {
    uint32_t version, threshold, nkeys, nsigs;
};

static int parse_shape(const uint8_t *f, size_t len, struct tr_shape *s)
{
    if (len < TR_HDR || memcmp(f + TR_OFF(magic), AE_TRUST_MAGIC, 8) != 0 ||
        ae_le32(f + TR_OFF(format)) != AE_TRUST_FORMAT || ae_le32(f + TR_OFF(reserved)) != 0)
        return AE_ERR_CORRUPT;
    s->version = ae_le32(f + TR_OFF(version));
    s->threshold = ae_le32(f + TR_OFF(threshold));
    s->nkeys = ae_le32(f + TR_OFF(nkeys));
    s->nsigs = ae_le32(f + TR_OFF(nsigs));
    if (s->version < 1 || s->nkeys < 1 || s->nkeys > AE_TRUST_MAX_KEYS ||
        s->threshold < 1 || s->threshold > s->nkeys || s->nsigs > AE_TRUST_MAX_SIGS)
        return AE_ERR_CORRUPT;
    /* Bounded above, so no overflow. */
    if (len != TR_HDR + (size_t)s->nkeys * AE_ED25519_KEY_SIZE + (size_t)s->nsigs * SIG_SIZE)
        return AE_ERR_CORRUPT;
    return 0;
}

static const uint8_t *sig_at(const uint8_t *f, const struct tr_shape *s, uint32_t i)
{
    return f + TR_HDR + (size_t)s->nkeys * AE_ED25519_KEY_SIZE + (size_t)i * SIG_SIZE;
}

int ae_trust_parse(const void *file, size_t len, struct ae_trust_root *out)
{
    const uint8_t *f = file;
    struct tr_shape s;

    if (!file || !out)
        return AE_ERR_CORRUPT;
    memset(out, 0, sizeof(*out));
    if (parse_shape(f, len, &s))
        return AE_ERR_CORRUPT;
    for (uint32_t i = 0; i < s.nkeys; i++) {
        const uint8_t *k = f + TR_HDR + (size_t)i * AE_ED25519_KEY_SIZE;
        /* All-zero is no key (and a small-order point no one can sign for). */
        if (ae_all_zero(k, AE_ED25519_KEY_SIZE))
            goto corrupt;
        for (uint32_t j = 0; j < i; j++)
            if (memcmp(out->keys[j], k, AE_ED25519_KEY_SIZE) == 0)
                goto corrupt;
        memcpy(out->keys[i], k, AE_ED25519_KEY_SIZE);
    }
    for (uint32_t i = 0; i < s.nsigs; i++)
        if (ae_all_zero(sig_at(f, &s, i), AE_ED25519_KEY_SIZE))
            goto corrupt;
    out->version = s.version;
    out->threshold = s.threshold;
    out->nkeys = s.nkeys;
    return 0;
corrupt:
    memset(out, 0, sizeof(*out));
    return AE_ERR_CORRUPT;
}

int ae_trust_sigmsg(const void *file, size_t len, struct ae_trust_sigmsg *out)
{
    static const char domain[16] = AE_TRUST_SIG_DOMAIN;
    struct ae_trust_root root;
    uint8_t hdr[TR_HDR];
    struct ae_sha256 h;

    if (!out || ae_trust_parse(file, len, &root))
        return AE_ERR_CORRUPT;
    /* The signed body leaves out the signatures: nsigs reads 0, as when the
     * first signer signed. */
    memcpy(hdr, file, TR_HDR);
    ae_put_le32(hdr + TR_OFF(nsigs), 0);
    ae_sha256_init(&h);
    ae_sha256_update(&h, hdr, TR_HDR);
    ae_sha256_update(&h, (const uint8_t *)file + TR_HDR,
                     (size_t)root.nkeys * AE_ED25519_KEY_SIZE);
    memset(out, 0, sizeof(*out));
    memcpy(out->domain, domain, sizeof(domain));
    ae_sha256_final(&h, out->body_hash);
    return 0;
}

int ae_trust_rotate(const struct ae_trust_root *cur, const void *file, size_t len,
                    struct ae_trust_root *next)
{
    struct ae_signature sigs[AE_TRUST_MAX_SIGS];
    struct ae_trust_sigmsg msg;
    struct ae_trust_root cand;
    struct tr_shape s;
    int err;

    if (!cur || !next || ae_trust_parse(file, len, &cand) || ae_trust_sigmsg(file, len, &msg))
        return AE_ERR_CORRUPT;
    parse_shape(file, len, &s);
    for (uint32_t i = 0; i < s.nsigs; i++)
        memcpy(&sigs[i], sig_at(file, &s, i), SIG_SIZE);
    /* Authenticity first, so a forgery is reported as one whatever its
     * version says. The old root vouches for the new keys; the new keys
     * show they can act together. */
    err = ae_signers_check(cur, &msg, sizeof(msg), sigs, s.nsigs, NULL);
    if (!err)
        err = ae_signers_check(&cand, &msg, sizeof(msg), sigs, s.nsigs, NULL);
    if (err)
        return err;
    if (cand.version <= cur->version)
        return AE_ERR_ROLLBACK;
    *next = cand;
    return 0;
}
