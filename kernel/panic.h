/*
 * Fatal kernel errors. panic() is for boot-time impossibilities and broken
 * internal invariants only; anything user space can trigger returns an
 * error instead. A panic stops every CPU (NMI to the others), prints a
 * report with a symbolized backtrace and halts; with `debug_exit` on the
 * command line it then ends QEMU with exit status 37.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>
#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* The pieces panic() is built from, for the exception report (trap.c).
 * panic_begin: claims the panic for this CPU and stops the others; returns
 * only on the first CPU to panic (others halt inside it). */
void panic_begin(void);
bool panic_in_progress(void);
/* NMI handler on a CPU that is not panicking: acknowledge, halt. */
__attribute__((noreturn)) void panic_stop_this_cpu(void);
bool panic_on_this_cpu(void);
/* "0xffffffff80101234 <kmain+0x34>" into the report. */
void panic_print_symbol(uint64_t addr);
void panic_backtrace(uint64_t rbp);
/* For an exception frame: also shows a frameless leaf's caller. */
void panic_backtrace_trap(uint64_t rsp, uint64_t rbp);
__attribute__((noreturn)) void panic_end(void);

#define KASSERT(cond)                                                   \
    do {                                                                \
        if (__builtin_expect(!(cond), 0))                               \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__,     \
                  __LINE__);                                            \
    } while (0)

#endif
