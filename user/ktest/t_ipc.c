/*
 * IPC endpoints: call/reply, send/recv, message contents and badges, rights,
 * handle transfer, PEER_CLOSED when the other side goes away, reply_recv
 * loops, cross-CPU calls.
 *
 * Ordering without sleeps (see t_thread.c): a controller thread at priority
 * 9 on CPU 0 starts threads of priority 16 pinned to CPU 0; each runs at
 * once until it blocks, so when thread_start returns to the controller the
 * thread is known to wait in the endpoint.
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

#define QUIT 0xdeadu
#define NOTIFY_RIGHTS (AE_RIGHT_SIGNAL | AE_RIGHT_WAIT | AE_RIGHT_GRANT | AE_RIGHT_DERIVE)
#define EP_RIGHTS (AE_RIGHT_SEND | AE_RIGHT_RECV | AE_RIGHT_GRANT | AE_RIGHT_DERIVE)
#define HARG(h) ((void *)(uintptr_t)(h))
/* A child that failed to start would leave us blocked on an endpoint whose
 * RECV we still hold: give up the test instead (CHECK_HANDLE failed it). */
#define NEED_CHILD(p, ...)                                                  \
    do {                                                                    \
        if (!(p)) {                                                         \
            ae_handle_t hs_[] = {__VA_ARGS__};                              \
            for (unsigned i_ = 0; i_ < sizeof(hs_) / sizeof(hs_[0]); i_++)  \
                ae_handle_close(hs_[i_]);                                   \
            return;                                                         \
        }                                                                   \
    } while (0)

static ae_handle_t ipc_ep;              /* the endpoint a test's threads use */
static ae_handle_t ipc_ts[8];           /* threads the controller starts */
static volatile int64_t ipc_res[8];
static struct ae_msg ipc_got[8];
static ae_handle_t ipc_h[8];
static volatile int ipc_count;

/* A message one thread sends or calls with. */
static struct {
    ae_handle_t h;
    int call;
    struct ae_msg m;
} jobs[8];

static void set_job(int i, ae_handle_t h, int call, uint32_t label, uint64_t w0)
{
    struct ae_msg m = {AE_MSG_INFO(label, 0), {w0, 0, 0, 0}, {0}, 0};

    jobs[i].h = h;
    jobs[i].call = call;
    jobs[i].m = m;
    ipc_res[i] = 1;
}

static void job_run(void *arg)
{
    int i = (int)(uintptr_t)arg;

    ipc_res[i] = jobs[i].call ? ae_ipc_call(jobs[i].h, &jobs[i].m) : ae_ipc_send(jobs[i].h, &jobs[i].m);
}

/* Receives one message on ipc_ep into ipc_got[arg]. */
static void rcv_once(void *arg)
{
    int i = (int)(uintptr_t)arg;
    struct ae_msg m = {0};

    ipc_res[i] = ae_ipc_recv(ipc_ep, &m);
    ipc_got[i] = m;
}

/* The controller: starts ipc_ts[0 .. nstart), then kills a process and/or
 * closes a handle, then starts nafter more threads. */
static struct {
    int nstart;
    ae_handle_t kill;
    int64_t status;
    ae_handle_t close;
    int nafter;
} ctl;

static void ctl_run(void *arg)
{
    for (int i = 0; i < ctl.nstart; i++)
        CHECK_OK(ae_thread_start(ipc_ts[i]));
    if (ctl.kill)
        CHECK_OK(ae_process_kill(ctl.kill, ctl.status));
    if (ctl.close)
        CHECK_OK(ae_handle_close(ctl.close));
    for (int i = 0; i < ctl.nafter; i++)
        CHECK_OK(ae_thread_start(ipc_ts[ctl.nstart + i]));
}

static void ctl_reset(void)
{
    ctl.nstart = ctl.nafter = 0;
    ctl.kill = ctl.close = 0;
    ctl.status = 0;
}

/* Runs the controller (priority 9, CPU 0) and waits for it. */
static void run_ctl(void (*fn)(void *), void *arg)
{
    ae_handle_t c = CHECK_HANDLE(kth_run(fn, arg, 9, 0));
    CHECK_EQ(kth_join(c), 0);
}

/* A server: each call comes back with label + 1, word 0 + 1 and word 1 = the
 * badge; QUIT ends it with the number of calls served in word 0. */
static int64_t serve_loop(ae_handle_t ep)
{
    struct ae_msg m = {0};
    int64_t n = 0, r = ae_ipc_recv(ep, &m);

    while (r == AE_OK) {
        if (AE_MSG_LABEL(m.info) == QUIT) {
            m.info = AE_MSG_INFO(0, 0);
            m.w[0] = (uint64_t)n;
            r = ae_ipc_reply(&m);
            return r ? r : n;
        }
        n++;
        m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info) + 1, 0);
        m.w[0] += 1;
        m.w[1] = m.badge;
        r = ae_ipc_reply_recv(ep, &m);
    }
    return r;
}

static void srv_loop_thr(void *arg)
{
    ae_thread_exit(serve_loop((ae_handle_t)(uintptr_t)arg));
}

static int64_t client_loop(ae_handle_t ep, int count, uint64_t salt)
{
    int64_t bad = 0;

    for (int i = 0; i < count; i++) {
        struct ae_msg m = {AE_MSG_INFO(i & 0xffff, 0), {salt + (uint64_t)i, 0, 0, 0}, {0}, 0};
        int64_t r = ae_ipc_call(ep, &m);
        if (r || m.w[0] != salt + (uint64_t)i + 1 || AE_MSG_LABEL(m.info) != (uint32_t)(i & 0xffff) + 1)
            bad++;
    }
    return bad;
}

static void cli_thr(void *arg)
{
    ae_thread_exit(client_loop(ipc_ep, ipc_count, 0x1000 + (uint64_t)(uintptr_t)arg));
}

/* Ends a serve_loop server: returns the number of calls it served. */
static int64_t quit(ae_handle_t ep)
{
    struct ae_msg m = {AE_MSG_INFO(QUIT, 0), {0}, {0}, 0};
    int64_t r = ae_ipc_call(ep, &m);
    return r ? r : (int64_t)m.w[0];
}

static int64_t child_idle(uint64_t arg)
{
    int64_t r;

    do
        r = ae_sleep_until(~0ull);
    while (r >= 0);
    return r;
}

/* ---- call / send / recv ------------------------------------------------- */

static void srv_echo(void *arg)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(ipc_ep, &m);

    ipc_got[0] = m;
    if (r)
        ae_thread_exit(r);
    m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info) + 1, 0);
    for (int i = 0; i < 4; i++)
        m.w[i] += 1;
    ae_thread_exit(ae_ipc_reply(&m));
}

