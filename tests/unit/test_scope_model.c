/*
 * Unit tests for aether-scope's system model (tools/aether-scope/model.c,
 * rate.c) and its JSON view (state_json.c): V-Nodes from snapshots and
 * spawn records, the state rules (blocked, faulted, restarting), IPC edges
 * with the 2 s rate window, CPU from snapshots, placeholders renamed and
 * merged, every table bounded, and JSON that stays valid whatever the
 * guest names things.
 */
#include "unit.h"

#include <aether/ipc.h>
#include <aether/proto/init.h>

#include "tools/aether-scope/model.h"
#include "tools/aether-scope/state_json.h"
#include "scope_frames.h"

#define MS 1000000ull
#define SEC 1000000000ull

static struct sm_model *m;

static int setup(void **state)
{
    m = calloc(1, sizeof(*m));
    sm_init(m);
    return 0;
}

static int teardown(void **state)
{
    free(m);
    return 0;
}

static void rec(uint64_t ts, uint16_t type, uint16_t cpu, uint32_t pid, uint32_t tid, uint32_t peer,
                uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct sd_event ev = {.kind = SD_RECORD};

    ev.u.rec = mkrec(ts, type, cpu, pid, tid, peer, a0, a1, a2, a3);
    sm_apply(m, &ev);
}

static void snap(uint64_t ts, uint32_t pid, const char *name, uint32_t state, uint64_t cpu_ns,
                 uint64_t used, uint64_t quota)
{
    struct sd_event ev = {.kind = SD_VNODE};

    ev.u.vnode.ts_ns = ts;
    ev.u.vnode.pid = pid;
    ev.u.vnode.v.state = state;
    ev.u.vnode.v.cpu_ns = cpu_ns;
    ev.u.vnode.v.pages_used = used;
    ev.u.vnode.v.pages_quota = quota;
    snprintf(ev.u.vnode.name, sizeof(ev.u.vnode.name), "%s", name);
    sm_apply(m, &ev);
}

static void spawn(uint64_t ts, uint32_t parent, uint32_t child, const char *name)
{
    uint64_t a[3] = {0};

    memcpy(a, name, strlen(name) < 24 ? strlen(name) : 24);     /* little-endian host */
    rec(ts, AE_TRACE_PROC_SPAWN, 0, parent, 1, child, a[0], a[1], a[2], 0);
}

static const struct sm_node *node(const char *name)
{
    int i = sm_node_by_name(m, name);

    assert_true(i >= 0);
    return &m->nodes[i];
}

static const char *state_of(const char *name)
{
    return sm_state_name(sm_node_state(m, node(name)));
}

static const struct sm_edge *edge(const char *src, const char *dst)
{
    int s = sm_node_by_name(m, src), d = sm_node_by_name(m, dst);

    for (unsigned i = 0; i < m->nedges; i++)
        if (m->edges[i].src == s && m->edges[i].dst == d)
            return &m->edges[i];
    return NULL;
}

static void SCM0001_snapshots_make_nodes(void **state)
{
    snap(1 * SEC, 1, "init", AE_VNODE_RUNNING, 0, 900, 4096);
    snap(1 * SEC, 4, "shell", AE_VNODE_RUNNING, 0, 120, 512);
    snap(1 * SEC, 0, "vfs", AE_VNODE_STOPPED, 0, 0, 1024);
    assert_int_equal(m->nnodes, 3);
    assert_string_equal(state_of("shell"), "running");
    assert_string_equal(state_of("vfs"), "stopped");
    assert_int_equal(node("shell")->pid, 4);
    assert_int_equal(node("shell")->pages_quota, 512);
    assert_int_equal(sm_node_of_pid(m, 4), sm_node_by_name(m, "shell"));
    assert_int_equal(sm_node_of_pid(m, 0), -1);
    assert_int_equal(m->now, 1 * SEC);
}

