/*
 *   handle_close(h)                          any handle
 *   handle_derive(h[DERIVE], rights, badge, flags) -> new handle
 *   handle_revoke(h[DERIVE]) -> number revoked
 *   handle_info(h, struct ae_handle_info *out)
 *   handle_grant(p[MANAGE], h[GRANT]) -> h's new value in p: moves a handle
 *       into another process (how a parent hands a child its first
 *       handles); the caller's handle is gone, mappings are not touched
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "proc/process.h"
#include "aether/errors.h"
#include "aether/types.h"

int64_t sys_handle_close(struct trap_frame *f, struct cap *c)
{
    if (f->rdi > UINT32_MAX)
        return AE_ERR_BAD_HANDLE;
    return handle_close(process_current(), (ae_handle_t)f->rdi);
}

int64_t sys_handle_derive(struct trap_frame *f, struct cap *c)
{
    ae_handle_t out;
    uint64_t flags = f->r10;
    int err;

    if (f->rsi > UINT32_MAX || (flags & ~(uint64_t)AE_DERIVE_SET_BADGE))
        return AE_ERR_INVAL;
    err = handle_derive(process_current(), (ae_handle_t)f->rdi, (uint32_t)f->rsi,
                        f->rdx, flags & AE_DERIVE_SET_BADGE, &out);
    return err ? err : (int64_t)out;
}

int64_t sys_handle_revoke(struct trap_frame *f, struct cap *c)
{
    return handle_revoke(process_current(), (ae_handle_t)f->rdi);
}

int64_t sys_handle_info(struct trap_frame *f, struct cap *c)
{
    struct ae_handle_info info = {c->type, c->rights, c->badge};
    return copy_to_user(f->rsi, &info, sizeof(info));
}

/* Lists p's handles in slot order: up to max entries, returns how many it
 * has in all (so a caller can size its buffer and ask again). */
int64_t sys_process_handles(struct trap_frame *f, struct cap *c)
{
    struct process *p = c->obj;
    uint64_t out = f->rsi, max = f->rdx, n = 0;
    uint32_t slot = 0;
    ae_handle_t h;
    struct cap *hc;

    if (p->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    if (max > (1ull << 20))
        return AE_ERR_INVAL;
    while ((slot = ht_next(&p->handles, slot, &h, &hc)) != 0) {
        if (n < max) {
            struct ae_handle_entry e = {h, hc->revoked ? AE_OBJ_NONE : hc->type, hc->rights,
                                        hc->revoked, hc->badge};
            int err = copy_to_user(out + n * sizeof(e), &e, sizeof(e));
            if (err)
                return err;
        }
        n++;
    }
    return (int64_t)n;
}

int64_t sys_handle_grant(struct trap_frame *f, struct cap *c)
{
    struct process *to = c->obj;
    ae_handle_t h = (ae_handle_t)f->rsi, out;
    int err;

    if (f->rsi > UINT32_MAX)
        return AE_ERR_BAD_HANDLE;
    if (to->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    err = handle_transfer(process_current(), &h, 1, to, &out);
    return err ? err : (int64_t)out;
}
