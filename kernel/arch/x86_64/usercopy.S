/*
 * user_copy(dst, src, n): the only code that touches user memory. The
 * caller has checked that the user side lies below USER_TOP; a page fault
 * at user_copy_insn (unmapped or read-only user page) resumes at
 * user_copy_fault (trap.c), so the call returns AE_ERR_FAULT instead of
 * panicking. SMAP is lifted (stac) only around the copy.
 */
.section .text
.global user_copy
.global user_copy_insn
.global user_copy_fault
user_copy:
    testb $1, uaccess_smap(%rip)
    jz 1f
    stac
1:  movq %rdx, %rcx
user_copy_insn:
    rep movsb
    testb $1, uaccess_smap(%rip)
    jz 2f
    clac
2:  xorl %eax, %eax
    ret
user_copy_fault:
    testb $1, uaccess_smap(%rip)
    jz 3f
    clac
3:  movq $-15, %rax             /* AE_ERR_FAULT */
    ret
