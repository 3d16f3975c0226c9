/*
 * Quotas: the counts process_info reports, carving at process_create (all
 * or nothing), exhausting each kind inside a child (pages, handles,
 * threads, grandchildren), charges that move with VMOs, and quota coming
 * back when children die or are killed.
 *
 * Children report through their exit status: 0 for success, else the
 * number of the step that went wrong (or, where the test says so, a count).
 * Children that need a handle to their own process get it as the first
 * message on the endpoint they are given (child_with_self / recv_self).
 */
#include "ktest.h"

#define PAGE 4096ull
#define DUMMY_ENTRY 0x400000ull             /* threads that are never started */

static const struct ae_quota_limits dflt = {256, 64, 8, 100};   /* ktest_child's */

/* A thread entry that exits with code 7 without touching memory. */
_Static_assert(AE_SYS_thread_exit == 16, "the exit stub below hard-codes it");
extern char qta_thread_exit7[];
__asm__(".pushsection .text\n"
        ".globl qta_thread_exit7\n"
        "qta_thread_exit7:\n"
        "    movl $16, %eax\n"
        "    movl $7, %edi\n"
        "    syscall\n"
        "    ud2\n"
        ".popsection\n");

static uint64_t avail_of(const struct ae_process_info *pi, int kind)
{
    const uint64_t *l = &pi->limit.pages, *u = &pi->used.pages, *c = &pi->carved.pages;
    return l[kind] - u[kind] - c[kind];
}

#define CHECK_LIMITS_EQ(a, b)                                               \
    do {                                                                    \
        CHECK_EQ((a).pages, (b).pages);                                     \
        CHECK_EQ((a).handles, (b).handles);                                 \
        CHECK_EQ((a).threads, (b).threads);                                 \
        CHECK_EQ((a).cpu_permille, (b).cpu_permille);                       \
    } while (0)

/* Child side: its own process handle arrives on the endpoint it was given. */
static ae_handle_t recv_self(ae_handle_t ep)
{
    struct ae_msg m = {0};

    if (ae_ipc_recv(ep, &m) != AE_OK || AE_MSG_NHANDLES(m.info) != 1)
        return 0;
    ae_handle_close(ep);
    return m.h[0];
}

/* Parent side: a child running fn(its endpoint), sent a handle to itself
 * with all rights. Only the child can receive on the endpoint, so if it
 * dies first our send fails instead of blocking. */
static ae_handle_t child_with_self(int64_t (*fn)(uint64_t), const struct ae_quota_limits *lim)
{
    ae_handle_t ep = (ae_handle_t)ae_endpoint_create(), r, s, given = 0, p;
    int64_t self;

    if ((int32_t)ep <= 0)
        return 0;
    r = (ae_handle_t)ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0);
    s = (ae_handle_t)ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0);
    ae_handle_close(ep);
    p = ktest_child(fn, 0, lim, r, &given);
    if (!p) {
        ae_handle_close(r);
        ae_handle_close(s);
        return 0;
    }
    self = ae_handle_derive(p, AE_RIGHTS_ALL, 0, 0);
    if (self > 0) {
        struct ae_msg m = {AE_MSG_INFO(1, 1), {0}, {(ae_handle_t)self, 0, 0, 0}, 0};
        if (ae_ipc_send(s, &m) != AE_OK)
            ae_handle_close((ae_handle_t)self);
    }
    ae_handle_close(s);
    return p;
}

/* ---- what process_info reports ------------------------------------------------ */

KTEST(QTA0001, "process_info of the own process is consistent: alive, used + carved <= limit, threads match")
{
    struct ae_process_info pi = ktest_pinfo(ktest_self);

    CHECK_EQ(pi.state, 0);
    CHECK(pi.pid >= 1);
    CHECK(pi.nthreads >= 1);
    CHECK_EQ(pi.used.threads, pi.nthreads);
    CHECK(pi.used.handles >= 1);
    CHECK(pi.used.pages >= 1);
    CHECK(pi.used.pages + pi.carved.pages <= pi.limit.pages);
    CHECK(pi.used.handles + pi.carved.handles <= pi.limit.handles);
    CHECK(pi.used.threads + pi.carved.threads <= pi.limit.threads);
    CHECK(pi.used.cpu_permille + pi.carved.cpu_permille <= pi.limit.cpu_permille);
    CHECK_EQ(ae_process_info(ktest_self, (struct ae_process_info *)KTEST_KERNEL_ADDR),
             AE_ERR_FAULT);
}

KTEST(QTA0002, "each handle created or closed moves used.handles by exactly one; refused calls charge nothing")
{
    uint64_t u0 = ktest_pinfo(ktest_self).used.handles;
    ae_handle_t e = CHECK_HANDLE(ae_endpoint_create());
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 1);
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 2);
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(e, AE_RIGHT_SEND, 0, 0));
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 3);
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(PAGE, 0));
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 4);

    CHECK_EQ(ae_handle_derive(e, AE_RIGHT_MANAGE, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_SEND, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_create(0, 0), AE_ERR_INVAL);
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 4);

    CHECK_OK(ae_handle_close(d));
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0 + 3);
    CHECK_OK(ae_handle_close(v));
    CHECK_OK(ae_handle_close(n));
    CHECK_OK(ae_handle_close(e));
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, u0);
}

