/*
 * Reading an AetherFS image held in memory (include/aether/aefs.h). Opening
 * checks the image's structure; every read of blob data checks each block it
 * touches against the blob's Merkle root, so corruption, whenever it
 * happened, surfaces as AE_ERR_ROOT_MISMATCH on the read that meets it.
 * Blocks are copied out first and the copy is hashed, so what the caller
 * gets is exactly what was checked.
 */
#ifndef USER_LIB_AEFS_H
#define USER_LIB_AEFS_H

#include <stddef.h>
#include <stdint.h>

#include "aether/aefs.h"

struct aefs {
    const uint8_t *img;
    uint64_t size;
    uint32_t nblobs, nentries;
    const uint8_t *blobs;       /* the blob table */
    const uint8_t *entries;     /* the entry table */
};

/*
 * Checks the superblock and tables: magic, format, sizes, tables, every
 * blob's data and tree inside the image, roots sorted and distinct, entry
 * names valid, sorted and distinct, entry kinds and blob indexes valid, a
 * bundle's header block inside the image, reserved fields zero. Returns 0
 * or AE_ERR_CORRUPT.
 */
int aefs_open(struct aefs *fs, const void *img, uint64_t size);

void aefs_entry_get(const struct aefs *fs, uint32_t i, struct aefs_entry *out);
void aefs_blob_get(const struct aefs *fs, uint32_t i, struct aefs_blob *out);

/* Entry index by name, or AE_ERR_NOTFOUND. */
int aefs_lookup(const struct aefs *fs, const char *name, struct aefs_entry *out);

/* Blob index by root, or AE_ERR_NOTFOUND. */
int aefs_find_root(const struct aefs *fs, const uint8_t root[32]);

/* A bundle entry's 4 KiB header block (not checked: signatures vouch). */
const void *aefs_bundle_header(const struct aefs *fs, const struct aefs_entry *e);

/*
 * Copies blob bytes [off, off + len) into buf, checking every block touched
 * against the blob's root. Returns the bytes copied (short only at the end
 * of the blob), AE_ERR_ROOT_MISMATCH (buf contents then undefined) or
 * AE_ERR_RANGE (off past the end).
 */
int64_t aefs_read(const struct aefs *fs, const struct aefs_blob *b, uint64_t off,
                  void *buf, uint64_t len);

/* Checks every block of a blob: 0, or AE_ERR_ROOT_MISMATCH with *bad_block
 * (may be NULL) set to the first block that fails. */
int aefs_verify_blob(const struct aefs *fs, const struct aefs_blob *b, uint64_t *bad_block);

#endif
