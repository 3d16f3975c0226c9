/*
 * COM1 at I/O port 0x3f8, 115200 baud 8N1, FIFOs on. Transmit polls the Line
 * Status Register; a bounded spin keeps a missing or wedged UART (real PCs
 * without COM1 read 0xff or 0x00 there) from hanging the kernel.
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_THRE 0x20
#define TX_SPIN_LIMIT 100000

void serial_init(void)
{
    outb(COM1 + REG_IER, 0x00);     /* no interrupts: polled */
    outb(COM1 + REG_LCR, 0x80);     /* DLAB on to set the divisor */
    outb(COM1 + REG_DATA, 0x01);    /* 115200 = 115200 / 1 */
    outb(COM1 + REG_IER, 0x00);
    outb(COM1 + REG_LCR, 0x03);     /* 8 bits, no parity, 1 stop, DLAB off */
    outb(COM1 + REG_FCR, 0xc7);     /* enable + clear FIFOs, 14-byte trigger */
    outb(COM1 + REG_MCR, 0x03);     /* DTR + RTS */
}

void serial_putc(char c)
{
    for (int i = 0; i < TX_SPIN_LIMIT; i++) {
        if (inb(COM1 + REG_LSR) & LSR_THRE)
            break;
        __asm__ volatile("pause");
    }
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}