KTEST(QTA0003, "vmo_create charges exactly its pages (rounded up) as frames; close returns them and the object bytes; refused sizes charge nothing")
{
    uint64_t p0 = ktest_frames(ktest_self), kb0 = ktest_pinfo(ktest_self).kernel_bytes;
    struct ae_vmo_info vi;
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(3 * PAGE, 0));

    CHECK_EQ(ktest_frames(ktest_self), p0 + 3);
    ae_handle_t w = CHECK_HANDLE(ae_vmo_create(PAGE + 1, 0));
    CHECK_EQ(ktest_frames(ktest_self), p0 + 5);
    CHECK_OK(ae_vmo_info(w, &vi));
    CHECK_EQ(vi.size, 2 * PAGE);
    CHECK_EQ(ae_vmo_create(0, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create((1ull << 30) + PAGE, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create(~0ull, 0), AE_ERR_INVAL);
    CHECK_EQ(ktest_frames(ktest_self), p0 + 5);
    CHECK_OK(ae_handle_close(v));
    CHECK_EQ(ktest_frames(ktest_self), p0 + 2);
    CHECK_OK(ae_handle_close(w));
    CHECK_EQ(ktest_frames(ktest_self), p0);
    CHECK_EQ(ktest_pinfo(ktest_self).kernel_bytes, kb0);    /* the objects' bytes too */
}

KTEST(QTA0004, "thread_create charges a thread to the target process (its handle to the caller); closing an unstarted thread returns it")
{
    struct ae_quota_limits lim = {8, 4, 2, 0};
    struct ae_process_info me0 = ktest_pinfo(ktest_self), me1, qi;
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(ktest_self, DUMMY_ENTRY, 0, 0));

    me1 = ktest_pinfo(ktest_self);
    CHECK_EQ(me1.used.threads, me0.used.threads + 1);
    CHECK_EQ(me1.nthreads, me0.nthreads + 1);
    CHECK_EQ(me1.used.handles, me0.used.handles + 1);
    CHECK_OK(ae_handle_close(t));
    me1 = ktest_pinfo(ktest_self);
    CHECK_EQ(me1.used.threads, me0.used.threads);
    CHECK_EQ(me1.nthreads, me0.nthreads);

    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta4", &lim));
    me0 = ktest_pinfo(ktest_self);
    t = CHECK_HANDLE(ae_thread_create(q, DUMMY_ENTRY, 0, 0));
    me1 = ktest_pinfo(ktest_self);
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.used.threads, 1);
    CHECK_EQ(qi.nthreads, 1);
    CHECK_EQ(qi.used.handles, 0);
    CHECK_EQ(me1.used.threads, me0.used.threads);
    CHECK_EQ(me1.used.handles, me0.used.handles + 1);
    CHECK_OK(ae_handle_close(t));
    ae_handle_close(q);
}

/* ---- carving at process_create --------------------------------------------- */

KTEST(QTA0005, "process_create carves exactly the limits from the parent; the child starts with them and nothing used but its page table")
{
    struct ae_quota_limits lim = {40, 20, 3, 7};
    struct ae_process_info before = ktest_pinfo(ktest_self), after, qi;
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta5", &lim));

    after = ktest_pinfo(ktest_self);
    CHECK_EQ(after.carved.pages, before.carved.pages + 40);
    CHECK_EQ(after.carved.handles, before.carved.handles + 20);
    CHECK_EQ(after.carved.threads, before.carved.threads + 3);
    CHECK_EQ(after.carved.cpu_permille, before.carved.cpu_permille + 7);
    CHECK_EQ(after.used.handles, before.used.handles + 1);
    CHECK_LIMITS_EQ(after.limit, before.limit);
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.state, 0);
    CHECK(qi.pid != before.pid);
    CHECK_EQ(qi.nthreads, 0);
    CHECK_LIMITS_EQ(qi.limit, lim);
    CHECK_EQ(qi.used.pages, 1);                 /* its top-level page table */
    CHECK_EQ(qi.used.handles, 0);
    CHECK_EQ(qi.used.threads, 0);
    CHECK_EQ(qi.carved.pages + qi.carved.handles + qi.carved.threads + qi.carved.cpu_permille, 0);
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_handle_close(q));
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
}

KTEST(QTA0006, "process_create with any one limit beyond what the parent has left is AE_ERR_QUOTA and carves nothing")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), after;

    for (int k = 0; k < 4; k++) {
        struct ae_quota_limits lim = {8, 4, 1, 0};
        uint64_t *f = &lim.pages;
        f[k] = avail_of(&before, k) + 1;
        CHECK_EQ(ae_process_create(ktest_self, "qta6", &lim), AE_ERR_QUOTA);
        f[k] = ~0ull;
        CHECK_EQ(ae_process_create(ktest_self, "qta6", &lim), AE_ERR_QUOTA);
    }
    const struct ae_quota_limits huge = {~0ull, ~0ull, ~0ull, ~0ull};
    CHECK_EQ(ae_process_create(ktest_self, "qta6", &huge), AE_ERR_QUOTA);
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
    CHECK_LIMITS_EQ(after.used, before.used);
}

KTEST(QTA0007, "a child may take all the pages left (less the kernel bytes its creation costs); the parent then gets AE_ERR_QUOTA until the child is gone")
{
    struct ae_process_info before = ktest_pinfo(ktest_self);
    struct ae_quota_limits lim = {avail_of(&before, 0), 4, 1, 0};
    int64_t r = ae_process_create(ktest_self, "qta7", &lim);

    /* The child's process object, account and our handle to it are kernel
     * bytes we pay: they may need one page of what was left. */
    if (r == AE_ERR_QUOTA) {
        lim.pages--;
        r = ae_process_create(ktest_self, "qta7", &lim);
    }
    ae_handle_t q = CHECK_HANDLE(r);
    struct ae_process_info mid = ktest_pinfo(ktest_self);

    CHECK_EQ(mid.used.pages + mid.carved.pages, mid.limit.pages);
    CHECK_EQ(ae_vmo_create(PAGE, 0), AE_ERR_QUOTA);
    CHECK_EQ(ktest_frames(ktest_self), ktest_frames_of(&before));
    CHECK_OK(ae_handle_close(q));
    CHECK_EQ(ktest_pinfo(ktest_self).used.pages, before.used.pages);
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(PAGE, 0));
    ae_handle_close(v);
}