static void SCM0002_edges_count_and_rate(void **state)
{
    snap(0, 3, "vfs", AE_VNODE_RUNNING, 0, 0, 1);
    snap(0, 4, "shell", AE_VNODE_RUNNING, 0, 0, 1);
    /* 100 calls and replies over one second: 100/s over a 2 s window is 50/s */
    for (int i = 0; i < 100; i++) {
        rec(10 * MS * (uint64_t)i, AE_TRACE_IPC_CALL, 0, 4, 40, 3, 0, 0x201, 0,
            AE_TRACE_IPC_RECEIVER_WAITED | 30ull << 32);
        rec(10 * MS * (uint64_t)i + 1000, AE_TRACE_IPC_REPLY, 0, 3, 30, 4, 0, 0, 1000,
            AE_TRACE_IPC_RECEIVER_WAITED | 40ull << 32);
    }
    assert_int_equal(m->nedges, 2);
    assert_int_equal(edge("shell", "vfs")->count, 100);
    assert_int_equal(edge("shell", "vfs")->by_type[1], 100);
    assert_int_equal(edge("vfs", "shell")->by_type[2], 100);
    assert_float_equal(sm_edge_rate(m, edge("shell", "vfs")), 50.0, 0.01);
    assert_int_equal(node("shell")->msgs_out, 100);
    assert_int_equal(node("vfs")->msgs_in, 100);
    /* Time moves on (a snapshot) past the window: the rate falls to 0,
     * the count stays. */
    snap(4 * SEC, 4, "shell", AE_VNODE_RUNNING, 0, 0, 1);
    assert_float_equal(sm_edge_rate(m, edge("shell", "vfs")), 0.0, 0.0001);
    assert_int_equal(edge("shell", "vfs")->count, 100);
    /* Half the window later only what is in the window counts. */
    rec(4 * SEC + 500 * MS, AE_TRACE_IPC_CALL, 0, 4, 40, 3, 0, 0, 0, 0);
    assert_float_equal(sm_edge_rate(m, edge("shell", "vfs")), 0.5, 0.0001);
    /* A message from a CPU whose records arrive late still counts. */
    rec(4 * SEC + 100 * MS, AE_TRACE_IPC_CALL, 1, 4, 40, 3, 0, 0, 0, 0);
    assert_float_equal(sm_edge_rate(m, edge("shell", "vfs")), 1.0, 0.0001);
}

static void SCM0003_blocked_from_switches(void **state)
{
    snap(0, 3, "vfs", AE_VNODE_RUNNING, 0, 0, 1);
    snap(0, 4, "shell", AE_VNODE_RUNNING, 0, 0, 1);
    rec(100, AE_TRACE_SWITCH, 0, 4, 40, 3, 30, 1, 0, 0);   /* shell blocks, vfs in */
    assert_string_equal(state_of("shell"), "blocked");
    assert_string_equal(state_of("vfs"), "running");
    rec(200, AE_TRACE_SWITCH, 0, 3, 30, 4, 40, 0, 0, 0);   /* vfs preempted, shell in */
    assert_string_equal(state_of("shell"), "running");
    assert_string_equal(state_of("vfs"), "running");
    assert_int_equal(node("vfs")->run_ns, 100);
    rec(300, AE_TRACE_SWITCH, 0, 4, 40, 0, 0, 1, 0, 0);    /* shell blocks, idle in */
    assert_string_equal(state_of("shell"), "blocked");
    assert_int_equal(node("shell")->run_ns, 100);
}

