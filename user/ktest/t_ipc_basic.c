/* A first set of IPC and fault tests across processes. */
#include "ktest.h"

static int64_t child_echo(uint64_t ep)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)ep, &m);

    if (r)
        return 100 + (-r);
    m.w[0] = m.w[0] * 2;
    m.w[3] = m.badge;
    m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info) + 1, 0);
    r = ae_ipc_reply(&m);
    return r ? 200 + (-r) : 0;
}

KTEST(IPC0001, "call to a server in another process: words, label and badge arrive")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), child_ep = 0;
    ae_handle_t send = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0xbadd, AE_DERIVE_SET_BADGE));
    ae_handle_t recv = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_echo, 0, NULL, recv, &child_ep));
    struct ae_msg m = {AE_MSG_INFO(7, 0), {21, 0, 0, 0}, {0}, 0};
    CHECK_OK(ae_ipc_call(send, &m));
    CHECK_EQ(m.w[0], 42);
    CHECK_EQ(AE_MSG_LABEL(m.info), 8);
    CHECK_EQ(m.w[3], 0xbadd);
    CHECK_EQ(ktest_wait_child(p), 0);
    ae_handle_close(send);
    ae_handle_close(ep);
}

static int64_t child_fault_null(uint64_t arg)
{
    volatile uint64_t *volatile bad = (volatile uint64_t *)0x10;   /* page 0 */
    return (int64_t)*bad;
}

KTEST(FLT0001, "a page fault kills only the child and is reported to its fault endpoint")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t p = CHECK_HANDLE(ktest_child_after_go(child_fault_null, ep, 0x5151));
    struct ae_process_info pi;
    struct ae_msg m;

    CHECK_OK(ktest_fault_report(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, 0x5151);
    CHECK_EQ(m.w[0], AE_FAULT_PAGE);
    CHECK_EQ(m.w[1], 0x10);
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(m.w[3], pi.pid);
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), AE_ERR_FAULT);
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(pi.state, 1);
    ae_handle_close(p);
    ae_handle_close(ep);
}
