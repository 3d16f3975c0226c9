/*
 * IPv4 addresses as text (arpa/inet.h). Pure: no system calls, tested
 * against glibc on the host (tests/unit/test_libc_inet.c).
 *
 * inet_pton takes only the strict dotted quad; inet_aton/inet_addr take
 * the classic forms too: 1 to 4 parts, each decimal, octal (leading 0) or
 * hex (0x), the last part filling the bytes that are left ("10.1" is
 * 10.0.0.1), and trailing white space.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

int inet_pton(int af, const char *src, void *dst)
{
    uint8_t out[4];
    int parts = 0;

    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    while (parts < 4) {
        unsigned v = 0, digits = 0;
        while (*src >= '0' && *src <= '9') {
            if (digits && v == 0)
                return 0;               /* a leading zero */
            v = v * 10 + (unsigned)(*src++ - '0');
            if (++digits > 3 || v > 255)
                return 0;
        }
        if (!digits)
            return 0;
        out[parts++] = (uint8_t)v;
        if (parts < 4 && *src++ != '.')
            return 0;
    }
    if (*src)
        return 0;
    memcpy(dst, out, 4);
    return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    const uint8_t *a = src;
    char tmp[INET_ADDRSTRLEN];
    size_t n = 0;

    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            tmp[n++] = (char)('0' + v / 100);
        if (v >= 10)
            tmp[n++] = (char)('0' + v / 10 % 10);
        tmp[n++] = (char)('0' + v % 10);
        tmp[n++] = i < 3 ? '.' : '\0';
    }
    if (n > size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, tmp, n);
    return dst;
}

/* One part of a classic address: its value, or -1. */
static long long part(const char **s)
{
    const char *p = *s;
    unsigned base = 10;
    unsigned long long v = 0;
    int any = 0;

    if (*p == '0') {
        base = 8;
        p++;
        any = 1;                        /* "0" alone is a number */
        if (*p == 'x' || *p == 'X') {
            base = 16;
            p++;
            any = 0;
        }
    }
    for (;; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && isxdigit((unsigned char)*p))
            d = (tolower((unsigned char)*p) - 'a') + 10;
        else
            break;
        if ((unsigned)d >= base)
            return -1;
        v = v * base + (unsigned)d;
        if (v > 0xffffffffull)
            return -1;
        any = 1;
    }
    if (!any)
        return -1;
    *s = p;
    return (long long)v;
}

int inet_aton(const char *cp, struct in_addr *out)
{
    static const uint32_t last_max[4] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
    uint32_t v[4];
    int n = 0;
    long long x;

    for (;;) {
        if ((x = part(&cp)) < 0)
            return 0;
        v[n++] = (uint32_t)x;
        if (*cp != '.')
            break;
        if (n == 4)
            return 0;
        cp++;
    }
    if (*cp && !isspace((unsigned char)*cp))
        return 0;
    for (int i = 0; i < n - 1; i++)
        if (v[i] > 255)
            return 0;
    if (v[n - 1] > last_max[n - 1])
        return 0;
    uint32_t a = v[n - 1];
    for (int i = 0; i < n - 1; i++)
        a |= v[i] << (24 - 8 * i);
    if (out)
        out->s_addr = htonl(a);
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;

    return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
    static char buf[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, &in.s_addr, buf, sizeof(buf));
    return buf;
}
