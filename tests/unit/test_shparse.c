/*
 * Unit tests for the shell's parser (user/vnodes/shell/parse.c): words,
 * quotes and escapes, $?, pipes and connectors, syntax errors, limits, and
 * random lines that must never crash.
 */
#include "unit.h"

#include "user/vnodes/shell/parse.h"

static struct sh_line L;
static char err[128];

static void ok(const char *line, int status)
{
    memset(&L, 0x5a, sizeof(L));
    err[0] = 0;
    if (sh_parse(line, status, &L, err, sizeof(err)) != 0)
        fail_msg("'%s' refused: %s", line, err);
}

static void bad(const char *line, const char *why)
{
    assert_int_equal(sh_parse(line, 0, &L, err, sizeof(err)), -1);
    assert_string_equal(err, why);
}

static void argv_is(int cmd, const char *const *want)
{
    int n = 0;

    while (want[n])
        n++;
    assert_int_equal(L.cmds[cmd].argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(L.cmds[cmd].argv[i], want[i]);
    assert_null(L.cmds[cmd].argv[n]);
}
#define ARGV(cmd, ...) argv_is(cmd, (const char *const[]){__VA_ARGS__, NULL})

static void SHP0001_words_and_blanks(void **state)
{
    ok("  echo   hello\tworld  ", 0);
    assert_int_equal(L.npipelines, 1);
    assert_int_equal(L.ncmds, 1);
    ARGV(0, "echo", "hello", "world");
    ok("", 0);
    assert_int_equal(L.npipelines, 0);
    ok("   \t ", 0);
    assert_int_equal(L.ncmds, 0);
}

static void SHP0002_quotes_and_escapes(void **state)
{
    ok("echo 'a  b' \"c $? \\\"d\\\\\" e\\ f '' \"\"", 7);
    ARGV(0, "echo", "a  b", "c 7 \"d\\", "e f", "", "");
    ok("echo \"a\"'b'c x'|'y", 0);
    ARGV(0, "echo", "abc", "x|y");
    ok("echo '$?' \"\\$?\" \\$? $? x$?y", -11);
    ARGV(0, "echo", "$?", "$?", "$?", "-11", "x-11y");
    ok("echo \"\\n\"", 0);                       /* only \" \\ \$ escape */
    ARGV(0, "echo", "\\n");
}

static void SHP0003_pipes_and_connectors(void **state)
{
    ok("ps | grep a | wc; echo x && echo y || echo z;", 0);
    assert_int_equal(L.npipelines, 4);
    assert_int_equal(L.ncmds, 6);
    assert_int_equal(L.pipelines[0].conn, SH_ALWAYS);
    assert_int_equal(L.pipelines[0].first, 0);
    assert_int_equal(L.pipelines[0].ncmds, 3);
    ARGV(1, "grep", "a");
    assert_int_equal(L.pipelines[1].conn, SH_ALWAYS);
    assert_int_equal(L.pipelines[2].conn, SH_IF_OK);
    assert_int_equal(L.pipelines[3].conn, SH_IF_FAILED);
    assert_int_equal(L.pipelines[3].first, 5);
    ARGV(5, "echo", "z");
    ok("a|b&&c||d", 0);
    assert_int_equal(L.npipelines, 3);
    assert_int_equal(L.pipelines[0].ncmds, 2);
}

static void SHP0004_syntax_errors(void **state)
{
    bad("| ls", "syntax error near '|'");
    bad("ls |", "syntax error near end of line");
    bad("ls && ", "syntax error near end of line");
    bad("ls || || x", "syntax error near '||'");
    bad("; ls", "syntax error near ';'");
    bad("ls ;; x", "syntax error near ';'");
    bad("ls | | x", "syntax error near '|'");
    bad("echo 'abc", "unterminated quote");
    bad("echo \"abc", "unterminated quote");
    bad("echo abc\\", "backslash at end of line");
    bad("sleep 1 &", "'&' alone is not supported (no background jobs)");
}

static void SHP0005_limits(void **state)
{
    char line[4096];
    size_t n = 0;

    for (int i = 0; i <= SH_MAX_ARGS; i++)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "a%d ", i);
    bad(line, "too many arguments");
    n = 0;
    for (int i = 0; i <= SH_MAX_CMDS; i++)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "c | ");
    n += (size_t)snprintf(line + n, sizeof(line) - n, "c");
    bad(line, "too many commands");
    memset(line, 'x', SH_ARENA + 10);
    line[SH_ARENA + 10] = 0;
    bad(line, "line too long");
    memset(line, 'x', SH_ARENA - 1);            /* just fits with its NUL */
    line[SH_ARENA - 1] = 0;
    ok(line, 0);
    assert_int_equal(strlen(L.cmds[0].argv[0]), SH_ARENA - 1);
}

static void SHP0006_random_lines_never_crash(void **state)
{
    static const char alphabet[] = "ab |&;'\"\\$? \t";
    char line[200];

    rng_state = 42;
    for (int round = 0; round < 200000; round++) {
        size_t n = rng() % (sizeof(line) - 1);
        for (size_t i = 0; i < n; i++)
            line[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
        line[n] = 0;
        if (sh_parse(line, (int)(rng() % 300) - 150, &L, err, sizeof(err)) == 0) {
            assert_true(L.npipelines <= SH_MAX_PIPELINES && L.ncmds <= SH_MAX_CMDS);
            for (int p = 0; p < L.npipelines; p++)
                assert_true(L.pipelines[p].ncmds >= 1);
            for (int c = 0; c < L.ncmds; c++)
                assert_true(L.cmds[c].argc >= 1 && L.cmds[c].argv[L.cmds[c].argc] == NULL);
        } else {
            assert_true(err[0] != 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(SHP0001_words_and_blanks),
        cmocka_unit_test(SHP0002_quotes_and_escapes),
        cmocka_unit_test(SHP0003_pipes_and_connectors),
        cmocka_unit_test(SHP0004_syntax_errors),
        cmocka_unit_test(SHP0005_limits),
        cmocka_unit_test(SHP0006_random_lines_never_crash),
    };
    return cmocka_run_group_tests_name("shparse", tests, NULL, NULL);
}
