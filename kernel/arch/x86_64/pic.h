#ifndef KERNEL_ARCH_X86_64_PIC_H
#define KERNEL_ARCH_X86_64_PIC_H
/* Remaps the legacy 8259 PICs off the exception vectors and masks them:
 * the I/O APIC delivers every device interrupt instead. */
void pic_disable(void);
#endif
