/* The shell's service connections: set up on first use, set up again when
 * a service restarts (AE_ERR_PEER_RESTARTED), the call then repeated. */
#include "sh.h"
#include "aether/proto/init.h"
#include "aether/proto/vfs.h"

struct sh_svc sh_init = {.name = "init", .buf_va = 0x0000110000000000ull,
                         .setbuf_op = AE_INIT_SETBUF};
struct sh_svc sh_vfs = {.name = "vfs", .buf_va = 0x0000120000000000ull,
                        .setbuf_op = AE_VFS_SETBUF};

static int64_t setbuf(struct sh_svc *s)
{
    struct ae_msg m = {AE_MSG_INFO(s->setbuf_op, 1) | AE_MSG_SHARE, {SH_SVC_BUF}, {0}, 0};
    int64_t h = ae_handle_derive(s->vmo, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP |
                                 AE_RIGHT_GRANT, 0, 0), r;

    if (h < 0)
        return h;
    m.h[0] = (ae_handle_t)h;
    r = ae_ipc_call(s->svc.ep, &m);
    if (r) {
        ae_handle_close((ae_handle_t)h);
        return r;
    }
    return AE_MSG_STATUS(m.info);
}

static int64_t connect(struct sh_svc *s)
{
    int64_t r;

    if (!s->vmo) {
        r = ae_vmo_create(SH_SVC_BUF, 0);
        if (r < 0)
            return r;
        s->vmo = (ae_handle_t)r;
        r = ae_vmo_map(s->vmo, 0, s->buf_va, 0, SH_SVC_BUF, AE_PROT_READ | AE_PROT_WRITE);
        if (r)
            return r;
    }
    r = ae_svc_connect(&s->svc, s->name);
    if (!r)
        r = setbuf(s);
    s->ready = r == AE_OK;
    return r;
}

void *sh_buf(struct sh_svc *s)
{
    return (void *)s->buf_va;
}

int64_t sh_call(struct sh_svc *s, struct ae_msg *req)
{
    if (!s->ready) {
        int64_t r = connect(s);
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
