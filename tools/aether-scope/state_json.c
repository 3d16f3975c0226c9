/*
 * JSON views of the model. Names come from the guest and are escaped by
 * jw_str; every list is bounded by the model's own table sizes.
 */
#include <inttypes.h>
#include <stdio.h>

#include <aether/objects.h>
#include <aether/proto/init.h>
#include <aether/rights.h>

#include "state_json.h"

const char *sj_type_name(unsigned type)
{
    static const char *const names[] = {
        "none", "ipc_send", "ipc_call", "ipc_reply", "ipc_recv", "switch", "page_fault",
        "quota_deny", "irq", "proc_spawn", "proc_exit", "proc_fault", "proc_restart", "lost",
        "vnode",
    };

    if (type == SM_EV_STATE)
        return "state";
    if (type == SM_EV_HELLO)
        return "hello";
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

static const char *node_name(const struct sm_model *m, int node, uint32_t pid, char *tmp,
                             size_t n)
{
    node = sm_resolve(m, node);
    if (node >= 0)
        return m->nodes[node].name;
    if (pid == 0)
        return "kernel";
    snprintf(tmp, n, "pid %" PRIu32, pid);
    return tmp;
}

void sj_event_text(struct sb *b, const struct sm_model *m, const struct sm_event *e)
{
    static const char *const resources[] = {"pages", "threads", "handles", "kernel bytes"};
    char t1[32], t2[32];
    const char *who = node_name(m, e->node, e->pid, t1, sizeof(t1));
    const char *peer = node_name(m, e->peer_node, e->peer, t2, sizeof(t2));

    switch (e->type) {
    case AE_TRACE_PAGE_FAULT:
        sb_printf(b, "%s (pid %" PRIu32 ") fatal page fault at 0x%" PRIx64 ", rip 0x%" PRIx64
                  ", error %" PRIu64, who, e->pid, e->arg[0], e->arg[1], e->arg[2]);
        break;
    case AE_TRACE_QUOTA_DENY:
        sb_printf(b, "%s (pid %" PRIu32 ") refused %" PRIu64 " %s: %" PRIu64 " left", who, e->pid,
                  e->arg[1], e->arg[0] < 4 ? resources[e->arg[0]] : "units", e->arg[2]);
        break;
    case AE_TRACE_PROC_SPAWN:
        sb_printf(b, "%s spawned %s (pid %" PRIu32 ")", who, peer, e->peer);
        break;
    case AE_TRACE_PROC_EXIT:
        sb_printf(b, "%s (pid %" PRIu32 ") %s, status %" PRId64, who, e->pid,
                  e->arg[1] ? "was killed" : "exited", (int64_t)e->arg[0]);
        break;
    case AE_TRACE_PROC_FAULT:
        sb_printf(b, "%s (pid %" PRIu32 ") killed by a fault: reason %" PRIu64 ", address 0x%"
                  PRIx64 ", rip 0x%" PRIx64, who, e->pid, e->arg[0], e->arg[1], e->arg[2]);
        break;
    case AE_TRACE_PROC_RESTART:
        sb_printf(b, "%s restarted %s: pid %" PRIu32 " -> %" PRIu64, who, peer, e->peer,
                  e->arg[0]);
        break;
    case AE_TRACE_LOST:
        sb_printf(b, "%" PRIu64 " records lost on CPU %u", e->arg[0], e->cpu);
        break;
    case SM_EV_STATE:
        sb_printf(b, "%s: %s -> %s", who, ae_vnode_state_name((uint32_t)e->arg[0]),
                  ae_vnode_state_name((uint32_t)e->arg[1]));
        break;
    case SM_EV_HELLO:
        sb_printf(b, "stream start: AETHER-TRACE %" PRIu64, e->arg[0]);
        break;
    default:
        sb_printf(b, "%s by %s", sj_type_name(e->type), who);
    }
}

static void node_fields(struct sb *b, const struct sm_model *m, const struct sm_node *n)
{
    double mem = n->pages_quota ? 100.0 * (double)n->pages_used / (double)n->pages_quota : 0;

    jw_key(b, "name"); jw_str(b, n->name);
    sb_puts(b, ",\"pid\":"); jw_u64(b, n->pid);
    sb_puts(b, ",\"state\":"); jw_str(b, sm_state_name(sm_node_state(m, n)));
    sb_printf(b, ",\"placeholder\":%s,\"has_snapshot\":%s", n->placeholder ? "true" : "false",
              n->has_snapshot ? "true" : "false");
    sb_puts(b, ",\"cpu_pct\":"); jw_double(b, n->cpu_pct, 2);
    sb_puts(b, ",\"cpu_ns\":"); jw_u64(b, n->cpu_ns);
    sb_puts(b, ",\"run_ns\":"); jw_u64(b, n->run_ns);
    sb_puts(b, ",\"pages_used\":"); jw_u64(b, n->pages_used);
    sb_puts(b, ",\"pages_quota\":"); jw_u64(b, n->pages_quota);
    sb_puts(b, ",\"mem_pct\":"); jw_double(b, mem, 2);
    sb_puts(b, ",\"restarts\":"); jw_u64(b, n->restarts);
    sb_puts(b, ",\"ipc_sent\":"); jw_u64(b, n->ipc_sent);
    sb_puts(b, ",\"ipc_received\":"); jw_u64(b, n->ipc_received);
    sb_puts(b, ",\"msgs_out\":"); jw_u64(b, n->msgs_out);
    sb_puts(b, ",\"msgs_in\":"); jw_u64(b, n->msgs_in);
    sb_puts(b, ",\"faults\":"); jw_u64(b, n->faults);
    sb_puts(b, ",\"page_faults\":"); jw_u64(b, n->page_faults);
    sb_puts(b, ",\"quota_denials\":"); jw_u64(b, n->quota_denials);
}

/* Its handles as scope last listed them; null until a list came ("not
 * known" rather than "none"). */
static void caps_json(struct sb *b, const struct sm_node *n)
{
    const char *sep = "";

    if (!n->has_caps) {
        sb_puts(b, ",\"handles\":null");
        return;
    }
    sb_printf(b, ",\"handles_pid\":%" PRIu32 ",\"handles_total\":%" PRIu32
              ",\"handles_ts_ns\":%" PRIu64 ",\"handles\":[", n->caps_pid, n->caps_total,
              n->caps_ts);
    for (unsigned i = 0; i < n->ncaps; i++) {
        const struct sm_cap *c = &n->caps[i];
        char rights[12];

        ae_rights_text(c->rights, rights);
        sb_printf(b, "%s{\"handle\":%" PRIu32 ",\"type\":", sep, c->handle);
        jw_str(b, ae_obj_type_name(c->type));
        sb_printf(b, ",\"rights\":\"%s\",\"badge\":%" PRIu64 ",\"revoked\":%s}", rights,
                  c->badge, c->revoked ? "true" : "false");
        sep = ",";
    }
    sb_puts(b, "]");
}

static void event_json(struct sb *b, const struct sm_model *m, const struct sm_event *e)
{
    int node = sm_resolve(m, e->node), peer = sm_resolve(m, e->peer_node);

    sb_puts(b, "{\"ts_ns\":"); jw_u64(b, e->ts);
    sb_puts(b, ",\"type\":"); jw_str(b, sj_type_name(e->type));
    sb_printf(b, ",\"cpu\":%u,\"pid\":%" PRIu32 ",\"peer\":%" PRIu32, e->cpu, e->pid, e->peer);
    sb_puts(b, ",\"node\":");
    if (node >= 0) jw_str(b, m->nodes[node].name); else sb_puts(b, "null");
    sb_puts(b, ",\"peer_node\":");
    if (peer >= 0) jw_str(b, m->nodes[peer].name); else sb_puts(b, "null");
    sb_puts(b, ",\"text\":\"");
    {
        struct sb t = {0};

        sj_event_text(&t, m, e);
        if (!t.failed && t.p)
            jw_escape(b, t.p);
        sb_free(&t);
    }
    sb_puts(b, "\"}");
}

void sj_state(struct sb *b, const struct sm_model *m, const struct sd_stats *ds,
              const struct sj_source *src)
{
    const char *sep = "";

    sb_puts(b, "{\"now_ns\":"); jw_u64(b, m->now);
    sb_puts(b, ",\"source\":{\"kind\":"); jw_str(b, src->kind);
    sb_puts(b, ",\"target\":"); jw_str(b, src->target);
    sb_printf(b, ",\"connected\":%s,\"follow\":%s,\"connects\":%" PRIu64 "}",
              src->connected ? "true" : "false", src->follow ? "true" : "false", src->connects);
    sb_printf(b, ",\"stream\":{\"bytes\":%" PRIu64 ",\"frames\":%" PRIu64 ",\"bad_frames\":%"
              PRIu64 ",\"garbage\":%" PRIu64 ",\"records\":%" PRIu64 ",\"snapshots\":%" PRIu64
              ",\"hellos\":%" PRIu64 ",\"version\":%" PRIu32 ",\"lost\":%" PRIu64 ",\"ipc\":%"
              PRIu64 ",\"switches\":%" PRIu64 ",\"irqs\":%" PRIu64 ",\"caps_frames\":%" PRIu64
              "}",
              ds->bytes, ds->frames, ds->bad_frames, ds->garbage, m->stats.records,
              m->stats.snapshots, m->stats.hellos, m->stats.version, m->stats.lost,
              m->stats.ipc, m->stats.switches, m->stats.irqs, m->stats.caps_frames);
    sb_printf(b, ",\"window_ns\":%llu", (unsigned long long)SR_WINDOW_NS);
    sb_puts(b, ",\"nodes\":[");
    for (unsigned i = 0; i < m->nnodes; i++) {
        if (m->nodes[i].merged_into >= 0)
            continue;
        sb_printf(b, "%s{", sep);
        node_fields(b, m, &m->nodes[i]);
        sb_puts(b, "}");
        sep = ",";
    }
    sb_puts(b, "],\"edges\":[");
    sep = "";
    for (unsigned i = 0; i < m->nedges; i++) {
        const struct sm_edge *e = &m->edges[i];

        if (e->src < 0 || e->dst < 0)
            continue;
        sb_printf(b, "%s{\"src\":", sep);
        jw_str(b, m->nodes[e->src].name);
        sb_puts(b, ",\"dst\":");
        jw_str(b, m->nodes[e->dst].name);
        sb_printf(b, ",\"count\":%" PRIu64 ",\"send\":%" PRIu64 ",\"call\":%" PRIu64
                  ",\"reply\":%" PRIu64 ",\"last_ns\":%" PRIu64 ",\"rate\":", e->count,
                  e->by_type[0], e->by_type[1], e->by_type[2], e->last_ts);
        jw_double(b, sm_edge_rate(m, e), 2);
        sb_puts(b, "}");
        sep = ",";
    }
    sb_puts(b, "],\"events\":[");
    sep = "";
    for (unsigned i = 0; i < m->ev_count; i++) {
        sb_puts(b, sep);
        event_json(b, m, sm_event_at(m, i));
        sep = ",";
    }
    sb_puts(b, "]}");
}

void sj_node(struct sb *b, const struct sm_model *m, int node)
{
    const struct sm_node *n = &m->nodes[node];
    const char *sep = "";

    sb_puts(b, "{");
    node_fields(b, m, n);
    caps_json(b, n);
    sb_puts(b, ",\"pids\":[");
    for (unsigned i = 0; i < m->npids; i++) {
        if (sm_resolve(m, m->pids[i].node) != node)
            continue;
        sb_printf(b, "%s%" PRIu32, sep, m->pids[i].pid);
        sep = ",";
    }
    sb_puts(b, "],\"ipc\":[");
    sep = "";
    for (unsigned i = 0; i < n->ipc_count; i++) {
        const struct sm_ipc *x = sm_node_ipc_at(n, i);
        char tmp[32];

        sb_printf(b, "%s{\"ts_ns\":%" PRIu64 ",\"dir\":\"%s\",\"type\":", sep, x->ts,
                  x->outgoing ? "out" : "in");
        jw_str(b, sj_type_name(x->type) + 4);       /* "call", not "ipc_call" */
        sb_puts(b, ",\"peer\":");
        jw_str(b, node_name(m, x->peer, x->peer_pid, tmp, sizeof(tmp)));
        sb_printf(b, ",\"peer_pid\":%" PRIu32 ",\"label\":%" PRIu64 ",\"badge\":%" PRIu64
                  ",\"words\":%" PRIu32 ",\"handles\":%" PRIu32 ",\"waited_ns\":%" PRIu64 "}",
                  x->peer_pid, x->label, x->badge, x->words, x->handles, x->waited_ns);
        sep = ",";
    }
    sb_puts(b, "]}");
}
