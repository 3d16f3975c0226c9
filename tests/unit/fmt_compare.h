/*
 * For tests that hold formatted output against glibc in bulk (test_fmt.c,
 * test_libc_printf.c, test_libc_float.c): each mismatch is recorded, the
 * first MAX_REPORTED printed, and check_no_failures() fails the test at
 * its end. same_vs_glibc() compares one call; int_matrix() every flag,
 * width, precision and length of an integer conversion.
 */
#ifndef TESTS_UNIT_FMT_COMPARE_H
#define TESTS_UNIT_FMT_COMPARE_H

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_REPORTED 20

static int g_failures;

static void report(const char *where, const char *fmt, const char *exp,
                   int exp_n, const char *got, int got_n)
{
    g_failures++;
    if (g_failures <= MAX_REPORTED)
        print_error("%s: fmt \"%s\": expected \"%.200s\" (%d), got \"%.200s\" (%d)\n",
                    where, fmt, exp, exp_n, got, got_n);
}

static void check_no_failures(void)
{
    int n = g_failures;

    g_failures = 0;
    if (n > MAX_REPORTED)
        print_error("... %d failures in total\n", n);
    assert_int_equal(n, 0);
}

/* The flags of flags[] whose bit is set in set, as a string (out holds
 * at least strlen(flags) + 1 bytes). */
__attribute__((unused))
static void flag_subset(const char *flags, unsigned set, char *out)
{
    size_t k = 0;

    for (size_t i = 0; flags[i]; i++)
        if (set & (1u << i))
            out[k++] = flags[i];
    out[k] = '\0';
}

/* A vsnprintf under test: the kernel's engine or the C library's. */
typedef int (*vsnprintf_fn)(char *buf, size_t size, const char *fmt, va_list ap);

/* Formats the same arguments with glibc and with mine and records a
 * failure (at where) if text or length differ. */
__attribute__((format(printf, 3, 4), unused))
static void same_vs_glibc(vsnprintf_fn mine, const char *where, const char *fmt, ...)
{
    char exp[600], got[600];
    va_list a, b;

    va_start(a, fmt);
    va_copy(b, a);
    int en = vsnprintf(exp, sizeof(exp), fmt, a);
    int gn = mine(got, sizeof(got), fmt, b);
    va_end(b);
    va_end(a);
    if (en != gn || strcmp(exp, got) != 0)
        report(where, fmt, exp, en, got, gn);
}

/* Length modifiers in the order int_case() reads them; 'L' with an
 * integer conversion reads a long long (glibc). */
static const char *const int_lengths[] = {"hh", "h", "", "l", "ll", "z", "t", "j", "L"};

static const uint64_t int_values[] = {
    0, 1, 7, 8, 9, 10, 42, 0x7f, 0x80, 0xff, 0x100, 12345, 0x7fff, 0x8000,
    0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0xdeadbeefcafeull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0xffffffffffffffffull, (uint64_t)-42, (uint64_t)-12345,
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Passes v converted to exactly the type length modifier lm reads. */
__attribute__((unused))
static void int_case(vsnprintf_fn mine, const char *fmt, int lm, bool is_signed, uint64_t v)
{
#define BOTH(S, U) is_signed ? same_vs_glibc(mine, "int matrix", fmt, (S)v) \
                             : same_vs_glibc(mine, "int matrix", fmt, (U)v)
    switch (lm) {
    case 0: BOTH(signed char, unsigned char); break;
    case 1: BOTH(short, unsigned short); break;
    case 2: BOTH(int, unsigned int); break;
    case 3: BOTH(long, unsigned long); break;
    case 4: case 8: BOTH(long long, unsigned long long); break;
    case 5: BOTH(ssize_t, size_t); break;
    case 6: BOTH(ptrdiff_t, size_t); break;
    default: BOTH(intmax_t, uintmax_t); break;
    }
#undef BOTH
}
#pragma GCC diagnostic pop

/* Every subset of flags (the ones C defines for conv: '#' only for o/x/X,
 * sign flags only for signed ones) with every width, precision and
 * length, over int_values. */
__attribute__((unused))
static void int_matrix(vsnprintf_fn mine, char conv, const char *flags, bool is_signed)
{
    static const char *const widths[] = {"", "1", "5", "12", "25"};
    static const char *const precs[] = {"", ".", ".0", ".1", ".3", ".20"};

    for (unsigned set = 0; set < (1u << strlen(flags)); set++) {
        char fl[8];
        flag_subset(flags, set, fl);
        for (size_t w = 0; w < COUNT(widths); w++)
            for (size_t p = 0; p < COUNT(precs); p++)
                for (size_t lm = 0; lm < COUNT(int_lengths); lm++) {
                    char fmt[32];
                    snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", fl, widths[w], precs[p],
                             int_lengths[lm], conv);
                    for (size_t v = 0; v < COUNT(int_values); v++)
                        int_case(mine, fmt, (int)lm, is_signed, int_values[v]);
                }
    }
}

#endif
