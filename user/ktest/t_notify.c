/*
 * Notifications: a word of signal bits (0-62). Signals OR bits in and wake
 * one waiter; a wait returns the pending bits and clears them; timeouts;
 * rights; waiters that die; cross-CPU and cross-process wake-ups.
 *
 * "Blocked before signalled" is arranged without sleeps (see t_thread.c): a
 * controller at priority 9 on CPU 0 starts waiters of priority 16 pinned to
 * CPU 0, each of which runs at once until it blocks.
 */
#include "ktest.h"

/* Thread helpers, in t_thread.c. */
ae_handle_t kth_new(void (*fn)(void *), void *arg, int prio, int cpu);
ae_handle_t kth_run(void (*fn)(void *), void *arg, int prio, int cpu);
int64_t kth_join(ae_handle_t t);
void kth_discard(ae_handle_t t);
ae_handle_t kth_child_thread(ae_handle_t p, void (*entry)(uint64_t), uint64_t arg,
                             unsigned slot, int prio, int cpu);
unsigned kth_ncpus(void);

#define MS 1000000ull
#define ALL_BITS 0x7fffffffffffffffull
#define NOTIFY_RIGHTS (AE_RIGHT_SIGNAL | AE_RIGHT_WAIT | AE_RIGHT_GRANT | AE_RIGHT_DERIVE)

static ae_handle_t ntf_n;               /* the notification of the test */
static ae_handle_t ntf_ts[8];           /* threads the controller starts */
static volatile int64_t ntf_res[8];

static void waiter(void *arg)
{
    ntf_res[(uintptr_t)arg] = ae_notify_wait(ntf_n, KTEST_WAIT_NS);
}

static void waiter_forever(void *arg)
{
    ntf_res[(uintptr_t)arg] = ae_notify_wait(ntf_n, AE_WAIT_FOREVER);
}

/* Controller: starts ntf_ts[0 .. n) (each blocks in wait), then signals bit
 * i once for each, in order. */
static void ctl_start_then_signal(void *arg)
{
    int n = (int)(uintptr_t)arg;

    for (int i = 0; i < n; i++)
        CHECK_OK(ae_thread_start(ntf_ts[i]));
    for (int i = 0; i < n; i++)
        CHECK_OK(ae_notify_signal(ntf_n, 1ull << i));
}

static void run_ctl(void (*fn)(void *), void *arg)
{
    ae_handle_t c = CHECK_HANDLE(kth_run(fn, arg, 9, 0));
    CHECK_EQ(kth_join(c), 0);
}

static int64_t child_idle(uint64_t arg)
{
    int64_t r;

    do
        r = ae_sleep_until(~0ull);
    while (r >= 0);
    return r;
}

KTEST(NTF0001, "a wait returns the signalled bits and clears them")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_OK(ae_notify_signal(n, 0x5));
    CHECK_EQ(ae_notify_wait(n, 0), 0x5);
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    CHECK_OK(ae_notify_signal(n, 0x80));
    CHECK_EQ(ae_notify_wait(n, KTEST_WAIT_NS), 0x80);
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    ae_handle_close(n);
}

KTEST(NTF0002, "signals accumulate (OR) until a wait collects them")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_OK(ae_notify_signal(n, 1));
    CHECK_OK(ae_notify_signal(n, 2));
    CHECK_OK(ae_notify_signal(n, 0x100));
    CHECK_OK(ae_notify_signal(n, 1));
    CHECK_OK(ae_notify_signal(n, 1ull << 62));
    CHECK_EQ(ae_notify_wait(n, 0), (int64_t)(0x103 | (1ull << 62)));
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    ae_handle_close(n);
}

KTEST(NTF0003, "a wait with timeout 0 polls: AE_ERR_TIMEOUT at once when nothing is pending")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    int64_t t0 = ae_clock_get();

    for (int i = 0; i < 100; i++)
        CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    /* 100 polls take far less than a second even on a slow emulator. */
    CHECK(ae_clock_get() - t0 < 1000 * (int64_t)MS);
    CHECK_OK(ae_notify_signal(n, 4));
    CHECK_EQ(ae_notify_wait(n, 0), 4);
    ae_handle_close(n);
}

