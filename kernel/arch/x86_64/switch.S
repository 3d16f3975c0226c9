/*
 * context_switch(uint64_t *save_ksp, uint64_t load_ksp): saves the callee-
 * saved registers on the current kernel stack, stores RSP in *save_ksp,
 * switches to load_ksp and pops the next thread's registers. A new thread's
 * stack is prepared (thread.c) so that this "returns" into thread_first_run,
 * which finishes the switch and leaves for user mode through trap_return.
 */
.section .text
.global context_switch
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

.global thread_first_run
thread_first_run:
    /* RSP points at the new thread's user trap frame. */
    call sched_first_run
    call bkl_unlock             /* leaving the kernel for user mode */
    jmp trap_return