static void SCM0004_fault_restart_new_pid(void **state)
{
    snap(1 * SEC, 2, "console", AE_VNODE_RUNNING, 0, 40, 256);
    rec(2 * SEC, AE_TRACE_PROC_FAULT, 1, 2, 20, 0, 14, 0xdead, 0x401000, 0);
    rec(2 * SEC + 10, AE_TRACE_PROC_EXIT, 1, 2, 20, 0, (uint64_t)-1, 1, 0, 0);
    assert_string_equal(state_of("console"), "faulted");
    snap(2 * SEC + 50 * MS, 0, "console", AE_VNODE_RESTARTING, 0, 0, 256);
    assert_string_equal(state_of("console"), "restarting");
    spawn(2 * SEC + 500 * MS, 1, 5, "console");
    rec(2 * SEC + 500 * MS + 5, AE_TRACE_PROC_RESTART, 0, 1, 10, 2, 5, 0, 0, 0);
    assert_string_equal(state_of("console"), "running");
    assert_int_equal(node("console")->pid, 5);
    assert_int_equal(sm_node_of_pid(m, 2), sm_node_of_pid(m, 5));
    /* An older snapshot arriving late changes nothing. */
    snap(2 * SEC + 100 * MS, 0, "console", AE_VNODE_RESTARTING, 0, 0, 256);
    assert_string_equal(state_of("console"), "running");
    snap(3 * SEC, 5, "console", AE_VNODE_RUNNING, 0, 40, 256);
    assert_string_equal(state_of("console"), "running");
    assert_int_equal(m->nnodes, 2);     /* console and init (the spawner) */
}

static void SCM0005_fault_hold_expires(void **state)
{
    snap(1 * SEC, 7, "crashy", AE_VNODE_RUNNING, 0, 1, 2);
    rec(2 * SEC, AE_TRACE_PAGE_FAULT, 0, 7, 70, 0, 0x10, 0x400000, 4, 1);
    assert_string_equal(state_of("crashy"), "faulted");
    rec(2 * SEC + SM_FAULT_HOLD_NS + 1, AE_TRACE_IRQ, 0, 0, 0, 0, 32, 0, 0, 0);
    assert_string_equal(state_of("crashy"), "running");
    /* A page fault that was not fatal is no fault. */
    rec(9 * SEC, AE_TRACE_PAGE_FAULT, 0, 7, 70, 0, 0x10, 0x400000, 4, 0);
    assert_string_equal(state_of("crashy"), "running");
    assert_int_equal(node("crashy")->page_faults, 2);
    assert_int_equal(node("crashy")->faults, 1);
}

static void SCM0006_placeholders_renamed_and_merged(void **state)
{
    /* pid 9 talks before anything names it */
    rec(100, AE_TRACE_IPC_SEND, 0, 9, 90, 4, 0, 0, 0, 0);
    assert_true(sm_node_by_name(m, "pid 9") >= 0);
    snap(200, 9, "netd", AE_VNODE_RUNNING, 0, 1, 2);
    assert_int_equal(sm_node_by_name(m, "pid 9"), -1);
    assert_true(edge("netd", "pid 4") != NULL);
    /* pid 4 is named by a spawn while a node "shell" exists already: the
     * placeholder is folded into it, edges and counts too */
    snap(300, 0, "shell", AE_VNODE_STOPPED, 0, 1, 2);
    rec(400, AE_TRACE_IPC_SEND, 0, 4, 40, 9, 0, 0, 0, 0);
    spawn(500, 1, 4, "shell");
    assert_int_equal(sm_node_by_name(m, "pid 4"), -1);
    assert_int_equal(edge("netd", "shell")->count, 1);
    assert_int_equal(edge("shell", "netd")->count, 1);
    assert_int_equal(node("shell")->msgs_out, 1);
    assert_int_equal(node("shell")->msgs_in, 1);
    assert_int_equal(sm_node_of_pid(m, 4), sm_node_by_name(m, "shell"));
}

static void SCM0007_cpu_from_snapshots(void **state)
{
    snap(1 * SEC, 3, "vfs", AE_VNODE_RUNNING, 100 * MS, 1, 2);
    assert_float_equal(node("vfs")->cpu_pct, 0.0, 0.001);
    snap(2 * SEC, 3, "vfs", AE_VNODE_RUNNING, 350 * MS, 1, 2);
    assert_float_equal(node("vfs")->cpu_pct, 25.0, 0.001);
    /* cpu_ns starts over with a new run: all of it is new */
    snap(3 * SEC, 8, "vfs", AE_VNODE_RUNNING, 100 * MS, 1, 2);
    assert_float_equal(node("vfs")->cpu_pct, 10.0, 0.001);
}

