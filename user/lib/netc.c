/* See netc.h. */
#include <string.h>

#include "bufsvc.h"
#include "netc.h"

static struct ae_bufsvc net;
static ae_handle_t wake;

/* After every (re)connection: net-stack gets a notification to signal. */
static int64_t setup(struct ae_bufsvc *s)
{
    struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_NOTIFY, 1)};
    int64_t r, give;

    if (!wake) {
        r = ae_notify_create();
        if (r < 0)
            return r;
        wake = (ae_handle_t)r;
    }
    give = ae_handle_derive(wake, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0);
    if (give < 0)
        return give;
    m.h[0] = (ae_handle_t)give;
    r = ae_ipc_call(s->svc.ep, &m);
    return r ? r : AE_MSG_STATUS(m.info);
}

void netc_init(uint64_t buf_va)
{
    /* One connection per process: a second SETBUF would end the sockets
     * made so far, so the first caller's buffer address stays. */
    if (net.name)
        return;
    net = (struct ae_bufsvc)AE_BUFSVC("net", AE_NET_SETBUF, buf_va, 65536);
    net.setup = setup;
}

int64_t netc_call(struct ae_msg *m)
{
    return ae_bufsvc_call(&net, m);
}

void *netc_buf(void)
{
    return ae_bufsvc_buf(&net);
}

static int64_t call4(uint32_t op, uint64_t a, uint64_t b, uint64_t c, struct ae_msg *m)
{
    *m = (struct ae_msg){.info = AE_MSG_INFO(op, 0), .w = {a, b, c}};
    return netc_call(m);
}

/* Repeats op while it answers AGAIN, sleeping on our notification. */
static int64_t call_waiting(uint32_t op, uint64_t a, uint64_t b, uint64_t c, struct ae_msg *m,
                            uint64_t timeout_ns)
{
    uint64_t deadline = timeout_ns == AE_WAIT_FOREVER ? AE_WAIT_FOREVER
                                                      : (uint64_t)ae_clock_get() + timeout_ns;
    for (;;) {
        int64_t r = call4(op, a, b, c, m), now;
        if (r != AE_ERR_AGAIN)
            return r;
        now = ae_clock_get();
        if ((uint64_t)now >= deadline)
            return AE_ERR_TIMEOUT;
        r = ae_notify_wait(wake, deadline == AE_WAIT_FOREVER ? AE_WAIT_FOREVER
                                                              : deadline - (uint64_t)now);
        if (r < 0 && r != AE_ERR_TIMEOUT)
            return r;
    }
}

int64_t netc_call_wait(struct ae_msg *m, uint64_t timeout_ns)
{
    struct ae_msg req = *m;
    int64_t r = call_waiting(AE_MSG_LABEL(req.info), req.w[0], req.w[1], req.w[2], m,
                             timeout_ns);
    return r;
}

int64_t netc_wait(uint64_t timeout_ns)
{
    int64_t r;

    if (!wake)
        return AE_ERR_INVAL;
    r = ae_notify_wait(wake, timeout_ns);
    return r < 0 ? r : AE_OK;
}

int64_t netc_socket(uint32_t type)
{
    struct ae_msg m;
    int64_t r = call4(AE_NET_SOCKET, type, 0, 0, &m);
    return r ? r : (int64_t)m.w[0];
}

int64_t netc_bind(int64_t s, uint64_t ep)
{
    struct ae_msg m;
    int64_t r = call4(AE_NET_BIND, (uint64_t)s, ep, 0, &m);
    return r ? r : (int64_t)m.w[0];
}

int64_t netc_connect(int64_t s, uint64_t ep)
{
    struct ae_msg m;
    return call4(AE_NET_CONNECT, (uint64_t)s, ep, 0, &m);
}

int64_t netc_sendto(int64_t s, const void *data, size_t len, uint64_t ep)
{
    struct ae_msg m;
    int64_t r;

    if (len > 65536)
        return AE_ERR_RANGE;
    memcpy(netc_buf(), data, len);      /* the buffer exists before any connection */
    r = call_waiting(AE_NET_SENDTO, (uint64_t)s, len, ep, &m, AE_WAIT_FOREVER);
    return r ? r : (int64_t)len;
}

