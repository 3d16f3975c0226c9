/*
 * AetherFS image layout (image.h). Block 0 is the superblock, then the blob
 * table, the entry table, bundle header blocks, and each blob's data
 * followed by its stored Merkle tree. Tables are sorted as the format
 * requires (blobs by root, entries by name) so the reader can search them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether/bundle.h"
#include "aether/errors.h"
#include "image.h"
#include "trust/bundle.h"
#include "trust/merkle.h"

void image_init(struct image *im)
{
    memset(im, 0, sizeof(*im));
}

void image_free(struct image *im)
{
    for (uint32_t i = 0; i < im->nblobs; i++)
        free(im->blobs[i].data);
    for (uint32_t i = 0; i < im->nentries; i++)
        free(im->entries[i].header);
    free(im->blobs);
    free(im->entries);
    image_init(im);
}

static int name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= AEFS_NAME_MAX || name[0] == '/' || name[n - 1] == '/' ||
        strstr(name, "//"))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == '/'))
            return 0;
    }
    return 1;
}

/* Index of the blob with data's root, added if new. */
static int64_t intern_blob(struct image *im, const void *data, uint64_t size)
{
    uint8_t root[32];
    struct image_blob *nb;

    ae_merkle_root(data, size, root);
    for (uint32_t i = 0; i < im->nblobs; i++)
        if (!memcmp(im->blobs[i].root, root, 32))
            return i;
    if (im->nblobs == AEFS_MAX_BLOBS)
        return AE_ERR_NOMEM;
    nb = realloc(im->blobs, (im->nblobs + 1) * sizeof(*nb));
    if (!nb)
        return AE_ERR_NOMEM;
    im->blobs = nb;
    nb = &im->blobs[im->nblobs];
    memcpy(nb->root, root, 32);
    nb->size = size;
    nb->data = malloc(size ? size : 1);
    if (!nb->data)
        return AE_ERR_NOMEM;
    memcpy(nb->data, data, size);
    return im->nblobs++;
}

/* A fresh entry at the end of the table (the caller checked the name is
 * free), counted once the caller has filled it. */
static struct image_entry *new_entry(struct image *im, const char *name, uint32_t kind)
{
    struct image_entry *ne;

    if (im->nentries == AEFS_MAX_ENTRIES)
        return NULL;
    ne = realloc(im->entries, (im->nentries + 1) * sizeof(*ne));
    if (!ne)
        return NULL;
    im->entries = ne;
    ne = &im->entries[im->nentries];
    memset(ne, 0, sizeof(*ne));
    memcpy(ne->name, name, strlen(name) + 1);
    ne->kind = kind;
    return ne;
}

static int name_taken(const struct image *im, const char *name)
{
    for (uint32_t i = 0; i < im->nentries; i++)
        if (!strcmp(im->entries[i].name, name))
            return 1;
    return 0;
}

int image_add_file(struct image *im, const char *name, uint32_t kind,
                   const void *data, uint64_t size)
{
    struct image_entry *e;
    int64_t blob;

    if (!name_valid(name) || (kind != AEFS_KIND_FILE && kind != AEFS_KIND_TRUST))
        return AE_ERR_INVAL;
    if (name_taken(im, name))
        return AE_ERR_EXISTS;
    blob = intern_blob(im, data, size);
    if (blob < 0)
        return (int)blob;
    e = new_entry(im, name, kind);
    if (!e)
        return AE_ERR_NOMEM;
    e->blob = (uint32_t)blob;
    im->nentries++;
    return AE_OK;
}

int image_add_bundle(struct image *im, const void *file, uint64_t len)
{
    struct ae_bundle_info info;
    struct image_entry *e;
    char name[AEFS_NAME_MAX];
    const uint8_t *payload = (const uint8_t *)file + AE_BUNDLE_HEADER_SIZE;
    uint8_t root[32];
    int64_t blob;

    if (len < AE_BUNDLE_HEADER_SIZE ||
        ae_bundle_parse_header(file, AE_BUNDLE_HEADER_SIZE, &info) != AE_OK ||
        info.payload_size != len - AE_BUNDLE_HEADER_SIZE)
        return AE_ERR_CORRUPT;
    ae_merkle_root(payload, info.payload_size, root);
    if (memcmp(root, info.root, 32))
        return AE_ERR_ROOT_MISMATCH;
    snprintf(name, sizeof(name), "vnodes/%s", info.name);
    if (!name_valid(name))
        return AE_ERR_CORRUPT;
    if (name_taken(im, name))
        return AE_ERR_EXISTS;
    blob = intern_blob(im, payload, info.payload_size);
    if (blob < 0)
        return (int)blob;
    e = new_entry(im, name, AEFS_KIND_BUNDLE);
    if (!e)
        return AE_ERR_NOMEM;
    e->blob = (uint32_t)blob;
    e->header = malloc(AE_BUNDLE_HEADER_SIZE);
    if (!e->header)
        return AE_ERR_NOMEM;
    memcpy(e->header, file, AE_BUNDLE_HEADER_SIZE);
    im->nentries++;
    return AE_OK;
}

