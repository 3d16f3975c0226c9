#include "uart.h"
#include "common/portio.h"

#define REG_DATA 0
#define REG_IER 1
#define REG_IIR 2                   /* read */
#define REG_FCR 2                   /* write */
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01
#define IER_TX 0x02
#define IIR_NONE 0x01               /* no interrupt pending */
/* FIFOs on, receive trigger at 1 byte, nothing cleared: what was typed
 * while no console ran (a restart) is still there to read. */
#define FCR_ENABLE 0x01
#define MCR_DTR_RTS_OUT2 0x0b       /* OUT2 gates the IRQ to the PIC/IOAPIC */
#define LSR_DATA 0x01
#define LSR_THR_EMPTY 0x20

void uart_init(uint16_t base)
{
    outb(base + REG_FCR, FCR_ENABLE);
    outb(base + REG_MCR, MCR_DTR_RTS_OUT2);
    outb(base + REG_IER, IER_RX);
}

int uart_get(uint16_t base)
{
    return inb(base + REG_LSR) & LSR_DATA ? inb(base + REG_DATA) : -1;
}

bool uart_tx_empty(uint16_t base)
{
    return inb(base + REG_LSR) & LSR_THR_EMPTY;
}

void uart_put_raw(uint16_t base, uint8_t c)
{
    outb(base + REG_DATA, c);
}

void uart_tx_irq(uint16_t base, bool on)
{
    outb(base + REG_IER, IER_RX | (on ? IER_TX : 0));
}

bool uart_irq_pending(uint16_t base)
{
    return !(inb(base + REG_IIR) & IIR_NONE);
}
