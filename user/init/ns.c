/*
 * The name service (include/aether/proto/ns.h). A V-Node registers the
 * services its manifest provides; init keeps a SEND|DERIVE|GRANT handle to
 * each and gives every V-Node whose manifest needs one a handle badged with
 * that V-Node's id. Two services are init's own: "init" (its control
 * service, on its main endpoint) and "initrd" (a read-only handle to the
 * initrd's memory object, w[0] its size: the file service serves /boot
 * from it).
 */
#include "init.h"
#include "aether/proto/ns.h"
#include "common/string.h"

#define CLIENT_RIGHTS (AE_RIGHT_SEND | AE_RIGHT_GRANT)

static bool unpack(const struct ae_msg *m, char name[AE_NS_NAME_MAX])
{
    memcpy(name, m->w, AE_NS_NAME_MAX - 1);
    name[AE_NS_NAME_MAX - 1] = 0;
    return name[0] != 0;
}

static int index_of(const char list[][MANIFEST_NAME_MAX + 1], unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(list[i], name))
            return (int)i;
    return -1;
}

static void status(struct ae_msg *m, int64_t st)
{
    m->info = AE_MSG_INFO((uint32_t)st, 0);
}

static void do_register(struct vnode *vn, struct ae_msg *m, const char *name)
{
    int k = index_of(vn->m.provides, vn->m.nprovides, name);
    struct ae_handle_info hi;

    if (k < 0) {
        ae_printf("init: %s may not register \"%s\" (not in its manifest)", vn->m.name, name);
        status(m, AE_ERR_ACCESS);
        return;
    }
    if (AE_MSG_NHANDLES(m->info) != 1 || ae_handle_info(m->h[0], &hi) ||
        hi.type != AE_OBJ_ENDPOINT ||
        (hi.rights & (AE_RIGHT_SEND | AE_RIGHT_DERIVE)) != (AE_RIGHT_SEND | AE_RIGHT_DERIVE) ||
        hi.badge) {
        status(m, AE_ERR_INVAL);
        return;
    }
    if (vn->svc[k])
        ae_handle_close(vn->svc[k]);
    vn->svc[k] = m->h[0];
    vn->svc_gen[k] = vn->generation;
    keep_request_handle(0);
    status(m, AE_OK);
    m->w[0] = vn->generation;
}

static void give(struct ae_msg *m, int64_t h, uint32_t generation)
{
    if (h < 0) {
        status(m, h);
        return;
    }
    m->info = AE_MSG_INFO(AE_OK, 1);
    m->h[0] = (ae_handle_t)h;
    m->w[0] = generation;
}

/* init's own services. */
static void give_init(struct vnode *vn, struct ae_msg *m)
{
    give(m, ae_handle_derive(g.ep, CLIENT_RIGHTS, vn->id, AE_DERIVE_SET_BADGE), 1);
}

static void give_log(struct vnode *vn, struct ae_msg *m)
{
    give(m, ae_handle_derive(g.bi->log, AE_RIGHT_READ | AE_RIGHT_GRANT, 0, 0), 1);
}

static void give_initrd(struct vnode *vn, struct ae_msg *m)
{
    if (!g.initrd_vmo) {
        status(m, AE_ERR_NOTFOUND);
        return;
    }
    give(m, ae_handle_derive(g.initrd_vmo, AE_RIGHT_READ | AE_RIGHT_MAP | AE_RIGHT_GRANT, 0, 0),
         1);
    m->info |= AE_MSG_SHARE;        /* a MOVE would unmap our own view of it */
    m->w[0] = g.initrd_size;
}

const char *const ns_builtin_names[] = {"init", "log", "initrd", NULL};
static void (*const builtins[])(struct vnode *, struct ae_msg *) = {
    give_init, give_log, give_initrd,
};

static void do_lookup(struct vnode *vn, struct ae_msg *m, const char *name)
{
    if (index_of(vn->m.needs, vn->m.nneeds, name) < 0) {
        ae_printf("init: %s may not look up \"%s\" (not in its manifest)", vn->m.name, name);
        status(m, AE_ERR_ACCESS);
        return;
    }
    for (unsigned i = 0; ns_builtin_names[i]; i++) {
        if (!strcmp(name, ns_builtin_names[i])) {
            builtins[i](vn, m);
            return;
        }
    }
    for (unsigned i = 0; i < g.nvnodes; i++) {
        struct vnode *p = &g.vnodes[i];
        int k = index_of(p->m.provides, p->m.nprovides, name);
        if (k < 0 || p->state == VN_REFUSED)
            continue;
        if (!p->svc[k]) {
            /* Not up yet: worth waiting for only if it is meant to be, and
             * has not ended for good (a driver without a device exits). */
            status(m, p->want_up && p->state != VN_EXITED && p->state != VN_FAILED
                          ? AE_ERR_AGAIN : AE_ERR_PEER_CLOSED);
            return;
        }
        give(m, ae_handle_derive(p->svc[k], CLIENT_RIGHTS, vn->id, AE_DERIVE_SET_BADGE),
             p->svc_gen[k]);
        return;
    }
    status(m, AE_ERR_NOTFOUND);
}

void ns_serve(struct vnode *caller, struct ae_msg *m)
{
    char name[AE_NS_NAME_MAX];

    if (!unpack(m, name)) {
        status(m, AE_ERR_INVAL);
        return;
    }
    if (AE_MSG_LABEL(m->info) == AE_NS_REGISTER)
        do_register(caller, m, name);
    else
        do_lookup(caller, m, name);
}

void ns_forget(struct vnode *vn)
{
    for (unsigned k = 0; k < MANIFEST_SERVICES_MAX; k++) {
        if (vn->svc[k])
            ae_handle_close(vn->svc[k]);
        vn->svc[k] = 0;
    }
}

bool ns_boot_set_ready(void)
{
    for (unsigned i = 0; i < g.nvnodes; i++) {
        const struct vnode *vn = &g.vnodes[i];
        if (vn->state == VN_REFUSED || !vn->m.boot)
            continue;
        if (vn->state != VN_RUNNING && vn->state != VN_FAILED && vn->state != VN_EXITED)
            return false;
        for (unsigned k = 0; vn->state == VN_RUNNING && k < vn->m.nprovides; k++)
            if (!vn->svc[k])
                return false;
    }
    return true;
}
