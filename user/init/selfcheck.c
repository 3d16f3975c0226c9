#include "selfcheck.h"

#define ECHO_STACK_VA 0x100000000ull

static ae_handle_t echo_ep;

static void echo_server(void *arg)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(echo_ep, &m);

    while (r == AE_OK) {
        m.w[0] += 1;            /* the reply is the request plus one */
        m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info), 0);
        r = ae_ipc_reply_recv(echo_ep, &m);
    }
}

int selfcheck(const struct ae_bootinfo *bi)
{
    struct ae_msg m = {AE_MSG_INFO(1, 0), {41, 0, 0, 0}, {0}, 0};
    int64_t t, r;

    r = ae_endpoint_create();
    if (r < 0)
        return (int)r;
    echo_ep = (ae_handle_t)r;
    t = ae_thread_spawn(bi->self, echo_server, NULL, ECHO_STACK_VA, 65536);
    if (t < 0) {
        ae_printf("init: cannot start a thread: %s", ae_strerror(t));
        return (int)t;
    }
    r = ae_ipc_call(echo_ep, &m);
    ae_printf("init: IPC round trip: %s, 41 -> %lu", ae_strerror(r), (unsigned long)m.w[0]);
    return r == AE_OK && m.w[0] == 42 ? AE_OK : AE_ERR_CORRUPT;
}