static uint64_t blocks_of(uint64_t bytes)
{
    return (bytes + AEFS_BLOCK - 1) / AEFS_BLOCK;
}

static const struct image *sort_im;

static int cmp_blob(const void *a, const void *b)
{
    return memcmp(sort_im->blobs[*(const uint32_t *)a].root,
                  sort_im->blobs[*(const uint32_t *)b].root, 32);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(sort_im->entries[*(const uint32_t *)a].name,
                  sort_im->entries[*(const uint32_t *)b].name);
}

int image_write(const struct image *im, uint8_t **out, uint64_t *len)
{
    uint32_t *border = calloc(im->nblobs + 1, sizeof(uint32_t));
    uint32_t *eorder = calloc(im->nentries + 1, sizeof(uint32_t));
    uint32_t *slot = calloc(im->nblobs + 1, sizeof(uint32_t));  /* old index -> sorted */
    uint64_t *data_at = calloc(im->nblobs + 1, sizeof(uint64_t));
    uint64_t *tree_at = calloc(im->nblobs + 1, sizeof(uint64_t));
    uint64_t *hdr_at = calloc(im->nentries + 1, sizeof(uint64_t));
    uint8_t *img = NULL;
    int err = AE_ERR_NOMEM;

    if (!border || !eorder || !slot || !data_at || !tree_at || !hdr_at)
        goto out;
    for (uint32_t i = 0; i < im->nblobs; i++)
        border[i] = i;
    for (uint32_t i = 0; i < im->nentries; i++)
        eorder[i] = i;
    sort_im = im;
    qsort(border, im->nblobs, sizeof(uint32_t), cmp_blob);
    qsort(eorder, im->nentries, sizeof(uint32_t), cmp_entry);
    for (uint32_t i = 0; i < im->nblobs; i++)
        slot[border[i]] = i;

    /* Layout: superblock, tables, headers, then data + tree per blob. */
    uint64_t next = 1;
    uint64_t blob_table = next;
    next += blocks_of((uint64_t)im->nblobs * sizeof(struct aefs_blob));
    uint64_t entry_table = next;
    next += blocks_of((uint64_t)im->nentries * sizeof(struct aefs_entry));
    for (uint32_t i = 0; i < im->nentries; i++)
        if (im->entries[i].kind == AEFS_KIND_BUNDLE)
            hdr_at[i] = next++;
    for (uint32_t i = 0; i < im->nblobs; i++) {
        const struct image_blob *b = &im->blobs[i];
        if (!b->size)
            continue;
        data_at[i] = next;
        next += blocks_of(b->size);
        tree_at[i] = next;
        next += blocks_of(ae_merkle_tree_nodes(b->size) * AE_MERKLE_HASH);
    }

    img = calloc(next, AEFS_BLOCK);
    if (!img)
        goto out;
    struct aefs_super sb = {
        .format = AEFS_FORMAT, .block_size = AEFS_BLOCK, .nblocks = next,
        .nblobs = im->nblobs, .nentries = im->nentries,
        .blob_table = blob_table, .entry_table = entry_table,
    };
    memcpy(sb.magic, AEFS_MAGIC, 8);
    memcpy(img, &sb, sizeof(sb));

    for (uint32_t k = 0; k < im->nblobs; k++) {
        uint32_t i = border[k];
        const struct image_blob *b = &im->blobs[i];
        struct aefs_blob rec = {.size = b->size, .data = data_at[i], .tree = tree_at[i]};
        uint8_t root[32];
        memcpy(rec.root, b->root, 32);
        memcpy(img + blob_table * AEFS_BLOCK + (uint64_t)k * sizeof(rec), &rec, sizeof(rec));
        if (!b->size)
            continue;
        memcpy(img + data_at[i] * AEFS_BLOCK, b->data, b->size);
        ae_merkle_build(b->data, b->size, img + tree_at[i] * AEFS_BLOCK, root);
    }
    for (uint32_t k = 0; k < im->nentries; k++) {
        uint32_t i = eorder[k];
        const struct image_entry *e = &im->entries[i];
        struct aefs_entry rec = {.kind = e->kind, .blob = slot[e->blob], .header = hdr_at[i]};
        memcpy(rec.name, e->name, sizeof(rec.name));
        memcpy(img + entry_table * AEFS_BLOCK + (uint64_t)k * sizeof(rec), &rec, sizeof(rec));
        if (e->kind == AEFS_KIND_BUNDLE)
            memcpy(img + hdr_at[i] * AEFS_BLOCK, e->header, AE_BUNDLE_HEADER_SIZE);
    }
    *out = img;
    *len = next * AEFS_BLOCK;
    img = NULL;
    err = AE_OK;
out:
    free(border);
    free(eorder);
    free(slot);
    free(data_at);
    free(tree_at);
    free(hdr_at);
    free(img);
    return err;
}
