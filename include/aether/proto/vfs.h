/*
 * The file service ("vfs"): one namespace.
 *
 *   /boot   the initrd, read-only: /boot/NAME/ holds each V-Node's files
 *   /sys    live system state as read-only text files: vnodes (one line
 *           per V-Node), memory, cpus, uptime
 *   /tmp    small files in memory, readable and writable by every client
 *
 * A client first registers a transfer buffer (VFS_SETBUF, as for the
 * console); paths and data travel through it. Paths are absolute,
 * NUL-terminated, at most AE_VFS_PATH_MAX bytes with the NUL.
 *
 *   VFS_SETBUF   h[0] VMO [READ WRITE MAP], w[0] size (4096..65536, pages)
 *   VFS_OPEN     path in the buffer, w[0] AE_VFS_O_READ | AE_VFS_O_WRITE |
 *                AE_VFS_O_CREATE | AE_VFS_O_TRUNC
 *                -> w[0] fd, w[1] type, w[2] size
 *   VFS_READ     w[0] fd, w[1] offset, w[2] max -> w[0] n bytes in the buffer
 *   VFS_WRITE    w[0] fd, w[1] offset, w[2] n bytes from the buffer -> w[0] n
 *   VFS_STAT     path in the buffer -> w[0] type, w[1] size
 *   VFS_READDIR  w[0] fd of a directory, w[1] index
 *                -> the entry's name in the buffer, w[0] type, w[1] size;
 *                   AE_ERR_NOTFOUND past the last entry
 *   VFS_CLOSE    w[0] fd
 *
 * Errors: NOTFOUND, ACCESS (writing a read-only file), INVAL (bad path,
 * fd, offset), BAD_HANDLE (fd not open), QUOTA (too many open files, /tmp
 * full), UNSUPPORTED (read of a directory). A /sys file is generated when
 * it is opened: reads see that moment's state.
 */
#ifndef AETHER_PROTO_VFS_H
#define AETHER_PROTO_VFS_H

#define AE_VFS_PATH_MAX 256

enum ae_vfs_op {
    AE_VFS_SETBUF = 1,
    AE_VFS_OPEN,
    AE_VFS_READ,
    AE_VFS_WRITE,
    AE_VFS_STAT,
    AE_VFS_READDIR,
    AE_VFS_CLOSE,
};

/* open flags */
#define AE_VFS_O_READ 1u
#define AE_VFS_O_WRITE 2u
#define AE_VFS_O_CREATE 4u
#define AE_VFS_O_TRUNC 8u

/* types */
#define AE_VFS_FILE 1u
#define AE_VFS_DIR 2u

#endif
