/*
 * Processes: creation and its errors, exit status, kill, wait (timeouts, a
 * dead process, several waiters), process_info, threads in other processes,
 * many children, grandchildren, and the release of every account.
 */
#include "ktest.h"

#define PAGE 4096ull
#define RW (AE_PROT_READ | AE_PROT_WRITE)
#define VA 0x0000320000000000ull        /* this file's own scratch addresses */
#define T2_STACK (AE_STACK_TOP - 0x100000ull)   /* a second thread's, in a child */

/* Small children, so that many fit in the suite's CPU share. */
static const struct ae_quota_limits small_lim = {32, 16, 2, 10};

void prc_spin(void);
__asm__(".pushsection .text\n"
        ".globl prc_spin\n"
        "prc_spin: pause\n"
        "    jmp prc_spin\n"
        ".popsection\n");

static int64_t child_ret(uint64_t v)
{
    return (int64_t)v;
}

static int64_t child_spin(uint64_t arg)
{
    prc_spin();
    return 0;
}

/* Waits for one message on the endpoint it was given; exits with word 0. */
static int64_t child_block(uint64_t recv)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)recv, &m);
    return r ? 1000 - r : (int64_t)m.w[0];
}

/* A child blocked in child_block, and the endpoint to wake it with. */
struct blocked {
    ae_handle_t ep, p;
};

static int start_with(struct blocked *b, int64_t (*fn)(uint64_t),
                      const struct ae_quota_limits *lim)
{
    ae_handle_t recv, given = 0;

    b->ep = CHECK_HANDLE(ae_endpoint_create());
    recv = CHECK_HANDLE(ae_handle_derive(b->ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    b->p = ktest_child(fn, 0, lim, recv, &given);
    CHECK(b->p != 0);
    if (!b->p) {
        ae_handle_close(recv);
        ae_handle_close(b->ep);
        return 0;
    }
    return 1;
}

static int start_blocked(struct blocked *b, const struct ae_quota_limits *lim)
{
    return start_with(b, child_block, lim);
}

/* Sends the word the blocked child exits with. */
static void wake(struct blocked *b, uint64_t status)
{
    struct ae_msg m = {AE_MSG_INFO(1, 0), {status, 0, 0, 0}, {0}, 0};
    CHECK_OK(ae_ipc_send(b->ep, &m));
}

static int64_t finish(struct blocked *b)
{
    int64_t st = ae_process_wait(b->p, KTEST_WAIT_NS);

    if (st == AE_ERR_TIMEOUT) {
        CHECK(!"child still alive at the deadline");
        ae_process_kill(b->p, -999);
        ae_process_wait(b->p, KTEST_WAIT_NS);
    }
    ae_handle_close(b->p);
    ae_handle_close(b->ep);
    return st;
}

/* A second thread in p at entry, on a stack mapped into p. */
static ae_handle_t second_thread(ae_handle_t p, uint64_t entry)
{
    int64_t v = ae_vmo_create(4 * PAGE, 0), t;

    CHECK(v > 0);
    if (v <= 0)
        return 0;
    CHECK_OK(ae_vmo_map((ae_handle_t)v, p, T2_STACK, 0, 4 * PAGE, RW));
    ae_handle_close((ae_handle_t)v);
    t = ae_thread_create(p, entry, T2_STACK + 4 * PAGE - 8, 0);
    CHECK(t > 0);
    if (t <= 0)
        return 0;
    CHECK_OK(ae_thread_start((ae_handle_t)t));
    return (ae_handle_t)t;
}

/* ---- exit, kill, wait ----------------------------------------------------------- */

KTEST(PRC0001, "process_wait returns the exit status: positive, zero, negative, 64-bit")
{
    static const int64_t st[] = {42, 0, 1, -12345, 1ll << 40, -(1ll << 40), INT64_MAX};

    for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
        ae_handle_t p = CHECK_HANDLE(ktest_child(child_ret, (uint64_t)st[i], &small_lim, 0, NULL));
        if (p)
            CHECK_EQ(ktest_wait_child(p), st[i]);
    }
}

KTEST(PRC0002, "kill a blocked child: wait returns the kill status; a second kill changes nothing")
{
    struct blocked b;

    if (!start_blocked(&b, NULL))
        return;
    CHECK_OK(ae_process_kill(b.p, 31));
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 31);
    CHECK_OK(ae_process_kill(b.p, 99));
    CHECK_EQ(ae_process_wait(b.p, 0), 31);
    CHECK_EQ(ktest_pinfo(b.p).exit_status, 31);
    CHECK_EQ(finish(&b), 31);
}

