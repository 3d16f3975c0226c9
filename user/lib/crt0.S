/* Process entry: the kernel starts init (and a parent starts its children)
 * here with RDI = the boot-info page and a 16-byte aligned stack. */
.section .text.entry, "ax"
.global _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call ae_start
    ud2

/* New threads start here: RDI points at {fn, arg} on their stack. */
.global ae_thread_trampoline
ae_thread_trampoline:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call ae_thread_entry
    ud2
