/*
 * Threads and the scheduler: creation, exit codes, joins, priorities, yield,
 * time slices, affinity, sleeping, and what killing a process does to its
 * threads.
 *
 * Also the thread helpers t_ipc.c and t_notify.c use (kth_*): unlike
 * ktest_thread they create a thread without starting it, so a test can set
 * its priority and CPU first. Ordering tests never sleep to synchronise;
 * they use the scheduler's rules instead: a "controller" thread at priority
 * 9 pinned to CPU 0 starts threads of priority 16 pinned to CPU 0, and each
 * of those runs at once (preempting the controller) until it blocks, so
 * when thread_start returns to the controller the started thread is known
 * to be blocked.
 */
#include "ktest.h"

#define KTH_STACK_BASE 0x0000210000000000ull
#define KTH_SPACING 0x100000ull
#define KTH_STACK_SIZE 0x10000ull
#define KTH_MAX 32
#define KTH_CHILD_STACK_BASE 0x0000220000000000ull
#define KTH_CHILD_STACK_SIZE 0x4000ull
#define KTH_USER_TOP 0x0000800000000000ull
#define MS 1000000ull

extern char ae_thread_trampoline[];

/* ---- helpers shared with t_ipc.c and t_notify.c ------------------------ */

ae_handle_t kth_new(void (*fn)(void *), void *arg, int prio, int cpu);
ae_handle_t kth_run(void (*fn)(void *), void *arg, int prio, int cpu);
int64_t kth_join(ae_handle_t t);
void kth_discard(ae_handle_t t);
ae_handle_t kth_child_thread(ae_handle_t p, void (*entry)(uint64_t), uint64_t arg,
                             unsigned slot, int prio, int cpu);
unsigned kth_ncpus(void);

static ae_handle_t kth_slot[KTH_MAX];

static uint64_t kth_va(int i)
{
    return KTH_STACK_BASE + (uint64_t)i * KTH_SPACING;
}

static int64_t kth_configure(ae_handle_t t, int prio, int cpu)
{
    int64_t err = AE_OK;

    if (prio >= 0)
        err = ae_thread_set_priority(t, (unsigned)prio);
    if (!err && cpu >= 0)
        err = ae_thread_set_affinity(t, (unsigned)cpu);
    return err;
}

/* A thread of this process that will run fn(arg), created but not started;
 * prio and cpu (< 0: leave the default) are set before it can run. */
ae_handle_t kth_new(void (*fn)(void *), void *arg, int prio, int cpu)
{
    for (int i = 0; i < KTH_MAX; i++) {
        uint64_t va = kth_va(i);
        int64_t v, t, err;
        void **top;

        if (kth_slot[i])
            continue;
        v = ae_vmo_create(KTH_STACK_SIZE, 0);
        if (v < 0)
            return 0;
        err = ae_vmo_map((ae_handle_t)v, 0, va, 0, KTH_STACK_SIZE, AE_PROT_READ | AE_PROT_WRITE);
        ae_handle_close((ae_handle_t)v);
        if (err)
            return 0;
        top = (void **)(va + KTH_STACK_SIZE) - 2;
        top[0] = (void *)fn;
        top[1] = arg;
        t = ae_thread_create(ktest_self, (uint64_t)ae_thread_trampoline, (uint64_t)top,
                                 (uint64_t)top);
        if (t > 0 && kth_configure((ae_handle_t)t, prio, cpu) != AE_OK) {
            ae_handle_close((ae_handle_t)t);
            t = AE_ERR_INVAL;
        }
        if (t <= 0) {
            ae_vmo_unmap(0, va, KTH_STACK_SIZE);
            return 0;
        }
        kth_slot[i] = (ae_handle_t)t;
        return (ae_handle_t)t;
    }
    return 0;
}

ae_handle_t kth_run(void (*fn)(void *), void *arg, int prio, int cpu)
{
    ae_handle_t t = kth_new(fn, arg, prio, cpu);

    if (t && ae_thread_start(t) != AE_OK) {
        kth_discard(t);
        return 0;
    }
    return t;
}

/* Waits for the thread (generous deadline), closes it and frees its stack;
 * returns its exit code. A thread that does not finish is left alone (its
 * stack stays mapped) and fails the test. */
int64_t kth_join(ae_handle_t t)
{
    for (int i = 0; i < KTH_MAX; i++) {
        int64_t code;

        if (!t || kth_slot[i] != t)
            continue;
        code = ae_thread_wait(t, KTEST_WAIT_NS);
        if (code == AE_ERR_TIMEOUT) {
            ktest_fail(__FILE__, __LINE__, "kth_join: the thread finishes", code, 0);
            return code;
        }
        ae_handle_close(t);
        ae_vmo_unmap(0, kth_va(i), KTH_STACK_SIZE);
        kth_slot[i] = 0;
        return code;
    }
    return AE_ERR_NOTFOUND;
}

/* Frees a thread that was never started. */
void kth_discard(ae_handle_t t)
{
    for (int i = 0; i < KTH_MAX; i++) {
        if (!t || kth_slot[i] != t)
            continue;
        ae_handle_close(t);
        ae_vmo_unmap(0, kth_va(i), KTH_STACK_SIZE);
        kth_slot[i] = 0;
        return;
    }
}

