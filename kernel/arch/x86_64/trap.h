/*
 * Interrupts and exceptions: the IDT, the frame every entry stub builds, and
 * handler registration for interrupt vectors (32-255).
 */
#ifndef KERNEL_ARCH_X86_64_TRAP_H
#define KERNEL_ARCH_X86_64_TRAP_H

/* Offsets into struct trap_frame for the assembly exit paths (checked
 * below), and the vector that marks a system call's frame. */
#define TF_VECTOR 120
#define TF_RIP 136
#define TF_CS 144
#define TF_RFLAGS 152
#define TF_RSP 160
#define TF_SS 168
#define TF_SIZE 176
#define TRAP_VECTOR_SYSCALL 0x100

#ifndef __ASSEMBLY__
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == TF_VECTOR, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == TF_RIP, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == TF_CS, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, rflags) == TF_RFLAGS, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, rsp) == TF_RSP, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, ss) == TF_SS, "asm offset");

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
/* The syscall exit found a return address outside the user half: kills
 * the process with a #GP report instead of returning. Never returns. */
__attribute__((noreturn)) void trap_syscall_bad_return(struct trap_frame *f);

#endif /* __ASSEMBLY__ */
#endif
