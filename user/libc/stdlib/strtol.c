/*
 * String to integer, byte for byte glibc's rules: leading white space, an
 * optional sign, "0x"/"0X" with base 0 or 16 only when a hex digit follows
 * (else "0" is the number and *end points at the 'x'), base 0 picks 8 for
 * a leading 0; no digits: 0 and *end = s; overflow: the limit and ERANGE,
 * with *end past every digit; an invalid base: 0 and EINVAL, *end left
 * alone. errno is untouched on success.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

_Static_assert(sizeof(long) == sizeof(long long), "strtol is strtoll");
_Static_assert(sizeof(intmax_t) == sizeof(long long), "strtoimax is strtoll");

static unsigned digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 36;
}

/* The magnitude of the number at s, ULLONG_MAX and *over when it does not
 * fit; *neg for a '-' sign. Returns false (nothing converted) for an
 * invalid base. */
static bool scan(const char *s, char **end, int base, unsigned long long *out,
                 bool *neg, bool *over)
{
    const char *p = s, *digits;
    unsigned long long v = 0;
    unsigned d;

    *out = 0;
    *neg = *over = false;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return false;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || *p == '+')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (digits = p; (d = digit_value((unsigned char)*p)) < (unsigned)base; p++) {
        if (v > (ULLONG_MAX - d) / (unsigned)base)
            *over = true;
        else
            v = v * (unsigned)base + d;
    }
    if (end)
        *end = (char *)(p == digits ? s : p);
    *out = *over ? ULLONG_MAX : v;
    return true;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    unsigned long long v;
    bool neg, over;

    if (!scan(s, end, base, &v, &neg, &over))
        return 0;
    if (over) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return neg ? 0 - v : v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    unsigned long long v, limit;
    bool neg, over;

    if (!scan(s, end, base, &v, &neg, &over))
        return 0;
    limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
    if (over || v > limit) {
        errno = ERANGE;
        return neg ? LLONG_MIN : LLONG_MAX;
    }
    if (neg)
        return v == limit ? LLONG_MIN : -(long long)v;
    return (long long)v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