KTEST(NTF0004, "a wait with a 10 ms timeout ends with AE_ERR_TIMEOUT after at least 10 ms")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    int64_t t0 = ae_clock_get();

    CHECK_EQ(ae_notify_wait(n, 10 * MS), AE_ERR_TIMEOUT);
    CHECK(ae_clock_get() - t0 >= (int64_t)(10 * MS));
    t0 = ae_clock_get();
    CHECK_EQ(ae_notify_wait(n, 1), AE_ERR_TIMEOUT);    /* 1 ns: still a timeout */
    CHECK(ae_clock_get() >= t0);
    ae_handle_close(n);
}

KTEST(NTF0005, "signalling 0 or bit 63 is AE_ERR_INVAL and sets nothing; bits 0-62 all work")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_EQ(ae_notify_signal(n, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_signal(n, 1ull << 63), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_signal(n, (1ull << 63) | 1), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_signal(n, ~0ull), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);     /* nothing was set */
    CHECK_OK(ae_notify_signal(n, ALL_BITS));
    CHECK_EQ(ae_notify_wait(n, 0), (int64_t)ALL_BITS);
    for (int b = 0; b < 63; b++) {
        CHECK_OK(ae_notify_signal(n, 1ull << b));
        CHECK_EQ(ae_notify_wait(n, 0), (int64_t)(1ull << b));
    }
    ae_handle_close(n);
}

