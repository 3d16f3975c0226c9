/*
 * libaether: system call stubs and small helpers for AetherOS programs.
 * Every stub returns the kernel's result: >= 0 success, < 0 AE_ERR_*.
 */
#ifndef USER_LIB_AETHER_H
#define USER_LIB_AETHER_H

#include <stddef.h>
#include <stdint.h>

#include "aether/bootinfo.h"
#include "aether/errors.h"
#include "aether/ipc.h"
#include "aether/objects.h"
#include "aether/rights.h"
#include "aether/syscalls.h"
#include "aether/types.h"

#define AE_PROT_READ 1u
#define AE_PROT_WRITE 2u
#define AE_PROT_EXEC 4u

static inline int64_t ae_sys6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                              uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t rax __asm__("rax") = nr;
    register uint64_t rdi __asm__("rdi") = a0;
    register uint64_t rsi __asm__("rsi") = a1;
    register uint64_t rdx __asm__("rdx") = a2;
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    __asm__ volatile("syscall"
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
                       "+r"(r9)
                     :
                     : "rcx", "r11", "memory");
    return (int64_t)rax;
}

#define ae_sys0(nr) ae_sys6(nr, 0, 0, 0, 0, 0, 0)
#define ae_sys1(nr, a) ae_sys6(nr, a, 0, 0, 0, 0, 0)
#define ae_sys2(nr, a, b) ae_sys6(nr, a, b, 0, 0, 0, 0)
#define ae_sys3(nr, a, b, c) ae_sys6(nr, a, b, c, 0, 0, 0)
#define ae_sys4(nr, a, b, c, d) ae_sys6(nr, a, b, c, d, 0, 0)

/* An IPC message as the registers carry it (include/aether/ipc.h). */
struct ae_msg {
    uint64_t info;              /* AE_MSG_INFO(label, nhandles) [| AE_MSG_SHARE] */
    uint64_t w[AE_MSG_WORDS];
    ae_handle_t h[AE_MSG_HANDLES];
    uint64_t badge;             /* set on receive */
};

static inline int64_t ae_ipc(uint64_t nr, ae_handle_t ep, struct ae_msg *m)
{
    register uint64_t rax __asm__("rax") = nr;
    register uint64_t rdi __asm__("rdi") = ep;
    register uint64_t rsi __asm__("rsi") = m->info;
    register uint64_t rdx __asm__("rdx") = m->w[0];
    register uint64_t r10 __asm__("r10") = m->w[1];
    register uint64_t r8 __asm__("r8") = m->w[2];
    register uint64_t r9 __asm__("r9") = m->w[3];
    register uint64_t r12 __asm__("r12") = m->h[0] | ((uint64_t)m->h[1] << 32);
    register uint64_t r13 __asm__("r13") = m->h[2] | ((uint64_t)m->h[3] << 32);
    __asm__ volatile("syscall"
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
                       "+r"(r9), "+r"(r12), "+r"(r13)
                     :
                     : "rcx", "r11", "memory");
    m->badge = rdi;
    m->info = rsi;
    m->w[0] = rdx;
    m->w[1] = r10;
    m->w[2] = r8;
    m->w[3] = r9;
    m->h[0] = (uint32_t)r12;
    m->h[1] = (uint32_t)(r12 >> 32);
    m->h[2] = (uint32_t)r13;
    m->h[3] = (uint32_t)(r13 >> 32);
    return (int64_t)rax;
}

