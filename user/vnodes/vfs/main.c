/*
 * vfs: the file service (include/aether/proto/vfs.h). One namespace: /boot
 * (bootfs.c), /sys (sysfs.c), /tmp (tmpfs.c). Single-threaded: requests
 * are served one at a time, in order.
 */
#include "vfs.h"
#include "clientbuf.h"
#include "serve.h"
#include "svc.h"
#include "common/string.h"

#define BUF_VA 0x0000100000000000ull        /* client buffers (clientbuf.h) */

static struct ae_clients clients = {.base_va = BUF_VA};
static struct vfs_file files[VFS_MAX_FILES];
static char sys_text[VFS_MAX_FILES][VFS_SYS_TEXT];
static const char *const top[] = {"boot", "sys", "tmp"};

static int64_t op_setbuf(struct ae_msg *m)
{
    return ae_client_setbuf(&clients, m->badge, m);
}

/* The path in client c's buffer, split. */
static int take_path(const struct ae_client *c, char *copy, struct path *p)
{
    size_t max = c->size < AE_VFS_PATH_MAX ? c->size : AE_VFS_PATH_MAX;

    memcpy(copy, c->buf, max);
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
    struct ae_client *c = ae_client_of(&clients, m->badge);
    char copy[AE_VFS_PATH_MAX];
    struct path p;
    uint32_t flags = (uint32_t)m->w[0];
    int slot = -1, err;

    if (!c)
        return AE_ERR_QUOTA;
    if (!c->buf || (m->w[0] & ~0xfull))
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
    files[slot].owner = c->badge;
    files[slot].flags = flags;
    m->w[0] = (uint64_t)slot;
    m->w[1] = files[slot].type;
    m->w[2] = files[slot].size;
    return AE_OK;
}

static int64_t op_stat(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    char copy[AE_VFS_PATH_MAX];
    struct path p;
    struct vfs_file f = {0};
    static char scratch[VFS_SYS_TEXT];
    int err;

    if (!c)
        return AE_ERR_QUOTA;
    if (!c->buf)
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
static struct vfs_file *file_of(const struct ae_client *c, const struct ae_msg *m)
{
    uint64_t fd = m->w[0];

    if (fd >= VFS_MAX_FILES || !files[fd].used || files[fd].owner != c->badge)
        return NULL;
    return &files[fd];
}

static int64_t op_read(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct vfs_file *f = c ? file_of(c, m) : NULL;
    uint64_t off = m->w[1], max = m->w[2], n;
    int64_t r;

    if (!c)
        return AE_ERR_QUOTA;
    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!c->buf || max > c->size)
        return AE_ERR_INVAL;
    if (f->type == AE_VFS_DIR)
        return AE_ERR_UNSUPPORTED;
    if (f->kind == K_TMP_FILE || f->kind == K_BOOT) {
        r = f->kind == K_BOOT ? bootfs_read(f, off, c->buf, max) : tmpfs_read(f, off, c->buf, max);
        if (r < 0)
            return r;
        m->w[0] = (uint64_t)r;
        return AE_OK;
    }
    n = off >= f->size ? 0 : f->size - off < max ? f->size - off : max;
    memcpy(c->buf, f->text + off, n);
    m->w[0] = n;
    return AE_OK;
}

static int64_t op_write(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct vfs_file *f = c ? file_of(c, m) : NULL;
    int64_t r;

    if (!c)
        return AE_ERR_QUOTA;
    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!(f->flags & AE_VFS_O_WRITE) || f->kind != K_TMP_FILE)
        return AE_ERR_ACCESS;
    if (!c->buf || m->w[2] > c->size)
        return AE_ERR_INVAL;
    r = tmpfs_write(f, m->w[1], c->buf, m->w[2]);
    if (r < 0)
        return r;
    m->w[0] = (uint64_t)r;
    return AE_OK;
}

static int64_t op_readdir(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct vfs_file *f = c ? file_of(c, m) : NULL;
    char name[AE_VFS_PATH_MAX];
    uint32_t type = 0;
    uint64_t size = 0, index = m->w[1];
    int err;

    if (!c)
        return AE_ERR_QUOTA;
    if (!f)
        return AE_ERR_BAD_HANDLE;
    if (!c->buf)
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
    memcpy(c->buf, name, strlen(name) + 1);
    m->w[0] = type;
    m->w[1] = size;
    return AE_OK;
}

static int64_t op_close(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct vfs_file *f = c ? file_of(c, m) : NULL;

    if (!c)
        return AE_ERR_QUOTA;
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