KTEST(NTF0006, "signal without SIGNAL and wait without WAIT are AE_ERR_ACCESS")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL, 0, 0));
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT, 0, 0));
    ae_handle_t g = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_GRANT | AE_RIGHT_DERIVE, 0, 0));

    CHECK_EQ(ae_notify_wait(s, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_notify_signal(w, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_notify_signal(g, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_notify_wait(g, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_notify_wait(w, 0), AE_ERR_TIMEOUT);     /* nothing got through */
    CHECK_OK(ae_notify_signal(s, 8));
    CHECK_EQ(ae_notify_wait(w, 0), 8);
    ae_handle_close(g);
    ae_handle_close(w);
    ae_handle_close(s);
    ae_handle_close(n);
}

KTEST(NTF0007, "notification calls on a wrong-type, closed, zero or revoked handle: INVAL, BAD_HANDLE, REVOKED")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t dead = CHECK_HANDLE(ae_notify_create());
    ae_handle_t d;

    CHECK_EQ(ae_notify_signal(ep, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_wait(ep, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_signal(ktest_self, 1), AE_ERR_INVAL);
    CHECK_OK(ae_handle_close(dead));
    CHECK_EQ(ae_notify_signal(dead, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_notify_wait(dead, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_notify_signal(0, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys2(AE_SYS_notify_signal, (1ull << 32) | n, 1), AE_ERR_BAD_HANDLE);
    d = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_WAIT, 0, 0));
    CHECK_EQ(ae_handle_revoke(n), 1);
    CHECK_EQ(ae_notify_signal(d, 1), AE_ERR_REVOKED);
    CHECK_EQ(ae_notify_wait(d, 0), AE_ERR_REVOKED);
    CHECK_OK(ae_notify_signal(n, 1));           /* the revoker keeps working */
    CHECK_EQ(ae_notify_wait(n, 0), 1);
    CHECK_OK(ae_handle_close(d));
    ae_handle_close(n);
    ae_handle_close(ep);
}

KTEST(NTF0008, "a signal wakes a thread blocked in wait, which gets the bits")
{
    ntf_n = CHECK_HANDLE(ae_notify_create());
    ntf_res[0] = 0;
    ntf_ts[0] = CHECK_HANDLE(kth_new(waiter, (void *)0, -1, 0));
    run_ctl(ctl_start_then_signal, (void *)1);
    CHECK_EQ(kth_join(ntf_ts[0]), 0);
    CHECK_EQ(ntf_res[0], 1);
    CHECK_EQ(ae_notify_wait(ntf_n, 0), AE_ERR_TIMEOUT);     /* handed over, not kept */
    ae_handle_close(ntf_n);
}

KTEST(NTF0009, "one signal wakes one waiter, in the order they started waiting")
{
    ntf_n = CHECK_HANDLE(ae_notify_create());
    for (int i = 0; i < 3; i++) {
        ntf_res[i] = 0;
        ntf_ts[i] = CHECK_HANDLE(kth_new(waiter, (void *)(uintptr_t)i, -1, 0));
    }
    run_ctl(ctl_start_then_signal, (void *)3);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(kth_join(ntf_ts[i]), 0);
        CHECK_EQ(ntf_res[i], 1ll << i);
    }
    ae_handle_close(ntf_n);
}

static void waiter_twice(void *arg)
{
    ntf_res[0] = ae_notify_wait(ntf_n, 1000 * MS);      /* signalled long before */
    ntf_res[1] = ae_notify_wait(ntf_n, KTEST_WAIT_NS);
}

static void ctl_signal_late(void *arg)
{
    int64_t t0 = ae_clock_get();

    CHECK_OK(ae_thread_start(ntf_ts[0]));       /* blocks in its first wait */
    CHECK_OK(ae_notify_signal(ntf_n, 1));       /* ... and is now in its second */
    /* Past the first wait's deadline: it must not end the second wait. */
    CHECK_OK(ae_sleep_until((uint64_t)t0 + 1500 * MS));
    CHECK_OK(ae_notify_signal(ntf_n, 2));
}

KTEST(NTF0010, "a timed wait ended by a signal leaves no timeout behind to end a later wait")
{
    ntf_n = CHECK_HANDLE(ae_notify_create());
    ntf_res[0] = ntf_res[1] = 0;
    ntf_ts[0] = CHECK_HANDLE(kth_new(waiter_twice, NULL, -1, 0));
    run_ctl(ctl_signal_late, NULL);
    CHECK_EQ(kth_join(ntf_ts[0]), 0);
    CHECK_EQ(ntf_res[0], 1);
    CHECK_EQ(ntf_res[1], 2);
    ae_notify_wait(ntf_n, 0);
    ae_handle_close(ntf_n);
}

KTEST(NTF0011, "bits signalled after a wait timed out stay pending for the next wait")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_EQ(ae_notify_wait(n, 5 * MS), AE_ERR_TIMEOUT);
    CHECK_OK(ae_notify_signal(n, 8));
    CHECK_EQ(ae_notify_wait(n, 0), 8);
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    ae_handle_close(n);
}

static void thr_signal_after_30ms(void *arg)
{
    ae_sleep_until((uint64_t)ae_clock_get() + 30 * MS);
    ae_thread_exit(ae_notify_signal((ae_handle_t)(uintptr_t)arg, 0x11));
}

KTEST(NTF0012, "a wait with a huge finite timeout does not expire early (no deadline overflow)")
{
    static const uint64_t timeouts[] = {~0ull - 1, 1ull << 63, ~0ull - 1000000000ull};
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    for (unsigned i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
        ae_handle_t t = CHECK_HANDLE(kth_run(thr_signal_after_30ms, (void *)(uintptr_t)n, -1, -1));
        CHECK_EQ(ae_notify_wait(n, timeouts[i]), 0x11);
        CHECK_EQ(kth_join(t), AE_OK);
        ae_notify_wait(n, 0);                   /* clean up after a failure */
    }
    ae_handle_close(n);
}

static int64_t child_signal(uint64_t h)
{
    int64_t r = ae_notify_wait((ae_handle_t)h, 0);

    if (r != AE_ERR_ACCESS)
        return 1;
    return ae_notify_signal((ae_handle_t)h, 0x40) ? 2 : 0;
}

KTEST(NTF0013, "a child process signals a SIGNAL-only handle it was given; the parent's wait gets the bits")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_signal, 0, NULL, s, NULL));

    if (p) {
        CHECK_EQ(ae_notify_wait(n, KTEST_WAIT_NS), 0x40);
        CHECK_EQ(ktest_wait_child(p), 0);
    } else {
        ae_handle_close(s);
    }
    ae_handle_close(n);
}

