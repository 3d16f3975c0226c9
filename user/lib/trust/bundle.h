/*
 * V-Node bundles (include/aether/bundle.h has the layout): reading the
 * header and directory, and checking signatures, content and version.
 * Pure code, shared by init and the host tools.
 */
#ifndef AE_TRUST_BUNDLE_H
#define AE_TRUST_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "aether/bundle.h"
#include "trust/trustroot.h"

struct ae_bundle_info {
    char name[AE_BUNDLE_NAME_MAX];
    uint64_t version;
    uint64_t payload_size;
    uint8_t root[AE_HASH_SIZE];
    uint32_t nsigs;
    struct ae_signature sigs[AE_BUNDLE_MAX_SIGS];
};

/*
 * Parses the 4 KiB header block (len >= AE_BUNDLE_HEADER_SIZE): magic,
 * format, header_size, a valid NUL-terminated name, nsigs in range, reserved
 * and every byte after the signatures zero. Returns 0 or AE_ERR_CORRUPT.
 */
int ae_bundle_parse_header(const void *hdr, size_t len, struct ae_bundle_info *out);

/* The 96 bytes a signature of this bundle signs. */
void ae_bundle_sigmsg(const struct ae_bundle_info *b, struct ae_bundle_sigmsg *out);

/* k-of-n check of the bundle's signatures against root (ae_signers_check). */
int ae_bundle_check_sigs(const struct ae_bundle_info *b, const struct ae_trust_root *root,
                         uint32_t *signers);

/*
 * Checks a whole bundle file in memory: header, signatures against root,
 * payload size, Merkle root of the payload, directory. Returns 0 or the
 * first failure (AE_ERR_CORRUPT, signature errors, AE_ERR_ROOT_MISMATCH).
 */
int ae_bundle_verify(const void *file, size_t len, const struct ae_trust_root *root,
                     struct ae_bundle_info *out);

/*
 * Parses the directory block (payload block 0, len >= 4096) for a payload
 * of payload_size bytes: magic, 1..62 files, names NUL-terminated, unique,
 * without '/', "manifest" present, offsets 4 KiB-aligned past the directory,
 * in order and not overlapping, inside the payload; reserved bytes zero.
 * Returns the file count or AE_ERR_CORRUPT.
 */
int ae_bundle_dir_parse(const void *dir, size_t len, uint64_t payload_size,
                        struct ae_bundle_file *files, uint32_t max);

/* Finds name among files; returns its index or AE_ERR_NOTFOUND. */
int ae_bundle_find(const struct ae_bundle_file *files, uint32_t n, const char *name);

/* "MAJOR.MINOR.PATCH" (each < 65536, MAJOR < 2^32) <-> AE_BUNDLE_VERSION. */
int ae_bundle_version_parse(const char *s, uint64_t *out);
void ae_bundle_version_format(uint64_t v, char *buf, size_t len);

/*
 * Rollback protection: the highest version seen per name. check refuses a
 * version below the mark (AE_ERR_ROLLBACK); note raises the mark. The table
 * serialises as text lines "NAME VERSION\n" (VERSION as MAJOR.MINOR.PATCH).
 */
#define AE_HWM_MAX 64
struct ae_hwm {
    uint32_t n;
    struct { char name[AE_BUNDLE_NAME_MAX]; uint64_t version; } e[AE_HWM_MAX];
};
void ae_hwm_init(struct ae_hwm *t);
int ae_hwm_check(const struct ae_hwm *t, const char *name, uint64_t version);
int ae_hwm_note(struct ae_hwm *t, const char *name, uint64_t version); /* AE_ERR_NOMEM when full */
int ae_hwm_parse(struct ae_hwm *t, const char *text, size_t len);     /* AE_ERR_CORRUPT */
int ae_hwm_format(const struct ae_hwm *t, char *buf, size_t len);      /* bytes, or AE_ERR_TRUNCATED */

#endif
