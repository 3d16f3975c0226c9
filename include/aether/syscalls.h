/*
 * The system call table: the one list that drives the kernel's dispatcher,
 * the user-space stubs and the names in traces and errors.
 *
 * X(number, name, first_handle_type, rights_on_first_handle, stub, params, args)
 *
 * When first_handle_type is not AE_OBJ_NONE, the first argument is a handle
 * and the dispatcher checks, before the call runs, that it names a live
 * object of that type (AE_ERR_BAD_HANDLE, AE_ERR_REVOKED, AE_ERR_INVAL for a
 * wrong type) carrying every listed right (AE_ERR_ACCESS). Calls check any
 * further handles themselves; handle_close decodes its handle itself, since
 * a revoked handle must still be closable; docs/KERNEL.md lists every call's
 * rights and errors.
 *
 * stub, params and args generate the user-space stub ae_NAME params
 * (user/lib/aether.h): CALL returns the int64_t result, EXIT never returns,
 * IPC also carries a message in registers (struct ae_msg). args are the
 * register arguments in order.
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
    X(0,  log_write,         AE_OBJ_NONE,         0,               CALL,      \
      (const char *s, uint64_t len), (s, len))                                \
    X(1,  clock_get,         AE_OBJ_NONE,         0,               CALL,      \
      (void), ())                                                             \
    X(2,  sleep_until,       AE_OBJ_NONE,         0,               CALL,      \
      (uint64_t deadline_ns), (deadline_ns))                                  \
    X(3,  yield,             AE_OBJ_NONE,         0,               CALL,      \
      (void), ())                                                             \
    X(4,  handle_close,      AE_OBJ_NONE,         0,               CALL,      \
      (ae_handle_t h), (h))                                                   \
    X(5,  handle_derive,     AE_OBJ_ANY,          AE_RIGHT_DERIVE, CALL,      \
      (ae_handle_t h, uint32_t rights, uint64_t badge, uint32_t flags),       \
      (h, rights, badge, flags))                                              \
    X(6,  handle_revoke,     AE_OBJ_ANY,          AE_RIGHT_DERIVE, CALL,      \
      (ae_handle_t h), (h))                                                   \
    X(7,  handle_info,       AE_OBJ_ANY,          0,               CALL,      \
      (ae_handle_t h, struct ae_handle_info *out), (h, out))                  \
    X(8,  process_create,    AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t parent, const char *name,                                  \
       const struct ae_quota_limits *limits), (parent, name, limits))         \
    X(9,  process_kill,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t p, int64_t status), (p, status))                           \
    X(10, process_wait,      AE_OBJ_PROCESS,      AE_RIGHT_WAIT,   CALL,      \
      (ae_handle_t p, uint64_t timeout_ns), (p, timeout_ns))                  \
    X(11, process_set_fault, AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t p, ae_handle_t ep, uint64_t badge), (p, ep, badge))        \
    X(12, process_info,      AE_OBJ_PROCESS,      AE_RIGHT_READ,   CALL,      \
      (ae_handle_t p, struct ae_process_info *out), (p, out))                 \
    X(13, process_exit,      AE_OBJ_NONE,         0,               EXIT,      \
      (int64_t status), (status))                                             \
    X(14, thread_create,     AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t p, uint64_t entry, uint64_t stack, uint64_t arg),          \
      (p, entry, stack, arg))                                                 \
    X(15, thread_start,      AE_OBJ_THREAD,       AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t t), (t))                                                   \
    X(16, thread_exit,       AE_OBJ_NONE,         0,               EXIT,      \
      (int64_t code), (code))                                                 \
    X(17, thread_wait,       AE_OBJ_THREAD,       AE_RIGHT_WAIT,   CALL,      \
      (ae_handle_t t, uint64_t timeout_ns), (t, timeout_ns))                  \
    X(18, thread_set_priority, AE_OBJ_THREAD,     AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t t, uint32_t priority), (t, priority))                      \
    X(19, thread_set_affinity, AE_OBJ_THREAD,     AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t t, uint32_t cpu), (t, cpu))                                \
    X(20, endpoint_create,   AE_OBJ_NONE,         0,               CALL,      \
      (void), ())                                                             \
    X(21, ipc_send,          AE_OBJ_ENDPOINT,     AE_RIGHT_SEND,   IPC,       \
      (ae_handle_t ep, struct ae_msg *m), (ep, m))                            \
    X(22, ipc_recv,          AE_OBJ_ENDPOINT,     AE_RIGHT_RECV,   IPC,       \
      (ae_handle_t ep, struct ae_msg *m), (ep, m))                            \
    X(23, ipc_call,          AE_OBJ_ENDPOINT,     AE_RIGHT_SEND,   IPC,       \
      (ae_handle_t ep, struct ae_msg *m), (ep, m))                            \
    X(24, ipc_reply,         AE_OBJ_NONE,         0,               IPC,       \
      (struct ae_msg *m), (0, m))                                             \
    X(25, ipc_reply_recv,    AE_OBJ_ENDPOINT,     AE_RIGHT_RECV,   IPC,       \
      (ae_handle_t ep, struct ae_msg *m), (ep, m))                            \
    X(26, notify_create,     AE_OBJ_NONE,         0,               CALL,      \
      (void), ())                                                             \
    X(27, notify_signal,     AE_OBJ_NOTIFICATION, AE_RIGHT_SIGNAL, CALL,      \
      (ae_handle_t n, uint64_t bits), (n, bits))                              \
    X(28, notify_wait,       AE_OBJ_NOTIFICATION, AE_RIGHT_WAIT,   CALL,      \
      (ae_handle_t n, uint64_t timeout_ns), (n, timeout_ns))                  \
    X(29, vmo_create,        AE_OBJ_NONE,         0,               CALL,      \
      (uint64_t size, uint32_t flags), (size, flags))                         \
    X(30, vmo_map,           AE_OBJ_VMO,          AE_RIGHT_MAP,    CALL,      \
      (ae_handle_t vmo, ae_handle_t proc, uint64_t va, uint64_t offset,       \
       uint64_t len, uint32_t prot), (vmo, proc, va, offset, len, prot))      \
    X(31, vmo_unmap,         AE_OBJ_NONE,         0,               CALL,      \
      (ae_handle_t proc, uint64_t va, uint64_t len), (proc, va, len))         \
    X(32, vmo_info,          AE_OBJ_VMO,          AE_RIGHT_READ,   CALL,      \
      (ae_handle_t vmo, struct ae_vmo_info *out), (vmo, out))                 \
    X(33, irq_bind,          AE_OBJ_IRQ,          AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t irq, uint32_t line, ae_handle_t notify, uint64_t bits,     \
       uint32_t flags), (irq, line, notify, bits, flags))                     \
    X(34, irq_ack,           AE_OBJ_IRQ,          AE_RIGHT_WAIT,   CALL,      \
      (ae_handle_t irq, uint32_t gsi), (irq, gsi))                            \
    X(35, ioport_enable,     AE_OBJ_IOPORTS,      AE_RIGHT_WRITE,  CALL,      \
      (ae_handle_t ports, uint32_t base, uint32_t count), (ports, base, count)) \
    X(36, kernel_check,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t p), (p))                                                   \
    X(37, handle_grant,      AE_OBJ_PROCESS,      AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t p, ae_handle_t h), (p, h))                                 \
    X(38, hw_subrange,       AE_OBJ_ANY,          AE_RIGHT_DERIVE, CALL,      \
      (ae_handle_t h, uint32_t base, uint32_t count), (h, base, count))       \
    X(39, vmo_create_physical, AE_OBJ_DEVMEM,     AE_RIGHT_MAP,    CALL,      \
      (ae_handle_t devmem, uint64_t phys, uint64_t size), (devmem, phys, size)) \
    X(40, log_read,          AE_OBJ_LOG,          AE_RIGHT_READ,   CALL,      \
      (ae_handle_t log, uint64_t *cursor, char *buf, uint64_t len),           \
      (log, cursor, buf, len)) \
    X(41, process_handles,   AE_OBJ_PROCESS,      AE_RIGHT_READ,   CALL,      \
      (ae_handle_t p, struct ae_handle_entry *out, uint64_t max), (p, out, max)) \
    X(42, trace_map,         AE_OBJ_TRACE,        AE_RIGHT_READ | AE_RIGHT_MAP, CALL, \
      (ae_handle_t trace, uint64_t va), (trace, va))                          \
    X(43, trace_ctl,         AE_OBJ_TRACE,        AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t trace, uint64_t op, uint64_t arg), (trace, op, arg))       \
    X(44, trace_emit,        AE_OBJ_TRACE,        AE_RIGHT_WRITE,  CALL,      \
      (ae_handle_t trace, uint64_t type, uint64_t peer, uint64_t a0,          \
       uint64_t a1), (trace, type, peer, a0, a1))                          \
    X(45, irq_msi_message,   AE_OBJ_IRQ,          AE_RIGHT_MANAGE, CALL,      \
      (ae_handle_t irq, uint32_t line, struct ae_msi_message *out),          \
      (irq, line, out))                                                       \
    X(46, vmo_slice,         AE_OBJ_VMO,          AE_RIGHT_DERIVE, CALL,      \
      (ae_handle_t vmo, uint64_t offset, uint64_t size, uint32_t rights),    \
      (vmo, offset, size, rights))

enum ae_syscall {
#define AE_X_SYSNUM(num, name, type, rights, stub, params, args) AE_SYS_##name = num,
    AE_SYSCALL_LIST(AE_X_SYSNUM)
#undef AE_X_SYSNUM
    AE_SYS_COUNT
};

#define AE_X_ONE(num, name, type, rights, stub, params, args) +1
_Static_assert(0 AE_SYSCALL_LIST(AE_X_ONE) == AE_SYS_COUNT,
               "system call numbers are dense and in order");
#undef AE_X_ONE

#endif
