/*
 * The 16550 UART at an I/O port base, driven from user space: the V-Node
 * holds the ports (through its TSS I/O bitmap, no system call per access)
 * and the IRQ line. Receive and transmit are both interrupt-driven.
 */
#ifndef VNODE_CONSOLE_UART_H
#define VNODE_CONSOLE_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_FIFO 16                /* transmit FIFO bytes */

/* Enables the FIFOs and the receive interrupt (the line settings the
 * kernel chose at boot stay). */
void uart_init(uint16_t base);
/* A received byte, or -1 when none is waiting. */
int uart_get(uint16_t base);
/* True when the transmitter can take UART_FIFO more bytes. */
bool uart_tx_empty(uint16_t base);
void uart_put_raw(uint16_t base, uint8_t c);
/* Asks for (or stops) the transmitter-empty interrupt. */
void uart_tx_irq(uint16_t base, bool on);
/* True when the UART has an interrupt condition pending (IIR). */
bool uart_irq_pending(uint16_t base);

#endif
