/*
 * /boot: the initrd, an AetherFS image (docs/AETHERFS.md), read-only. Its
 * entries are paths: a plain entry ("hwm", "trust/2") is a file; a bundle
 * entry ("vnodes/shell") is a directory of the bundle's files, read from
 * its payload. Every read checks the blocks it returns against a Merkle
 * root; for bundle files that is the root in the bundle's signed header, so
 * what /boot shows of a V-Node is what its signers vouched for, or an error.
 * The image comes from init (the "initrd" service), mapped read-only.
 */
#include <stdbool.h>
#include <string.h>

#include "vfs.h"
#include "aefs.h"
#include "svc.h"
#include "common/string.h"
#include "trust/bundle.h"

#define INITRD_VA 0x0000400000000000ull

static struct aefs fs;
static bool have_fs;

int bootfs_init(void)
{
    ae_handle_t vmo;
    uint64_t size;
    int64_t r = ae_ns_lookup_word("initrd", &vmo, &size);

    if (r)
        return (int)r;
    r = ae_vmo_map(vmo, 0, INITRD_VA, 0, (size + 4095) & ~4095ull, AE_PROT_READ);
    ae_handle_close(vmo);
    if (r)
        return (int)r;
    r = aefs_open(&fs, (const void *)INITRD_VA, size);
    if (r)
        return (int)r;
    have_fs = true;
    return AE_OK;
}

/* apath = parts[1..] joined by '/' ("" for /boot itself). */
static int image_path(const struct path *p, char *out)
{
    size_t n = 0;

    for (int i = 1; i < p->n; i++) {
        if (n + (n > 0) + p->len[i] + 1 > AE_VFS_PATH_MAX)
            return AE_ERR_RANGE;
        if (n)
            out[n++] = '/';
        memcpy(out + n, p->part[i], p->len[i]);
        n += p->len[i];
    }
    out[n] = 0;
    return AE_OK;
}

/* A bundle's directory, read through its signed root. Returns the file
 * count, or an error (AE_ERR_ROOT_MISMATCH when the image does not hold
 * what the header names). */
static int bundle_files(const struct aefs_entry *e, struct ae_bundle_file *files,
                        uint32_t *blob)
{
    struct ae_bundle_info info;
    struct aefs_blob b;
    uint8_t dir[AE_BUNDLE_BLOCK];
    int r = ae_bundle_parse_header(aefs_bundle_header(&fs, e), AE_BUNDLE_HEADER_SIZE, &info);
    int64_t n;

    if (r)
        return r;
    r = aefs_find_root(&fs, info.root);
    if (r < 0)
        return AE_ERR_ROOT_MISMATCH;
    *blob = (uint32_t)r;
    aefs_blob_get(&fs, *blob, &b);
    n = aefs_read(&fs, &b, 0, dir, sizeof(dir));
    if (n < 0)
        return (int)n;
    return ae_bundle_dir_parse(dir, (size_t)n, b.size, files, AE_BUNDLE_MAX_FILES);
}

/* The part of name below dir (dir "" is the top), up to the next '/': its
 * length, 0 if name is not below dir. *more: deeper parts follow. */
static size_t child_of(const char *name, const char *dir, int *more)
{
    size_t d = strlen(dir), k, at = d ? d + 1 : 0, n = strlen(name);

    if (d && (n <= d + 1 || strncmp(name, dir, d) || name[d] != '/'))
        return 0;
    for (k = at; k < n && name[k] != '/'; k++)
        ;
    *more = k < n;
    return k - at;
}

int bootfs_open(const struct path *p, struct vfs_file *f)
{
    struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
    struct aefs_entry e;
    int err = image_path(p, f->apath), more;
    char *slash;

    if (err)
        return err;
    if (!have_fs)
        return AE_ERR_NOTFOUND;
    f->kind = K_BOOT;
    if (aefs_lookup(&fs, f->apath, &e) >= 0) {
        struct aefs_blob b;
        if (e.kind == AEFS_KIND_BUNDLE) {
            f->type = AE_VFS_DIR;
            return AE_OK;
        }
        aefs_blob_get(&fs, e.blob, &b);
        f->type = AE_VFS_FILE;
        f->blob = e.blob;
        f->base = 0;
        f->size = b.size;
        return AE_OK;
    }
    /* vnodes/NAME/FILE: a file of a bundle. */
    slash = strrchr(f->apath, '/');
    if (slash) {
        *slash = 0;
        int found = aefs_lookup(&fs, f->apath, &e);
        *slash = '/';
        if (found >= 0 && e.kind == AEFS_KIND_BUNDLE) {
            uint32_t blob;
            int n = bundle_files(&e, files, &blob), i;
            if (n < 0)
                return n;
            i = ae_bundle_find(files, (uint32_t)n, slash + 1);
            if (i < 0)
                return AE_ERR_NOTFOUND;
            f->type = AE_VFS_FILE;
            f->blob = blob;
            f->base = files[i].offset;
            f->size = files[i].size;
            return AE_OK;
        }
    }
    /* A directory: a prefix of some entry's name. */
    for (uint32_t i = 0; i < fs.nentries; i++) {
        aefs_entry_get(&fs, i, &e);
        if (!f->apath[0] || child_of(e.name, f->apath, &more)) {
            f->type = AE_VFS_DIR;
            return AE_OK;
        }
    }
    return AE_ERR_NOTFOUND;
}

int64_t bootfs_read(const struct vfs_file *f, uint64_t off, void *dst, uint64_t max)
{
    struct aefs_blob b;

    if (off >= f->size)
        return 0;
    if (max > f->size - off)
        max = f->size - off;
    aefs_blob_get(&fs, f->blob, &b);
    return aefs_read(&fs, &b, f->base + off, dst, max);
}

int bootfs_readdir(const struct vfs_file *f, uint64_t index, char *name, uint32_t *type,
                   uint64_t *size)
{
    struct aefs_entry e;
    uint64_t n = 0;
    int more;

    /* A bundle: its files. */
    if (aefs_lookup(&fs, f->apath, &e) >= 0 && e.kind == AEFS_KIND_BUNDLE) {
        struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
        uint32_t blob;
        int nf = bundle_files(&e, files, &blob);
        if (nf < 0)
            return nf;
        if (index >= (uint64_t)nf)
            return AE_ERR_NOTFOUND;
        memcpy(name, files[index].name, strlen(files[index].name) + 1);
        *type = AE_VFS_FILE;
        *size = files[index].size;
        return AE_OK;
    }
    /* Otherwise the next path part of each entry below it, once each:
     * entries are sorted, so equal parts are neighbours. */
    char prev[AE_VFS_PATH_MAX] = "";
    size_t at = f->apath[0] ? strlen(f->apath) + 1 : 0;
    for (uint32_t i = 0; i < fs.nentries; i++) {
        aefs_entry_get(&fs, i, &e);
        size_t len = child_of(e.name, f->apath, &more);
        if (!len || (strlen(prev) == len && !strncmp(prev, e.name + at, len)))
            continue;
        memcpy(prev, e.name + at, len);
        prev[len] = 0;
        if (n++ != index)
            continue;
        memcpy(name, prev, len + 1);
        if (more || e.kind == AEFS_KIND_BUNDLE) {
            *type = AE_VFS_DIR;
            *size = 0;
        } else {
            struct aefs_blob b;
            aefs_blob_get(&fs, e.blob, &b);
            *type = AE_VFS_FILE;
            *size = b.size;
        }
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}