KTEST(IPC0002, "call and reply between two threads of this process carry label and words both ways")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(5, 0), {1, 2, 3, 4}, {0}, 0};

    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_echo, NULL, -1, -1));
    CHECK_OK(ae_ipc_call(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 6);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 0);
    CHECK_EQ(m.w[0], 2);
    CHECK_EQ(m.w[1], 3);
    CHECK_EQ(m.w[2], 4);
    CHECK_EQ(m.w[3], 5);
    CHECK_EQ(m.badge, 0);
    CHECK_EQ(kth_join(t), AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 5);
    CHECK_EQ(ipc_got[0].w[0], 1);
    CHECK_EQ(ipc_got[0].w[3], 4);
    CHECK_EQ(ipc_got[0].badge, 0);
    ae_handle_close(ep);
}

static volatile int fifo_order[4];

static void ctl_fifo(void *arg)
{
    /* Each sender runs at once and blocks in send: queued S0, S1, S2, S3. */
    for (int i = 0; i < 4; i++)
        CHECK_OK(ae_thread_start(ipc_ts[i]));
    /* The last queued becomes the most urgent: the queue stays FIFO. */
    for (int i = 0; i < 4; i++)
        CHECK_OK(ae_thread_set_priority(ipc_ts[i], (unsigned)i + 1));
    for (int i = 0; i < 4; i++) {
        struct ae_msg m = {0};
        ipc_res[4 + i] = ae_ipc_recv(ipc_ep, &m);
        fifo_order[i] = (int)AE_MSG_LABEL(m.info);
    }
}

KTEST(IPC0003, "senders blocked on an endpoint are received in FIFO order, not by priority")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());

    ipc_ep = ep;
    for (int i = 0; i < 4; i++) {
        set_job(i, ep, 0, 100 + (uint32_t)i, (uint64_t)i);
        ipc_ts[i] = CHECK_HANDLE(kth_new(job_run, (void *)(uintptr_t)i, -1, 0));
        fifo_order[i] = 0;
    }
    run_ctl(ctl_fifo, NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(kth_join(ipc_ts[i]), 0);
        CHECK_EQ(ipc_res[i], AE_OK);
        CHECK_EQ(ipc_res[4 + i], AE_OK);
        CHECK_EQ(fifo_order[i], 100 + i);
    }
    ae_handle_close(ep);
}

static void ctl_recv_first(void *arg)
{
    struct ae_msg m = {AE_MSG_INFO(0x44, 0), {9, 8, 7, 6}, {0}, 0};
    struct ae_msg c = {AE_MSG_INFO(0x45, 0), {10, 0, 0, 0}, {0}, 0};

    CHECK_OK(ae_thread_start(ipc_ts[0]));       /* blocks in recv */
    ipc_res[1] = ae_ipc_send(ipc_ep, &m);
    CHECK_OK(ae_thread_start(ipc_ts[1]));       /* srv_echo: blocks in recv */
    ipc_res[2] = ae_ipc_call(ipc_ep, &c);
    ipc_got[2] = c;
}

KTEST(IPC0004, "a thread blocked in recv gets a later send, and a later call which it answers")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());

    ipc_ep = ep;
    ipc_ts[0] = CHECK_HANDLE(kth_new(rcv_once, (void *)1, -1, 0));
    ipc_ts[1] = CHECK_HANDLE(kth_new(srv_echo, NULL, -1, 0));
    run_ctl(ctl_recv_first, NULL);
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(kth_join(ipc_ts[1]), AE_OK);
    CHECK_EQ(ipc_res[1], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[1].info), 0x44);
    CHECK_EQ(ipc_got[1].w[0], 9);
    CHECK_EQ(ipc_got[1].w[3], 6);
    CHECK_EQ(ipc_res[2], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[2].info), 0x46);
    CHECK_EQ(ipc_got[2].w[0], 11);
    ae_handle_close(ep);
}

static void srv_fixed(void *arg)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(ipc_ep, &m);

    ipc_got[0] = m;
    if (r)
        ae_thread_exit(r);
    m.info = AE_MSG_INFO(0xfffffffeu, 0) | (1ull << 40) | (1ull << 63);
    m.w[0] = 0;
    m.w[1] = ~0ull;
    m.w[2] = 0x8000000000000001ull;
    m.w[3] = 0x0123456789abcdefull;
    m.h[0] = m.h[1] = m.h[2] = m.h[3] = 0x12345;    /* ignored: no handles */
    ae_thread_exit(ae_ipc_reply(&m));
}

KTEST(IPC0005, "words, label and badge arrive exactly; info carries only label and handle count")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0xfeedfacecafebeefull,
                                                  AE_DERIVE_SET_BADGE));
    struct ae_msg m = {AE_MSG_INFO(0xffffffffu, 0) | AE_MSG_SHARE | (1ull << 40) | (1ull << 63),
                       {~0ull, 0x8000000000000000ull, 0, 0xfedcba9876543210ull},
                       {0x777, 0x888, 0x999, 0xaaa}, 0};
    ae_handle_t t;

    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_fixed, NULL, -1, -1));
    CHECK_OK(ae_ipc_call(s, &m));
    CHECK_EQ(kth_join(t), AE_OK);
    /* What the server received. */
    CHECK_EQ(ipc_got[0].info, AE_MSG_INFO(0xffffffffu, 0));
    CHECK_EQ(ipc_got[0].w[0], ~0ull);
    CHECK_EQ(ipc_got[0].w[1], 0x8000000000000000ull);
    CHECK_EQ(ipc_got[0].w[2], 0);
    CHECK_EQ(ipc_got[0].w[3], 0xfedcba9876543210ull);
    CHECK_EQ(ipc_got[0].badge, 0xfeedfacecafebeefull);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(ipc_got[0].h[i], 0);
    /* The reply. */
    CHECK_EQ(m.info, AE_MSG_INFO(0xfffffffeu, 0));
    CHECK_EQ(m.w[0], 0);
    CHECK_EQ(m.w[1], ~0ull);
    CHECK_EQ(m.w[2], 0x8000000000000001ull);
    CHECK_EQ(m.w[3], 0x0123456789abcdefull);
    CHECK_EQ(m.badge, 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(m.h[i], 0);
    ae_handle_close(s);
    ae_handle_close(ep);
}

static void srv_badges(void *arg)
{
    int n = (int)(uintptr_t)arg;

    for (int i = 0; i < n; i++) {
        struct ae_msg m = {0};
        ipc_res[i] = ae_ipc_recv(ipc_ep, &m);
        ipc_got[i] = m;
    }
}

