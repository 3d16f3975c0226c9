/*
 * Freestanding formatted output (the kernel's printf family). Pure: no
 * locks, no I/O, so the same file is unit-tested on the host against glibc.
 *
 * Supported conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-' '0'
 * '+' ' ' '#', a field width and precision (decimal or '*'), and length
 * modifiers hh h l ll z t j. Floating point is not supported (the kernel
 * has no FPU state); an unknown conversion is copied to the output as-is.
 * %p prints 0x followed by 16 lowercase hex digits (NULL included; only the
 * width and '-' apply). A NULL %s prints "(null)", or nothing when the
 * precision is below 6, as glibc does. An unknown or unterminated directive
 * is copied from its '%' as written.
 */
#ifndef COMMON_FMT_H
#define COMMON_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like C99 vsnprintf: writes at most size-1 chars plus a NUL (if size > 0)
 * and returns the length the full output would have had. */
int ae_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int ae_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Streaming form: every produced character goes to emit(ch, ctx); returns
 * the number of characters produced. Used by the console without a buffer. */
typedef void (*ae_emit_fn)(char ch, void *ctx);
int ae_vformat(ae_emit_fn emit, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Hex dump helper: "OFFSET: xx xx ... |ascii|" lines of 16 bytes, each
 * ending in '\n'. OFFSET counts from data (8 hex digits, more past 4 GiB);
 * a short last line is padded so its ascii column lines up. */
void ae_hexdump(ae_emit_fn emit, void *ctx, const void *data, size_t len);

#endif
