/*
 * AetherFS reader (aefs.h). The image is untrusted input: every number in
 * it is range-checked before it is used as an offset, and blob data is only
 * handed out after its blocks match the blob's root.
 */
#include <stdbool.h>
#include <string.h>

#include "aefs.h"
#include "aether/errors.h"
#include "trust/merkle.h"

static uint64_t blocks_of(uint64_t bytes)
{
    return (bytes + AEFS_BLOCK - 1) / AEFS_BLOCK;
}

/* [first, first + count) blocks lie inside the image (and not in block 0). */
static bool blocks_ok(const struct aefs *fs, uint64_t first, uint64_t count)
{
    uint64_t nblocks = fs->size / AEFS_BLOCK;
    return first >= 1 && first <= nblocks && count <= nblocks - first;
}

static bool zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

void aefs_entry_get(const struct aefs *fs, uint32_t i, struct aefs_entry *out)
{
    memcpy(out, fs->entries + (size_t)i * sizeof(*out), sizeof(*out));
}

void aefs_blob_get(const struct aefs *fs, uint32_t i, struct aefs_blob *out)
{
    memcpy(out, fs->blobs + (size_t)i * sizeof(*out), sizeof(*out));
}

static bool name_ok(const char *name)
{
    size_t n = strnlen(name, AEFS_NAME_MAX);
    if (n == 0 || n == AEFS_NAME_MAX || !zero(name + n, AEFS_NAME_MAX - n))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == '/'))
            return false;
    }
    return true;
}

static int check_blob(const struct aefs *fs, const struct aefs_blob *b)
{
    uint64_t nodes = ae_merkle_tree_nodes(b->size);

    if (b->reserved || b->size > fs->size)
        return AE_ERR_CORRUPT;
    if (b->size == 0)
        return b->tree == 0 ? AE_OK : AE_ERR_CORRUPT;
    if (!blocks_ok(fs, b->data, blocks_of(b->size)) ||
        !blocks_ok(fs, b->tree, blocks_of(nodes * AE_MERKLE_HASH)))
        return AE_ERR_CORRUPT;
    return AE_OK;
}

static int check_entry(const struct aefs *fs, const struct aefs_entry *e)
{
    if (!name_ok(e->name) || e->reserved || e->blob >= fs->nblobs)
        return AE_ERR_CORRUPT;
    switch (e->kind) {
    case AEFS_KIND_BUNDLE:
        /* "vnodes/NAME": where /boot shows it, and NAME is the bundle's */
        return !strncmp(e->name, "vnodes/", 7) && e->name[7] && !strchr(e->name + 7, '/') &&
               blocks_ok(fs, e->header, 1) ? AE_OK : AE_ERR_CORRUPT;
    case AEFS_KIND_FILE:
    case AEFS_KIND_TRUST:
        return e->header == 0 ? AE_OK : AE_ERR_CORRUPT;
    default:
        return AE_ERR_CORRUPT;
    }
}

int aefs_open(struct aefs *fs, const void *img, uint64_t size)
{
    struct aefs_super sb;
    struct aefs_blob b, prev_b;
    struct aefs_entry e, prev_e;

    memset(fs, 0, sizeof(*fs));
    if (size < AEFS_BLOCK || size % AEFS_BLOCK)
        return AE_ERR_CORRUPT;
    memcpy(&sb, img, sizeof(sb));
    if (memcmp(sb.magic, AEFS_MAGIC, 8) || sb.format != AEFS_FORMAT ||
        sb.block_size != AEFS_BLOCK || sb.nblocks != size / AEFS_BLOCK ||
        sb.nblobs > AEFS_MAX_BLOBS || sb.nentries > AEFS_MAX_ENTRIES ||
        !zero((const uint8_t *)img + sizeof(sb), AEFS_BLOCK - sizeof(sb)))
        return AE_ERR_CORRUPT;
    fs->img = img;
    fs->size = size;
    if (!blocks_ok(fs, sb.blob_table, blocks_of((uint64_t)sb.nblobs * sizeof(b))) ||
        !blocks_ok(fs, sb.entry_table, blocks_of((uint64_t)sb.nentries * sizeof(e))))
        return AE_ERR_CORRUPT;
    fs->nblobs = sb.nblobs;
    fs->nentries = sb.nentries;
    fs->blobs = fs->img + sb.blob_table * AEFS_BLOCK;
    fs->entries = fs->img + sb.entry_table * AEFS_BLOCK;

    for (uint32_t i = 0; i < fs->nblobs; i++) {
        aefs_blob_get(fs, i, &b);
        if (check_blob(fs, &b) || (i && memcmp(prev_b.root, b.root, 32) >= 0))
            goto corrupt;
        prev_b = b;
    }
    for (uint32_t i = 0; i < fs->nentries; i++) {
        aefs_entry_get(fs, i, &e);
        if (check_entry(fs, &e) || (i && strcmp(prev_e.name, e.name) >= 0))
            goto corrupt;
        prev_e = e;
    }
    return AE_OK;
corrupt:
    memset(fs, 0, sizeof(*fs));
    return AE_ERR_CORRUPT;
}