KTEST(IPC0006, "each derived SEND handle delivers its own badge; a badge is set once")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s1 = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE, 0x1111,
                                                   AE_DERIVE_SET_BADGE));
    ae_handle_t s2 = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x2222, AE_DERIVE_SET_BADGE));
    ae_handle_t s0 = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    ae_handle_t s1b = CHECK_HANDLE(ae_handle_derive(s1, AE_RIGHT_SEND, 0, 0));
    ae_handle_t via[5] = {s1, s2, s0, s1b, ep};
    uint64_t want[5] = {0x1111, 0x2222, 0, 0x1111, 0};
    ae_handle_t t;

    CHECK_EQ(ae_handle_derive(s1, AE_RIGHT_SEND, 0x3333, AE_DERIVE_SET_BADGE), AE_ERR_INVAL);
    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_badges, (void *)5, -1, -1));
    for (int i = 0; i < 5; i++) {
        struct ae_msg m = {AE_MSG_INFO(i, 0), {0}, {0}, 0};
        CHECK_OK(ae_ipc_send(via[i], &m));
    }
    CHECK_EQ(kth_join(t), 0);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(ipc_res[i], AE_OK);
        CHECK_EQ(AE_MSG_LABEL(ipc_got[i].info), i);
        CHECK_EQ(ipc_got[i].badge, want[i]);
    }
    ae_handle_close(s1b);
    ae_handle_close(s0);
    ae_handle_close(s2);
    ae_handle_close(s1);
    ae_handle_close(ep);
}

