/*
 * Unit tests for the console's line discipline (user/vnodes/console/ldisc.c):
 * cooked editing and echo, CR/LF folding, raw mode, whole-line delivery and
 * overflow that drops input instead of overwriting it.
 */
#include "unit.h"

#include "user/vnodes/console/ldisc.h"

static struct ldisc l;

static int setup(void **state)
{
    memset(&l, 0x5a, sizeof(l));
    ldisc_init(&l);
    return 0;
}

/* Feeds s; returns everything echoed, NUL-terminated, in a static buffer. */
static const char *feed(const char *s, size_t n)
{
    static char out[65536];
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        char e[LDISC_ECHO_MAX];
        size_t k = ldisc_input(&l, (uint8_t)s[i], e);
        assert_true(k <= LDISC_ECHO_MAX);
        memcpy(out + o, e, k);
        o += k;
    }
    out[o] = 0;
    return out;
}
#define FEED(s) feed((s), sizeof(s) - 1)

static const char *take(void)
{
    static char in[LDISC_RING + 1];
    size_t n = ldisc_read(&l, in, LDISC_RING);
    in[n] = 0;
    return in;
}

static void LDISC0001_cooked_line_and_echo(void **state)
{
    assert_string_equal(FEED("ls -l"), "ls -l");
    assert_int_equal(ldisc_readable(&l), 0);        /* not before Enter */
    assert_string_equal(FEED("\r"), "\r\n");
    assert_string_equal(take(), "ls -l\n");
    assert_int_equal(ldisc_readable(&l), 0);
}

static void LDISC0002_crlf_lf_and_cr(void **state)
{
    FEED("a\r\nb\nc\r\r");
    assert_string_equal(take(), "a\nb\nc\n\n");     /* CR LF is one Enter, CR CR two */
    ldisc_set_raw(&l, 1);
    FEED("x\r\ny\rz\n");
    assert_string_equal(take(), "x\ny\nz\n");
}

static void LDISC0003_backspace_and_del(void **state)
{
    assert_string_equal(FEED("abc\b"), "abc\b \b");
    assert_string_equal(FEED("\x7f"), "\b \b");
    assert_string_equal(FEED("\b\b\b"), "\b \b");   /* only 'a' was left */
    FEED("z\r");
    assert_string_equal(take(), "z\n");
}

static void LDISC0004_ctrl_c_and_ctrl_u_abandon(void **state)
{
    assert_string_equal(FEED("rm x\x03"), "rm x^C\r\n");
    assert_string_equal(FEED("ab\x15"), "ab^U\r\n");
    FEED("ok\r");
    assert_string_equal(take(), "ok\n");
}

static void LDISC0005_control_and_high_bytes_ignored_when_cooked(void **state)
{
    assert_string_equal(FEED("a\x01\x1b[A\xff" "b"), "a[Ab");
    FEED("\r");
    assert_string_equal(take(), "a[Ab\n");
}

static void LDISC0006_raw_every_byte_no_echo(void **state)
{
    ldisc_set_raw(&l, 1);
    assert_string_equal(FEED("q\x1b[A\x7f\x03"), "");
    assert_int_equal(ldisc_readable(&l), 6);
    assert_memory_equal(take(), "q\x1b[A\x7f\x03", 6);
}

static void LDISC0007_long_line_is_capped(void **state)
{
    char buf[LDISC_LINE_MAX + 50];

    memset(buf, 'x', sizeof(buf));
    feed(buf, sizeof(buf));
    FEED("\r");
    assert_int_equal(ldisc_readable(&l), LDISC_LINE_MAX);   /* 255 x + '\n' */
    assert_int_equal(l.dropped, sizeof(buf) - (LDISC_LINE_MAX - 1));
}

static void LDISC0008_full_ring_drops_whole_lines(void **state)
{
    char line[101];
    size_t lines = 0;

    memset(line, 'y', 100);
    line[100] = '\r';
    while (ldisc_readable(&l) + 101 <= LDISC_RING) {
        feed(line, sizeof(line));
        lines++;
    }
    size_t before = ldisc_readable(&l);
    feed(line, sizeof(line));                   /* does not fit: dropped whole */
    assert_int_equal(ldisc_readable(&l), before);
    assert_int_equal(l.dropped, 101);
    assert_int_equal(before, lines * 101);
    char out[101];
    assert_int_equal(ldisc_read(&l, out, 101), 101);   /* the first line intact */
    assert_memory_equal(out, line, 100);
    assert_int_equal(out[100], '\n');
}

static void LDISC0009_raw_overflow_keeps_oldest(void **state)
{
    ldisc_set_raw(&l, 1);
    for (int i = 0; i < LDISC_RING + 10; i++) {
        char e[LDISC_ECHO_MAX];
        ldisc_input(&l, (uint8_t)('a' + i % 26), e);
    }
    assert_int_equal(ldisc_readable(&l), LDISC_RING);
    assert_int_equal(l.dropped, 10);
    char c;
    assert_int_equal(ldisc_read(&l, &c, 1), 1);
    assert_int_equal(c, 'a');
}

static void LDISC0010_partial_reads_wrap(void **state)
{
    ldisc_set_raw(&l, 1);
    for (int round = 0; round < 3000; round++) {
        char in[7], out[7];
        for (int i = 0; i < 7; i++)
            in[i] = (char)(' ' + (round * 7 + i) % 90);
        feed(in, 7);
        assert_int_equal(ldisc_read(&l, out, 3), 3);
        assert_int_equal(ldisc_read(&l, out + 3, 10), 4);
        assert_memory_equal(in, out, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(LDISC0001_cooked_line_and_echo, setup),
        cmocka_unit_test_setup(LDISC0002_crlf_lf_and_cr, setup),
        cmocka_unit_test_setup(LDISC0003_backspace_and_del, setup),
        cmocka_unit_test_setup(LDISC0004_ctrl_c_and_ctrl_u_abandon, setup),
        cmocka_unit_test_setup(LDISC0005_control_and_high_bytes_ignored_when_cooked, setup),
        cmocka_unit_test_setup(LDISC0006_raw_every_byte_no_echo, setup),
        cmocka_unit_test_setup(LDISC0007_long_line_is_capped, setup),
        cmocka_unit_test_setup(LDISC0008_full_ring_drops_whole_lines, setup),
        cmocka_unit_test_setup(LDISC0009_raw_overflow_keeps_oldest, setup),
        cmocka_unit_test_setup(LDISC0010_partial_reads_wrap, setup),
    };
    return cmocka_run_group_tests_name("ldisc", tests, NULL, NULL);
}
