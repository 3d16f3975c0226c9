/*
 * Kernel tracing: the TraceBuf handle in init's boot info, trace_map (a
 * read-only view of every CPU's ring), trace_ctl, trace_emit, the records
 * the trace points write (IPC, switches, faults, spawn and exit, quota
 * denials), the reader's seq checks on a ring that wrapped, and the
 * process_info IPC counters. Records are read with user/lib/trace_read.
 *
 * Each test that switches tracing on switches it off again before it
 * returns, and reads only records newer than the heads it saw first.
 */
#include "ktest.h"
#include "trace_read.h"
#include "common/string.h"

#define PAGE 4096ull
#define TRACE_VA 0x0000350000000000ull      /* this file's mapping of the rings */
#define TRACE_VA2 0x0000358000000000ull     /* a second view */
#define RECS_VA 0x0000360000000000ull       /* record buffer */
#define RECS_MAX (2 * AE_TRACE_RING_RECORDS)
#define L_EXIT 0xe417u
#define BADGE 0x7ace0042ull

#define ALL_RIGHTS (AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP | AE_RIGHT_MANAGE | \
                    AE_RIGHT_DERIVE | AE_RIGHT_GRANT)

/* A mapping of the rings and, per CPU, the head seen when it was made. */
struct view {
    uint64_t bytes;
    unsigned n;
    uint64_t cursor[AE_TRACE_MAX_CPUS];
    struct ae_trace_rec *recs;          /* RECS_MAX records, RECS_VA */
    ae_handle_t recs_vmo;
    size_t nrecs;                       /* collected by view_collect */
    uint64_t lost;
};

static const void *base(void)
{
    return (const void *)TRACE_VA;
}

static int view_open(struct view *v)
{
    int64_t r = ae_trace_map(ae_bootinfo->trace, TRACE_VA), vmo;

    memset(v, 0, sizeof(*v));
    CHECK_EQ(r, (int64_t)AE_TRACE_MAP_BYTES(ae_bootinfo->ncpus));
    if (r <= 0)
        return 0;
    v->bytes = (uint64_t)r;
    v->n = ae_trace_nrings(v->bytes);
    for (unsigned i = 0; i < v->n; i++)
        v->cursor[i] = ae_trace_head(ae_trace_hdr(base(), i));
    vmo = ae_vmo_create(RECS_MAX * sizeof(struct ae_trace_rec), 0);
    CHECK(vmo > 0);
    if (vmo <= 0 || ae_vmo_map((ae_handle_t)vmo, 0, RECS_VA, 0,
                               RECS_MAX * sizeof(struct ae_trace_rec),
                               AE_PROT_READ | AE_PROT_WRITE) != AE_OK) {
        ae_vmo_unmap(0, TRACE_VA, v->bytes);
        return 0;
    }
    v->recs_vmo = (ae_handle_t)vmo;
    v->recs = (struct ae_trace_rec *)RECS_VA;
    return 1;
}

static void view_close(struct view *v)
{
    CHECK_OK(ae_vmo_unmap(0, TRACE_VA, v->bytes));
    ae_vmo_unmap(0, RECS_VA, RECS_MAX * sizeof(struct ae_trace_rec));
    ae_handle_close(v->recs_vmo);
}

/* Reads every ring from its cursor into v->recs (CPU 0's first), checking
 * that each CPU's records have consecutive seqs and non-decreasing
 * timestamps. */
static void view_collect(struct view *v)
{
    v->nrecs = 0;
    for (unsigned cpu = 0; cpu < v->n; cpu++) {
        size_t got = ae_trace_read(ae_trace_hdr(base(), cpu), ae_trace_ring(base(), cpu),
                                   &v->cursor[cpu], v->recs + v->nrecs, RECS_MAX - v->nrecs,
                                   &v->lost);
        for (size_t i = 0; i < got; i++) {
            const struct ae_trace_rec *r = &v->recs[v->nrecs + i];
            CHECK_EQ(r->cpu, cpu);
            if (i) {
                CHECK_EQ(r->seq, r[-1].seq + 1);
                CHECK(r->ts_ns >= r[-1].ts_ns);
            }
        }
        v->nrecs += got;
    }
}