KTEST(QTA0008, "process_create with unreadable limits or name is AE_ERR_FAULT, under a dead parent AE_ERR_PEER_CLOSED; nothing is carved")
{
    struct ae_quota_limits lim = {8, 4, 1, 0};
    struct ae_process_info before = ktest_pinfo(ktest_self), after;
    ae_handle_t q;

    CHECK_EQ(ae_process_create(ktest_self, "qta8", NULL), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, "qta8",
                               (const struct ae_quota_limits *)KTEST_KERNEL_ADDR), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, "qta8",
                               (const struct ae_quota_limits *)KTEST_UNMAPPED), AE_ERR_FAULT);
    CHECK_EQ(ae_process_create(ktest_self, (const char *)KTEST_KERNEL_ADDR, &lim), AE_ERR_FAULT);
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
    CHECK_EQ(after.used.handles, before.used.handles);

    q = CHECK_HANDLE(ae_process_create(ktest_self, "qta8", &lim));
    CHECK_OK(ae_process_kill(q, 1));
    CHECK_EQ(ae_process_create(q, "qta8g", &lim), AE_ERR_PEER_CLOSED);
    CHECK_EQ(ae_thread_create(q, DUMMY_ENTRY, 0, 0), AE_ERR_PEER_CLOSED);
    ae_handle_close(q);
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
}

KTEST(QTA0009, "a grandchild is carved from the child, not from us: larger than the child has left is AE_ERR_QUOTA")
{
    struct ae_quota_limits lim = {32, 16, 4, 10};
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta9", &lim));
    struct ae_process_info me = ktest_pinfo(ktest_self), qi = ktest_pinfo(q), gi;
    uint64_t left = 32 - qi.used.pages;
    struct ae_quota_limits big_pages = {left + 1, 1, 1, 0};
    struct ae_quota_limits big_handles = {4, 17, 1, 0};
    struct ae_quota_limits big_threads = {4, 1, 5, 0};
    struct ae_quota_limits big_cpu = {4, 1, 1, 11};
    struct ae_quota_limits fits = {8, 4, 1, 5};

    CHECK_EQ(ae_process_create(q, "g", &big_pages), AE_ERR_QUOTA);
    CHECK_EQ(ae_process_create(q, "g", &big_handles), AE_ERR_QUOTA);
    CHECK_EQ(ae_process_create(q, "g", &big_threads), AE_ERR_QUOTA);
    CHECK_EQ(ae_process_create(q, "g", &big_cpu), AE_ERR_QUOTA);
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.carved.pages + qi.carved.handles + qi.carved.threads + qi.carved.cpu_permille, 0);

    ae_handle_t g = CHECK_HANDLE(ae_process_create(q, "g", &fits));
    qi = ktest_pinfo(q);
    CHECK_LIMITS_EQ(qi.carved, fits);
    CHECK_EQ(qi.used.handles, 0);                   /* the handle is ours */
    gi = ktest_pinfo(g);
    CHECK_LIMITS_EQ(gi.limit, fits);
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, me.carved);
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, me.used.handles + 1);
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_handle_close(g));
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.carved.pages + qi.carved.handles + qi.carved.threads + qi.carved.cpu_permille, 0);
    ae_handle_close(q);
}

KTEST(QTA0010, "a dead child's account lives on, shrunk to what its grandchild holds; the grandchild's death returns both, cascading")
{
    struct ae_quota_limits lim = {32, 16, 4, 10}, glim = {8, 4, 1, 5};
    struct ae_process_info before = ktest_pinfo(ktest_self), qi;
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta10", &lim));
    ae_handle_t g = CHECK_HANDLE(ae_process_create(q, "g", &glim));

    CHECK_OK(ae_process_kill(q, 3));
    CHECK_EQ(ae_process_wait(q, 0), 3);
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.state, 1);
    /* q is dead: its account shrank to what g holds of it (g's carve and
     * the objects q paid for), the rest is ours again. */
    uint64_t held = ktest_pinfo(ktest_self).carved.pages - before.carved.pages;
    CHECK(held >= glim.pages && held < lim.pages);
    CHECK_EQ(ktest_pinfo(g).state, 0);
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_handle_close(q));
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, before.carved.pages + held);
    CHECK_OK(ae_handle_close(g));
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, before.carved);
}

/* ---- threads -------------------------------------------------------------------- */

