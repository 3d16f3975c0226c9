#include "serve.h"
#include "svc.h"

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
        int64_t status = dispatch(ops, nops, &m);
        for (unsigned i = 0; i < nh && i < AE_MSG_HANDLES; i++)
            if (m.h[i])
                ae_handle_close(m.h[i]);
        m.info = AE_MSG_INFO((uint32_t)status, 0);
        r = ae_ipc_reply_recv((ae_handle_t)ep, &m);
    }
    ae_printf("%s: receive failed: %s", name, ae_strerror(r));
    return r;
}
