/*
 * Client of the file service (include/aether/proto/vfs.h), over a
 * buffered connection that survives a vfs restart (open files do not:
 * after AE_ERR_PEER_RESTARTED, open them again).
 *
 *     int64_t fd = vfs_open("/boot/shell/manifest", AE_VFS_O_READ, &st);
 *     n = vfs_read(fd, off, buf, sizeof(buf));
 *     vfs_close(fd);
 */
#ifndef USER_LIB_VFSC_H
#define USER_LIB_VFSC_H

#include <stddef.h>
#include <stdint.h>

#include "aether/proto/vfs.h"

struct vfs_stat {
    uint32_t type;              /* AE_VFS_FILE or AE_VFS_DIR */
    uint64_t size;
};

/* Where the connection's transfer buffer is mapped (64 KiB); call before
 * anything else, once. */
void vfs_client_init(uint64_t buf_va);
/* An fd (>= 0) or an AE_ERR_* code; st may be NULL. */
int64_t vfs_open(const char *path, uint32_t flags, struct vfs_stat *st);
int64_t vfs_stat(const char *path, struct vfs_stat *st);
/* Bytes read (0 at the end) or an error; at most 64 KiB a call. */
int64_t vfs_read(int64_t fd, uint64_t off, void *dst, size_t max);
int64_t vfs_write(int64_t fd, uint64_t off, const void *src, size_t n);
/* The index-th entry of directory fd: its name (NUL-terminated, at most
 * namelen bytes with the NUL) and kind; AE_ERR_NOTFOUND past the last. */
int64_t vfs_readdir(int64_t fd, uint64_t index, char *name, size_t namelen,
                    struct vfs_stat *st);
void vfs_close(int64_t fd);

#define VFS_IO_MAX 65536

#endif
