/*
 * The 16550 UART's registers (offsets from its I/O base) and the bits
 * AetherOS uses: one list for the kernel's COM1 log (kernel/arch/x86_64/
 * serial.c), the console V-Node's driver and the scope V-Node's COM2.
 */
#ifndef COMMON_UART16550_H
#define COMMON_UART16550_H

#define UART_COM1 0x3f8
#define UART_COM2 0x2f8
#define UART_PORTS 8

#define UART_DATA 0                 /* with LCR_DLAB: divisor low byte */
#define UART_IER 1                  /* with LCR_DLAB: divisor high byte */
#define UART_IIR 2                  /* read */
#define UART_FCR 2                  /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCRATCH 7

#define UART_IER_RX 0x01
#define UART_IER_TX 0x02
#define UART_IIR_NONE 0x01          /* no interrupt pending */
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_MCR_DTR_RTS 0x03
#define UART_MCR_OUT2 0x08          /* gates the IRQ to the PIC/IOAPIC */
#define UART_LSR_DATA 0x01
#define UART_LSR_THR_EMPTY 0x20
#define UART_FIFO_BYTES 16

#endif
