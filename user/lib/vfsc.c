#include "vfsc.h"
#include "bufsvc.h"
#include "common/string.h"

static struct ae_bufsvc vfs = AE_BUFSVC("vfs", AE_VFS_SETBUF, 0, VFS_IO_MAX);

void vfs_client_init(uint64_t buf_va)
{
    vfs.va = buf_va;
}

static int put_path(const char *path)
{
    size_t n = strlen(path);

    if (n + 1 > AE_VFS_PATH_MAX)
        return AE_ERR_RANGE;
    memcpy(ae_bufsvc_buf(&vfs), path, n + 1);
    return AE_OK;
}

int64_t vfs_open(const char *path, uint32_t flags, struct vfs_stat *st)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_OPEN, 0), {flags}, {0}, 0};
    int64_t r = put_path(path);

    if (!r)
        r = ae_bufsvc_call(&vfs, &m);
    if (r)
        return r;
    if (st)
        *st = (struct vfs_stat){(uint32_t)m.w[1], m.w[2]};
    return (int64_t)m.w[0];
}

int64_t vfs_stat(const char *path, struct vfs_stat *st)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_STAT, 0), {0}, {0}, 0};
    int64_t r = put_path(path);

    if (!r)
        r = ae_bufsvc_call(&vfs, &m);
    if (!r && st)
        *st = (struct vfs_stat){(uint32_t)m.w[0], m.w[1]};
    return r;
}

int64_t vfs_read(int64_t fd, uint64_t off, void *dst, size_t max)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_READ, 0), {(uint64_t)fd, off,
                       max < VFS_IO_MAX ? max : VFS_IO_MAX}, {0}, 0};
    int64_t r = ae_bufsvc_call(&vfs, &m);

    if (r)
        return r;
    memcpy(dst, ae_bufsvc_buf(&vfs), m.w[0]);
    return (int64_t)m.w[0];
}

int64_t vfs_write(int64_t fd, uint64_t off, const void *src, size_t n)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_WRITE, 0), {(uint64_t)fd, off,
                       n < VFS_IO_MAX ? n : VFS_IO_MAX}, {0}, 0};
    int64_t r;

    memcpy(ae_bufsvc_buf(&vfs), src, m.w[2]);
    r = ae_bufsvc_call(&vfs, &m);
    return r ? r : (int64_t)m.w[0];
}

int64_t vfs_readdir(int64_t fd, uint64_t index, char *name, size_t namelen,
                    struct vfs_stat *st)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_READDIR, 0), {(uint64_t)fd, index}, {0}, 0};
    const char *got = ae_bufsvc_buf(&vfs);
    int64_t r = ae_bufsvc_call(&vfs, &m);
    size_t n = 0;

    if (r)
        return r;
    while (n + 1 < namelen && n < AE_VFS_PATH_MAX && got[n])
        n++;
    memcpy(name, got, n);
    name[n] = 0;
    if (st)
        *st = (struct vfs_stat){(uint32_t)m.w[0], m.w[1]};
    return AE_OK;
}

void vfs_close(int64_t fd)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_CLOSE, 0), {(uint64_t)fd}, {0}, 0};

    ae_bufsvc_call(&vfs, &m);
}
