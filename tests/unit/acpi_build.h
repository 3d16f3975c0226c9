/* Building ACPI test tables byte by byte: little-endian fields and
 * checksums. */
#ifndef TESTS_UNIT_ACPI_BUILD_H
#define TESTS_UNIT_ACPI_BUILD_H

#include <stddef.h>
#include <stdint.h>

static inline void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Sets p[sum_at] so that len bytes from p sum to 0 mod 256. */
static inline void fix_checksum(uint8_t *p, size_t len, size_t sum_at)
{
    uint8_t sum = 0;

    p[sum_at] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[sum_at] = (uint8_t)-sum;
}

#endif
