/*
 * Unit tests for the C library's string functions (user/libc/string/ and
 * common/string.c), held against the host's glibc: fixed edge cases, then
 * random strings over a small alphabet with high bytes.
 */
#include "unit.h"

#include "libc_host.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int sgn(int v)
{
    return (v > 0) - (v < 0);
}

/* Offset of a returned pointer from its base, -1 for NULL. */
static long off(const void *p, const void *base)
{
    return p ? (long)((const char *)p - (const char *)base) : -1;
}

static const char *const samples[] = {
    "", "a", "b", "ab", "ba", "abc", "abd", "abcd", "aab", "aaab", "\x80", "\xff", "a\x80",
    "a\xff" "b", "hello, world", "  spaced  out  ", "x,y;;z", ",,,", "\xfe\xff\xfe",
};

/* ---- memory ----------------------------------------------------------- */

static void LCS0001_memmove_both_directions(void **state)
{
    for (size_t n = 0; n < 40; n++)
        for (size_t from = 0; from < 20; from++)
            for (size_t to = 0; to < 20; to++) {
                char a[64], b[64];
                for (size_t i = 0; i < sizeof(a); i++)
                    a[i] = b[i] = (char)(i * 7 + 1);
                assert_ptr_equal(lc_memmove(a + to, a + from, n), a + to);
                memmove(b + to, b + from, n);
                assert_memory_equal(a, b, sizeof(a));
            }
}

static void LCS0002_memcpy_memset_memcmp_memchr(void **state)
{
    unsigned char a[300], b[300];

    for (size_t n = 0; n < 260; n += 7) {
        assert_ptr_equal(lc_memset(a, 0x1ab, n), a);       /* int converted to unsigned char */
        memset(b, 0x1ab, n);
        assert_memory_equal(a, b, n);
        for (size_t i = 0; i < n; i++)
            a[i] = (unsigned char)i;
        assert_ptr_equal(lc_memcpy(b, a, n), b);
        assert_memory_equal(a, b, n);
        assert_int_equal(lc_memcmp(a, b, n), 0);
        if (n) {
            b[n - 1] ^= 0x80;                               /* compare as unsigned */
            assert_int_equal(sgn(lc_memcmp(a, b, n)), sgn(memcmp(a, b, n)));
            assert_int_equal(sgn(lc_memcmp(b, a, n)), sgn(memcmp(b, a, n)));
        }
        for (int c = -1; c < 300; c += 13)
            assert_int_equal(off(lc_memchr(a, c, n), a), off(memchr(a, c, n), a));
    }
    assert_int_equal(lc_memcmp(a, b, 0), 0);
    assert_null(lc_memchr(a, a[0], 0));
}

/* ---- strings ---------------------------------------------------------- */

static void LCS0003_length_and_compare(void **state)
{
    for (size_t i = 0; i < COUNT(samples); i++) {
        const char *x = samples[i];
        assert_int_equal(lc_strlen(x), strlen(x));
        for (size_t m = 0; m < 20; m++)
            assert_int_equal(lc_strnlen(x, m), strnlen(x, m));
        for (size_t j = 0; j < COUNT(samples); j++) {
            const char *y = samples[j];
            assert_int_equal(sgn(lc_strcmp(x, y)), sgn(strcmp(x, y)));
            for (size_t n = 0; n < 6; n++)
                assert_int_equal(sgn(lc_strncmp(x, y, n)), sgn(strncmp(x, y, n)));
        }
    }
}

