/*
 * AetherFS: images built by tools/aether-mkfs/image.c, read by
 * user/lib/aefs.c. The property that matters: a read returns exactly the
 * bytes that were stored, or an error; never anything else, whatever byte
 * of the image is changed.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "aether/errors.h"
#include "tools/aether-mkfs/image.h"
#include "user/lib/aefs.h"
#include "user/lib/trust/merkle.h"

struct src {
    const char *name;
    uint8_t *data;
    uint64_t size;
};

static uint32_t aefs_rng = 12345;
static uint32_t rnd(void)
{
    aefs_rng ^= aefs_rng << 13;
    aefs_rng ^= aefs_rng >> 17;
    aefs_rng ^= aefs_rng << 5;
    return aefs_rng;
}

static uint8_t *random_bytes(uint64_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    for (uint64_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd();
    return p;
}

#define NSRC 6
static struct src srcs[NSRC];

static void make_srcs(void)
{
    static const struct { const char *name; uint64_t size; } spec[NSRC] = {
        {"empty", 0}, {"one", 1}, {"block", 4096}, {"block-and-1", 4097},
        {"dir/big", 100000}, {"dir/sub/odd", 5 * 4096 + 17},
    };
    for (int i = 0; i < NSRC; i++) {
        srcs[i].name = spec[i].name;
        srcs[i].size = spec[i].size;
        srcs[i].data = random_bytes(spec[i].size);
    }
}

static uint8_t *build(uint64_t *len)
{
    struct image im;
    uint8_t *img;

    image_init(&im);
    for (int i = 0; i < NSRC; i++)
        assert_int_equal(image_add_file(&im, srcs[i].name, AEFS_KIND_FILE, srcs[i].data,
                                        srcs[i].size), AE_OK);
    /* Same content under another name: stored once. */
    assert_int_equal(image_add_file(&im, "copy-of-big", AEFS_KIND_FILE, srcs[4].data,
                                    srcs[4].size), AE_OK);
    assert_int_equal(image_add_file(&im, "one", AEFS_KIND_FILE, "x", 1), AE_ERR_EXISTS);
    assert_int_equal(image_add_file(&im, "Bad", AEFS_KIND_FILE, "x", 1), AE_ERR_INVAL);
    assert_int_equal(image_add_file(&im, "/abs", AEFS_KIND_FILE, "x", 1), AE_ERR_INVAL);
    assert_int_equal(image_add_file(&im, "a//b", AEFS_KIND_FILE, "x", 1), AE_ERR_INVAL);
    assert_int_equal(image_write(&im, &img, len), AE_OK);
    image_free(&im);
    return img;
}

/* Every entry read whole and in random pieces: exact bytes or an error.
 * Returns how many reads failed (0 for a good image). */
static int check_reads(const struct aefs *fs, int pieces)
{
    int failures = 0;

    for (int i = 0; i < NSRC; i++) {
        struct aefs_entry e;
        struct aefs_blob b;
        if (aefs_lookup(fs, srcs[i].name, &e) < 0) {
            failures++;
            continue;
        }
        aefs_blob_get(fs, e.blob, &b);
        uint8_t *buf = malloc(srcs[i].size + 1);
        int64_t n = aefs_read(fs, &b, 0, buf, srcs[i].size + 100);
        if (n < 0)
            failures++;
        else {
            /* Whatever it returns must be the stored bytes. */
            assert_int_equal(n, (int64_t)srcs[i].size);
            assert_memory_equal(buf, srcs[i].data, srcs[i].size ? srcs[i].size : 0);
        }
        for (int k = 0; k < pieces && srcs[i].size; k++) {
            uint64_t off = rnd() % srcs[i].size, len = rnd() % (srcs[i].size - off + 1);
            n = aefs_read(fs, &b, off, buf, len);
            if (n < 0) {
                failures++;
                continue;
            }
            assert_int_equal(n, (int64_t)len);
            assert_memory_equal(buf, srcs[i].data + off, len ? len : 0);
        }
        free(buf);
    }
    return failures;
}