KTEST(QTA0011, "threads up to the limit, then AE_ERR_QUOTA; closing one makes room; closing the last ends the process")
{
    struct ae_quota_limits lim = {16, 16, 3, 0};
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta11", &lim));
    ae_handle_t t[3];
    struct ae_process_info qi;

    for (int k = 0; k < 3; k++)
        t[k] = CHECK_HANDLE(ae_thread_create(q, DUMMY_ENTRY, 0, 0));
    CHECK_EQ(ae_thread_create(q, DUMMY_ENTRY, 0, 0), AE_ERR_QUOTA);
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.used.threads, 3);
    CHECK_EQ(qi.nthreads, 3);
    CHECK_OK(ae_handle_close(t[1]));
    CHECK_EQ(ktest_pinfo(q).used.threads, 2);
    t[1] = CHECK_HANDLE(ae_thread_create(q, DUMMY_ENTRY, 0, 0));
    CHECK_EQ(ae_thread_create(q, DUMMY_ENTRY, 0, 0), AE_ERR_QUOTA);
    CHECK_OK(ae_kernel_check(ktest_self));
    for (int k = 0; k < 3; k++)
        CHECK_OK(ae_handle_close(t[k]));
    qi = ktest_pinfo(q);
    CHECK_EQ(qi.state, 1);          /* its last thread is gone */
    CHECK_EQ(qi.nthreads, 0);
    CHECK_EQ(ae_thread_create(q, DUMMY_ENTRY, 0, 0), AE_ERR_PEER_CLOSED);
    ae_handle_close(q);
}

static int64_t child_threads(uint64_t ep)
{
    static uint64_t stack[64];
    ae_handle_t self = recv_self((ae_handle_t)ep), t[16];
    struct ae_process_info pi;
    int64_t r = 0;
    int n = 0;

    if (!self || ae_process_info(self, &pi) != AE_OK)
        return 1;
    if (pi.used.threads != 1 || pi.limit.threads > 16)
        return 2;
    while (n < 16 && (r = ae_thread_create(self, (uint64_t)qta_thread_exit7,
                                               (uint64_t)&stack[64], 0)) > 0)
        t[n++] = (ae_handle_t)r;
    if (r != AE_ERR_QUOTA)
        return 3;
    if ((uint64_t)n != pi.limit.threads - 1)
        return 4;
    if (ae_process_info(self, &pi) != AE_OK || pi.used.threads != pi.limit.threads)
        return 5;
    /* One runs and exits: its thread comes back. */
    if (ae_thread_start(t[0]) != AE_OK)
        return 6;
    if (ae_thread_wait(t[0], KTEST_WAIT_NS) != 7)
        return 7;
    if (ae_process_info(self, &pi) != AE_OK || pi.used.threads != pi.limit.threads - 1)
        return 8;
    if (ae_handle_close(t[0]) != AE_OK)
        return 9;
    r = ae_thread_create(self, (uint64_t)qta_thread_exit7, (uint64_t)&stack[64], 0);
    if (r <= 0)
        return 10;
    t[0] = (ae_handle_t)r;
    if (ae_thread_create(self, DUMMY_ENTRY, 0, 0) != AE_ERR_QUOTA)
        return 11;
    for (int k = 0; k < n; k++)
        if (ae_handle_close(t[k]) != AE_OK)
            return 12;
    if (ae_process_info(self, &pi) != AE_OK || pi.used.threads != 1)
        return 13;
    ae_handle_close(self);
    return 0;
}

KTEST(QTA0012, "inside a child: thread_create on itself until AE_ERR_QUOTA at its limit; a thread that exits gives its slot back")
{
    ae_handle_t p = CHECK_HANDLE(child_with_self(child_threads, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
}

/* ---- handles -------------------------------------------------------------------- */

static int64_t child_handles_recycle(uint64_t arg)
{
    ae_handle_t h[130];
    int64_t r = 0;
    int n = 0;

    while (n < 130 && (r = ae_endpoint_create()) > 0)
        h[n++] = (ae_handle_t)r;
    if (n == 130)
        return 1;
    if (r != AE_ERR_QUOTA)
        return 2;
    if (n < 32)
        return 3;
    if (ae_notify_create() != AE_ERR_QUOTA)
        return 4;
    if (ae_vmo_create(PAGE, 0) != AE_ERR_QUOTA)
        return 5;
    if (ae_handle_derive(h[0], AE_RIGHT_SEND, 0, 0) != AE_ERR_QUOTA)
        return 6;
    if (ae_handle_close(h[n - 1]) != AE_OK)
        return 7;
    r = ae_notify_create();
    if (r <= 0)
        return 8;
    h[n - 1] = (ae_handle_t)r;
    if (ae_endpoint_create() != AE_ERR_QUOTA)
        return 9;
    for (int k = 0; k < n; k++)
        if (ae_handle_close(h[k]) != AE_OK)
            return 10;
    /* Everything is back: a full round again. */
    r = ae_endpoint_create();
    if (r <= 0)
        return 11;
    ae_handle_close((ae_handle_t)r);
    return 0;
}

KTEST(QTA0013, "inside a child: handles until AE_ERR_QUOTA (endpoint, notification, VMO, derive all refused); closing one makes room for one")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_handles_recycle, 0, NULL, 0, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
    CHECK_OK(ae_kernel_check(ktest_self));
}

/* Exits with the number of endpoints it could create (1000 + error if the
 * last refusal was not AE_ERR_QUOTA). */
static int64_t child_count_handles(uint64_t arg)
{
    ae_handle_t h[130];
    int64_t r = 0;
    int n = 0;

    while (n < 130 && (r = ae_endpoint_create()) > 0)
        h[n++] = (ae_handle_t)r;
    for (int k = 0; k < n; k++)
        ae_handle_close(h[k]);
    return r == AE_ERR_QUOTA || n == 130 ? n : 1000 - r;
}

KTEST(QTA0014, "a child with a handle limit of 64 can hold exactly 64 handles")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_count_handles, 0, &dflt, 0, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 64);
}

