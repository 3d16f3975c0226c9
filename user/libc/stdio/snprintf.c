/* Formatting into a caller's buffer. */
#include <stdint.h>
#include <stdio.h>

#include "../internal.h"

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    return ae_vsnprintf_opts(&libc_fmt_opts, buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* The caller promises the buffer is large enough. */
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return n;
}