static void SCM0008_tables_are_bounded(void **state)
{
    for (uint32_t pid = 1; pid <= 5000; pid++)
        rec(pid, AE_TRACE_IPC_SEND, 0, pid, pid, pid + 1, 0, 0, 0, 0);
    assert_int_equal(m->nnodes, SM_MAX_NODES);
    assert_true(m->stats.node_overflow > 0);
    assert_true(m->nedges <= SM_MAX_EDGES);
    assert_true(m->npids <= SM_MAX_PIDS);
    for (uint32_t i = 0; i < 3 * SM_EVENTS; i++)
        rec(10000 + i, AE_TRACE_LOST, 0, 0, 0, 0, 1, 0, 0, 0);
    assert_int_equal(m->ev_count, SM_EVENTS);
    assert_int_equal(sm_event_at(m, 0)->ts, 10000 + 3 * SM_EVENTS - 1);
    assert_null(sm_event_at(m, SM_EVENTS));
    assert_int_equal(m->stats.lost, 3 * SM_EVENTS);
    /* one node's IPC history stays bounded, newest first */
    sm_init(m);
    for (uint64_t i = 0; i < 1000; i++)
        rec(i, AE_TRACE_IPC_CALL, 0, 4, 40, 3, i, 0, 0, 0);
    assert_int_equal(node("pid 4")->ipc_count, SM_NODE_IPC);
    assert_int_equal(sm_node_ipc_at(node("pid 4"), 0)->badge, 999);
    assert_int_equal(sm_node_ipc_at(node("pid 4"), SM_NODE_IPC - 1)->badge, 1000 - SM_NODE_IPC);
}

static void SCM0009_events_for_the_timeline(void **state)
{
    struct sb b = {0};

    snap(1 * SEC, 2, "console", AE_VNODE_RUNNING, 0, 1, 2);
    rec(2 * SEC, AE_TRACE_PROC_FAULT, 1, 2, 20, 0, 14, 0xdead, 0x401000, 0);
    snap(3 * SEC, 0, "console", AE_VNODE_RESTARTING, 0, 1, 2);
    rec(3 * SEC + 1, AE_TRACE_QUOTA_DENY, 0, 2, 20, 0, 0, 64, 10, 0);
    rec(3 * SEC + 2, AE_TRACE_IRQ, 0, 0, 0, 0, 32, 0, 0, 0);        /* not listed */
    rec(3 * SEC + 3, AE_TRACE_IPC_SEND, 0, 2, 20, 1, 0, 0, 0, 0);   /* not listed */
    assert_int_equal(m->ev_count, 3);
    sj_event_text(&b, m, sm_event_at(m, 1));
    assert_string_equal(b.p, "console: running -> restarting");
    sb_reset(&b);
    sj_event_text(&b, m, sm_event_at(m, 2));
    assert_string_equal(b.p, "console (pid 2) killed by a fault: reason 14, address 0xdead, rip 0x401000");
    sb_reset(&b);
    sj_event_text(&b, m, sm_event_at(m, 0));
    assert_string_equal(b.p, "console (pid 2) refused 64 pages: 10 left");
    sb_free(&b);
}

/* Checks that s is one JSON value with balanced brackets outside strings
 * and only printable ASCII: enough to catch a missing escape. */
static void assert_json_shape(const char *s)
{
    int depth = 0, in_str = 0;

    for (; *s; s++) {
        assert_true(*s >= 0x20 && *s < 0x7f);
        if (in_str) {
            if (*s == '\\')
                s++;
            else if (*s == '"')
                in_str = 0;
            continue;
        }
        if (*s == '"')
            in_str = 1;
        else if (*s == '{' || *s == '[')
            depth++;
        else if (*s == '}' || *s == ']')
            assert_true(--depth >= 0);
    }
    assert_int_equal(depth, 0);
    assert_false(in_str);
}