KTEST(IPC0007, "send and call without the SEND right are AE_ERR_ACCESS")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t g = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_GRANT | AE_RIGHT_DERIVE, 0, 0));
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    CHECK_EQ(ae_ipc_send(r, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_call(r, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_send(g, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_call(g, &m), AE_ERR_ACCESS);
    ae_handle_close(g);
    ae_handle_close(r);
    ae_handle_close(ep);
}

KTEST(IPC0008, "recv and reply_recv without the RECV right are AE_ERR_ACCESS")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    CHECK_EQ(ae_ipc_recv(s, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_reply_recv(s, &m), AE_ERR_ACCESS);
    ae_handle_close(s);
    ae_handle_close(ep);
}

KTEST(IPC0009, "IPC on a wrong-type, closed, zero or revoked handle: INVAL, BAD_HANDLE, REVOKED")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t dead = CHECK_HANDLE(ae_endpoint_create()), s;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    CHECK_EQ(ae_ipc_send(n, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_call(n, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_recv(n, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_reply_recv(n, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_send(ktest_self, &m), AE_ERR_INVAL);
    CHECK_OK(ae_handle_close(dead));
    CHECK_EQ(ae_ipc_send(dead, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_call(dead, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_recv(dead, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_reply_recv(dead, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_send(0, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_recv(0, &m), AE_ERR_BAD_HANDLE);
    s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_RECV, 0, 0));
    CHECK_EQ(ae_handle_revoke(ep), 1);
    CHECK_EQ(ae_ipc_send(s, &m), AE_ERR_REVOKED);
    CHECK_EQ(ae_ipc_call(s, &m), AE_ERR_REVOKED);
    CHECK_EQ(ae_ipc_recv(s, &m), AE_ERR_REVOKED);
    CHECK_OK(ae_handle_close(s));
    ae_handle_close(ep);
    ae_handle_close(n);
}

KTEST(IPC0010, "a message claiming 5-7 handles is AE_ERR_INVAL for send, call, reply and reply_recv")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    for (unsigned nh = 5; nh <= 7; nh++) {
        struct ae_msg m = {AE_MSG_INFO(1, nh), {0}, {n, n, n, n}, 0};
        CHECK_EQ(ae_ipc_send(ep, &m), AE_ERR_INVAL);
        m.info = AE_MSG_INFO(1, nh);
        CHECK_EQ(ae_ipc_call(ep, &m), AE_ERR_INVAL);
        m.info = AE_MSG_INFO(1, nh);
        CHECK_EQ(ae_ipc_reply(&m), AE_ERR_INVAL);
        m.info = AE_MSG_INFO(1, nh);
        CHECK_EQ(ae_ipc_reply_recv(ep, &m), AE_ERR_INVAL);
    }
    CHECK_OK(ae_notify_signal(n, 1));           /* nothing was moved */
    ae_handle_close(n);
    ae_handle_close(ep);
}

/* ---- handle transfer ------------------------------------------------------ */

/* Answers `arg` calls: the reply's words are the handle values received,
 * its label their count. */
static void srv_handles(void *arg)
{
    int rounds = (int)(uintptr_t)arg;
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(ipc_ep, &m);

    for (int round = 1; r == AE_OK; round++) {
        unsigned nh = AE_MSG_NHANDLES(m.info);
        for (unsigned i = 0; i < 4; i++)
            m.w[i] = i < nh ? m.h[i] : 0;
        m.info = AE_MSG_INFO(nh, 0);
        if (round == rounds) {
            r = ae_ipc_reply(&m);
            break;
        }
        r = ae_ipc_reply_recv(ipc_ep, &m);
    }
    ae_thread_exit(r);
}

KTEST(IPC0011, "1 to 4 handles move between threads: old values AE_ERR_BAD_HANDLE, new ones usable")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_process_info before, after;

    ipc_ep = ep;
    CHECK_OK(ae_process_info(ktest_self, &before));
    t = CHECK_HANDLE(kth_run(srv_handles, (void *)4, -1, -1));
    for (unsigned n = 1; n <= 4; n++) {
        ae_handle_t nt[4] = {0}, keep[4] = {0};
        struct ae_msg m = {AE_MSG_INFO(n, n), {0}, {0}, 0};
        for (unsigned i = 0; i < n; i++) {
            nt[i] = m.h[i] = CHECK_HANDLE(ae_notify_create());
            keep[i] = CHECK_HANDLE(ae_handle_derive(nt[i], AE_RIGHT_WAIT, 0, 0));
        }
        CHECK_OK(ae_ipc_call(ep, &m));
        CHECK_EQ(AE_MSG_LABEL(m.info), n);
        for (unsigned i = 0; i < n; i++) {
            struct ae_handle_info hi;
            ae_handle_t moved = (ae_handle_t)m.w[i];
            CHECK_EQ(ae_handle_info(nt[i], &hi), AE_ERR_BAD_HANDLE);
            CHECK_EQ(ae_notify_signal(nt[i], 1), AE_ERR_BAD_HANDLE);
            CHECK(moved != 0 && moved != nt[i]);
            CHECK_OK(ae_handle_info(moved, &hi));
            CHECK_EQ(hi.type, AE_OBJ_NOTIFICATION);
            CHECK_EQ(hi.rights, NOTIFY_RIGHTS);
            CHECK_OK(ae_notify_signal(moved, 1ull << (i + 4)));
            CHECK_EQ(ae_notify_wait(keep[i], 0), 1ll << (i + 4));   /* the same object */
            ae_handle_close(moved);
            ae_handle_close(keep[i]);
        }
    }
    CHECK_EQ(kth_join(t), AE_OK);
    CHECK_OK(ae_process_info(ktest_self, &after));
    CHECK_EQ(after.used.handles, before.used.handles);
    ae_handle_close(ep);
}

static int64_t child_use_handles(uint64_t ep)
{
    struct ae_msg m = {0};
    struct ae_handle_info hi;

    if (ae_ipc_recv((ae_handle_t)ep, &m))
        return 1;
    if (AE_MSG_NHANDLES(m.info) != 4)
        return 2;
    for (int i = 0; i < 4; i++) {
        if (ae_handle_info(m.h[i], &hi) || hi.type != AE_OBJ_NOTIFICATION)
            return 10 + i;
        if (ae_notify_signal(m.h[i], 1ull << (i + 8)))
            return 20 + i;
    }
    m.info = AE_MSG_INFO(0x12, 0);
    return ae_ipc_reply(&m) ? 3 : 0;
}

KTEST(IPC0012, "4 handles move into another process: usable there, gone here")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_use_handles, 0, NULL, rh, NULL));
    ae_handle_t nt[4], keep[4];
    struct ae_msg m = {AE_MSG_INFO(1, 4), {0}, {0}, 0};

    NEED_CHILD(p, rh, ep);
    for (int i = 0; i < 4; i++) {
        nt[i] = m.h[i] = CHECK_HANDLE(ae_notify_create());
        keep[i] = CHECK_HANDLE(ae_handle_derive(nt[i], AE_RIGHT_WAIT, 0, 0));
    }
    CHECK_OK(ae_ipc_call(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x12);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(ae_notify_signal(nt[i], 1), AE_ERR_BAD_HANDLE);
        CHECK_EQ(ae_notify_wait(keep[i], 0), 1ll << (i + 8));
        ae_handle_close(keep[i]);
    }
    CHECK_EQ(ktest_wait_child(p), 0);
    ae_handle_close(ep);
}

static struct ae_msg bad_msgs[4];
static int nbad;

static void ctl_bad_then_good(void *arg)
{
    struct ae_msg good = {AE_MSG_INFO(0x600d, 0), {0}, {0}, 0};

    CHECK_OK(ae_thread_start(ipc_ts[0]));       /* rcv_once: blocks in recv */
    for (int i = 0; i < nbad; i++)
        ipc_res[2 + i] = ae_ipc_send(ipc_ep, &bad_msgs[i]);
    ipc_res[1] = ae_ipc_send(ipc_ep, &good);
}

KTEST(IPC0013, "a handle without GRANT fails the send with AE_ERR_ACCESS and nothing moves")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t a = CHECK_HANDLE(ae_notify_create());
    ae_handle_t b = CHECK_HANDLE(ae_handle_derive(a, AE_RIGHT_SIGNAL | AE_RIGHT_WAIT, 0, 0));
    struct ae_process_info before, after;
    struct ae_handle_info hi;
    struct ae_msg m1 = {AE_MSG_INFO(1, 2), {0}, {a, b, 0, 0}, 0};
    struct ae_msg m2 = {AE_MSG_INFO(2, 1), {0}, {b, 0, 0, 0}, 0};

    ipc_ep = ep;
    bad_msgs[0] = m1;
    bad_msgs[1] = m2;
    nbad = 2;
    ipc_ts[0] = CHECK_HANDLE(kth_new(rcv_once, (void *)0, -1, 0));
    CHECK_OK(ae_process_info(ktest_self, &before));
    run_ctl(ctl_bad_then_good, NULL);
    CHECK_OK(ae_process_info(ktest_self, &after));
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(ipc_res[2], AE_ERR_ACCESS);
    CHECK_EQ(ipc_res[3], AE_ERR_ACCESS);
    CHECK_EQ(ipc_res[1], AE_OK);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 0x600d);    /* only the good one arrived */
    CHECK_EQ(AE_MSG_NHANDLES(ipc_got[0].info), 0);
    CHECK_EQ(after.used.handles, before.used.handles);
    CHECK_OK(ae_handle_info(a, &hi));
    CHECK_OK(ae_handle_info(b, &hi));
    CHECK_OK(ae_notify_signal(b, 2));
    CHECK_EQ(ae_notify_wait(a, 0), 2);
    ae_handle_close(b);
    ae_handle_close(a);
    ae_handle_close(ep);
}

static void ctl_queue_then_recv(void *arg)
{
    int n = (int)(uintptr_t)arg;
    struct ae_msg m = {0};

    for (int i = 0; i < n; i++)
        CHECK_OK(ae_thread_start(ipc_ts[i]));   /* each blocks in send or call */
    ipc_res[7] = ae_ipc_recv(ipc_ep, &m);
    ipc_got[7] = m;
}

KTEST(IPC0014, "a queued call whose handle lacks GRANT fails with AE_ERR_ACCESS at delivery; the next sender gets through")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t a = CHECK_HANDLE(ae_notify_create());
    ae_handle_t b = CHECK_HANDLE(ae_handle_derive(a, AE_RIGHT_SIGNAL | AE_RIGHT_WAIT, 0, 0));
    struct ae_handle_info hi;

    ipc_ep = ep;
    set_job(0, ep, 1, 1, 0);
    jobs[0].m.info = AE_MSG_INFO(1, 2);
    jobs[0].m.h[0] = a;
    jobs[0].m.h[1] = b;
    set_job(1, ep, 0, 2, 0x22);
    ipc_ts[0] = CHECK_HANDLE(kth_new(job_run, (void *)0, -1, 0));
    ipc_ts[1] = CHECK_HANDLE(kth_new(job_run, (void *)1, -1, 0));
    run_ctl(ctl_queue_then_recv, (void *)2);
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(kth_join(ipc_ts[1]), 0);
    CHECK_EQ(ipc_res[0], AE_ERR_ACCESS);
    CHECK_EQ(ipc_res[1], AE_OK);
    CHECK_EQ(ipc_res[7], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[7].info), 2);
    CHECK_EQ(ipc_got[7].w[0], 0x22);
    CHECK_OK(ae_handle_info(a, &hi));
    CHECK_OK(ae_handle_info(b, &hi));
    ae_handle_close(b);
    ae_handle_close(a);
    ae_handle_close(ep);
}

