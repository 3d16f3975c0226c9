/*
 * Hardware capabilities for user-space drivers.
 *
 *   irq_bind(irq[MANAGE], line, notification (needs SIGNAL), bits, flags)
 *       -> the GSI bound. flags AE_IRQ_ISA: line is an ISA IRQ. The GSI must
 *       lie in the handle's range. INVAL, RANGE.
 *   irq_ack(irq[WAIT], gsi): unmask after servicing. RANGE, NOTFOUND.
 *   irq_msi_message(irq[MANAGE], line, out): the address and data that
 *       raise MSI line `line` (in the handle's range). INVAL (a GSI), RANGE,
 *       FAULT.
 *   ioport_enable(ioports[WRITE], base, count): opens the ports to the
 *       caller's threads (no syscall per access). RANGE, QUOTA.
 *   hw_subrange(irq, ioports or devmem [DERIVE], base, count) -> a new handle
 *       (same rights) to an object covering a sub-range (devmem: in pages).
 *       INVAL, RANGE.
 */
#include "syscall/syscall.h"
#include "acpi/acpi.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "hw/hw.h"
#include "ipc/notify.h"
#include "proc/process.h"
#include "syscall/uaccess.h"
#include "aether/errors.h"
#include "aether/rights.h"
#include "aether/types.h"

static bool in_range(const struct hwrange *r, uint64_t base, uint64_t count)
{
    return count && base >= r->base && base + count <= (uint64_t)r->base + r->count &&
           base + count > base;
}

int64_t sys_irq_bind(struct trap_frame *f, struct cap *c)
{
    struct hwrange *r = c->obj;
    uint32_t gsi = (uint32_t)f->rsi;
    uint16_t inti = 0;
    struct cap *nc;
    int err;

    if (f->r8 & ~(uint64_t)(AE_IRQ_ISA | AE_IRQ_INTI_MASK) || f->rsi > UINT32_MAX ||
        f->rdx > UINT32_MAX)
        return AE_ERR_INVAL;
    inti = (uint16_t)((f->r8 & AE_IRQ_INTI_MASK) >> 8);
    if ((inti & 3) == 2 || (inti >> 2) == 2 || (inti && (f->r8 & AE_IRQ_ISA)))
        return AE_ERR_INVAL;
    if (f->r8 & AE_IRQ_ISA) {
        if (f->rsi > 15)
            return AE_ERR_INVAL;
        madt_isa_irq_to_gsi(acpi_madt(), (uint8_t)f->rsi, &gsi, &inti);
    }
    if (!in_range(r, gsi, 1))
        return AE_ERR_RANGE;
    err = handle_get(process_current(), (ae_handle_t)f->rdx, AE_OBJ_NOTIFICATION,
                     AE_RIGHT_SIGNAL, &nc);
    if (err)
        return err;
    err = irq_bind(gsi, inti, nc->obj, f->r10);
    return err ? err : (int64_t)gsi;
}

int64_t sys_irq_msi_message(struct trap_frame *f, struct cap *c)
{
    struct ae_msi_message m = {0};
    int err;

    if (!in_range(c->obj, f->rsi, 1))
        return AE_ERR_RANGE;
    err = irq_msi_message((uint32_t)f->rsi, &m.address, &m.data);
    return err ? err : copy_to_user(f->rdx, &m, sizeof(m));
}

int64_t sys_irq_ack(struct trap_frame *f, struct cap *c)
{
    if (!in_range(c->obj, f->rsi, 1))
        return AE_ERR_RANGE;
    return irq_ack((uint32_t)f->rsi);
}

int64_t sys_ioport_enable(struct trap_frame *f, struct cap *c)
{
    if (!in_range(c->obj, f->rsi, f->rdx))
        return AE_ERR_RANGE;
    return ioports_enable(process_current(), (uint32_t)f->rsi, (uint32_t)f->rdx);
}

int64_t sys_hw_subrange(struct trap_frame *f, struct cap *c)
{
    struct hwrange *r;
    ae_handle_t h;
    int err;

    if (c->type != AE_OBJ_IRQ && c->type != AE_OBJ_IOPORTS && c->type != AE_OBJ_DEVMEM)
        return AE_ERR_INVAL;
    if (!in_range(c->obj, f->rsi, f->rdx))
        return AE_ERR_RANGE;
    err = hwrange_create(&process_current()->acct->q, c->type, (uint32_t)f->rsi, (uint32_t)f->rdx, &r);
    if (err)
        return err;
    err = handle_install(process_current(), &r->obj, c->rights, 0, &h);
    kobj_unref(&r->obj);
    return err ? err : (int64_t)h;
}
