/*
 * Unit tests for the shell's line editor (user/vnodes/shell/ledit.c). A
 * model terminal applies the editor's output (backspace moves left, other
 * bytes overwrite and advance); after every key the screen must show the
 * line with the cursor where the editor thinks it is.
 */
#include "unit.h"

#include "user/vnodes/shell/ledit.h"

static struct led E;
static char screen[1024];
static size_t scur, swidth;

static int setup(void **state)
{
    memset(&E, 0x5a, sizeof(E));
    led_init(&E);
    memset(screen, ' ', sizeof(screen));
    scur = swidth = 0;
    return 0;
}

static void apply(const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '\b') {
            assert_true(scur > 0);
            scur--;
        } else if (b[i] == '\n') {
            memset(screen, ' ', sizeof(screen));
            scur = swidth = 0;
        } else {
            assert_true(b[i] >= 0x20 && b[i] < 0x7f);
            screen[scur++] = b[i];
            if (scur > swidth)
                swidth = scur;
        }
    }
}

static void check_screen(void)
{
    size_t w = swidth;

    while (w > 0 && screen[w - 1] == ' ')
        w--;
    size_t len = E.len;
    while (len > 0 && E.line[len - 1] == ' ')
        len--;
    assert_int_equal(w, len);
    assert_memory_equal(screen, E.line, len);
    assert_int_equal(scur, E.cur);
    assert_int_equal(strlen(E.line), E.len);
}

static enum led_result keys(const char *k, size_t n)
{
    enum led_result r = LED_MORE;
    char buf[4096];

    for (size_t i = 0; i < n; i++) {
        struct led_out o = {buf, 0, sizeof(buf)};
        r = led_input(&E, (unsigned char)k[i], &o);
        apply(buf, o.len);
        if (r == LED_MORE)
            check_screen();
    }
    return r;
}
#define KEYS(s) keys((s), sizeof(s) - 1)

/* The shell takes the line and prints a fresh prompt. */
static void new_prompt(void)
{
    led_reset(&E);
    memset(screen, ' ', sizeof(screen));
    scur = swidth = 0;
}

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"

static void LED0001_typing_and_enter(void **state)
{
    assert_int_equal(KEYS("echo hi"), LED_MORE);
    assert_int_equal(KEYS("\r"), LED_LINE);
    assert_string_equal(E.line, "echo hi");
    new_prompt();
    assert_int_equal(KEYS("\n"), LED_MORE);       /* the LF of CR LF: ignored */
    assert_int_equal(KEYS("x\n"), LED_LINE);      /* a lone LF ends a line */
    assert_string_equal(E.line, "x");
}

static void LED0002_insert_and_erase_in_the_middle(void **state)
{
    KEYS("ecoh" LEFT LEFT);
    KEYS("\x7f" "ch");                            /* "ecoh" -> "eoh" -> "echoh" */
    assert_string_equal(E.line, "echoh");
    assert_int_equal(E.cur, 3);
    KEYS(RIGHT "\x1b[3~");                        /* delete at the cursor */
    assert_string_equal(E.line, "echo");
    KEYS("\x01" "x" "\x05" "y");                  /* Ctrl-A, Ctrl-E */
    assert_string_equal(E.line, "xechoy");
    KEYS("\x1b[H" "\x1b[3~" "\x1b[F" "\b");
    assert_string_equal(E.line, "echo");
    KEYS(LEFT LEFT LEFT LEFT LEFT RIGHT RIGHT RIGHT RIGHT RIGHT RIGHT);
    assert_int_equal(E.cur, 4);
}

static void LED0003_history_up_down_and_draft(void **state)
{
    KEYS("one\r"); new_prompt();
    KEYS("two\r"); new_prompt();
    KEYS("two\r"); new_prompt();                  /* same as newest: kept once */
    KEYS("   \r"); new_prompt();                  /* blank: not kept */
    assert_int_equal(E.nhist, 2);
    KEYS("dra");
    KEYS(UP);
    assert_string_equal(E.line, "two");
    KEYS(UP);
    assert_string_equal(E.line, "one");
    KEYS(UP);                                     /* no older: stays */
    assert_string_equal(E.line, "one");
    KEYS(DOWN DOWN);
    assert_string_equal(E.line, "dra");
    KEYS(DOWN);
    assert_string_equal(E.line, "dra");
    KEYS(UP "!\r");
    assert_string_equal(E.line, "two!");
}

static void LED0004_ctrl_c_and_ignored_bytes(void **state)
{
    KEYS("abc");
    assert_int_equal(KEYS("\x03"), LED_CANCEL);
    assert_int_equal(E.len, 0);
    KEYS("a\x02\x1bZb\xff\x1b[Zc");               /* unknown keys do nothing */
    assert_string_equal(E.line, "abc");
}

static void LED0005_full_line_and_history_wrap(void **state)
{
    char line[LED_MAX + 20];

    memset(line, 'q', sizeof(line));
    keys(line, sizeof(line));
    assert_int_equal(E.len, LED_MAX);
    for (int i = 0; i < LED_HISTORY + 5; i++) {
        char cmd[16];
        new_prompt();
        int n = snprintf(cmd, sizeof(cmd), "c%d\r", i);
        keys(cmd, (size_t)n);
    }
    new_prompt();
    assert_int_equal(E.nhist, LED_HISTORY);
    for (int i = 0; i < LED_HISTORY + 3; i++)
        KEYS(UP);
    char want[16];
    snprintf(want, sizeof(want), "c%d", 5);       /* the oldest kept */
    assert_string_equal(E.line, want);
}

static void LED0006_random_keys_keep_screen_in_step(void **state)
{
    static const char *const k[] = {"a", "b", " ", "\x7f", "\b", LEFT, RIGHT, UP, DOWN,
                                    "\x01", "\x05", "\x1b[3~", "\x1b[H", "\x1b[F", "\r",
                                    "\x03", "\x1b", "["};
    rng_state = 7;
    for (int i = 0; i < 100000; i++) {
        const char *s = k[rng() % (sizeof(k) / sizeof(k[0]))];
        enum led_result r = keys(s, strlen(s));
        if (r != LED_MORE)
            new_prompt();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(LED0001_typing_and_enter, setup),
        cmocka_unit_test_setup(LED0002_insert_and_erase_in_the_middle, setup),
        cmocka_unit_test_setup(LED0003_history_up_down_and_draft, setup),
        cmocka_unit_test_setup(LED0004_ctrl_c_and_ignored_bytes, setup),
        cmocka_unit_test_setup(LED0005_full_line_and_history_wrap, setup),
        cmocka_unit_test_setup(LED0006_random_keys_keep_screen_in_step, setup),
    };
    return cmocka_run_group_tests_name("ledit", tests, NULL, NULL);
}
