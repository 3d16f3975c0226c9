/*
 * Merkle trees over 4 KiB blocks, RFC 6962 style: a leaf is
 * SHA-256(0x00 || block) (the last block hashed at its real length), an
 * inner node SHA-256(0x01 || left || right); a tree of n > 1 leaves splits at
 * the largest power of two below n. Built bottom-up that is the same tree:
 * pairs are hashed level by level and an odd last node moves up unchanged.
 * The root of an empty input is SHA-256 of nothing.
 *
 * A stored tree is every level from the leaves up, concatenated (level 0
 * first), 32 bytes per node; ae_merkle_verify_block checks one block against
 * a trusted root using only its path, so the stored tree itself need not be
 * trusted.
 */
#ifndef AE_TRUST_MERKLE_H
#define AE_TRUST_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define AE_MERKLE_BLOCK 4096u
#define AE_MERKLE_HASH 32u

static inline uint64_t ae_merkle_leaves(uint64_t size)
{
    return (size + AE_MERKLE_BLOCK - 1) / AE_MERKLE_BLOCK;
}

void ae_merkle_leaf(const void *block, size_t len, uint8_t out[AE_MERKLE_HASH]);
void ae_merkle_node(const uint8_t left[AE_MERKLE_HASH],
                    const uint8_t right[AE_MERKLE_HASH], uint8_t out[AE_MERKLE_HASH]);

/* Nodes in the stored tree of a size-byte input (0 for size 0). */
uint64_t ae_merkle_tree_nodes(uint64_t size);

/* Root of data[0, size) computed in O(log n) memory. */
void ae_merkle_root(const void *data, uint64_t size, uint8_t root[AE_MERKLE_HASH]);

/* Builds the stored tree (ae_merkle_tree_nodes(size) * 32 bytes) and root. */
void ae_merkle_build(const void *data, uint64_t size, uint8_t *tree,
                     uint8_t root[AE_MERKLE_HASH]);

/*
 * Checks block index (its len bytes at block) of a size-byte input against
 * root, taking sibling hashes from the stored tree. Returns 0 when it
 * matches, AE_ERR_ROOT_MISMATCH when not, AE_ERR_RANGE for a bad index or
 * length.
 */
int ae_merkle_verify_block(const uint8_t *tree, uint64_t size, uint64_t index,
                           const void *block, size_t len,
                           const uint8_t root[AE_MERKLE_HASH]);

#endif