int64_t netc_recvfrom(int64_t s, void *data, size_t max, uint64_t *from, uint64_t timeout_ns)
{
    struct ae_msg m;
    int64_t r = call_waiting(AE_NET_RECVFROM, (uint64_t)s, 0, 0, &m, timeout_ns);

    if (r)
        return r;
    if (from)
        *from = m.w[1];
    if (m.w[0] > max)
        m.w[0] = max;
    memcpy(data, netc_buf(), m.w[0]);
    return (int64_t)m.w[0];
}

int64_t netc_poll(uint64_t n, uint64_t timeout_ns)
{
    uint64_t deadline = timeout_ns == AE_WAIT_FOREVER ? AE_WAIT_FOREVER
                                                      : (uint64_t)ae_clock_get() + timeout_ns;
    for (;;) {
        struct ae_msg m;
        int64_t r = call4(AE_NET_POLL, n, 0, 0, &m), now;
        if (r || m.w[0])
            return r ? r : (int64_t)m.w[0];
        now = ae_clock_get();
        if ((uint64_t)now >= deadline)
            return 0;
        r = ae_notify_wait(wake, deadline == AE_WAIT_FOREVER ? AE_WAIT_FOREVER
                                                              : deadline - (uint64_t)now);
        if (r < 0 && r != AE_ERR_TIMEOUT)
            return r;
    }
}

int64_t netc_close(int64_t s)
{
    struct ae_msg m;
    return call4(AE_NET_CLOSE, (uint64_t)s, 0, 0, &m);
}

static int64_t map_page(struct ae_msg *m, uint64_t va, uint32_t prot, struct netc_page *p)
{
    int64_t r;

    if (AE_MSG_NHANDLES(m->info) != 1)
        return AE_ERR_CORRUPT;
    p->vmo = m->h[0];
    r = ae_vmo_map(p->vmo, 0, va, 0, 4096, prot);
    if (r) {
        ae_handle_close(p->vmo);
        return r;
    }
    p->va = (uint8_t *)va;
    return AE_OK;
}

int64_t netc_zc_recv(int64_t s, uint64_t va, struct netc_page *p, uint64_t timeout_ns)
{
    struct ae_msg m;
    int64_t r = call_waiting(AE_NET_ZC_RECV, (uint64_t)s, 0, 0, &m, timeout_ns);

    if (r)
        return r;
    p->off = (uint32_t)m.w[0];
    p->len = (uint32_t)m.w[1];
    p->ep = m.w[2];
    if (p->off > 4096 || p->len > 4096 - p->off)
        return AE_ERR_CORRUPT;
    return map_page(&m, va, AE_PROT_READ, p);
}

/* Hands the page back: moving the handle unmaps it here. */
static int64_t page_home(uint32_t op, int64_t s, struct netc_page *p, uint64_t w1, uint64_t w2)
{
    struct ae_msg m = {.info = AE_MSG_INFO(op, 1), .w = {(uint64_t)s, w1, w2},
                       .h = {p->vmo}};
    int64_t r = netc_call(&m);

    p->vmo = 0;
    p->va = NULL;
    return r;
}

int64_t netc_zc_release(int64_t s, struct netc_page *p)
{
    return page_home(AE_NET_ZC_RELEASE, s, p, 0, 0);
}

int64_t netc_zc_txbuf(int64_t s, uint64_t va, struct netc_page *p)
{
    struct ae_msg m;
    int64_t r = call_waiting(AE_NET_ZC_TXBUF, (uint64_t)s, 0, 0, &m, AE_WAIT_FOREVER);

    if (r)
        return r;
    p->off = (uint32_t)m.w[0];
    p->len = (uint32_t)m.w[1];
    p->ep = 0;
    return map_page(&m, va, AE_PROT_READ | AE_PROT_WRITE, p);
}

int64_t netc_zc_send(int64_t s, struct netc_page *p, uint32_t len, uint64_t ep)
{
    return page_home(AE_NET_ZC_SEND, s, p, len, ep);
}
