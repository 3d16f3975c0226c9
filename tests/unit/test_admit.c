/*
 * Unit tests for init's start order (user/init/admit.c): providers first,
 * unknown services, cycles, refusals that propagate, built-in services.
 */
#include "unit.h"

#include "user/init/admit.h"

static const char *const builtin[] = {"init", NULL};

#define LIST(...) (const char *const[]){__VA_ARGS__}
#define NODE(nm, prov, np, need, nn) {nm, prov, np, need, nn, 0}

static unsigned order[ADMIT_MAX], norder;
static int refused[ADMIT_MAX];
static char reasons[ADMIT_MAX][ADMIT_REASON_MAX];

static int pos(unsigned idx)
{
    for (unsigned i = 0; i < norder; i++)
        if (order[i] == idx)
            return (int)i;
    return -1;
}

static void ADM0001_providers_come_first(void **state)
{
    struct admit_node n[] = {
        NODE("shell", NULL, 0, LIST("console", "vfs", "init"), 3),
        NODE("vfs", LIST("vfs"), 1, LIST("init"), 1),
        NODE("console", LIST("console"), 1, NULL, 0),
        NODE("crashtest", NULL, 0, NULL, 0),
    };
    admit_order(n, 4, builtin, order, &norder, refused, reasons);
    assert_int_equal(norder, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(refused[i], 0);
    assert_true(pos(2) < pos(0));
    assert_true(pos(1) < pos(0));
}

static void ADM0002_unknown_service_and_propagation(void **state)
{
    struct admit_node n[] = {
        NODE("a", LIST("svc-a"), 1, LIST("nosuch"), 1),
        NODE("b", LIST("svc-b"), 1, LIST("svc-a"), 1),
        NODE("c", NULL, 0, LIST("svc-b"), 1),
        NODE("d", NULL, 0, NULL, 0),
    };
    admit_order(n, 4, builtin, order, &norder, refused, reasons);
    assert_int_equal(norder, 1);
    assert_int_equal(order[0], 3);
    assert_string_equal(reasons[0], "needs \"nosuch\", which no V-Node provides");
    assert_string_equal(reasons[1], "needs \"svc-a\", whose provider was refused");
    assert_string_equal(reasons[2], "needs \"svc-b\", whose provider was refused");
}

static void ADM0003_cycles_refused_others_fine(void **state)
{
    struct admit_node n[] = {
        NODE("x", LIST("x"), 1, LIST("y"), 1),
        NODE("y", LIST("y"), 1, LIST("x"), 1),
        NODE("z", LIST("z"), 1, LIST("z", "init"), 2),     /* needs itself: fine */
        NODE("w", NULL, 0, LIST("z"), 1),
    };
    admit_order(n, 4, builtin, order, &norder, refused, reasons);
    assert_int_equal(norder, 2);
    assert_true(refused[0] && refused[1]);
    assert_string_equal(reasons[0], "dependency cycle");
    assert_true(pos(2) >= 0 && pos(2) < pos(3));
}

static void ADM0004_refused_on_input_stays_refused(void **state)
{
    struct admit_node n[] = {
        {"bad", LIST("p"), 1, NULL, 0, 1},
        NODE("user", NULL, 0, LIST("p"), 1),
    };
    admit_order(n, 2, builtin, order, &norder, refused, reasons);
    assert_int_equal(norder, 0);
    assert_string_equal(reasons[1], "needs \"p\", whose provider was refused");
}

static void ADM0006_cpu_shares_fit(void **state)
{
    /* They fit: untouched. */
    uint32_t a[] = {200, 100, 300};
    assert_int_equal(admit_fit_cpu(a, 3, 600), 1000);
    assert_int_equal(a[0], 200);
    assert_int_equal(a[1], 100);
    assert_int_equal(a[2], 300);
    /* The boot set on one CPU (init keeps 10%): scaled in proportion, the
     * sum within what there is. */
    uint32_t b[] = {200, 100, 200, 50, 300, 300, 400};
    uint64_t sum = 0;
    assert_int_equal(admit_fit_cpu(b, 7, 900), 580);
    for (int i = 0; i < 7; i++)
        sum += b[i];
    assert_true(sum <= 900);
    assert_int_equal(b[0], 116);
    assert_int_equal(b[3], 29);
    assert_int_equal(b[6], 232);
    /* Never below ADMIT_CPU_MIN, even with nothing to give. */
    uint32_t c[] = {5, 1000};
    admit_fit_cpu(c, 2, 100);
    assert_int_equal(c[0], ADMIT_CPU_MIN);
    assert_int_equal(c[1], 99);
    uint32_t d[] = {300};
    assert_int_equal(admit_fit_cpu(d, 1, 0), 0);
    assert_int_equal(d[0], ADMIT_CPU_MIN);
}

static void ADM0005_long_chain_any_input_order(void **state)
{
    static char names[ADMIT_MAX][16];
    static const char *prov[ADMIT_MAX][1], *need[ADMIT_MAX][1];
    struct admit_node n[ADMIT_MAX];

    /* node i provides "si" and needs "s(i-1)"; given in reverse order */
    for (int i = 0; i < ADMIT_MAX; i++) {
        int k = ADMIT_MAX - 1 - i;
        snprintf(names[i], sizeof(names[i]), "s%d", i);
        prov[k][0] = names[i];
        need[k][0] = i ? names[i - 1] : "init";
        n[k] = (struct admit_node){names[i], prov[k], 1, need[k], 1, 0};
    }
    admit_order(n, ADMIT_MAX, builtin, order, &norder, refused, reasons);
    assert_int_equal(norder, ADMIT_MAX);
    for (int i = 0; i < ADMIT_MAX; i++)
        assert_int_equal(order[i], ADMIT_MAX - 1 - i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ADM0001_providers_come_first),
        cmocka_unit_test(ADM0002_unknown_service_and_propagation),
        cmocka_unit_test(ADM0003_cycles_refused_others_fine),
        cmocka_unit_test(ADM0004_refused_on_input_stays_refused),
        cmocka_unit_test(ADM0005_long_chain_any_input_order),
        cmocka_unit_test(ADM0006_cpu_shares_fit),
    };
    return cmocka_run_group_tests_name("admit", tests, NULL, NULL);
}
