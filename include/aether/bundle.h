/*
 * V-Node bundles and trust roots: the byte layouts shared by the host tool
 * (tools/aether-pack), the AetherFS image builder and init. docs/BUNDLE.md
 * explains every field; all integers are little-endian.
 *
 * A bundle is a 4 KiB header block (this header, then its signatures, then
 * zeros) followed by the payload: a directory block and the files, each
 * starting on a 4 KiB boundary. The bundle's identity is the Merkle root of
 * the payload (user/lib/trust/merkle.h); signatures cover the format, name,
 * version and root, never the signature list itself, so adding a signature
 * leaves the identity unchanged.
 */
#ifndef AETHER_BUNDLE_H
#define AETHER_BUNDLE_H

#include <stdint.h>

#define AE_BUNDLE_MAGIC "AEBUNDLE"          /* 8 bytes, no NUL */
#define AE_BUNDLE_FORMAT 1u
#define AE_BUNDLE_BLOCK 4096u               /* Merkle block and alignment */
#define AE_BUNDLE_HEADER_SIZE 4096u         /* header block before the payload */
#define AE_BUNDLE_NAME_MAX 24u              /* bytes incl. NUL (= AE_VNODE_NAME_MAX) */
#define AE_BUNDLE_MAX_SIGS 16u
#define AE_BUNDLE_MAX_FILES 62u             /* directory fits in one block */
#define AE_BUNDLE_FILE_NAME_MAX 48u         /* bytes incl. NUL */
#define AE_ED25519_KEY_SIZE 32u
#define AE_ED25519_SIG_SIZE 64u
#define AE_HASH_SIZE 32u

/* Bundle version: a manifest's "MAJOR.MINOR.PATCH" as one ordered number. */
#define AE_BUNDLE_VERSION(maj, min, pat) \
    (((uint64_t)(maj) << 32) | ((uint64_t)(min) << 16) | (uint64_t)(pat))

struct ae_bundle_header {
    char magic[8];              /* AE_BUNDLE_MAGIC */
    uint32_t format;            /* AE_BUNDLE_FORMAT */
    uint32_t header_size;       /* AE_BUNDLE_HEADER_SIZE */
    char name[32];              /* [a-z0-9_-], 1..23 chars, NUL-padded */
    uint64_t version;           /* AE_BUNDLE_VERSION() */
    uint64_t payload_size;      /* bytes after the header block */
    uint8_t root[AE_HASH_SIZE]; /* Merkle root of the payload */
    uint32_t nsigs;             /* signatures that follow, <= AE_BUNDLE_MAX_SIGS */
    uint32_t reserved;          /* zero */
};
_Static_assert(sizeof(struct ae_bundle_header) == 104, "on-disk layout");

/* One signature: who signed (a public key, never all zeros: an empty slot
 * is no signature) and the Ed25519 signature. */
struct ae_signature {
    uint8_t key[AE_ED25519_KEY_SIZE];
    uint8_t sig[AE_ED25519_SIG_SIZE];
};
_Static_assert(sizeof(struct ae_signature) == 96, "on-disk layout");

/*
 * What a bundle signature signs: exactly these 96 bytes. The domain string
 * keeps a bundle signature from ever being valid as a trust-root signature
 * (or anything else signed with the same key).
 */
#define AE_BUNDLE_SIG_DOMAIN "AetherOS bundle"  /* 15 chars, NUL-padded to 16 */
struct ae_bundle_sigmsg {
    char domain[16];
    uint32_t format;
    uint32_t zero;
    uint64_t version;
    char name[32];
    uint8_t root[AE_HASH_SIZE];
};
_Static_assert(sizeof(struct ae_bundle_sigmsg) == 96, "on-disk layout");

/* Payload block 0: the directory. */
#define AE_BUNDLE_DIR_MAGIC "AEBDIR\0\0"        /* 8 bytes */
struct ae_bundle_dir {
    char magic[8];
    uint32_t nfiles;            /* 1..AE_BUNDLE_MAX_FILES; "manifest" required */
    uint32_t reserved;          /* zero */
    uint8_t pad[48];            /* zero */
};
_Static_assert(sizeof(struct ae_bundle_dir) == 64, "on-disk layout");

struct ae_bundle_file {
    char name[AE_BUNDLE_FILE_NAME_MAX]; /* NUL-padded, unique, no '/' */
    uint64_t offset;            /* in the payload: the canonical place (docs/BUNDLE.md) */
    uint64_t size;
};
_Static_assert(sizeof(struct ae_bundle_file) == 64, "on-disk layout");
_Static_assert(sizeof(struct ae_bundle_dir) +
               AE_BUNDLE_MAX_FILES * sizeof(struct ae_bundle_file) <= AE_BUNDLE_BLOCK,
               "directory fits one block");

/*
 * Trust root: the public keys allowed to sign and how many must (k of n).
 * The first root is installed with the system (the boot module trust.root);
 * each later one must be signed by the threshold of the one before it and by
 * its own threshold (a TUF-style chain), and carry a higher version.
 */
#define AE_TRUST_MAGIC "AETRUST\0"              /* 8 bytes */
#define AE_TRUST_FORMAT 1u
#define AE_TRUST_MAX_KEYS 16u
#define AE_TRUST_MAX_SIGS 32u
struct ae_trust_header {
    char magic[8];
    uint32_t format;            /* AE_TRUST_FORMAT */
    uint32_t version;           /* >= 1, rises by rotation */
    uint32_t threshold;         /* k: 1 <= k <= nkeys */
    uint32_t nkeys;             /* n: <= AE_TRUST_MAX_KEYS, keys distinct */
    uint32_t nsigs;             /* <= AE_TRUST_MAX_SIGS */
    uint32_t reserved;          /* zero */
};
_Static_assert(sizeof(struct ae_trust_header) == 32, "on-disk layout");
/* File: header, nkeys keys of 32 bytes, nsigs struct ae_signature; no more. */

/* What a trust-root signature signs: the domain, then SHA-256 of the file's
 * header (with nsigs set to 0) and keys. */
#define AE_TRUST_SIG_DOMAIN "AetherOS trust"    /* NUL-padded to 16 */
struct ae_trust_sigmsg {
    char domain[16];
    uint8_t body_hash[AE_HASH_SIZE];
};
_Static_assert(sizeof(struct ae_trust_sigmsg) == 48, "on-disk layout");

#endif
