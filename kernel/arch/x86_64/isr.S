/*
 * Interrupt and exception entry stubs, one per vector. Each pushes a dummy
 * error code where the CPU pushes none, then the vector number, so every
 * frame has the layout of struct trap_frame (trap.h). Entries from ring 3
 * switch GS with swapgs so the kernel always finds its per-CPU data.
 */
#include "arch/x86_64/trap_frame.inc"

.section .text

.macro STUB vec
    .align 16
isr_stub_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp isr_common
.endm

.altmacro
.macro STUB_N n
    STUB \n
.endm
.set i, 0
.rept 256
    STUB_N %i
    .set i, i + 1
.endr
.noaltmacro

isr_common:
    testb $3, 24(%rsp)          /* CS of the interrupted context */
    jz 1f
    swapgs
1:  PUSH_GPRS
    cld
    movq %rsp, %rdi
    call trap_dispatch
.global trap_return
trap_return:
    POP_GPRS
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp              /* vector, error code */
    iretq

.macro ENTRY_N n
    .quad isr_stub_\n
.endm
.section .rodata
.align 8
.global isr_stub_table
isr_stub_table:
.altmacro
.set i, 0
.rept 256
    ENTRY_N %i
    .set i, i + 1
.endr
.noaltmacro
