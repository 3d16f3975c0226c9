/* The file service's parts: the open-file table and the three trees. */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <stdint.h>

#include "aether.h"
#include "path.h"
#include "aether/proto/vfs.h"

#define VFS_MAX_FILES 64            /* open at once, all clients */
#define VFS_SYS_TEXT 8192           /* a /sys file's generated text */

enum vfs_kind { K_ROOT, K_BOOT, K_SYS_DIR, K_SYS_FILE, K_TMP_DIR, K_TMP_FILE };

struct vfs_file {
    int used;
    uint64_t owner;                 /* the client's badge */
    enum vfs_kind kind;
    uint32_t type;                  /* AE_VFS_FILE or AE_VFS_DIR */
    uint32_t flags;                 /* as opened */
    char apath[AE_VFS_PATH_MAX];    /* /boot: the path in the image ("vnodes/x/y"), or "" */
    uint32_t blob;                  /* /boot file: its blob in the image */
    uint64_t base;                  /* /boot file: where it starts in the blob */
    uint64_t size;
    int tmp;                        /* /tmp file index */
    char *text;                     /* /sys file: generated at open */
};

/* Each tree: open (fills f from the path after its first component),
 * readdir (index-th entry's name into name), and for files the data. */
int bootfs_open(const struct path *p, struct vfs_file *f);
int bootfs_readdir(const struct vfs_file *f, uint64_t index, char *name, uint32_t *type,
                   uint64_t *size);
int bootfs_init(void);
/* Reads a /boot file; every block is checked against its Merkle root, so a
 * corrupt one gives AE_ERR_ROOT_MISMATCH. */
int64_t bootfs_read(const struct vfs_file *f, uint64_t off, void *dst, uint64_t max);

int sysfs_open(const struct path *p, struct vfs_file *f, char *text);
int sysfs_readdir(uint64_t index, char *name, uint32_t *type, uint64_t *size);

int tmpfs_open(const struct path *p, struct vfs_file *f, uint32_t flags);
int tmpfs_readdir(uint64_t index, char *name, uint32_t *type, uint64_t *size);
int64_t tmpfs_read(const struct vfs_file *f, uint64_t off, void *dst, uint64_t max);
int64_t tmpfs_write(const struct vfs_file *f, uint64_t off, const void *src, uint64_t n);
uint64_t tmpfs_size(int tmp);

#endif
