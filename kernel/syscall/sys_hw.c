/*
 * Hardware capabilities for user-space drivers. Not implemented yet: these
 * calls answer AE_ERR_UNSUPPORTED (issue 3 lists IRQ binding, I/O port
 * ranges through the TSS bitmap, device memory and DMA memory objects).
 */
#include "syscall/syscall.h"
#include "aether/errors.h"

int64_t sys_irq_bind(struct trap_frame *f, struct cap *c)
{
    return AE_ERR_UNSUPPORTED;
}

int64_t sys_irq_ack(struct trap_frame *f, struct cap *c)
{
    return AE_ERR_UNSUPPORTED;
}

int64_t sys_ioport_enable(struct trap_frame *f, struct cap *c)
{
    return AE_ERR_UNSUPPORTED;
}