KTEST(IPC0015, "a message naming a handle twice is AE_ERR_INVAL, a closed or zero handle AE_ERR_BAD_HANDLE")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t a = CHECK_HANDLE(ae_notify_create());
    ae_handle_t gone = CHECK_HANDLE(ae_notify_create());
    struct ae_process_info before, after;
    struct ae_msg dup = {AE_MSG_INFO(1, 2), {0}, {a, a, 0, 0}, 0};
    struct ae_msg closed = {AE_MSG_INFO(1, 2), {0}, {a, gone, 0, 0}, 0};
    struct ae_msg zero = {AE_MSG_INFO(1, 1), {0}, {0, a, 0, 0}, 0};
    struct ae_handle_info hi;

    ae_handle_close(gone);
    ipc_ep = ep;
    bad_msgs[0] = dup;
    bad_msgs[1] = closed;
    bad_msgs[2] = zero;
    nbad = 3;
    ipc_ts[0] = CHECK_HANDLE(kth_new(rcv_once, (void *)0, -1, 0));
    CHECK_OK(ae_process_info(ktest_self, &before));
    run_ctl(ctl_bad_then_good, NULL);
    CHECK_OK(ae_process_info(ktest_self, &after));
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(ipc_res[2], AE_ERR_INVAL);
    CHECK_EQ(ipc_res[3], AE_ERR_BAD_HANDLE);
    CHECK_EQ(ipc_res[4], AE_ERR_BAD_HANDLE);
    CHECK_EQ(ipc_res[1], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 0x600d);
    CHECK_EQ(after.used.handles, before.used.handles);
    CHECK_OK(ae_handle_info(a, &hi));
    ae_handle_close(a);
    ae_handle_close(ep);
}

/* ---- reply ----------------------------------------------------------------- */

static void thr_reply_alone(void *arg)
{
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};
    ae_thread_exit(ae_ipc_reply(&m));
}

static void srv_reply_twice(void *arg)
{
    struct ae_msg m = {0};

    ipc_res[0] = ae_ipc_recv(ipc_ep, &m);           /* a plain send */
    ipc_res[1] = ae_ipc_reply(&m);
    ipc_res[2] = ae_ipc_recv(ipc_ep, &m);           /* a call */
    m.info = AE_MSG_INFO(3, 0);
    ipc_res[3] = ae_ipc_reply(&m);
    ipc_res[4] = ae_ipc_reply(&m);
}

KTEST(IPC0016, "reply with no caller is AE_ERR_NOTFOUND: never called, after a plain send, already replied")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    t = CHECK_HANDLE(kth_run(thr_reply_alone, NULL, -1, -1));
    CHECK_EQ(kth_join(t), AE_ERR_NOTFOUND);
    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_reply_twice, NULL, -1, -1));
    CHECK_OK(ae_ipc_send(ep, &m));
    m.info = AE_MSG_INFO(2, 0);
    CHECK_OK(ae_ipc_call(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 3);
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(ipc_res[1], AE_ERR_NOTFOUND);
    CHECK_EQ(ipc_res[2], AE_OK);
    CHECK_EQ(ipc_res[3], AE_OK);
    CHECK_EQ(ipc_res[4], AE_ERR_NOTFOUND);
    ae_handle_close(ep);
}

static void srv_reply_handle(void *arg)
{
    struct ae_msg m = {0};
    struct ae_handle_info hi;
    int64_t r = ae_ipc_recv(ipc_ep, &m);
    ae_handle_t n;

    if (r)
        ae_thread_exit(r);
    n = (ae_handle_t)ae_notify_create();
    ipc_h[0] = (ae_handle_t)ae_handle_derive(n, AE_RIGHT_WAIT, 0, 0);
    m.info = AE_MSG_INFO(1, 1);
    m.h[0] = n;
    r = ae_ipc_reply(&m);
    ipc_res[0] = ae_handle_info(n, &hi);
    ae_thread_exit(r);
}

KTEST(IPC0017, "handles in a reply move to the caller")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};
    struct ae_handle_info hi;

    ipc_ep = ep;
    ipc_h[0] = 0;
    t = CHECK_HANDLE(kth_run(srv_reply_handle, NULL, -1, -1));
    CHECK_OK(ae_ipc_call(ep, &m));
    CHECK_EQ(kth_join(t), AE_OK);
    CHECK_EQ(ipc_res[0], AE_ERR_BAD_HANDLE);    /* gone from the replier */
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    CHECK_OK(ae_handle_info(m.h[0], &hi));
    CHECK_EQ(hi.type, AE_OBJ_NOTIFICATION);
    CHECK_OK(ae_notify_signal(m.h[0], 4));
    CHECK_EQ(ae_notify_wait(ipc_h[0], 0), 4);
    ae_handle_close(m.h[0]);
    ae_handle_close(ipc_h[0]);
    ae_handle_close(ep);
}

static void srv_reply_nogrant(void *arg)
{
    struct ae_msg m = {0};
    struct ae_handle_info hi;
    ae_handle_t n, bad;

    ipc_res[0] = ae_ipc_recv(ipc_ep, &m);
    n = (ae_handle_t)ae_notify_create();
    bad = (ae_handle_t)ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_WAIT, 0, 0);
    m.info = AE_MSG_INFO(1, 1);
    m.h[0] = bad;
    ipc_res[1] = ae_ipc_reply(&m);
    ipc_res[2] = ae_handle_info(bad, &hi);
    m.info = AE_MSG_INFO(7, 0);
    m.w[0] = 77;
    ipc_res[3] = ae_ipc_reply(&m);
    ae_handle_close(bad);
    ae_handle_close(n);
}

KTEST(IPC0018, "a reply with a handle lacking GRANT is AE_ERR_ACCESS; the caller waits on for a good reply")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_reply_nogrant, NULL, -1, -1));
    CHECK_OK(ae_ipc_call(ep, &m));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(ipc_res[1], AE_ERR_ACCESS);
    CHECK_EQ(ipc_res[2], AE_OK);
    CHECK_EQ(ipc_res[3], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(m.info), 7);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 0);
    CHECK_EQ(m.w[0], 77);
    ae_handle_close(ep);
}

static void cli_quit_thr(void *arg)
{
    int64_t bad = client_loop(ipc_ep, 1000, 0x5000);
    ae_thread_exit(bad ? -bad : quit(ipc_ep));
}

KTEST(IPC0019, "reply_recv loop: 1000 round trips with a server thread")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), srv, cli;

    /* Both on CPU 0: the direct-switch path, quick even on a loaded host. */
    ipc_ep = ep;
    srv = CHECK_HANDLE(kth_run(srv_loop_thr, HARG(ep), -1, 0));
    cli = CHECK_HANDLE(kth_run(cli_quit_thr, NULL, -1, 0));
    CHECK_EQ(kth_join(cli), 1000);
    CHECK_EQ(kth_join(srv), 1000);
    ae_handle_close(ep);
}

