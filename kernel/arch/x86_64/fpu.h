/*
 * User x87/SSE state. The kernel itself never touches it (it is built with
 * -mgeneral-regs-only), so a thread's state only needs saving when another
 * user thread is switched in: eager FXSAVE/FXRSTOR on every switch between
 * user threads. AVX is not enabled (XCR0), so FXSAVE covers all user state.
 */
#ifndef KERNEL_ARCH_X86_64_FPU_H
#define KERNEL_ARCH_X86_64_FPU_H

#include <stdint.h>

/* CR0/CR4 bits for FXSAVE and SSE; every CPU. */
void fpu_init_cpu(void);
/* The clean state every new thread starts with. */
void fpu_init_state(uint8_t buf[512]);
static inline void fpu_save(uint8_t *buf)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(buf) : "memory");
}
static inline void fpu_restore(const uint8_t *buf)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
}

#endif