KTEST(PRC0003, "kill a child spinning in user mode (preempted, parked or on another CPU)")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_spin, 0, NULL, 0, NULL));

    if (!p)
        return;
    CHECK_EQ(ae_process_wait(p, 0), AE_ERR_TIMEOUT);
    CHECK_OK(ae_process_kill(p, -77));
    CHECK_EQ(ktest_wait_child(p), -77);
}

KTEST(PRC0004, "kill reaches every thread, a spinning one included: thread_wait gets the kill status")
{
    struct blocked b;
    ae_handle_t t;
    struct ae_process_info pi;

    if (!start_blocked(&b, NULL))
        return;
    t = second_thread(b.p, (uint64_t)prc_spin);
    CHECK_EQ(ktest_pinfo(b.p).nthreads, t ? 2 : 1);
    CHECK_OK(ae_process_kill(b.p, 44));
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 44);
    if (t) {
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 44);
        ae_handle_close(t);
    }
    pi = ktest_pinfo(b.p);
    CHECK_EQ(pi.state, 1);
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(finish(&b), 44);
}

KTEST(PRC0005, "the main thread's exit ends the process while another thread spins")
{
    struct blocked b;
    ae_handle_t t;

    if (!start_blocked(&b, NULL))
        return;
    t = second_thread(b.p, (uint64_t)prc_spin);
    wake(&b, 55);               /* child_block returns: process_exit(55) */
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 55);
    if (t) {
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 55);
        ae_handle_close(t);
    }
    CHECK_EQ(finish(&b), 55);
}

KTEST(PRC0006, "process_wait on a live child: timeout 0 -> TIMEOUT at once, 5 ms -> TIMEOUT after >= 5 ms")
{
    struct blocked b;
    int64_t t0;

    if (!start_blocked(&b, NULL))
        return;
    CHECK_EQ(ae_process_wait(b.p, 0), AE_ERR_TIMEOUT);
    t0 = ae_clock_get();
    CHECK_EQ(ae_process_wait(b.p, 5000000), AE_ERR_TIMEOUT);
    CHECK(ae_clock_get() - t0 >= 5000000);
    CHECK_EQ(ktest_pinfo(b.p).state, 0);
    wake(&b, 6);
    CHECK_EQ(finish(&b), 6);
}

KTEST(PRC0007, "process_wait on an already-dead process returns its status again, every time")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_ret, 7, &small_lim, 0, NULL));

    if (!p)
        return;
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 7);
    CHECK_EQ(ae_process_wait(p, 0), 7);
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 7);
    CHECK_EQ(ae_process_wait(p, AE_WAIT_FOREVER), 7);
    CHECK_EQ(ktest_pinfo(p).exit_status, 7);
    CHECK_EQ(ktest_wait_child(p), 7);
}

struct waiter {
    ae_handle_t p;
    int64_t result;
};

static void waiter_thread(void *arg)
{
    struct waiter *w = arg;
    w->result = ae_process_wait(w->p, KTEST_WAIT_NS);
}

KTEST(PRC0008, "threads blocked in process_wait all get the status when the process is killed")
{
    struct blocked b;
    struct waiter w[3];
    ae_handle_t t[3];

    if (!start_blocked(&b, NULL))
        return;
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){b.p, 12345};
        t[i] = CHECK_HANDLE(ktest_thread(waiter_thread, &w[i]));
    }
    CHECK_OK(ae_process_kill(b.p, 88));
    for (int i = 0; i < 3; i++) {
        if (t[i])
            CHECK_EQ(ktest_join(t[i]), 0);
        CHECK_EQ(w[i].result, 88);
    }
    CHECK_EQ(finish(&b), 88);
}