static void __attribute__((noreturn)) child_serve_thr(uint64_t ep)
{
    ae_process_exit(serve_loop((ae_handle_t)ep));
}

static void cli_badge_thr(void *arg)
{
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};
    int64_t r = ae_ipc_call(ipc_ep, &m), bad;

    if (r)
        ae_thread_exit(r);
    if (m.w[1] != 0x2020)
        ae_thread_exit(-100);
    bad = client_loop(ipc_ep, 999, 0x7000);
    ae_thread_exit(bad ? -1000 - bad : quit(ipc_ep));
}

KTEST(IPC0020, "reply_recv loop: 1000 round trips with a server process, badge seen by the server")
{
    static const struct ae_quota_limits lim = {256, 64, 8, 300};
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x2020, AE_DERIVE_SET_BADGE));
    ae_handle_t given = 0, p, srv = 0, cli;

    p = CHECK_HANDLE(ktest_child(child_idle, 0, &lim, rh, &given));
    if (p)
        srv = CHECK_HANDLE(kth_child_thread(p, child_serve_thr, given, 0, -1, 0));
    if (srv && ae_thread_start(srv) == AE_OK) {
        ipc_ep = s;
        cli = CHECK_HANDLE(kth_run(cli_badge_thr, NULL, -1, 0));
        CHECK_EQ(kth_join(cli), 1000);
        CHECK_EQ(ae_thread_wait(srv, KTEST_WAIT_NS), 1000);
    } else if (p) {
        ae_process_kill(p, 0);
    }
    if (srv)
        ae_handle_close(srv);
    if (p)
        CHECK_EQ(ktest_wait_child(p), 1000);
    ae_handle_close(s);
    ae_handle_close(ep);
}

/* ---- peers going away ------------------------------------------------------- */

KTEST(IPC0021, "send and call fail with AE_ERR_PEER_CLOSED once every RECV handle is closed")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV, 0, 0));
    struct ae_msg m = {AE_MSG_INFO(0x21, 0), {0}, {0}, 0};
    ae_handle_t t;

    CHECK_OK(ae_handle_close(ep));              /* r still receives */
    ipc_ep = r;
    t = CHECK_HANDLE(kth_run(rcv_once, (void *)0, -1, -1));
    CHECK_OK(ae_ipc_send(s, &m));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 0x21);
    CHECK_OK(ae_handle_close(r));               /* the last RECV */
    CHECK_EQ(ae_ipc_send(s, &m), AE_ERR_PEER_CLOSED);
    CHECK_EQ(ae_ipc_call(s, &m), AE_ERR_PEER_CLOSED);
    ae_handle_close(s);
}

KTEST(IPC0022, "a blocked sender and a blocked caller wake with AE_ERR_PEER_CLOSED when the last RECV handle closes")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));

    set_job(0, s, 0, 1, 0);
    set_job(1, s, 1, 2, 0);
    ipc_ts[0] = CHECK_HANDLE(kth_new(job_run, (void *)0, -1, 0));
    ipc_ts[1] = CHECK_HANDLE(kth_new(job_run, (void *)1, -1, 0));
    ctl_reset();
    ctl.nstart = 2;
    ctl.close = ep;                             /* the only RECV handle */
    run_ctl(ctl_run, NULL);
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(kth_join(ipc_ts[1]), 0);
    CHECK_EQ(ipc_res[0], AE_ERR_PEER_CLOSED);
    CHECK_EQ(ipc_res[1], AE_ERR_PEER_CLOSED);
    ae_handle_close(s);
}

static int64_t child_take_call_and_hang(uint64_t ep)
{
    struct ae_msg m = {0};

    if (ae_ipc_recv((ae_handle_t)ep, &m))
        return 1;
    if (AE_MSG_NHANDLES(m.info) != 1 || ae_notify_signal(m.h[0], 1))
        return 2;
    return child_idle(0);       /* holds the reply until killed */
}

static void thr_kill_on_signal(void *arg)
{
    int64_t r = ae_notify_wait(ipc_h[1], KTEST_WAIT_NS);

    if (r > 0)
        r = ae_process_kill(ipc_h[2], (int64_t)(uintptr_t)arg);
    ae_thread_exit(r);
}

KTEST(IPC0023, "a server process killed while it holds a call's reply: the caller gets AE_ERR_PEER_CLOSED")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_take_call_and_hang, 0, NULL, rh, NULL));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t keep = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT, 0, 0));
    struct ae_msg m = {AE_MSG_INFO(1, 1), {0}, {n, 0, 0, 0}, 0};
    ae_handle_t k;

    NEED_CHILD(p, keep, n, rh, ep);
    ipc_h[1] = keep;
    ipc_h[2] = p;
    k = CHECK_HANDLE(kth_run(thr_kill_on_signal, (void *)23, -1, -1));
    CHECK_EQ(ae_ipc_call(ep, &m), AE_ERR_PEER_CLOSED);
    CHECK_EQ(kth_join(k), AE_OK);
    CHECK_EQ(ktest_wait_child(p), 23);
    ae_handle_close(keep);
    ae_handle_close(ep);
}

KTEST(IPC0024, "a server process killed before it receives: its queued caller gets AE_ERR_PEER_CLOSED")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    ae_handle_t p;

    CHECK_OK(ae_handle_close(ep));              /* the child holds the only RECV */
    p = CHECK_HANDLE(ktest_child(child_idle, 0, NULL, rh, NULL));
    NEED_CHILD(p, rh, s);
    set_job(0, s, 1, 0x24, 0);
    ipc_ts[0] = CHECK_HANDLE(kth_new(job_run, (void *)0, -1, 0));
    ctl_reset();
    ctl.nstart = 1;                             /* the caller queues */
    ctl.kill = p;
    ctl.status = 24;
    run_ctl(ctl_run, NULL);
    CHECK_EQ(kth_join(ipc_ts[0]), 0);
    CHECK_EQ(ipc_res[0], AE_ERR_PEER_CLOSED);
    CHECK_EQ(ktest_wait_child(p), 24);
    ae_handle_close(s);
}

static int64_t child_call_once(uint64_t ep)
{
    struct ae_msg m = {AE_MSG_INFO(0x25, 0), {1, 0, 0, 0}, {0}, 0};
    int64_t r = ae_ipc_call((ae_handle_t)ep, &m);
    return r ? 100 - r : 0;
}

