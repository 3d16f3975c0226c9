/*
 * Unit tests for the Merkle tree over 4 KiB blocks (user/lib/trust/merkle.c).
 * The reference is RFC 6962's recursive MTH, written here from the RFC's
 * definition and hashing with libsodium, not with the code under test:
 *   MTH({})  = SHA-256()
 *   MTH({d}) = SHA-256(0x00 || d)
 *   MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest
 *               power of two below n.
 * Blocks are 4096 bytes, the last one at its real length.
 */
#include "unit.h"

#include <sodium.h>

#include "user/lib/trust/merkle.h"

#define BLOCK 4096u
#define HASH 32u

static void ref_leaf(const uint8_t *p, size_t len, uint8_t out[HASH])
{
    crypto_hash_sha256_state s;
    uint8_t zero = 0x00;

    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, &zero, 1);
    crypto_hash_sha256_update(&s, p, len);
    crypto_hash_sha256_final(&s, out);
}

/* MTH of the blocks [first, first + n) of data[0, size). */
static void ref_mth(const uint8_t *data, uint64_t size, uint64_t first, uint64_t n,
                    uint8_t out[HASH])
{
    uint8_t buf[1 + 2 * HASH];
    uint64_t k = 1;

    if (n == 1) {
        uint64_t off = first * BLOCK;
        ref_leaf(data + off, size - off < BLOCK ? size - off : BLOCK, out);
        return;
    }
    while (k * 2 < n)
        k *= 2;
    buf[0] = 0x01;
    ref_mth(data, size, first, k, buf + 1);
    ref_mth(data, size, first + k, n - k, buf + 1 + HASH);
    crypto_hash_sha256(out, buf, sizeof(buf));
}

static void ref_root(const uint8_t *data, uint64_t size, uint8_t out[HASH])
{
    uint64_t n = (size + BLOCK - 1) / BLOCK;

    if (n == 0)
        crypto_hash_sha256(out, (const uint8_t *)"", 0);
    else
        ref_mth(data, size, 0, n, out);
}

static uint8_t *random_data(uint64_t size)
{
    uint8_t *p = malloc(size ? size : 1);

    assert_non_null(p);
    for (uint64_t i = 0; i < size; i++)
        p[i] = (uint8_t)rng();
    return p;
}

/* Stored-tree nodes by the level widths ceil(n / 2^l), counted here. */
static uint64_t ref_nodes(uint64_t size)
{
    uint64_t n = (size + BLOCK - 1) / BLOCK, total = 0;

    if (n == 0)
        return 0;
    for (uint64_t w = n;; w = (w + 1) / 2) {
        total += w;
        if (w == 1)
            return total;
    }
}

/* Root, build and the reference agree for one input. */
static void check_roots(const uint8_t *data, uint64_t size)
{
    uint8_t want[HASH], got[HASH], built[HASH];
    uint64_t nodes = ae_merkle_tree_nodes(size);
    uint8_t *tree = malloc(nodes ? nodes * HASH : 1);

    assert_non_null(tree);
    ref_root(data, size, want);
    ae_merkle_root(data, size, got);
    ae_merkle_build(data, size, tree, built);
    if (memcmp(want, got, HASH) != 0 || memcmp(want, built, HASH) != 0)
        fail_msg("size %llu: root differs from RFC 6962 MTH", (unsigned long long)size);
    assert_int_equal(nodes, ref_nodes(size));
    free(tree);
}

static void MRK0001_small_sizes_match_reference(void **state)
{
    static const uint64_t sizes[] = {0, 1, 2, 4095, 4096, 4097, 8191, 8192, 8193, 12288};

    rng_state = 1;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint8_t *d = random_data(sizes[i]);
        check_roots(d, sizes[i]);
        free(d);
    }
}

