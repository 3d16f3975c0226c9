/*
 * COM2 (0x2f8), output only, polled: the stream is one-way and the pump
 * thread has nothing better to do while the transmitter drains. QEMU's
 * UART sends at once when nothing holds it back (a socket's reader can); a
 * real one at 115200 baud takes ~87 us a byte.
 */
#include "scope.h"
#include "common/portio.h"

#include "common/uart16550.h"

#define COM2 UART_COM2

/* A UART answers its scratch register; a missing one reads 0xff. */
bool com2_present(void)
{
    outb(COM2 + UART_SCRATCH, 0x5a);
    if (inb(COM2 + UART_SCRATCH) != 0x5a)
        return false;
    outb(COM2 + UART_SCRATCH, 0xa5);
    return inb(COM2 + UART_SCRATCH) == 0xa5;
}

void com2_init(void)
{
    outb(COM2 + UART_IER, 0);            /* polled: no interrupts */
    outb(COM2 + UART_LCR, UART_LCR_DLAB);
    outb(COM2 + UART_DATA, 1);           /* divisor 1: 115200 baud */
    outb(COM2 + UART_IER, 0);
    outb(COM2 + UART_LCR, UART_LCR_8N1);
    outb(COM2 + UART_FCR, 0x07);         /* FIFOs on and cleared */
    outb(COM2 + UART_MCR, UART_MCR_DTR_RTS);
}

void com2_write(const void *data, size_t n)
{
    const uint8_t *p = data;

    while (n) {
        /* An empty THR with FIFOs on takes a whole FIFO's worth. While the
         * far end is slow, poll a while, then sleep a millisecond: yielding
         * in a loop would itself flood the rings with context switches,
         * which would then need streaming too. */
        for (unsigned spins = 0; !(inb(COM2 + UART_LSR) & UART_LSR_THR_EMPTY); spins++)
            if (spins >= 1024) {
                ae_sleep_until((uint64_t)ae_clock_get() + 1000000);
                spins = 0;
            }
        /* One string instruction for the FIFO's worth: far fewer exits
         * from an emulated CPU than a loop of outb. */
        size_t k = n < UART_FIFO_BYTES ? n : UART_FIFO_BYTES;
        uint16_t port = COM2 + UART_DATA;
        __asm__ volatile("rep outsb" : "+S"(p), "+c"(k) : "d"(port) : "memory");
        n -= n < UART_FIFO_BYTES ? n : UART_FIFO_BYTES;
    }
}
