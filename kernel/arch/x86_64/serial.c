/*
 * COM1 at I/O port 0x3f8, 115200 baud 8N1, FIFOs on. Transmit polls the Line
 * Status Register; a bounded spin keeps a missing or wedged UART (real PCs
 * without COM1 read 0xff or 0x00 there) from hanging the kernel.
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"
#include "common/uart16550.h"

#define COM1 UART_COM1
#define TX_SPIN_LIMIT 100000

void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);    /* no interrupts: polled */
    outb(COM1 + UART_LCR, UART_LCR_DLAB);   /* to set the divisor */
    outb(COM1 + UART_DATA, 0x01);   /* 115200 = 115200 / 1 */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, UART_LCR_8N1);    /* DLAB off */
    outb(COM1 + UART_FCR, 0xc7);    /* enable + clear FIFOs, 14-byte trigger */
    outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
}

void serial_putc(char c)
{
    for (int i = 0; i < TX_SPIN_LIMIT; i++) {
        if (inb(COM1 + UART_LSR) & UART_LSR_THR_EMPTY)
            break;
        __asm__ volatile("pause");
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}
