/*
 * Reading little-endian fields of firmware tables. Tables are byte-packed
 * and firmware puts them at any address (QEMU's SeaBIOS RSDT sits at an odd
 * one), so fields are copied out with memcpy rather than loaded directly,
 * which could be misaligned. x86 and ACPI are both little-endian: the
 * copied integer needs no byte swap.
 */
#ifndef KERNEL_ACPI_ACPI_BYTES_H
#define KERNEL_ACPI_ACPI_BYTES_H

#include <stdint.h>

#include "lib/string.h"

static inline uint16_t rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#endif
