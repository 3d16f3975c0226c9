/*
 * What a bundle holds, beyond what the trust library checks: its manifest
 * must agree with the signed header (name, version) and name a binary the
 * bundle carries. The header is what rollback protection and init trust,
 * so a bundle whose manifest says otherwise is refused.
 */
#ifndef AETHER_PACK_CONTENTS_H
#define AETHER_PACK_CONTENTS_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "trust/bundle.h"

#define CONTENTS_WHY_MAX 192

/* file is a whole bundle whose payload checked out (ae_bundle_check_payload).
 * Returns 0, or -1 with the reason in why. */
int bundle_manifest_check(const uint8_t *file, size_t len, const struct ae_bundle_info *b,
                          struct manifest *m, char *why);

/* The directory of a checked bundle (into files, AE_BUNDLE_MAX_FILES long). */
int bundle_files(const uint8_t *file, size_t len, const struct ae_bundle_info *b,
                 struct ae_bundle_file *files);

#endif