KTEST(IPC0025, "a client killed while the server holds its reply: reply is AE_ERR_PEER_CLOSED, then NOTFOUND")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_call_once, 0, NULL, s, NULL));
    struct ae_msg m = {0};

    NEED_CHILD(p, s, ep);
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x25);
    CHECK_OK(ae_process_kill(p, 25));
    CHECK_EQ(ktest_wait_child(p), 25);
    m.info = AE_MSG_INFO(1, 0);
    CHECK_EQ(ae_ipc_reply(&m), AE_ERR_PEER_CLOSED);
    CHECK_EQ(ae_ipc_reply(&m), AE_ERR_NOTFOUND);
    ae_handle_close(ep);
}

KTEST(IPC0026, "reply_recv after the caller was killed goes on to receive the next message")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_call_once, 0, NULL, s, NULL));
    struct ae_msg m = {0};
    ae_handle_t t;
    int64_t r;

    NEED_CHILD(p, s, ep);
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x25);
    CHECK_OK(ae_process_kill(p, 26));
    CHECK_EQ(ktest_wait_child(p), 26);
    set_job(0, ep, 1, 0x26, 0);
    t = CHECK_HANDLE(kth_run(job_run, (void *)0, -1, -1));
    m.info = AE_MSG_INFO(1, 0);
    r = ae_ipc_reply_recv(ep, &m);
    CHECK_EQ(r, AE_OK);
    if (r != AE_OK)
        ae_ipc_recv(ep, &m);                        /* still serve the caller */
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x26);
    m.info = AE_MSG_INFO(2, 0);
    CHECK_OK(ae_ipc_reply(&m));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(jobs[0].m.info), 2);
    ae_handle_close(ep);
}

static void __attribute__((noreturn)) child_recv_forever(uint64_t ep)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)ep, &m);

    ae_process_exit(r ? 100 : 99);      /* should never get a message */
}

KTEST(IPC0027, "a thread killed (with its process) while blocked in recv leaves the endpoint usable")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t given = 0, p, t, r;
    struct ae_msg m = {AE_MSG_INFO(0x27, 0), {0}, {0}, 0};

    p = CHECK_HANDLE(ktest_child(child_idle, 0, NULL, rh, &given));
    NEED_CHILD(p, rh, ep);
    t = CHECK_HANDLE(kth_child_thread(p, child_recv_forever, given, 0, 16, 0));
    ipc_ts[0] = t;
    ctl_reset();
    ctl.nstart = 1;                             /* blocks in recv */
    ctl.kill = p;
    ctl.status = 27;
    run_ctl(ctl_run, NULL);
    CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 27);
    ae_handle_close(t);
    CHECK_EQ(ktest_wait_child(p), 27);
    /* The dead receiver is gone from the queue: the next one gets it. */
    ipc_ep = ep;
    r = CHECK_HANDLE(kth_run(rcv_once, (void *)0, -1, -1));
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(kth_join(r), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 0x27);
    ae_handle_close(ep);
}

static void __attribute__((noreturn)) child_send_forever(uint64_t ep)
{
    struct ae_msg m = {AE_MSG_INFO(0xdead0, 0), {0}, {0}, 0};

    ae_ipc_send((ae_handle_t)ep, &m);
    ae_process_exit(98);
}

KTEST(IPC0028, "a sender killed (with its process) while queued is dropped: the receiver gets the next sender")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t given = 0, p, t;
    struct ae_msg m = {0};

    p = CHECK_HANDLE(ktest_child(child_idle, 0, NULL, s, &given));
    NEED_CHILD(p, s, ep);
    t = CHECK_HANDLE(kth_child_thread(p, child_send_forever, given, 0, 16, 0));
    set_job(1, ep, 0, 0x28, 0);
    ipc_ts[0] = t;
    ipc_ts[1] = CHECK_HANDLE(kth_new(job_run, (void *)1, -1, 0));
    ctl_reset();
    ctl.nstart = 1;                             /* the child's send queues */
    ctl.kill = p;
    ctl.status = 28;
    ctl.nafter = 1;                             /* then ours */
    run_ctl(ctl_run, NULL);
    CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), 28);
    ae_handle_close(t);
    CHECK_EQ(ktest_wait_child(p), 28);
    CHECK_OK(ae_ipc_recv(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x28);
    if (AE_MSG_LABEL(m.info) != 0x28)
        ae_ipc_recv(ep, &m);                        /* let our sender finish */
    CHECK_EQ(kth_join(ipc_ts[1]), 0);
    CHECK_EQ(ipc_res[1], AE_OK);
    ae_handle_close(ep);
}

static void srv_abandon(void *arg)
{
    struct ae_msg m = {0};

    ipc_res[0] = ae_ipc_recv(ipc_ep, &m);           /* a call */
    ipc_res[1] = ae_ipc_recv(ipc_ep, &m);           /* abandons its reply */
    ipc_got[1] = m;
}

KTEST(IPC0029, "recv with a reply still owed abandons it: the caller gets AE_ERR_PEER_CLOSED")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_abandon, NULL, -1, -1));
    CHECK_EQ(ae_ipc_call(ep, &m), AE_ERR_PEER_CLOSED);
    m.info = AE_MSG_INFO(0x29, 0);
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(ipc_res[1], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[1].info), 0x29);
    ae_handle_close(ep);
}

/* ---- across processes and CPUs ----------------------------------------------- */

static int64_t child_recv_send(uint64_t ep)
{
    struct ae_msg m = {0};

    if (ae_ipc_recv((ae_handle_t)ep, &m))
        return 1;
    if (AE_MSG_LABEL(m.info) != 0x30 || m.w[0] != 0x3030 || m.w[3] != 0x3333 || m.badge != 0x300)
        return 2;
    return ae_ipc_reply(&m) == AE_ERR_NOTFOUND ? 0 : 3;
}

KTEST(IPC0030, "send to a server process: it receives label, words and badge; a plain send has no reply")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x300, AE_DERIVE_SET_BADGE));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_recv_send, 0, NULL, rh, NULL));
    struct ae_msg m = {AE_MSG_INFO(0x30, 0), {0x3030, 0, 0, 0x3333}, {0}, 0};

    NEED_CHILD(p, rh, s, ep);
    CHECK_OK(ae_ipc_send(s, &m));
    CHECK_EQ(ktest_wait_child(p), 0);
    ae_handle_close(s);
    ae_handle_close(ep);
}

KTEST(IPC0031, "call/reply across CPUs (server on the last CPU, client on CPU 0) and on one CPU")
{
    unsigned last = kth_ncpus() - 1;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());

    ipc_ep = ep;
    for (int pass = 0; pass < 2; pass++) {
        /* Cross-CPU round trips cost two IPIs each: fewer of them. */
        int count = pass ? 300 : 100;
        ae_handle_t srv = CHECK_HANDLE(kth_run(srv_loop_thr, HARG(ep), -1, pass ? 0 : (int)last));
        ae_handle_t cli;
        ipc_count = count;
        cli = CHECK_HANDLE(kth_run(cli_thr, (void *)(uintptr_t)pass, -1, 0));
        CHECK_EQ(kth_join(cli), 0);
        CHECK_EQ(quit(ep), count);
        CHECK_EQ(kth_join(srv), count);
    }
    ae_handle_close(ep);
}

