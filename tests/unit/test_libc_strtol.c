/*
 * Unit tests for the C library's strtol family against glibc: value,
 * end pointer and errno for every base on edge-case strings (signs, white
 * space, prefixes, overflow on both sides, invalid digits and bases), then
 * random numeric strings.
 */
#include "unit.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>

#include "libc_host.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const inputs[] = {
    "", " ", "0", "-0", "+0", "00", "0x", "0X", "0x1g", "0xg", "-0x", "+0x1F", "0x-1", "0b101",
    "077", "08", "09", "1", "-1", "+1", "+-1", "-+1", " - 1", "--1", "z", "Z", "zz", "1z",
    "12abc", "\t\n\v\f\r 42", "  -42xyz", "2147483647", "2147483648", "-2147483648",
    "-2147483649", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "18446744073709551616", "-18446744073709551615", "-18446744073709551616",
    "99999999999999999999999999", "-99999999999999999999999999",
    "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff", "0x10000000000000000",
    "-0x8000000000000000", "-0xffffffffffffffff", "0000000000000000000000000000000000000001",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111",
    "3w5e11264sgsf", "3w5e11264sgsg", "-3w5e11264sgsg", "7fffffffffffffff", "\xb0" "1",
};

static const int bases[] = {0, 2, 8, 10, 16, 36, 7, 35, 1, -1, 37, INT_MIN};

/* errno as the other library numbers it */
static int glibc_errno_of(int lc)
{
    return lc == LC_ERANGE ? ERANGE : lc == LC_EINVAL ? EINVAL : lc == 0 ? 0 : -1000 - lc;
}

static bool base_valid(int base)
{
    return base == 0 || (base >= 2 && base <= 36);
}

/* Calls one function of each library on s and compares value, end
 * pointer and errno. The end pointer starts out pointing elsewhere: with
 * an invalid base glibc leaves it alone, and so must we (glibc's own
 * result is not compared there: ASan's strtol interceptor stores garbage
 * into it). */
#define SAME(type, fn, s, base)                                                   \
    do {                                                                          \
        static const char elsewhere[] = "elsewhere";                              \
        char *eg = (char *)elsewhere, *el = (char *)elsewhere;                    \
        errno = 0;                                                                \
        lc_errno = 0;                                                             \
        type vg = fn((s), &eg, (base));                                           \
        int errg = errno;                                                         \
        type vl = lc_##fn((s), &el, (base));                                      \
        if (!base_valid(base))                                                    \
            eg = (char *)elsewhere;                                               \
        if (vg != vl || eg != el || errg != glibc_errno_of(lc_errno)) {           \
            print_error(#fn "(\"%s\", %d): glibc %jd end+%td errno %d; libc %jd end+%td errno %d\n", \
                        (s), (base), (intmax_t)vg, eg - (s), errg, (intmax_t)vl,  \
                        el - (s), lc_errno);                                      \
            fail();                                                               \
        }                                                                         \
    } while (0)

static void LCT0001_edge_cases_every_base(void **state)
{
    for (size_t i = 0; i < COUNT(inputs); i++)
        for (size_t b = 0; b < COUNT(bases); b++) {
            SAME(long, strtol, inputs[i], bases[b]);
            SAME(long long, strtoll, inputs[i], bases[b]);
            SAME(unsigned long, strtoul, inputs[i], bases[b]);
            SAME(unsigned long long, strtoull, inputs[i], bases[b]);
        }
}

static void LCT0002_errno_kept_on_success_and_null_end(void **state)
{
    lc_errno = 1234;
    assert_int_equal(lc_strtol("55", NULL, 10), 55);
    assert_int_equal(lc_errno, 1234);
    assert_int_equal(lc_strtoul("-1", NULL, 10), ULONG_MAX);
    assert_int_equal(lc_errno, 1234);
    assert_int_equal(lc_strtol("99999999999999999999", NULL, 0), LONG_MAX);
    assert_int_equal(lc_errno, LC_ERANGE);
}

static void LCT0003_atoi_family(void **state)
{
    static const char *const s[] = {"", "42", "  -17x", "+8", "2147483647", "-2147483648",
                                    "9223372036854775807", "-9223372036854775808", "0x10", "010"};

    for (size_t i = 0; i < COUNT(s); i++) {
        assert_int_equal(lc_atoi(s[i]), atoi(s[i]));
        assert_int_equal(lc_atol(s[i]), atol(s[i]));
        assert_int_equal(lc_atoll(s[i]), atoll(s[i]));
    }
}

static void LCT0004_random_numbers(void **state)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCXYZ";
    static const char *const prefixes[] = {"", "-", "+", " ", "0", "0x", "-0x", "  +0X", "\t-0"};
    char s[48];

    rng_state = 0x57201;
    for (int i = 0; i < 50000; i++) {
        size_t n = 0, len = rng() % 30;
        const char *pre = prefixes[rng() % COUNT(prefixes)];
        while (*pre)
            s[n++] = *pre++;
        for (size_t k = 0; k < len; k++)
            s[n++] = digits[rng() % (rng() % 2 ? 10 : sizeof(digits) - 1)];
        s[n] = '\0';
        int base = (int)(rng() % 38) - 1;
        SAME(long, strtol, s, base);
        SAME(unsigned long, strtoul, s, base);
        SAME(long long, strtoll, s, base);
        SAME(unsigned long long, strtoull, s, base);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCT0001_edge_cases_every_base),
        cmocka_unit_test(LCT0002_errno_kept_on_success_and_null_end),
        cmocka_unit_test(LCT0003_atoi_family),
        cmocka_unit_test(LCT0004_random_numbers),
    };

    return cmocka_run_group_tests_name("libc_strtol", tests, NULL, NULL);
}