static void LCS0004_copy_and_concatenate(void **state)
{
    for (size_t i = 0; i < COUNT(samples); i++) {
        const char *x = samples[i];
        for (size_t n = 0; n < 20; n++) {
            char a[64], b[64];
            memset(a, 'Z', sizeof(a));
            memset(b, 'Z', sizeof(b));
            assert_ptr_equal(lc_strncpy(a, x, n), a);       /* NUL padding, no terminator */
            strncpy(b, x, n);
            assert_memory_equal(a, b, sizeof(a));
            strcpy(a, "pre");
            strcpy(b, "pre");
            assert_ptr_equal(lc_strncat(a, x, n), a);
            strncat(b, x, n);
            assert_memory_equal(a, b, sizeof(a));
        }
        char a[64], b[64];
        memset(a, 'Z', sizeof(a));
        memset(b, 'Z', sizeof(b));
        assert_ptr_equal(lc_strcpy(a, x), a);
        strcpy(b, x);
        assert_memory_equal(a, b, sizeof(a));
        assert_ptr_equal(lc_strcat(a, x), a);
        strcat(b, x);
        assert_memory_equal(a, b, sizeof(a));
    }
}

static void LCS0005_character_search(void **state)
{
    for (size_t i = 0; i < COUNT(samples); i++) {
        const char *x = samples[i];
        /* '\0' finds the terminator; values above 255 are cut to a char */
        for (int c = -300; c < 600; c += 1) {
            if (c > 2 && c < 250 && c % 11)
                continue;
            assert_int_equal(off(lc_strchr(x, c), x), off(strchr(x, c), x));
            assert_int_equal(off(lc_strrchr(x, c), x), off(strrchr(x, c), x));
        }
    }
}

static void LCS0006_substring_and_spans(void **state)
{
    static const char *const sets[] = {"", "a", "ab", " ,;", "\x80\xff", "abcdefghijklmnopqrstuvwxyz"};

    for (size_t i = 0; i < COUNT(samples); i++) {
        const char *x = samples[i];
        for (size_t j = 0; j < COUNT(samples); j++)
            assert_int_equal(off(lc_strstr(x, samples[j]), x), off(strstr(x, samples[j]), x));
        for (size_t k = 0; k < COUNT(sets); k++) {
            assert_int_equal(lc_strspn(x, sets[k]), strspn(x, sets[k]));
            assert_int_equal(lc_strcspn(x, sets[k]), strcspn(x, sets[k]));
            assert_int_equal(off(lc_strpbrk(x, sets[k]), x), off(strpbrk(x, sets[k]), x));
        }
    }
    const char *h = "aaaaab";
    assert_int_equal(off(lc_strstr(h, "aaab"), h), 2);
}

/* Tokenizes copies of s with both libraries and compares every token. */
static void same_tokens(const char *s, const char *delim)
{
    char a[64], b[64], *sa = NULL, *sb = NULL, *ta, *tb;

    strcpy(a, s);
    strcpy(b, s);
    ta = lc_strtok_r(a, delim, &sa);
    tb = strtok_r(b, delim, &sb);
    for (;;) {
        assert_int_equal(off(ta, a), off(tb, b));
        if (!ta)
            break;
        assert_string_equal(ta, tb);
        ta = lc_strtok_r(NULL, delim, &sa);
        tb = strtok_r(NULL, delim, &sb);
    }
    /* Past the end it keeps returning NULL. */
    assert_null(lc_strtok_r(NULL, delim, &sa));
    assert_memory_equal(a, b, strlen(s) + 1);
}

static void LCS0007_strtok(void **state)
{
    static const char *const delims[] = {",", ", ;", " ", "", "xyz"};
    char buf[32], *t;

    for (size_t i = 0; i < COUNT(samples); i++)
        for (size_t k = 0; k < COUNT(delims); k++)
            same_tokens(samples[i], delims[k]);
    same_tokens(",a,,b,", ",");
    same_tokens("a", ",");
    strcpy(buf, "one two  three");
    assert_string_equal(lc_strtok(buf, " "), "one");
    assert_string_equal(lc_strtok(NULL, " "), "two");
    t = lc_strtok(NULL, " ");
    assert_string_equal(t, "three");
    assert_null(lc_strtok(NULL, " "));
}