static void srv_many(void *arg)
{
    int total = (int)(uintptr_t)arg, n = 0;
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(ipc_ep, &m);

    while (r == AE_OK) {
        m.w[0] = m.badge * 1000000 + m.w[0];
        m.info = AE_MSG_INFO(0, 0);
        if (++n == total) {
            r = ae_ipc_reply(&m);
            break;
        }
        r = ae_ipc_reply_recv(ipc_ep, &m);
    }
    ae_thread_exit(r ? r : n);
}

static void cli_badged(void *arg)
{
    int i = (int)(uintptr_t)arg;
    int64_t bad = 0;

    for (uint64_t k = 0; k < 50; k++) {
        struct ae_msg m = {AE_MSG_INFO(1, 0), {k, 0, 0, 0}, {0}, 0};
        if (ae_ipc_call(ipc_h[i], &m) || m.w[0] != (uint64_t)(i + 1) * 1000000 + k)
            bad++;
    }
    ae_thread_exit(bad);
}

KTEST(IPC0032, "4 clients calling one server at once each get their own replies (badges tell them apart)")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), srv, cli[4];

    ipc_ep = ep;
    for (int i = 0; i < 4; i++)
        ipc_h[i] = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, (uint64_t)i + 1,
                                                 AE_DERIVE_SET_BADGE));
    srv = CHECK_HANDLE(kth_run(srv_many, (void *)200, -1, -1));
    for (int i = 0; i < 4; i++)
        cli[i] = CHECK_HANDLE(kth_run(cli_badged, (void *)(uintptr_t)i, -1, -1));
    for (int i = 0; i < 4; i++)
        CHECK_EQ(kth_join(cli[i]), 0);
    CHECK_EQ(kth_join(srv), 200);
    for (int i = 0; i < 4; i++)
        ae_handle_close(ipc_h[i]);
    ae_handle_close(ep);
}

/* Fills its handle quota with notifications, then receives until a message
 * labelled 0x33 without handles; returns how many it could create. */
static int64_t child_fill_then_recv(uint64_t ep)
{
    int64_t k = 0, r;
    struct ae_msg m = {0};

    while ((r = ae_notify_create()) > 0)
        k++;
    if (r != AE_ERR_QUOTA)
        return -1;
    for (;;) {
        if (ae_ipc_recv((ae_handle_t)ep, &m))
            return -2;
        if (AE_MSG_NHANDLES(m.info))
            return -3;
        if (AE_MSG_LABEL(m.info) == 0x33)
            return k;
    }
}

KTEST(IPC0033, "handles sent to a process with no handle quota left: AE_ERR_QUOTA, nothing moves")
{
    static const struct ae_quota_limits lim = {256, 16, 8, 100};
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_fill_then_recv, 0, &lim, rh, NULL));
    struct ae_msg m = {AE_MSG_INFO(1, 1), {0}, {n, 0, 0, 0}, 0};
    struct ae_handle_info hi;

    NEED_CHILD(p, rh, n, ep);
    CHECK_EQ(ae_ipc_send(ep, &m), AE_ERR_QUOTA);
    CHECK_OK(ae_handle_info(n, &hi));
    CHECK_OK(ae_notify_signal(n, 1));
    m.info = AE_MSG_INFO(0x33, 0);
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK(ktest_wait_child(p) >= 0);
    CHECK_EQ(ae_notify_wait(n, 0), 1);
    ae_handle_close(n);
    ae_handle_close(ep);
}

/* Receives handles until a message labelled 0x36; returns how many. */
static int64_t child_count_handles(uint64_t ep)
{
    int64_t k = 0;
    struct ae_msg m = {0};

    for (;;) {
        if (ae_ipc_recv((ae_handle_t)ep, &m))
            return -1;
        if (AE_MSG_LABEL(m.info) == 0x36)
            return k;
        k += AE_MSG_NHANDLES(m.info);
    }
}

KTEST(IPC0036, "a receiver's handle quota is its capacity: with a quota of 16 it takes 15 handles besides its endpoint")
{
    static const struct ae_quota_limits lim = {256, 16, 8, 100};
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t rh = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_count_handles, 0, &lim, rh, NULL));
    struct ae_msg m = {0};
    int moved = 0;

    NEED_CHILD(p, rh, ep);
    for (int i = 0; i < 20; i++) {
        ae_handle_t n = CHECK_HANDLE(ae_notify_create());
        int64_t r;
        m.info = AE_MSG_INFO(1, 1);
        m.h[0] = n;
        r = ae_ipc_send(ep, &m);
        if (r != AE_OK) {
            CHECK_EQ(r, AE_ERR_QUOTA);
            ae_handle_close(n);
            break;
        }
        moved++;
    }
    CHECK_EQ(moved, 15);
    m.info = AE_MSG_INFO(0x36, 0);
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(ktest_wait_child(p), moved);
    ae_handle_close(ep);
}

KTEST(IPC0034, "endpoint_create gives SEND RECV GRANT DERIVE, badge 0")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    struct ae_handle_info hi;

    CHECK_OK(ae_handle_info(ep, &hi));
    CHECK_EQ(hi.type, AE_OBJ_ENDPOINT);
    CHECK_EQ(hi.rights, EP_RIGHTS);
    CHECK_EQ(hi.badge, 0);
    ae_handle_close(ep);
}

static void srv_reply_recv_first(void *arg)
{
    struct ae_msg m = {AE_MSG_INFO(9, 0), {0}, {0}, 0};

    ipc_res[0] = ae_ipc_reply_recv(ipc_ep, &m);     /* nobody to reply to yet */
    ipc_got[0] = m;
}

KTEST(IPC0035, "reply_recv with no caller to answer just receives")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), t;
    struct ae_msg m = {AE_MSG_INFO(0x35, 0), {0x3535, 0, 0, 0}, {0}, 0};

    ipc_ep = ep;
    t = CHECK_HANDLE(kth_run(srv_reply_recv_first, NULL, -1, -1));
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(kth_join(t), 0);
    CHECK_EQ(ipc_res[0], AE_OK);
    CHECK_EQ(AE_MSG_LABEL(ipc_got[0].info), 0x35);
    CHECK_EQ(ipc_got[0].w[0], 0x3535);
    ae_handle_close(ep);
}

