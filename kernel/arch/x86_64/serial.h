/*
 * COM1 16550 UART, polled transmit. The kernel's console until a user-space
 * console driver takes the port over. Callers serialise (log.c's lock).
 */
#ifndef KERNEL_ARCH_X86_64_SERIAL_H
#define KERNEL_ARCH_X86_64_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);

#endif
