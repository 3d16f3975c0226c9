/*
 * /boot: the initrd, read-only. /boot/X/Y is the archive's vnodes/X/Y; a
 * directory is any prefix of an entry's name. The initrd comes from init
 * (the "initrd" service) and is mapped read-only.
 */
#include "vfs.h"
#include "cpio.h"
#include "svc.h"
#include "common/string.h"

#define INITRD_VA 0x0000400000000000ull
#define ROOT "vnodes"

static const uint8_t *archive;
static uint64_t archive_size;

int bootfs_init(void)
{
    ae_handle_t vmo;
    int64_t r = ae_ns_lookup_word("initrd", &vmo, &archive_size);

    if (r)
        return (int)r;
    r = ae_vmo_map(vmo, 0, INITRD_VA, 0, (archive_size + 4095) & ~4095ull, AE_PROT_READ);
    ae_handle_close(vmo);
    if (r)
        return (int)r;
    archive = (const uint8_t *)INITRD_VA;
    return AE_OK;
}

/* apath = "vnodes" + "/" parts[1..] */
static int archive_path(const struct path *p, char *out)
{
    size_t n = sizeof(ROOT) - 1;

    memcpy(out, ROOT, n);
    for (int i = 1; i < p->n; i++) {
        if (n + 1 + p->len[i] + 1 > AE_VFS_PATH_MAX)
            return AE_ERR_RANGE;
        out[n++] = '/';
        memcpy(out + n, p->part[i], p->len[i]);
        n += p->len[i];
    }
    out[n] = 0;
    return AE_OK;
}

/* The part of an entry's name below dir ("vnodes/x"), up to the next '/':
 * its length, 0 if the entry is not below dir. *more: deeper parts follow. */
static size_t child_of(const struct cpio_entry *e, const char *dir, int *more)
{
    size_t d = strlen(dir), k;

    if (e->namelen <= d + 1 || strncmp(e->name, dir, d) || e->name[d] != '/')
        return 0;
    for (k = d + 1; k < e->namelen && e->name[k] != '/'; k++)
        ;
    *more = k < e->namelen;
    return k - (d + 1);
}

int bootfs_open(const struct path *p, struct vfs_file *f)
{
    struct cpio_iter it;
    struct cpio_entry e;
    int err = archive_path(p, f->apath), more;

    if (err)
        return err;
    if (!archive)
        return AE_ERR_NOTFOUND;
    f->kind = K_BOOT;
    if (p->n > 1 && cpio_find(archive, archive_size, f->apath, &e) == AE_OK &&
        (e.mode & CPIO_MODE_TYPE) == CPIO_MODE_FILE) {
        f->type = AE_VFS_FILE;
        f->data = e.data;
        f->size = e.size;
        return AE_OK;
    }
    cpio_iter_init(&it, archive, archive_size);
    while (cpio_next(&it, &e) == 1)
        if (child_of(&e, f->apath, &more)) {
            f->type = AE_VFS_DIR;
            return AE_OK;
        }
    return AE_ERR_NOTFOUND;
}

int bootfs_readdir(const struct vfs_file *f, uint64_t index, char *name, uint32_t *type,
                   uint64_t *size)
{
    struct cpio_iter it, seen;
    struct cpio_entry e, s;
    uint64_t n = 0;
    int more, smore;

    cpio_iter_init(&it, archive, archive_size);
    for (size_t pos = 0; cpio_next(&it, &e) == 1; pos++) {
        size_t len = child_of(&e, f->apath, &more), at = strlen(f->apath) + 1;
        int dup = 0;
        if (!len)
            continue;
        /* Listed once: skip a child an earlier entry already named. */
        cpio_iter_init(&seen, archive, archive_size);
        for (size_t q = 0; q < pos && cpio_next(&seen, &s) == 1; q++) {
            size_t l2 = child_of(&s, f->apath, &smore);
            if (l2 == len && !strncmp(s.name + at, e.name + at, len)) {
                dup = 1;
                break;
            }
        }
        if (dup)
            continue;
        if (n++ != index)
            continue;
        memcpy(name, e.name + at, len);
        name[len] = 0;
        *type = more || (e.mode & CPIO_MODE_TYPE) == CPIO_MODE_DIR ? AE_VFS_DIR : AE_VFS_FILE;
        *size = *type == AE_VFS_FILE ? e.size : 0;
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}
