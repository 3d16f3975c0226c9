/*
 * Builds the system model from stream events. A V-Node is known by name;
 * pids come and go (a restart gives a new one), so every pid seen is
 * mapped to the node it ran as. A pid seen in records before any name
 * for it gets a placeholder node "pid N", renamed (or folded into the
 * named node) once a snapshot or spawn record names it.
 */
#include <stdio.h>
#include <string.h>

#include <aether/ipc.h>
#include <aether/proto/init.h>

#include "model.h"

void sm_init(struct sm_model *m)
{
    memset(m, 0, sizeof(*m));
}

void sm_apply_cb(void *model, const struct sd_event *ev)
{
    sm_apply(model, ev);
}

int sm_resolve(const struct sm_model *m, int node)
{
    /* Merges only ever point from a placeholder to a named node, so one
     * step is enough; the bound guards against a corrupt table anyway. */
    for (unsigned i = 0; node >= 0 && i < 4 && m->nodes[node].merged_into >= 0; i++)
        node = m->nodes[node].merged_into;
    return node;
}

int sm_node_of_pid(const struct sm_model *m, uint32_t pid)
{
    if (pid == 0)
        return -1;
    for (unsigned i = 0; i < m->npids; i++)
        if (m->pids[i].pid == pid)
            return sm_resolve(m, m->pids[i].node);
    return -1;
}