/* A thread of child process p (a ktest_child: our image at the same
 * addresses) that will run entry(arg) on a fresh stack in p, not started.
 * entry must never return. The stack goes with the process. */
ae_handle_t kth_child_thread(ae_handle_t p, void (*entry)(uint64_t), uint64_t arg,
                             unsigned slot, int prio, int cpu)
{
    uint64_t va = KTH_CHILD_STACK_BASE + slot * KTH_SPACING;
    int64_t v = ae_vmo_create(KTH_CHILD_STACK_SIZE, 0), t, err;

    if (v < 0)
        return 0;
    err = ae_vmo_map((ae_handle_t)v, p, va, 0, KTH_CHILD_STACK_SIZE,
                     AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)v);
    if (err)
        return 0;
    /* As if called: rsp + 8 is 16-byte aligned at the first instruction. */
    t = ae_thread_create(p, (uint64_t)entry, va + KTH_CHILD_STACK_SIZE - 8, arg);
    if (t > 0 && kth_configure((ae_handle_t)t, prio, cpu) != AE_OK) {
        ae_handle_close((ae_handle_t)t);
        return 0;
    }
    return t > 0 ? (ae_handle_t)t : 0;
}

unsigned kth_ncpus(void)
{
    return ae_bootinfo && ae_bootinfo->ncpus ? ae_bootinfo->ncpus : 1;
}

/* ---- order log --------------------------------------------------------- */

static char order_log[64];
static int order_n;

static void order_reset(void)
{
    __atomic_store_n(&order_n, 0, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < sizeof(order_log); i++)
        order_log[i] = 0;
}

static void note(char c)
{
    int i = __atomic_fetch_add(&order_n, 1, __ATOMIC_SEQ_CST);
    if (i < (int)sizeof(order_log) - 1)
        order_log[i] = c;
}

static int order_is(const char *s)
{
    int i = 0;

    for (; s[i]; i++)
        if (i >= order_n || order_log[i] != s[i])
            return 0;
    return i == order_n;
}

#define CHECK_ORDER(s)                                                      \
    do {                                                                    \
        if (!order_is(s))                                                   \
            ktest_fail(__FILE__, __LINE__, "order log is " s " (got first"  \
                       " bytes as a, count as b)",                          \
                       (int64_t)(order_log[0] | order_log[1] << 8 |         \
                                 order_log[2] << 16),                       \
                       order_n);                                            \
    } while (0)

/* ---- thread bodies ----------------------------------------------------- */

static volatile uint64_t thr_seen;
static volatile ae_handle_t thr_self_h;
static ae_handle_t thr_hs[8];
static volatile int64_t thr_r[8];

static void thr_exit_code(void *arg)
{
    thr_seen = (uint64_t)(uintptr_t)arg;
    ae_thread_exit(0x1234 + (int64_t)(uintptr_t)arg);
}

static void thr_return(void *arg)
{
    thr_seen = (uint64_t)(uintptr_t)arg;
}

static void thr_exit_big(void *arg)
{
    ae_thread_exit(0x7fffffffffffll);
}

static void thr_exit5(void *arg)
{
    ae_thread_exit(5);
}

/* Waits on the notification arg; exits with what the wait returned. */
static void thr_gate(void *arg)
{
    ae_thread_exit(ae_notify_wait((ae_handle_t)(uintptr_t)arg, KTEST_WAIT_NS));
}

static void thr_note(void *arg)
{
    note((char)(uintptr_t)arg);
}

/* Controller: starts thr_hs[0 .. arg) in order. */
static void thr_start_all(void *arg)
{
    for (int i = 0; i < (int)(uintptr_t)arg; i++)
        CHECK_OK(ae_thread_start(thr_hs[i]));
}

/* ---- tests ------------------------------------------------------------- */

KTEST(THR0001, "a thread runs with its argument; join returns its thread_exit code, 0 when it returns")
{
    ae_handle_t t = CHECK_HANDLE(kth_run(thr_exit_code, (void *)7, -1, -1));
    CHECK_EQ(kth_join(t), 0x1234 + 7);
    CHECK_EQ(thr_seen, 7);
    t = CHECK_HANDLE(kth_run(thr_return, (void *)9, -1, -1));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(thr_seen, 9);
    t = CHECK_HANDLE(kth_run(thr_exit_big, NULL, -1, -1));
    CHECK_EQ(kth_join(t), 0x7fffffffffffll);
}

KTEST(THR0002, "thread_start on a started or an exited thread is AE_ERR_BUSY")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_gate, (void *)(uintptr_t)n, -1, -1));

    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(ae_thread_start(t), AE_ERR_BUSY);
    CHECK_OK(ae_notify_signal(n, 0x10));
    CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 0x10);
    CHECK_EQ(ae_thread_start(t), AE_ERR_BUSY);
    CHECK_EQ(kth_join(t), 0x10);
    ae_handle_close(n);
}

