/*
 * The boot set: every bundle in the initrd, an AetherFS image
 * (docs/AETHERFS.md), whose entries "vnodes/NAME" are V-Node bundles
 * (docs/BUNDLE.md). Each is checked (trust.c) before anything of it is
 * used; one that fails is kept in the table as refused, with the reason, so
 * `ps` and `vnode list` show it, and the system comes up without it.
 */
#include "init.h"
#include "common/fmt.h"
#include "common/string.h"

static void refuse(struct vnode *vn, int err, const char *what)
{
    vn->state = VN_REFUSED;
    vn->bundle.status = err;
    vn->bundle.stage = what;
    /* A manifest problem has already written its own words into reason. */
    if (!vn->reason[0])
        ae_snprintf(vn->reason, sizeof(vn->reason), "%s (%s)", ae_strerror(err),
                    err == AE_ERR_ROLLBACK ? "version below the mark" : what);
    ae_printf("init: refused %s: %s", vn->m.name, vn->reason);
}

static void add_vnode(const struct aefs_entry *e)
{
    struct vnode *vn = &g.vnodes[g.nvnodes];
    const char *what;
    char ver[24];
    int r;

    memset(vn, 0, sizeof(*vn));
    vn->id = ++g.nvnodes;
    /* Its name until the manifest says: the entry's, "vnodes/NAME". */
    ae_snprintf(vn->m.name, sizeof(vn->m.name), "%s", e->name + 7);
    r = trust_check_bundle(vn, e, false, &what);
    if (r) {
        /* A manifest that failed to parse may have left a partial name. */
        ae_snprintf(vn->m.name, sizeof(vn->m.name), "%s", e->name + 7);
        refuse(vn, r, what);
        return;
    }
    vn->policy.restart = vn->m.restart == MANIFEST_RESTART_ALWAYS ? RESTART_ALWAYS
                       : vn->m.restart == MANIFEST_RESTART_NEVER ? RESTART_NEVER
                       : RESTART_ON_FAILURE;
    vn->policy.max_restarts = vn->m.max_restarts;
    vn->policy.backoff_ns = (uint64_t)vn->m.backoff_ms * 1000 * 1000;
    vn->state = VN_STOPPED;
    ae_bundle_version_format(vn->bundle.version, ver, sizeof(ver));
    ae_printf("init: verified %s %s: root %02x%02x%02x%02x%02x%02x%02x%02x, %u of %u "
              "signers, %lu blocks, %lu kcycles",
              vn->m.name, ver, vn->bundle.root[0], vn->bundle.root[1], vn->bundle.root[2],
              vn->bundle.root[3], vn->bundle.root[4], vn->bundle.root[5], vn->bundle.root[6],
              vn->bundle.root[7], vn->bundle.nsigners, g.trust.nkeys,
              (unsigned long)vn->bundle.blocks_checked,
              (unsigned long)(vn->bundle.verify_cycles / 1000));
}

int boot_read_initrd(void)
{
    uint64_t size;
    const void *img = trust_map_module("initrd", INITRD_VA, &size, &g.initrd_vmo);
    int r;

    if (!img)
        return AE_ERR_NOTFOUND;
    g.initrd_size = size;
    r = aefs_open(&g.fs, img, size);
    if (r) {
        ae_printf("init: the initrd is not a valid AetherFS image (%s): no V-Nodes",
                  ae_strerror(r));
        return r;
    }
    trust_init();
    for (uint32_t i = 0; i < g.fs.nentries; i++) {
        struct aefs_entry e;
        aefs_entry_get(&g.fs, i, &e);
        if (e.kind != AEFS_KIND_BUNDLE)
            continue;
        if (g.nvnodes == MAX_VNODES) {
            ae_printf("init: more than %d V-Nodes in the initrd: %s and later ignored",
                      MAX_VNODES, e.name);
            break;
        }
        add_vnode(&e);
    }
    return AE_OK;
}
