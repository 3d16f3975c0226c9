/*
 * crashtest: fails on request in one of several ways
 * (include/aether/proto/crashtest.h). Each way is a real fault of a user
 * program; the kernel stops only this V-Node and reports the fault to
 * init, which logs it and applies the restart policy.
 */
#include "aether.h"
#include "serve.h"
#include "aether/proto/crashtest.h"

static const int read_only_value = 7;
static volatile int dividend = 1, divisor;     /* volatile: a real divide */
static volatile unsigned depth_limit;  /* 0: none (the compiler cannot know) */

static int __attribute__((noinline)) recurse(volatile char *prev, unsigned depth)
{
    volatile char frame[512];

    frame[0] = prev ? prev[0] + 1 : 0;
    if (depth_limit && depth >= depth_limit)
        return frame[0];
    return recurse(frame, depth + 1) + frame[1];
}

static void crash(uint64_t mode)
{
    ae_printf("crashtest: crashing, mode %lu", (unsigned long)mode);
    switch (mode) {
    case AE_CRASH_NULL:
        ae_printf("crashtest: read %d", *(volatile int *)0);
        break;
    case AE_CRASH_ROWRITE:
        *(volatile int *)&read_only_value = 8;
        break;
    case AE_CRASH_ILLEGAL:
        __asm__ volatile("ud2");
        break;
    case AE_CRASH_DIVZERO:
        ae_printf("crashtest: %d", dividend / divisor);
        break;
    case AE_CRASH_STACK:
        recurse(0, 0);
        break;
    case AE_CRASH_SPIN:
        for (;;)
            __asm__ volatile("" ::: "memory");
    }
}

static int64_t op_crash(struct ae_msg *m)
{
    if (m->w[0] >= AE_CRASH_NULL && m->w[0] <= AE_CRASH_SPIN)
        crash(m->w[0]);
    return AE_ERR_INVAL;
}

/* Uses a handle value nothing gave it: the kernel must refuse it. */
static int64_t op_handle(struct ae_msg *m)
{
    m->w[0] = (uint64_t)ae_notify_signal(0x00100007, 1);
    ae_printf("crashtest: a handle it was not given: %s", ae_strerror((int64_t)m->w[0]));
    return AE_OK;
}

static const struct ae_serve_op ops[] = {
    {AE_CRASHTEST_CRASH, op_crash},
    {AE_CRASHTEST_HANDLE, op_handle},
};

int main(const struct ae_bootinfo *bi)
{
    return (int)ae_serve("crashtest", ops, sizeof(ops) / sizeof(ops[0]));
}
