/*
 * Unit tests for the C library's printf family (user/libc/stdio/ on
 * common/fmt.c) against glibc: integers over every flag, width, precision
 * and length modifier, %c %s %p, truncation and return values; then what
 * differs on purpose (%n, %a, wide characters). Floating point is
 * test_libc_float.c.
 */
#include "unit.h"

#include <limits.h>
#include <wchar.h>

#include "fmt_compare.h"
#include "libc_host.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"


/* Formats with both and compares text and return value. */
#define same(...) same_vs_glibc(lc_vsnprintf, "glibc vs libc", __VA_ARGS__)

/* ---- integers --------------------------------------------------------- */

static void LCP0001_signed_matrix(void **state)
{
    int_matrix(lc_vsnprintf, 'd', "-+ 0", true);
    int_matrix(lc_vsnprintf, 'i', "-+0", true);
    check_no_failures();
}

static void LCP0002_unsigned_matrix(void **state)
{
    int_matrix(lc_vsnprintf, 'u', "-0", false);
    int_matrix(lc_vsnprintf, 'o', "-#0", false);
    int_matrix(lc_vsnprintf, 'x', "-#0", false);
    int_matrix(lc_vsnprintf, 'X', "-#0", false);
    check_no_failures();
}

static void LCP0003_boundaries_and_star(void **state)
{
    same("%d %d %ld %lld", INT_MIN, INT_MAX, LONG_MIN, LLONG_MIN);
    same("%hhd %hd %hhu %hu", 300, 70000, -1, -1);
    same("[%.0d] [%.0u] [%.0x] [%#.0x] [%#.0o] [%#o] [%#x] [%#5.0o]", 0, 0, 0, 0, 0, 0, 0, 0);
    same("[%+.0d] [% .0d] [%+5.0d] [%-+5d]", 0, 0, 0, 0);
    for (int w = -30; w <= 30; w += 7)
        for (int p = -3; p <= 25; p += 4) {
            same("[%*.*d]", w, p, -12345);
            same("[%-*.*x]", w, p, 0xbeef);
            same("[%*.*s]", w, p, "string");
            same("[%0*d]", w, 42);
        }
    check_no_failures();
    /* Outputs longer than INT_MAX are left out: glibc returns -1 there,
     * the engine INT_MAX. */
}

/* ---- characters, strings, pointers ------------------------------------ */

static void LCP0004_chars_and_strings(void **state)
{
    static const char *const fmts[] = {"[%s]", "[%10s]", "[%-10s]", "[%.3s]", "[%10.3s]",
                                       "[%-10.0s]", "[%.*s]", "[%.20s]", "[%05s]"};
    static const char *const strs[] = {"", "a", "hello", "hello, world, long"};

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t s = 0; s < COUNT(strs); s++) {
            if (strstr(fmts[f], "*"))
                same(fmts[f], 2, strs[s]);
            else
                same(fmts[f], strs[s]);
        }
    /* NULL: "(null)", or nothing when the precision cannot hold it */
    same("[%s] [%10s] [%-8s] [%.6s] [%.5s] [%.0s]", NULL, NULL, NULL, NULL, NULL, NULL);
    for (int c = 1; c < 256; c++)
        same("[%c] [%3c] [%-3c] [%03c]", c, c, c, c);
    check_no_failures();
}

static void LCP0005_pointers_like_glibc(void **state)
{
    static const char *const fmts[] = {"[%p]", "[%20p]", "[%-20p]", "[%020p]", "[%+p]", "[% p]",
                                       "[%#p]", "[%.0p]", "[%.20p]", "[%5.3p]", "[%-+25.18p]"};
    static void *const ptrs[] = {NULL, (void *)1, (void *)0x1234,
                                 (void *)0xffffffffffffffffull, (void *)&g_failures};

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t p = 0; p < COUNT(ptrs); p++)
            same(fmts[f], ptrs[p]);
    check_no_failures();
}

/* ---- buffers and return values ---------------------------------------- */

static void LCP0006_truncation_and_return_value(void **state)
{
    static const char *const fmts[] = {"%d", "%s|%d", "%-10s|", "%#x %o %c"};

    for (size_t f = 0; f < COUNT(fmts); f++)
        for (size_t size = 0; size < 24; size++) {
            char exp[32], got[32];
            memset(exp, '#', sizeof(exp));
            memset(got, '#', sizeof(got));
            int en = f == 0 ? snprintf(exp, size, fmts[f], -1234567)
                   : f == 3 ? snprintf(exp, size, fmts[f], 255, 8, 'z')
                   : snprintf(exp, size, fmts[f], "abcdef", 42);
            int gn = f == 0 ? lc_snprintf(got, size, fmts[f], -1234567)
                   : f == 3 ? lc_snprintf(got, size, fmts[f], 255, 8, 'z')
                   : lc_snprintf(got, size, fmts[f], "abcdef", 42);
            assert_int_equal(gn, en);
            assert_memory_equal(got, exp, sizeof(got));   /* nothing past size touched */
        }
    assert_int_equal(lc_snprintf(NULL, 0, "%s-%d", "abc", 12345), 9);
    char big[64];
    assert_int_equal(lc_sprintf(big, "%s=%05d", "x", 42), 7);
    assert_string_equal(big, "x=00042");
    assert_int_equal(lc_snprintf(big, sizeof(big), ""), 0);
    assert_string_equal(big, "");
}

/* ---- on purpose unlike glibc ------------------------------------------ */

static void LCP0007_percent_n_writes_and_prints_nothing(void **state)
{
    char buf[32];
    int n = 77;
    long ln = 77;

    assert_int_equal(lc_snprintf(buf, sizeof(buf), "ab%ncd%ln%d", &n, &ln, 5), 5);
    assert_string_equal(buf, "abcd5");
    assert_int_equal(n, 77);
    assert_int_equal(ln, 77);
}

static void LCP0008_unsupported_conversions_print_as_written(void **state)
{
    char buf[64];

    /* The argument is consumed, so the ones after still line up. */
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%a|%d", 1.0, 5), 4);
    assert_string_equal(buf, "%a|5");
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%-8.3LA|%d", 1.0L, 6), 9);
    assert_string_equal(buf, "%-8.3LA|6");
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%ls|%lc|%d", L"wide", (wint_t)L'w', 7), 9);
    assert_string_equal(buf, "%ls|%lc|7");
    /* Unknown conversions print as written (glibc too, though it writes
     * the flags in its own order); a '%' at the very end is kept (glibc
     * fails with -1); %% takes no width. */
    same("%y|%5y|%-5.3y|%#y");
    check_no_failures();
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%-#5.3y|100%"), 12);
    assert_string_equal(buf, "%-#5.3y|100%");
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%5%|%-5%|%%"), 5);
    assert_string_equal(buf, "%|%|%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCP0001_signed_matrix),
        cmocka_unit_test(LCP0002_unsigned_matrix),
        cmocka_unit_test(LCP0003_boundaries_and_star),
        cmocka_unit_test(LCP0004_chars_and_strings),
        cmocka_unit_test(LCP0005_pointers_like_glibc),
        cmocka_unit_test(LCP0006_truncation_and_return_value),
        cmocka_unit_test(LCP0007_percent_n_writes_and_prints_nothing),
        cmocka_unit_test(LCP0008_unsupported_conversions_print_as_written),
    };

    return cmocka_run_group_tests_name("libc_printf", tests, NULL, NULL);
}
