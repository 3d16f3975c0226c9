#include "serve.h"
#include "svc.h"

/* Set by ae_serve_reply_handles in the handler running now. */
static bool reply_handles;

void ae_serve_reply_handles(struct ae_msg *m, const ae_handle_t *h, unsigned n, bool share)
{
    for (unsigned i = 0; i < AE_MSG_HANDLES; i++)
        m->h[i] = i < n ? h[i] : 0;
    m->info = AE_MSG_INFO(0, n) | (share ? AE_MSG_SHARE : 0);
    reply_handles = true;
}

static int64_t dispatch(const struct ae_serve_op *ops, unsigned nops, struct ae_msg *m)
{
    for (unsigned i = 0; i < nops; i++)
        if (ops[i].label == AE_MSG_LABEL(m->info))
            return ops[i].fn(m);
    return AE_ERR_UNSUPPORTED;
}

int64_t ae_serve(const char *name, const struct ae_serve_op *ops, unsigned nops)
{
    struct ae_msg m;
    int64_t ep = ae_endpoint_create(), pub, r;

    pub = ep > 0 ? ae_handle_derive((ae_handle_t)ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE |
                                    AE_RIGHT_GRANT, 0, 0) : ep;
    r = pub > 0 ? ae_ns_register(name, (ae_handle_t)pub) : pub;
    if (r) {
        ae_printf("%s: cannot register: %s", name, ae_strerror(r));
        return r;
    }
    r = ae_ipc_recv((ae_handle_t)ep, &m);
    while (r == AE_OK) {
        unsigned nh = AE_MSG_NHANDLES(m.info);
        int64_t status;

        reply_handles = false;
        status = dispatch(ops, nops, &m);
        if (reply_handles && status == AE_OK) {
            m.info = (m.info & ~0xffffffffull) | (uint32_t)status;
        } else {
            if (reply_handles)              /* failed after all: nothing moves */
                nh = AE_MSG_NHANDLES(m.info);
            for (unsigned i = 0; i < nh && i < AE_MSG_HANDLES; i++)
                if (m.h[i])
                    ae_handle_close(m.h[i]);
            m.info = AE_MSG_INFO((uint32_t)status, 0);
        }
        r = ae_ipc_reply_recv((ae_handle_t)ep, &m);
    }
    ae_printf("%s: receive failed: %s", name, ae_strerror(r));
    return r;
}
