/* /tmp: a few small files in memory, shared by every client. */
#include "vfs.h"
#include "common/string.h"

#define TMP_FILES 16
#define TMP_FILE_MAX (16 * 1024)

static struct {
    int used;
    char name[PATH_NAME_MAX + 1];
    uint64_t size;
    uint8_t data[TMP_FILE_MAX];
} files[TMP_FILES];

int tmpfs_open(const struct path *p, struct vfs_file *f, uint32_t flags)
{
    int free_slot = -1;

    if (p->n == 1) {
        f->kind = K_TMP_DIR;
        f->type = AE_VFS_DIR;
        return flags & AE_VFS_O_WRITE ? AE_ERR_ACCESS : AE_OK;
    }
    if (p->n != 2)
        return AE_ERR_NOTFOUND;
    f->kind = K_TMP_FILE;
    f->type = AE_VFS_FILE;
    for (int i = 0; i < TMP_FILES; i++) {
        if (files[i].used && path_is(p, 1, files[i].name)) {
            f->tmp = i;
            if (flags & AE_VFS_O_TRUNC)
                files[i].size = 0;
            return AE_OK;
        }
        if (!files[i].used && free_slot < 0)
            free_slot = i;
    }
    if (!(flags & AE_VFS_O_CREATE))
        return AE_ERR_NOTFOUND;
    if (free_slot < 0)
        return AE_ERR_QUOTA;
    files[free_slot].used = 1;
    files[free_slot].size = 0;
    memcpy(files[free_slot].name, p->part[1], p->len[1]);
    files[free_slot].name[p->len[1]] = 0;
    f->tmp = free_slot;
    return AE_OK;
}

int tmpfs_readdir(uint64_t index, char *name, uint32_t *type, uint64_t *size)
{
    for (int i = 0; i < TMP_FILES; i++) {
        if (!files[i].used || index--)
            continue;
        memcpy(name, files[i].name, strlen(files[i].name) + 1);
        *type = AE_VFS_FILE;
        *size = files[i].size;
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}

uint64_t tmpfs_size(int tmp)
{
    return files[tmp].size;
}

int64_t tmpfs_read(const struct vfs_file *f, uint64_t off, void *dst, uint64_t max)
{
    uint64_t size = files[f->tmp].size, n;

    if (off >= size)
        return 0;
    n = size - off < max ? size - off : max;
    memcpy(dst, files[f->tmp].data + off, n);
    return (int64_t)n;
}

int64_t tmpfs_write(const struct vfs_file *f, uint64_t off, const void *src, uint64_t n)
{
    if (off > TMP_FILE_MAX || n > TMP_FILE_MAX - off)
        return AE_ERR_QUOTA;
    if (off > files[f->tmp].size)                   /* a hole reads as zeros */
        memset(files[f->tmp].data + files[f->tmp].size, 0, off - files[f->tmp].size);
    memcpy(files[f->tmp].data + off, src, n);
    if (off + n > files[f->tmp].size)
        files[f->tmp].size = off + n;
    return (int64_t)n;
}
