/* Name-service clients and reconnecting service calls (svc.h). */
#include "svc.h"
#include "common/string.h"

const struct ae_vnode_info *ae_vnode_info(void)
{
    const struct ae_vnode_info *vi = (const void *)ae_bootinfo;

    return vi && vi->magic == AE_VNODE_INFO_MAGIC ? vi : NULL;
}

const struct ae_vnode_hw *ae_vnode_hw(const struct ae_vnode_info *vi, uint32_t kind)
{
    for (uint32_t i = 0; vi && i < vi->nhw && i < AE_VNODE_HW_MAX; i++)
        if (vi->hw[i].kind == kind)
            return &vi->hw[i];
    return NULL;
}

int ae_ns_pack_name(const char *name, uint64_t w[3])
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n >= AE_NS_NAME_MAX)
        return AE_ERR_INVAL;
    w[0] = w[1] = w[2] = 0;
    memcpy(w, name, n);
    return AE_OK;
}

/* One name-service call: the transport error, else the reply's status. */
static int64_t ns_call(struct ae_msg *m)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    int64_t r;

    if (!vi)
        return AE_ERR_BAD_HANDLE;
    r = ae_ipc_call(vi->ns, m);
    return r ? r : AE_MSG_STATUS(m->info);
}

int64_t ae_ns_register(const char *name, ae_handle_t ep)
{
    struct ae_msg m = {AE_MSG_INFO(AE_NS_REGISTER, 1), {0}, {ep, 0, 0, 0}, 0};

    if (ae_ns_pack_name(name, m.w))
        return AE_ERR_INVAL;
    return ns_call(&m);
}

int64_t ae_ns_lookup_word(const char *name, ae_handle_t *h, uint64_t *w0)
{
    struct ae_msg m = {AE_MSG_INFO(AE_NS_LOOKUP, 0), {0}, {0}, 0};
    int64_t r;

    if (ae_ns_pack_name(name, m.w))
        return AE_ERR_INVAL;
    r = ns_call(&m);
    if (r)
        return r;
    if (AE_MSG_NHANDLES(m.info) != 1)
        return AE_ERR_CORRUPT;
    *h = m.h[0];
    *w0 = m.w[0];
    return AE_OK;
}

int64_t ae_ns_lookup(const char *name, ae_handle_t *ep, uint32_t *generation)
{
    uint64_t w0;
    int64_t r = ae_ns_lookup_word(name, ep, &w0);

    if (!r)
        *generation = (uint32_t)w0;
    return r;
}

int64_t ae_svc_connect(struct ae_svc *s, const char *name)
{
    uint64_t deadline = (uint64_t)ae_clock_get() + AE_SVC_WAIT_NS;
    uint64_t pause = 1000 * 1000;           /* 1 ms, doubling to 256 ms */
    int64_t r;

    memset(s, 0, sizeof(*s));
    if (!name || strlen(name) >= AE_NS_NAME_MAX)
        return AE_ERR_INVAL;
    memcpy(s->name, name, strlen(name));
    for (;;) {
        r = ae_ns_lookup(name, &s->ep, &s->generation);
        if (r != AE_ERR_AGAIN || (uint64_t)ae_clock_get() >= deadline)
            return r;
        ae_sleep_until((uint64_t)ae_clock_get() + pause);
        if (pause < 256 * 1000 * 1000)
            pause *= 2;
    }
}

int64_t ae_svc_call(struct ae_svc *s, struct ae_msg *m)
{
    struct ae_svc fresh;
    int64_t r = s->ep ? ae_ipc_call(s->ep, m) : AE_ERR_PEER_CLOSED;

    if (r != AE_ERR_PEER_CLOSED)
        return r;
    r = ae_svc_connect(&fresh, s->name);
    if (r)
        return r;
    if (s->ep)
        ae_handle_close(s->ep);
    *s = fresh;
    return AE_ERR_PEER_RESTARTED;
}

void ae_svc_close(struct ae_svc *s)
{
    if (s->ep)
        ae_handle_close(s->ep);
    s->ep = 0;
}