static inline int64_t ae_log_write(const char *s, size_t n)
{ return ae_sys2(AE_SYS_log_write, (uint64_t)s, n); }
static inline int64_t ae_clock_get(void) { return ae_sys0(AE_SYS_clock_get); }
static inline int64_t ae_sleep_until(uint64_t ns) { return ae_sys1(AE_SYS_sleep_until, ns); }
static inline int64_t ae_yield(void) { return ae_sys0(AE_SYS_yield); }
static inline int64_t ae_handle_close(ae_handle_t h) { return ae_sys1(AE_SYS_handle_close, h); }
static inline int64_t ae_handle_derive(ae_handle_t h, uint32_t rights, uint64_t badge,
                                       uint32_t flags)
{ return ae_sys4(AE_SYS_handle_derive, h, rights, badge, flags); }
static inline int64_t ae_handle_revoke(ae_handle_t h) { return ae_sys1(AE_SYS_handle_revoke, h); }
static inline int64_t ae_handle_info(ae_handle_t h, struct ae_handle_info *out)
{ return ae_sys2(AE_SYS_handle_info, h, (uint64_t)out); }
static inline int64_t ae_process_create(ae_handle_t parent, const char *name,
                                        const struct ae_quota_limits *l)
{ return ae_sys3(AE_SYS_process_create, parent, (uint64_t)name, (uint64_t)l); }
static inline int64_t ae_process_kill(ae_handle_t p, int64_t status)
{ return ae_sys2(AE_SYS_process_kill, p, (uint64_t)status); }
static inline int64_t ae_process_wait(ae_handle_t p, uint64_t timeout_ns)
{ return ae_sys2(AE_SYS_process_wait, p, timeout_ns); }
static inline int64_t ae_process_set_fault(ae_handle_t p, ae_handle_t ep, uint64_t badge)
{ return ae_sys3(AE_SYS_process_set_fault, p, ep, badge); }
static inline int64_t ae_process_info(ae_handle_t p, struct ae_process_info *out)
{ return ae_sys2(AE_SYS_process_info, p, (uint64_t)out); }
static inline __attribute__((noreturn)) void ae_process_exit(int64_t status)
{
    ae_sys1(AE_SYS_process_exit, (uint64_t)status);
    __builtin_unreachable();
}
static inline int64_t ae_thread_create_raw(ae_handle_t p, uint64_t entry, uint64_t stack,
                                           uint64_t arg)
{ return ae_sys4(AE_SYS_thread_create, p, entry, stack, arg); }
static inline int64_t ae_thread_start(ae_handle_t t) { return ae_sys1(AE_SYS_thread_start, t); }
static inline __attribute__((noreturn)) void ae_thread_exit(int64_t code)
{
    ae_sys1(AE_SYS_thread_exit, (uint64_t)code);
    __builtin_unreachable();
}
static inline int64_t ae_thread_wait(ae_handle_t t, uint64_t timeout_ns)
{ return ae_sys2(AE_SYS_thread_wait, t, timeout_ns); }
static inline int64_t ae_thread_set_priority(ae_handle_t t, unsigned prio)
{ return ae_sys2(AE_SYS_thread_set_priority, t, prio); }
static inline int64_t ae_thread_set_affinity(ae_handle_t t, unsigned cpu)
{ return ae_sys2(AE_SYS_thread_set_affinity, t, cpu); }
static inline int64_t ae_endpoint_create(void) { return ae_sys0(AE_SYS_endpoint_create); }
static inline int64_t ae_notify_create(void) { return ae_sys0(AE_SYS_notify_create); }
static inline int64_t ae_notify_signal(ae_handle_t n, uint64_t bits)
{ return ae_sys2(AE_SYS_notify_signal, n, bits); }
static inline int64_t ae_notify_wait(ae_handle_t n, uint64_t timeout_ns)
{ return ae_sys2(AE_SYS_notify_wait, n, timeout_ns); }
static inline int64_t ae_vmo_create(uint64_t size) { return ae_sys2(AE_SYS_vmo_create, size, 0); }
static inline int64_t ae_vmo_create_flags(uint64_t size, uint32_t flags)
{ return ae_sys2(AE_SYS_vmo_create, size, flags); }
static inline int64_t ae_vmo_create_physical(ae_handle_t devmem, uint64_t phys, uint64_t size)
{ return ae_sys3(AE_SYS_vmo_create_physical, devmem, phys, size); }
static inline int64_t ae_vmo_map(ae_handle_t vmo, ae_handle_t proc, uint64_t va,
                                 uint64_t offset, uint64_t len, uint32_t prot)
{ return ae_sys6(AE_SYS_vmo_map, vmo, proc, va, offset, len, prot); }
static inline int64_t ae_vmo_unmap(ae_handle_t proc, uint64_t va, uint64_t len)
{ return ae_sys3(AE_SYS_vmo_unmap, proc, va, len); }
static inline int64_t ae_vmo_info(ae_handle_t vmo, struct ae_vmo_info *out)
{ return ae_sys2(AE_SYS_vmo_info, vmo, (uint64_t)out); }
static inline int64_t ae_handle_grant(ae_handle_t proc, ae_handle_t h)
{ return ae_sys2(AE_SYS_handle_grant, proc, h); }
static inline int64_t ae_irq_bind(ae_handle_t irq, uint32_t line, ae_handle_t notify,
                                  uint64_t bits, uint32_t flags)
{ return ae_sys6(AE_SYS_irq_bind, irq, line, notify, bits, flags, 0); }
static inline int64_t ae_irq_ack(ae_handle_t irq, uint32_t gsi)
{ return ae_sys2(AE_SYS_irq_ack, irq, gsi); }
static inline int64_t ae_ioport_enable(ae_handle_t ports, uint32_t base, uint32_t count)
{ return ae_sys3(AE_SYS_ioport_enable, ports, base, count); }
static inline int64_t ae_hw_subrange(ae_handle_t h, uint32_t base, uint32_t count)
{ return ae_sys3(AE_SYS_hw_subrange, h, base, count); }
static inline int64_t ae_kernel_check(ae_handle_t self)
{ return ae_sys1(AE_SYS_kernel_check, self); }

static inline int64_t ae_send(ae_handle_t ep, struct ae_msg *m) { return ae_ipc(AE_SYS_ipc_send, ep, m); }
static inline int64_t ae_recv(ae_handle_t ep, struct ae_msg *m) { return ae_ipc(AE_SYS_ipc_recv, ep, m); }
static inline int64_t ae_call(ae_handle_t ep, struct ae_msg *m) { return ae_ipc(AE_SYS_ipc_call, ep, m); }
static inline int64_t ae_reply(struct ae_msg *m) { return ae_ipc(AE_SYS_ipc_reply, 0, m); }
static inline int64_t ae_reply_recv(ae_handle_t ep, struct ae_msg *m)
{ return ae_ipc(AE_SYS_ipc_reply_recv, ep, m); }

/* libaether helpers (ulib.c) */
int ae_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A thread of process p running fn(arg) on a fresh stack of stack_size
 * bytes mapped at stack_va in p (the caller's own process: p = self). */
int64_t ae_thread_spawn(ae_handle_t p, void (*fn)(void *), void *arg,
                        uint64_t stack_va, uint64_t stack_size);
extern const struct ae_bootinfo *ae_bootinfo;
int main(const struct ae_bootinfo *bi);

#endif
