/*
 * COM2 (0x2f8), output only, polled: the stream is one-way and the pump
 * thread has nothing better to do while the transmitter drains. QEMU's
 * UART sends at once; a real one at 115200 baud takes ~87 us a byte, which
 * is why the pump batches and never holds anything but its own thread.
 */
#include "scope.h"
#include "common/portio.h"

#define COM2 0x2f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_SCRATCH 7
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_THR_EMPTY 0x20
#define FIFO_BYTES 16

/* A UART answers its scratch register; a missing one reads 0xff. */
bool com2_present(void)
{
    outb(COM2 + REG_SCRATCH, 0x5a);
    if (inb(COM2 + REG_SCRATCH) != 0x5a)
        return false;
    outb(COM2 + REG_SCRATCH, 0xa5);
    return inb(COM2 + REG_SCRATCH) == 0xa5;
}

void com2_init(void)
{
    outb(COM2 + REG_IER, 0);            /* polled: no interrupts */
    outb(COM2 + REG_LCR, LCR_DLAB);
    outb(COM2 + REG_DATA, 1);           /* divisor 1: 115200 baud */
    outb(COM2 + REG_IER, 0);
    outb(COM2 + REG_LCR, LCR_8N1);
    outb(COM2 + REG_FCR, 0x07);         /* FIFOs on and cleared */
    outb(COM2 + REG_MCR, 0x03);         /* DTR, RTS */
}

void com2_write(const void *data, size_t n)
{
    const uint8_t *p = data;

    while (n) {
        /* An empty THR with FIFOs on takes a whole FIFO's worth. */
        while (!(inb(COM2 + REG_LSR) & LSR_THR_EMPTY))
            ae_yield();
        for (unsigned k = 0; k < FIFO_BYTES && n; k++, n--)
            outb(COM2 + REG_DATA, *p++);
    }
}
