/* Shell commands on files (through the file service) and the log. */
#include "cmds.h"
#include "aether/proto/init.h"
#include "vfsc.h"
#include "common/string.h"

int cmd_ls(int argc, char **argv, struct sh_io *io)
{
    const char *path = argc == 2 ? argv[1] : "/";
    struct vfs_stat st;
    int64_t fd, r;

    if (argc > 2)
        return sh_fail(io, 2, "ls", "usage: ls [PATH]");
    fd = vfs_open(path, AE_VFS_O_READ, &st);
    if (fd < 0)
        return sh_fail(io, 1, "ls", "%s: %s", path, ae_strerror(fd));
    if (st.type != AE_VFS_DIR) {
        sh_printf(io, "%-24s %8lu\n", path, (unsigned long)st.size);
        vfs_close(fd);
        return 0;
    }
    for (uint64_t i = 0;; i++) {
        char name[AE_VFS_PATH_MAX];
        r = vfs_readdir(fd, i, name, sizeof(name), &st);
        if (r == AE_ERR_NOTFOUND)
            break;
        if (r) {
            vfs_close(fd);
            return sh_fail(io, 1, "ls", "%s: %s", path, ae_strerror(r));
        }
        if (st.type == AE_VFS_DIR)
            sh_printf(io, "%s/\n", name);
        else
            sh_printf(io, "%-24s %8lu\n", name, (unsigned long)st.size);
    }
    vfs_close(fd);
    return 0;
}

static int cat_one(const char *path, struct sh_io *io)
{
    static char chunk[VFS_IO_MAX];
    struct vfs_stat st;
    uint64_t off = 0;
    int64_t fd = vfs_open(path, AE_VFS_O_READ, &st), n;

    if (fd < 0)
        return sh_fail(io, 1, "cat", "%s: %s", path, ae_strerror(fd));
    if (st.type == AE_VFS_DIR) {
        vfs_close(fd);
        return sh_fail(io, 1, "cat", "%s: is a directory", path);
    }
    while ((n = vfs_read(fd, off, chunk, sizeof(chunk))) > 0) {
        sh_write(io->out, chunk, (size_t)n);
        off += (uint64_t)n;
    }
    vfs_close(fd);
    return n < 0 ? sh_fail(io, 1, "cat", "%s: %s", path, ae_strerror(n)) : 0;
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
    uint64_t off = 0;
    int64_t fd, r;

    if (argc != 2)
        return sh_fail(io, 2, "tee", "usage: tee FILE (reads a pipe)");
    fd = vfs_open(argv[1], AE_VFS_O_WRITE | AE_VFS_O_CREATE | AE_VFS_O_TRUNC, NULL);
    if (fd < 0)
        return sh_fail(io, 1, "tee", "%s: %s", argv[1], ae_strerror(fd));
    while (io->in && off < io->in_len) {
        r = vfs_write(fd, off, io->in + off, io->in_len - off);
        if (r <= 0) {
            vfs_close(fd);
            return sh_fail(io, 1, "tee", "%s: %s", argv[1], ae_strerror(r ? r : AE_ERR_QUOTA));
        }
        off += (uint64_t)r;
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
