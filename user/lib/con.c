/* Console client with session re-establishment (con.h). */
#include "con.h"
#include "aether/proto/console.h"
#include "common/string.h"

/* SETBUF, NOTIFY and MODE: what a new console needs to know about us. */
static int64_t setup(struct con *c)
{
    struct ae_msg m = {0};
    int64_t r, h;

    for (int step = 0; step < 3; step++) {
        memset(&m, 0, sizeof(m));
        if (step == 0) {
            h = ae_handle_derive(c->buf_vmo, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP |
                                 AE_RIGHT_GRANT, 0, 0);
            m.info = AE_MSG_INFO(AE_CONSOLE_SETBUF, 1) | AE_MSG_SHARE;
            m.w[0] = CON_BUF_SIZE;
        } else if (step == 1) {
            h = ae_handle_derive(c->input, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0);
            m.info = AE_MSG_INFO(AE_CONSOLE_NOTIFY, 1);
            m.w[0] = 1;
        } else {
            h = 0;
            m.info = AE_MSG_INFO(AE_CONSOLE_MODE, 0);
            m.w[0] = c->raw ? AE_CONSOLE_MODE_RAW : AE_CONSOLE_MODE_COOKED;
        }
        if (h < 0)
            return h;
        m.h[0] = (ae_handle_t)h;
        r = ae_ipc_call(c->svc.ep, &m);
        if (r) {
            if (h)
                ae_handle_close((ae_handle_t)h);    /* not delivered: still ours */
            return r;
        }
        r = AE_MSG_STATUS(m.info);
        if (r)
            return r;
    }
    return AE_OK;
}

int64_t con_open(struct con *c, uint64_t buf_va)
{
    int64_t r;

    memset(c, 0, sizeof(*c));
    c->buf_va = buf_va;
    r = ae_vmo_create(CON_BUF_SIZE, 0);
    if (r < 0)
        return r;
    c->buf_vmo = (ae_handle_t)r;
    r = ae_vmo_map(c->buf_vmo, 0, buf_va, 0, CON_BUF_SIZE, AE_PROT_READ | AE_PROT_WRITE);
    if (r)
        return r;
    r = ae_notify_create();
    if (r < 0)
        return r;
    c->input = (ae_handle_t)r;
    r = ae_svc_connect(&c->svc, "console");
    return r ? r : setup(c);
}

/* A call that survives a console restart: on AE_ERR_PEER_RESTARTED the
 * session is set up again and the call repeated once. */
static int64_t call(struct con *c, struct ae_msg *req)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        struct ae_msg m = *req;
        int64_t r = ae_svc_call(&c->svc, &m);
        if (r == AE_ERR_PEER_RESTARTED) {
            r = setup(c);
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

int64_t con_write(struct con *c, const void *data, size_t n)
{
    const char *p = data;
    size_t done = 0;

    while (done < n) {
        size_t k = n - done < CON_BUF_SIZE ? n - done : CON_BUF_SIZE;
        struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_WRITE, 0), {k, 0, 0, 0}, {0}, 0};
        int64_t r;
        memcpy((void *)c->buf_va, p + done, k);
        r = call(c, &m);
        if (r)
            return r;
        done += k;
    }
    return (int64_t)done;
}

int64_t con_read(struct con *c, void *dst, size_t max)
{
    if (max > CON_BUF_SIZE)
        max = CON_BUF_SIZE;
    for (;;) {
        struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_READ, 0), {max, 0, 0, 0}, {0}, 0};
        int64_t r = call(c, &m);
        if (r)
            return r;
        if (m.w[0]) {
            memcpy(dst, (const void *)c->buf_va, m.w[0]);
            return (int64_t)m.w[0];
        }
        r = ae_notify_wait(c->input, AE_WAIT_FOREVER);
        if (r < 0)
            return r;
    }
}

int64_t con_set_raw(struct con *c, int raw)
{
    struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_MODE, 0), {0}, {0}, 0};

    c->raw = raw;
    m.w[0] = raw ? AE_CONSOLE_MODE_RAW : AE_CONSOLE_MODE_COOKED;
    return call(c, &m);
}