KTEST(THR0003, "thread_wait: timeout 0 polls, a 10 ms timeout expires with AE_ERR_TIMEOUT after 10 ms")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t t = CHECK_HANDLE(kth_run(thr_gate, (void *)(uintptr_t)n, -1, -1));
    int64_t t0;

    CHECK_EQ(ae_thread_wait(t, 0), AE_ERR_TIMEOUT);
    t0 = ae_clock_get();
    CHECK_EQ(ae_thread_wait(t, 10 * MS), AE_ERR_TIMEOUT);
    CHECK(ae_clock_get() - t0 >= (int64_t)(10 * MS));
    CHECK_OK(ae_notify_signal(n, 1));
    CHECK_EQ(kth_join(t), 1);
    ae_handle_close(n);
}

static void thr_wait_self(void *arg)
{
    thr_r[0] = ae_thread_wait(thr_self_h, 0);
    thr_r[1] = ae_thread_wait(thr_self_h, 10 * MS);
    thr_r[2] = ae_thread_wait(thr_self_h, AE_WAIT_FOREVER);
}

KTEST(THR0004, "thread_wait on the calling thread itself is AE_ERR_INVAL")
{
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_wait_self, NULL, -1, -1));

    thr_self_h = t;
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(thr_r[0], AE_ERR_INVAL);
    CHECK_EQ(thr_r[1], AE_ERR_INVAL);
    CHECK_EQ(thr_r[2], AE_ERR_INVAL);
}

KTEST(THR0005, "set_priority: above the caller's own (16) is AE_ERR_ACCESS, above 31 is AE_ERR_INVAL")
{
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_exit5, NULL, -1, -1));

    CHECK_EQ(ae_thread_set_priority(t, 17), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_priority(t, 31), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_priority(t, 32), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_priority(t, 255), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_priority(t, 0xffffffffu), AE_ERR_INVAL);
    /* The whole register counts: no truncation to a valid priority. */
    CHECK_EQ(ae_sys2(AE_SYS_thread_set_priority, t, (1ull << 32) | 3), AE_ERR_INVAL);
    CHECK_EQ(ae_sys2(AE_SYS_thread_set_priority, t, (1ull << 63) | 3), AE_ERR_INVAL);
    for (unsigned p = 0; p <= 16; p++)
        CHECK_OK(ae_thread_set_priority(t, p));
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(kth_join(t), 5);
}

static void thr_lower_self(void *arg)
{
    ae_handle_t me = thr_self_h;

    thr_r[0] = ae_thread_set_priority(me, 5);
    thr_r[1] = ae_thread_set_priority(me, 6);
    thr_r[2] = ae_thread_set_priority(me, 16);
    thr_r[3] = ae_thread_set_priority(me, 5);
    thr_r[4] = ae_thread_set_priority(me, 2);
    thr_r[5] = ae_thread_set_priority(me, 3);
}

KTEST(THR0006, "a thread that lowered its priority cannot raise itself back (AE_ERR_ACCESS)")
{
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_lower_self, NULL, -1, -1));

    thr_self_h = t;
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(thr_r[0], AE_OK);
    CHECK_EQ(thr_r[1], AE_ERR_ACCESS);
    CHECK_EQ(thr_r[2], AE_ERR_ACCESS);
    CHECK_EQ(thr_r[3], AE_OK);
    CHECK_EQ(thr_r[4], AE_OK);
    CHECK_EQ(thr_r[5], AE_ERR_ACCESS);
}

KTEST(THR0007, "of two ready threads on one CPU the higher priority runs first, whatever the start order")
{
    ae_handle_t l, h, c;

    order_reset();
    l = CHECK_HANDLE(kth_new(thr_note, (void *)'L', 5, 0));
    h = CHECK_HANDLE(kth_new(thr_note, (void *)'H', 10, 0));
    thr_hs[0] = l;      /* started first */
    thr_hs[1] = h;
    /* The controller outranks both: neither runs before it exits. */
    c = CHECK_HANDLE(kth_run(thr_start_all, (void *)2, 12, 0));
    CHECK_EQ(kth_join(c), 0);
    CHECK_EQ(kth_join(h), 0);
    CHECK_EQ(kth_join(l), 0);
    CHECK_ORDER("HL");
}

static void thr_lowering(void *arg)
{
    CHECK_OK(ae_thread_start(thr_hs[0]));       /* priority 12: waits */
    note('1');
    CHECK_OK(ae_thread_set_priority(thr_self_h, 10));
    note('3');
}

KTEST(THR0008, "a running thread that lowers its priority below a ready thread's lets it run at once")
{
    ae_handle_t b, a;

    order_reset();
    b = CHECK_HANDLE(kth_new(thr_note, (void *)'2', 12, 0));
    a = CHECK_HANDLE(kth_new(thr_lowering, NULL, -1, 0));
    thr_hs[0] = b;
    thr_self_h = a;
    CHECK_OK(ae_thread_start(a));
    CHECK_EQ(kth_join(a), 0);
    CHECK_EQ(kth_join(b), 0);
    CHECK_ORDER("123");
}

static void thr_reprioritise(void *arg)
{
    CHECK_OK(ae_thread_start(thr_hs[0]));       /* '1' at 5 */
    CHECK_OK(ae_thread_start(thr_hs[1]));       /* '2' at 6 */
    CHECK_OK(ae_thread_set_priority(thr_hs[0], 8));
}

