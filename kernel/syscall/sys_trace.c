/*
 * The TraceBuf capability (docs/KERNEL.md, docs/TRACE.md):
 *
 *   trace_map(trace [READ MAP], va) -> bytes mapped
 *       the header page and every CPU's ring, read-only (never writable or
 *       executable), at page-aligned va in the caller; vmo_unmap(0, va,
 *       bytes) removes it. INVAL, EXISTS, QUOTA as vmo_map.
 *   trace_ctl(trace [MANAGE], op, arg)
 *       AE_TRACE_CTL_SET: arg 0 or 1, returns the previous state;
 *       AE_TRACE_CTL_QUERY: returns the state. INVAL otherwise.
 *   trace_emit(trace [WRITE], type, peer, a0, a1) -> 1 written, 0 tracing off
 *       a record from user space: only AE_TRACE_PROC_RESTART (init's
 *       restarts), pid = the caller's; INVAL for other types or a peer
 *       wider than 32 bits.
 *
 * TraceBuf is one kernel object (AE_OBJ_TRACE), never destroyed; init gets
 * the root handle in its boot info.
 */
#include "syscall/syscall.h"
#include "proc/process.h"
#include "trace/trace.h"
#include "trace/trace_points.h"
#include "aether/errors.h"
#include "aether/trace.h"

int64_t sys_trace_map(struct trap_frame *f, struct cap *c)
{
    return trace_map(process_current(), f->rsi);
}

int64_t sys_trace_ctl(struct trap_frame *f, struct cap *c)
{
    switch (f->rsi) {
    case AE_TRACE_CTL_SET:
        if (f->rdx > 1)
            return AE_ERR_INVAL;
        return trace_set_enabled(f->rdx == 1);
    case AE_TRACE_CTL_QUERY:
        return trace_enabled;
    default:
        return AE_ERR_INVAL;
    }
}

int64_t sys_trace_emit(struct trap_frame *f, struct cap *c)
{
    if (f->rsi != AE_TRACE_PROC_RESTART || f->rdx > UINT32_MAX)
        return AE_ERR_INVAL;
    return trace_user_rec((uint16_t)f->rsi, (uint32_t)f->rdx, f->r10, f->r8);
}