static int64_t child_sleep(uint64_t arg)
{
    ae_sleep_until((uint64_t)ae_clock_get() + 3600000000000ull);
    return 1;
}

KTEST(PRC0026, "kill a child sleeping until a far deadline: wait returns the kill status at once")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_sleep, 0, &small_lim, 0, NULL));

    if (!p)
        return;
    CHECK_EQ(ae_process_wait(p, 0), AE_ERR_TIMEOUT);
    CHECK_OK(ae_process_kill(p, 26));
    CHECK_EQ(ktest_wait_child(p), 26);
}

/* ---- process_info ------------------------------------------------------------- */

KTEST(PRC0009, "process_info: distinct pids, state, nthreads, the limits given, usage; empty after death")
{
    static const struct ae_quota_limits lim = {48, 20, 3, 50};
    struct blocked a, b;
    struct ae_process_info pa, pb, me = ktest_pinfo(ktest_self);

    if (!start_blocked(&a, &lim))
        return;
    if (!start_blocked(&b, &lim)) {
        ae_process_kill(a.p, 0);
        finish(&a);
        return;
    }
    pa = ktest_pinfo(a.p);
    pb = ktest_pinfo(b.p);
    CHECK(pa.pid != pb.pid && pa.pid != me.pid && pb.pid != me.pid);
    CHECK_EQ(pa.state, 0);
    CHECK_EQ(pa.nthreads, 1);
    CHECK_EQ(pa.limit.pages, 48);
    CHECK_EQ(pa.limit.handles, 20);
    CHECK_EQ(pa.limit.threads, 3);
    CHECK_EQ(pa.limit.cpu_permille, 50);
    CHECK_EQ(pa.used.threads, 1);
    CHECK_EQ(pa.used.handles, 1);           /* the endpoint it was given */
    /* Its page tables (its image and stack are ours): the PML4 and a PDPT,
     * PD and PT each for the image and the stack; its thread's kernel
     * stack; and kernel bytes for its thread, handle and handle table. */
    CHECK_EQ(ktest_frames_of(&pa), 7 + AE_THREAD_KSTACK_PAGES);
    CHECK(pa.kernel_bytes > 0);
    CHECK_EQ(pa.used.pages, ktest_frames_of(&pa) + ktest_kpages(&pa));
    CHECK_EQ(pa.carved.pages, 0);
    CHECK_EQ(pa.carved.threads, 0);
    wake(&a, 9);
    CHECK_EQ(finish(&a), 9);
    CHECK_OK(ae_process_kill(b.p, 10));
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 10);
    pb = ktest_pinfo(b.p);
    CHECK_EQ(pb.state, 1);
    CHECK_EQ(pb.nthreads, 0);
    CHECK_EQ(pb.exit_status, 10);
    CHECK_EQ(pb.used.pages, 0);
    CHECK_EQ(pb.kernel_bytes, 0);
    CHECK_EQ(pb.used.handles, 0);
    CHECK_EQ(pb.used.threads, 0);
    CHECK_EQ(finish(&b), 10);
}

/* ---- process_create ------------------------------------------------------------ */

KTEST(PRC0010, "process_create: a NULL name is fine; the new process is alive, has no threads, 1 page")
{
    static const struct ae_quota_limits lim = {5, 6, 1, 0};
    uint64_t carved = ktest_pinfo(ktest_self).carved.pages;
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, NULL, &lim));
    struct ae_process_info pi = ktest_pinfo(p);
    struct ae_handle_info hi;

    CHECK_EQ(pi.state, 0);
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(pi.used.pages, 1);             /* its PML4 */
    CHECK_EQ(pi.kernel_bytes, 0);           /* its object is ours to pay */
    CHECK_EQ(pi.limit.pages, 5);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved + 5);
    CHECK_OK(ae_handle_info(p, &hi));
    CHECK_EQ(hi.type, AE_OBJ_PROCESS);
    CHECK_EQ(hi.rights, AE_RIGHTS_ALL);
    CHECK_EQ(ae_process_wait(p, 0), AE_ERR_TIMEOUT);
    CHECK_OK(ae_handle_close(p));           /* nobody else holds it: released */
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved);
}

