/*
 * Unit tests for the C library's standard streams (user/libc/stdio/
 * stream.c): buffering modes and where each write goes (the default sink
 * stands for the kernel log and records each call), the stdout/stderr/stdin
 * hooks, errors from a sink, and reading.
 */
#include "unit.h"

#include "libc_host.h"

static int setup(void **state)
{
    lc_libc_streams_reset();
    lc_log_clear();
    return 0;
}

static void LCIO0001_stdout_is_line_buffered(void **state)
{
    assert_int_equal(lc_printf("abc"), 3);
    assert_int_equal(lc_log.calls, 0);
    assert_int_equal(lc_printf("def %d\n", 42), 7);
    assert_string_equal(lc_log.text, "abcdef 42\n|");
    lc_log_clear();
    /* one call, several lines: a write per line, the tail stays */
    lc_printf("one\ntwo\nthr");
    assert_string_equal(lc_log.text, "one\n|two\n|");
    assert_int_equal(lc_fflush(lc_stdout), 0);
    assert_string_equal(lc_log.text, "one\n|two\n|thr|");
    assert_int_equal(lc_fflush(lc_stdout), 0);      /* nothing left: no write */
    assert_int_equal(lc_log.calls, 3);
}

static void LCIO0002_full_buffer_is_written(void **state)
{
    char line[1300];

    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    assert_int_equal(lc_fputs(line, lc_stdout), 0);
    assert_int_equal(lc_log.calls, 2);              /* 512 + 512 out, 275 held */
    assert_int_equal(lc_log.len, 1024 + 2);
    lc_fflush(NULL);
    assert_int_equal(lc_log.calls, 3);
    assert_int_equal(lc_log.len, 1299 + 3);
}

static void LCIO0003_stderr_writes_each_call_whole(void **state)
{
    assert_int_equal(lc_fprintf(lc_stderr, "err %s", "one"), 7);
    assert_int_equal(lc_fprintf(lc_stderr, "two\nthree\n"), 10);
    assert_int_equal(lc_fputc('!', lc_stderr), '!');
    assert_string_equal(lc_log.text, "err one|two\nthree\n|!|");
}

static void LCIO0004_put_functions(void **state)
{
    assert_int_equal(lc_putchar('a'), 'a');
    assert_int_equal(lc_putchar(0x1ff), 0xff);      /* converted to unsigned char */
    assert_true(lc_puts("bc") >= 0);
    assert_int_equal(lc_fwrite("xyz\n", 2, 2, lc_stdout), 2);
    assert_int_equal(lc_fwrite("q", 0, 5, lc_stdout), 0);
    assert_string_equal(lc_log.text, "a\xff" "bc\n|xyz\n|");
    assert_int_equal(lc_fputs("", lc_stdout), 0);
}

/* A sink that takes at most 3 bytes a call, or fails when told to. */
static char hooked[256];
static size_t hooked_len;
static int hook_fails;

static ssize_t short_writer(const void *buf, size_t len)
{
    if (hook_fails)
        return -1;
    if (len > 3)
        len = 3;
    memcpy(hooked + hooked_len, buf, len);
    hooked_len += len;
    hooked[hooked_len] = '\0';
    return (ssize_t)len;
}

static void LCIO0005_hooks_and_short_writes(void **state)
{
    hooked_len = 0;
    hook_fails = 0;
    lc_printf("before");                        /* pending when the hook changes */
    lc_libc_set_stdout(short_writer);
    assert_string_equal(lc_log.text, "before|");  /* went the old way */
    lc_printf("after %s\n", "hook");
    assert_string_equal(hooked, "after hook\n");
    lc_libc_set_stderr(short_writer);
    lc_fprintf(lc_stderr, "E");
    assert_string_equal(hooked, "after hook\nE");
    lc_libc_set_stdout(NULL);                   /* back to the default */
    lc_libc_set_stderr(NULL);
    lc_puts("default");
    assert_string_equal(lc_log.text, "before|default\n|");
}

static void LCIO0006_sink_errors(void **state)
{
    hook_fails = 1;
    lc_libc_set_stdout(short_writer);
    assert_int_equal(lc_printf("x\n"), -1);
    assert_true(lc_ferror(lc_stdout));
    assert_int_equal(lc_putchar('\n'), -1);
    assert_int_equal(lc_puts("y"), -1);
    lc_clearerr(lc_stdout);
    assert_false(lc_ferror(lc_stdout));
    hook_fails = 0;
    assert_int_equal(lc_printf("ok\n"), 3);
    assert_false(lc_ferror(lc_stdout));
    lc_libc_set_stdout(NULL);
}

