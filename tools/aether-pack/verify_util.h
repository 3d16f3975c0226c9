/* Small pieces shared by the commands that check signatures. */
#ifndef AETHER_PACK_VERIFY_UTIL_H
#define AETHER_PACK_VERIFY_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "trust/trustroot.h"

/* Reads and parses a trust-root file taken as the anchor (installed, so
 * trusted without checking its signatures); prints why on failure. */
int load_trust_root(const char *path, struct ae_trust_root *root);

uint32_t count_bits(uint32_t v);

/* Whether sig is a valid signature of msg by its own key, asked of the
 * library through a one-key root. */
int signature_valid(const struct ae_signature *sig, const void *msg, size_t len);

#endif
