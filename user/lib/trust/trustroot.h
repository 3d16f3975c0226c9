/*
 * Trust roots (include/aether/bundle.h has the file layout): parsing, and
 * accepting a successor only when the chain of signatures allows it.
 */
#ifndef AE_TRUST_TRUSTROOT_H
#define AE_TRUST_TRUSTROOT_H

#include <stddef.h>
#include <stdint.h>

#include "aether/bundle.h"

struct ae_trust_root {
    uint32_t version;
    uint32_t threshold;
    uint32_t nkeys;
    uint8_t keys[AE_TRUST_MAX_KEYS][AE_ED25519_KEY_SIZE];
};

/*
 * Parses a trust-root file: structure only (magic, format, version >= 1,
 * 1 <= k <= n <= 16, nsigs <= 32, distinct keys, no all-zero key in the
 * keys or the signature list, exact length, reserved zero); signatures are
 * not checked. Returns 0 or AE_ERR_CORRUPT (then *out is zeroed). This is
 * how the installed (anchor) root is read: it is trusted because it came
 * with the system.
 */
int ae_trust_parse(const void *file, size_t len, struct ae_trust_root *out);

/* The 48 bytes a trust-root signature signs (struct ae_trust_sigmsg). */
int ae_trust_sigmsg(const void *file, size_t len, struct ae_trust_sigmsg *out);

/*
 * Accepts file as the successor of cur: it must parse, carry a higher
 * version, and hold valid signatures from at least cur->threshold distinct
 * keys of cur and from its own threshold of its own keys. Returns 0 (next
 * filled), AE_ERR_CORRUPT, AE_ERR_ROLLBACK (version not higher),
 * AE_ERR_BAD_SIGNATURE, AE_ERR_UNKNOWN_KEY or AE_ERR_TOO_FEW_SIGNERS (see
 * ae_signers_check for which). Checked in that order: structure, cur's
 * signers, its own signers, then the version (so a forgery is reported as
 * one, whatever version it claims). next is untouched on failure.
 */
int ae_trust_rotate(const struct ae_trust_root *cur, const void *file, size_t len,
                    struct ae_trust_root *next);

/* Index of key in root, or -1. */
int ae_trust_key_index(const struct ae_trust_root *root, const uint8_t key[32]);

/*
 * The k-of-n rule, shared by bundles and roots: counts signatures over msg
 * that verify and come from distinct keys of root. Returns 0 when at least
 * root->threshold do; otherwise the most telling reason: AE_ERR_BAD_SIGNATURE
 * if a listed key's signature failed, else AE_ERR_UNKNOWN_KEY if a signature
 * came from a key not listed, else AE_ERR_TOO_FEW_SIGNERS. *signers (may be
 * NULL) gets a bit per root key that signed validly. A root with threshold
 * 0 (never parsed) accepts nothing.
 */
int ae_signers_check(const struct ae_trust_root *root, const void *msg, size_t msglen,
                     const struct ae_signature *sigs, uint32_t nsigs, uint32_t *signers);

#endif
