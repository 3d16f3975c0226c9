/* The elfhello program's ELF file (user/elfhello), embedded for the ELF
 * loader tests (t_elfload.c). KTEST_ELFHELLO is its path in the build tree,
 * given by the Makefile, which builds elfhello first. */
    .section .rodata
    .balign 16
    .global ktest_elfhello, ktest_elfhello_end
ktest_elfhello:
    .incbin KTEST_ELFHELLO
ktest_elfhello_end:
    .section .note.GNU-stack, "", @progbits
