/*
 * Unit tests for the C library's ctype.h: every class and case mapping of
 * EOF and 0..255 against glibc's C locale (where bytes above 127 are in no
 * class).
 */
#include "unit.h"

#include <ctype.h>
#include <locale.h>

#include "libc_host.h"

static void LCC0001_every_value_like_glibc_c_locale(void **state)
{
    setlocale(LC_ALL, "C");
    for (int c = -1; c <= 255; c++) {
#define SAME_CLASS(name) assert_int_equal(!!lc_##name(c), !!name(c));
        SAME_CLASS(isalnum) SAME_CLASS(isalpha) SAME_CLASS(iscntrl) SAME_CLASS(isdigit)
        SAME_CLASS(isgraph) SAME_CLASS(islower) SAME_CLASS(isprint) SAME_CLASS(ispunct)
        SAME_CLASS(isspace) SAME_CLASS(isupper) SAME_CLASS(isxdigit) SAME_CLASS(isblank)
#undef SAME_CLASS
        assert_int_equal(lc_tolower(c), tolower(c));
        assert_int_equal(lc_toupper(c), toupper(c));
    }
}

static void LCC0002_high_bytes_in_no_class(void **state)
{
    for (int c = 128; c <= 255; c++) {
#define NONE(name) assert_int_equal(lc_##name(c), 0);
        NONE(isalnum) NONE(isalpha) NONE(iscntrl) NONE(isdigit) NONE(isgraph) NONE(islower)
        NONE(isprint) NONE(ispunct) NONE(isspace) NONE(isupper) NONE(isxdigit) NONE(isblank)
#undef NONE
        assert_int_equal(lc_tolower(c), c);
        assert_int_equal(lc_toupper(c), c);
    }
    /* Out of range (UB in C): still in no class, never a crash. */
    assert_int_equal(lc_isalpha(-200), 0);
    assert_int_equal(lc_isalpha(100000), 0);
    assert_int_equal(lc_toupper(-5), -5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(LCC0001_every_value_like_glibc_c_locale),
        cmocka_unit_test(LCC0002_high_bytes_in_no_class),
    };

    return cmocka_run_group_tests_name("libc_ctype", tests, NULL, NULL);
}