/* The first record of type with pid and peer (0: any peer), or NULL. */
static const struct ae_trace_rec *find(const struct view *v, unsigned type, uint64_t pid,
                                       uint64_t peer)
{
    for (size_t i = 0; i < v->nrecs; i++) {
        const struct ae_trace_rec *r = &v->recs[i];
        if (r->type == type && r->pid == pid && (!peer || r->peer == peer))
            return r;
    }
    return NULL;
}

/* A SWITCH to a thread of pid, on any CPU. */
static int switched_to(const struct view *v, uint64_t pid)
{
    for (size_t i = 0; i < v->nrecs; i++)
        if (v->recs[i].type == AE_TRACE_SWITCH && v->recs[i].peer == pid)
            return 1;
    return 0;
}

static int set_tracing(int on)
{
    return (int)ae_trace_ctl(ae_bootinfo->trace, AE_TRACE_CTL_SET, (uint64_t)on);
}

static uint64_t my_pid(void)
{
    return ktest_pinfo(ktest_self).pid;
}

/* ---- a server in a child process ---------------------------------------- */

/* Answers calls with label + 1 and w[0] + 1 (closing handles it gets),
 * takes plain sends, and exits on L_EXIT after replying. */
static int64_t echo_server(uint64_t ep)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)ep, &m);

    for (; r == AE_OK; r = ae_ipc_reply_recv((ae_handle_t)ep, &m)) {
        for (unsigned i = 0; i < AE_MSG_NHANDLES(m.info); i++)
            ae_handle_close(m.h[i]);
        if (AE_MSG_LABEL(m.info) == L_EXIT) {
            m.info = AE_MSG_INFO(L_EXIT, 0);
            return ae_ipc_reply(&m) == AE_OK ? 0 : 101;
        }
        m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info) + 1, 0);
        m.w[0]++;
    }
    return 100;
}

struct server {
    ae_handle_t ep, send, p;
    uint64_t pid;
};

