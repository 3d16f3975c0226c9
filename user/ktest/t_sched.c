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
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(p, 0x400000, 0x500000, 0));

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

/* Loads a pattern derived from seed into xmm0-xmm15, yields many times (so
 * the other thread runs and loads its own), and checks every register. */
static void fpu_worker(void *arg)
{
    uint64_t seed = (uint64_t)arg, bad = 0;
    uint64_t in[32] __attribute__((aligned(16))), out[32] __attribute__((aligned(16)));

    for (int i = 0; i < 32; i++)
        in[i] = seed * 0x9e3779b97f4a7c15ull + (uint64_t)i;
    for (int round = 0; round < 500; round++) {
        __asm__ volatile(
            "movdqa 0(%0), %%xmm0\n\t movdqa 16(%0), %%xmm1\n\t movdqa 32(%0), %%xmm2\n\t"
            "movdqa 48(%0), %%xmm3\n\t movdqa 64(%0), %%xmm4\n\t movdqa 80(%0), %%xmm5\n\t"
            "movdqa 96(%0), %%xmm6\n\t movdqa 112(%0), %%xmm7\n\t movdqa 128(%0), %%xmm8\n\t"
            "movdqa 144(%0), %%xmm9\n\t movdqa 160(%0), %%xmm10\n\t movdqa 176(%0), %%xmm11\n\t"
            "movdqa 192(%0), %%xmm12\n\t movdqa 208(%0), %%xmm13\n\t movdqa 224(%0), %%xmm14\n\t"
            "movdqa 240(%0), %%xmm15\n\t"
            "mov %2, %%eax\n\t syscall\n\t"
            "movdqa %%xmm0, 0(%1)\n\t movdqa %%xmm1, 16(%1)\n\t movdqa %%xmm2, 32(%1)\n\t"
            "movdqa %%xmm3, 48(%1)\n\t movdqa %%xmm4, 64(%1)\n\t movdqa %%xmm5, 80(%1)\n\t"
            "movdqa %%xmm6, 96(%1)\n\t movdqa %%xmm7, 112(%1)\n\t movdqa %%xmm8, 128(%1)\n\t"
            "movdqa %%xmm9, 144(%1)\n\t movdqa %%xmm10, 160(%1)\n\t movdqa %%xmm11, 176(%1)\n\t"
            "movdqa %%xmm12, 192(%1)\n\t movdqa %%xmm13, 208(%1)\n\t movdqa %%xmm14, 224(%1)\n\t"
            "movdqa %%xmm15, 240(%1)"
            :
            : "r"(in), "r"(out), "i"(AE_SYS_yield)
            : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
              "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
              "xmm15");
        for (int i = 0; i < 32; i++)
            bad += out[i] != in[i];
    }
    ae_thread_exit((int64_t)bad);
}

KTEST(FPU0001, "two threads on one CPU keep their own SSE registers across switches")
{
    ae_handle_t a = CHECK_HANDLE(ktest_thread(fpu_worker, (void *)1));
    ae_handle_t b = CHECK_HANDLE(ktest_thread(fpu_worker, (void *)2));

    /* Pinning after start is fine: both end up sharing CPU 0. */
    CHECK_OK(ae_thread_set_affinity(a, 0));
    CHECK_OK(ae_thread_set_affinity(b, 0));
    CHECK_EQ(ktest_join(a), 0);
    CHECK_EQ(ktest_join(b), 0);
}
