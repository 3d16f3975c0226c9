/*
 * RFC 6962-style Merkle trees over 4 KiB blocks (merkle.h). The tree is
 * handled level by level: level l has ceil(n / 2^l) nodes, node i of level
 * l+1 is the hash of nodes 2i and 2i+1 of level l, or node 2i itself when it
 * has no partner. That is RFC 6962's shape, and it lets a stored tree be
 * walked with plain index arithmetic.
 */
#include <string.h>

#include "aether/errors.h"
#include "crypto/sha256.h"
#include "trust/merkle.h"

#define MERKLE_MAX_LEVELS 64

void ae_merkle_leaf(const void *block, size_t len, uint8_t out[AE_MERKLE_HASH])
{
    static const uint8_t prefix = 0x00;
    struct ae_sha256 s;

    ae_sha256_init(&s);
    ae_sha256_update(&s, &prefix, 1);
    ae_sha256_update(&s, block, len);
    ae_sha256_final(&s, out);
}

void ae_merkle_node(const uint8_t left[AE_MERKLE_HASH],
                    const uint8_t right[AE_MERKLE_HASH], uint8_t out[AE_MERKLE_HASH])
{
    uint8_t buf[1 + 2 * AE_MERKLE_HASH];

    buf[0] = 0x01;
    memcpy(buf + 1, left, AE_MERKLE_HASH);
    memcpy(buf + 1 + AE_MERKLE_HASH, right, AE_MERKLE_HASH);
    ae_sha256(buf, sizeof(buf), out);
}

static uint64_t level_width(uint64_t leaves, unsigned level)
{
    return level >= 64 ? (leaves > 0) : (leaves + ((uint64_t)1 << level) - 1) >> level;
}

uint64_t ae_merkle_tree_nodes(uint64_t size)
{
    uint64_t n = ae_merkle_leaves(size), total = 0;

    if (n == 0)
        return 0;
    for (unsigned l = 0;; l++) {
        uint64_t w = level_width(n, l);
        total += w;
        if (w == 1)
            return total;
    }
}

static size_t block_len(uint64_t size, uint64_t index)
{
    uint64_t off = index * AE_MERKLE_BLOCK;
    uint64_t left = size - off;
    return left < AE_MERKLE_BLOCK ? (size_t)left : AE_MERKLE_BLOCK;
}

/*
 * Streaming root: a stack of complete subtrees of strictly decreasing size
 * (like a binary counter). Merging happens only when a subtree of equal size
 * exists, which keeps RFC 6962's left-heavy split; at the end the remaining
 * subtrees are folded from the right.
 */
void ae_merkle_root(const void *data, uint64_t size, uint8_t root[AE_MERKLE_HASH])
{
    uint8_t stack[MERKLE_MAX_LEVELS][AE_MERKLE_HASH];
    uint8_t height[MERKLE_MAX_LEVELS];
    unsigned depth = 0;
    uint64_t n = ae_merkle_leaves(size);
    const uint8_t *p = data;

    if (n == 0) {
        ae_sha256(NULL, 0, root);
        return;
    }
    for (uint64_t i = 0; i < n; i++) {
        ae_merkle_leaf(p + i * AE_MERKLE_BLOCK, block_len(size, i), stack[depth]);
        height[depth++] = 0;
        while (depth >= 2 && height[depth - 1] == height[depth - 2]) {
            ae_merkle_node(stack[depth - 2], stack[depth - 1], stack[depth - 2]);
            height[depth - 2]++;
            depth--;
        }
    }
    while (depth >= 2) {
        ae_merkle_node(stack[depth - 2], stack[depth - 1], stack[depth - 2]);
        depth--;
    }
    memcpy(root, stack[0], AE_MERKLE_HASH);
}

void ae_merkle_build(const void *data, uint64_t size, uint8_t *tree,
                     uint8_t root[AE_MERKLE_HASH])
{
    uint64_t n = ae_merkle_leaves(size);
    const uint8_t *p = data;

    if (n == 0) {
        ae_sha256(NULL, 0, root);
        return;
    }
    for (uint64_t i = 0; i < n; i++)
        ae_merkle_leaf(p + i * AE_MERKLE_BLOCK, block_len(size, i), tree + i * AE_MERKLE_HASH);

    uint8_t *level = tree;
    uint64_t w = n;
    while (w > 1) {
        uint8_t *up = level + w * AE_MERKLE_HASH;
        uint64_t uw = (w + 1) / 2;
        for (uint64_t i = 0; i < uw; i++) {
            uint8_t *dst = up + i * AE_MERKLE_HASH;
            if (2 * i + 1 < w)
                ae_merkle_node(level + 2 * i * AE_MERKLE_HASH,
                               level + (2 * i + 1) * AE_MERKLE_HASH, dst);
            else
                memcpy(dst, level + 2 * i * AE_MERKLE_HASH, AE_MERKLE_HASH);
        }
        level = up;
        w = uw;
    }
    memcpy(root, level, AE_MERKLE_HASH);
}

int ae_merkle_verify_block(const uint8_t *tree, uint64_t size, uint64_t index,
                           const void *block, size_t len,
                           const uint8_t root[AE_MERKLE_HASH])
{
    uint64_t n = ae_merkle_leaves(size);
    uint8_t h[AE_MERKLE_HASH];

    if (index >= n || len != block_len(size, index))
        return AE_ERR_RANGE;
    ae_merkle_leaf(block, len, h);

    const uint8_t *level = tree;
    uint64_t w = n, i = index;
    while (w > 1) {
        uint64_t sib = i ^ 1;
        if (sib < w) {
            const uint8_t *s = level + sib * AE_MERKLE_HASH;
            if (i & 1)
                ae_merkle_node(s, h, h);
            else
                ae_merkle_node(h, s, h);
        }
        level += w * AE_MERKLE_HASH;
        w = (w + 1) / 2;
        i /= 2;
    }
    /* Every byte is compared: the root is public, timing leaks nothing. */
    return memcmp(h, root, AE_MERKLE_HASH) == 0 ? 0 : AE_ERR_ROOT_MISMATCH;
}