static void AEFS0001_round_trip(void **state)
{
    uint64_t len;
    uint8_t *img = build(&len);
    struct aefs fs;
    struct aefs_entry e, e2;

    assert_int_equal(aefs_open(&fs, img, len), AE_OK);
    assert_int_equal(fs.nentries, NSRC + 1);
    assert_int_equal(fs.nblobs, NSRC);          /* the copy shares its blob */
    assert_int_equal(check_reads(&fs, 50), 0);
    assert_true(aefs_lookup(&fs, "dir/big", &e) >= 0);
    assert_true(aefs_lookup(&fs, "copy-of-big", &e2) >= 0);
    assert_int_equal(e.blob, e2.blob);
    assert_int_equal(aefs_lookup(&fs, "dir", NULL), AE_ERR_NOTFOUND);
    assert_int_equal(aefs_lookup(&fs, "zzz", NULL), AE_ERR_NOTFOUND);

    struct aefs_blob b;
    aefs_blob_get(&fs, e.blob, &b);
    uint8_t root[32];
    ae_merkle_root(srcs[4].data, srcs[4].size, root);
    assert_memory_equal(b.root, root, 32);
    assert_int_equal(aefs_find_root(&fs, root), (int)e.blob);
    root[0] ^= 1;
    assert_int_equal(aefs_find_root(&fs, root), AE_ERR_NOTFOUND);
    for (uint32_t i = 0; i < fs.nblobs; i++) {
        aefs_blob_get(&fs, i, &b);
        assert_int_equal(aefs_verify_blob(&fs, &b, NULL), AE_OK);
    }
    char buf[8];
    assert_int_equal(aefs_read(&fs, &b, b.size + 1, buf, 1), AE_ERR_RANGE);
    assert_int_equal(aefs_read(&fs, &b, b.size, buf, 1), 0);
    free(img);
}

/* A changed data or tree byte: the block holding it fails to read, the
 * others still read, verify_blob names the block. */
static void AEFS0002_corrupt_block_caught_on_read(void **state)
{
    uint64_t len;
    uint8_t *img = build(&len);
    struct aefs fs;
    struct aefs_entry e;
    struct aefs_blob b;
    uint64_t bad;

    assert_int_equal(aefs_open(&fs, img, len), AE_OK);
    assert_true(aefs_lookup(&fs, "dir/big", &e) >= 0);
    aefs_blob_get(&fs, e.blob, &b);
    /* Corrupt block 7 after the image was opened: caught at read time. */
    img[(b.data + 7) * AEFS_BLOCK + 123] ^= 0x40;
    uint8_t *buf = malloc(b.size);
    assert_int_equal(aefs_read(&fs, &b, 7 * 4096 + 100, buf, 50), AE_ERR_ROOT_MISMATCH);
    assert_int_equal(aefs_read(&fs, &b, 0, buf, b.size), AE_ERR_ROOT_MISMATCH);
    assert_int_equal(aefs_read(&fs, &b, 6 * 4096, buf, 4096), 4096);
    assert_memory_equal(buf, srcs[4].data + 6 * 4096, 4096);
    assert_int_equal(aefs_read(&fs, &b, 8 * 4096, buf, 10), 10);
    assert_int_equal(aefs_verify_blob(&fs, &b, &bad), AE_ERR_ROOT_MISMATCH);
    assert_int_equal(bad, 7);
    img[(b.data + 7) * AEFS_BLOCK + 123] ^= 0x40;
    assert_int_equal(aefs_verify_blob(&fs, &b, NULL), AE_OK);

    /* A sibling hash on block 7's path: node 6 of level 0 of the tree. */
    img[b.tree * AEFS_BLOCK + 6 * 32] ^= 1;
    assert_int_equal(aefs_read(&fs, &b, 7 * 4096, buf, 1), AE_ERR_ROOT_MISMATCH);
    assert_int_equal(aefs_read(&fs, &b, 20 * 4096, buf, 1), 1);  /* other half */
    free(buf);
    free(img);
}

/*
 * Every byte of a whole image, changed in turn: either the image no longer
 * opens, or every read gives the stored bytes or an error. The blob table's
 * roots are the only trusted names here (as if a signature vouched for
 * them), so the reads go through roots looked up from the sources, not the
 * image's own table.
 */
