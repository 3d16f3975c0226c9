/* printf and friends on the standard streams. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

void perror(const char *s)
{
    const char *text = strerror(errno);

    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, text);
    else
        fprintf(stderr, "%s\n", text);
}