static void MRK0002_empty_input_is_hash_of_nothing(void **state)
{
    static const uint8_t empty_sha256[HASH] = {
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    };
    uint8_t root[HASH], built[HASH];

    ae_merkle_root(NULL, 0, root);
    assert_memory_equal(root, empty_sha256, HASH);
    ae_merkle_build(NULL, 0, NULL, built);
    assert_memory_equal(built, empty_sha256, HASH);
    assert_int_equal(ae_merkle_tree_nodes(0), 0);
}

static void MRK0003_single_block_is_its_leaf(void **state)
{
    uint8_t d[100], leaf[HASH], root[HASH];

    memset(d, 0x5a, sizeof(d));
    ref_leaf(d, sizeof(d), leaf);
    ae_merkle_root(d, sizeof(d), root);
    assert_memory_equal(root, leaf, HASH);
    /* The leaf hashes the real length, not a padded block. */
    uint8_t padded[BLOCK] = {0};
    memcpy(padded, d, sizeof(d));
    ae_merkle_root(padded, BLOCK, root);
    assert_memory_not_equal(root, leaf, HASH);
}

static void MRK0004_block_counts_1_to_70(void **state)
{
    rng_state = 2;
    for (uint64_t n = 1; n <= 70; n++) {
        /* Full last block, and a random real length of the last block. */
        uint64_t sizes[2] = {n * BLOCK, (n - 1) * BLOCK + 1 + rng() % BLOCK};
        for (int j = 0; j < 2; j++) {
            uint8_t *d = random_data(sizes[j]);
            check_roots(d, sizes[j]);
            free(d);
        }
    }
}

static void MRK0005_tree_node_counts(void **state)
{
    static const struct {
        uint64_t blocks, nodes;
    } t[] = {{1, 1}, {2, 3}, {3, 6}, {4, 7}, {5, 11}, {6, 12}, {7, 14}, {8, 15}, {9, 20}};

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_int_equal(ae_merkle_tree_nodes(t[i].blocks * BLOCK), t[i].nodes);
        assert_int_equal(ae_merkle_tree_nodes(t[i].blocks * BLOCK - 1), t[i].nodes);
    }
    assert_int_equal(ae_merkle_tree_nodes(1), 1);
    assert_int_equal(ae_merkle_tree_nodes(1ull << 40), ref_nodes(1ull << 40));
}

/* Offset in the stored tree of node i of level l, for n leaves. */
static uint64_t node_at(uint64_t n, unsigned l, uint64_t i)
{
    uint64_t off = 0, w = n;

    for (unsigned k = 0; k < l; k++) {
        off += w;
        w = (w + 1) / 2;
    }
    return (off + i) * HASH;
}

/* Every block verifies; changing it, or any sibling on its path, fails;
 * changing a stored node off its sibling path does not matter. */