KTEST(QTA0015, "children with handle limits of 8 and 24 can hold exactly 8 and 24 handles")
{
    struct ae_quota_limits l8 = {256, 8, 8, 100}, l24 = {256, 24, 8, 100};
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_count_handles, 0, &l8, 0, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 8);
    p = CHECK_HANDLE(ktest_child(child_count_handles, 0, &l24, 0, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 24);
}

KTEST(QTA0016, "handle_grant into a process fills its handle limit exactly, then AE_ERR_QUOTA and the giver keeps the handle")
{
    struct ae_quota_limits lim = {8, 8, 1, 0};
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "qta16", &lim));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    uint64_t mine = ktest_pinfo(ktest_self).used.handles;
    int granted = 0;
    int64_t r = 0;

    for (int k = 0; k < 9; k++) {
        ae_handle_t d = (ae_handle_t)ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0);
        r = ae_handle_grant(q, d);
        if (r < 0) {
            CHECK_EQ(ae_handle_info(d, &(struct ae_handle_info){0}), AE_OK);  /* kept */
            ae_handle_close(d);
            break;
        }
        granted++;
    }
    CHECK_EQ(granted, 8);
    CHECK_EQ(r, AE_ERR_QUOTA);
    CHECK_EQ(ktest_pinfo(q).used.handles, (uint64_t)granted);
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, mine);
    ae_handle_close(n);
    ae_handle_close(q);
}

/* ---- pages -------------------------------------------------------------------- */

static int64_t child_pages(uint64_t arg)
{
    ae_handle_t h[64];
    int64_t r = 0;
    int n = 0;

    if (ae_vmo_create(300 * PAGE, 0) != AE_ERR_QUOTA)     /* more than the whole limit */
        return 1;
    while (n < 64 && (r = ae_vmo_create(16 * PAGE, 0)) > 0)
        h[n++] = (ae_handle_t)r;
    if (n == 64)
        return 2;
    if (r != AE_ERR_QUOTA)
        return 3;
    if (n < 8)
        return 4;
    if (ae_vmo_create(16 * PAGE, 0) != AE_ERR_QUOTA)
        return 5;
    if (ae_handle_close(h[n - 1]) != AE_OK)
        return 6;
    r = ae_vmo_create(16 * PAGE, 0);
    if (r <= 0)
        return 7;
    h[n - 1] = (ae_handle_t)r;
    if (ae_vmo_create(16 * PAGE, 0) != AE_ERR_QUOTA)
        return 8;
    for (int k = 0; k < n; k++)
        if (ae_handle_close(h[k]) != AE_OK)
            return 9;
    r = ae_vmo_create(64 * PAGE, 0);
    if (r <= 0)
        return 10;
    ae_handle_close((ae_handle_t)r);
    return 0;
}

KTEST(QTA0017, "inside a child: VMOs until AE_ERR_QUOTA; a VMO bigger than the limit is refused; closing one makes room for one")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_pages, 0, NULL, 0, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
    CHECK_OK(ae_kernel_check(ktest_self));
}

static int64_t child_pages_exact(uint64_t ep)
{
    ae_handle_t self = recv_self((ae_handle_t)ep);
    struct ae_process_info pi;
    uint64_t used0, left;
    int64_t v;

    if (!self || ae_process_info(self, &pi) != AE_OK)
        return 1;
    used0 = pi.used.pages;
    left = pi.limit.pages - pi.used.pages - pi.carved.pages;
    if (left < 2)
        return 2;
    if (ae_vmo_create((left + 1) * PAGE, 0) != AE_ERR_QUOTA)
        return 3;
    if (ae_process_info(self, &pi) != AE_OK || pi.used.pages != used0)
        return 4;
    v = ae_vmo_create(left * PAGE, 0);
    if (v == AE_ERR_QUOTA)      /* its object's bytes took the last page */
        v = ae_vmo_create(--left * PAGE, 0);
    if (v <= 0)
        return 5;
    if (ae_process_info(self, &pi) != AE_OK || pi.used.pages != pi.limit.pages)
        return 6;
    if (ae_vmo_create(PAGE, 0) != AE_ERR_QUOTA)
        return 7;
    ae_handle_close((ae_handle_t)v);
    if (ae_process_info(self, &pi) != AE_OK || pi.used.pages != used0)
        return 8;
    ae_handle_close(self);
    return 0;
}