KTEST(THR0009, "set_priority on a ready thread moves it to its new priority's run queue")
{
    ae_handle_t t1, t2, c;

    order_reset();
    t1 = CHECK_HANDLE(kth_new(thr_note, (void *)'1', 5, 0));
    t2 = CHECK_HANDLE(kth_new(thr_note, (void *)'2', 6, 0));
    thr_hs[0] = t1;
    thr_hs[1] = t2;
    c = CHECK_HANDLE(kth_run(thr_reprioritise, NULL, 16, 0));
    CHECK_EQ(kth_join(c), 0);
    CHECK_EQ(kth_join(t1), 0);
    CHECK_EQ(kth_join(t2), 0);
    CHECK_ORDER("12");
}

static volatile int yield_done;
static volatile uint64_t yield_b;

static void thr_yield_b(void *arg)
{
    while (!yield_done) {
        yield_b++;
        ae_yield();
    }
}

static void thr_yield_a(void *arg)
{
    int64_t missed = 0;

    for (int i = 0; i < 50; i++) {
        uint64_t seen = yield_b;
        if (ae_yield() != AE_OK)
            missed += 1000;
        if (yield_b == seen)
            missed++;
    }
    yield_done = 1;
    ae_thread_exit(missed);
}

KTEST(THR0010, "yield lets a ready thread of the same priority on the same CPU run")
{
    ae_handle_t a, b;

    yield_done = 0;
    yield_b = 0;
    b = CHECK_HANDLE(kth_new(thr_yield_b, NULL, 16, 0));
    a = CHECK_HANDLE(kth_new(thr_yield_a, NULL, 16, 0));
    CHECK_OK(ae_thread_start(b));
    CHECK_OK(ae_thread_start(a));
    CHECK_EQ(kth_join(a), 0);
    CHECK_EQ(kth_join(b), 0);
    CHECK(yield_b >= 50);
}

KTEST(THR0011, "set_affinity accepts every online CPU and refuses an offline or invalid one (AE_ERR_INVAL)")
{
    unsigned n = kth_ncpus();
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_exit5, NULL, -1, -1));

    for (unsigned c = 0; c < n; c++)
        CHECK_OK(ae_thread_set_affinity(t, c));
    CHECK_EQ(ae_thread_set_affinity(t, n), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_affinity(t, 64), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_affinity(t, 0xffffffffu), AE_ERR_INVAL);
    CHECK_EQ(ae_sys2(AE_SYS_thread_set_affinity, t, 1ull << 32), AE_ERR_INVAL);
    CHECK_OK(ae_thread_set_affinity(t, n - 1));
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(kth_join(t), 5);
}

static void thr_hop(void *arg)
{
    unsigned n = kth_ncpus();
    int64_t bad = 0;

    for (int round = 0; round < 5; round++) {
        for (unsigned c = 0; c < n; c++) {
            if (ae_thread_set_affinity(thr_self_h, c) != AE_OK)
                bad++;
            if (ae_yield() != AE_OK)
                bad++;
        }
    }
    ae_thread_exit(bad);
}

KTEST(THR0012, "a running thread moves itself across every CPU with set_affinity and keeps running")
{
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_hop, NULL, -1, -1));

    thr_self_h = t;
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(kth_join(t), 0);
}

static volatile int64_t sleep_deadline[4], sleep_woke[4];

static void thr_sleeper(void *arg)
{
    int i = (int)(uintptr_t)arg;
    int64_t r = ae_sleep_until((uint64_t)sleep_deadline[i]);

    sleep_woke[i] = ae_clock_get();
    ae_thread_exit(r);
}

KTEST(THR0013, "sleep_until: sleepers with different deadlines each wake no earlier than their own")
{
    int64_t now = ae_clock_get(), t0;
    ae_handle_t t[3];

    for (int i = 0; i < 3; i++) {
        sleep_deadline[i] = now + (3 - i) * 15 * (int64_t)MS;     /* 45, 30, 15 ms */
        sleep_woke[i] = 0;
        t[i] = CHECK_HANDLE(kth_run(thr_sleeper, (void *)(uintptr_t)i, -1, -1));
    }
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(kth_join(t[i]), AE_OK);
        CHECK(sleep_woke[i] >= sleep_deadline[i]);
    }
    /* Deadlines in the past return at once. */
    t0 = ae_clock_get();
    CHECK_OK(ae_sleep_until((uint64_t)t0 - 1));
    CHECK_OK(ae_sleep_until(1));
    CHECK_OK(ae_sleep_until((uint64_t)t0 + 2 * MS));
    CHECK(ae_clock_get() >= t0 + 2 * (int64_t)MS);
}

static ae_handle_t many_ep;
static volatile int many_got;

static void thr_many(void *arg)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(many_ep, &m);

    if (r == AE_OK && m.w[0] == 0x600d)
        __atomic_add_fetch(&many_got, 1, __ATOMIC_SEQ_CST);
    ae_thread_exit(r ? r : 1000 + (int64_t)(uintptr_t)arg);
}

