/*
 * Unit tests for kernel/lib/fmt.c. The host's glibc snprintf is the oracle
 * for everything C defines; %p, unknown conversions and the hex dump are
 * AetherOS's own and are checked against literal expected strings.
 */
#include "unit.h"

#include <limits.h>

#include "lib/fmt.h"

#include "fmt_compare.h"

/* The generated matrix and the literal-behaviour cases hand runtime or
 * deliberately odd format strings to printf-like functions. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* Tests of flags C defines as ignored ('0' with a precision, ' ' with '+')
 * or of deliberately bad formats draw -Wformat warnings; they are switched
 * off only around those tests so the rest keep argument type checking. */
#define ODD_FORMATS_BEGIN \
    _Pragma("GCC diagnostic push") \
    _Pragma("GCC diagnostic ignored \"-Wformat\"") \
    _Pragma("GCC diagnostic ignored \"-Wformat-extra-args\"") \
    _Pragma("GCC diagnostic ignored \"-Wformat-zero-length\"") \
    _Pragma("GCC diagnostic ignored \"-Wformat-overflow\"")
#define ODD_FORMATS_END _Pragma("GCC diagnostic pop")

#define BUF 512

/* ---- helpers ---------------------------------------------------------- */

/* Formats the same arguments with glibc and with ae_vsnprintf and records a
 * failure (with its call site and format) if text or length differ. */
#define same_as_glibc(where, ...) same_vs_glibc(ae_vsnprintf, where, __VA_ARGS__)

#define STR2(x) #x
#define STR(x) STR2(x)
#define SAME(...) same_as_glibc(__FILE__ ":" STR(__LINE__), __VA_ARGS__)

/* Compares ae_snprintf output with a literal expectation (no oracle). */
__attribute__((format(printf, 3, 4)))
static void expect_fmt(const char *where, const char *want, const char *fmt, ...)
{
    char got[BUF];
    va_list ap;

    va_start(ap, fmt);
    int gn = ae_vsnprintf(got, sizeof(got), fmt, ap);
    va_end(ap);
    if (gn != (int)strlen(want) || strcmp(got, want) != 0)
        report(where, fmt, want, (int)strlen(want), got, gn);
}

#define EXPECT(want, ...) expect_fmt(__FILE__ ":" STR(__LINE__), want, __VA_ARGS__)

/* A growable capture for the streaming interface. */
struct capture {
    char text[4096];
    size_t len;
    size_t calls;
};

static void capture_emit(char ch, void *ctx)
{
    struct capture *c = ctx;

    c->calls++;
    if (c->len + 1 < sizeof(c->text))
        c->text[c->len++] = ch;
    c->text[c->len] = '\0';
}

