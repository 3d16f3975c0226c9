/*
 * Unit tests for the C library's getopt against glibc's in POSIX mode
 * (optstring prefixed with '+': no permutation): every return value,
 * optarg, optind and optopt along each argument vector; then the error
 * messages and rescanning.
 */
#include "unit.h"

#include <getopt.h>

#include "libc_host.h"

#define MAX_ARGS 12

struct scan_step {
    int ret, optind, optopt;
    const char *optarg;
};

/* glibc's optopt for a byte above 127 is negative (a plain char); ours is
 * 128..255, like the value getc would give: compared as unsigned char. */

/* Runs one getopt over argv (NULL-terminated) to the end, recording each
 * step; the library's state is reset first. */
static int scan(bool ours, const char *const *args, const char *optstring, struct scan_step *steps)
{
    char *argv[MAX_ARGS + 1];
    char posix[64];
    int argc = 0, n = 0;

    while (args[argc]) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    snprintf(posix, sizeof(posix), "+%s", optstring);
    for (;;) {
        struct scan_step *s = &steps[n++];
        if (ours) {
            s->ret = lc_getopt(argc, argv, optstring);
            s->optind = lc_optind;
            s->optopt = lc_optopt;
            s->optarg = s->ret == -1 ? NULL : lc_optarg;
        } else {
            s->ret = getopt(argc, argv, posix);
            s->optind = optind;
            s->optopt = optopt;
            s->optarg = s->ret == -1 ? NULL : optarg;
        }
        if (s->ret == -1 || n == 40)
            return n;
    }
}

static void same_scan(const char *optstring, const char *const *args)
{
    struct scan_step mine[40], theirs[40];

    lc_optind = 0;
    lc_opterr = 0;
    optind = 0;
    opterr = 0;
    int nm = scan(true, args, optstring, mine);
    int nt = scan(false, args, optstring, theirs);
    for (int i = 0; i < nm && i < nt; i++) {
        if (mine[i].ret != theirs[i].ret || mine[i].optind != theirs[i].optind ||
            ((mine[i].ret == '?' || mine[i].ret == ':') &&
             mine[i].optopt != (unsigned char)theirs[i].optopt) ||
            mine[i].optarg != theirs[i].optarg) {
            print_error("optstring \"%s\", step %d: glibc ret %d optind %d optopt %d optarg %s;"
                        " libc ret %d optind %d optopt %d optarg %s\n", optstring, i,
                        theirs[i].ret, theirs[i].optind, theirs[i].optopt,
                        theirs[i].optarg ? theirs[i].optarg : "NULL", mine[i].ret,
                        mine[i].optind, mine[i].optopt, mine[i].optarg ? mine[i].optarg : "NULL");
            fail();
        }
    }
    assert_int_equal(nm, nt);
}

#define ARGS(...) ((const char *const[]){"prog", __VA_ARGS__, NULL})

static void LCG0001_sequences_like_glibc(void **state)
{
    static const char *const optstrings[] = {"ab", "abc:", ":abc:", "a:b:", "abc::", ":c::x"};
    const char *const *vectors[] = {
        ARGS("-a"), ARGS("-a", "-b"), ARGS("-ab"), ARGS("-ba", "file"), ARGS("-cfoo"),
        ARGS("-c", "foo"), ARGS("-c"), ARGS("-a", "-c"), ARGS("-x"), ARGS("-ax", "-b"),
        ARGS("--"), ARGS("-a", "--", "-b"), ARGS("-"), ARGS("-a", "-", "-b"), ARGS("file", "-a"),
        ARGS("-a", "file", "-b"), ARGS("-:"), ARGS("-a:"), ARGS("-c", "-a"), ARGS("-abcfoo", "-b"),
        ARGS("-c", "--"), ARGS("-bc"), ARGS("-a", "-b", "-c", "x", "-a", "y"), ARGS(""),
        ARGS("-c", ""), ARGS("-a", "-a", "-a", "-a", "-a"), ARGS("-\xff"),
    };

    for (size_t o = 0; o < sizeof(optstrings) / sizeof(optstrings[0]); o++)
        for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++)
            same_scan(optstrings[o], vectors[v]);
    same_scan("ab", (const char *const[]){"prog", NULL});
}

static void LCG0002_messages(void **state)
{
    char *argv[] = {"tool", "-x", "-c", NULL};

    lc_libc_streams_reset();
    lc_log_clear();
    lc_optind = 0;
    lc_opterr = 1;
    assert_int_equal(lc_getopt(3, argv, "c:"), '?');
    assert_int_equal(lc_optopt, 'x');
    assert_int_equal(lc_getopt(3, argv, "c:"), '?');
    assert_int_equal(lc_optopt, 'c');
    assert_int_equal(lc_getopt(3, argv, "c:"), -1);
    /* stderr writes each message whole: one sink call each */
    assert_string_equal(lc_log.text, "tool: invalid option -- 'x'\n|"
                                     "tool: option requires an argument -- 'c'\n|");
    /* ':' first: silent, and a missing argument is ':' */
    lc_log_clear();
    lc_optind = 1;
    assert_int_equal(lc_getopt(3, argv, ":c:"), '?');
    assert_int_equal(lc_getopt(3, argv, ":c:"), ':');
    assert_int_equal(lc_log.calls, 0);
    /* opterr = 0: silent too, but still '?' */
    lc_optind = 1;
    lc_opterr = 0;
    assert_int_equal(lc_getopt(3, argv, "c:"), '?');
    assert_int_equal(lc_getopt(3, argv, "c:"), '?');
    assert_int_equal(lc_log.calls, 0);
}

static void LCG0003_rescan_with_optind_one(void **state)
{
    char *argv[] = {"prog", "-ab", "-c", "v", "rest", NULL};

    for (int round = 0; round < 3; round++) {
        lc_optind = 1;
        assert_int_equal(lc_getopt(5, argv, "abc:"), 'a');
        assert_int_equal(lc_getopt(5, argv, "abc:"), 'b');
        assert_int_equal(lc_getopt(5, argv, "abc:"), 'c');
        assert_string_equal(lc_optarg, "v");
        assert_int_equal(lc_getopt(5, argv, "abc:"), -1);
        assert_int_equal(lc_optind, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCG0001_sequences_like_glibc),
        cmocka_unit_test(LCG0002_messages),
        cmocka_unit_test(LCG0003_rescan_with_optind_one),
    };

    return cmocka_run_group_tests_name("libc_getopt", tests, NULL, NULL);
}
