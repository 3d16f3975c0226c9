#include "bufsvc.h"

static int64_t setbuf_only(struct ae_bufsvc *s)
{
    struct ae_msg m = {AE_MSG_INFO(s->setbuf_op, 1) | AE_MSG_SHARE, {s->size}, {0}, 0};
    int64_t h = ae_handle_derive(s->vmo, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP |
                                 AE_RIGHT_GRANT, 0, 0), r;

    if (h < 0)
        return h;
    m.h[0] = (ae_handle_t)h;
    r = ae_ipc_call(s->svc.ep, &m);
    if (r) {
        ae_handle_close((ae_handle_t)h);    /* not delivered: still ours */
        return r;
    }
    return AE_MSG_STATUS(m.info);
}

static int64_t setbuf(struct ae_bufsvc *s)
{
    int64_t r = setbuf_only(s);

    return !r && s->setup ? s->setup(s) : r;
}

/* The buffer exists from the first use on, connected or not: callers fill
 * it before their first call. */
static int64_t ensure_buffer(struct ae_bufsvc *s)
{
    int64_t r;

    if (s->vmo)
        return AE_OK;
    r = ae_vmo_create(s->size, 0);
    if (r < 0)
        return r;
    s->vmo = (ae_handle_t)r;
    r = ae_vmo_map(s->vmo, 0, s->va, 0, s->size, AE_PROT_READ | AE_PROT_WRITE);
    if (r) {
        ae_handle_close(s->vmo);
        s->vmo = 0;
    }
    return r;
}

int64_t ae_bufsvc_connect(struct ae_bufsvc *s)
{
    int64_t r = ensure_buffer(s);

    if (r)
        return r;
    r = ae_svc_connect(&s->svc, s->name);
    if (!r)
        r = setbuf(s);
    s->ready = r == AE_OK;
    return r;
}

void *ae_bufsvc_buf(struct ae_bufsvc *s)
{
    /* Without memory for it the buffer is a page-aligned address nothing
     * is mapped at: a use faults at once rather than corrupting. */
    ensure_buffer(s);
    return (void *)s->va;
}

int64_t ae_bufsvc_call(struct ae_bufsvc *s, struct ae_msg *req)
{
    if (!s->ready) {
        int64_t r = ae_bufsvc_connect(s);
        if (r)
            return r;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        struct ae_msg m = *req;
        int64_t r = ae_svc_call(&s->svc, &m);
        if (r == AE_ERR_PEER_RESTARTED) {
            r = setbuf(s);
            if (r)
                return r;
            continue;
        }
        if (r)
            return r;
        *req = m;
        return AE_MSG_STATUS(m.info);
    }
    return AE_ERR_PEER_RESTARTED;
}
