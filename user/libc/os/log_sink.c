/*
 * The default sink of stdout and stderr: the kernel log. The kernel makes
 * each log_write one log line (prefixed with the process, trailing newline
 * dropped, other control bytes shown as '?'), so text is cut at newlines,
 * and a line longer than log_write's 512-byte limit goes in pieces.
 */
#include <aelibc.h>
#include <string.h>

#include "aether.h"

#define LOG_WRITE_MAX 512

ssize_t libc_log_write(const void *buf, size_t len)
{
    const char *p = buf, *end = p + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl + 1 : end) - p);
        if (n > LOG_WRITE_MAX)
            n = LOG_WRITE_MAX;
        if (ae_log_write(p, n) < 0)
            return p == buf ? -1 : p - (const char *)buf;
        p += n;
    }
    return (ssize_t)len;
}