KTEST(THR0014, "16 threads exist at once, each runs and is joined with its own exit code")
{
    struct ae_process_info before, during;
    ae_handle_t t[16];

    many_ep = CHECK_HANDLE(ae_endpoint_create());
    many_got = 0;
    CHECK_OK(ae_process_info(ktest_self, &before));
    for (int i = 0; i < 16; i++)
        t[i] = CHECK_HANDLE(kth_run(thr_many, (void *)(uintptr_t)i, -1, -1));
    /* None can finish before it receives its message. */
    CHECK_OK(ae_process_info(ktest_self, &during));
    CHECK_EQ(during.used.threads, before.used.threads + 16);
    CHECK_EQ(during.nthreads, before.nthreads + 16);
    for (int i = 0; i < 16; i++) {
        struct ae_msg m = {AE_MSG_INFO(0, 0), {0x600d, 0, 0, 0}, {0}, 0};
        CHECK_OK(ae_ipc_send(many_ep, &m));
    }
    for (int i = 0; i < 16; i++)
        CHECK_EQ(kth_join(t[i]), 1000 + i);
    CHECK_EQ(many_got, 16);
    ae_handle_close(many_ep);
}

KTEST(THR0015, "thread_create with a kernel or non-canonical entry or stack is AE_ERR_INVAL")
{
    struct ae_process_info a, b;
    uint64_t ok_entry = (uint64_t)thr_exit5, ok_stack = AE_STACK_TOP - 0x1000;
    static const uint64_t bad_entry[] = {
        KTEST_KERNEL_ADDR, KTEST_NONCANONICAL, KTEST_NONCANONICAL + 0x1000,
        0x8000000000000000ull, 0xffff800000000000ull, ~0ull,
    };
    static const uint64_t bad_stack[] = {
        KTEST_KERNEL_ADDR, KTEST_NONCANONICAL + 8, KTEST_NONCANONICAL + 0x1000,
        0x8000000000000000ull, 0xffff800000000000ull, ~0ull,
    };
    int64_t t;

    CHECK_OK(ae_process_info(ktest_self, &a));
    for (unsigned i = 0; i < sizeof(bad_entry) / sizeof(bad_entry[0]); i++) {
        CHECK_EQ(ae_thread_create(ktest_self, bad_entry[i], ok_stack, 0), AE_ERR_INVAL);
        CHECK_EQ(ae_thread_create(ktest_self, ok_entry, bad_stack[i], 0), AE_ERR_INVAL);
        CHECK_EQ(ae_thread_create(ktest_self, bad_entry[i], bad_stack[i], 0), AE_ERR_INVAL);
    }
    CHECK_OK(ae_process_info(ktest_self, &b));
    CHECK_EQ(b.used.threads, a.used.threads);
    CHECK_EQ(b.used.handles, a.used.handles);
    CHECK_EQ(b.nthreads, a.nthreads);
    /* The last user byte is a valid entry, the end of user space a valid
     * stack top (the stack grows down from it). */
    t = CHECK_HANDLE(ae_thread_create(ktest_self, KTH_USER_TOP - 1, KTH_USER_TOP, 0));
    ae_handle_close((ae_handle_t)t);
}

KTEST(THR0016, "a created thread that never started is freed, with its quota, when its handle closes")
{
    struct ae_process_info a, b, c;
    ae_handle_t t;

    CHECK_OK(ae_process_info(ktest_self, &a));
    t = CHECK_HANDLE(ae_thread_create(ktest_self, (uint64_t)thr_exit5,
                                          AE_STACK_TOP - 0x1000, 0));
    CHECK_OK(ae_process_info(ktest_self, &b));
    CHECK_EQ(b.used.threads, a.used.threads + 1);
    CHECK_EQ(b.nthreads, a.nthreads + 1);
    CHECK_EQ(ae_thread_wait(t, 0), AE_ERR_TIMEOUT);     /* not started, not dead */
    CHECK_OK(ae_handle_close(t));
    CHECK_OK(ae_process_info(ktest_self, &c));
    CHECK_EQ(c.used.threads, a.used.threads);
    CHECK_EQ(c.nthreads, a.nthreads);
}

