/*
 *   vmo_create(size, flags) -> handle [READ WRITE EXEC MAP GRANT DERIVE];
 *       AE_VMO_CONTIGUOUS: physically contiguous, for DMA
 *   vmo_create_physical(devmem[MAP], phys, size) -> handle [READ WRITE MAP
 *       GRANT DERIVE] to device memory (uncached, never RAM)
 *   vmo_map(vmo[MAP + READ/WRITE/EXEC as prot asks], proc[MAP] or 0 = self,
 *           va, offset, len, prot)
 *   vmo_unmap(proc[MAP] or 0 = self, va, len)
 *   vmo_info(vmo[READ], struct ae_vmo_info *out)
 *   vmo_slice(vmo[DERIVE], offset, size, rights) -> handle [rights] to a
 *       new VMO over those of its pages
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "proc/process.h"
#include "vm/aspace.h"
#include "vm/vmo.h"
#include "hw/hw.h"
#include "aether/errors.h"
#include "aether/rights.h"
#include "aether/types.h"

/* The target process: the caller (handle 0) or one named with MAP. */
static int target(uint64_t h, struct process **out)
{
    struct cap *pc;
    int err;

    if (h == 0) {
        *out = process_current();
        return AE_OK;
    }
    if (h > UINT32_MAX)
        return AE_ERR_BAD_HANDLE;
    err = handle_get(process_current(), (ae_handle_t)h, AE_OBJ_PROCESS, AE_RIGHT_MAP, &pc);
    if (err)
        return err;
    *out = pc->obj;
    return (*out)->state == PROCESS_ALIVE ? AE_OK : AE_ERR_PEER_CLOSED;
}

int64_t sys_vmo_create(struct trap_frame *f, struct cap *c)
{
    struct vmo *v;
    ae_handle_t h;
    int err;

    if (f->rsi > UINT32_MAX)
        return AE_ERR_INVAL;
    err = vmo_create(process_current(), f->rdi, (uint32_t)f->rsi, &v);

    if (err)
        return err;
    err = handle_install(process_current(), &v->obj,
                         AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_EXEC | AE_RIGHT_MAP |
                         AE_RIGHT_GRANT | AE_RIGHT_DERIVE, 0, &h);
    kobj_unref(&v->obj);
    return err ? err : (int64_t)h;
}

int64_t sys_vmo_map(struct trap_frame *f, struct cap *c)
{
    /* Every x86 mapping is readable, so every mapping needs READ. */
    uint32_t prot = (uint32_t)f->r9, need = AE_RIGHT_READ;
    struct process *p;
    int err;

    if (f->r9 > UINT32_MAX)
        return AE_ERR_INVAL;
    if (prot & AE_PROT_WRITE)
        need |= AE_RIGHT_WRITE;
    if (prot & AE_PROT_EXEC)
        need |= AE_RIGHT_EXEC;
    if ((c->rights & need) != need)
        return AE_ERR_ACCESS;
    err = target(f->rsi, &p);
    if (err)
        return err;
    return vmo_map(p, c->obj, f->r10, f->rdx, f->r8, prot);
}

int64_t sys_vmo_unmap(struct trap_frame *f, struct cap *c)
{
    struct process *p;
    int err = target(f->rdi, &p);

    return err ? err : vm_unmap(p, f->rsi, f->rdx);
}

int64_t sys_vmo_info(struct trap_frame *f, struct cap *c)
{
    struct vmo *v = c->obj;
    struct ae_vmo_info info = {v->npages * 4096, v->flags,
                               v->flags ? v->pages[0] : 0};

    return copy_to_user(f->rsi, &info, sizeof(info));
}

/* A new object over part of an existing one's pages (vmo.h): what a
 * service hands out when a client may see one buffer of a pool and
 * nothing else. The new handle has `rights`, none beyond the parent's. */
int64_t sys_vmo_slice(struct trap_frame *f, struct cap *c)
{
    struct vmo *v;
    ae_handle_t h;
    int err;

    if (f->r10 > UINT32_MAX || (f->r10 & ~(uint64_t)c->rights))
        return AE_ERR_ACCESS;
    err = vmo_create_slice(process_current(), c->obj, f->rsi, f->rdx, &v);
    if (err)
        return err;
    err = handle_install(process_current(), &v->obj, (uint32_t)f->r10, 0, &h);
    kobj_unref(&v->obj);
    return err ? err : (int64_t)h;
}

int64_t sys_vmo_create_physical(struct trap_frame *f, struct cap *c)
{
    struct hwrange *r = c->obj;
    uint64_t phys = f->rsi, size = f->rdx;
    struct vmo *v;
    ae_handle_t h;
    int err;

    if (!size || ((phys | size) & 4095) || phys + size < phys)
        return AE_ERR_INVAL;
    if (phys / 4096 < r->base || (phys + size) / 4096 > (uint64_t)r->base + r->count)
        return AE_ERR_RANGE;
    err = vmo_create_device(process_current(), phys, size, &v);
    if (err)
        return err;
    err = handle_install(process_current(), &v->obj,
                         AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP | AE_RIGHT_GRANT |
                         AE_RIGHT_DERIVE, 0, &h);
    kobj_unref(&v->obj);
    return err ? err : (int64_t)h;
}
