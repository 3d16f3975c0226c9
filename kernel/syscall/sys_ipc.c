/*
 *   endpoint_create() -> handle [SEND RECV GRANT DERIVE]
 *   ipc_send(ep[SEND], msg), ipc_call(ep[SEND], msg) -> reply
 *   ipc_recv(ep[RECV]) -> msg, ipc_reply(msg), ipc_reply_recv(ep[RECV], msg) -> msg
 *   notify_create() -> handle [SIGNAL WAIT GRANT DERIVE]
 *   notify_signal(n[SIGNAL], bits), notify_wait(n[WAIT], timeout_ns) -> bits
 * Message registers: include/aether/ipc.h.
 */
#include "syscall/syscall.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "ipc/endpoint.h"
#include "ipc/notify.h"
#include "proc/process.h"
#include "aether/errors.h"
#include "aether/rights.h"

int64_t sys_endpoint_create(struct trap_frame *f, struct cap *c)
{
    struct endpoint *ep;
    ae_handle_t h;
    int err = endpoint_create(&process_current()->acct->q, &ep);

    if (err)
        return err;
    err = handle_install(process_current(), &ep->obj,
                         AE_RIGHT_SEND | AE_RIGHT_RECV | AE_RIGHT_GRANT | AE_RIGHT_DERIVE,
                         0, &h);
    kobj_unref(&ep->obj);
    return err ? err : (int64_t)h;
}

int64_t sys_ipc_send(struct trap_frame *f, struct cap *c)
{
    return ipc_send(c->obj, c->badge, false);
}

int64_t sys_ipc_call(struct trap_frame *f, struct cap *c)
{
    return ipc_send(c->obj, c->badge, true);
}

int64_t sys_ipc_recv(struct trap_frame *f, struct cap *c)
{
    return ipc_recv(c->obj);
}

int64_t sys_ipc_reply(struct trap_frame *f, struct cap *c)
{
    return ipc_reply(NULL);
}

int64_t sys_ipc_reply_recv(struct trap_frame *f, struct cap *c)
{
    return ipc_reply(c->obj);
}

int64_t sys_notify_create(struct trap_frame *f, struct cap *c)
{
    struct notify *n;
    ae_handle_t h;
    int err = notify_create(&process_current()->acct->q, &n);

    if (err)
        return err;
    err = handle_install(process_current(), &n->obj,
                         AE_RIGHT_SIGNAL | AE_RIGHT_WAIT | AE_RIGHT_GRANT | AE_RIGHT_DERIVE,
                         0, &h);
    kobj_unref(&n->obj);
    return err ? err : (int64_t)h;
}

int64_t sys_notify_signal(struct trap_frame *f, struct cap *c)
{
    return notify_signal(c->obj, f->rsi);
}

int64_t sys_notify_wait(struct trap_frame *f, struct cap *c)
{
    return notify_wait(c->obj, f->rsi);
}
