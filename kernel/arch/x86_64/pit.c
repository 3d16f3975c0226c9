/*
 * Channel 2's gate and output are wired to port 0x61 (bits 0 and 5), so a
 * one-shot can be started and polled without interrupts. The speaker
 * (bit 1) stays off.
 */
#include "arch/x86_64/pit.h"
#include "arch/x86_64/cpu.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61

void pit_oneshot_start(uint16_t ticks)
{
    uint8_t b = inb(PORT_B);

    outb(PORT_B, (uint8_t)((b & ~0x03) | 0x00));   /* gate low, speaker off */
    outb(PIT_CMD, 0xb0);        /* channel 2, lo/hi byte, mode 0, binary */
    outb(PIT_CH2, ticks & 0xff);
    outb(PIT_CH2, ticks >> 8);
    b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01));    /* gate high: count */
}

bool pit_oneshot_done(void)
{
    return inb(PORT_B) & 0x20;
}
