/* Shell commands on files (through the file service) and the log. */
#include "cmds.h"
#include "aether/proto/init.h"
#include "aether/proto/vfs.h"
#include "common/string.h"

/* Puts path into the vfs buffer; 0 or -1 when too long. */
static int put_path(const char *path)
{
    size_t n = strlen(path);

    if (n + 1 > AE_VFS_PATH_MAX)
        return -1;
    memcpy(sh_buf(&sh_vfs), path, n + 1);
    return 0;
}

static int64_t vfs_open(const char *path, uint32_t flags, uint64_t *fd, uint64_t *type,
                        uint64_t *size)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_OPEN, 0), {flags}, {0}, 0};
    int64_t r;

    if (put_path(path))
        return AE_ERR_RANGE;
    r = sh_call(&sh_vfs, &m);
    if (r)
        return r;
    *fd = m.w[0];
    *type = m.w[1];
    *size = m.w[2];
    return AE_OK;
}

static void vfs_close(uint64_t fd)
{
    struct ae_msg m = {AE_MSG_INFO(AE_VFS_CLOSE, 0), {fd}, {0}, 0};
    sh_call(&sh_vfs, &m);
}

int cmd_ls(int argc, char **argv, struct sh_io *io)
{
    const char *path = argc == 2 ? argv[1] : "/";
    uint64_t fd, type, size;
    int64_t r;

    if (argc > 2)
        return sh_fail(io, 2, "ls", "usage: ls [PATH]");
    r = vfs_open(path, AE_VFS_O_READ, &fd, &type, &size);
    if (r)
        return sh_fail(io, 1, "ls", "%s: %s", path, ae_strerror(r));
    if (type != AE_VFS_DIR) {
        sh_printf(io, "%-24s %8lu\n", path, (unsigned long)size);
        vfs_close(fd);
        return 0;
    }
    for (uint64_t i = 0;; i++) {
        struct ae_msg m = {AE_MSG_INFO(AE_VFS_READDIR, 0), {fd, i}, {0}, 0};
        char name[AE_VFS_PATH_MAX];
        r = sh_call(&sh_vfs, &m);
        if (r == AE_ERR_NOTFOUND)
            break;
        if (r) {
            vfs_close(fd);
            return sh_fail(io, 1, "ls", "%s: %s", path, ae_strerror(r));
        }
        memcpy(name, sh_buf(&sh_vfs), sizeof(name) - 1);
        name[sizeof(name) - 1] = 0;
        if (m.w[0] == AE_VFS_DIR)
            sh_printf(io, "%s/\n", name);
        else
            sh_printf(io, "%-24s %8lu\n", name, (unsigned long)m.w[1]);
    }
    vfs_close(fd);
    return 0;
}

static int cat_one(const char *path, struct sh_io *io)
{
    uint64_t fd, type, size, off = 0;
    int64_t r = vfs_open(path, AE_VFS_O_READ, &fd, &type, &size);

    if (r)
        return sh_fail(io, 1, "cat", "%s: %s", path, ae_strerror(r));
    if (type == AE_VFS_DIR) {
        vfs_close(fd);
        return sh_fail(io, 1, "cat", "%s: is a directory", path);
    }
    for (;;) {
        struct ae_msg m = {AE_MSG_INFO(AE_VFS_READ, 0), {fd, off, SH_SVC_BUF}, {0}, 0};
        r = sh_call(&sh_vfs, &m);
        if (r) {
            vfs_close(fd);
            return sh_fail(io, 1, "cat", "%s: %s", path, ae_strerror(r));
        }
        if (!m.w[0])
            break;
        sh_write(io->out, sh_buf(&sh_vfs), m.w[0]);
        off += m.w[0];
    }
    vfs_close(fd);
    return 0;
}

int cmd_cat(int argc, char **argv, struct sh_io *io)
{
    int st = 0;

    if (argc == 1) {
        if (io->in)
            sh_write(io->out, io->in, io->in_len);
        return 0;
    }
    for (int i = 1; i < argc; i++)
        if (cat_one(argv[i], io))
            st = 1;
    return st;
}

/* tee FILE: writes the input to FILE (created or emptied first) and to
 * the output. */
int cmd_tee(int argc, char **argv, struct sh_io *io)
{
    uint64_t fd, type, size, off = 0;
    int64_t r;

    if (argc != 2)
        return sh_fail(io, 2, "tee", "usage: tee FILE (reads a pipe)");
    r = vfs_open(argv[1], AE_VFS_O_WRITE | AE_VFS_O_CREATE | AE_VFS_O_TRUNC, &fd, &type, &size);
    if (r)
        return sh_fail(io, 1, "tee", "%s: %s", argv[1], ae_strerror(r));
    while (io->in && off < io->in_len) {
        uint64_t n = io->in_len - off < SH_SVC_BUF ? io->in_len - off : SH_SVC_BUF;
        struct ae_msg m = {AE_MSG_INFO(AE_VFS_WRITE, 0), {fd, off, n}, {0}, 0};
        memcpy(sh_buf(&sh_vfs), io->in + off, n);
        r = sh_call(&sh_vfs, &m);
        if (r) {
            vfs_close(fd);
            return sh_fail(io, 1, "tee", "%s: %s", argv[1], ae_strerror(r));
        }
        off += m.w[0];
    }
    vfs_close(fd);
    if (io->in)
        sh_write(io->out, io->in, io->in_len);
    return 0;
}

/* The log: whatever init's log service returns (the kernel log ring,
 * which holds every V-Node's log lines too), its last N lines. */
int cmd_log(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LOG, 0), {0}, {0}, 0};
    const char *text = sh_buf(&sh_init);
    long want = 20;
    size_t start;
    int64_t r;

    if (argc == 2 ? sh_parse_long(argv[1], &want) || want < 0 : argc != 1)
        return sh_fail(io, 2, "log", "usage: log [N]");
    r = sh_call(&sh_init, &m);
    if (r)
        return sh_fail(io, 1, "log", "%s", ae_strerror(r));
    start = m.w[0];
    for (long lines = 0; start > 0; start--) {
        if (text[start - 1] == '\n' && start != m.w[0] && ++lines == want)
            break;
    }
    sh_write(io->out, text + start, m.w[0] - start);
    return 0;
}
