/*
 * Unit tests for the C library's %f %e %g (user/libc/stdio/float.c)
 * against glibc, which prints exact digits rounded to nearest, ties to
 * even: a matrix of flags, widths and precisions over special values, then
 * random bit patterns of double and long double, ties, and precisions long
 * enough to show a value's whole exact expansion.
 */
#include "unit.h"

#include <float.h>
#include <math.h>

#include "fmt_compare.h"
#include "libc_host.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat"

static char exp_buf[40000], got_buf[40000];

static void compare(const char *fmt, int en, int gn)
{
    if (en != gn || strcmp(exp_buf, got_buf) != 0)
        report("glibc vs libc", fmt, exp_buf, en, got_buf, gn);
}

static void same_d(const char *fmt, double v)
{
    int en = snprintf(exp_buf, sizeof(exp_buf), fmt, v);
    int gn = lc_snprintf(got_buf, sizeof(got_buf), fmt, v);
    compare(fmt, en, gn);
}

static void same_ld(const char *fmt, long double v)
{
    int en = snprintf(exp_buf, sizeof(exp_buf), fmt, v);
    int gn = lc_snprintf(got_buf, sizeof(got_buf), fmt, v);
    compare(fmt, en, gn);
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static const double specials[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-5, 1e-4,
    9.5, 99.5, 0.05, 0.005, 0.125, 0.375, 999999.5, 9999995.0, 123456789.125, 0.000123456,
    9.9999999, 99999.99, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 1e100, 1e300, 1e-300,
    DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, DBL_EPSILON, 4503599627370495.5,
    9007199254740993.0, 0.1 + 0.2, 5e-324, 2.2250738585072009e-308,
};

/* ---- the matrix ------------------------------------------------------- */

/* glibc 2.36 drops digits in one case: %#g whose rounding carries the
 * value into the e style (999999.5 at precision 6 prints "1.e+06"; C
 * wants "1.00000e+06"). LCF0009 checks C's text there instead. */
static bool glibc_wrong(char conv, const char *flags, const char *prec, double v)
{
    return (conv == 'g' || conv == 'G') && strchr(flags, '#') && *prec == '\0' &&
           v == 999999.5;
}

static void matrix(const char *convs, const char *flags)
{
    static const char *const widths[] = {"", "1", "12", "30"};
    static const char *const precs[] = {"", ".", ".0", ".1", ".3", ".10", ".17", ".25"};
    size_t nflags = strlen(flags);

    for (const char *c = convs; *c; c++)
        for (unsigned set = 0; set < (1u << nflags); set++) {
            char fl[8];
            flag_subset(flags, set, fl);
            for (size_t w = 0; w < COUNT(widths); w++)
                for (size_t p = 0; p < COUNT(precs); p++) {
                    char fmt[32];
                    snprintf(fmt, sizeof(fmt), "<%%%s%s%s%c>", fl, widths[w], precs[p], *c);
                    for (size_t v = 0; v < COUNT(specials); v++)
                        if (!glibc_wrong(*c, fl, precs[p], specials[v]))
                            same_d(fmt, specials[v]);
                    same_d(fmt, INFINITY);
                    same_d(fmt, -INFINITY);
                    same_d(fmt, NAN);
                    same_d(fmt, -NAN);
                }
        }
}

static void LCF0001_fixed_matrix(void **state)
{
    matrix("fF", "-+ #0");
    check_no_failures();
}

static void LCF0002_exponent_matrix(void **state)
{
    matrix("eE", "-+ #0");
    check_no_failures();
}

static void LCF0003_general_matrix(void **state)
{
    matrix("gG", "-+ #0");
    check_no_failures();
}

/* ---- rounding --------------------------------------------------------- */

static void LCF0004_ties_round_to_even(void **state)
{
    for (int k = -40; k <= 40; k++) {
        same_d("%.0f", k + 0.5);
        same_d("%.1f", k + 0.25);
        same_d("%.2f", k + 0.125);
        same_d("%.2f", k + 0.375);
        same_d("%.0e", (k + 0.5) * 10);
        same_d("%.1g", k * 10 + 5.0);
    }
    /* Carries that ripple into a new leading digit and a longer exponent */
    same_d("%.2f", 9.995);
    same_d("%.2f", 99.999);
    same_d("%.0f", 9.5);
    same_d("%.3e", 9.9996e99);
    same_d("%.3e", 9.9996e-100);
    same_d("%g", 999999.5);
    same_d("%g", 0.000099999996);
    same_d("%.3g", 99.96);
    check_no_failures();
}

/* ---- random values ---------------------------------------------------- */

static void LCF0005_random_doubles(void **state)
{
    static const char *const fmts[] = {"%.17g", "%e", "%.0e", "%.25e", "%g", "%#.3g",
                                       "%f", "%.0f", "%.3f", "%+-40.20f"};

    rng_state = 0xf10a7;
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = rng();
        /* Half of them near 1, where %f shows both integer and fraction. */
        if (i & 1)
            bits = (bits & 0x800fffffffffffffull) | ((uint64_t)(1023 - 30 + rng() % 60) << 52);
        double v = from_bits(bits);
        for (size_t f = 0; f < COUNT(fmts); f++)
            same_d(fmts[f], v);
    }
    check_no_failures();
}

/* x87 extended: a 64-bit significand (explicit integer bit) and a 15-bit
 * exponent, random in both. */
