/*
 * Multiboot2 entry. GRUB leaves us in 32-bit protected mode, paging off, with
 * eax = multiboot2 magic and ebx = physical address of the boot information.
 * This code runs at its physical address: it checks for long mode, builds
 * the early page tables (0-4 GiB identity, the same 4 GiB at the direct-map
 * base, the kernel image at -2 GiB), enters long mode and jumps to the
 * higher-half C entry kmain(magic, mbi_phys, entry_tsc). paging.c replaces
 * these tables as soon as the frame allocator is up.
 */
#include "mm/layout.h"

#define MB2_MAGIC     0xe85250d6
#define MB2_ARCH_I386 0

#define PTE_P   0x1
#define PTE_W   0x2
#define PTE_PS  0x80

#define CR0_PG  (1 << 31)
#define CR0_WP  (1 << 16)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

.section .multiboot2, "a"
.align 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* end tag */
    .align 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

.section .boot.text, "ax"
.code32
.global _start32
_start32:
    cli
    cld
    /* Entry TSC first, so the boot benchmark covers the whole kernel. */
    mov %eax, %edi
    rdtsc
    mov %eax, entry_tsc
    mov %edx, entry_tsc + 4
    mov %edi, %eax
    mov %eax, mb_magic
    mov %ebx, mb_info
    mov $boot32_stack_top, %esp

    /* Long mode present? (CPUID 0x80000001 EDX bit 29) */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode
    /* Remember NX support (EDX bit 20) for EFER below. */
    xor %esi, %esi
    test $(1 << 20), %edx
    jz 1f
    mov $EFER_NXE, %esi
1:
    /* PD entries: 2048 x 2 MiB pages = 0-4 GiB. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $(PTE_P | PTE_W | PTE_PS), %eax
    mov %eax, (%edi, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax               /* high dword = (i << 21) >> 32 */
    mov %eax, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 2b

    /* PDPT low: four PDs. */
    mov $boot_pdpt_low, %edi
    mov $boot_pd, %eax
    or $(PTE_P | PTE_W), %eax
    xor %ecx, %ecx
3:  mov %eax, (%edi, %ecx, 8)
    add $4096, %eax
    inc %ecx
    cmp $4, %ecx
    jne 3b

    /* PDPT high: entry 510 (-2 GiB) -> first PD (phys 0-1 GiB). */
    mov $boot_pd, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, boot_pdpt_high + 510 * 8

    /* PML4: 0 (identity) and 256 (direct map) -> low PDPT; 511 -> high. */
    mov $boot_pdpt_low, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, boot_pml4
    mov %eax, boot_pml4 + 256 * 8
    mov $boot_pdpt_high, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, boot_pml4 + 511 * 8

    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    or %esi, %eax
    wrmsr
    mov %cr0, %eax
    or $(CR0_PG | CR0_WP), %eax
    mov %eax, %cr0

    lgdt boot_gdtr
    ljmp $0x08, $start64

no_long_mode:
    mov $no_lm_msg, %esi
4:  lodsb
    test %al, %al
    jz 6f
    mov %al, %bl
    mov $0x3fd, %dx             /* wait for the UART transmitter */
5:  in %dx, %al
    test $0x20, %al
    jz 5b
    mov $0x3f8, %dx
    mov %bl, %al
    out %al, %dx
    jmp 4b
6:  hlt
    jmp 6b

.code64
start64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp              /* ends the backtrace */
    mov mb_magic, %edi
    mov mb_info, %esi
    mov entry_tsc, %rdx
    movabs $kmain, %rax
    call *%rax
7:  cli
    hlt
    jmp 7b

.section .boot.data, "aw"
.align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
boot_gdtr:
    .short boot_gdtr - boot_gdt - 1
    .long boot_gdt
.align 8
entry_tsc:  .quad 0
mb_magic:   .long 0
mb_info:    .long 0
no_lm_msg:  .asciz "AetherOS: this CPU has no 64-bit long mode; cannot boot.\r\n"

.section .boot.bss, "aw"
.align 4096
boot_pml4:      .fill 512, 8, 0
boot_pdpt_low:  .fill 512, 8, 0
boot_pdpt_high: .fill 512, 8, 0
boot_pd:        .fill 2048, 8, 0
boot32_stack:   .fill 256, 1, 0
boot32_stack_top:

/* The BSP's first stack, in .bss (higher half). kmain moves to a guarded
 * stack as soon as paging is set up. */
.section .bss
.align 16
.global boot_stack_bottom
boot_stack_bottom:
    .skip 16384
boot_stack_top:
