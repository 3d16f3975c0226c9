/*
 * Building AetherFS images (include/aether/aefs.h) on the host: collect
 * entries, then lay out the image. Blobs are stored once per root.
 */
#ifndef AETHER_MKFS_IMAGE_H
#define AETHER_MKFS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "aether/aefs.h"

struct image_blob {
    uint8_t root[32];
    uint8_t *data;              /* owned copy */
    uint64_t size;
};

struct image_entry {
    char name[AEFS_NAME_MAX];
    uint32_t kind;
    uint32_t blob;              /* index into blobs[] (insertion order) */
    uint8_t *header;            /* bundles: owned copy of the 4 KiB header block */
};

struct image {
    struct image_blob *blobs;
    uint32_t nblobs;
    struct image_entry *entries;
    uint32_t nentries;
};

void image_init(struct image *im);
void image_free(struct image *im);

/* Adds a plain blob under name (kind AEFS_KIND_FILE or AEFS_KIND_TRUST).
 * Returns 0, AE_ERR_EXISTS (name taken), AE_ERR_INVAL (bad name), AE_ERR_NOMEM. */
int image_add_file(struct image *im, const char *name, uint32_t kind,
                   const void *data, uint64_t size);

/*
 * Adds a bundle file as "vnodes/NAME" (NAME from its header): the header
 * block is kept as is, the payload becomes a blob. A payload that does not
 * match the header's root is refused (AE_ERR_ROOT_MISMATCH), as is a header
 * that does not parse (AE_ERR_CORRUPT); signatures are not checked here.
 */
int image_add_bundle(struct image *im, const void *file, uint64_t len);

/* Lays out the image into a malloc'd buffer. Returns 0 or AE_ERR_NOMEM. */
int image_write(const struct image *im, uint8_t **out, uint64_t *len);

#endif