KTEST(PRC0011, "process_create: limits or name at a bad address -> FAULT, nothing carved")
{
    static const struct ae_quota_limits lim = {4, 4, 1, 0};
    struct ae_process_info before = ktest_pinfo(ktest_self), after;
    int64_t v = ae_vmo_create(PAGE, 0);

    CHECK_EQ(ae_process_create(ktest_self, "x", NULL), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, "x", (void *)KTEST_KERNEL_ADDR), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, "x", (void *)KTEST_UNMAPPED), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, "x", (void *)KTEST_NONCANONICAL), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, (const char *)KTEST_KERNEL_ADDR, &lim), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, (const char *)KTEST_UNMAPPED, &lim), AE_ERR_FAULT);
    /* Limits straddling the end of a mapping. */
    CHECK(v > 0);
    CHECK_OK(ae_vmo_map((ae_handle_t)v, 0, VA, 0, PAGE, RW));
    *(struct ae_quota_limits *)(VA + PAGE - 32) = lim;
    CHECK_EQ(ae_process_create(ktest_self, NULL, (void *)(VA + PAGE - 16)), AE_ERR_FAULT);
    after = ktest_pinfo(ktest_self);
    CHECK_EQ(after.carved.pages, before.carved.pages);
    CHECK_EQ(after.used.handles, before.used.handles + 1);     /* the VMO */
    /* The same limits fully inside the mapping are fine. */
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, NULL, (void *)(VA + PAGE - 32)));
    CHECK_EQ(ktest_pinfo(p).limit.pages, 4);
    ae_handle_close(p);
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    ae_handle_close((ae_handle_t)v);
}

KTEST(PRC0012, "process_create: no MANAGE -> ACCESS, not a process -> INVAL, limits too large or 0 pages -> QUOTA")
{
    struct ae_process_info me = ktest_pinfo(ktest_self);
    uint64_t avail = me.limit.pages - me.used.pages - me.carved.pages;
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    struct ae_quota_limits lim = {4, 4, 1, 0};

    CHECK_EQ(ae_process_create(weak, "x", &lim), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_create(ep, "x", &lim), AE_ERR_INVAL);
    lim.pages = avail + 1;
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    lim.pages = ~0ull;
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    lim = (struct ae_quota_limits){4, me.limit.handles, 1, 0};
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    lim = (struct ae_quota_limits){4, 4, me.limit.threads, 0};
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    lim = (struct ae_quota_limits){4, 4, 1, me.limit.cpu_permille + 1};
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    /* A process needs one page for its page-table root. */
    lim = (struct ae_quota_limits){0, 4, 1, 0};
    CHECK_EQ(ae_process_create(ktest_self, "x", &lim), AE_ERR_QUOTA);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, me.carved.pages);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.handles, me.carved.handles);
    ae_handle_close(weak);
    ae_handle_close(ep);
}

KTEST(PRC0013, "process_create with a dead parent -> PEER_CLOSED")
{
    static const struct ae_quota_limits lim = {8, 4, 1, 0}, sub = {2, 1, 0, 0};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "parent", &lim));

    CHECK_OK(ae_process_kill(p, 13));
    CHECK_EQ(ae_process_wait(p, 0), 13);
    CHECK_EQ(ae_process_create(p, "orphan", &sub), AE_ERR_PEER_CLOSED);
    ae_handle_close(p);
}

KTEST(PRC0014, "process_create accepts a short name that ends right before an unmapped page")
{
    static const struct ae_quota_limits lim = {4, 4, 1, 0};
    int64_t v = ae_vmo_create(PAGE, 0), p;
    char *name = (char *)(VA + PAGE - 5);

    CHECK(v > 0);
    CHECK_OK(ae_vmo_map((ae_handle_t)v, 0, VA, 0, PAGE, RW));
    name[0] = 'e', name[1] = 'd', name[2] = 'g', name[3] = 'e', name[4] = '\0';
    p = ae_process_create(ktest_self, name, &lim);
    CHECK(p > 0);
    if (p > 0)
        ae_handle_close((ae_handle_t)p);
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    ae_handle_close((ae_handle_t)v);
}