static int server_start(struct server *s)
{
    ae_handle_t recv;

    s->ep = CHECK_HANDLE(ae_endpoint_create());
    s->send = CHECK_HANDLE(ae_handle_derive(s->ep, AE_RIGHT_SEND, BADGE, AE_DERIVE_SET_BADGE));
    recv = CHECK_HANDLE(ae_handle_derive(s->ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    s->p = CHECK_HANDLE(ktest_child(echo_server, 0, NULL, recv, NULL));
    s->pid = s->p ? ktest_pinfo(s->p).pid : 0;
    return s->p != 0;
}

/* Stops it (its final reply is one more call) and returns its status. */
static int64_t server_stop(struct server *s)
{
    struct ae_msg m = {AE_MSG_INFO(L_EXIT, 0), {0}, {0}, 0};
    int64_t st;

    CHECK_OK(ae_ipc_call(s->send, &m));
    st = ae_process_wait(s->p, KTEST_WAIT_NS);
    ae_handle_close(s->send);
    ae_handle_close(s->ep);
    return st;
}

/* ---- the handle and the calls ------------------------------------------- */

KTEST(TRC0001, "init's boot info (version 3 on) names the TraceBuf with READ WRITE MAP MANAGE DERIVE GRANT")
{
    struct ae_handle_info hi;

    CHECK(ae_bootinfo->version >= 3);
    CHECK_OK(ae_handle_info(ae_bootinfo->trace, &hi));
    CHECK_EQ(hi.type, AE_OBJ_TRACE);
    CHECK_EQ(hi.rights, ALL_RIGHTS);
    CHECK_EQ(ae_trace_ctl(ae_bootinfo->trace, AE_TRACE_CTL_QUERY, 0), 0);   /* off at boot */
}

KTEST(TRC0002, "trace_map: a header per CPU and its ring, read-only; two views; unmapped with vmo_unmap")
{
    ae_handle_t t = ae_bootinfo->trace;
    uint64_t bytes = AE_TRACE_MAP_BYTES(ae_bootinfo->ncpus);
    const struct ae_trace_ring_hdr *h = base(), *h2 = (const void *)TRACE_VA2;

    CHECK_EQ(ae_trace_map(t, TRACE_VA), (int64_t)bytes);
    CHECK_EQ(ae_trace_map(t, TRACE_VA2), (int64_t)bytes);
    for (unsigned i = 0; i < ae_bootinfo->ncpus; i++) {
        CHECK_EQ(h[i].magic, AE_TRACE_MAGIC);
        CHECK_EQ(h[i].cpu, i);
        CHECK_EQ(h[i].nrecords, AE_TRACE_RING_RECORDS);
        CHECK_EQ(h[i].enabled, 0);
        CHECK_EQ(h2[i].magic, AE_TRACE_MAGIC);
        CHECK_EQ(h2[i].head, h[i].head);
    }
    if (ae_bootinfo->ncpus < AE_TRACE_MAX_CPUS)
        CHECK_EQ(h[ae_bootinfo->ncpus].magic, 0);      /* no ring for CPUs that do not exist */
    /* The last ring's last record is mapped: a read works. */
    CHECK(ae_trace_ring(base(), ae_bootinfo->ncpus - 1)[AE_TRACE_RING_RECORDS - 1].cpu <
          ae_bootinfo->ncpus);
    CHECK_EQ(ae_trace_map(t, TRACE_VA + PAGE), AE_ERR_EXISTS);     /* overlaps */
    CHECK_EQ(ae_trace_map(t, TRACE_VA2 + 8), AE_ERR_INVAL);        /* unaligned */
    CHECK_EQ(ae_trace_map(t, KTEST_KERNEL_ADDR), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_map(t, 0x00007ffffffff000ull), AE_ERR_INVAL);  /* runs past USER_TOP */
    CHECK_EQ(ae_trace_map(t, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(0, TRACE_VA, PAGE), AE_ERR_NOTFOUND);    /* the whole view only */
    CHECK_OK(ae_vmo_unmap(0, TRACE_VA, bytes));
    CHECK_OK(ae_vmo_unmap(0, TRACE_VA2, bytes));
}

KTEST(TRC0003, "trace_map needs MAP and READ, trace_ctl MANAGE, trace_emit WRITE; wrong types and bad arguments are refused")
{
    ae_handle_t t = ae_bootinfo->trace;
    ae_handle_t nomap = CHECK_HANDLE(ae_handle_derive(t, ALL_RIGHTS & ~AE_RIGHT_MAP, 0, 0));
    ae_handle_t noread = CHECK_HANDLE(ae_handle_derive(t, ALL_RIGHTS & ~AE_RIGHT_READ, 0, 0));
    ae_handle_t nomanage = CHECK_HANDLE(ae_handle_derive(t, ALL_RIGHTS & ~AE_RIGHT_MANAGE, 0, 0));
    ae_handle_t nowrite = CHECK_HANDLE(ae_handle_derive(t, ALL_RIGHTS & ~AE_RIGHT_WRITE, 0, 0));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());

    CHECK_EQ(ae_trace_map(nomap, TRACE_VA), AE_ERR_ACCESS);
    CHECK_EQ(ae_trace_map(noread, TRACE_VA), AE_ERR_ACCESS);
    CHECK_EQ(ae_trace_map(ep, TRACE_VA), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_map(0, TRACE_VA), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_trace_ctl(nomanage, AE_TRACE_CTL_QUERY, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_trace_ctl(nomanage, AE_TRACE_CTL_SET, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_trace_ctl(ep, AE_TRACE_CTL_QUERY, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_ctl(t, 2, 0), AE_ERR_INVAL);                   /* no such op */
    CHECK_EQ(ae_trace_ctl(t, AE_TRACE_CTL_SET, 2), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_emit(nowrite, AE_TRACE_PROC_RESTART, 1, 2, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_trace_emit(t, AE_TRACE_IPC_CALL, 1, 2, 0), AE_ERR_INVAL);   /* kernel's only */
    CHECK_EQ(ae_trace_emit(t, AE_TRACE_NONE, 1, 2, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_emit(t, 0x10000 + AE_TRACE_PROC_RESTART, 1, 2, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_emit(t, AE_TRACE_PROC_RESTART, 1ull << 32, 2, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_emit(ep, AE_TRACE_PROC_RESTART, 1, 2, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_trace_ctl(t, AE_TRACE_CTL_QUERY, 0), 0);     /* nothing above switched it */
    ae_handle_close(nomap);
    ae_handle_close(noread);
    ae_handle_close(nomanage);
    ae_handle_close(nowrite);
    ae_handle_close(ep);
}

KTEST(TRC0004, "trace_ctl switches tracing on and off, returns the previous state, and the headers follow")
{
    struct view v;

    if (!view_open(&v))
        return;
    CHECK_EQ(set_tracing(1), 0);
    CHECK_EQ(ae_trace_ctl(ae_bootinfo->trace, AE_TRACE_CTL_QUERY, 0), 1);
    CHECK_EQ(set_tracing(1), 1);
    for (unsigned i = 0; i < v.n; i++)
        CHECK_EQ(ae_trace_hdr(base(), i)->enabled, 1);
    CHECK_EQ(set_tracing(0), 1);
    CHECK_EQ(set_tracing(0), 0);
    for (unsigned i = 0; i < v.n; i++)
        CHECK_EQ(ae_trace_hdr(base(), i)->enabled, 0);
    view_close(&v);
}

static int64_t child_writes_rings(uint64_t h)
{
    int64_t r = ae_trace_map((ae_handle_t)h, TRACE_VA);

    if (r <= 0)
        return 1;
    *(volatile uint64_t *)(TRACE_VA + PAGE + 64) = 1;      /* a record of CPU 0 */
    return 2;
}

static int64_t child_runs_rings(uint64_t h)
{
    int64_t r = ae_trace_map((ae_handle_t)h, TRACE_VA);

    if (r <= 0)
        return 1;
    ((void (*)(void))(TRACE_VA + PAGE))();
    return 2;
}

KTEST(TRC0005, "the rings are read-only and never executable: a child that writes or jumps there is killed")
{
    ae_handle_t h = CHECK_HANDLE(ae_handle_derive(ae_bootinfo->trace, AE_RIGHT_READ |
                                                  AE_RIGHT_MAP | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t x = CHECK_HANDLE(ae_handle_derive(ae_bootinfo->trace, AE_RIGHT_READ |
                                                  AE_RIGHT_MAP | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p;
    const struct ae_trace_rec *r;
    struct view v;
    uint64_t pid;

    if (!view_open(&v))
        return;
    set_tracing(1);
    p = CHECK_HANDLE(ktest_child(child_writes_rings, 0, NULL, h, NULL));
    pid = p ? ktest_pinfo(p).pid : 0;
    CHECK_EQ(p ? ktest_wait_child(p) : 0, AE_ERR_FAULT);
    p = CHECK_HANDLE(ktest_child(child_runs_rings, 0, NULL, x, NULL));
    CHECK_EQ(p ? ktest_wait_child(p) : 0, AE_ERR_FAULT);
    set_tracing(0);
    view_collect(&v);
    /* The fault was the write: a protection violation (bit 0), a write
     * (bit 1), from user mode (bit 2), fatal. */
    r = find(&v, AE_TRACE_PAGE_FAULT, pid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ(r->arg[0], TRACE_VA + PAGE + 64);
        CHECK_EQ(r->arg[2] & 7, 7);
        CHECK_EQ(r->arg[3], 1);
    }
    view_close(&v);
}

/* ---- what the trace points record --------------------------------------- */

KTEST(TRC0006, "with tracing on, a call records CALL and REPLY, one record per message: pids, tids of both ends, badge, info, who waited and how long, hand-off")
{
    struct server s;
    struct view v;
    ae_handle_t note = CHECK_HANDLE(ae_notify_create());
    struct ae_msg m = {AE_MSG_INFO(0x51, 1), {41, 2, 3, 4}, {note}, 0};
    struct ae_msg warm = {AE_MSG_INFO(0x10, 0), {0}, {0}, 0};
    const struct ae_trace_rec *call, *reply;
    uint64_t me = my_pid(), waited;

    if (!server_start(&s) || !view_open(&v))
        return;
    /* A first call, untraced: after its reply the server waits in recv,
     * so on one CPU the traced call finds it there and hands off. */
    CHECK_OK(ae_ipc_call(s.send, &warm));
    CHECK_EQ(set_tracing(1), 0);
    CHECK_OK(ae_ipc_call(s.send, &m));
    set_tracing(0);
    CHECK_EQ(AE_MSG_LABEL(m.info), 0x52);
    CHECK_EQ(m.w[0], 42);
    view_collect(&v);
    CHECK_EQ(v.lost, 0);
    call = find(&v, AE_TRACE_IPC_CALL, me, s.pid);
    reply = find(&v, AE_TRACE_IPC_REPLY, s.pid, me);
    CHECK(call && reply);
    /* Receipts are part of the delivery's record: no RECV for a call. */
    CHECK(find(&v, AE_TRACE_IPC_RECV, s.pid, 0) == NULL);
    if (call && reply) {
        CHECK_EQ(call->arg[0], BADGE);
        CHECK_EQ(call->arg[1], AE_MSG_INFO(0x51, 1));   /* label, one handle */
        CHECK_EQ(reply->arg[0], 0);
        CHECK_EQ(reply->arg[1], AE_MSG_INFO(0x52, 0));  /* no handle back */
        /* The receiving threads: the server's, then ours. */
        CHECK(call->tid != 0 && AE_TRACE_IPC_RECV_TID(call->arg[3]) != 0);
        CHECK(AE_TRACE_IPC_RECV_TID(call->arg[3]) != call->tid);
        CHECK_EQ(reply->tid, AE_TRACE_IPC_RECV_TID(call->arg[3]));
        CHECK_EQ(AE_TRACE_IPC_RECV_TID(reply->arg[3]), call->tid);
        /* Exactly one side of the call had been waiting: the server in
         * recv, or this call queued while the server was not there yet. */
        waited = call->arg[3] & (AE_TRACE_IPC_RECEIVER_WAITED | AE_TRACE_IPC_SENDER_WAITED);
        CHECK(waited == AE_TRACE_IPC_RECEIVER_WAITED || waited == AE_TRACE_IPC_SENDER_WAITED);
        /* We waited for the reply: a measured wait. When the call went
         * straight to the server we blocked at the call (or later, when a
         * switch away from us stamped the wait again). */
        CHECK(reply->arg[3] & AE_TRACE_IPC_RECEIVER_WAITED);
        CHECK(reply->arg[2] > 0);
        CHECK(call->ts_ns <= reply->ts_ns || call->cpu != reply->cpu);
        if (waited == AE_TRACE_IPC_RECEIVER_WAITED && call->cpu == reply->cpu)
            CHECK(reply->arg[2] <= reply->ts_ns - call->ts_ns);
        if (call->arg[3] & AE_TRACE_IPC_HANDOFF)
            CHECK_EQ(reply->arg[2], reply->ts_ns - call->ts_ns);
        /* On one CPU the server (waiting) runs straight after the call and
         * we run straight after the reply: hand-offs, with no SWITCH
         * records. */
        if (ae_bootinfo->ncpus == 1) {
            CHECK_EQ(waited, AE_TRACE_IPC_RECEIVER_WAITED);
            CHECK(call->arg[3] & AE_TRACE_IPC_HANDOFF);
            CHECK(reply->arg[3] & AE_TRACE_IPC_HANDOFF);
            CHECK(!switched_to(&v, s.pid));
        }
    }
    /* The server was blocked: it ran again, by a SWITCH or a hand-off. */
    CHECK(switched_to(&v, s.pid) || (call && (call->arg[3] & AE_TRACE_IPC_HANDOFF)));
    CHECK_EQ(server_stop(&s), 0);
    ae_handle_close(s.p);
    view_close(&v);
}

KTEST(TRC0007, "with tracing off nothing is recorded: IPC, switches, faults and trace_emit leave every head where it was")
{
    struct server s;
    struct view v;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    if (!view_open(&v))
        return;
    if (!server_start(&s)) {
        view_close(&v);
        return;
    }
    for (int i = 0; i < 10; i++)
        CHECK_OK(ae_ipc_call(s.send, &m));
    CHECK_EQ(ae_trace_emit(ae_bootinfo->trace, AE_TRACE_PROC_RESTART, 5, 6, 7), 0);
    CHECK_EQ(server_stop(&s), 0);
    ae_handle_close(s.p);
    for (unsigned i = 0; i < v.n; i++)
        CHECK_EQ(ae_trace_head(ae_trace_hdr(base(), i)), v.cursor[i]);
    view_close(&v);
}

KTEST(TRC0008, "ring wrap: more than a ring of records; the reader gets the newest and counts the overwritten as lost")
{
    struct view v;
    const unsigned total = AE_TRACE_RING_RECORDS + 500;
    unsigned cpu = 0, ours = 0;
    uint64_t start, head, lost = 0, cursor;
    size_t got;

    if (!view_open(&v))
        return;
    set_tracing(1);
    for (unsigned i = 0; i < total; i++)
        CHECK_EQ(ae_trace_emit(ae_bootinfo->trace, AE_TRACE_PROC_RESTART, 77, i, 0xabc), 1);
    set_tracing(0);
    /* The CPU we ran on holds them (this thread is not pinned: the one whose head moved most). */
    for (unsigned i = 0; i < v.n; i++)
        if (ae_trace_head(ae_trace_hdr(base(), i)) - v.cursor[i] >=
            ae_trace_head(ae_trace_hdr(base(), cpu)) - v.cursor[cpu])
            cpu = i;
    start = v.cursor[cpu];
    head = ae_trace_head(ae_trace_hdr(base(), cpu));
    CHECK(head - start >= total);
    /* The first record written is gone: its slot holds a newer one. */
    CHECK(ae_trace_ring(base(), cpu)[(start + 1) % AE_TRACE_RING_RECORDS].seq !=
          start + 1);
    cursor = start;
    got = ae_trace_read(ae_trace_hdr(base(), cpu), ae_trace_ring(base(), cpu), &cursor,
                        v.recs, RECS_MAX, &lost);
    CHECK_EQ(got, AE_TRACE_RING_RECORDS);
    CHECK_EQ(lost, head - start - AE_TRACE_RING_RECORDS);
    CHECK_EQ(cursor, head);
    CHECK_EQ(v.recs[0].seq, head - AE_TRACE_RING_RECORDS + 1);
    CHECK_EQ(v.recs[got - 1].seq, head);
    for (size_t i = 0; i < got; i++) {
        const struct ae_trace_rec *r = &v.recs[i];
        if (r->type != AE_TRACE_PROC_RESTART || r->peer != 77)
            continue;
        CHECK_EQ(r->arg[1], 0xabc);
        CHECK_EQ(r->pid, my_pid());
        ours++;
    }
    /* The newest ring-full is ours but for the odd switch or IRQ record,
     * and the newest of ours is the last one emitted. */
    CHECK(ours > AE_TRACE_RING_RECORDS - 64);
    for (size_t i = got; i-- > 0;) {
        if (v.recs[i].type == AE_TRACE_PROC_RESTART && v.recs[i].peer == 77) {
            CHECK_EQ(v.recs[i].arg[0], total - 1);
            break;
        }
    }
    view_close(&v);
}

static int64_t child_faults(uint64_t arg)
{
    return (int64_t) * (volatile uint64_t *)KTEST_UNMAPPED;
}

static int64_t child_exits(uint64_t arg)
{
    return 23;
}

KTEST(TRC0009, "a child that faults: SPAWN (with its name), PAGE_FAULT, PROC_FAULT and EXIT (killed) records; a clean exit is not killed")
{
    struct view v;
    ae_handle_t p, q;
    uint64_t pid, qpid, me = my_pid();
    const struct ae_trace_rec *r;

    if (!view_open(&v))
        return;
    set_tracing(1);
    p = CHECK_HANDLE(ktest_child(child_faults, 0, NULL, 0, NULL));
    pid = p ? ktest_pinfo(p).pid : 0;
    CHECK_EQ(p ? ktest_wait_child(p) : 0, AE_ERR_FAULT);
    q = CHECK_HANDLE(ktest_child(child_exits, 0, NULL, 0, NULL));
    qpid = q ? ktest_pinfo(q).pid : 0;
    CHECK_EQ(q ? ktest_wait_child(q) : 0, 23);
    set_tracing(0);
    view_collect(&v);
    r = find(&v, AE_TRACE_PROC_SPAWN, me, pid);
    CHECK(r != NULL);
    if (r)
        CHECK(memcmp(&r->arg[0], "child", 6) == 0);
    r = find(&v, AE_TRACE_PAGE_FAULT, pid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ(r->arg[0], KTEST_UNMAPPED);
        CHECK_EQ(r->arg[2] & 5, 4);                /* not present, user mode */
        CHECK_EQ(r->arg[3], 1);
    }
    r = find(&v, AE_TRACE_PROC_FAULT, pid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ(r->arg[0], AE_FAULT_PAGE);
        CHECK_EQ(r->arg[1], KTEST_UNMAPPED);
    }
    r = find(&v, AE_TRACE_PROC_EXIT, pid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ((int64_t)r->arg[0], AE_ERR_FAULT);
        CHECK_EQ(r->arg[1], 1);
    }
    CHECK(find(&v, AE_TRACE_PROC_SPAWN, me, qpid) != NULL);
    r = find(&v, AE_TRACE_PROC_EXIT, qpid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ(r->arg[0], 23);
        CHECK_EQ(r->arg[1], 0);
    }
    CHECK(switched_to(&v, pid));
    view_close(&v);
}

static int64_t child_over_quota(uint64_t arg)
{
    int64_t v = ae_vmo_create(1024 * PAGE, 0);       /* more than its 256 pages */

    return v == AE_ERR_QUOTA ? 0 : 1;
}

KTEST(TRC0010, "a quota denial is recorded: resource, asked and what was left")
{
    struct view v;
    ae_handle_t p;
    uint64_t pid;
    const struct ae_trace_rec *r;

    if (!view_open(&v))
        return;
    set_tracing(1);
    p = CHECK_HANDLE(ktest_child(child_over_quota, 0, NULL, 0, NULL));
    pid = p ? ktest_pinfo(p).pid : 0;
    CHECK_EQ(p ? ktest_wait_child(p) : 1, 0);
    set_tracing(0);
    view_collect(&v);
    r = find(&v, AE_TRACE_QUOTA_DENY, pid, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ(r->arg[0], AE_TRACE_RES_PAGES);
        CHECK_EQ(r->arg[1], 1024);
        CHECK(r->arg[2] < 256);
    }
    view_close(&v);
}

KTEST(TRC0011, "process_info counts IPC messages, traced or not: calls and sends on the sender, receipts on the receiver")
{
    struct server s;
    struct ae_process_info before = ktest_pinfo(ktest_self), after, si;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};

    if (!server_start(&s))
        return;
    for (int i = 0; i < 25; i++)
        CHECK_OK(ae_ipc_call(s.send, &m));
    for (int i = 0; i < 3; i++) {
        m.info = AE_MSG_INFO(9, 0);
        CHECK_OK(ae_ipc_send(s.send, &m));
    }
    set_tracing(1);
    for (int i = 0; i < 5; i++)
        CHECK_OK(ae_ipc_call(s.send, &m));
    set_tracing(0);
    si = ktest_pinfo(s.p);
    CHECK_EQ(si.ipc_received, 33);
    CHECK_EQ(si.ipc_sent, 30);         /* replies; the sends got none */
    CHECK_EQ(server_stop(&s), 0);      /* one more call, one more reply */
    after = ktest_pinfo(ktest_self);
    CHECK_EQ(after.ipc_sent - before.ipc_sent, 34);
    CHECK_EQ(after.ipc_received - before.ipc_received, 31);
    si = ktest_pinfo(s.p);             /* dead: its thread's counts stay */
    CHECK_EQ(si.state, 1);
    CHECK_EQ(si.ipc_received, 34);
    CHECK_EQ(si.ipc_sent, 31);
    ae_handle_close(s.p);
}