static void LCS0008_strdup_strndup(void **state)
{
    for (size_t i = 0; i < COUNT(samples); i++) {
        char *d = lc_strdup(samples[i]);
        assert_string_equal(d, samples[i]);
        free(d);                                /* glibc malloc'd it (the host's) */
        for (size_t n = 0; n < 8; n++) {
            char *e = lc_strndup(samples[i], n), *g = strndup(samples[i], n);
            assert_string_equal(e, g);
            free(e);
            free(g);
        }
    }
}

static void LCS0009_strerror(void **state)
{
    assert_string_equal(lc_strerror(0), "success");
    assert_string_equal(lc_strerror(LC_ENOMEM), "out of memory");
    assert_string_equal(lc_strerror(LC_ERANGE), "value out of range");
    assert_string_equal(lc_strerror(16), "buffer too small");
    assert_string_equal(lc_strerror(100), "argument out of domain");
    /* Unknown numbers read like glibc's */
    static const int unknown[] = {64, 99, 5000, -1, -2, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < COUNT(unknown); i++) {
        char want[64];
        snprintf(want, sizeof(want), "Unknown error %d", unknown[i]);
        assert_string_equal(lc_strerror(unknown[i]), want);
    }
    assert_string_equal(strerror(5000), "Unknown error 5000");      /* the format copied */
}

/* Random strings over {a, b, 0x80, 0xff}: every function against glibc. */
static void LCS0010_random_against_glibc(void **state)
{
    static const char alphabet[] = {'a', 'b', (char)0x80, (char)0xff};
    char x[24], y[24];

    rng_state = 0x5157;
    for (int iter = 0; iter < 20000; iter++) {
        size_t nx = rng() % 20, ny = rng() % 6;
        for (size_t i = 0; i < nx; i++)
            x[i] = alphabet[rng() % 4];
        for (size_t i = 0; i < ny; i++)
            y[i] = alphabet[rng() % 4];
        x[nx] = y[ny] = '\0';
        size_t n = rng() % 24;
        int c = (int)(rng() % 512) - 128;
        assert_int_equal(sgn(lc_strcmp(x, y)), sgn(strcmp(x, y)));
        assert_int_equal(sgn(lc_strncmp(x, y, n)), sgn(strncmp(x, y, n)));
        assert_int_equal(sgn(lc_memcmp(x, y, ny + 1 < nx + 1 ? ny + 1 : nx + 1)),
                         sgn(memcmp(x, y, ny + 1 < nx + 1 ? ny + 1 : nx + 1)));
        assert_int_equal(off(lc_strstr(x, y), x), off(strstr(x, y), x));
        assert_int_equal(lc_strspn(x, y), strspn(x, y));
        assert_int_equal(lc_strcspn(x, y), strcspn(x, y));
        assert_int_equal(off(lc_strpbrk(x, y), x), off(strpbrk(x, y), x));
        assert_int_equal(off(lc_strchr(x, c), x), off(strchr(x, c), x));
        assert_int_equal(off(lc_strrchr(x, c), x), off(strrchr(x, c), x));
        assert_int_equal(off(lc_memchr(x, c, nx), x), off(memchr(x, c, nx), x));
        same_tokens(x, y);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCS0001_memmove_both_directions),
        cmocka_unit_test(LCS0002_memcpy_memset_memcmp_memchr),
        cmocka_unit_test(LCS0003_length_and_compare),
        cmocka_unit_test(LCS0004_copy_and_concatenate),
        cmocka_unit_test(LCS0005_character_search),
        cmocka_unit_test(LCS0006_substring_and_spans),
        cmocka_unit_test(LCS0007_strtok),
        cmocka_unit_test(LCS0008_strdup_strndup),
        cmocka_unit_test(LCS0009_strerror),
        cmocka_unit_test(LCS0010_random_against_glibc),
    };

    return cmocka_run_group_tests_name("libc_string", tests, NULL, NULL);
}