/* ---- threads in another process ---------------------------------------------- */

KTEST(PRC0015, "thread_create: outside user space -> INVAL, no MANAGE -> ACCESS, no thread quota -> QUOTA, dead -> PEER_CLOSED")
{
    static const struct ae_quota_limits lim = {4, 4, 1, 0}, nothreads = {4, 4, 0, 0};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "t", &lim));
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "t0", &nothreads));
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(p, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));

    CHECK_EQ(ae_thread_create(p, 0x0000800000000000ull, AE_STACK_TOP, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(p, KTEST_KERNEL_ADDR, AE_STACK_TOP, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(p, 0x400000, 0x0000800000000008ull, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(p, 0x400000, KTEST_KERNEL_ADDR, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(weak, 0x400000, AE_STACK_TOP, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_create(q, 0x400000, AE_STACK_TOP, 0), AE_ERR_QUOTA);
    CHECK_EQ(ktest_pinfo(p).nthreads, 0);
    CHECK_EQ(ktest_pinfo(q).nthreads, 0);
    CHECK_OK(ae_process_kill(p, 15));
    CHECK_EQ(ae_thread_create(p, 0x400000, AE_STACK_TOP, 0), AE_ERR_PEER_CLOSED);
    ae_handle_close(weak);
    ae_handle_close(p);
    ae_handle_close(q);
}

static void nothing_thread(void *arg)
{
}

KTEST(PRC0016, "thread_start: a thread whose process was killed before it ran -> PEER_CLOSED; twice -> BUSY")
{
    static const struct ae_quota_limits lim = {8, 4, 1, 10};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "never", &lim));
    int64_t t = ae_thread_create(p, 0x400000, AE_STACK_TOP, 0);
    ae_handle_t mine;

    CHECK(t > 0);
    if (t > 0) {
        CHECK_EQ(ktest_pinfo(p).nthreads, 1);
        CHECK_OK(ae_process_kill(p, 16));       /* kills the unstarted thread: p dies */
        CHECK_EQ(ae_process_wait(p, 0), 16);
        CHECK_EQ(ae_thread_start((ae_handle_t)t), AE_ERR_PEER_CLOSED);
        CHECK_EQ(ae_thread_wait((ae_handle_t)t, 0), 16);
        ae_handle_close((ae_handle_t)t);
    }
    ae_handle_close(p);
    mine = CHECK_HANDLE(ktest_thread(nothing_thread, NULL));
    if (mine) {
        CHECK_EQ(ae_thread_start(mine), AE_ERR_BUSY);
        CHECK_EQ(ktest_join(mine), 0);
    }
}

/* ---- many processes, trees ----------------------------------------------------- */

KTEST(PRC0017, "20 children one after another: each status arrives, all quota comes back each time")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), now;

    for (int i = 0; i < 20; i++) {
        ae_handle_t p = CHECK_HANDLE(ktest_child(child_ret, 100 + i, NULL, 0, NULL));
        if (!p)
            break;
        CHECK_EQ(ktest_wait_child(p), 100 + i);
        now = ktest_pinfo(ktest_self);
        CHECK_EQ(now.carved.pages, before.carved.pages);
        CHECK_EQ(now.used.pages, before.used.pages);
        CHECK_EQ(now.used.handles, before.used.handles);
    }
}

KTEST(PRC0018, "8 children alive at once: distinct pids, carves add up, killed in reverse order, all back")
{
    struct blocked b[8];
    uint64_t pid[8], carved = ktest_pinfo(ktest_self).carved.pages;
    int n = 0;

    for (; n < 8; n++) {
        if (!start_blocked(&b[n], &small_lim))
            break;
        pid[n] = ktest_pinfo(b[n].p).pid;
        for (int k = 0; k < n; k++)
            CHECK(pid[k] != pid[n]);
    }
    CHECK_EQ(n, 8);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved + n * small_lim.pages);
    for (int i = n - 1; i >= 0; i--) {
        CHECK_OK(ae_process_kill(b[i].p, 180 + i));
        CHECK_EQ(finish(&b[i]), 180 + i);
        CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved + i * small_lim.pages);
    }
}

