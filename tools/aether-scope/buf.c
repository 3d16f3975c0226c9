/*
 * Growable buffer and JSON text helpers (buf.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void sb_free(struct sb *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void sb_reset(struct sb *b)
{
    b->len = 0;
    b->failed = 0;
}

/* Makes room for n more bytes plus a NUL; 0 if that is not possible. */
static int reserve(struct sb *b, size_t n)
{
    size_t limit = b->limit ? b->limit : SB_DEFAULT_LIMIT, want, cap;
    char *p;

    if (b->failed)
        return 0;
    if (n >= limit || b->len >= limit - n) {
        b->failed = 1;
        return 0;
    }
    want = b->len + n + 1;
    if (want <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void sb_put(struct sb *b, const void *data, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sb_puts(struct sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

void sb_printf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void jw_escape(struct sb *b, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            char e[2] = {'\\', (char)*c};
            sb_put(b, e, 2);
        } else if (*c < 0x20 || *c >= 0x7f) {
            sb_printf(b, "\\u%04x", *c);
        } else {
            sb_put(b, c, 1);
        }
    }
}

void jw_str(struct sb *b, const char *s)
{
    sb_put(b, "\"", 1);
    jw_escape(b, s);
    sb_put(b, "\"", 1);
}

void jw_key(struct sb *b, const char *key)
{
    jw_str(b, key);
    sb_put(b, ":", 1);
}

void jw_u64(struct sb *b, uint64_t v)
{
    sb_printf(b, "%llu", (unsigned long long)v);
}

void jw_double(struct sb *b, double v, int decimals)
{
    if (!isfinite(v))
        v = 0;
    sb_printf(b, "%.*f", decimals, v);
}