KTEST(THR0017, "thread calls check rights and type: ACCESS without MANAGE/WAIT, INVAL, BAD_HANDLE")
{
    ae_handle_t t = CHECK_HANDLE(kth_new(thr_exit5, NULL, -1, -1));
    ae_handle_t ro = CHECK_HANDLE(ae_handle_derive(t, AE_RIGHT_READ, 0, 0));
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(t, AE_RIGHT_WAIT, 0, 0));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_EQ(ae_thread_start(ro), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_start(w), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_priority(ro, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_affinity(ro, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_wait(ro, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_start(n), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_wait(n, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_priority(n, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_affinity(n, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(t, (uint64_t)thr_exit5, AE_STACK_TOP, 0), AE_ERR_INVAL);
    CHECK_OK(ae_handle_close(n));
    CHECK_EQ(ae_thread_start(n), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_thread_wait(n, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_thread_wait(0, 0), AE_ERR_BAD_HANDLE);
    CHECK_OK(ae_thread_start(t));
    CHECK_EQ(ae_thread_wait(w, KTEST_WAIT_NS), 5);      /* WAIT alone is enough */
    ae_handle_close(ro);
    ae_handle_close(w);
    CHECK_EQ(kth_join(t), 5);
}

static ae_handle_t join_target;

static void thr_joiner(void *arg)
{
    thr_r[(uintptr_t)arg] = ae_thread_wait(join_target, KTEST_WAIT_NS);
}

static void thr_start_then_signal(void *arg)
{
    /* Each joiner runs at once and blocks in thread_wait. */
    for (int i = 0; i < 3; i++)
        CHECK_OK(ae_thread_start(thr_hs[i]));
    CHECK_OK(ae_notify_signal((ae_handle_t)(uintptr_t)arg, 0x77));
}

KTEST(THR0018, "several threads blocked in thread_wait on one thread all get its exit code")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create()), j[3], c;

    join_target = CHECK_HANDLE(kth_run(thr_gate, (void *)(uintptr_t)n, -1, -1));
    for (int i = 0; i < 3; i++) {
        thr_r[i] = 0;
        j[i] = thr_hs[i] = CHECK_HANDLE(kth_new(thr_joiner, (void *)(uintptr_t)i, 16, 0));
    }
    c = CHECK_HANDLE(kth_run(thr_start_then_signal, (void *)(uintptr_t)n, 9, 0));
    CHECK_EQ(kth_join(c), 0);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(kth_join(j[i]), 0);
        CHECK_EQ(thr_r[i], 0x77);
    }
    CHECK_EQ(kth_join(join_target), 0x77);
    ae_handle_close(n);
}

KTEST(THR0019, "in a dead process thread_create and thread_start are AE_ERR_PEER_CLOSED")
{
    static const struct ae_quota_limits lim = {64, 16, 4, 10};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "thr19", &lim));
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0));

    CHECK_OK(ae_process_kill(p, 19));
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 19);
    CHECK_EQ(ae_thread_start(t), AE_ERR_PEER_CLOSED);
    CHECK_EQ(ae_thread_wait(t, 0), 19);         /* ended by the kill */
    CHECK_EQ(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0), AE_ERR_PEER_CLOSED);
    ae_handle_close(t);
    ae_handle_close(p);
}

KTEST(THR0020, "a process's thread quota bounds thread_create (AE_ERR_QUOTA); closing one frees a slot")
{
    static const struct ae_quota_limits lim = {64, 16, 2, 10};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "thr20", &lim));
    ae_handle_t t1 = CHECK_HANDLE(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0));
    ae_handle_t t2 = CHECK_HANDLE(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0));
    struct ae_process_info pi;
    ae_handle_t t3;

    CHECK_EQ(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0), AE_ERR_QUOTA);
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(pi.used.threads, 2);
    CHECK_EQ(pi.nthreads, 2);
    CHECK_OK(ae_handle_close(t1));
    t3 = CHECK_HANDLE(ae_thread_create(p, 0x400000, AE_STACK_TOP - 8, 0));
    CHECK_OK(ae_process_kill(p, 20));
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 20);
    ae_handle_close(t2);
    ae_handle_close(t3);
    ae_handle_close(p);
}

static int64_t child_idle(uint64_t arg)
{
    int64_t r;

    do
        r = ae_sleep_until(~0ull);
    while (r >= 0);
    return r;
}

/* Waits on notification h for ever (as a thread entry or a child's main). */
static void __attribute__((noreturn)) child_wait_loop(uint64_t h)
{
    for (;;)
        ae_notify_wait((ae_handle_t)h, AE_WAIT_FOREVER);
}

static int64_t child_wait_main(uint64_t h)
{
    child_wait_loop(h);
}

KTEST(THR0021, "killing a process ends its threads, blocked or just started: thread_wait returns the kill status")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t given = 0, p, t = 0;
    struct ae_process_info pi;
    int64_t r;

    p = CHECK_HANDLE(ktest_child(child_wait_main, 0, NULL, w, &given));
    if (p)
        t = CHECK_HANDLE(kth_child_thread(p, child_wait_loop, given, 0, -1, -1));
    if (!t) {
        if (p) {
            ae_process_kill(p, 21);
            ktest_wait_child(p);
        }
        ae_handle_close(n);
        return;
    }
    CHECK_OK(ae_thread_start(t));
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(pi.nthreads, 2);
    CHECK_EQ(ae_thread_wait(t, 0), AE_ERR_TIMEOUT);
    CHECK_OK(ae_process_kill(p, 21));           /* t may not even have run yet */
    r = ae_thread_wait(t, 10000000000ull);
    CHECK_EQ(r, 21);
    if (r == AE_ERR_TIMEOUT) {
        ae_notify_signal(n, 1);                 /* a thread that outlived the kill */
        ae_notify_signal(n, 1);                 /* leaves when it wakes */
    }
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 21);
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(ae_thread_wait(t, 0), 21);
    ae_handle_close(t);
    ae_handle_close(p);
    ae_handle_close(n);
}

/* Loads SSE and callee-saved registers, yields, reads them back. */
static int regs_survive_yield(uint64_t v)
{
    uint64_t x0, x8, x15, g12, g15;

    __asm__ volatile("movq %[a], %%xmm0\n\t"
                     "movq %[b], %%xmm8\n\t"
                     "movq %[c], %%xmm15\n\t"
                     "mov %[a], %%r12\n\t"
                     "mov %[b], %%r15\n\t"
                     "mov %[nr], %%eax\n\t"
                     "syscall\n\t"
                     "movq %%xmm0, %[x0]\n\t"
                     "movq %%xmm8, %[x8]\n\t"
                     "movq %%xmm15, %[x15]\n\t"
                     "mov %%r12, %[g12]\n\t"
                     "mov %%r15, %[g15]"
                     : [x0] "=&r"(x0), [x8] "=&r"(x8), [x15] "=&r"(x15), [g12] "=&r"(g12),
                       [g15] "=&r"(g15)
                     : [a] "r"(v), [b] "r"(~v), [c] "r"(v * 3), [nr] "i"(AE_SYS_yield)
                     : "rax", "rcx", "r11", "r12", "r15", "xmm0", "xmm8", "xmm15", "memory");
    return x0 == v && x8 == ~v && x15 == v * 3 && g12 == v && g15 == ~v;
}