static ae_handle_t ping, pong;
static int pings;

static void thr_ponger(void *arg)
{
    int64_t bad = 0;

    for (int i = 0; i < pings; i++) {
        if (ae_notify_wait(ping, KTEST_WAIT_NS) != 1)
            bad++;
        if (ae_notify_signal(pong, 2))
            bad++;
    }
    ae_thread_exit(bad);
}

static void thr_pinger(void *arg)
{
    int64_t bad = 0;

    for (int i = 0; i < pings; i++) {
        if (ae_notify_signal(ping, 1))
            bad++;
        if (ae_notify_wait(pong, KTEST_WAIT_NS) != 2)
            bad++;
    }
    ae_thread_exit(bad);
}

KTEST(NTF0014, "ping-pong over two notifications: 100 round trips across CPUs, 500 on one CPU")
{
    unsigned last = kth_ncpus() - 1;

    ping = CHECK_HANDLE(ae_notify_create());
    pong = CHECK_HANDLE(ae_notify_create());
    for (int pass = 0; pass < 2; pass++) {
        ae_handle_t a;
        pings = pass ? 500 : 100;
        a = CHECK_HANDLE(kth_run(thr_ponger, NULL, -1, pass ? 0 : (int)last));
        ae_handle_t b = CHECK_HANDLE(kth_run(thr_pinger, NULL, -1, 0));
        CHECK_EQ(kth_join(b), 0);
        CHECK_EQ(kth_join(a), 0);
    }
    CHECK_EQ(ae_notify_wait(ping, 0), AE_ERR_TIMEOUT);
    CHECK_EQ(ae_notify_wait(pong, 0), AE_ERR_TIMEOUT);
    ae_handle_close(ping);
    ae_handle_close(pong);
}

static void __attribute__((noreturn)) child_wait_forever(uint64_t h)
{
    int64_t r = ae_notify_wait((ae_handle_t)h, AE_WAIT_FOREVER);

    ae_process_exit(r > 0 ? 99 : 100);      /* should never get the bits */
}

static struct {
    ae_handle_t kill;
    int64_t status;
} ctl_k;

static void ctl_start_then_kill(void *arg)
{
    CHECK_OK(ae_thread_start(ntf_ts[0]));       /* blocks in wait */
    CHECK_OK(ae_process_kill(ctl_k.kill, ctl_k.status));
}

KTEST(NTF0015, "a waiter killed with its process is gone: later bits stay pending for the next wait")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t given = 0, p, t = 0;

    p = CHECK_HANDLE(ktest_child(child_idle, 0, NULL, w, &given));
    if (p)
        t = CHECK_HANDLE(kth_child_thread(p, child_wait_forever, given, 0, 16, 0));
    if (t) {
        ntf_ts[0] = t;
        ctl_k.kill = p;
        ctl_k.status = 15;
        run_ctl(ctl_start_then_kill, NULL);
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 15);
        ae_handle_close(t);
    } else if (p) {
        ae_process_kill(p, 15);
    }
    if (p)
        CHECK_EQ(ktest_wait_child(p), 15);
    CHECK_OK(ae_notify_signal(n, 4));
    CHECK_EQ(ae_notify_wait(n, 0), 4);
    ae_handle_close(n);
}

KTEST(NTF0016, "a wait with AE_WAIT_FOREVER is woken by a signal")
{
    ntf_n = CHECK_HANDLE(ae_notify_create());
    ntf_res[0] = 0;
    ntf_ts[0] = CHECK_HANDLE(kth_new(waiter_forever, (void *)0, -1, 0));
    run_ctl(ctl_start_then_signal, (void *)1);
    CHECK_EQ(kth_join(ntf_ts[0]), 0);
    CHECK_EQ(ntf_res[0], 1);
    ae_handle_close(ntf_n);
}

