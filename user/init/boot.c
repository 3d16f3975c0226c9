/*
 * The boot set: the V-Nodes in the initrd (docs/USERSPACE.md, "The
 * initrd"), each read from vnodes/NAME/manifest and vnodes/NAME/<binary>.
 * A V-Node whose files are missing or whose manifest is malformed is kept
 * in the table as refused, with the reason, so `ps` can show it.
 */
#include "init.h"
#include "cpio.h"
#include "common/fmt.h"
#include "common/string.h"

#define INITRD_VA 0x0000400000000000ull

static const char *initrd;
static size_t initrd_size;

static int map_initrd(void)
{
    const struct ae_bootinfo *bi = g.bi;

    for (uint32_t i = 0; i < bi->nmodules && i < AE_BOOT_MODULES_MAX; i++) {
        const struct ae_boot_module *mod = &bi->modules[i];
        uint64_t len = (mod->size + 4095) & ~4095ull;
        int64_t r;
        if (strcmp(mod->name, "initrd") || !mod->size)
            continue;
        r = ae_vmo_map(mod->vmo, 0, INITRD_VA, 0, len, AE_PROT_READ);
        if (r)
            return (int)r;
        initrd = (const char *)INITRD_VA;
        initrd_size = mod->size;
        g.initrd_vmo = mod->vmo;
        g.initrd_size = mod->size;
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}

static void refuse(struct vnode *vn, const char *why)
{
    vn->state = VN_REFUSED;
    ae_snprintf(vn->reason, sizeof(vn->reason), "%s", why);
    ae_printf("init: refused %s: %s", vn->m.name[0] ? vn->m.name : "?", why);
}

/* path is "vnodes/NAME/manifest": name gets NAME, or false. */
static bool manifest_path(const struct cpio_entry *e, char name[MANIFEST_NAME_MAX + 1])
{
    static const char pre[] = "vnodes/", post[] = "/manifest";
    size_t n = e->namelen;

    if (n <= sizeof(pre) - 1 + sizeof(post) - 1 || strncmp(e->name, pre, sizeof(pre) - 1) ||
        strcmp(e->name + n - (sizeof(post) - 1), post))
        return false;
    n -= sizeof(pre) - 1 + sizeof(post) - 1;
    if (n > MANIFEST_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (e->name[sizeof(pre) - 1 + i] == '/')
            return false;           /* deeper than vnodes/NAME/ */
    memcpy(name, e->name + sizeof(pre) - 1, n);
    name[n] = 0;
    return true;
}

static void add_vnode(const char *dir, const struct cpio_entry *mf)
{
    struct vnode *vn = &g.vnodes[g.nvnodes];
    char err[MANIFEST_ERR_MAX], path[128];
    struct cpio_entry bin;

    memset(vn, 0, sizeof(*vn));
    vn->id = ++g.nvnodes;
    if (manifest_parse(mf->data, mf->size, &vn->m, err, sizeof(err)) != AE_OK) {
        memcpy(vn->m.name, dir, strlen(dir) + 1);
        refuse(vn, err);
        return;
    }
    if (strcmp(vn->m.name, dir)) {
        ae_snprintf(err, sizeof(err), "manifest name \"%s\" is not its directory's", vn->m.name);
        memcpy(vn->m.name, dir, strlen(dir) + 1);
        refuse(vn, err);
        return;
    }
    ae_snprintf(path, sizeof(path), "vnodes/%s/%s", dir, vn->m.binary);
    if (cpio_find(initrd, initrd_size, path, &bin) != AE_OK || !bin.size) {
        ae_snprintf(err, sizeof(err), "binary %s missing from the initrd", vn->m.binary);
        refuse(vn, err);
        return;
    }
    vn->elf = bin.data;
    vn->elf_size = bin.size;
    vn->policy.restart = vn->m.restart == MANIFEST_RESTART_ALWAYS ? RESTART_ALWAYS
                       : vn->m.restart == MANIFEST_RESTART_NEVER ? RESTART_NEVER
                       : RESTART_ON_FAILURE;
    vn->policy.max_restarts = vn->m.max_restarts;
    vn->policy.backoff_ns = (uint64_t)vn->m.backoff_ms * 1000 * 1000;
    vn->state = VN_STOPPED;
}

int boot_read_initrd(void)
{
    struct cpio_iter it;
    struct cpio_entry e;
    size_t count;
    int r = map_initrd();

    if (r)
        return r;
    r = cpio_check(initrd, initrd_size, &count);
    if (r) {
        ae_printf("init: the initrd is corrupt (%s): no V-Nodes", ae_strerror(r));
        return r;
    }
    cpio_iter_init(&it, initrd, initrd_size);
    while (cpio_next(&it, &e) == 1) {
        char dir[MANIFEST_NAME_MAX + 1];
        if (!manifest_path(&e, dir))
            continue;
        if (g.nvnodes == MAX_VNODES) {
            ae_printf("init: more than %d V-Nodes in the initrd: %s and later ignored",
                      MAX_VNODES, dir);
            break;
        }
        add_vnode(dir, &e);
    }
    return AE_OK;
}
