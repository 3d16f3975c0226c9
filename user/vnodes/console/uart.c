#include "uart.h"
#include "common/portio.h"
#include "common/uart16550.h"

/* FIFOs on, receive trigger at 1 byte, nothing cleared: what was typed
 * while no console ran (a restart) is still there to read. */
#define FCR_ENABLE 0x01

void uart_init(uint16_t base)
{
    outb(base + UART_FCR, FCR_ENABLE);
    outb(base + UART_MCR, UART_MCR_DTR_RTS | UART_MCR_OUT2);
    outb(base + UART_IER, UART_IER_RX);
}

int uart_get(uint16_t base)
{
    return inb(base + UART_LSR) & UART_LSR_DATA ? inb(base + UART_DATA) : -1;
}

bool uart_tx_empty(uint16_t base)
{
    return inb(base + UART_LSR) & UART_LSR_THR_EMPTY;
}

void uart_put_raw(uint16_t base, uint8_t c)
{
    outb(base + UART_DATA, c);
}

void uart_tx_irq(uint16_t base, bool on)
{
    outb(base + UART_IER, UART_IER_RX | (on ? UART_IER_TX : 0));
}

bool uart_irq_pending(uint16_t base)
{
    return !(inb(base + UART_IIR) & UART_IIR_NONE);
}