/* Binary search over n sorted records: the index whose record cmp finds
 * equal to key (cmp < 0: key sorts before record i), or AE_ERR_NOTFOUND. */
static int search(const struct aefs *fs, uint32_t n, const void *key,
                  int (*cmp)(const struct aefs *fs, uint32_t i, const void *key))
{
    uint32_t lo = 0, hi = n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp(fs, mid, key);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return AE_ERR_NOTFOUND;
}

static int cmp_name(const struct aefs *fs, uint32_t i, const void *name)
{
    return strcmp(name, (const char *)fs->entries + (size_t)i * sizeof(struct aefs_entry));
}

static int cmp_root(const struct aefs *fs, uint32_t i, const void *root)
{
    return memcmp(root, fs->blobs + (size_t)i * sizeof(struct aefs_blob), 32);
}

int aefs_lookup(const struct aefs *fs, const char *name, struct aefs_entry *out)
{
    int i = search(fs, fs->nentries, name, cmp_name);

    if (i >= 0 && out)
        aefs_entry_get(fs, (uint32_t)i, out);
    return i;
}

int aefs_find_root(const struct aefs *fs, const uint8_t root[32])
{
    return search(fs, fs->nblobs, root, cmp_root);
}

const void *aefs_bundle_header(const struct aefs *fs, const struct aefs_entry *e)
{
    return e->kind == AEFS_KIND_BUNDLE ? fs->img + e->header * AEFS_BLOCK : NULL;
}

/* Copies block i of b into dst (its real length) and checks the copy. */
static int read_block(const struct aefs *fs, const struct aefs_blob *b, uint64_t i,
                      uint8_t *dst, size_t *len)
{
    uint64_t left = b->size - i * AEFS_BLOCK;

    *len = left < AEFS_BLOCK ? (size_t)left : AEFS_BLOCK;
    memcpy(dst, fs->img + (b->data + i) * AEFS_BLOCK, *len);
    return ae_merkle_verify_block(fs->img + b->tree * AEFS_BLOCK, b->size, i, dst, *len,
                                  b->root);
}

int64_t aefs_read(const struct aefs *fs, const struct aefs_blob *b, uint64_t off,
                  void *buf, uint64_t len)
{
    uint8_t bounce[AEFS_BLOCK];
    uint8_t *out = buf;
    uint64_t done = 0;

    if (off > b->size)
        return AE_ERR_RANGE;
    if (len > b->size - off)
        len = b->size - off;
    while (done < len) {
        uint64_t pos = off + done, i = pos / AEFS_BLOCK, in = pos % AEFS_BLOCK;
        size_t blen;
        /* A whole block the caller wants lands in its buffer directly. */
        bool direct = in == 0 && len - done >= AEFS_BLOCK;
        uint8_t *dst = direct ? out + done : bounce;
        int r = read_block(fs, b, i, dst, &blen);
        if (r)
            return r;
        uint64_t take = blen - in;
        if (take > len - done)
            take = len - done;
        if (!direct)
            memcpy(out + done, bounce + in, take);
        done += take;
    }
    return (int64_t)done;
}

int aefs_verify_blob(const struct aefs *fs, const struct aefs_blob *b, uint64_t *bad_block)
{
    uint8_t bounce[AEFS_BLOCK];
    uint64_t n = ae_merkle_leaves(b->size);

    if (n == 0) {
        uint8_t empty[AE_MERKLE_HASH];
        ae_merkle_root(NULL, 0, empty);
        if (bad_block)
            *bad_block = 0;
        return memcmp(empty, b->root, AE_MERKLE_HASH) ? AE_ERR_ROOT_MISMATCH : AE_OK;
    }
    for (uint64_t i = 0; i < n; i++) {
        size_t len;
        int r = read_block(fs, b, i, bounce, &len);
        if (r) {
            if (bad_block)
                *bad_block = i;
            return r;
        }
    }
    return AE_OK;
}
