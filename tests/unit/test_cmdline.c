/*
 * Unit tests for kernel/lib/cmdline.c: bare words and key=value pairs,
 * quoted values (closed and unterminated), empty values, keys that are
 * prefixes of other words or appear only inside values, tab and space
 * separators, empty and NULL command lines, and every cmdline_get result:
 * value length, AE_ERR_NOTFOUND and AE_ERR_TRUNCATED with the truncated,
 * NUL-terminated copy. Every command line is a heap copy of exactly
 * strlen + 1 bytes, so AddressSanitizer catches any read past its NUL.
 */
#include "unit.h"

#include "lib/cmdline.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Heap copies of the command lines of one test, freed by teardown. */
static char *owned[32];
static size_t nowned;

static const char *dup_exact(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    assert_non_null(p);
    assert_true(nowned < N(owned));
    memcpy(p, s, n);
    owned[nowned++] = p;
    return p;
}

static int teardown(void **state)
{
    while (nowned)
        free(owned[--nowned]);
    return 0;
}

/* cmdline_get into a roomy buffer, checked against want (NULL: the key is
 * absent or has no '='): the return value is the value's length. */
static void expect_get(const char *cmdline, const char *key, const char *want)
{
    char buf[300];
    int ret;

    memset(buf, 0x7e, sizeof(buf));
    ret = cmdline_get(cmdline, key, buf, sizeof(buf));
    if (!want) {
        assert_int_equal(ret, AE_ERR_NOTFOUND);
        return;
    }
    assert_int_equal(ret, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void CMDL0001_bare_words(void **state)
{
    const char *c = dup_exact("quiet debug_exit nosmp");

    assert_true(cmdline_has(c, "quiet"));
    assert_true(cmdline_has(c, "debug_exit"));
    assert_true(cmdline_has(c, "nosmp"));
    assert_false(cmdline_has(c, "loglevel"));
    /* A bare word has no value. */
    expect_get(c, "quiet", NULL);
    expect_get(c, "nosmp", NULL);
}

static void CMDL0002_key_value(void **state)
{
    const char *c = dup_exact("loglevel=7 console=ttyS0,115200 root=/dev/vda1");

    assert_true(cmdline_has(c, "loglevel"));
    assert_true(cmdline_has(c, "console"));
    assert_true(cmdline_has(c, "root"));
    expect_get(c, "loglevel", "7");
    expect_get(c, "console", "ttyS0,115200");
    expect_get(c, "root", "/dev/vda1");
    /* The whole word, value included, is not a key. */
    assert_false(cmdline_has(c, "loglevel=7"));
    assert_false(cmdline_has(c, "7"));
    assert_false(cmdline_has(c, "ttyS0,115200"));
}

static void CMDL0003_value_containing_equals(void **state)
{
    const char *c = dup_exact("init=/bin/sh opts=a=b=c");

    expect_get(c, "opts", "a=b=c");
    expect_get(c, "init", "/bin/sh");
    assert_false(cmdline_has(c, "a"));
    assert_false(cmdline_has(c, "b"));
}

static void CMDL0004_quoted_value_with_spaces(void **state)
{
    const char *c = dup_exact("a=1 title=\"Aether OS  test\" b=2 quiet");

    expect_get(c, "title", "Aether OS  test");
    /* Words after the quoted value still parse. */
    expect_get(c, "a", "1");
    expect_get(c, "b", "2");
    assert_true(cmdline_has(c, "quiet"));
    /* Words inside the quotes are part of the value, not keys. */
    assert_false(cmdline_has(c, "OS"));
    assert_false(cmdline_has(c, "test\""));
    assert_false(cmdline_has(c, "test"));
}

static void CMDL0005_quoted_value_with_tab_and_equals(void **state)
{
    const char *c = dup_exact("x=\"k=v\tw\" y");

    expect_get(c, "x", "k=v\tw");
    assert_true(cmdline_has(c, "y"));
    assert_false(cmdline_has(c, "k"));
    assert_false(cmdline_has(c, "w"));
}

static void CMDL0006_missing_closing_quote(void **state)
{
    /* The value runs to the end of the string, and nothing past its NUL
     * is read (the string is an exact-size heap copy). */
    const char *c = dup_exact("quiet msg=\"unterminated value here");

    expect_get(c, "msg", "unterminated value here");
    assert_true(cmdline_has(c, "quiet"));
    assert_false(cmdline_has(c, "value"));
    assert_false(cmdline_has(c, "here"));

    c = dup_exact("msg=\"");
    expect_get(c, "msg", "");
    assert_true(cmdline_has(c, "msg"));
}

static void CMDL0007_empty_value(void **state)
{
    const char *c = dup_exact("root= quiet empty=\"\" last=");

    /* key= has a value, of length 0: not the same as a bare word. */
    expect_get(c, "root", "");
    expect_get(c, "empty", "");
    expect_get(c, "last", "");
    assert_true(cmdline_has(c, "root"));
    assert_true(cmdline_has(c, "empty"));
    assert_true(cmdline_has(c, "last"));
    expect_get(c, "quiet", NULL);
}

static void CMDL0008_key_prefix_of_other_word(void **state)
{
    const char *c = dup_exact("debug_exit debugger=1 log=debug");

    assert_false(cmdline_has(c, "debug"));
    expect_get(c, "debug", NULL);
    assert_false(cmdline_has(c, "debug_e"));
    assert_false(cmdline_has(c, "debugger=1"));
    assert_true(cmdline_has(c, "debug_exit"));
    assert_true(cmdline_has(c, "debugger"));
    expect_get(c, "debugger", "1");

    /* The longer key does not match the shorter word either. */
    c = dup_exact("debug lvl=3");
    assert_true(cmdline_has(c, "debug"));
    assert_false(cmdline_has(c, "debug_exit"));
    assert_false(cmdline_has(c, "lvl=3"));
    assert_false(cmdline_has(c, "lv"));
    assert_false(cmdline_has(c, "lvl3"));
    expect_get(c, "lvl", "3");
    expect_get(c, "lv", NULL);
}

static void CMDL0009_tabs_separate_words(void **state)
{
    const char *c = dup_exact("\ta=1\tquiet\t \tb=two\t");

    expect_get(c, "a", "1");
    expect_get(c, "b", "two");
    assert_true(cmdline_has(c, "quiet"));
    assert_false(cmdline_has(c, "1"));
}

static void CMDL0010_leading_trailing_and_repeated_spaces(void **state)
{
    const char *c = dup_exact("   first   mid=x    last   ");

    assert_true(cmdline_has(c, "first"));
    assert_true(cmdline_has(c, "last"));
    expect_get(c, "mid", "x");
    assert_false(cmdline_has(c, ""));
    assert_false(cmdline_has(c, " "));
}

static void CMDL0011_empty_cmdline(void **state)
{
    const char *cl[] = { "", " ", "\t", "  \t  " };
    char buf[8] = "keep";

    for (size_t i = 0; i < N(cl); i++) {
        const char *c = dup_exact(cl[i]);

        assert_false(cmdline_has(c, "quiet"));
        assert_false(cmdline_has(c, ""));
        assert_int_equal(cmdline_get(c, "quiet", buf, sizeof(buf)),
                         AE_ERR_NOTFOUND);
        assert_string_equal(buf, "keep");
    }
}

static void CMDL0012_null_cmdline(void **state)
{
    char buf[8] = "keep";

    assert_false(cmdline_has(NULL, "quiet"));
    assert_int_equal(cmdline_get(NULL, "quiet", buf, sizeof(buf)),
                     AE_ERR_NOTFOUND);
    assert_string_equal(buf, "keep");
}

static void CMDL0013_get_returns_value_length(void **state)
{
    const char *c = dup_exact("a=x bb=xy ccc=\"x y z\" d=0123456789");
    char buf[16];

    assert_int_equal(cmdline_get(c, "a", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "x");
    assert_int_equal(cmdline_get(c, "bb", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "xy");
    assert_int_equal(cmdline_get(c, "ccc", buf, sizeof(buf)), 5);
    assert_string_equal(buf, "x y z");
    assert_int_equal(cmdline_get(c, "d", buf, sizeof(buf)), 10);
    assert_string_equal(buf, "0123456789");
}

static void CMDL0014_get_exact_fit(void **state)
{
    const char *c = dup_exact("v=hello");
    char *buf = malloc(6);      /* "hello" + NUL, nothing more */

    assert_non_null(buf);
    assert_int_equal(cmdline_get(c, "v", buf, 6), 5);
    assert_string_equal(buf, "hello");
    free(buf);
}

static void CMDL0015_get_truncates(void **state)
{
    const char *c = dup_exact("v=hello q=\"a b c d\"");
    static const char *const want[] = { "", "h", "he", "hel", "hell" };

    /* Each buffer is an exact-size heap block: a write past size would be
     * caught by AddressSanitizer. */
    for (size_t size = 1; size <= 5; size++) {
        char *buf = malloc(size);

        assert_non_null(buf);
        memset(buf, 0x7e, size);
        assert_int_equal(cmdline_get(c, "v", buf, size), AE_ERR_TRUNCATED);
        assert_string_equal(buf, want[size - 1]);
        free(buf);
    }
    {
        char buf[5];

        assert_int_equal(cmdline_get(c, "q", buf, sizeof(buf)),
                         AE_ERR_TRUNCATED);
        assert_string_equal(buf, "a b ");
    }
}

static void CMDL0016_get_size_zero(void **state)
{
    const char *c = dup_exact("v=hello e=");
    char buf[4] = "abc";

    assert_int_equal(cmdline_get(c, "v", buf, 0), AE_ERR_TRUNCATED);
    assert_string_equal(buf, "abc");
    /* Even an empty value needs a byte for its NUL. */
    assert_int_equal(cmdline_get(c, "e", buf, 0), AE_ERR_TRUNCATED);
    assert_string_equal(buf, "abc");
    /* Nothing is written, so no buffer is needed at all. */
    assert_int_equal(cmdline_get(c, "v", NULL, 0), AE_ERR_TRUNCATED);
    /* Absence is still reported first. */
    assert_int_equal(cmdline_get(c, "zz", NULL, 0), AE_ERR_NOTFOUND);
}

static void CMDL0017_get_absent_or_bare_key_notfound(void **state)
{
    const char *c = dup_exact("quiet level=3 nosmp");
    char buf[8] = "keep";

    assert_int_equal(cmdline_get(c, "absent", buf, sizeof(buf)),
                     AE_ERR_NOTFOUND);
    assert_string_equal(buf, "keep");
    assert_int_equal(cmdline_get(c, "quiet", buf, sizeof(buf)),
                     AE_ERR_NOTFOUND);
    assert_string_equal(buf, "keep");
    assert_int_equal(cmdline_get(c, "nosmp", buf, sizeof(buf)),
                     AE_ERR_NOTFOUND);
    assert_string_equal(buf, "keep");
    assert_int_equal(cmdline_get(c, "level", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "3");
}

static void CMDL0018_get_empty_value_size_one(void **state)
{
    const char *c = dup_exact("e= f=\"\"");
    char buf[1] = { 'x' };

    assert_int_equal(cmdline_get(c, "e", buf, 1), 0);
    assert_int_equal(buf[0], '\0');
    buf[0] = 'x';
    assert_int_equal(cmdline_get(c, "f", buf, 1), 0);
    assert_int_equal(buf[0], '\0');
}

static void CMDL0019_realistic_grub_line(void **state)
{
    const char *c = dup_exact("/boot/aether.elf loglevel=debug "
                              "test=\"smp boot\" debug_exit");
    char buf[32];

    assert_true(cmdline_has(c, "/boot/aether.elf"));
    assert_true(cmdline_has(c, "debug_exit"));
    assert_false(cmdline_has(c, "debug"));
    assert_int_equal(cmdline_get(c, "loglevel", buf, sizeof(buf)), 5);
    assert_string_equal(buf, "debug");
    assert_int_equal(cmdline_get(c, "test", buf, sizeof(buf)), 8);
    assert_string_equal(buf, "smp boot");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(CMDL0001_bare_words, teardown),
        cmocka_unit_test_teardown(CMDL0002_key_value, teardown),
        cmocka_unit_test_teardown(CMDL0003_value_containing_equals, teardown),
        cmocka_unit_test_teardown(CMDL0004_quoted_value_with_spaces, teardown),
        cmocka_unit_test_teardown(CMDL0005_quoted_value_with_tab_and_equals, teardown),
        cmocka_unit_test_teardown(CMDL0006_missing_closing_quote, teardown),
        cmocka_unit_test_teardown(CMDL0007_empty_value, teardown),
        cmocka_unit_test_teardown(CMDL0008_key_prefix_of_other_word, teardown),
        cmocka_unit_test_teardown(CMDL0009_tabs_separate_words, teardown),
        cmocka_unit_test_teardown(CMDL0010_leading_trailing_and_repeated_spaces, teardown),
        cmocka_unit_test_teardown(CMDL0011_empty_cmdline, teardown),
        cmocka_unit_test_teardown(CMDL0012_null_cmdline, teardown),
        cmocka_unit_test_teardown(CMDL0013_get_returns_value_length, teardown),
        cmocka_unit_test_teardown(CMDL0014_get_exact_fit, teardown),
        cmocka_unit_test_teardown(CMDL0015_get_truncates, teardown),
        cmocka_unit_test_teardown(CMDL0016_get_size_zero, teardown),
        cmocka_unit_test_teardown(CMDL0017_get_absent_or_bare_key_notfound, teardown),
        cmocka_unit_test_teardown(CMDL0018_get_empty_value_size_one, teardown),
        cmocka_unit_test_teardown(CMDL0019_realistic_grub_line, teardown),
    };

    return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
