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
#include "aether/trace.h"
#include "aether/types.h"

#define AE_PROT_READ 1u
#define AE_PROT_WRITE 2u
#define AE_PROT_EXEC 4u

/* The time-stamp counter (benchmarks: under QEMU -icount, +1 per instruction). */
static inline uint64_t ae_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

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

/*
 * The stubs, one per entry of AE_SYSCALL_LIST (include/aether/syscalls.h):
 * ae_NAME(params). Each argument goes to its register as a uint64_t.
 */
#define AE_STUB_U64(x) ((uint64_t)(x))
#define AE_STUB_MAP0()
#define AE_STUB_MAP1(a) , AE_STUB_U64(a)
#define AE_STUB_MAP2(a, b) AE_STUB_MAP1(a) AE_STUB_MAP1(b)
#define AE_STUB_MAP3(a, b, c) AE_STUB_MAP2(a, b) AE_STUB_MAP1(c)
#define AE_STUB_MAP4(a, b, c, d) AE_STUB_MAP3(a, b, c) AE_STUB_MAP1(d)
#define AE_STUB_MAP5(a, b, c, d, e) AE_STUB_MAP4(a, b, c, d) AE_STUB_MAP1(e)
#define AE_STUB_MAP6(a, b, c, d, e, f) AE_STUB_MAP5(a, b, c, d, e) AE_STUB_MAP1(f)
#define AE_STUB_NARGS(...) AE_STUB_NARGS_(_, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define AE_STUB_NARGS_(_, a, b, c, d, e, f, n, ...) n
#define AE_STUB_CAT(a, b) AE_STUB_CAT_(a, b)
#define AE_STUB_CAT_(a, b) a##b
/* args is a parenthesised list, (a, b) -> a, b, 0, 0, 0, 0 as uint64_t:
 * each MAP emits ", value", and the padding takes the first six. */
#define AE_STUB_REGS(args) AE_STUB_REGS_ args
#define AE_STUB_REGS_(...)                                                   \
    AE_STUB_PAD(_ AE_STUB_CAT(AE_STUB_MAP, AE_STUB_NARGS(__VA_ARGS__))(__VA_ARGS__))
#define AE_STUB_PAD(...) AE_STUB_PAD_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define AE_STUB_PAD_(_, a, b, c, d, e, f, ...) a, b, c, d, e, f
#define AE_STUB_UNPAREN(...) __VA_ARGS__

#define AE_STUB_CALL(name, params, args)                                     \
    static inline int64_t ae_##name params                                   \
    { return ae_sys6(AE_SYS_##name, AE_STUB_REGS(args)); }
#define AE_STUB_EXIT(name, params, args)                                     \
    static inline __attribute__((noreturn)) void ae_##name params            \
    {                                                                        \
        ae_sys6(AE_SYS_##name, AE_STUB_REGS(args));                          \
        __builtin_unreachable();                                             \
    }
#define AE_STUB_IPC(name, params, args)                                      \
    static inline int64_t ae_##name params                                   \
    { return ae_ipc(AE_SYS_##name, AE_STUB_UNPAREN args); }
#define AE_X_STUB(num, name, type, rights, stub, params, args) AE_STUB_##stub(name, params, args)
AE_SYSCALL_LIST(AE_X_STUB)
#undef AE_X_STUB

/* libaether helpers (ulib.c) */
int ae_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A thread of process p running fn(arg) on a fresh stack of stack_size
 * bytes mapped at stack_va in p (the caller's own process: p = self). */
int64_t ae_thread_spawn(ae_handle_t p, void (*fn)(void *), void *arg,
                        uint64_t stack_va, uint64_t stack_size);
extern const struct ae_bootinfo *ae_bootinfo;
int main(const struct ae_bootinfo *bi);

#endif