static long double random_long_double(int i)
{
    struct {
        uint64_t mant;
        uint16_t sign_exp;
    } x = {rng() | (1ull << 63), 0};
    long double v = 0;

    /* Mostly exponents within 2^+-1500 (huge ones cost both libraries
     * milliseconds), every eighth anywhere (denormals included). */
    if (i % 8 == 0)
        x.sign_exp = (uint16_t)(rng() % 0x7fff);
    else if (i % 2)
        x.sign_exp = (uint16_t)(16383 - 40 + rng() % 80);
    else
        x.sign_exp = (uint16_t)(16383 - 1500 + rng() % 3000);
    if (x.sign_exp == 0)
        x.mant &= ~(1ull << 63);                /* a denormal has no integer bit */
    x.sign_exp |= (uint16_t)(rng() & 0x8000);
    memcpy(&v, &x, 10);
    return v;
}

static void LCF0006_long_double(void **state)
{
    static const char *const fmts[] = {"%.21Lg", "%Le", "%.30Le", "%Lg", "%.4Lf", "%LG", "%#.0Le"};
    static const long double specials_ld[] = {
        0.0L, -0.0L, 1.0L, 0.5L, 2.5L, 1.0L / 3, 1e-5L, 1e4000L, 1e-4000L, LDBL_MAX, LDBL_MIN,
        LDBL_TRUE_MIN, LDBL_EPSILON, 0.1L,
    };

    for (size_t v = 0; v < COUNT(specials_ld); v++)
        for (size_t f = 0; f < COUNT(fmts); f++)
            same_ld(fmts[f], specials_ld[v]);
    same_ld("%Lf", LDBL_MAX);
    same_ld("%Lf", -LDBL_MIN);
    same_ld("%LF", (long double)INFINITY);
    same_ld("%Lf", (long double)-INFINITY);
    same_ld("%Le", (long double)-NAN);
    rng_state = 0x10d0b1e;
    for (int i = 0; i < 2000; i++) {
        long double v = random_long_double(i);
        for (size_t f = 0; f < COUNT(fmts); f++)
            same_ld(fmts[f], v);
    }
    check_no_failures();
}

/* Precisions that reach the last digit of the exact binary value. */
static void LCF0007_whole_exact_expansions(void **state)
{
    same_d("%.1100f", DBL_TRUE_MIN);
    same_d("%.1100e", DBL_TRUE_MIN);
    same_d("%.400f", DBL_MIN);
    same_d("%.1080f", 0.1);
    same_d("%.60g", 0.1);
    same_d("%.330f", DBL_MAX);
    same_d("%.800e", DBL_MAX);
    same_ld("%.16500Lf", LDBL_TRUE_MIN);
    same_ld("%.5000Le", LDBL_MAX);
    same_ld("%.20Lf", LDBL_MAX);
    check_no_failures();
}

/* ---- around the conversions ------------------------------------------- */

static void LCF0008_mixed_with_other_arguments(void **state)
{
    char buf[128];

    /* doubles and integers travel in different registers; both must stay
     * in step, also once they spill to the stack */
    int en = snprintf(exp_buf, sizeof(exp_buf), "%d %f %d %e %d %g %d %f %d %f %d %f %d %f %d %f %d %Lf %s",
                      1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5L, "end");
    int gn = lc_snprintf(got_buf, sizeof(got_buf), "%d %f %d %e %d %g %d %f %d %f %d %f %d %f %d %f %d %Lf %s",
                         1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5L, "end");
    compare("mixed", en, gn);
    check_no_failures();
    /* truncation counts the whole length */
    assert_int_equal(lc_snprintf(buf, 5, "%f", 3.25), 8);
    assert_string_equal(buf, "3.25");
    assert_int_equal(lc_snprintf(buf, sizeof(buf), "%lf|%hf", 1.0, 2.0), 17);
    assert_string_equal(buf, "1.000000|2.000000");
}

static void expect(const char *want, const char *fmt, double v)
{
    assert_int_equal(lc_snprintf(got_buf, sizeof(got_buf), fmt, v), (int)strlen(want));
    assert_string_equal(got_buf, want);
}

/* C11 7.21.6.1: %g picks its style by the exponent after rounding to P
 * digits, and '#' keeps the trailing zeros of the style it picked. */
static void LCF0009_alt_general_carry_into_exponent_style(void **state)
{
    expect("1.00000e+06", "%#g", 999999.5);
    expect("1.00000E+06", "%#G", 999999.5);
    expect("1.00e+03", "%#.3g", 999.5);
    expect("  -1.0e+02", "%#10.2g", -99.5);
    expect("1e+06", "%g", 999999.5);            /* without '#': as glibc */
    same_d("%g", 999999.5);
    same_d("%#.3g", 99.96);                     /* stays in f style: as glibc */
    check_no_failures();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCF0001_fixed_matrix),
        cmocka_unit_test(LCF0002_exponent_matrix),
        cmocka_unit_test(LCF0003_general_matrix),
        cmocka_unit_test(LCF0004_ties_round_to_even),
        cmocka_unit_test(LCF0005_random_doubles),
        cmocka_unit_test(LCF0006_long_double),
        cmocka_unit_test(LCF0007_whole_exact_expansions),
        cmocka_unit_test(LCF0008_mixed_with_other_arguments),
        cmocka_unit_test(LCF0009_alt_general_carry_into_exponent_style),
    };

    return cmocka_run_group_tests_name("libc_float", tests, NULL, NULL);
}