static void AEFS0003_every_byte_flip_never_wrong_data(void **state)
{
    uint64_t len;
    uint8_t *img = build(&len);
    uint8_t roots[NSRC][32];
    unsigned opened = 0, failed_reads = 0, refused = 0;

    struct aefs_super sb;
    memcpy(&sb, img, sizeof(sb));
    /* Every byte of the superblock and tables; every 37th of the data and
     * trees (each block still gets dozens: one flip per block is what a
     * read can see, and the hashing under ASan is what costs). */
    uint64_t tables_end = (sb.entry_table + 1) * AEFS_BLOCK;
    for (int i = 0; i < NSRC; i++)
        ae_merkle_root(srcs[i].data, srcs[i].size, roots[i]);
    for (uint64_t pos = 0; pos < len; pos += pos < tables_end ? 1 : 37) {
        struct aefs fs;
        img[pos] ^= 0xa5;
        if (aefs_open(&fs, img, len) != AE_OK) {
            refused++;
            img[pos] ^= 0xa5;
            continue;
        }
        opened++;
        for (int i = 0; i < NSRC; i++) {
            int bi = aefs_find_root(&fs, roots[i]);
            struct aefs_blob b;
            if (bi < 0) {
                failed_reads++;
                continue;
            }
            aefs_blob_get(&fs, (uint32_t)bi, &b);
            uint8_t *buf = malloc(srcs[i].size + 1);
            int64_t n = aefs_read(&fs, &b, 0, buf, srcs[i].size);
            if (n < 0 || (uint64_t)n != srcs[i].size)
                failed_reads++;
            else
                assert_memory_equal(buf, srcs[i].data, srcs[i].size ? srcs[i].size : 0);
            free(buf);
        }
        img[pos] ^= 0xa5;
    }
    print_message("      %u positions: %u refused at open, %u opened (%u reads failed)\n",
                  refused + opened, refused, opened, failed_reads);
    assert_true(refused > 0 && failed_reads > 0);
    free(img);
}

static void AEFS0004_malformed_images_refused(void **state)
{
    uint64_t len;
    uint8_t *img = build(&len);
    struct aefs fs;

    assert_int_equal(aefs_open(&fs, img, len - 4096), AE_ERR_CORRUPT);   /* truncated */
    assert_int_equal(aefs_open(&fs, img, len - 1), AE_ERR_CORRUPT);
    assert_int_equal(aefs_open(&fs, img, 0), AE_ERR_CORRUPT);
    /* Table pointing past the end. */
    struct aefs_super sb;
    memcpy(&sb, img, sizeof(sb));
    struct aefs_super bad = sb;
    bad.entry_table = sb.nblocks;
    memcpy(img, &bad, sizeof(bad));
    assert_int_equal(aefs_open(&fs, img, len), AE_ERR_CORRUPT);
    bad = sb;
    bad.nblobs = 0xffffffffu;
    memcpy(img, &bad, sizeof(bad));
    assert_int_equal(aefs_open(&fs, img, len), AE_ERR_CORRUPT);
    bad = sb;
    bad.blob_table = 0;
    memcpy(img, &bad, sizeof(bad));
    assert_int_equal(aefs_open(&fs, img, len), AE_ERR_CORRUPT);
    memcpy(img, &sb, sizeof(sb));
    assert_int_equal(aefs_open(&fs, img, len), AE_OK);

    /* Random garbage of many sizes: refused or opened, never a crash. */
    for (int k = 0; k < 2000; k++) {
        uint64_t n = (1 + rnd() % 6) * 4096;
        uint8_t *g = random_bytes(n);
        if (k & 1) {
            memcpy(g, &sb, sizeof(sb));     /* a plausible superblock */
            ((struct aefs_super *)g)->nblocks = n / 4096;
        }
        if (aefs_open(&fs, g, n) == AE_OK)
            check_reads(&fs, 2);
        free(g);
    }
    free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(AEFS0001_round_trip),
        cmocka_unit_test(AEFS0002_corrupt_block_caught_on_read),
        cmocka_unit_test(AEFS0003_every_byte_flip_never_wrong_data),
        cmocka_unit_test(AEFS0004_malformed_images_refused),
    };
    make_srcs();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