static void thr_signal_bit(void *arg)
{
    int64_t bad = 0;

    for (int i = 0; i < 200; i++) {
        if (ae_notify_signal(ntf_n, 1ull << (uintptr_t)arg))
            bad++;
        if ((i & 15) == 0)
            ae_yield();
    }
    ae_thread_exit(bad);
}

KTEST(NTF0017, "8 threads signalling at once on all CPUs: every bit arrives")
{
    ae_handle_t t[8];

    ntf_n = CHECK_HANDLE(ae_notify_create());
    for (int i = 0; i < 8; i++)
        t[i] = CHECK_HANDLE(kth_run(thr_signal_bit, (void *)(uintptr_t)(i * 7), -1,
                                    (int)((unsigned)i % kth_ncpus())));
    for (int i = 0; i < 8; i++)
        CHECK_EQ(kth_join(t[i]), 0);
    CHECK_EQ(ae_notify_wait(ntf_n, 0), 0x0002040810204081ll);
    ae_handle_close(ntf_n);
}

KTEST(NTF0018, "notify_create gives SIGNAL WAIT GRANT DERIVE, badge 0, nothing pending")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    struct ae_handle_info hi;

    CHECK_OK(ae_handle_info(n, &hi));
    CHECK_EQ(hi.type, AE_OBJ_NOTIFICATION);
    CHECK_EQ(hi.rights, NOTIFY_RIGHTS);
    CHECK_EQ(hi.badge, 0);
    CHECK_EQ(ae_notify_wait(n, 0), AE_ERR_TIMEOUT);
    ae_handle_close(n);
}

static void waiter_50ms(void *arg)
{
    ntf_res[0] = ae_notify_wait(ntf_n, 50 * MS);
}

static void ctl_start_then_close(void *arg)
{
    CHECK_OK(ae_thread_start(ntf_ts[0]));       /* blocks in wait */
    CHECK_OK(ae_handle_close(ntf_n));           /* the last handle */
}

KTEST(NTF0019, "closing the last handle while a thread waits: the wait still ends with its timeout")
{
    ntf_n = CHECK_HANDLE(ae_notify_create());
    ntf_res[0] = 0;
    ntf_ts[0] = CHECK_HANDLE(kth_new(waiter_50ms, NULL, -1, 0));
    run_ctl(ctl_start_then_close, NULL);
    CHECK_EQ(kth_join(ntf_ts[0]), 0);
    CHECK_EQ(ntf_res[0], AE_ERR_TIMEOUT);
}

static void thr_signal_20(void *arg)
{
    ae_thread_exit(ae_notify_signal(ntf_n, 0x20));
}

static void ctl_cross(void *arg)
{
    CHECK_OK(ae_thread_start(ntf_ts[0]));       /* the waiter blocks (last CPU) */
    CHECK_OK(ae_thread_start(ntf_ts[1]));       /* the signaller (CPU 0) */
}

KTEST(NTF0020, "a waiter blocked on the last CPU is woken by a signal from CPU 0")
{
    int last = (int)kth_ncpus() - 1;
    ae_handle_t c;

    ntf_n = CHECK_HANDLE(ae_notify_create());
    ntf_res[0] = 0;
    ntf_ts[0] = CHECK_HANDLE(kth_new(waiter, (void *)0, -1, last));
    ntf_ts[1] = CHECK_HANDLE(kth_new(thr_signal_20, NULL, -1, 0));
    c = CHECK_HANDLE(kth_run(ctl_cross, NULL, 9, last));
    CHECK_EQ(kth_join(c), 0);
    CHECK_EQ(kth_join(ntf_ts[1]), AE_OK);
    CHECK_EQ(kth_join(ntf_ts[0]), 0);
    CHECK_EQ(ntf_res[0], 0x20);
    CHECK_EQ(ae_notify_wait(ntf_n, 0), AE_ERR_TIMEOUT);
    ae_handle_close(ntf_n);
}
