/*
 * The `syscall` entry. The CPU saved the user RIP in RCX and RFLAGS in R11,
 * masked RFLAGS (IF, DF, TF, AC off: see syscall_init) and loaded the kernel
 * CS/SS; RSP is still the user's. We switch GS and to the current thread's
 * kernel stack, and build the same struct trap_frame an interrupt from user
 * mode builds (vector 0x100 marks a system call), so every path back to
 * user mode is trap_return's iretq.
 */
#include "arch/x86_64/percpu.h"

#define USER_CS 0x2b                /* GDT_UCODE | 3 */
#define USER_SS 0x23                /* GDT_UDATA | 3 */
#define SYSCALL_VECTOR 0x100

#include "arch/x86_64/trap_frame.inc"

.section .text
.global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CPU_OFF_USER_RSP
    movq %gs:CPU_OFF_KSTACK, %rsp
    pushq $USER_SS
    pushq %gs:CPU_OFF_USER_RSP
    pushq %r11
    pushq $USER_CS
    pushq %rcx
    pushq $0                        /* error code */
    pushq $SYSCALL_VECTOR
    PUSH_GPRS
    xorl %ebp, %ebp                 /* the user's RBP is no kernel frame */
    movq %rsp, %rdi
    call syscall_dispatch
    jmp trap_return
