/*
 * ktest: the kernel conformance suite, run as init of a test image. Each
 * test has a stable ID and a one-line description:
 *
 *     KTEST(IPC0003, "call to an endpoint without SEND is refused") { ... }
 *
 * Tests run in ID order. After each one the runner checks that the kernel's
 * charges still add up (kernel_check) and that the test gave back every
 * handle, page and thread it took.
 */
#ifndef USER_KTEST_KTEST_H
#define USER_KTEST_KTEST_H

#include "aether.h"

struct ktest {
    const char *id;
    const char *desc;
    void (*fn)(void);
};

#define KTEST(ident, description)                                           \
    static void ident##_run(void);                                          \
    static const struct ktest ident##_entry                                 \
        __attribute__((used, section("ktests"), aligned(8))) = {            \
            #ident, description, ident##_run};                              \
    static void ident##_run(void)

void ktest_fail(const char *file, int line, const char *what, int64_t a, int64_t b);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            ktest_fail(__FILE__, __LINE__, #cond, 0, 0);                    \
    } while (0)
#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                       \
        if (a_ != b_)                                                       \
            ktest_fail(__FILE__, __LINE__, #a " == " #b, a_, b_);           \
    } while (0)
#define CHECK_OK(expr) CHECK_EQ((expr), AE_OK)
/* Evaluates to the handle when expr succeeded (> 0). */
#define CHECK_HANDLE(expr)                                                  \
    ({                                                                      \
        int64_t h_ = (expr);                                                \
        if (h_ <= 0)                                                        \
            ktest_fail(__FILE__, __LINE__, #expr " > 0", h_, 0);            \
        (ae_handle_t)(h_ > 0 ? h_ : 0);                                     \
    })

/* The suite's own process handle (all rights). */
extern ae_handle_t ktest_self;

/* A thread in this process running fn(arg); join returns its exit code and
 * frees its stack and handle. */
ae_handle_t ktest_thread(void (*fn)(void *), void *arg);
int64_t ktest_join(ae_handle_t t);

/* A child process running fn(arg) on a copy of this program's image, with
 * `give` (0: none) moved into it: *given receives its value there, and fn
 * gets that value as its argument instead of arg. The child exits with
 * fn's return value. Default limits when lim is NULL. */
/* process_info of p; the test fails (and the result reads all ones) if
 * the call does. */
struct ae_process_info ktest_pinfo(ae_handle_t p);
/* Pages p's byte-counted kernel memory spans, and the whole frames charged
 * to it (memory objects, page tables, kernel stacks): together used.pages. */
static inline uint64_t ktest_kpages(const struct ae_process_info *pi)
{
    return (pi->kernel_bytes + 4095) / 4096;
}
static inline uint64_t ktest_frames_of(const struct ae_process_info *pi)
{
    return pi->used.pages - ktest_kpages(pi);
}
uint64_t ktest_frames(ae_handle_t p);

ae_handle_t ktest_child(int64_t (*fn)(uint64_t), uint64_t arg,
                        const struct ae_quota_limits *lim, ae_handle_t give,
                        ae_handle_t *given);
/* Deterministic fault tests: starts fn in a child that first waits for a
 * go message (on an endpoint it is given), sets the child's fault endpoint
 * to fault_ep with badge, sends go, and returns the child's handle (0 on
 * failure). fn then runs and may fault. */
ae_handle_t ktest_child_after_go(int64_t (*fn)(uint64_t), ae_handle_t fault_ep,
                                 uint64_t badge);
/* Receives one fault report on ep into *m (AE_OK or the error). */
int64_t ktest_fault_report(ae_handle_t ep, struct ae_msg *m);
/* Waits for a process (generous deadline) and closes its handle. */
int64_t ktest_wait_child(ae_handle_t p);

/* Addresses that are never valid user buffers. */
#define KTEST_KERNEL_ADDR 0xffffffff80100000ull
#define KTEST_NONCANONICAL 0x0000800000000000ull
#define KTEST_UNMAPPED 0x0000300000000000ull
#define KTEST_WAIT_NS 60000000000ull        /* 60 s: a loaded emulator */

#endif
