#include "uart.h"

#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01
#define FCR_ENABLE_CLEAR 0x07           /* FIFOs on, both cleared */
#define MCR_DTR_RTS_OUT2 0x0b           /* OUT2 gates the IRQ to the PIC/IOAPIC */
#define LSR_DATA 0x01
#define LSR_THR_EMPTY 0x20

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void uart_init(uint16_t base)
{
    outb(base + REG_FCR, FCR_ENABLE_CLEAR);
    outb(base + REG_MCR, MCR_DTR_RTS_OUT2);
    outb(base + REG_IER, IER_RX);
    while (inb(base + REG_LSR) & LSR_DATA)     /* stale input from before us */
        (void)inb(base + REG_DATA);
}

void uart_put(uint16_t base, uint8_t c)
{
    while (!(inb(base + REG_LSR) & LSR_THR_EMPTY))
        __builtin_ia32_pause();
    outb(base + REG_DATA, c);
}

int uart_get(uint16_t base)
{
    return inb(base + REG_LSR) & LSR_DATA ? inb(base + REG_DATA) : -1;
}
