/* Syscall entry, user pointers, the clock and the log. */
#include "ktest.h"

KTEST(SYS0001, "an unknown syscall number returns AE_ERR_UNSUPPORTED")
{
    CHECK_EQ(ae_sys0(AE_SYS_COUNT), AE_ERR_UNSUPPORTED);
    CHECK_EQ(ae_sys0(0xffffffffull), AE_ERR_UNSUPPORTED);
    CHECK_EQ(ae_sys0(~0ull), AE_ERR_UNSUPPORTED);
}

KTEST(SYS0002, "a handle argument wider than 32 bits is AE_ERR_BAD_HANDLE")
{
    CHECK_EQ(ae_sys1(AE_SYS_handle_close, (1ull << 32) | ktest_self), AE_ERR_BAD_HANDLE);
}

KTEST(SYS0003, "callee-saved registers survive a syscall")
{
    uint64_t rbx = 0x1111, r12 = 0x2222, r13 = 0x3333, r14 = 0x4444, r15 = 0x5555;
    __asm__ volatile("mov %5, %%rbx; mov %6, %%r12; mov %7, %%r13; mov %8, %%r14; mov %9, %%r15\n\t"
                     "mov %10, %%eax; syscall\n\t"
                     "mov %%rbx, %0; mov %%r12, %1; mov %%r13, %2; mov %%r14, %3; mov %%r15, %4"
                     : "=r"(rbx), "=r"(r12), "=r"(r13), "=r"(r14), "=r"(r15)
                     : "r"(rbx), "r"(r12), "r"(r13), "r"(r14), "r"(r15), "i"(AE_SYS_yield)
                     : "rax", "rcx", "r11", "rbx", "r12", "r13", "r14", "r15", "memory");
    CHECK_EQ(rbx, 0x1111);
    CHECK_EQ(r12, 0x2222);
    CHECK_EQ(r13, 0x3333);
    CHECK_EQ(r14, 0x4444);
    CHECK_EQ(r15, 0x5555);
}

KTEST(CLK0001, "clock_get is monotonic and sleep_until waits until the deadline")
{
    int64_t t0 = ae_clock_get(), t1;
    CHECK(t0 > 0);
    CHECK_OK(ae_sleep_until((uint64_t)t0 + 5000000));
    t1 = ae_clock_get();
    CHECK(t1 >= t0 + 5000000);
    CHECK_OK(ae_sleep_until(0));        /* a past deadline returns at once */
    CHECK(ae_clock_get() >= t1);
}

KTEST(LOG0001, "log_write accepts a user buffer and refuses more than 512 bytes")
{
    static char big[600];
    CHECK_OK(ae_log_write("ktest: log line from user space", 31));
    CHECK_OK(ae_log_write(big, 0));
    CHECK_EQ(ae_log_write(big, 513), AE_ERR_INVAL);
}

KTEST(UPTR0001, "user pointers that are kernel addresses are refused")
{
    CHECK_EQ(ae_log_write((const char *)KTEST_KERNEL_ADDR, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_handle_info(ktest_self, (struct ae_handle_info *)KTEST_KERNEL_ADDR),
             AE_ERR_FAULT);
}

KTEST(UPTR0002, "non-canonical user pointers are refused")
{
    CHECK_EQ(ae_log_write((const char *)KTEST_NONCANONICAL, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_write((const char *)0x8000000000000000ull, 16), AE_ERR_FAULT);
}

KTEST(UPTR0003, "unmapped and NULL user pointers are refused")
{
    CHECK_EQ(ae_log_write((const char *)KTEST_UNMAPPED, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_write(NULL, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_handle_info(ktest_self, NULL), AE_ERR_FAULT);
}

KTEST(UPTR0004, "a buffer straddling the end of user space is refused")
{
    CHECK_EQ(ae_log_write((const char *)(0x00007ffffffffff8ull), 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_write((const char *)(~0ull - 4), 16), AE_ERR_FAULT);
}

KTEST(UPTR0005, "writing results to read-only memory is refused")
{
    /* Our own text is mapped read-only. */
    CHECK_EQ(ae_handle_info(ktest_self, (struct ae_handle_info *)(uintptr_t)&ktest_fail),
             AE_ERR_FAULT);
}

KTEST(UPTR0006, "a buffer straddling a mapped and an unmapped page is refused")
{
    int64_t v = ae_vmo_create(4096, 0);
    uint64_t va = 0x0000290000000000ull;
    CHECK(v > 0);
    CHECK_OK(ae_vmo_map((ae_handle_t)v, 0, va, 0, 4096, AE_PROT_READ | AE_PROT_WRITE));
    CHECK_OK(ae_log_write((const char *)(va + 4096 - 8), 8));
    CHECK_EQ(ae_log_write((const char *)(va + 4096 - 8), 16), AE_ERR_FAULT);
    CHECK_OK(ae_vmo_unmap(0, va, 4096));
    ae_handle_close((ae_handle_t)v);
}
