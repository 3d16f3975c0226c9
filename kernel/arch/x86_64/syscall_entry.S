/*
 * The `syscall` entry and its exit. The CPU saved the user RIP in RCX and
 * RFLAGS in R11, masked RFLAGS (IF, DF, TF, AC, NT off: see syscall_init_cpu)
 * and loaded the kernel CS/SS; RSP is still the user's. We switch GS and to
 * the current thread's kernel stack, and build the same struct trap_frame
 * an interrupt from user mode builds (vector 0x100 marks a system call), so
 * the kernel sees one frame layout whatever the way in.
 *
 * The way out is sysretq when it restores exactly what iretq would (see
 * syscall_return), else trap_return's iretq; a non-canonical return RIP
 * takes neither (trap_syscall_bad_return). syscall_dispatch has done all
 * the exit work by then (pending kill, reschedule, kernel lock released);
 * FPU state, CR3, the TSS stack and I/O bitmap were loaded by the switch to
 * this thread. A thread that blocked or was switched away inside a call
 * comes back here on its own stack, to its own frame; threads that first
 * run or were interrupted leave through trap_return.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"

#define RFLAGS_FIXED 0x2            /* bit 1 always reads 1 */
#define RFLAGS_TF 0x100
#define RFLAGS_IF 0x200
/* What sysretq takes from R11 (Intel SDM; it also sets bit 1). RF, VM and
 * the reserved bits 3, 5, 15, 22-63 are cleared instead. */
#define SYSRET_RFLAGS_KEPT 0x3c7fd7
/* Bits checked before sysretq: those it would not restore must be clear
 * (then it restores RFLAGS exactly as iretq would), TF must be clear (when
 * they set TF, iretq traps after the first user instruction, sysretq before
 * it), IF and bit 1 must be set (a frame without IF is left to iretq). */
#define SYSRET_RFLAGS_CHECK ~(SYSRET_RFLAGS_KEPT & ~(RFLAGS_TF | RFLAGS_IF | RFLAGS_FIXED))
#define SYSRET_RFLAGS_WANT (RFLAGS_IF | RFLAGS_FIXED)

#include "arch/x86_64/trap_frame.inc"

.section .text
.global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CPU_OFF_USER_RSP
    movq %gs:CPU_OFF_KSTACK, %rsp
    pushq $GDT_USER_SS
    pushq %gs:CPU_OFF_USER_RSP
    pushq %r11
    pushq $GDT_USER_CS
    pushq %rcx
    pushq $0                        /* error code */
    pushq $TRAP_VECTOR_SYSCALL
    PUSH_GPRS
    xorl %ebp, %ebp                 /* the user's RBP is no kernel frame */
    movq %rsp, %rdi
    call syscall_dispatch

/*
 * RSP points at this thread's frame. Every register but RSP is scratch
 * until POP_GPRS. Interrupts are off (the kernel always runs with IF clear)
 * and stay off until sysretq loads the user's RFLAGS, so no interrupt can
 * arrive once the user's RSP and GS are loaded (NMI and #MC have IST
 * stacks). sysretq takes RIP and RFLAGS from RCX and R11, which the ABI
 * clobbers: they get the frame's rip and rflags, as iretq would use.
 *
 * The frame must still be a system call's, bound for ring 3 with the
 * selectors sysretq loads (gdt.h); anything else leaves by iretq. On AMD,
 * sysretq leaves SS's hidden attributes as they were in the kernel; only
 * 32-bit user code would notice, and there is none.
 */
syscall_return:
    cmpq $TRAP_VECTOR_SYSCALL, TF_VECTOR(%rsp)
    jne trap_return
    /* RIP must lie in the user half: on Intel, sysretq to a non-canonical
     * RCX raises #GP in ring 0 with the user's RSP and GS already loaded;
     * iretq faults in ring 0 too. Only a syscall in the last two bytes
     * below USER_TOP returns there: that process is killed instead. */
    cmpl $0x7fff, TF_RIP + 4(%rsp)          /* rip < 2^47: its top dword */
    ja 1f
    cmpq $GDT_USER_CS, TF_CS(%rsp)
    jne trap_return
    cmpq $GDT_USER_SS, TF_SS(%rsp)
    jne trap_return
    movq TF_RFLAGS(%rsp), %rax
    andq $SYSRET_RFLAGS_CHECK, %rax
    cmpq $SYSRET_RFLAGS_WANT, %rax
    jne trap_return
    POP_GPRS                        /* RSP now at the vector slot */
    movq TF_RIP - TF_VECTOR(%rsp), %rcx
    movq TF_RFLAGS - TF_VECTOR(%rsp), %r11
    movq TF_RSP - TF_VECTOR(%rsp), %rsp     /* the kernel stack's last use */
    swapgs
    sysretq

1:  movq %rsp, %rdi
    call trap_syscall_bad_return    /* does not return */
    ud2
