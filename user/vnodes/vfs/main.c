/*
 * vfs: the file service (include/aether/proto/vfs.h). One namespace: /boot
 * (bootfs.c), /sys (sysfs.c), /tmp (tmpfs.c). Single-threaded: requests
 * are served one at a time, in order.
 */
#include "vfs.h"
#include "serve.h"
#include "svc.h"
#include "common/string.h"

#define MAX_CLIENTS 32
#define BUF_VA 0x0000100000000000ull        /* client buffers, BUF_MAX apart */
#define BUF_MAX (64 * 1024ull)

static struct {
    int used;
    uint64_t badge;
    uint8_t *buf;
    uint64_t size;
} clients[MAX_CLIENTS];

static struct vfs_file files[VFS_MAX_FILES];
static char sys_text[VFS_MAX_FILES][VFS_SYS_TEXT];
static const char *const top[] = {"boot", "sys", "tmp"};

static int client_of(uint64_t badge)
{
    int free_slot = -1;

    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i].used && clients[i].badge == badge)
            return i;
        if (!clients[i].used && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        clients[free_slot].used = 1;
        clients[free_slot].badge = badge;
        clients[free_slot].buf = NULL;
    }
    return free_slot;
}

static int64_t op_setbuf(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    uint64_t va = BUF_VA + (uint64_t)c * BUF_MAX, size = m->w[0];
    int64_t r;

    if (AE_MSG_NHANDLES(m->info) != 1 || size < 4096 || size > BUF_MAX || size % 4096)
        return AE_ERR_INVAL;
    if (clients[c].buf)
        ae_vmo_unmap(0, va, clients[c].size);
    clients[c].buf = NULL;
    r = ae_vmo_map(m->h[0], 0, va, 0, size, AE_PROT_READ | AE_PROT_WRITE);
    if (r)
        return r;
    clients[c].buf = (uint8_t *)va;
    clients[c].size = size;
    return AE_OK;
}

/* The path in client c's buffer, split. */
static int take_path(int c, char *copy, struct path *p)
{
    size_t max = clients[c].size < AE_VFS_PATH_MAX ? clients[c].size : AE_VFS_PATH_MAX;

    memcpy(copy, clients[c].buf, max);
    copy[max - 1] = 0;             /* a path that fills it is too long anyway */
    return path_split(copy, AE_VFS_PATH_MAX - 2, p) ? AE_ERR_INVAL : AE_OK;
}

/* Resolves p into f (its kind, type, size). */
static int resolve(const struct path *p, struct vfs_file *f, uint32_t flags, int slot)
{
    int writable = 0, err;

    if (p->n == 0) {
        f->kind = K_ROOT;
        f->type = AE_VFS_DIR;
        err = AE_OK;
    } else if (path_is(p, 0, "boot")) {
        err = bootfs_open(p, f);
    } else if (path_is(p, 0, "sys")) {
        err = sysfs_open(p, f, sys_text[slot]);
    } else if (path_is(p, 0, "tmp")) {
        err = tmpfs_open(p, f, flags);
        writable = f->kind == K_TMP_FILE;
        if (!err && writable)
            f->size = tmpfs_size(f->tmp);
    } else {
        err = AE_ERR_NOTFOUND;
    }
    if (!err && (flags & (AE_VFS_O_WRITE | AE_VFS_O_TRUNC)) && !writable)
        err = AE_ERR_ACCESS;
    if (!err && (flags & AE_VFS_O_CREATE) && !writable)
        err = AE_ERR_ACCESS;
    return err;
}

static int64_t op_open(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    char copy[AE_VFS_PATH_MAX];
    struct path p;
    uint32_t flags = (uint32_t)m->w[0];
    int slot = -1, err;

    if (!clients[c].buf || (m->w[0] & ~0xfull))
        return AE_ERR_INVAL;
    err = take_path(c, copy, &p);
    if (err)
        return err;
    for (int i = 0; i < VFS_MAX_FILES && slot < 0; i++)
        if (!files[i].used)
            slot = i;
    if (slot < 0)
        return AE_ERR_QUOTA;
    memset(&files[slot], 0, sizeof(files[slot]));
    err = resolve(&p, &files[slot], flags, slot);
    if (err)
        return err;
    files[slot].used = 1;
    files[slot].owner = clients[c].badge;
    files[slot].flags = flags;
    m->w[0] = (uint64_t)slot;
    m->w[1] = files[slot].type;
    m->w[2] = files[slot].size;
    return AE_OK;
}