int sm_node_by_name(const struct sm_model *m, const char *name)
{
    for (unsigned i = 0; i < m->nnodes; i++)
        if (m->nodes[i].merged_into < 0 && strcmp(m->nodes[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void map_pid(struct sm_model *m, uint32_t pid, int node)
{
    unsigned slot;

    if (pid == 0 || node < 0)
        return;
    for (unsigned i = 0; i < m->npids; i++)
        if (m->pids[i].pid == pid) {
            m->pids[i].node = node;
            return;
        }
    /* Full: forget the oldest mapping rather than refuse the new one; old
     * pids matter least (their records have already been counted). */
    slot = m->npids < SM_MAX_PIDS ? m->npids++ : m->pid_next++ % SM_MAX_PIDS;
    m->pids[slot].pid = pid;
    m->pids[slot].node = node;
}

static int new_node(struct sm_model *m, const char *name, int placeholder)
{
    struct sm_node *n;

    if (m->nnodes >= SM_MAX_NODES) {
        m->stats.node_overflow++;
        return -1;
    }
    n = &m->nodes[m->nnodes];
    memset(n, 0, sizeof(*n));
    snprintf(n->name, sizeof(n->name), "%s", name);
    n->placeholder = placeholder;
    n->merged_into = -1;
    n->life = SM_RUNNING;       /* seen acting, until something says otherwise */
    return (int)m->nnodes++;
}

/* The node for an acting pid, made as a placeholder if it is new. */
static int node_for_pid(struct sm_model *m, uint32_t pid)
{
    char name[SM_NAME_MAX + 1];
    int n = sm_node_of_pid(m, pid);

    if (n >= 0 || pid == 0)
        return n;
    snprintf(name, sizeof(name), "pid %u", pid);
    n = new_node(m, name, 1);
    if (n >= 0) {
        m->nodes[n].pid = pid;
        map_pid(m, pid, n);
    }
    return n;
}

static struct sm_edge *find_edge(struct sm_model *m, int src, int dst)
{
    for (unsigned i = 0; i < m->nedges; i++)
        if (m->edges[i].src == src && m->edges[i].dst == dst)
            return &m->edges[i];
    return NULL;
}

/* Folds placeholder `from` into named node `into`: its edges and pids
 * move over; the placeholder stays in the table, hidden, so indexes kept
 * elsewhere (IPC histories) still resolve. */
static void merge_node(struct sm_model *m, int from, int into)
{
    struct sm_node *f = &m->nodes[from], *t = &m->nodes[into];

    for (unsigned i = 0; i < m->nedges; i++) {
        struct sm_edge *e = &m->edges[i], *other;
        int s = e->src == from ? into : e->src, d = e->dst == from ? into : e->dst;

        if (e->src < 0 || (s == e->src && d == e->dst))
            continue;
        other = find_edge(m, s, d);
        if (!other) {
            e->src = s;
            e->dst = d;
            continue;
        }
        other->count += e->count;
        for (int k = 0; k < 3; k++)
            other->by_type[k] += e->by_type[k];
        if (e->last_ts > other->last_ts)
            other->last_ts = e->last_ts;
        sr_merge(&other->rate, &e->rate, m->now);
        e->src = e->dst = -1;
    }
    for (unsigned i = 0; i < m->npids; i++)
        if (m->pids[i].node == from)
            m->pids[i].node = into;
    t->msgs_out += f->msgs_out;
    t->msgs_in += f->msgs_in;
    t->run_ns += f->run_ns;
    t->page_faults += f->page_faults;
    if (f->fault_ts > t->fault_ts) {
        t->fault_ts = f->fault_ts;
        t->fault_pid = f->fault_pid;
    }
    f->merged_into = into;
}

/* The node called name, now running as pid (0: not running): renames a
 * placeholder for pid or folds it in, so a name arriving late loses no
 * history. */
static int name_node(struct sm_model *m, const char *name, uint32_t pid)
{
    int n = sm_node_by_name(m, name), p = sm_node_of_pid(m, pid);

    if (n < 0 && p >= 0 && m->nodes[p].placeholder) {
        n = p;
        snprintf(m->nodes[n].name, sizeof(m->nodes[n].name), "%s", name);
        m->nodes[n].placeholder = 0;
    } else if (n < 0) {
        n = new_node(m, name, 0);
    } else if (p >= 0 && p != n && m->nodes[p].placeholder) {
        merge_node(m, p, n);
    }
    if (n >= 0 && pid != 0) {
        map_pid(m, pid, n);
        m->nodes[n].pid = pid;
    }
    return n;
}

static void push_event(struct sm_model *m, const struct ae_trace_rec *r, uint16_t type)
{
    struct sm_event *e = &m->events[m->ev_next];

    memset(e, 0, sizeof(*e));
    e->ts = r->ts_ns;
    e->type = type;
    e->cpu = r->cpu;
    e->pid = r->pid;
    e->tid = r->tid;
    e->peer = r->peer;
    e->node = sm_node_of_pid(m, r->pid);
    e->peer_node = sm_node_of_pid(m, r->peer);
    memcpy(e->arg, r->arg, sizeof(e->arg));
    m->ev_next = (m->ev_next + 1) % SM_EVENTS;
    if (m->ev_count < SM_EVENTS)
        m->ev_count++;
}

static void push_ipc(struct sm_node *n, const struct ae_trace_rec *r, int outgoing, int peer,
                     uint32_t peer_pid)
{
    struct sm_ipc *x = &n->ipc[n->ipc_next];

    x->ts = r->ts_ns;
    x->badge = r->arg[0];
    x->words = AE_MSG_WORDS;
    x->handles = AE_MSG_NHANDLES(r->arg[1]);
    x->label = AE_MSG_LABEL(r->arg[1]);
    x->waited_ns = r->arg[2];
    x->type = r->type;
    x->outgoing = (uint8_t)outgoing;
    x->peer = peer;
    x->peer_pid = peer_pid;
    n->ipc_next = (n->ipc_next + 1) % SM_NODE_IPC;
    if (n->ipc_count < SM_NODE_IPC)
        n->ipc_count++;
}

static void on_ipc(struct sm_model *m, const struct ae_trace_rec *r)
{
    int s = node_for_pid(m, r->pid), d = node_for_pid(m, r->peer);
    struct sm_edge *e;

    m->stats.ipc++;
    if (s >= 0) {
        m->nodes[s].msgs_out++;
        push_ipc(&m->nodes[s], r, 1, d, r->peer);
    }
    if (d >= 0) {
        m->nodes[d].msgs_in++;
        push_ipc(&m->nodes[d], r, 0, s, r->pid);
    }
    if (s < 0 || d < 0)
        return;                 /* to or from the kernel: no edge to draw */
    e = find_edge(m, s, d);
    if (!e) {
        if (m->nedges >= SM_MAX_EDGES) {
            m->stats.edge_overflow++;
            return;
        }
        e = &m->edges[m->nedges++];
        memset(e, 0, sizeof(*e));
        e->src = s;
        e->dst = d;
    }
    e->count++;
    e->by_type[r->type - AE_TRACE_IPC_SEND]++;
    if (r->ts_ns > e->last_ts)
        e->last_ts = r->ts_ns;
    sr_add(&e->rate, r->ts_ns, m->now);
}

static void on_switch(struct sm_model *m, const struct ae_trace_rec *r)
{
    int prev = node_for_pid(m, r->pid), next = node_for_pid(m, r->peer);

    m->stats.switches++;
    if (r->cpu < AE_TRACE_MAX_CPUS) {
        __typeof__(m->cpu[0]) *c = &m->cpu[r->cpu];

        if (c->valid && c->pid == r->pid && r->ts_ns >= c->since && prev >= 0)
            m->nodes[prev].run_ns += r->ts_ns - c->since;
        c->pid = r->peer;
        c->tid = (uint32_t)r->arg[0];
        c->since = r->ts_ns;
        c->valid = 1;
    }
    if (prev >= 0)
        m->nodes[prev].blocked = (r->arg[1] & 1) != 0;
    if (next >= 0)
        m->nodes[next].blocked = 0;
}

/* Sets a node's life state if this news is not older than what set it. */
static void set_life(struct sm_node *n, enum sm_state s, uint64_t ts, int is_info)
{
    if (ts >= n->life_ts) {
        n->life = s;
        n->life_ts = ts;
    }
    if (is_info && ts >= n->info_ts)
        n->info_ts = ts;
}

static void on_spawn(struct sm_model *m, const struct ae_trace_rec *r)
{
    uint8_t raw[SM_NAME_MAX];
    char name[SM_NAME_MAX + 1];
    int parent = node_for_pid(m, r->pid), child;

    for (int i = 0; i < 24; i++)
        raw[i] = (uint8_t)(r->arg[i / 8] >> (8 * (i % 8)));
    sd_clean_name(name, raw, sizeof(raw));
    if (!name[0])
        snprintf(name, sizeof(name), "pid %u", r->peer);
    child = name_node(m, name, r->peer);
    if (child >= 0) {
        set_life(&m->nodes[child], SM_RUNNING, r->ts_ns, 1);
        m->nodes[child].blocked = 0;
    }
    if (parent >= 0)
        m->nodes[parent].spawns++;
}

/* A fatal fault of node n (may be -1): shown as faulted for a while. */
static void note_fault(struct sm_model *m, int n, const struct ae_trace_rec *r)
{
    if (n < 0)
        return;
    m->nodes[n].fault_ts = r->ts_ns;
    m->nodes[n].fault_pid = r->pid;
    m->nodes[n].faults++;
}

static void on_record(struct sm_model *m, const struct ae_trace_rec *r)
{
    struct ae_trace_rec sw;
    int n;

    m->stats.records++;
    if (r->ts_ns > m->now)
        m->now = r->ts_ns;
    switch (r->type) {
    case AE_TRACE_IPC_SEND:
    case AE_TRACE_IPC_CALL:
    case AE_TRACE_IPC_REPLY:
        on_ipc(m, r);
        if (sd_switch_of(r, &sw))
            on_switch(m, &sw);              /* a hand-off */
        break;
    case AE_TRACE_IPC_RECV:                 /* a kernel fault report */
        node_for_pid(m, r->pid);
        break;
    case AE_TRACE_SWITCH:
        on_switch(m, r);
        break;
    case AE_TRACE_PAGE_FAULT:
        n = node_for_pid(m, r->pid);
        if (n >= 0)
            m->nodes[n].page_faults++;
        if (!(r->arg[3] & 1))
            break;              /* demand paging: too common to list */
        note_fault(m, n, r);
        push_event(m, r, r->type);
        break;
    case AE_TRACE_QUOTA_DENY:
        n = node_for_pid(m, r->pid);
        if (n >= 0)
            m->nodes[n].quota_denials++;
        push_event(m, r, r->type);
        break;
    case AE_TRACE_IRQ:
        m->stats.irqs++;
        break;
    case AE_TRACE_PROC_SPAWN:
        on_spawn(m, r);
        push_event(m, r, r->type);
        break;
    case AE_TRACE_PROC_EXIT:
        n = node_for_pid(m, r->pid);
        if (n >= 0 && m->nodes[n].pid == r->pid)    /* not an old pid's late news */
            set_life(&m->nodes[n], SM_EXITED, r->ts_ns, 0);
        push_event(m, r, r->type);
        break;
    case AE_TRACE_PROC_FAULT:
        n = node_for_pid(m, r->pid);
        note_fault(m, n, r);
        push_event(m, r, r->type);
        break;
    case AE_TRACE_PROC_RESTART:
        /* init (pid) restarted the V-Node that ran as peer; it is now arg0. */
        n = node_for_pid(m, r->peer);
        if (n >= 0 && r->arg[0] != 0 && r->arg[0] <= UINT32_MAX) {
            map_pid(m, (uint32_t)r->arg[0], n);
            m->nodes[n].pid = (uint32_t)r->arg[0];
            set_life(&m->nodes[n], SM_RUNNING, r->ts_ns, 1);
            m->nodes[n].blocked = 0;
        }
        push_event(m, r, r->type);
        break;
    case AE_TRACE_LOST:
        m->stats.lost += r->arg[0];
        push_event(m, r, r->type);
        break;
    default:
        break;                  /* unknown or stream-only: counted, not shown */
    }
}

static enum sm_state from_vnode_state(uint32_t s)
{
    switch (s) {
    case AE_VNODE_REFUSED: return SM_REFUSED;
    case AE_VNODE_STOPPED: return SM_STOPPED;
    case AE_VNODE_RUNNING: return SM_RUNNING;
    case AE_VNODE_RESTARTING: return SM_RESTARTING;
    case AE_VNODE_EXITED: return SM_EXITED;
    case AE_VNODE_FAILED: return SM_FAILED;
    default: return SM_UNKNOWN;
    }
}

/* Part of a V-Node's handle list: the frame with entry 0 starts a new
 * list, the others extend it in order; a frame out of order (one was lost
 * on the way) is dropped, and the list waits for the next whole one. */
static void on_caps(struct sm_model *m, const struct sd_caps *c)
{
    int i = node_for_pid(m, c->h.pid);
    struct sm_node *n;

    m->stats.caps_frames++;
    if (c->h.ts_ns > m->now)
        m->now = c->h.ts_ns;
    if (i < 0)
        return;
    n = &m->nodes[i];
    if (c->h.first == 0) {
        n->has_caps = 1;
        n->caps_pid = c->h.pid;
        n->caps_total = c->h.total;
        n->caps_ts = c->h.ts_ns;
        n->ncaps = 0;
    } else if (!n->has_caps || n->caps_pid != c->h.pid || c->h.first != n->ncaps ||
               c->h.ts_ns != n->caps_ts) {
        return;
    }
    for (unsigned k = 0; k < c->n && n->ncaps < AE_TRACE_CAPS_MAX; k++)
        n->caps[n->ncaps++] = (struct sm_cap){c->c[k].handle, c->c[k].type, c->c[k].rights,
                                              c->c[k].revoked, c->c[k].badge};
}

static void on_snapshot(struct sm_model *m, const struct sd_vnode *v)
{
    struct ae_trace_rec ev;
    struct sm_node *n;
    uint32_t old_state;
    int i, had;

    m->stats.snapshots++;
    if (v->ts_ns > m->now)
        m->now = v->ts_ns;
    if (!v->name[0])
        return;
    i = name_node(m, v->name, v->pid);
    if (i < 0)
        return;
    n = &m->nodes[i];
    had = n->has_snapshot;
    old_state = n->snap_state;
    if (had && v->ts_ns > n->snap_ts) {
        /* cpu_ns counts the current run only, so after a restart the whole
         * of it is new time. */
        uint64_t grew = v->v.cpu_ns >= n->cpu_ns ? v->v.cpu_ns - n->cpu_ns : v->v.cpu_ns;
        n->cpu_pct = 100.0 * (double)grew / (double)(v->ts_ns - n->snap_ts);
        if (n->cpu_pct > 100.0 * AE_TRACE_MAX_CPUS)
            n->cpu_pct = 100.0 * AE_TRACE_MAX_CPUS;
    }
    if (had && v->ts_ns < n->snap_ts)
        return;                 /* an older snapshot than the one we have */
    n->has_snapshot = 1;
    n->snap_ts = v->ts_ns;
    n->snap_state = v->v.state;
    n->restarts = v->v.restarts;
    n->cpu_ns = v->v.cpu_ns;
    n->pages_used = v->v.pages_used;
    n->pages_quota = v->v.pages_quota;
    n->ipc_sent = v->v.ipc_sent;
    n->ipc_received = v->v.ipc_received;
    set_life(n, from_vnode_state(v->v.state), v->ts_ns, 1);
    if (had && old_state != v->v.state) {
        memset(&ev, 0, sizeof(ev));
        ev.ts_ns = v->ts_ns;
        ev.pid = v->pid ? v->pid : n->pid;
        ev.arg[0] = old_state;
        ev.arg[1] = v->v.state;
        push_event(m, &ev, SM_EV_STATE);
        m->events[(m->ev_next + SM_EVENTS - 1) % SM_EVENTS].node = i;
    }
}

static void on_hello(struct sm_model *m, const struct sd_event *ev)
{
    struct ae_trace_rec r;
    struct sm_stats keep;

    /* A clock base behind what we have seen means the guest booted again:
     * its pids and timestamps start over, so must the model. */
    if (ev->u.hello.clock_base_ns < m->now) {
        keep = m->stats;
        sm_init(m);
        m->stats = keep;
    }
    m->stats.hellos++;
    m->stats.version = ev->u.hello.version;
    m->stats.clock_base_ns = ev->u.hello.clock_base_ns;
    if (ev->u.hello.clock_base_ns > m->now)
        m->now = ev->u.hello.clock_base_ns;
    memset(&r, 0, sizeof(r));
    r.ts_ns = ev->u.hello.clock_base_ns;
    r.arg[0] = ev->u.hello.version;
    r.arg[1] = ev->u.hello.clock_base_ns;
    push_event(m, &r, SM_EV_HELLO);
}

void sm_apply(struct sm_model *m, const struct sd_event *ev)
{
    switch (ev->kind) {
    case SD_RECORD: on_record(m, &ev->u.rec); break;
    case SD_VNODE: on_snapshot(m, &ev->u.vnode); break;
    case SD_HELLO: on_hello(m, ev); break;
    case SD_CAPS: on_caps(m, &ev->u.caps); break;
    }
}

enum sm_state sm_node_state(const struct sm_model *m, const struct sm_node *n)
{
    /* A fatal fault shows for a while, until a snapshot or a spawn newer
     * than the fault says what became of the V-Node. */
    if (n->fault_ts && m->now < n->fault_ts + SM_FAULT_HOLD_NS && n->info_ts <= n->fault_ts)
        return SM_FAULTED;
    if (n->life == SM_RUNNING && n->blocked)
        return SM_BLOCKED;
    return n->life;
}

const char *sm_state_name(enum sm_state s)
{
    static const char *const names[] = {"running", "blocked", "faulted", "restarting", "failed",
                                        "stopped", "exited", "refused", "unknown"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

double sm_edge_rate(const struct sm_model *m, const struct sm_edge *e)
{
    return sr_per_sec(&e->rate, m->now);
}

const struct sm_event *sm_event_at(const struct sm_model *m, unsigned i)
{
    if (i >= m->ev_count)
        return NULL;
    return &m->events[(m->ev_next + SM_EVENTS - 1 - i) % SM_EVENTS];
}

const struct sm_ipc *sm_node_ipc_at(const struct sm_node *n, unsigned i)
{
    if (i >= n->ipc_count)
        return NULL;
    return &n->ipc[(n->ipc_next + SM_NODE_IPC - 1 - i) % SM_NODE_IPC];
}