KTEST(QTA0018, "inside a child: a VMO of the pages left (less one its bytes may need) fills the quota, one more page is AE_ERR_QUOTA, used.pages follows")
{
    ae_handle_t p = CHECK_HANDLE(child_with_self(child_pages_exact, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
}

static int64_t child_grandchild(uint64_t ep)
{
    ae_handle_t self = recv_self((ae_handle_t)ep);
    struct ae_process_info pi;
    uint64_t left;
    int64_t g;

    if (!self || ae_process_info(self, &pi) != AE_OK)
        return 1;
    left = pi.limit.pages - pi.used.pages - pi.carved.pages;
    struct ae_quota_limits too_big = {left + 1, 1, 1, 0};
    struct ae_quota_limits too_many_threads = {1, 1, pi.limit.threads, 0};
    struct ae_quota_limits all_left = {left, 1, 1, 0};
    if (ae_process_create(self, "g", &too_big) != AE_ERR_QUOTA)
        return 2;
    if (ae_process_create(self, "g", &too_many_threads) != AE_ERR_QUOTA)
        return 3;
    if (ae_process_info(self, &pi) != AE_OK || pi.carved.pages || pi.carved.threads)
        return 4;
    g = ae_process_create(self, "g", &all_left);
    if (g == AE_ERR_QUOTA) {    /* the grandchild's kernel bytes took a page */
        all_left.pages = --left;
        g = ae_process_create(self, "g", &all_left);
    }
    if (g <= 0)
        return 5;
    if (ae_process_info(self, &pi) != AE_OK || pi.carved.pages != left ||
        pi.used.pages + pi.carved.pages != pi.limit.pages)
        return 6;
    if (ae_vmo_create(PAGE, 0) != AE_ERR_QUOTA)
        return 7;
    if (ae_handle_close((ae_handle_t)g) != AE_OK)
        return 8;
    if (ae_process_info(self, &pi) != AE_OK || pi.carved.pages || pi.carved.handles ||
        pi.carved.threads)
        return 9;
    g = ae_vmo_create(PAGE, 0);
    if (g <= 0)
        return 10;
    ae_handle_close((ae_handle_t)g);
    ae_handle_close(self);
    return 0;
}

KTEST(QTA0019, "inside a child: a grandchild larger than what is left is AE_ERR_QUOTA; one taking all that is left fits and returns it on close")
{
    ae_handle_t p = CHECK_HANDLE(child_with_self(child_grandchild, NULL));
    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
}

/* ---- quota coming back ------------------------------------------------------- */

static int64_t child_wait_signal(uint64_t n)
{
    return ae_notify_wait((ae_handle_t)n, KTEST_WAIT_NS) == 1 ? 0 : 1;
}

KTEST(QTA0020, "a running child holds exactly its carved limits; they come back when it exits")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), mid;
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_wait_signal, 0, NULL, w, NULL));

    if (p) {
        mid = ktest_pinfo(ktest_self);
        CHECK_EQ(mid.carved.pages, before.carved.pages + dflt.pages);
        CHECK_EQ(mid.carved.handles, before.carved.handles + dflt.handles);
        CHECK_EQ(mid.carved.threads, before.carved.threads + dflt.threads);
        CHECK_EQ(mid.carved.cpu_permille, before.carved.cpu_permille + dflt.cpu_permille);
        CHECK_OK(ae_kernel_check(ktest_self));
        CHECK_OK(ae_notify_signal(n, 1));
        CHECK_EQ(ktest_wait_child(p), 0);
    } else {
        ae_handle_close(w);
    }
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, before.carved);
    ae_handle_close(n);
}

/* Creates a 5-page VMO and sends it on the endpoint, moved or shared (arg
 * bit 32), then exits. */
static int64_t child_send_vmo(uint64_t arg)
{
    ae_handle_t ep = (ae_handle_t)arg;
    int64_t v = ae_vmo_create(5 * PAGE, 0);
    struct ae_msg m = {AE_MSG_INFO(0x5e, 1), {0}, {0}, 0};

    if (v <= 0)
        return 1;
    m.h[0] = (ae_handle_t)v;
    return ae_ipc_send(ep, &m) == AE_OK ? 0 : 2;
}

static int64_t child_share_vmo(uint64_t arg)
{
    ae_handle_t ep = (ae_handle_t)arg;
    int64_t v = ae_vmo_create(5 * PAGE, 0);
    struct ae_msg m = {AE_MSG_INFO(0x5f, 1) | AE_MSG_SHARE, {0}, {0}, 0};

    if (v <= 0)
        return 1;
    m.h[0] = (ae_handle_t)v;
    return ae_ipc_send(ep, &m) == AE_OK ? 0 : 2;
}

KTEST(QTA0021, "a VMO moved out of a child takes its page charge along: the child's account is returned at exit while the VMO lives")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), after;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_send_vmo, 0, NULL, s, NULL));
    struct ae_msg m = {0};
    struct ae_vmo_info vi;

    if (!p) {
        ae_handle_close(s);
        ae_handle_close(ep);
        return;
    }
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x5e);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    CHECK_EQ(ktest_wait_child(p), 0);
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
    CHECK_EQ(ktest_frames_of(&after), ktest_frames_of(&before) + 5);
    CHECK(after.kernel_bytes > before.kernel_bytes);        /* the object came too */
    CHECK_OK(ae_vmo_info(m.h[0], &vi));
    CHECK_EQ(vi.size, 5 * PAGE);
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_handle_close(m.h[0]));
    CHECK_EQ(ktest_frames(ktest_self), ktest_frames_of(&before));
    ae_handle_close(ep);
    after = ktest_pinfo(ktest_self);
    CHECK_EQ(after.used.pages, before.used.pages);
    CHECK_EQ(after.kernel_bytes, before.kernel_bytes);
}

KTEST(QTA0022, "a VMO shared out of a child keeps its charge there: the dead child's account keeps that much carved until the VMO is closed")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), after;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_share_vmo, 0, NULL, s, NULL));
    struct ae_msg m = {0};

    if (!p) {
        ae_handle_close(s);
        ae_handle_close(ep);
        return;
    }
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x5f);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    CHECK_EQ(ktest_wait_child(p), 0);
    after = ktest_pinfo(ktest_self);
    /* Shrunk to what the VMO holds: more than nothing, less than all. */
    CHECK(after.carved.pages > before.carved.pages);
    CHECK(after.carved.pages < before.carved.pages + dflt.pages);
    CHECK_EQ(ktest_frames_of(&after), ktest_frames_of(&before));    /* not charged to us */
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_handle_close(m.h[0]));
    after = ktest_pinfo(ktest_self);
    CHECK_LIMITS_EQ(after.carved, before.carved);
    ae_handle_close(ep);
    after = ktest_pinfo(ktest_self);
    CHECK_EQ(after.used.pages, before.used.pages);
    CHECK_EQ(after.kernel_bytes, before.kernel_bytes);
}