__attribute__((format(printf, 2, 3)))
static int capture_fmt(struct capture *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = ae_vformat(capture_emit, c, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- tests ------------------------------------------------------------ */

ODD_FORMATS_BEGIN
static void FMT0001_plain_text_copied(void **state)
{
    char buf[64];

    assert_int_equal(ae_snprintf(buf, sizeof(buf), "hello, world\n"), 13);
    assert_string_equal(buf, "hello, world\n");
    assert_int_equal(ae_snprintf(buf, sizeof(buf), "%s", ""), 0);
    assert_string_equal(buf, "");
    assert_int_equal(ae_snprintf(buf, sizeof(buf), "tab\there"), 8);
    assert_string_equal(buf, "tab\there");
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0002_basic_integers_match_glibc(void **state)
{
    SAME("%d %i %u", 0, -0, 0u);
    SAME("%d|%i|%u|%x|%X|%o", 123, -456, 789u, 0xabcu, 0xABCu, 0777u);
    SAME("%d %d %d", INT_MAX, INT_MIN, -1);
    SAME("%u %x %X %o", UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX);
    SAME("%5d|%-5d|%05d|%+d|% d|%+5d|%-+5d|%+05d", 42, 42, 42, 42, 42, 42, 42, 42);
    SAME("%5d|%-5d|%05d|%+d|% d|%+5d|%-+5d|%+05d", -42, -42, -42, -42, -42,
         -42, -42, -42);
    SAME("%.5d|%8.5d|%-8.5d|%08.5d|%+.5d|% 8.5d", -42, -42, -42, -42, 42, 42);
    SAME("%x|%#x|%#X|%#10x|%-#10x|%#010x|%#.6x|%#010.6x", 255u, 255u, 255u,
         255u, 255u, 255u, 255u, 255u);
    SAME("%o|%#o|%#5o|%#05o|%#.5o|%#-6o|%#.1o", 8u, 8u, 8u, 8u, 8u, 8u, 8u);
    SAME("%1d|%2d|%3d", 12345, 12345, 12345);
    SAME("%200d|%-200x", 7, 7u);
    SAME("%.60d", -1);
    check_no_failures();
}
ODD_FORMATS_END

static void FMT0003_generated_integer_matrix_matches_glibc(void **state)
{
    int_matrix(ae_vsnprintf, 'd', "-0+ ", true);
    int_matrix(ae_vsnprintf, 'i', "-0+ ", true);
    int_matrix(ae_vsnprintf, 'u', "-0", false);
    int_matrix(ae_vsnprintf, 'x', "-0#", false);
    int_matrix(ae_vsnprintf, 'X', "-0#", false);
    int_matrix(ae_vsnprintf, 'o', "-0#", false);
    check_no_failures();
}

static void FMT0004_extreme_values_every_length(void **state)
{
    SAME("%lld %lli %lld", (long long)INT64_MIN, (long long)INT64_MAX, -1LL);
    SAME("%ld %jd %td %zd", LONG_MIN, INTMAX_MIN, (ptrdiff_t)PTRDIFF_MIN,
         (ssize_t)(-SSIZE_MAX - 1));
    SAME("%llu %llx %llX %llo", (unsigned long long)UINT64_MAX,
         (unsigned long long)UINT64_MAX, (unsigned long long)UINT64_MAX,
         (unsigned long long)UINT64_MAX);
    SAME("%#llo|%#llx|%+lld|% lld", (unsigned long long)UINT64_MAX,
         (unsigned long long)UINT64_MAX, (long long)INT64_MIN,
         (long long)INT64_MIN);
    SAME("%30lld|%-30lld|%030lld|%.25lld", (long long)INT64_MIN,
         (long long)INT64_MIN, (long long)INT64_MIN, (long long)INT64_MIN);
    SAME("%zu %zx %ju %lu", SIZE_MAX, SIZE_MAX, UINTMAX_MAX, ULONG_MAX);
    SAME("%hhd %hhd %hhu %hhx", SCHAR_MIN, SCHAR_MAX, UCHAR_MAX, UCHAR_MAX);
    SAME("%hd %hd %hu %ho", SHRT_MIN, SHRT_MAX, USHRT_MAX, USHRT_MAX);
    check_no_failures();
}

static void FMT0005_narrow_lengths_truncate_promoted_value(void **state)
{
    /* C says an int argument is converted to the short/char type first. */
    SAME("%hhd|%hhu|%hhx", 300, 300, 0x1ff);
    SAME("%hd|%hu|%hx", 70000, 70000, 0x12345);
    SAME("%hhd|%hd", -129, -32769);
    check_no_failures();
}

ODD_FORMATS_BEGIN
static void FMT0006_zero_precision_zero_value_prints_nothing(void **state)
{
    SAME("[%.0d][%.d][%.0u][%.0x][%.0X][%.0o]", 0, 0, 0u, 0u, 0u, 0u);
    SAME("[%5.0d][%-5.0d][%05.0d][%+.0d][% .0d]", 0, 0, 0, 0, 0);
    SAME("[%#.0x][%#.0X][%#.0o][%#5.0o]", 0u, 0u, 0u, 0u);
    SAME("[%.0d][%.0u]", 1, 1u);
    EXPECT("[]", "[%.0d]", 0);
    EXPECT("[0]", "[%#.0o]", 0u);
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0007_alt_flag_hex_and_octal(void **state)
{
    /* 0x only for non-zero hex; octal gains exactly one leading zero. */
    SAME("[%#x][%#X][%#o]", 0u, 0u, 0u);
    SAME("[%#x][%#X][%#o]", 1u, 0xfeu, 1u);
    SAME("[%#08x][%#-8x][%#8X][%#.4x][%#010.4x]", 0x1au, 0x1au, 0x1au, 0x1au, 0x1au);
    SAME("[%#06o][%#.3o][%#.2o][%#3o]", 8u, 8u, 8u, 0u);
    EXPECT("0x1f", "%#x", 0x1fu);
    EXPECT("00010", "%#05o", 8u);
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0008_sign_flags(void **state)
{
    SAME("[%+d][%+d][%+d][% d][% d][% d]", 5, -5, 0, 5, -5, 0);
    /* '+' overrides ' ' whichever comes first. */
    SAME("[%+ d][% +d][%+ 5d][% -5d][% 05d]", 5, 5, 5, 5, 5);
    /* Flags may repeat and come in any order. */
    SAME("[%-+-5d][%0-5d][%-05d][%00+5d]", 3, 3, 3, 3);
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0009_star_width_and_precision(void **state)
{
    SAME("[%*d][%-*d][%*d]", 6, 42, 6, 42, -6, 42);
    SAME("[%0*d][%0*d]", 6, -42, -6, -42);
    SAME("[%.*d][%.*d][%.*d][%.*d]", 4, 42, 0, 0, -1, 0, -3, 42);
    SAME("[%*.*d][%*.*x][%-*.*s]", 8, 3, 7, -8, 3, 0xau, 10, 2, "abcdef");
    SAME("[%0*.*d]", 8, -1, 42);
    SAME("[%*c][%*s][%.*s]", -3, 'z', 0, "q", -2, "whole");
    EXPECT("[42    ]", "[%*d]", -6, 42);
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0010_char_conversion(void **state)
{
    SAME("[%c][%c][%c][%c]", 'a', ' ', '~', 0x41);
    SAME("[%5c][%-5c][%1c][%.0c]", 'x', 'x', 'x', 'x');
    /* %c of NUL still counts as one character. */
    char buf[8];
    assert_int_equal(ae_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
    assert_memory_equal(buf, "a\0b", 4);
    EXPECT("[    a]", "[%05c]", 'a');   /* '0' is not zero fill for %c */
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0011_string_conversion(void **state)
{
    SAME("[%s][%10s][%-10s][%.3s][%10.3s][%-10.3s][%.0s][%.20s]", "hello",
         "hello", "hello", "hello", "hello", "hello", "hello", "hello");
    SAME("[%s][%5s][%.1s]", "", "", "");
    SAME("[%2s][%-2s]", "longer than width", "longer than width");
    EXPECT("[   ab]", "[%05s]", "ab");
    check_no_failures();
}
ODD_FORMATS_END

static void FMT0012_string_precision_does_not_read_past_limit(void **state)
{
    /* No terminator: ASan catches any read beyond the precision. */
    char *raw = malloc(4);
    char buf[16];

    assert_non_null(raw);
    memcpy(raw, "abcd", 4);
    assert_int_equal(ae_snprintf(buf, sizeof(buf), "[%.4s]", raw), 6);
    assert_string_equal(buf, "[abcd]");
    assert_int_equal(ae_snprintf(buf, sizeof(buf), "[%.*s]", 2, raw), 4);
    assert_string_equal(buf, "[ab]");
    free(raw);
}

ODD_FORMATS_BEGIN
static void FMT0013_null_string(void **state)
{
    const char *null = NULL;

    SAME("[%s][%10s][%-8s][%.6s][%.10s]", null, null, null, null, null);
    /* Precision too small for all of "(null)" prints nothing, like glibc. */
    SAME("[%.5s][%.0s][%8.3s]", null, null, null);
    EXPECT("(null)", "%s", null);
    check_no_failures();
}
ODD_FORMATS_END

static void FMT0014_pointer_is_fixed_width_hex(void **state)
{
    int x;
    char want[32];

    EXPECT("0x0000000000000000", "%p", NULL);
    EXPECT("0x0000000000000001", "%p", (void *)1);
    EXPECT("0xffffffff80000000", "%p", (void *)0xffffffff80000000ull);
    EXPECT("0xdeadbeefcafebabe", "%p", (void *)0xdeadbeefcafebabeull);
    EXPECT("[  0x00000000000000ff]", "[%20p]", (void *)0xff);
    EXPECT("[0x00000000000000ff  ]", "[%-20p]", (void *)0xff);
    EXPECT("[0x00000000000000ff]", "[%5p]", (void *)0xff);
    snprintf(want, sizeof(want), "0x%016lx", (unsigned long)(uintptr_t)&x);
    EXPECT(want, "%p", (void *)&x);
    check_no_failures();
}

static void FMT0015_percent_literal(void **state)
{
    SAME("%%|100%%|%%%%|%%d");
    SAME("%d%%", 50);
    EXPECT("%", "%%");
    EXPECT("a%b", "a%%b");
    check_no_failures();
}

ODD_FORMATS_BEGIN
static void FMT0016_unknown_conversion_copied_literally(void **state)
{
    EXPECT("%k", "%k");
    EXPECT("[%y][%q]", "[%y][%q]");
    EXPECT("%5k|%-08.3w", "%5k|%-08.3w");
    EXPECT("%lk", "%lk");
    /* Floats are not supported and must not consume an argument. */
    EXPECT("%f 7", "%f %d", 7);
    EXPECT("a%!b 3", "a%!b %d", 3);
    check_no_failures();
}
ODD_FORMATS_END

ODD_FORMATS_BEGIN
static void FMT0017_trailing_percent(void **state)
{
    EXPECT("%", "%");
    EXPECT("abc%", "abc%");
    EXPECT("5%", "%d%", 5);
    /* A directive cut off by the end of the string stays visible. */
    EXPECT("x%-5", "x%-5");
    EXPECT("x%l", "x%l");
    check_no_failures();
}
ODD_FORMATS_END

static void FMT0018_truncation_size_zero(void **state)
{
    char buf[4] = { 'Q', 'Q', 'Q', 'Q' };

    assert_int_equal(ae_snprintf(NULL, 0, "hello %d", 12345), 11);
    assert_int_equal(ae_snprintf(buf, 0, "hello"), 5);
    assert_memory_equal(buf, "QQQQ", 4);
}

static void FMT0019_truncation_size_one(void **state)
{
    char buf[4] = { 'Q', 'Q', 'Q', 'Q' };

    assert_int_equal(ae_snprintf(buf, 1, "hello"), 5);
    assert_int_equal(buf[0], '\0');
    assert_memory_equal(buf + 1, "QQQ", 3);
    assert_int_equal(ae_snprintf(buf, 1, "%s", ""), 0);
    assert_int_equal(buf[0], '\0');
}

static void FMT0020_exact_fit_and_one_short(void **state)
{
    char buf[8];

    memset(buf, 'Q', sizeof(buf));
    assert_int_equal(ae_snprintf(buf, 6, "%s", "hello"), 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(buf[6], 'Q');

    memset(buf, 'Q', sizeof(buf));
    assert_int_equal(ae_snprintf(buf, 5, "%s", "hello"), 5);
    assert_string_equal(buf, "hell");
    assert_int_equal(buf[5], 'Q');
}

/* Every buffer size from 0 to past the end, against glibc, with a guard
 * region that must stay untouched. */
static void FMT0021_truncation_matches_glibc_at_every_size(void **state)
{
    static const char *const fmts[] = {
        "x=%d y=%-6x z=%08.3o s=%s",
        "%#llx|%+lld|%20s|%c",
    };

    for (size_t f = 0; f < 2; f++) {
        for (size_t size = 0; size <= 64; size++) {
            char exp[80], got[80];
            int en, gn;
            memset(exp, 'G', sizeof(exp));
            memset(got, 'G', sizeof(got));
            if (f == 0) {
                en = snprintf(exp, size, fmts[0], -77, 0xbeefu, 9u, "str");
                gn = ae_snprintf(got, size, fmts[0], -77, 0xbeefu, 9u, "str");
            } else {
                en = snprintf(exp, size, fmts[1], 0xfeedull, -1LL, "pad", 'c');
                gn = ae_snprintf(got, size, fmts[1], 0xfeedull, -1LL, "pad", 'c');
            }
            assert_int_equal(en, gn);
            if (memcmp(exp, got, sizeof(exp)) != 0) {
                print_error("fmt \"%s\" size %zu differs\n", fmts[f], size);
                fail();
            }
        }
    }
}

ODD_FORMATS_BEGIN
static void FMT0022_vformat_streams_and_counts(void **state)
{
    struct capture c = { .len = 0, .calls = 0 };

    int n = capture_fmt(&c, "%s=%5d %p %% %k", "answer", 42, (void *)0x10);
    assert_string_equal(c.text, "answer=   42 0x0000000000000010 % %k");
    assert_int_equal(n, (int)strlen(c.text));
    assert_int_equal(c.calls, strlen(c.text));

    struct capture empty = { .len = 0, .calls = 0 };
    assert_int_equal(capture_fmt(&empty, "%s", ""), 0);
    assert_int_equal(empty.calls, 0);
}
ODD_FORMATS_END

static void FMT0023_many_arguments_advance_correctly(void **state)
{
    /* Mixed widths in one call catch any length modifier that fetches the
     * wrong size from the va_list. */
    SAME("%hhd %hd %d %ld %lld %zd %td %jd %c %s %u %lu %llu %zu %ju %x",
         (signed char)-1, (short)-2, -3, -4L, -5LL, (ssize_t)-6, (ptrdiff_t)-7,
         (intmax_t)-8, 'k', "str", 9u, 10ul, 11ull, (size_t)12, (uintmax_t)13,
         14u);
    SAME("%*d|%.*s|%-*.*lld|%c", 4, 1, 2, "abc", 12, 5, 6LL, 'e');
    check_no_failures();
}

static void FMT0024_hexdump_full_lines(void **state)
{
    struct capture c = { .len = 0, .calls = 0 };
    uint8_t data[32];

    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t)(0x30 + i);
    ae_hexdump(capture_emit, &c, data, sizeof(data));
    assert_string_equal(c.text,
        "00000000: 30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f |0123456789:;<=>?|\n"
        "00000010: 40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f |@ABCDEFGHIJKLMNO|\n");
}

static void FMT0025_hexdump_partial_line_aligned(void **state)
{
    struct capture c = { .len = 0, .calls = 0 };
    const char *data = "0123456789abcdefABC";

    ae_hexdump(capture_emit, &c, data, strlen(data));
    assert_string_equal(c.text,
        "00000000: 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 |0123456789abcdef|\n"
        "00000010: 41 42 43                                        |ABC|\n");
    /* The ascii column starts at the same offset on both lines. */
    const char *second = strchr(c.text, '\n') + 1;
    assert_int_equal(strchr(c.text, '|') - c.text, strchr(second, '|') - second);
}

static void FMT0026_hexdump_nonprintable_and_empty(void **state)
{
    struct capture c = { .len = 0, .calls = 0 };
    const uint8_t data[] = { 0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 'A' };

    ae_hexdump(capture_emit, &c, data, 0);
    assert_int_equal(c.calls, 0);
    ae_hexdump(capture_emit, &c, data, sizeof(data));
    assert_string_equal(c.text,
        "00000000: 00 1f 20 7e 7f 80 ff 41                         |.. ~...A|\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(FMT0001_plain_text_copied),
        cmocka_unit_test(FMT0002_basic_integers_match_glibc),
        cmocka_unit_test(FMT0003_generated_integer_matrix_matches_glibc),
        cmocka_unit_test(FMT0004_extreme_values_every_length),
        cmocka_unit_test(FMT0005_narrow_lengths_truncate_promoted_value),
        cmocka_unit_test(FMT0006_zero_precision_zero_value_prints_nothing),
        cmocka_unit_test(FMT0007_alt_flag_hex_and_octal),
        cmocka_unit_test(FMT0008_sign_flags),
        cmocka_unit_test(FMT0009_star_width_and_precision),
        cmocka_unit_test(FMT0010_char_conversion),
        cmocka_unit_test(FMT0011_string_conversion),
        cmocka_unit_test(FMT0012_string_precision_does_not_read_past_limit),
        cmocka_unit_test(FMT0013_null_string),
        cmocka_unit_test(FMT0014_pointer_is_fixed_width_hex),
        cmocka_unit_test(FMT0015_percent_literal),
        cmocka_unit_test(FMT0016_unknown_conversion_copied_literally),
        cmocka_unit_test(FMT0017_trailing_percent),
        cmocka_unit_test(FMT0018_truncation_size_zero),
        cmocka_unit_test(FMT0019_truncation_size_one),
        cmocka_unit_test(FMT0020_exact_fit_and_one_short),
        cmocka_unit_test(FMT0021_truncation_matches_glibc_at_every_size),
        cmocka_unit_test(FMT0022_vformat_streams_and_counts),
        cmocka_unit_test(FMT0023_many_arguments_advance_correctly),
        cmocka_unit_test(FMT0024_hexdump_full_lines),
        cmocka_unit_test(FMT0025_hexdump_partial_line_aligned),
        cmocka_unit_test(FMT0026_hexdump_nonprintable_and_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
