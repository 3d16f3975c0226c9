/*
 * /sys: live system state as text, generated when a file is opened, from
 * init's service (V-Nodes, memory) and the clock.
 */
#include "vfs.h"
#include "bufsvc.h"
#include "aether/proto/init.h"
#include "common/fmt.h"
#include "common/string.h"

static struct ae_bufsvc initsvc = AE_BUFSVC("init", AE_INIT_SETBUF, 0x0000130000000000ull,
                                            65536);

static const char *const files[] = {"vnodes", "memory", "cpus", "uptime"};
#define NFILES (sizeof(files) / sizeof(files[0]))

static int gen_vnodes(char *t, size_t cap, size_t *len)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LIST, 0), {0}, {0}, 0};
    const struct ae_vnode_status *s = ae_bufsvc_buf(&initsvc);
    int64_t r = ae_bufsvc_call(&initsvc, &m);
    size_t n = 0;

    if (r)
        return (int)r;
    n += (size_t)ae_snprintf(t + n, cap - n, "# name pid state restarts pages_used pages_quota "
                                             "cpu_ms ipc_sent ipc_received\n");
    for (uint64_t i = 0; i < m.w[0] && n < cap; i++)
        n += (size_t)ae_snprintf(t + n, cap - n, "%s %lu %s %u %lu %lu %lu %lu %lu\n", s[i].name,
                                 (unsigned long)s[i].pid, ae_vnode_state_name(s[i].state),
                                 s[i].restarts, (unsigned long)s[i].pages_used,
                                 (unsigned long)s[i].pages_quota,
                                 (unsigned long)(s[i].cpu_ns / 1000000),
                                 (unsigned long)s[i].ipc_sent,
                                 (unsigned long)s[i].ipc_received);
    *len = n < cap ? n : cap - 1;
    return AE_OK;
}

static int gen_memory(char *t, size_t cap, size_t *len)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_MEM, 0), {0}, {0}, 0};
    int64_t r = ae_bufsvc_call(&initsvc, &m);

    if (r)
        return (int)r;
    *len = (size_t)ae_snprintf(t, cap, "total_kib %lu\nfree_kib %lu\nvnodes_kib %lu\n",
                               (unsigned long)m.w[0] * 4, (unsigned long)m.w[1] * 4,
                               (unsigned long)m.w[2] * 4);
    return AE_OK;
}

int sysfs_open(const struct path *p, struct vfs_file *f, char *text)
{
    size_t len = 0;
    int err = AE_ERR_NOTFOUND;

    f->kind = p->n == 1 ? K_SYS_DIR : K_SYS_FILE;
    f->type = p->n == 1 ? AE_VFS_DIR : AE_VFS_FILE;
    if (p->n == 1)
        return AE_OK;
    if (p->n != 2)
        return AE_ERR_NOTFOUND;
    if (path_is(p, 1, "vnodes")) {
        err = gen_vnodes(text, VFS_SYS_TEXT, &len);
    } else if (path_is(p, 1, "memory")) {
        err = gen_memory(text, VFS_SYS_TEXT, &len);
    } else if (path_is(p, 1, "cpus")) {
        const struct ae_vnode_info *vi = ae_vnode_info();
        len = (size_t)ae_snprintf(text, VFS_SYS_TEXT, "%u\n", vi ? vi->ncpus : 0);
        err = AE_OK;
    } else if (path_is(p, 1, "uptime")) {
        uint64_t ns = (uint64_t)ae_clock_get();
        len = (size_t)ae_snprintf(text, VFS_SYS_TEXT, "%lu.%09lu\n",
                                  (unsigned long)(ns / 1000000000),
                                  (unsigned long)(ns % 1000000000));
        err = AE_OK;
    }
    f->text = text;
    f->size = len;
    return err;
}

int sysfs_readdir(uint64_t index, char *name, uint32_t *type, uint64_t *size)
{
    if (index >= NFILES)
        return AE_ERR_NOTFOUND;
    memcpy(name, files[index], strlen(files[index]) + 1);
    *type = AE_VFS_FILE;
    *size = 0;                      /* generated when opened */
    return AE_OK;
}
