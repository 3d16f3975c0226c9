/*
 * Unit tests for user/libc/net/inet.c against glibc: inet_pton, inet_aton
 * and inet_addr on edge-case strings (leading zeros, too many or too few
 * parts, values past 255 or 2^32, octal and hex parts, trailing text and
 * white space) and random ones; inet_ntop on every byte value and short
 * buffers; inet_ntoa.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>

#include "libc_host.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const inputs[] = {
    "", ".", "1", "1.", "1.2", "1.2.3", "1.2.3.4", "1.2.3.4.", "1.2.3.4.5", "0.0.0.0",
    "255.255.255.255", "256.0.0.0", "0.0.0.256", "10.0.2.15", "010.0.2.15", "10.00.2.15",
    "10.0.02.15", "1..2.3", ".1.2.3", "1.2.3.4 ", "1.2.3.4\t", "1.2.3.4x", " 1.2.3.4",
    "+1.2.3.4", "-1.2.3.4", "1.2.3.-4", "0x7f.0.0.1", "0X7F.0.0.1", "0x.0.0.1", "0x", "0",
    "00", "08.1.1.1", "0377.0377.0377.0377", "0400.0.0.0", "4294967295", "4294967296",
    "0xffffffff", "0x100000000", "10.1", "10.65535", "10.65536", "10.1.65535", "10.1.65536",
    "10.16777215", "10.16777216", "1.2.3.0x100", "1.2.3.0xff", "999.1.1.1",
    "1.2.3.4\n", "1.2.3.4 junk", "127.1", "0x1.0x2.0x3.0x4", "01.02.03.04", "1.2.3.09",
    "1.2.3.4.0", "12345678901234567890", "1.2.3.0000000000000000004", "1e2.0.0.1",
};

static void INET0001_pton_like_glibc(void **state)
{
    for (size_t i = 0; i < COUNT(inputs); i++) {
        uint8_t a[4] = {9, 9, 9, 9}, b[4] = {9, 9, 9, 9};
        int want = inet_pton(AF_INET, inputs[i], a);
        int got = lc_inet_pton(AF_INET, inputs[i], b);
        if (got != want || memcmp(a, b, 4))
            fail_msg("inet_pton(\"%s\"): %d, glibc %d", inputs[i], got, want);
    }
    lc_errno = 0;
    assert_int_equal(lc_inet_pton(99, "1.2.3.4", NULL), -1);
    assert_int_equal(lc_errno, LC_EAFNOSUPPORT);
}

static void INET0002_aton_and_addr_like_glibc(void **state)
{
    for (size_t i = 0; i < COUNT(inputs); i++) {
        struct in_addr a = {0x5a5a5a5a}, b = {0x5a5a5a5a};
        int want = inet_aton(inputs[i], &a);
        int got = lc_inet_aton(inputs[i], &b);
        if (got != want || (want && a.s_addr != b.s_addr))
            fail_msg("inet_aton(\"%s\"): %d %08x, glibc %d %08x", inputs[i], got, b.s_addr,
                     want, a.s_addr);
        if (lc_inet_addr(inputs[i]) != inet_addr(inputs[i]))
            fail_msg("inet_addr(\"%s\")", inputs[i]);
    }
}

static void INET0003_random_strings(void **state)
{
    static const char alphabet[] = "0123456789.x .a";
    char s[24];

    rng_state = 4;
    for (int round = 0; round < 200000; round++) {
        size_t n = rng() % 20;
        for (size_t i = 0; i < n; i++)
            s[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
        s[n] = 0;
        uint8_t a[4] = {0}, b[4] = {0};
        struct in_addr x = {0}, y = {0};
        int p1 = inet_pton(AF_INET, s, a), p2 = lc_inet_pton(AF_INET, s, b);
        int a1 = inet_aton(s, &x), a2 = lc_inet_aton(s, &y);
        if (p1 != p2 || memcmp(a, b, 4) || a1 != a2 || (a1 && x.s_addr != y.s_addr))
            fail_msg("\"%s\": pton %d/%d aton %d/%d", s, p2, p1, a2, a1);
    }
}

static void INET0004_ntop_and_ntoa(void **state)
{
    char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

    for (unsigned v = 0; v < 256; v++) {
        uint8_t addr[4] = {(uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v * 7), (uint8_t)(v / 3)};
        assert_non_null(inet_ntop(AF_INET, addr, a, sizeof(a)));
        assert_ptr_equal(lc_inet_ntop(AF_INET, addr, b, sizeof(b)), b);
        assert_string_equal(a, b);
        struct in_addr in;
        memcpy(&in.s_addr, addr, 4);
        assert_string_equal(lc_inet_ntoa(in), a);
    }
    /* "255.255.255.255" needs 16 bytes, "1.2.3.4" 8. */
    uint8_t big[4] = {255, 255, 255, 255}, small[4] = {1, 2, 3, 4};
    memset(b, 'q', sizeof(b));
    lc_errno = 0;
    assert_null(lc_inet_ntop(AF_INET, big, b, 15));
    assert_int_equal(lc_errno, LC_ENOSPC);
    assert_int_equal(b[0], 'q');                    /* untouched */
    assert_non_null(lc_inet_ntop(AF_INET, big, b, 16));
    assert_null(lc_inet_ntop(AF_INET, small, b, 7));
    assert_non_null(lc_inet_ntop(AF_INET, small, b, 8));
    assert_string_equal(b, "1.2.3.4");
    assert_null(lc_inet_ntop(99, small, b, 16));
    assert_int_equal(lc_errno, LC_EAFNOSUPPORT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(INET0001_pton_like_glibc),
        cmocka_unit_test(INET0002_aton_and_addr_like_glibc),
        cmocka_unit_test(INET0003_random_strings),
        cmocka_unit_test(INET0004_ntop_and_ntoa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
