/*
 * The k-of-n rule (trustroot.h), shared by bundles and trust roots: a
 * signature counts when its key is listed in the root and it verifies, and
 * each listed key counts once however often it appears.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aether/errors.h"
#include "crypto/ed25519.h"
#include "trust/trustroot.h"

int ae_trust_key_index(const struct ae_trust_root *root, const uint8_t key[32])
{
    uint32_t n = root->nkeys <= AE_TRUST_MAX_KEYS ? root->nkeys : AE_TRUST_MAX_KEYS;

    for (uint32_t i = 0; i < n; i++)
        if (memcmp(root->keys[i], key, AE_ED25519_KEY_SIZE) == 0)
            return (int)i;
    return -1;
}

static uint32_t count_bits(uint32_t v)
{
    uint32_t n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

int ae_signers_check(const struct ae_trust_root *root, const void *msg, size_t msglen,
                     const struct ae_signature *sigs, uint32_t nsigs, uint32_t *signers)
{
    uint32_t valid = 0;
    int bad = 0, unknown = 0;

    for (uint32_t i = 0; i < nsigs; i++) {
        int k = ae_trust_key_index(root, sigs[i].key);

        if (k < 0) {
            unknown = 1;
            continue;
        }
        if (valid & (1u << k))
            continue;           /* this key already counted */
        if (ae_ed25519_verify(sigs[i].sig, msg, msglen, sigs[i].key) == 0)
            valid |= 1u << k;
        else
            bad = 1;
    }
    if (signers)
        *signers = valid;
    /* A zeroed root (threshold 0) must never accept: k >= 1 always. */
    if (root->threshold >= 1 && count_bits(valid) >= root->threshold)
        return 0;
    if (bad)
        return AE_ERR_BAD_SIGNATURE;
    if (unknown)
        return AE_ERR_UNKNOWN_KEY;
    return AE_ERR_TOO_FEW_SIGNERS;
}
