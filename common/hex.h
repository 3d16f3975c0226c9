/*
 * Hexadecimal digits, both ways: one definition for the manifest parser,
 * the shell, the host tools and the tests. Header-only and freestanding.
 */
#ifndef COMMON_HEX_H
#define COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The value of a hex digit (either case), or -1. */
static inline int ae_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Lower-case hex of p[0, n) into out: 2n digits and a NUL. */
static inline void ae_hex_encode(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = 0;
}

/* Exactly 2n hex digits of s into out[0, n): 0, or -1 on anything else. */
static inline int ae_hex_decode(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = ae_hex_digit(s[2 * i]), lo = hi < 0 ? -1 : ae_hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return s[2 * n] ? -1 : 0;
}

#endif
