/*
 * Bundle versions as text (bundle.h): the manifest's "MAJOR.MINOR.PATCH",
 * packed into one uint64_t that orders like the version does.
 */
#include <stddef.h>
#include <stdint.h>

#include "aether/errors.h"
#include "trust/bundle.h"
#include "trust/version.h"

/* One decimal part of s[*pos, n) up to the next '.' or the end. */
static int parse_part(const char *s, size_t n, size_t *pos, uint64_t max, uint64_t *out)
{
    size_t i = *pos, start = i;
    uint64_t v = 0;
    int big = 0;

    while (i < n && s[i] >= '0' && s[i] <= '9') {
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > max) {
            big = 1;        /* keep scanning: syntax errors come first */
            v = max + 1;    /* and never overflow, however long the digits run */
        }
        i++;
    }
    if (i == start || (s[start] == '0' && i - start > 1))
        return AE_ERR_INVAL;
    *pos = i;
    *out = v;
    return big ? AE_ERR_RANGE : 0;
}

int ae_bundle_version_parse_n(const char *s, size_t n, uint64_t *out)
{
    static const uint64_t max[3] = {UINT32_MAX, UINT16_MAX, UINT16_MAX};
    uint64_t part[3];
    size_t pos = 0;
    int range = 0;

    if (!s || !out)
        return AE_ERR_INVAL;
    for (int i = 0; i < 3; i++) {
        int r = parse_part(s, n, &pos, max[i], &part[i]);
        if (r == AE_ERR_INVAL)
            return r;
        if (r)
            range = 1;
        if (i < 2) {
            if (pos >= n || s[pos] != '.')
                return AE_ERR_INVAL;
            pos++;
        }
    }
    if (pos != n)
        return AE_ERR_INVAL;
    if (range)
        return AE_ERR_RANGE;
    *out = AE_BUNDLE_VERSION(part[0], part[1], part[2]);
    return 0;
}

int ae_bundle_version_parse(const char *s, uint64_t *out)
{
    size_t n = 0;

    if (!s)
        return AE_ERR_INVAL;
    while (s[n])
        n++;
    return ae_bundle_version_parse_n(s, n, out);
}

/* Appends the decimal digits of v at buf[*at], keeping room for a NUL. */
static void put_decimal(char *buf, size_t len, size_t *at, uint64_t v)
{
    char digits[20];
    int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && *at + 1 < len)
        buf[(*at)++] = digits[--n];
}

static void put_char(char *buf, size_t len, size_t *at, char c)
{
    if (*at + 1 < len)
        buf[(*at)++] = c;
}

void ae_bundle_version_format(uint64_t v, char *buf, size_t len)
{
    size_t at = 0;

    if (!buf || len == 0)
        return;
    put_decimal(buf, len, &at, v >> 32);
    put_char(buf, len, &at, '.');
    put_decimal(buf, len, &at, (v >> 16) & 0xffff);
    put_char(buf, len, &at, '.');
    put_decimal(buf, len, &at, v & 0xffff);
    buf[at] = '\0';
}