static void SCM0010_state_json(void **state)
{
    struct sb b = {0};
    struct sd_stats ds = {0};
    struct sj_source src = {.kind = "file", .target = "a\"b\\c\n.bin", .connected = 1};

    snap(1 * SEC, 4, "shell", AE_VNODE_RUNNING, 0, 120, 512);
    snap(1 * SEC, 5, "we\"ird\\", AE_VNODE_RUNNING, 0, 1, 2);
    rec(2 * SEC, AE_TRACE_IPC_CALL, 0, 4, 40, 5, 0, 0, 0, 0);
    rec(2 * SEC, AE_TRACE_PROC_FAULT, 0, 5, 50, 0, 0, 0, 0, 0);
    sj_state(&b, m, &ds, &src);
    assert_false(b.failed);
    assert_json_shape(b.p);
    assert_non_null(strstr(b.p, "\"name\":\"shell\",\"pid\":4,\"state\":\"running\""));
    assert_non_null(strstr(b.p, "\"name\":\"we\\\"ird\\\\\""));
    assert_non_null(strstr(b.p, "\"src\":\"shell\",\"dst\":\"we\\\"ird\\\\\",\"count\":1"));
    assert_non_null(strstr(b.p, "\"target\":\"a\\\"b\\\\c\\u000a.bin\""));
    assert_null(strstr(b.p, "\"handles\""));     /* lists only in a node's detail */
    sb_reset(&b);
    sj_node(&b, m, sm_node_by_name(m, "shell"));
    assert_json_shape(b.p);
    assert_non_null(strstr(b.p, "\"handles\":null"));
    assert_non_null(strstr(b.p, "\"dir\":\"out\",\"type\":\"call\",\"peer\":\"we\\\"ird\\\\\""));
    sb_free(&b);
}

static void SCM0011_hello_after_reboot_starts_over(void **state)
{
    struct sd_event h = {.kind = SD_HELLO};

    snap(5 * SEC, 4, "shell", AE_VNODE_RUNNING, 0, 1, 2);
    h.u.hello.version = 1;
    h.u.hello.clock_base_ns = 6 * SEC;          /* a periodic hello: keep all */
    sm_apply(m, &h);
    assert_int_equal(m->nnodes, 1);
    h.u.hello.clock_base_ns = 1 * SEC;          /* time went back: a new boot */
    sm_apply(m, &h);
    assert_int_equal(m->nnodes, 0);
    assert_int_equal(m->stats.hellos, 2);
    assert_int_equal(m->stats.snapshots, 1);    /* totals survive */
}

/* An IPC record with the hand-off flag is also the context switch: the
 * sender blocked, the receiving thread runs on that CPU. Recent IPC keeps
 * label, handles and the wait from the record's info word. */
static void SCM0012_handoff_is_a_switch(void **state)
{
    const struct sm_ipc *x;

    snap(0, 3, "vfs", AE_VNODE_RUNNING, 0, 0, 1);
    snap(0, 4, "shell", AE_VNODE_RUNNING, 0, 0, 1);
    rec(100, AE_TRACE_IPC_CALL, 0, 4, 40, 3, 7, AE_MSG_INFO(0x201, 2), 500,
        AE_TRACE_IPC_HANDOFF | AE_TRACE_IPC_RECEIVER_WAITED | 30ull << 32);
    assert_string_equal(state_of("shell"), "blocked");
    assert_string_equal(state_of("vfs"), "running");
    assert_int_equal(m->cpu[0].pid, 3);
    assert_int_equal(m->cpu[0].tid, 30);
    assert_int_equal(m->stats.switches, 1);
    rec(400, AE_TRACE_IPC_REPLY, 0, 3, 30, 4, 0, AE_MSG_INFO(0, 0), 300,
        AE_TRACE_IPC_HANDOFF | AE_TRACE_IPC_RECEIVER_WAITED | 40ull << 32);
    assert_string_equal(state_of("vfs"), "blocked");
    assert_string_equal(state_of("shell"), "running");
    assert_int_equal(node("vfs")->run_ns, 300);
    /* No hand-off: a message, no switch. */
    rec(500, AE_TRACE_IPC_SEND, 0, 4, 40, 3, 0, AE_MSG_INFO(9, 0), 0, 30ull << 32);
    assert_int_equal(m->stats.switches, 2);
    assert_string_equal(state_of("shell"), "running");
    x = sm_node_ipc_at(node("vfs"), 2);        /* oldest of vfs's three: the call in */
    assert_int_equal(x->label, 0x201);
    assert_int_equal(x->handles, 2);
    assert_int_equal(x->words, AE_MSG_WORDS);
    assert_int_equal(x->badge, 7);
    assert_int_equal(x->waited_ns, 500);
    assert_false(x->outgoing);
}

