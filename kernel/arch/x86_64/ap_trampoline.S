/*
 * Application processor start-up code. smp.c copies the bytes between
 * ap_trampoline_start and ap_trampoline_end to physical TRAMPOLINE_BASE and
 * fills the parameter block; a STARTUP IPI then starts the AP here in real
 * mode. It climbs to long mode with the trampoline page tables (identity
 * map of the first 2 MiB + the kernel half) and jumps to ap_entry(cpu) in
 * the higher half on its own stack. All addresses are computed relative to
 * the copy, so the code runs only at TRAMPOLINE_BASE.
 */
#define TRAMPOLINE_BASE 0x8000
#define TR(sym) ((sym) - ap_trampoline_start + TRAMPOLINE_BASE)

.section .rodata
.code16
.global ap_trampoline_start
ap_trampoline_start:
    cli
    cld
    xor %ax, %ax
    mov %ax, %ds
    lgdtl TR(tramp_gdtr)
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $TR(tramp32)

.code32
tramp32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7)), %eax       /* PAE, PGE */
    mov %eax, %cr4
    mov TR(tramp_cr3), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx                 /* EFER */
    rdmsr
    or $(1 << 8), %eax                    /* LME */
    or TR(tramp_efer_extra), %eax         /* NXE when supported */
    wrmsr
    mov %cr0, %eax
    or $0x80010000, %eax                  /* PG, WP */
    mov %eax, %cr0
    ljmp $0x18, $TR(tramp64)

.code64
tramp64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov TR(tramp_stack), %rsp
    mov TR(tramp_cpu), %rdi
    mov TR(tramp_entry), %rax
    xor %ebp, %ebp
    pushq $0                              /* fake return address: ends backtraces */
    jmp *%rax

.align 16
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff              /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff              /* 0x10: data */
    .quad 0x00af9a000000ffff              /* 0x18: 64-bit code */
tramp_gdtr:
    .short tramp_gdtr - tramp_gdt - 1
    .long TR(tramp_gdt)

.align 8
.global ap_tramp_params
ap_tramp_params:
tramp_cr3:        .quad 0
tramp_stack:      .quad 0
tramp_entry:      .quad 0
tramp_cpu:        .quad 0
tramp_efer_extra: .quad 0
.global ap_trampoline_end
ap_trampoline_end:
