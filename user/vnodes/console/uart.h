/*
 * The 16550 UART at an I/O port base, driven from user space: the V-Node
 * holds the ports (through its TSS I/O bitmap, no system call per access)
 * and the IRQ line.
 */
#ifndef VNODE_CONSOLE_UART_H
#define VNODE_CONSOLE_UART_H

#include <stdint.h>

/* Enables the FIFOs and the receive interrupt (the line settings the
 * kernel chose at boot stay). */
void uart_init(uint16_t base);
/* Waits for room in the transmitter, then sends one byte. */
void uart_put(uint16_t base, uint8_t c);
/* A received byte, or -1 when none is waiting. */
int uart_get(uint16_t base);

#endif
