/* The spawnee program's ELF file (user/spawnee), embedded for the
 * elf_spawn measurements. IPCBENCH_SPAWNEE is its path in the build tree,
 * given by the Makefile, which builds spawnee first. */
    .section .rodata
    .balign 16
    .global ib_spawnee, ib_spawnee_end
ib_spawnee:
    .incbin IPCBENCH_SPAWNEE
ib_spawnee_end:
    .section .note.GNU-stack, "", @progbits