/* Fills its pages and then its handles, reports on the endpoint, then
 * blocks until killed. */
static int64_t child_fill_and_block(uint64_t arg)
{
    ae_handle_t ep = (ae_handle_t)arg;
    struct ae_msg m = {AE_MSG_INFO(0xf1, 0), {0}, {0}, 0};
    int64_t r;
    uint64_t vmos = 0, eps = 0;

    while ((r = ae_vmo_create(16 * PAGE, 0)) > 0)
        vmos++;
    if (r != AE_ERR_QUOTA)
        return 1;
    while ((r = ae_vmo_create(PAGE, 0)) > 0)
        vmos++;
    while ((r = ae_endpoint_create()) > 0)
        eps++;
    if (r != AE_ERR_QUOTA)
        return 2;
    m.w[0] = vmos;
    m.w[1] = eps;
    if (ae_ipc_send(ep, &m) != AE_OK)
        return 3;
    ae_ipc_recv(ep, &m);                /* nobody sends: blocks until killed */
    return 4;
}

KTEST(QTA0023, "killing a child that holds its whole quota gives all of it back")
{
    struct ae_process_info before = ktest_pinfo(ktest_self), ci;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t e = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_RECV |
                                                  AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_fill_and_block, 0, NULL, e, NULL));
    struct ae_msg m = {0};

    if (!p) {
        ae_handle_close(e);
        ae_handle_close(ep);
        return;
    }
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0xf1);
    ci = ktest_pinfo(p);
    CHECK_EQ(ci.state, 0);
    /* 16-page VMOs, then single pages: the last may have been refused for
     * want of a frame and a page for its object's bytes; then endpoints
     * until the pages or the handles run out. */
    CHECK(ci.used.pages + 1 >= ci.limit.pages);
    CHECK_EQ(ci.used.handles, m.w[0] + m.w[1] + 1);   /* + the endpoint it was given */
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_process_kill(p, 77));
    CHECK_EQ(ktest_wait_child(p), 77);
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, before.carved);
    CHECK_OK(ae_kernel_check(ktest_self));
    ae_handle_close(ep);
}

/* Fills its handle table, then receives twice on the endpoint it was
 * given: the first message to arrive must carry no handle. */
static int64_t child_full_receiver(uint64_t arg)
{
    ae_handle_t ep = (ae_handle_t)arg, h[130];
    struct ae_msg m = {0};
    int64_t r = 0;
    int n = 0;

    while (n < 130 && (r = ae_endpoint_create()) > 0)
        h[n++] = (ae_handle_t)r;
    if (r != AE_ERR_QUOTA)
        return 1;
    if (ae_ipc_recv(ep, &m) != AE_OK)
        return 2;
    if (AE_MSG_LABEL(m.info) != 2 || AE_MSG_NHANDLES(m.info) != 0 || m.h[0])
        return 3;
    for (int k = 0; k < n; k++)
        ae_handle_close(h[k]);
    return 0;
}

KTEST(QTA0024, "sending a handle to a receiver whose handle quota is full is AE_ERR_QUOTA and nothing moves")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t p;
    struct ae_msg with = {AE_MSG_INFO(1, 1), {0}, {n, 0, 0, 0}, 0};
    struct ae_msg plain = {AE_MSG_INFO(2, 0), {0}, {0}, 0};

    ae_handle_close(ep);            /* only the child can receive now */
    p = CHECK_HANDLE(ktest_child(child_full_receiver, 0, NULL, r, NULL));
    if (!p) {
        ae_handle_close(r);
    } else {
        CHECK_EQ(ae_ipc_send(s, &with), AE_ERR_QUOTA);
        CHECK_OK(ae_handle_info(n, &(struct ae_handle_info){0}));
        CHECK_OK(ae_ipc_send(s, &plain));
        CHECK_EQ(ktest_wait_child(p), 0);
    }
    ae_handle_close(n);
    ae_handle_close(s);
}

static int64_t child_vmo_receiver(uint64_t arg)
{
    ae_handle_t ep = (ae_handle_t)arg;
    struct ae_msg m = {0};
    struct ae_vmo_info vi;

    if (ae_ipc_recv(ep, &m) != AE_OK)
        return 1;
    if (AE_MSG_LABEL(m.info) != 3 || AE_MSG_NHANDLES(m.info) != 1)
        return 2;
    if (ae_vmo_info(m.h[0], &vi) != AE_OK || vi.size != 300 * PAGE)
        return 3;
    return ae_handle_close(m.h[0]) == AE_OK ? 0 : 4;
}