static void check_blocks(const uint8_t *data, uint64_t size)
{
    uint64_t n = (size + BLOCK - 1) / BLOCK, nodes = ae_merkle_tree_nodes(size);
    uint8_t *tree = malloc(nodes * HASH), root[HASH], block[BLOCK];

    assert_non_null(tree);
    ae_merkle_build(data, size, tree, root);
    for (uint64_t i = 0; i < n; i++) {
        size_t len = size - i * BLOCK < BLOCK ? size - i * BLOCK : BLOCK;
        const uint8_t *p = data + i * BLOCK;

        assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len, root), 0);
        memcpy(block, p, len);
        block[rng() % len] ^= (uint8_t)(1 + rng() % 255);
        assert_int_equal(ae_merkle_verify_block(tree, size, i, block, len, root),
                         AE_ERR_ROOT_MISMATCH);
        if (n > 1) {    /* another block in this place */
            uint64_t j = (i + 1) % n;
            size_t jl = size - j * BLOCK < BLOCK ? size - j * BLOCK : BLOCK;
            if (jl == len)
                assert_int_equal(ae_merkle_verify_block(tree, size, i, data + j * BLOCK, jl,
                                                        root), AE_ERR_ROOT_MISMATCH);
        }
        /* The siblings on the path, level by level. */
        uint64_t w = n, idx = i;
        for (unsigned l = 0; w > 1; l++, w = (w + 1) / 2, idx /= 2) {
            uint64_t sib = idx ^ 1;
            if (sib >= w)
                continue;
            uint64_t at = node_at(n, l, sib) + rng() % HASH;
            tree[at] ^= 0x80;
            assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len, root),
                             AE_ERR_ROOT_MISMATCH);
            tree[at] ^= 0x80;
        }
        /* Stored nodes off the sibling path are never read: the block's own
         * leaf (recomputed) and, with more than two leaves, a leaf that is
         * neither it nor its sibling. */
        tree[node_at(n, 0, i)] ^= 1;
        assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len, root), 0);
        tree[node_at(n, 0, i)] ^= 1;
        if (n > 2) {
            uint64_t other = i < 2 ? 2 : 0;
            tree[node_at(n, 0, other)] ^= 1;
            assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len, root), 0);
            tree[node_at(n, 0, other)] ^= 1;
        }
        /* Wrong lengths and the wrong root. */
        assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len - 1, root), AE_ERR_RANGE);
        if (len < BLOCK)
            assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len + 1, root),
                             AE_ERR_RANGE);
        root[0] ^= 1;
        assert_int_equal(ae_merkle_verify_block(tree, size, i, p, len, root),
                         AE_ERR_ROOT_MISMATCH);
        root[0] ^= 1;
    }
    assert_int_equal(ae_merkle_verify_block(tree, size, n, data, BLOCK, root), AE_ERR_RANGE);
    assert_int_equal(ae_merkle_verify_block(tree, size, UINT64_MAX, data, BLOCK, root),
                     AE_ERR_RANGE);
    free(tree);
}

static void MRK0006_verify_block_every_block(void **state)
{
    rng_state = 3;
    for (uint64_t n = 1; n <= 70; n++) {
        uint64_t size = (n - 1) * BLOCK + 1 + rng() % BLOCK;
        uint8_t *d = random_data(size);
        check_blocks(d, size);
        free(d);
    }
    for (uint64_t size = 4095; size <= 4097; size++) {
        uint8_t *d = random_data(size);
        check_blocks(d, size);
        free(d);
    }
}

static void MRK0007_verify_block_nothing_to_verify(void **state)
{
    uint8_t root[HASH], b = 0;

    ae_merkle_root(NULL, 0, root);
    assert_int_equal(ae_merkle_verify_block(NULL, 0, 0, &b, 0, root), AE_ERR_RANGE);
}

/* Changing any block changes the root, and so does appending a byte. */
static void MRK0008_root_sensitive_to_every_block_and_length(void **state)
{
    uint64_t size = 9 * BLOCK + 77;
    uint8_t *d, a[HASH], b[HASH];

    rng_state = 4;
    d = random_data(size + 1);
    ae_merkle_root(d, size, a);
    for (uint64_t i = 0; i < 10; i++) {
        uint64_t at = i * BLOCK + rng() % (i == 9 ? 77 : BLOCK);
        d[at] ^= 1;
        ae_merkle_root(d, size, b);
        assert_memory_not_equal(a, b, HASH);
        d[at] ^= 1;
    }
    ae_merkle_root(d, size + 1, b);
    assert_memory_not_equal(a, b, HASH);
    d[size] = 0;
    ae_merkle_root(d, size + 1, b);
    assert_memory_not_equal(a, b, HASH);    /* a zero byte is not padding */
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(MRK0001_small_sizes_match_reference),
        cmocka_unit_test(MRK0002_empty_input_is_hash_of_nothing),
        cmocka_unit_test(MRK0003_single_block_is_its_leaf),
        cmocka_unit_test(MRK0004_block_counts_1_to_70),
        cmocka_unit_test(MRK0005_tree_node_counts),
        cmocka_unit_test(MRK0006_verify_block_every_block),
        cmocka_unit_test(MRK0007_verify_block_nothing_to_verify),
        cmocka_unit_test(MRK0008_root_sensitive_to_every_block_and_length),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests_name("merkle", tests, NULL, NULL);
}