/* The middle generation: receives its own process handle and an endpoint
 * to answer on, creates a grandchild, and either waits for it (mode 1) or
 * hands it to us and exits (mode 2). */
static int64_t gc_block(uint64_t recv)
{
    struct ae_msg m = {0};
    ae_ipc_recv((ae_handle_t)recv, &m);
    return 3;
}

static int64_t child_parent(uint64_t recv)
{
    static const struct ae_quota_limits gclim = {32, 16, 1, 10};
    struct ae_msg m = {0}, out = {0};
    ae_handle_t gc, ep2, r2, given = 0;
    int64_t st;

    if (ae_ipc_recv((ae_handle_t)recv, &m) || AE_MSG_NHANDLES(m.info) != 2)
        return 1001;
    ktest_self = m.h[0];        /* our copy of ktest_child creates under it */
    if (m.w[0] == 1) {
        gc = ktest_child(child_ret, 5, &gclim, 0, NULL);
        if (!gc)
            return 1002;
        st = ktest_wait_child(gc);
        return st + 100;
    }
    ep2 = (ae_handle_t)ae_endpoint_create();
    r2 = (ae_handle_t)ae_handle_derive(ep2, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0);
    gc = ktest_child(gc_block, 0, &gclim, r2, &given);
    out = (struct ae_msg){AE_MSG_INFO(2, gc ? 1 : 0), {gc ? 0 : 1003}, {gc, 0, 0, 0}, 0};
    if (ae_ipc_send(m.h[1], &out))
        return 1004;
    return 20;                  /* exits, the grandchild lives on */
}

extern char __image_start[], __image_end[];

static int start_parent(struct blocked *b, ae_handle_t *back, uint64_t mode)
{
    /* It pays for its child's image copy and stack, and carves its quota. */
    uint64_t image = (uint64_t)(__image_end - __image_start) / PAGE;
    struct ae_quota_limits lim = {image + 16 + 32 + 32, 32, 4, 100};
    ae_handle_t self_h, send;
    struct ae_msg m;

    *back = CHECK_HANDLE(ae_endpoint_create());
    if (!start_with(b, child_parent, &lim)) {
        ae_handle_close(*back);
        return 0;
    }
    /* Should the child fault, the report arrives where its answer would. */
    CHECK_OK(ae_process_set_fault(b->p, *back, 0xfa));
    self_h = CHECK_HANDLE(ae_handle_derive(b->p, AE_RIGHTS_ALL, 0, 0));
    send = CHECK_HANDLE(ae_handle_derive(*back, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    m = (struct ae_msg){AE_MSG_INFO(1, 2), {mode, 0, 0, 0}, {self_h, send, 0, 0}, 0};
    CHECK_OK(ae_ipc_send(b->ep, &m));
    return 1;
}

KTEST(PRC0019, "a child creates a grandchild and waits for it: the status passes up, the tree is released")
{
    uint64_t carved = ktest_pinfo(ktest_self).carved.pages;
    struct blocked b;
    ae_handle_t back;

    if (!start_parent(&b, &back, 1))
        return;
    CHECK_EQ(finish(&b), 105);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved);
    ae_handle_close(back);
}

KTEST(PRC0020, "a grandchild outliving its parent keeps what it holds of that account until it dies; then all returns")
{
    uint64_t carved = ktest_pinfo(ktest_self).carved.pages, mid;
    struct ae_msg m = {0};
    struct blocked b;
    ae_handle_t back, gc = 0;

    if (!start_parent(&b, &back, 2))
        return;
    mid = ktest_pinfo(b.p).limit.pages;
    CHECK_OK(ae_ipc_recv(back, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 2);
    CHECK_EQ(m.w[0], 0);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    if (AE_MSG_NHANDLES(m.info) == 1)
        gc = m.h[0];
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 20);
    /* The dead child's account keeps only the grandchild's carve and the
     * grandchild's image, which the child paid for; the rest came back
     * when the child died. */
    CHECK(ktest_pinfo(ktest_self).carved.pages > carved);
    CHECK(ktest_pinfo(ktest_self).carved.pages < carved + mid);
    if (gc) {
        struct ae_process_info pi = ktest_pinfo(gc);
        CHECK_EQ(pi.state, 0);
        CHECK(pi.pid != ktest_pinfo(b.p).pid);
        CHECK_OK(ae_process_kill(gc, 9));
        CHECK_EQ(ae_process_wait(gc, KTEST_WAIT_NS), 9);
        ae_handle_close(gc);
    }
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved);
    CHECK_EQ(finish(&b), 20);
    ae_handle_close(back);
}