static int64_t op_stat(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    char copy[AE_VFS_PATH_MAX];
    struct path p;
    struct vfs_file f = {0};
    static char scratch[VFS_SYS_TEXT];
    int err;

    if (!clients[c].buf)
        return AE_ERR_INVAL;
    err = take_path(c, copy, &p);
    if (!err && p.n && path_is(&p, 0, "sys"))
        err = sysfs_open(&p, &f, scratch);
    else if (!err)
        err = resolve(&p, &f, 0, 0);
    if (err)
        return err;
    m->w[0] = f.type;
    m->w[1] = f.size;
    return AE_OK;
}

/* The caller's open file w[0]. */
static struct vfs_file *file_of(int c, const struct ae_msg *m)
{
    uint64_t fd = m->w[0];

    if (fd >= VFS_MAX_FILES || !files[fd].used || files[fd].owner != clients[c].badge)
        return NULL;
    return &files[fd];
}

static int64_t op_read(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    struct vfs_file *f = file_of(c, m);
    uint64_t off = m->w[1], max = m->w[2], n;
    int64_t r;

    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!clients[c].buf || max > clients[c].size)
        return AE_ERR_INVAL;
    if (f->type == AE_VFS_DIR)
        return AE_ERR_UNSUPPORTED;
    if (f->kind == K_TMP_FILE) {
        r = tmpfs_read(f, off, clients[c].buf, max);
        if (r < 0)
            return r;
        m->w[0] = (uint64_t)r;
        return AE_OK;
    }
    n = off >= f->size ? 0 : f->size - off < max ? f->size - off : max;
    memcpy(clients[c].buf, (f->kind == K_BOOT ? f->data : (const uint8_t *)f->text) + off, n);
    m->w[0] = n;
    return AE_OK;
}

static int64_t op_write(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    struct vfs_file *f = file_of(c, m);
    int64_t r;

    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!(f->flags & AE_VFS_O_WRITE) || f->kind != K_TMP_FILE)
        return AE_ERR_ACCESS;
    if (!clients[c].buf || m->w[2] > clients[c].size)
        return AE_ERR_INVAL;
    r = tmpfs_write(f, m->w[1], clients[c].buf, m->w[2]);
    if (r < 0)
        return r;
    m->w[0] = (uint64_t)r;
    return AE_OK;
}

static int64_t op_readdir(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    struct vfs_file *f = file_of(c, m);
    char name[AE_VFS_PATH_MAX];
    uint32_t type = 0;
    uint64_t size = 0, index = m->w[1];
    int err;

    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!clients[c].buf)
        return AE_ERR_INVAL;
    if (f->type != AE_VFS_DIR)
        return AE_ERR_INVAL;
    switch (f->kind) {
    case K_ROOT:
        if (index >= sizeof(top) / sizeof(top[0]))
            return AE_ERR_NOTFOUND;
        memcpy(name, top[index], strlen(top[index]) + 1);
        type = AE_VFS_DIR;
        err = AE_OK;
        break;
    case K_BOOT: err = bootfs_readdir(f, index, name, &type, &size); break;
    case K_SYS_DIR: err = sysfs_readdir(index, name, &type, &size); break;
    default: err = tmpfs_readdir(index, name, &type, &size); break;
    }
    if (err)
        return err;
    memcpy(clients[c].buf, name, strlen(name) + 1);
    m->w[0] = type;
    m->w[1] = size;
    return AE_OK;
}

static int64_t op_close(struct ae_msg *m)
{
    int c = client_of(m->badge);

    if (c < 0)
        return AE_ERR_QUOTA;
    struct vfs_file *f = file_of(c, m);

    if (!f)
        return AE_ERR_BAD_HANDLE;
    f->used = 0;
    return AE_OK;
}

static const struct ae_serve_op ops[] = {
    {AE_VFS_SETBUF, op_setbuf},
    {AE_VFS_OPEN, op_open},
    {AE_VFS_READ, op_read},
    {AE_VFS_WRITE, op_write},
    {AE_VFS_STAT, op_stat},
    {AE_VFS_READDIR, op_readdir},
    {AE_VFS_CLOSE, op_close},
};

int main(const struct ae_bootinfo *bi)
{
    int64_t r = bootfs_init();

    if (r)
        ae_printf("vfs: no initrd for /boot: %s", ae_strerror(r));
    return (int)ae_serve("vfs", ops, sizeof(ops) / sizeof(ops[0]));
}