static void apply_event(void *ctx, const struct sd_event *ev)
{
    sm_apply(m, ev);
}

/* A 'C' frame (scope_frames.h's caps_frame), through the real decoder. */
static void caps(uint64_t ts, uint32_t pid, unsigned total, unsigned first, unsigned n)
{
    uint8_t buf[300];
    struct sd_decoder d;

    sd_init(&d, apply_event, NULL);
    sd_feed(&d, buf, caps_frame(buf, ts, pid, total, first, n));
}

/* A V-Node's handles arrive in 'C' frames: a list starts at entry 0 and
 * grows frame by frame in order; a frame out of order is dropped; the
 * next list replaces the old; the node's JSON lists them with type
 * names and rights letters. */
static void SCM0013_handles_from_caps_frames(void **state)
{
    const struct sm_node *n;
    struct sb b = {0};

    snap(0, 3, "vfs", AE_VNODE_RUNNING, 0, 0, 1);
    assert_false(node("vfs")->has_caps);
    caps(1000, 3, 14, 0, 11);
    caps(1000, 3, 14, 11, 3);
    n = node("vfs");
    assert_true(n->has_caps);
    assert_int_equal(n->ncaps, 14);
    assert_int_equal(n->caps_total, 14);
    assert_int_equal(n->caps[12].handle, 0x100 + 12);
    assert_int_equal(n->caps[12].badge, 12000);
    /* a frame of another list (older time) or out of order: dropped */
    caps(2000, 3, 30, 0, 11);
    caps(2000, 3, 30, 22, 8);               /* the frame from 11 was lost */
    assert_int_equal(n->ncaps, 11);
    assert_int_equal(n->caps_total, 30);
    caps(1000, 3, 30, 11, 11);              /* older list's frame */
    assert_int_equal(n->ncaps, 11);
    /* JSON */
    sj_node(&b, m, sm_node_by_name(m, "vfs"));
    assert_non_null(strstr(b.p, "\"handles_total\":30"));
    assert_non_null(strstr(b.p, "{\"handle\":256,\"type\":\"none\",\"rights\":\"r----------\","
                                "\"badge\":0,\"revoked\":false}"));
    assert_non_null(strstr(b.p, "{\"handle\":257,\"type\":\"process\",\"rights\":\"-w---------\""));
    assert_non_null(strstr(b.p, "\"type\":\"endpoint\",\"rights\":\"---m-------\",\"badge\":3000,"
                                "\"revoked\":true}"));
    assert_json_shape(b.p);
    free(b.p);
    /* a node with no list yet says null */
    snap(0, 4, "shell", AE_VNODE_RUNNING, 0, 0, 1);
    b = (struct sb){0};
    sj_node(&b, m, sm_node_by_name(m, "shell"));
    assert_non_null(strstr(b.p, "\"handles\":null"));
    free(b.p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(SCM0001_snapshots_make_nodes), T(SCM0002_edges_count_and_rate),
        T(SCM0003_blocked_from_switches), T(SCM0004_fault_restart_new_pid),
        T(SCM0005_fault_hold_expires), T(SCM0006_placeholders_renamed_and_merged),
        T(SCM0007_cpu_from_snapshots), T(SCM0008_tables_are_bounded),
        T(SCM0009_events_for_the_timeline), T(SCM0010_state_json),
        T(SCM0011_hello_after_reboot_starts_over), T(SCM0012_handoff_is_a_switch),
        T(SCM0013_handles_from_caps_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