/* ---- rights and handles --------------------------------------------------------- */

KTEST(PRC0021, "wait w/o WAIT, info w/o READ, kill w/o MANAGE -> ACCESS; info to a bad buffer -> FAULT")
{
    struct blocked b;
    struct ae_process_info pi;
    ae_handle_t nowait, noread, nomanage, ep;

    if (!start_blocked(&b, NULL))
        return;
    nowait = CHECK_HANDLE(ae_handle_derive(b.p, AE_RIGHTS_ALL & ~AE_RIGHT_WAIT, 0, 0));
    noread = CHECK_HANDLE(ae_handle_derive(b.p, AE_RIGHTS_ALL & ~AE_RIGHT_READ, 0, 0));
    nomanage = CHECK_HANDLE(ae_handle_derive(b.p, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    ep = CHECK_HANDLE(ae_endpoint_create());
    CHECK_EQ(ae_process_wait(nowait, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_info(noread, &pi), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_kill(nomanage, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_info(b.p, NULL), AE_ERR_FAULT);
    CHECK_EQ(ae_process_info(b.p, (struct ae_process_info *)KTEST_KERNEL_ADDR), AE_ERR_FAULT);
    CHECK_EQ(ae_process_info(b.p, (struct ae_process_info *)(uintptr_t)child_ret), AE_ERR_FAULT);
    CHECK_EQ(ae_process_info(ep, &pi), AE_ERR_INVAL);
    CHECK_EQ(ae_process_kill(ep, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_process_wait(ep, 0), AE_ERR_INVAL);
    CHECK_EQ(ktest_pinfo(b.p).state, 0);          /* nothing happened to it */
    ae_handle_close(nowait);
    ae_handle_close(noread);
    ae_handle_close(nomanage);
    ae_handle_close(ep);
    wake(&b, 21);
    CHECK_EQ(finish(&b), 21);
}

KTEST(PRC0022, "handle_grant: into a live child the handle moves; into a dead one -> PEER_CLOSED, it stays")
{
    struct blocked b;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    struct ae_handle_info hi;
    int64_t g;

    if (!start_blocked(&b, NULL)) {
        ae_handle_close(ep);
        return;
    }
    CHECK_EQ(ktest_pinfo(b.p).used.handles, 1);
    g = ae_handle_grant(b.p, ep);
    CHECK(g > 0);
    CHECK_EQ(ae_handle_info(ep, &hi), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ktest_pinfo(b.p).used.handles, 2);
    CHECK_OK(ae_process_kill(b.p, 22));
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 22);
    ep = CHECK_HANDLE(ae_endpoint_create());
    CHECK_EQ(ae_handle_grant(b.p, ep), AE_ERR_PEER_CLOSED);
    CHECK_OK(ae_handle_info(ep, &hi));
    CHECK_EQ(hi.type, AE_OBJ_ENDPOINT);
    ae_handle_close(ep);
    CHECK_EQ(finish(&b), 22);
}

static int64_t child_caller(uint64_t send)
{
    struct ae_msg m = {AE_MSG_INFO(23, 0), {0}, {0}, 0};
    return ae_ipc_call((ae_handle_t)send, &m) ? 1 : 2;
}

KTEST(PRC0023, "killing a child blocked in a call to us: our reply then gets PEER_CLOSED")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), given = 0;
    ae_handle_t send = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_caller, 0, NULL, send, &given));
    struct ae_msg m = {0};

    if (p) {
        CHECK_OK(ae_ipc_recv(ep, &m));
        CHECK_EQ(AE_MSG_LABEL(m.info), 23);
        CHECK_OK(ae_process_kill(p, 23));
        CHECK_EQ(ktest_wait_child(p), 23);
        m = (struct ae_msg){0};
        CHECK_EQ(ae_ipc_reply(&m), AE_ERR_PEER_CLOSED);
        CHECK_EQ(ae_ipc_reply(&m), AE_ERR_NOTFOUND);
    }
    ae_handle_close(ep);
}

