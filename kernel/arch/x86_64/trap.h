/*
 * Interrupts and exceptions: the IDT, the frame every entry stub builds, and
 * handler registration for interrupt vectors (32-255).
 */
#ifndef KERNEL_ARCH_X86_64_TRAP_H
#define KERNEL_ARCH_X86_64_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

typedef void (*trap_handler_t)(struct trap_frame *f);

/* Builds the IDT once (boot CPU). */
void idt_init(void);
/* Loads it on the calling CPU. */
void idt_load(void);
/* Installs a handler for an interrupt vector >= 32; AE_OK, AE_ERR_INVAL,
 * AE_ERR_BUSY when taken. */
int trap_register(uint8_t vector, trap_handler_t h);
const char *trap_exception_name(uint64_t vector);

void trap_dispatch(struct trap_frame *f);

#endif
