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
 * format, header_size, a valid NUL-padded name, payload_size of at least
 * one block, nsigs in range, no signature slot with an all-zero key (else
 * raising nsigs over the zero bytes after the list would go unnoticed),
 * reserved and every byte after the signatures zero. Returns 0 or
 * AE_ERR_CORRUPT (then *out is zeroed).
 */
int ae_bundle_parse_header(const void *hdr, size_t len, struct ae_bundle_info *out);

/* The 96 bytes a signature of this bundle signs. */
void ae_bundle_sigmsg(const struct ae_bundle_info *b, struct ae_bundle_sigmsg *out);

/* k-of-n check of the bundle's signatures against root (ae_signers_check). */
int ae_bundle_check_sigs(const struct ae_bundle_info *b, const struct ae_trust_root *root,
                         uint32_t *signers);

/*
 * Checks the payload (the len bytes after the header block) of a bundle
 * whose header gave b: len is b->payload_size (else AE_ERR_CORRUPT), its
 * Merkle root is b->root (else AE_ERR_ROOT_MISMATCH), the directory parses
 * and the padding between files is zero (else AE_ERR_CORRUPT). Signatures
 * are not looked at: a signer uses this to check what it is about to sign.
 */
int ae_bundle_check_payload(const struct ae_bundle_info *b, const void *payload, size_t len);

/*
 * Checks a whole bundle file in memory: header, signatures against root,
 * payload size, Merkle root of the payload, directory. Returns 0 or the
 * first failure (AE_ERR_CORRUPT, signature errors, AE_ERR_ROOT_MISMATCH).
 * out (may be NULL) is filled whenever the header parsed, so a caller can
 * name the bundle in its error message.
 */
int ae_bundle_verify(const void *file, size_t len, const struct ae_trust_root *root,
                     struct ae_bundle_info *out);

/*
 * Parses the directory block (payload block 0, len >= 4096) for a payload
 * of payload_size bytes: magic, 1..62 files, names valid file names
 * (ae_bundle_file_name_valid) NUL-padded and strictly ascending (so unique),
 * "manifest" present, every unused entry and reserved byte zero. The layout
 * must be the canonical one: each file starts at the first 4 KiB boundary
 * at or after the end of the one before (the first at 4096, just past the
 * directory) and the payload ends exactly where the last file ends; so
 * offsets are aligned, in order, not overlapping and inside the payload,
 * and one set of files has exactly one encoding. Stores the first max
 * entries in files; returns the file count, AE_ERR_CORRUPT, or
 * AE_ERR_TRUNCATED when the (valid) directory holds more than max.
 */
int ae_bundle_dir_parse(const void *dir, size_t len, uint64_t payload_size,
                        struct ae_bundle_file *files, uint32_t max);

/* Bundle (V-Node) names: [a-z0-9_-], 1..AE_BUNDLE_NAME_MAX-1 bytes of s[0, n). */
int ae_bundle_name_valid(const char *s, size_t n);

/* File names in a bundle: [A-Za-z0-9_-][A-Za-z0-9._-]*, 1..47 bytes of
 * s[0, n) (the manifest's rule for binary names: never a path, never "."
 * or ".." or hidden). */
int ae_bundle_file_name_valid(const char *s, size_t n);

/* Finds name among files; returns its index or AE_ERR_NOTFOUND. */
int ae_bundle_find(const struct ae_bundle_file *files, uint32_t n, const char *name);

/*
 * "MAJOR.MINOR.PATCH" (each < 65536, MAJOR < 2^32) <-> AE_BUNDLE_VERSION.
 * Parts are decimal without sign or leading zeros ("0" itself is fine),
 * like the manifest's. parse returns 0, AE_ERR_INVAL (syntax) or
 * AE_ERR_RANGE (a part too large). format always NUL-terminates (len > 0),
 * cutting the text if it does not fit; AE_BUNDLE_VERSION_TEXT_MAX holds any.
 */
#define AE_BUNDLE_VERSION_TEXT_MAX 24
int ae_bundle_version_parse(const char *s, uint64_t *out);
void ae_bundle_version_format(uint64_t v, char *buf, size_t len);

/*
 * Rollback protection: the highest version seen per name. check refuses a
 * version below the mark (AE_ERR_ROLLBACK); note raises the mark (never
 * lowers it). The table serialises as text lines "NAME VERSION\n" (VERSION
 * as MAJOR.MINOR.PATCH, one space between, every line ended by "\n", no
 * name twice; format writes them sorted by name). parse replaces the table
 * (left empty on failure). Names are bundle names (AE_ERR_INVAL for others
 * in check and note). format returns the text's length and writes a NUL
 * after it; AE_ERR_TRUNCATED when text and NUL do not fit.
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