KTEST(PRC0024, "closing the last handle of a never-started process releases it and returns its quota")
{
    static const struct ae_quota_limits lim = {6, 16, 2, 10};
    uint64_t carved = ktest_pinfo(ktest_self).carved.pages;
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "unused", &lim));
    int64_t v = ae_vmo_create(2 * PAGE, 0);

    /* Give it something to release: a mapping and a handle. */
    CHECK(v > 0);
    CHECK_OK(ae_vmo_map((ae_handle_t)v, p, VA, 0, 2 * PAGE, RW));
    CHECK(ae_handle_grant(p, (ae_handle_t)v) > 0);
    CHECK_EQ(ktest_pinfo(p).used.handles, 1);
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved + 6);
    CHECK_OK(ae_handle_close(p));
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, carved);
}

/* Grants n endpoints into p; returns how many it took, stops at the first
 * refusal (its code in *err). */
static int grant_endpoints(ae_handle_t p, int n, int64_t *err)
{
    for (int i = 0; i < n; i++) {
        ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
        int64_t g = ae_handle_grant(p, ep);
        if (g <= 0) {
            *err = g;
            ae_handle_close(ep);
            return i;
        }
    }
    *err = 0;
    return n;
}

KTEST(PRC0025, "a process holds as many handles as its quota allows (4, 20), then QUOTA")
{
    static const uint64_t limits[] = {4, 20};

    for (unsigned k = 0; k < 2; k++) {
        struct ae_quota_limits lim = {4, limits[k], 1, 0};
        ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "h", &lim));
        int64_t err = 0;
        int n = grant_endpoints(p, (int)limits[k] + 1, &err);

        CHECK_EQ(n, limits[k]);
        CHECK_EQ(err, AE_ERR_QUOTA);
        CHECK_EQ(ktest_pinfo(p).used.handles, n);
        ae_handle_close(p);
    }
}

KTEST(PRC0027, "the first kill's status sticks while a thread on another CPU is still on its way out")
{
    /* A spinning thread pinned away from us is RUNNING when the first kill
     * comes, so the process lives on until that CPU notices; a second kill
     * (or a fault) in that window must not replace the status. With one CPU
     * there is no window and the test is trivially true. */
    static const struct ae_quota_limits lim = {256, 64, 8, 1000};
    unsigned ncpus = ae_bootinfo->ncpus;
    struct blocked b;
    ae_handle_t t;
    uint64_t c0;

    if (!start_blocked(&b, ncpus > 1 ? &lim : NULL))
        return;
    c0 = ktest_pinfo(b.p).cpu_ns;
    t = second_thread(b.p, (uint64_t)prc_spin);
    if (t && ncpus > 1)
        CHECK_OK(ae_thread_set_affinity(t, ncpus - 1));
    /* It is spinning once its process has used more CPU time (bounded). */
    for (int i = 0; t && ncpus > 1 && i < 1000000 && ktest_pinfo(b.p).cpu_ns == c0; i++)
        ae_yield();
    CHECK_OK(ae_process_kill(b.p, 5));
    CHECK_OK(ae_process_kill(b.p, 6));
    CHECK_EQ(ae_process_wait(b.p, KTEST_WAIT_NS), 5);
    if (t) {
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 5);
        ae_handle_close(t);
    }
    CHECK_EQ(finish(&b), 5);
}