static void thr_regs(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg;
    int64_t bad = 0;

    for (uint64_t i = 0; i < 200; i++)
        bad += !regs_survive_yield(seed * 0x9e3779b97f4a7c15ull + i);
    ae_thread_exit(bad);
}

KTEST(THR0022, "SSE and general registers survive switches between two threads on one CPU")
{
    ae_handle_t a = CHECK_HANDLE(kth_new(thr_regs, (void *)1, 16, 0));
    ae_handle_t b = CHECK_HANDLE(kth_new(thr_regs, (void *)2, 16, 0));

    CHECK_OK(ae_thread_start(a));
    CHECK_OK(ae_thread_start(b));
    CHECK_EQ(kth_join(a), 0);
    CHECK_EQ(kth_join(b), 0);
}

static void thr_signal_arg(void *arg)
{
    ae_thread_exit(ae_notify_signal((ae_handle_t)(uintptr_t)arg, 0x22));
}

KTEST(THR0023, "thread_wait with AE_WAIT_FOREVER returns when the thread exits")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t t = CHECK_HANDLE(kth_run(thr_gate, (void *)(uintptr_t)n, -1, -1));
    ae_handle_t s = CHECK_HANDLE(kth_run(thr_signal_arg, (void *)(uintptr_t)n, -1, -1));

    CHECK_EQ(ae_thread_wait(t, AE_WAIT_FOREVER), 0x22);
    CHECK_EQ(kth_join(t), 0x22);
    CHECK_EQ(kth_join(s), 0);
    ae_handle_close(n);
}

static void thr_sleep_20ms(void *arg)
{
    ae_sleep_until((uint64_t)ae_clock_get() + 20 * MS);
    ae_thread_exit(24);
}

KTEST(THR0024, "thread_wait with a huge finite timeout does not expire early (no deadline overflow)")
{
    ae_handle_t t = CHECK_HANDLE(kth_run(thr_sleep_20ms, NULL, -1, -1));

    CHECK_EQ(ae_thread_wait(t, ~0ull - 1), 24);
    CHECK_EQ(kth_join(t), 24);
}

static volatile uint64_t rr_count[2], rr_saw[2];
static volatile int rr_done[2];
static volatile int64_t rr_end;

/* Spins without ever yielding, counting how often the other thread made
 * progress between two of its looks: only preemption by the time slice can
 * have let it run. Stops after seeing that twice or when the other is done
 * (or after rr_end: a scheduler without slices fails the test, not hangs). */
static void thr_spin(void *arg)
{
    int me = (int)(uintptr_t)arg, other = !me;
    uint64_t last = rr_count[other];

    for (uint64_t i = 0; rr_saw[me] < 2 && !rr_done[other]; i++) {
        rr_count[me]++;
        if (rr_count[other] != last) {
            last = rr_count[other];
            rr_saw[me]++;
        }
        if ((i & 0xfff) == 0 && ae_clock_get() > rr_end)
            break;
    }
    rr_done[me] = 1;
}

KTEST(THR0025, "time slices: two equal-priority threads that never yield share one CPU")
{
    ae_handle_t a, b;

    rr_count[0] = rr_count[1] = rr_saw[0] = rr_saw[1] = 0;
    rr_done[0] = rr_done[1] = 0;
    rr_end = ae_clock_get() + 20000 * (int64_t)MS;
    a = CHECK_HANDLE(kth_new(thr_spin, (void *)0, 16, 0));
    b = CHECK_HANDLE(kth_new(thr_spin, (void *)1, 16, 0));
    CHECK_OK(ae_thread_start(a));
    CHECK_OK(ae_thread_start(b));
    CHECK_EQ(kth_join(a), 0);
    CHECK_EQ(kth_join(b), 0);
    CHECK(rr_saw[0] >= 1);
    CHECK(rr_saw[1] >= 1);
}


/*
 * THR0026 arranges, on 4 CPUs, for a kill to meet a thread that is entering
 * a blocking system call on another CPU. A "hog" thread holds the kernel
 * lock (a large vmo_create); meanwhile the killer and the victim (a thread
 * of the child, about to wait on a notification nobody signals) reach the
 * kernel, so both contend for the lock the moment it is free. When the
 * killer wins, the victim is still RUNNING when the kill runs and would
 * block right after unless the kernel checks for the kill first: the kill
 * must end it all the same. Which of the two wins is chance, so the test
 * makes six attempts; a correct kernel passes every one. (It found the lost
 * kill fixed in b6e5c17, failing about two runs in three before the fix.)
 */
#define RACE_VA 0x0000230000000000ull

