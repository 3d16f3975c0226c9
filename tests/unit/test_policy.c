/*
 * Unit tests for init's supervision policy (user/init/policy.c): each
 * restart policy, exponential backoff and its cap, the limit of restarts
 * in a row, and the reset after a healthy run.
 */
#include "unit.h"

#include "user/init/policy.h"

#define MS (1000ull * 1000)

static void POL0001_never_and_on_failure(void **state)
{
    struct policy never = {RESTART_NEVER, 5, 100 * MS};
    struct policy onfail = {RESTART_ON_FAILURE, 5, 100 * MS};
    struct policy_state st = {0};
    uint64_t d = 99;

    assert_int_equal(policy_on_exit(&never, &st, true, 0, &d), POLICY_DONE);
    assert_int_equal(d, 0);
    assert_int_equal(policy_on_exit(&onfail, &st, false, 0, &d), POLICY_DONE);
    assert_int_equal(st.restarts, 0);
    assert_int_equal(policy_on_exit(&onfail, &st, true, 0, &d), POLICY_RESTART);
    assert_int_equal(d, 100 * MS);
    assert_int_equal(st.restarts, 1);
}

static void POL0002_always_restarts_clean_exits(void **state)
{
    struct policy always = {RESTART_ALWAYS, 5, 10 * MS};
    struct policy_state st = {0};
    uint64_t d;

    assert_int_equal(policy_on_exit(&always, &st, false, 0, &d), POLICY_RESTART);
    assert_int_equal(d, 10 * MS);
}

static void POL0003_backoff_doubles_to_the_cap_then_fails(void **state)
{
    struct policy p = {RESTART_ALWAYS, 9, 100 * MS};
    struct policy_state st = {0};
    static const uint64_t want[] = {1, 2, 4, 8, 16, 32, 64, 64, 64};
    uint64_t d;

    for (unsigned i = 0; i < 9; i++) {
        assert_int_equal(policy_on_exit(&p, &st, true, MS, &d), POLICY_RESTART);
        assert_int_equal(d, want[i] * 100 * MS);
    }
    assert_int_equal(policy_on_exit(&p, &st, true, MS, &d), POLICY_FAILED);
    assert_int_equal(st.restarts, 9);
    assert_int_equal(policy_on_exit(&p, &st, true, MS, &d), POLICY_FAILED);
}

static void POL0004_a_healthy_run_resets_the_count(void **state)
{
    struct policy p = {RESTART_ON_FAILURE, 2, 50 * MS};
    struct policy_state st = {0};
    uint64_t d;

    assert_int_equal(policy_on_exit(&p, &st, true, MS, &d), POLICY_RESTART);
    assert_int_equal(policy_on_exit(&p, &st, true, MS, &d), POLICY_RESTART);
    assert_int_equal(d, 100 * MS);
    /* Two in a row: one more quick failure would fail it, but this run
     * lasted long enough to count as healthy. */
    assert_int_equal(policy_on_exit(&p, &st, true, POLICY_STABLE_NS, &d), POLICY_RESTART);
    assert_int_equal(d, 50 * MS);
    assert_int_equal(st.in_a_row, 1);
    assert_int_equal(st.restarts, 3);
    assert_int_equal(policy_on_exit(&p, &st, true, POLICY_STABLE_NS - 1, &d), POLICY_RESTART);
    assert_int_equal(policy_on_exit(&p, &st, true, 0, &d), POLICY_FAILED);
}

static void POL0005_zero_max_and_huge_backoff(void **state)
{
    struct policy none = {RESTART_ALWAYS, 0, MS};
    struct policy huge = {RESTART_ALWAYS, 10, UINT64_MAX / 2 + 1};
    struct policy_state st = {0};
    uint64_t d;

    assert_int_equal(policy_on_exit(&none, &st, true, 0, &d), POLICY_FAILED);
    st = (struct policy_state){0};
    assert_int_equal(policy_on_exit(&huge, &st, true, 0, &d), POLICY_RESTART);
    assert_int_equal(d, UINT64_MAX / 2 + 1);
    assert_int_equal(policy_on_exit(&huge, &st, true, 0, &d), POLICY_RESTART);
    assert_int_equal(d, UINT64_MAX);            /* saturates, never wraps */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(POL0001_never_and_on_failure),
        cmocka_unit_test(POL0002_always_restarts_clean_exits),
        cmocka_unit_test(POL0003_backoff_doubles_to_the_cap_then_fails),
        cmocka_unit_test(POL0004_a_healthy_run_resets_the_count),
        cmocka_unit_test(POL0005_zero_max_and_huge_backoff),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