static void LCIO0007_stdin_default_is_end_of_file(void **state)
{
    char buf[8];

    assert_int_equal(lc_getchar(), -1);
    assert_true(lc_feof(lc_stdin));
    assert_null(lc_fgets(buf, sizeof(buf), lc_stdin));
    assert_int_equal(lc_fprintf(lc_stdin, "no"), -1);       /* not an output stream */
    assert_true(lc_ferror(lc_stdin));
}

/* Input arrives in pieces of at most 4 bytes. */
static const char *input;

static ssize_t piecewise_reader(void *buf, size_t len)
{
    size_t n = strlen(input);

    if (n > 4)
        n = 4;
    if (n > len)
        n = len;
    memcpy(buf, input, n);
    input += n;
    return (ssize_t)n;
}

static void LCIO0008_reading_through_the_hook(void **state)
{
    char buf[16];
    char raw[4];

    input = "first line\nsecond\nlast";
    lc_libc_set_stdin(piecewise_reader);
    lc_printf("prompt> ");                      /* flushed before stdin waits */
    assert_int_equal(lc_getchar(), 'f');
    assert_string_equal(lc_log.text, "prompt> |");
    assert_int_equal(lc_ungetc('F', lc_stdin), 'F');
    assert_int_equal(lc_ungetc('G', lc_stdin), -1);         /* one byte of push-back */
    assert_string_equal(lc_fgets(buf, sizeof(buf), lc_stdin), "First line\n");
    assert_string_equal(lc_fgets(buf, 4, lc_stdin), "sec");
    assert_string_equal(lc_fgets(buf, sizeof(buf), lc_stdin), "ond\n");
    assert_int_equal(lc_fread(raw, 1, 4, lc_stdin), 4);
    assert_memory_equal(raw, "last", 4);
    assert_int_equal(lc_fgetc(lc_stdin), -1);
    assert_true(lc_feof(lc_stdin));
    input = "more";                             /* end of file is sticky (C11) */
    assert_int_equal(lc_fgetc(lc_stdin), -1);
    lc_clearerr(lc_stdin);
    assert_int_equal(lc_fgetc(lc_stdin), 'm');
    lc_libc_set_stdin(NULL);
    assert_int_equal(lc_getchar(), -1);
}

static void LCIO0009_setvbuf_and_perror(void **state)
{
    assert_int_equal(lc_setvbuf(lc_stdout, NULL, _IONBF, 0), 0);
    lc_printf("a");
    lc_printf("b\nc");
    assert_string_equal(lc_log.text, "a|b\nc|");
    assert_int_equal(lc_setvbuf(lc_stdout, NULL, 42, 0), -1);
    lc_setvbuf(lc_stdout, NULL, _IOFBF, 0);
    lc_printf("x\ny\n");
    assert_string_equal(lc_log.text, "a|b\nc|");
    lc_fflush(lc_stdout);
    assert_string_equal(lc_log.text, "a|b\nc|x\ny\n|");
    lc_log_clear();
    lc_errno = LC_ENOMEM;
    lc_perror("alloc");
    lc_perror(NULL);
    assert_string_equal(lc_log.text, "alloc: out of memory\n|out of memory\n|");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(LCIO0001_stdout_is_line_buffered, setup),
        cmocka_unit_test_setup(LCIO0002_full_buffer_is_written, setup),
        cmocka_unit_test_setup(LCIO0003_stderr_writes_each_call_whole, setup),
        cmocka_unit_test_setup(LCIO0004_put_functions, setup),
        cmocka_unit_test_setup(LCIO0005_hooks_and_short_writes, setup),
        cmocka_unit_test_setup(LCIO0006_sink_errors, setup),
        cmocka_unit_test_setup(LCIO0007_stdin_default_is_end_of_file, setup),
        cmocka_unit_test_setup(LCIO0008_reading_through_the_hook, setup),
        cmocka_unit_test_setup(LCIO0009_setvbuf_and_perror, setup),
    };

    return cmocka_run_group_tests_name("libc_stdio", tests, NULL, NULL);
}