KTEST(QTA0025, "moving a VMO to a receiver without room for its pages is AE_ERR_QUOTA and nothing moves; sharing it works")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    struct ae_process_info before = ktest_pinfo(ktest_self), after;
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(300 * PAGE, 0));    /* > the child's 256 */
    ae_handle_t p;
    uint64_t p1;
    struct ae_msg move = {AE_MSG_INFO(1, 1), {0}, {v, 0, 0, 0}, 0};
    struct ae_msg share = {AE_MSG_INFO(3, 1) | AE_MSG_SHARE, {0}, {v, 0, 0, 0}, 0};

    ae_handle_close(ep);
    p = CHECK_HANDLE(ktest_child(child_vmo_receiver, 0, NULL, r, NULL));
    if (!p) {
        ae_handle_close(r);
        ae_handle_close(v);
    } else {
        p1 = ktest_frames(ktest_self);                   /* with the child's image copy */
        CHECK_EQ(ae_ipc_send(s, &move), AE_ERR_QUOTA);
        CHECK_OK(ae_handle_info(v, &(struct ae_handle_info){0}));
        CHECK_EQ(ktest_frames(ktest_self), p1);
        CHECK_OK(ae_ipc_send(s, &share));
        CHECK_EQ(ae_handle_info(v, &(struct ae_handle_info){0}), AE_ERR_BAD_HANDLE);
        CHECK_EQ(ktest_wait_child(p), 0);
    }
    /* The child closed it: its frames are back (compared as frames: the
     * kernel bytes of our handles here can cross a page on their own). */
    CHECK_EQ(ktest_frames(ktest_self), ktest_frames_of(&before));
    ae_handle_close(s);
    after = ktest_pinfo(ktest_self);
    CHECK(after.kernel_bytes < before.kernel_bytes);    /* ep and its handles went */
}

static int64_t child_exit42(uint64_t arg)
{
    return 42;
}

KTEST(QTA0026, "process_info of a dead child: state 1, its exit status, no threads and nothing used")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_exit42, 0, NULL, 0, NULL));
    struct ae_process_info pi;

    if (!p)
        return;
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 42);
    CHECK_OK(ae_process_info(p, &pi));
    CHECK_EQ(pi.state, 1);
    CHECK_EQ(pi.exit_status, 42);
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(pi.used.pages + pi.used.handles + pi.used.threads, 0);
    CHECK_EQ(ae_process_wait(p, 0), 42);            /* again, without blocking */
    ae_handle_close(p);
}

/* ---- kernel memory is charged too ---------------------------------------------- */

KTEST(QTA0027, "thread_create charges the target its kernel stack frames and the thread's bytes: no room -> QUOTA though threads are left; closing returns all")
{
    struct ae_quota_limits lim = {1 + AE_THREAD_KSTACK_PAGES, 8, 4, 10};
    struct ae_process_info before = ktest_pinfo(ktest_self);
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "kst", &lim));
    struct ae_process_info pi;
    int64_t t;

    /* Room for the PML4 and a stack, none for the thread object's bytes. */
    CHECK_EQ(ae_thread_create(p, 0x400000, AE_STACK_TOP, 0), AE_ERR_QUOTA);
    pi = ktest_pinfo(p);
    CHECK_EQ(pi.used.pages, 1);
    CHECK_EQ(pi.used.threads, 0);
    CHECK_EQ(pi.kernel_bytes, 0);
    ae_handle_close(p);

    lim.pages = 2 + AE_THREAD_KSTACK_PAGES;
    p = CHECK_HANDLE(ae_process_create(ktest_self, "kst", &lim));
    t = ae_thread_create(p, 0x400000, AE_STACK_TOP, 0);
    CHECK(t > 0);
    pi = ktest_pinfo(p);
    CHECK_EQ(ktest_frames_of(&pi), 1 + AE_THREAD_KSTACK_PAGES);
    CHECK(pi.kernel_bytes > 0 && pi.kernel_bytes < 4096);
    CHECK_EQ(pi.used.pages, lim.pages);
    CHECK_EQ(ae_thread_create(p, 0x400000, AE_STACK_TOP, 0), AE_ERR_QUOTA);
    if (t > 0)
        CHECK_OK(ae_handle_close((ae_handle_t)t));  /* never started: it goes */
    pi = ktest_pinfo(p);
    CHECK_EQ(pi.state, 1);                      /* with its only thread */
    CHECK_EQ(pi.used.pages + pi.used.threads + pi.kernel_bytes, 0);
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, before.carved);
    CHECK_OK(ae_kernel_check(ktest_self));
    ae_handle_close(p);
}

/* Makes endpoints until refused: with handles to spare, the pages their
 * bytes need run out first. */
static int64_t child_endpoints(uint64_t ep)
{
    ae_handle_t self = recv_self((ae_handle_t)ep);
    struct ae_process_info pi;
    uint64_t k0, n = 0;
    int64_t r, last = 0;

    if (!self || ae_process_info(self, &pi) != AE_OK)
        return 1;
    k0 = pi.kernel_bytes;
    while ((r = ae_endpoint_create()) > 0) {
        last = r;
        n++;
    }
    if (r != AE_ERR_QUOTA || n < 2)
        return 2;
    if (ae_process_info(self, &pi) != AE_OK)
        return 3;
    if (pi.used.pages != pi.limit.pages || pi.used.handles >= pi.limit.handles)
        return 4;
    if (pi.kernel_bytes <= k0 || ae_notify_create() != AE_ERR_QUOTA)
        return 5;
    if (ae_handle_close((ae_handle_t)last) != AE_OK)
        return 6;
    last = ae_endpoint_create();            /* its bytes are free again */
    if (last <= 0)
        return 7;
    return 0;
}

KTEST(QTA0028, "endpoints, notifications and their handles are charged in kernel bytes: pages run out before a large handle quota, and come back")
{
    static const struct ae_quota_limits lim = {40, 2000, 2, 50};
    struct ae_process_info before = ktest_pinfo(ktest_self);
    ae_handle_t p = CHECK_HANDLE(child_with_self(child_endpoints, &lim));

    if (p)
        CHECK_EQ(ktest_wait_child(p), 0);
    CHECK_LIMITS_EQ(ktest_pinfo(ktest_self).carved, before.carved);
    CHECK_OK(ae_kernel_check(ktest_self));
}
