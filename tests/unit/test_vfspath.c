/* Unit tests for the file service's path splitting (user/vnodes/vfs/path.c). */
#include "unit.h"

#include "user/vnodes/vfs/path.h"

static struct path P;

static void VPATH0001_split_and_normalise(void **state)
{
    assert_int_equal(path_split("/", 256, &P), 0);
    assert_int_equal(P.n, 0);
    assert_int_equal(path_split("//boot///shell/./manifest/", 256, &P), 0);
    assert_int_equal(P.n, 3);
    assert_true(path_is(&P, 0, "boot"));
    assert_true(path_is(&P, 1, "shell"));
    assert_true(path_is(&P, 2, "manifest"));
    assert_false(path_is(&P, 2, "manifes"));
    assert_false(path_is(&P, 1, "shells"));
    assert_false(path_is(&P, 3, "x"));
}

static void VPATH0002_refused(void **state)
{
    char deep[200], longname[80];

    assert_int_equal(path_split("boot", 256, &P), -1);
    assert_int_equal(path_split("", 256, &P), -1);
    assert_int_equal(path_split("/boot/../sys", 256, &P), -1);
    assert_int_equal(path_split("/a b", 256, &P), -1);
    assert_int_equal(path_split("/a\tb", 256, &P), -1);
    assert_int_equal(path_split("/a\x7f", 256, &P), -1);
    assert_int_equal(path_split("/\xc3\xa9", 256, &P), -1);
    strcpy(deep, "");
    for (int i = 0; i <= PATH_MAX_PARTS; i++)
        strcat(deep, "/d");
    assert_int_equal(path_split(deep, 256, &P), -1);
    longname[0] = '/';
    memset(longname + 1, 'n', PATH_NAME_MAX + 1);
    longname[PATH_NAME_MAX + 2] = 0;
    assert_int_equal(path_split(longname, 256, &P), -1);
    longname[PATH_NAME_MAX + 1] = 0;                /* exactly the limit */
    assert_int_equal(path_split(longname, 256, &P), 0);
    assert_int_equal(path_split("/abcdef", 4, &P), -1);   /* beyond maxlen */
}

static void VPATH0003_random_never_crash(void **state)
{
    static const char alphabet[] = "/./a.b";
    char s[64];

    rng_state = 3;
    for (int r = 0; r < 100000; r++) {
        size_t n = rng() % (sizeof(s) - 1);
        for (size_t i = 0; i < n; i++)
            s[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
        s[n] = 0;
        if (path_split(s, sizeof(s), &P) == 0)
            for (int i = 0; i < P.n; i++) {
                assert_true(P.len[i] >= 1 && P.len[i] <= PATH_NAME_MAX);
                assert_false(P.len[i] == 1 && P.part[i][0] == '.');
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(VPATH0001_split_and_normalise),
        cmocka_unit_test(VPATH0002_refused),
        cmocka_unit_test(VPATH0003_random_never_crash),
    };
    return cmocka_run_group_tests_name("vfspath", tests, NULL, NULL);
}
