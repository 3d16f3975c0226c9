/*
 * Test hook: with `debug_exit` on the kernel command line, the kernel ends
 * QEMU through its isa-debug-exit device (port 0xf4) when it is done, so a
 * test harness gets a status instead of a timeout. QEMU exits with
 * (code << 1) | 1. Without the option this does nothing, so real hardware
 * never sees writes to that port.
 */
#ifndef KERNEL_ARCH_X86_64_QEMU_EXIT_H
#define KERNEL_ARCH_X86_64_QEMU_EXIT_H

#include <stdbool.h>

#define QEMU_EXIT_SUCCESS 0x10  /* QEMU status 33 */
#define QEMU_EXIT_FAILURE 0x11  /* QEMU status 35 */
#define QEMU_EXIT_PANIC 0x12    /* QEMU status 37 */

void qemu_exit_enable(bool on);
/* Returns only when disabled (or when QEMU has no such device). */
void qemu_exit(unsigned code);

#endif
