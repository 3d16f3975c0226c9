/*
 * I/O APICs from the MADT: mapped and every input masked at boot. Issue 3
 * routes device interrupts (GSIs) to vectors through ioapic_route.
 */
#ifndef KERNEL_ARCH_X86_64_IOAPIC_H
#define KERNEL_ARCH_X86_64_IOAPIC_H

#include <stdint.h>

struct madt_info;

int ioapic_init(const struct madt_info *m);
/* Routes gsi to vector on the CPU with dest_apic_id, polarity/trigger from
 * MPS INTI flags (as in a MADT override), masked when masked != 0. */
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest_apic_id,
                 uint16_t inti_flags, int masked);
unsigned ioapic_count(void);
uint32_t ioapic_gsi_count(void);

#endif
