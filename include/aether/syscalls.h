/*
 * The system call table: the one list that drives the kernel's dispatcher,
 * the user-space stubs and the names in traces and errors.
 *
 * X(number, name, first_handle_type, rights_on_first_handle)
 *
 * When first_handle_type is not AE_OBJ_NONE, the first argument is a handle
 * and the dispatcher checks, before the call runs, that it names a live
 * object of that type (AE_ERR_BAD_HANDLE, AE_ERR_REVOKED, AE_ERR_INVAL for a
 * wrong type) carrying every listed right (AE_ERR_ACCESS). Calls check any
 * further handles themselves; handle_close decodes its handle itself, since
 * a revoked handle must still be closable; docs/KERNEL.md lists every call's rights and
 * errors.
 *
 * Calling convention (x86_64 `syscall`): rax = number; arguments in rdi,
 * rsi, rdx, r10, r8, r9; IPC message words also in r12-r15 (see ipc.h).
 * Result in rax: >= 0 success, < 0 an AE_ERR_* code. rcx and r11 are
 * clobbered; every other register is preserved unless it carries a result.
 */
#ifndef AETHER_SYSCALLS_H
#define AETHER_SYSCALLS_H

#include "aether/objects.h"
#include "aether/rights.h"

#define AE_SYSCALL_LIST(X)                                                    \
    X(0,  log_write,         AE_OBJ_NONE,         0)                          \
    X(1,  clock_get,         AE_OBJ_NONE,         0)                          \
    X(2,  sleep_until,       AE_OBJ_NONE,         0)                          \
    X(3,  yield,             AE_OBJ_NONE,         0)                          \
    X(4,  handle_close,      AE_OBJ_NONE,         0)                          \
    X(5,  handle_derive,     AE_OBJ_ANY,          AE_RIGHT_DERIVE)            \
    X(6,  handle_revoke,     AE_OBJ_ANY,          AE_RIGHT_DERIVE)            \
    X(7,  handle_info,       AE_OBJ_ANY,          0)                          \
    X(8,  process_create,    AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(9,  process_kill,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(10, process_wait,      AE_OBJ_PROCESS,      AE_RIGHT_WAIT)              \
    X(11, process_set_fault, AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(12, process_info,      AE_OBJ_PROCESS,      AE_RIGHT_READ)              \
    X(13, process_exit,      AE_OBJ_NONE,         0)                          \
    X(14, thread_create,     AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(15, thread_start,      AE_OBJ_THREAD,       AE_RIGHT_MANAGE)            \
    X(16, thread_exit,       AE_OBJ_NONE,         0)                          \
    X(17, thread_wait,       AE_OBJ_THREAD,       AE_RIGHT_WAIT)              \
    X(18, thread_set_priority, AE_OBJ_THREAD,     AE_RIGHT_MANAGE)            \
    X(19, thread_set_affinity, AE_OBJ_THREAD,     AE_RIGHT_MANAGE)            \
    X(20, endpoint_create,   AE_OBJ_NONE,         0)                          \
    X(21, ipc_send,          AE_OBJ_ENDPOINT,     AE_RIGHT_SEND)              \
    X(22, ipc_recv,          AE_OBJ_ENDPOINT,     AE_RIGHT_RECV)              \
    X(23, ipc_call,          AE_OBJ_ENDPOINT,     AE_RIGHT_SEND)              \
    X(24, ipc_reply,         AE_OBJ_NONE,         0)                          \
    X(25, ipc_reply_recv,    AE_OBJ_ENDPOINT,     AE_RIGHT_RECV)              \
    X(26, notify_create,     AE_OBJ_NONE,         0)                          \
    X(27, notify_signal,     AE_OBJ_NOTIFICATION, AE_RIGHT_SIGNAL)            \
    X(28, notify_wait,       AE_OBJ_NOTIFICATION, AE_RIGHT_WAIT)              \
    X(29, vmo_create,        AE_OBJ_NONE,         0)                          \
    X(30, vmo_map,           AE_OBJ_VMO,          AE_RIGHT_MAP)               \
    X(31, vmo_unmap,         AE_OBJ_NONE,         0)                          \
    X(32, vmo_info,          AE_OBJ_VMO,          AE_RIGHT_READ)              \
    X(33, irq_bind,          AE_OBJ_IRQ,          AE_RIGHT_MANAGE)            \
    X(34, irq_ack,           AE_OBJ_IRQ,          AE_RIGHT_WAIT)              \
    X(35, ioport_enable,     AE_OBJ_IOPORTS,      AE_RIGHT_WRITE)             \
    X(36, kernel_check,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(37, handle_grant,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE)            \
    X(38, hw_subrange,       AE_OBJ_ANY,          AE_RIGHT_DERIVE)            \
    X(39, vmo_create_physical, AE_OBJ_DEVMEM,     AE_RIGHT_MAP)

enum ae_syscall {
#define AE_X_SYSNUM(num, name, type, rights) AE_SYS_##name = num,
    AE_SYSCALL_LIST(AE_X_SYSNUM)
#undef AE_X_SYSNUM
    AE_SYS_COUNT
};

#endif