struct race_page {
    volatile uint64_t go_v;         /* the victim enters its wait at this TSC */
    volatile uint64_t v_enter;      /* TSC just before its system call */
};

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static void spin_until_tsc(volatile uint64_t *when)
{
    while (!*when)
        __asm__ volatile("pause");
    while (rdtsc() < *when)
        __asm__ volatile("pause");
}

static void __attribute__((noreturn)) child_race_victim(uint64_t n)
{
    struct race_page *rp = (struct race_page *)RACE_VA;

    spin_until_tsc(&rp->go_v);
    rp->v_enter = rdtsc();
    ae_notify_wait((ae_handle_t)n, AE_WAIT_FOREVER);       /* never signalled */
    ae_process_exit(99);
}

static volatile uint64_t race_go_x, race_go_k, race_k_enter;
static volatile uint64_t race_bytes;
static ae_handle_t race_p;

static void thr_race_hog(void *arg)
{
    int64_t v;

    spin_until_tsc(&race_go_x);
    v = ae_vmo_create(race_bytes, 0);              /* holds the kernel lock a while */
    if (v > 0)
        ae_handle_close((ae_handle_t)v);
    ae_thread_exit(v > 0 ? 0 : v);
}

static void thr_race_killer(void *arg)
{
    spin_until_tsc(&race_go_k);
    race_k_enter = rdtsc();
    ae_thread_exit(ae_process_kill(race_p, 26));
}

KTEST(THR0026, "a kill meeting a thread that enters a blocking call on another CPU still ends its process")
{
    static const struct ae_quota_limits lim = {256, 64, 8, 1000};
    struct race_page *rp = (struct race_page *)RACE_VA;
    uint64_t ms = ae_bootinfo->tsc_hz / 1000, dt = 0, t0;
    int attempt;
    ae_handle_t page;
    int64_t v = 0;

    if (kth_ncpus() < 4 || !ms)
        return;                 /* needs the hog, the killer and the victim apart */
    /* A VMO large enough that creating it holds the lock for 5 ms or more
     * (or the largest that memory allows). */
    race_bytes = 0;
    for (uint64_t size = 4ull << 20; size <= (64ull << 20); size *= 2) {
        t0 = rdtsc();
        v = ae_vmo_create(size, 0);
        dt = rdtsc() - t0;
        if (v <= 0)
            break;
        ae_handle_close((ae_handle_t)v);
        race_bytes = size;
        if (dt >= 5 * ms)
            break;
    }
    CHECK(race_bytes != 0);
    if (!race_bytes)
        return;
    page = CHECK_HANDLE(ae_vmo_create(4096, 0));
    CHECK_OK(ae_vmo_map(page, 0, RACE_VA, 0, 4096, AE_PROT_READ | AE_PROT_WRITE));
    for (attempt = 0; attempt < 6; attempt++) {
        ae_handle_t n = CHECK_HANDLE(ae_notify_create()), given = 0, vt = 0, x, k;
        ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT | AE_RIGHT_GRANT, 0, 0));
        ae_handle_t p = CHECK_HANDLE(ktest_child(child_idle, 0, &lim, w, &given));
        int64_t r;
        uint64_t base;

        rp->go_v = rp->v_enter = 0;
        race_go_x = race_go_k = race_k_enter = 0;
        race_p = p;
        if (p && ae_vmo_map(page, p, RACE_VA, 0, 4096, AE_PROT_READ | AE_PROT_WRITE) == AE_OK)
            vt = CHECK_HANDLE(kth_child_thread(p, child_race_victim, given, 0, -1, 3));
        if (!vt || ae_thread_start(vt) != AE_OK) {
            CHECK(0);
            if (p) {
                ae_process_kill(p, 0);
                ktest_wait_child(p);
            }
            if (vt)
                ae_handle_close(vt);
            ae_handle_close(n);
            break;
        }
        x = CHECK_HANDLE(kth_run(thr_race_hog, NULL, -1, 1));
        k = CHECK_HANDLE(kth_run(thr_race_killer, NULL, -1, 2));
        base = rdtsc() + 30 * ms;
        /* Both enter their calls within the first millisecond of the hog's
         * hold, before a timer tick parks their CPUs behind the lock too. */
        rp->go_v = base + 3 * ms / 10;
        race_go_k = base + ms / 10;
        race_go_x = base;
        CHECK_EQ(kth_join(k), AE_OK);
        CHECK_EQ(kth_join(x), 0);
        r = ae_process_wait(p, 10000000000ull);
        CHECK_EQ(r, 26);                /* dead soon after the kill */
        if (r == AE_ERR_TIMEOUT) {
            ae_printf("ktest: THR0026: attempt %d: the victim called the kernel %ld us "
                      "after the killer and outlived the kill", attempt,
                      (long)((int64_t)(rp->v_enter - race_k_enter) / (int64_t)(ms / 1000)));
            ae_notify_signal(n, 1);     /* wakes it: it leaves on its way out */
        }
        CHECK_EQ(ae_thread_wait(vt, KTEST_WAIT_NS), 26);
        ae_handle_close(vt);
        CHECK_EQ(ktest_wait_child(p), 26);
        ae_handle_close(n);
    }
    ae_vmo_unmap(0, RACE_VA, 4096);
    ae_handle_close(page);
}
