/* CPU budgets: a process gets its share of a CPU per 100 ms period. */
#include "ktest.h"

static volatile int spin_forever = 1;

static int64_t child_spin(uint64_t arg)
{
    while (spin_forever)
        __asm__ volatile("pause");
    return 0;
}

KTEST(CPU0001, "a process with no CPU share cannot start a thread (AE_ERR_QUOTA)")
{
    struct ae_quota_limits lim = {64, 16, 4, 0};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "no-cpu", &lim));
    ae_handle_t t = CHECK_HANDLE(ae_thread_create_raw(p, 0x400000, 0x500000, 0));

    CHECK_EQ(ae_thread_start(t), AE_ERR_QUOTA);
    ae_handle_close(t);
    CHECK_OK(ae_process_kill(p, 0));
    CHECK_EQ(ktest_wait_child(p), 0);
}

KTEST(CPU0002, "a spinning child with a 2% share is held to its budget")
{
    struct ae_quota_limits lim = {256, 64, 8, 20};     /* 2 ms per 100 ms */
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_spin, 0, &lim, 0, NULL));
    struct ae_process_info pi;
    int64_t t0 = ae_clock_get(), t1;

    CHECK_OK(ae_sleep_until((uint64_t)t0 + 300000000));        /* 300 ms */
    CHECK_OK(ae_process_info(p, &pi));
    t1 = ae_clock_get();
    /* Periods touched by [t0, t1], 2 ms each, plus one tick of sampling
     * slack per period: however slow the machine, never more. */
    uint64_t periods = (uint64_t)(t1 / 100000000 - t0 / 100000000) + 1;
    CHECK(pi.cpu_ns > 0);
    CHECK(pi.cpu_ns <= periods * 3000000);
    CHECK_OK(ae_process_kill(p, 5));
    CHECK_EQ(ktest_wait_child(p), 5);
}

KTEST(CPU0003, "the parent keeps running beside a child that spins with a full share")
{
    struct ae_quota_limits lim = {256, 64, 8, 1000};
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_spin, 0, &lim, 0, NULL));
    int64_t t0 = ae_clock_get();

    for (int i = 0; i < 5; i++)
        CHECK_OK(ae_sleep_until((uint64_t)ae_clock_get() + 2000000));
    CHECK(ae_clock_get() >= t0 + 10000000);
    CHECK_OK(ae_process_kill(p, 0));
    CHECK_EQ(ktest_wait_child(p), 0);
}
