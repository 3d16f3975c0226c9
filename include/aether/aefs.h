/*
 * AetherFS images: the read-only blob store the system boots from (the
 * "initrd" boot module). Built on the host by tools/aether-mkfs, read by
 * user/lib/aefs.c; docs/AETHERFS.md explains every field. Little-endian,
 * 4 KiB blocks.
 *
 * A blob is content named by its Merkle root (user/lib/trust/merkle.h); the
 * image keeps each blob's data and its stored Merkle tree, and a reader
 * checks every block it returns against the root, so nothing in the image
 * itself is trusted: only the roots, which bundle signatures vouch for.
 * Entries map names to blobs; a bundle entry also points at the bundle's
 * header block (its signatures), the blob being the bundle's payload.
 */
#ifndef AETHER_AEFS_H
#define AETHER_AEFS_H

#include <stdint.h>

#define AEFS_MAGIC "AETHERFS"                   /* 8 bytes */
#define AEFS_FORMAT 1u
#define AEFS_BLOCK 4096u
#define AEFS_NAME_MAX 40u                       /* bytes incl. NUL */
#define AEFS_MAX_BLOBS 4096u
#define AEFS_MAX_ENTRIES 4096u

/* Block 0. */
struct aefs_super {
    char magic[8];              /* AEFS_MAGIC */
    uint32_t format;            /* AEFS_FORMAT */
    uint32_t block_size;        /* AEFS_BLOCK */
    uint64_t nblocks;           /* image size / AEFS_BLOCK */
    uint32_t nblobs;            /* <= AEFS_MAX_BLOBS */
    uint32_t nentries;          /* <= AEFS_MAX_ENTRIES */
    uint64_t blob_table;        /* first block of the blob table */
    uint64_t entry_table;       /* first block of the entry table */
};
_Static_assert(sizeof(struct aefs_super) == 48, "on-disk layout");

/* Blob table: sorted by root, roots distinct (content stored once). */
struct aefs_blob {
    uint8_t root[32];           /* Merkle root of the data: the blob's name */
    uint64_t size;              /* bytes */
    uint64_t data;              /* first block of the data (ceil(size/4096) blocks) */
    uint64_t tree;              /* first block of the stored tree, 0 when size is 0 */
    uint64_t reserved;          /* zero */
};
_Static_assert(sizeof(struct aefs_blob) == 64, "on-disk layout");

/* aefs_entry.kind */
#define AEFS_KIND_FILE 1u       /* a plain blob (e.g. "hwm") */
#define AEFS_KIND_BUNDLE 2u     /* a V-Node bundle: header block + payload blob */
#define AEFS_KIND_TRUST 3u      /* a trust root, a successor of the installed one */

/* Entry table: sorted by name, names distinct. */
struct aefs_entry {
    char name[AEFS_NAME_MAX];   /* NUL-terminated, NUL-padded */
    uint32_t kind;              /* AEFS_KIND_* */
    uint32_t blob;              /* index in the blob table */
    uint64_t header;            /* bundles: block of the 4 KiB bundle header; else 0 */
    uint64_t reserved;          /* zero */
};
_Static_assert(sizeof(struct aefs_entry) == 64, "on-disk layout");

#endif
