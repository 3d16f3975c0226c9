/*
 * crashtest: fails on request in one of several ways
 * (include/aether/proto/crashtest.h). Each way is a real fault of a user
 * program; the kernel stops only this V-Node and reports the fault to
 * init, which logs it and applies the restart policy.
 */
#include "aether.h"
#include "svc.h"
#include "aether/proto/crashtest.h"

static const int read_only_value = 7;
static volatile int divisor;
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
        ae_printf("crashtest: %d", 1 / divisor);
        break;
    case AE_CRASH_STACK:
        recurse(0, 0);
        break;
    case AE_CRASH_SPIN:
        for (;;)
            __asm__ volatile("" ::: "memory");
    }
}

int main(const struct ae_bootinfo *bi)
{
    struct ae_msg m = {0};
    int64_t ep = ae_endpoint_create(), pub, r;

    pub = ep > 0 ? ae_handle_derive((ae_handle_t)ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE |
                                    AE_RIGHT_GRANT, 0, 0) : ep;
    r = pub > 0 ? ae_ns_register("crashtest", (ae_handle_t)pub) : pub;
    if (r) {
        ae_printf("crashtest: cannot register: %s", ae_strerror(r));
        return 1;
    }
    r = ae_ipc_recv((ae_handle_t)ep, &m);
    while (r == AE_OK) {
        int64_t st = AE_OK;
        switch (AE_MSG_LABEL(m.info)) {
        case AE_CRASHTEST_CRASH:
            if (m.w[0] >= AE_CRASH_NULL && m.w[0] <= AE_CRASH_SPIN)
                crash(m.w[0]);
            st = AE_ERR_INVAL;
            break;
        case AE_CRASHTEST_HANDLE:
            /* A handle value nothing gave us: the kernel must refuse it. */
            m.w[0] = (uint64_t)ae_notify_signal(0x00100007, 1);
            ae_printf("crashtest: a handle it was not given: %s",
                      ae_strerror((int64_t)m.w[0]));
            break;
        default:
            st = AE_ERR_UNSUPPORTED;
        }
        m.info = AE_MSG_INFO((uint32_t)st, 0);
        r = ae_ipc_reply_recv((ae_handle_t)ep, &m);
    }
    ae_printf("crashtest: receive failed: %s", ae_strerror(r));
    return 1;
}
